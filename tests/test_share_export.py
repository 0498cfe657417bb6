"""The embed snippet and the download buttons, against expectations written by hand.

The buttons and /api/deals(.csv) share alliance.export.deals_export: for the same view both
give the same bytes, and an empty view still downloads a CSV header row.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from alliance.export import (
    DEAL_FIELDS,
    _number,
    company_records,
    cycle_records,
    deal_records,
    deals_export,
    records_to_csv,
    round_records,
    state_dict,
    to_json,
)
from alliance.flows import find_cycles
from alliance.viewstate import ViewState, parse
from components.factory import create_app
from components.share import embed_links, embed_snippet, export_download

from .helpers import deals_frame, exported_view
from .mini_cases import MINI_CHIP_SUPPLY_CSV

HEADER = ",".join(DEAL_FIELDS) + "\r\n"


@pytest.fixture(scope="module")
def mini_client(mini_atlas):
    return create_app(atlas=mini_atlas).server.test_client()


def test_embed_snippet_by_hand():
    assert embed_snippet("https://map.example.com/", "?types=chip_supply&from=2025-03-15", "80%", 450) == (
        '<iframe src="https://map.example.com/?types=chip_supply&amp;from=2025-03-15&amp;embed=1" width="80%" '
        'height="450" style="border:0" loading="lazy" title="AI Alliance Map"></iframe>'
    )
    assert embed_snippet("http://127.0.0.1:8050", "", "640", "700", title='Map "A" <b>') == (
        '<iframe src="http://127.0.0.1:8050/?embed=1" width="640" height="700" style="border:0" loading="lazy" '
        'title="Map &quot;A&quot; &lt;b&gt;"></iframe>'
    )


@pytest.mark.parametrize(
    ("height", "shown"),
    [
        (5000, 'height="3000"'),
        (3000, 'height="3000"'),
        (3001, 'height="3000"'),
        (2999, 'height="2999"'),
        (199, 'height="200"'),
        (200, 'height="200"'),
        (201, 'height="201"'),
        (-50, 'height="200"'),
        ("abc", 'height="600"'),
        (None, 'height="600"'),
        ("450", 'height="450"'),
    ],
)
def test_embed_height_is_clamped(height, shown):
    assert shown in embed_snippet("https://m.example", "", "100%", height)


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        ("100%", 'width="100%"'),
        ("640", 'width="640"'),
        (" 50% ", 'width="50%"'),
        ("999999%", 'width="100%"'),
        ("123456", 'width="123456"'),
        ("1234567", 'width="100%"'),
        ("100px", 'width="100%"'),
        ('" onload="x', 'width="100%"'),
        (None, 'width="100%"'),
        ("", 'width="100%"'),
    ],
)
def test_embed_width_is_sanitised(width, shown):
    assert shown in embed_snippet("https://m.example", "", width, 600)


def test_embed_links_drop_embed_mode_and_use_the_page_origin(mini_atlas):
    snippet, full_map = embed_links(
        mini_atlas,
        "?types=chip_supply&embed=1&scroll=1",
        "100%",
        600,
        "https://map.example.com:8443/some/path?x=1",
        "en",
    )
    assert snippet == (
        '<iframe src="https://map.example.com:8443/?types=chip_supply&amp;embed=1" width="100%" '
        'height="600" style="border:0" loading="lazy" title="AI Alliance Map"></iframe>'
    )
    assert full_map == "/?types=chip_supply"
    snippet, full_map = embed_links(mini_atlas, "", None, None, None, "ru")
    assert snippet.startswith('<iframe src="http://127.0.0.1:8050/?embed=1" width="100%" height="600"')
    assert full_map == "/"
    assert snippet.endswith('title="Карта альянсов ИИ"></iframe>')
    snippet, _ = embed_links(mini_atlas, "?lang=ru", "100%", 600, None, "en")  # the link's language wins
    assert snippet.endswith('title="Карта альянсов ИИ"></iframe>') and "lang=ru&amp;embed=1" in snippet


def test_csv_button_by_hand(mini_atlas):
    assert export_download(mini_atlas, "?types=chip_supply", "csv") == {
        "content": MINI_CHIP_SUPPLY_CSV,
        "filename": "ai-alliance-deals.csv",
        "type": "text/csv",
    }


def test_empty_view_downloads_a_header_row(mini_atlas):
    assert export_download(mini_atlas, "?min_amount=10000000000000", "csv")["content"] == HEADER
    assert export_download(mini_atlas, "?types=", "csv")["content"] == HEADER
    body = json.loads(export_download(mini_atlas, "?types=", "json")["content"])
    assert (body["count"], body["deals"], body["query"]) == (0, [], "?types=")


def test_json_button_by_hand(mini_atlas):
    download = export_download(mini_atlas, "?types=debt_financing&from=2023-02-15", "json")
    assert (download["filename"], download["type"]) == ("ai-alliance-deals.json", "application/json")
    body = json.loads(download["content"])
    assert list(body) == ["view", "query", "count", "deals"]
    assert body["query"] == "?types=debt_financing&from=2023-02-15"
    assert body["view"] == exported_view(["debt_financing"], "2023-02-15", "2025-12-31")
    assert body["count"] == 1 and [d["id"] for d in body["deals"]] == ["m02"]
    assert '"amount_usd": 2500000000,' in download["content"]  # whole dollars stay integers


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?types=chip_supply",
        "?min_amount=10000000000000",
        "?from=2025-03-15&to=2025-11-20&focus=lab&depth=2",
        "?roles=investor&deal=m05",
        "?types=equity_investment&lang=ru&theme=dark&every=1",
    ],
)
def test_buttons_send_what_the_api_sends(mini_atlas, mini_client, query):
    for fmt, path in (("csv", "/api/deals.csv"), ("json", "/api/deals")):
        download = export_download(mini_atlas, query, fmt)
        response = mini_client.get(path + query)
        assert download["content"] == response.get_data(as_text=True)
        assert download["type"] == response.mimetype
        if fmt == "csv":
            assert response.headers["Content-Disposition"] == f'attachment; filename="{download["filename"]}"'


def test_a_stale_or_hostile_stored_query_still_downloads(mini_atlas):
    """The STATE store is the app's own canonical query, but a bad one falls back rather than failing."""
    rows = export_download(mini_atlas, "?types=warp&focus=<b>", "csv")["content"].split("\r\n")
    assert rows[0] == HEADER.rstrip("\r\n") and len(rows) == 18 + 2  # header, 18 deals, final empty line
    assert export_download(mini_atlas, None, "json")["content"] == export_download(mini_atlas, "", "json")["content"]


def test_deals_export_refuses_unknown_formats(mini_atlas):
    state, _ = parse("", mini_atlas.context)
    with pytest.raises(ValueError, match="xlsx"):
        deals_export(mini_atlas.dataset, state, "", "xlsx")
    assert deals_export(mini_atlas.dataset, state, "", "csv").filename == "ai-alliance-deals.csv"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *((1e9, 1000000000), (2.5e9, 2500000000), (0.0, 0), (1.5, 1.5), (float("nan"), None), (None, None)),
        *((2.0, 2), (2.5, 2.5), (7, 7)),
    ],
)
def test_whole_numbers_become_ints(value, expected):
    result = _number(value)
    assert result == expected and type(result) is type(expected)


def test_records_to_csv_cells():
    text = records_to_csv([{"a": 1000000000, "b": None, "c": True, "d": ["x", "y"], "e": "=cmd"}], "abcde")
    assert text == "a,b,c,d,e\r\n1000000000,,true,x;y,'=cmd\r\n"
    assert records_to_csv([], ("a", "b")) == "a,b\r\n"


# --- Export records written out by hand: companies, round totals, the view state and circular deals. (From mutation
# testing, tests/MUTATION.md.)


def test_company_records_in_dataset_order_and_filtered(round_dataset):
    assert company_records(round_dataset, ["cloud", "nobody", "fund"]) == [
        {
            "id": "fund",
            "name": "Fund Capital",
            "roles": ["investor"],
            "primary_role": "investor",
            "country": "",
            "website": "",
            "description": "",
            "description_ru": "",  # d1: $1B paid out
            "money_in_usd": {"total": 0, "paid": 0, "contracted": 0, "conditional": 0},
            "money_out_usd": {"total": 1000000000, "paid": 1000000000, "contracted": 0, "conditional": 0},
        },
        {
            "id": "cloud",
            "name": "Cloud Co",
            "roles": ["cloud_provider", "investor"],
            "primary_role": "cloud_provider",
            "country": "",
            "website": "",
            "description": "",
            "description_ru": "",  # d8's $45B in (d2 replaced); d3, d6 state no amount
            "money_in_usd": {"total": 45000000000, "paid": 0, "contracted": 45000000000, "conditional": 0},
            "money_out_usd": {"total": 0, "paid": 0, "contracted": 0, "conditional": 0},
        },
    ]
    assert [c["id"] for c in company_records(round_dataset)] == ["fund", "lab", "cloud", "chips", "app"]
    assert company_records(round_dataset, []) == []


def test_round_records(round_dataset):
    assert round_records(round_dataset) == [
        {
            "id": "lab-series-a",
            "company_id": "lab",
            "company_name": "Lab AI",
            "date": "2025-01-15",
            "total_usd": 20000000000,
            "qualifier": "exact",
            "total_as_stated": "$20B",
            "leads": ["Chips Inc"],
            "deal_ids": ["d4", "d6"],
            "source_url": "https://example.com/r",
            "source_name": "Example",
            "second_source_url": "",
            "notes": "",
        }
    ]


def test_round_records_split_leads_and_name_unknown_companies_by_id():
    rounds = pd.DataFrame(
        [
            {
                "id": "r1",
                "company_id": "ghost",
                "date": pd.Timestamp("2024-02-29"),
                "total_usd": 2.5e9,
                "qualifier": "up_to",
                "leads": " A ; ;B;",
                "source_url": "u",
                "source_name": "n",
                "second_source_url": "u2",
                "notes": "x",
            }
        ]
    )
    dataset = type(
        "D",
        (),
        {
            "rounds": rounds,
            "companies": pd.DataFrame({"name": ["Lab"]}, index=["lab"]),
            "deals": pd.DataFrame({"id": ["d1"], "group_id": ["r1"]}),
        },
    )()
    (record,) = round_records(dataset)
    assert (
        record["company_name"],
        record["total_usd"],
        record["total_as_stated"],
        record["leads"],
        record["deal_ids"],
        record["date"],
    ) == ("ghost", 2500000000, "up to $2.5B", ["A", "B"], ["d1"], "2024-02-29")


def test_state_dict_uses_the_url_parameter_names():
    state = ViewState(
        types=("chip_supply",),
        roles=("investor", "neocloud"),
        date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 6, 30),
        focus="nvidia",
        depth=2,
        min_amount=1e9,
        company="openai",
        deal="d1",
        cycle="a~b",
        view="flows",
    )
    assert state_dict(state) == {
        "types": ["chip_supply"],
        "roles": ["investor", "neocloud"],
        "from": "2025-01-01",
        "to": "2025-06-30",
        "focus": "nvidia",
        "depth": 2,
        "min_amount": 1000000000,
        "company": "openai",
        "deal": "d1",
        "cycle": "a~b",
        "view": "flows",
        "sources": "all",
    }


def test_cycle_records():
    deals = deals_frame(
        [
            ("a", "b", 10, None, "2025-01-01"),
            ("b", "a", None, None, "2025-03-01"),
            ("b", "a", 2.5, None, "2025-02-01"),
        ]
    )
    names = pd.Series({"a": "Alpha", "b": "Beta"})
    assert cycle_records(find_cycles(deals), names) == {
        "capped": False,
        "cap_reason": "",
        "count": 1,
        "cycles": [
            {
                "id": "a~b",
                "companies": ["a", "b"],
                "names": ["Alpha", "Beta"],
                "bottleneck_usd": 2.5,
                "latest": "2025-03-01",
                "hops": [
                    {
                        "from_id": "a",
                        "to_id": "b",
                        "deal_ids": ["d1"],
                        "stated_usd": 10,
                        "qualifiers": ["exact"],
                        "undisclosed": False,
                    },
                    {
                        "from_id": "b",
                        "to_id": "a",
                        "deal_ids": ["d3", "d2"],
                        "stated_usd": 2.5,
                        "qualifiers": ["exact", "undisclosed"],
                        "undisclosed": True,
                    },
                ],
            }
        ],
    }


def test_cycle_records_of_a_capped_search():
    deals = deals_frame([("a", "b", 1), ("b", "a", 1), ("c", "d", 1), ("d", "c", 1)])
    record = cycle_records(find_cycles(deals, max_cycles=1), pd.Series({"a": "A", "b": "B", "c": "C", "d": "D"}))
    assert (record["capped"], record["cap_reason"], record["count"]) == (True, "stopped after 1 cycles", 1)


def test_deal_records_of_the_round_dataset(round_dataset):
    deals = round_dataset.deals
    records = {r["id"]: r for r in deal_records(round_dataset, deals[deals["id"].isin(["d2", "d3", "d4"])])}
    assert list(records) == ["d2", "d3", "d4"]
    assert records["d2"] == {
        "id": "d2",
        "date": "2024-06-01",
        "from_id": "lab",
        "from_name": "Lab AI",
        "to_id": "cloud",
        "to_name": "Cloud Co",
        "deal_type": "compute_commitment",
        "deal_type_label": "Compute / cloud commitment",
        "amount_usd": 30000000000,
        "amount_qualifier": "exact",
        "amount_as_stated": "$30B",
        "compute_gw": None,
        "status": "superseded",
        "summary": "Test deal d2",
        "source_url": "https://example.com/d2",
        "source_name": "Example",
        "second_source_url": "",
        "group_id": "",
        "notes": "",
        "amount_kind": "flow",  # the loader writes a blank kind as flow
        "counted": True,  # its replacement d8 is not among these deals
        "supersedes": "",
        "source_tier": "primary",
        "second_source_tier": "",
        "added_on": "2025-12-01",
        "checked_on": "2025-12-01",
        "summary_ru": "Тестовая сделка d2",
        "money_state": "contracted",  # a compute commitment, live in this view
    }
    assert (
        records["d3"]["amount_usd"],
        records["d3"]["amount_as_stated"],
        records["d3"]["compute_gw"],
        records["d3"]["counted"],
    ) == (None, "undisclosed", 1.0, False)
    assert (records["d4"]["amount_as_stated"], records["d4"]["group_id"], records["d4"]["counted"]) == (
        "up to $10B",
        "lab-series-a",
        True,
    )
    everything = deal_records(round_dataset, deals)
    assert [r["counted"] for r in everything if r["id"] in ("d2", "d8")] == [False, True]
    # d2 is replaced in this view: no state; d4's "up to" share is conditional; d5 moves no money
    assert {r["id"]: r["money_state"] for r in everything if r["id"] in ("d2", "d4", "d5", "d8")} == {
        "d2": "",
        "d4": "conditional",
        "d5": "",
        "d8": "contracted",
    }


def test_deal_records_name_unknown_companies_by_id(round_dataset):
    deals = round_dataset.deals.iloc[:1].assign(from_id="ghost", to_id="spook", amount_usd=1.5, compute_gw=2.25)
    (record,) = deal_records(round_dataset, deals)
    assert (record["from_name"], record["to_name"], record["amount_usd"], record["compute_gw"]) == (
        "ghost",
        "spook",
        1.5,
        2.25,
    )


def test_csv_cells_and_header():
    records = [
        {"id": "d1", "counted": True, "roles": ["a", "b"], "amount": None, "gw": 1.5},
        {"id": "d2", "counted": False, "roles": (), "amount": 3, "gw": None},
    ]
    assert records_to_csv(records) == "id,counted,roles,amount,gw\r\nd1,true,a;b,,1.5\r\nd2,false,,3,\r\n"
    assert records_to_csv([], ["id", "name"]) == "id,name\r\n"
    assert records_to_csv([]) == ""
    assert records_to_csv(records, ["gw", "id"]) == "gw,id\r\n1.5,d1\r\n,d2\r\n"
    assert records_to_csv([{"text": 'say "hi", then go'}]) == 'text\r\n"say ""hi"", then go"\r\n'


def test_json_keeps_key_order_and_cyrillic_and_refuses_nan():
    assert to_json({"name": "Сбер", "amount": 1e9, "a": None}) == '{"name": "Сбер", "amount": 1000000000.0, "a": null}'
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        to_json({"amount": float("nan")})  # NaN is not JSON: an export must never write it
