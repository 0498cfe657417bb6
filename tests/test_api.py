"""The /api endpoints in-process through Flask's test client.

Filter and export cases run on the hand-written mini fixture (tests/fixtures/mini/README.md
lists its 18 deals) and spell out the expected deal ids by hand: the endpoint's own `parse` and
`filter_deals` never compute an expected answer. A few smoke tests run on the shipped data.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from alliance.export import COMPANY_FIELDS, DEAL_FIELDS
from alliance.schema import DEAL_TYPES
from components import api
from components.factory import create_app
from components.settings import Settings

from .helpers import TINY_DEALS, deal_row, exported_view, write_dataset
from .mini_cases import MINI_CASES, MINI_CHIP_SUPPLY_CSV


@pytest.fixture(scope="module")
def atlas(shipped_atlas):
    return shipped_atlas


@pytest.fixture(scope="module")
def server(atlas):
    app = create_app(atlas=atlas)  # the shipped dataset, i.e. load_atlas()
    api.register(app.server, atlas)  # a no-op once the factory registers the API itself
    return app.server


@pytest.fixture()
def client(server):
    return server.test_client()


@pytest.fixture(scope="module")
def mini_client(mini_atlas):
    return create_app(atlas=mini_atlas).server.test_client()


def mini_ids(client, query: str, path: str = "/api/deals") -> list[str]:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["count"] == len(body["deals"])
    return [d["id"] for d in body["deals"]]


@pytest.mark.parametrize(("query", "expected"), MINI_CASES, ids=[q or "default" for q, _ in MINI_CASES])
def test_deals_in_view_by_hand(mini_client, query, expected):
    assert mini_ids(mini_client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    MINI_CASES[:8] + MINI_CASES[8:30:3],
    ids=[q or "default" for q, _ in MINI_CASES[:8] + MINI_CASES[8:30:3]],
)
def test_csv_rows_by_hand(mini_client, query, expected):
    rows = list(csv.reader(io.StringIO(mini_client.get(f"/api/deals.csv?{query}").get_data(as_text=True), newline="")))
    assert rows[0] == list(DEAL_FIELDS)
    assert [r[0] for r in rows[1:]] == expected


def test_deals_view_echoes_the_parsed_window(mini_client):
    view = mini_client.get("/api/deals?from=2024-03&to=2025-06-10").get_json()["view"]
    assert (view["from"], view["to"]) == ("2024-03-01", "2025-06-10")
    view = mini_client.get("/api/deals?to=2024-02").get_json()["view"]
    assert (view["from"], view["to"]) == ("2023-01-01", "2024-02-29")  # a leap month's last day
    body = mini_client.get("/api/deals?from=2025-03-15&to=2025-11-20").get_json()
    assert body["query"] == "?from=2025-03-15&to=2025-11-20"
    assert mini_client.get("/api/deals?from=2024-03-01&to=2025-12-31").get_json()["query"] == "?from=2024-03"


MINI_COMPANY_CASES = [
    ("", ["vc", "bank", "lab", "lab2", "cloud", "neo", "chips", "dc", "app", "mega"]),
    ("focus=dc&view=sankey", ["vc", "bank", "lab", "lab2", "cloud", "neo", "chips", "dc", "app", "mega"]),
    ("types=chip_supply", ["cloud", "neo", "chips"]),
    ("roles=neocloud,chipmaker", ["neo", "chips"]),
    ("from=2025-06&to=2025-09", ["vc", "lab", "neo"]),
    ("types=joint_venture,acquisition", ["lab", "cloud", "dc", "app"]),
    ("min_amount=1e13", []),
]


@pytest.mark.parametrize(("query", "expected"), MINI_COMPANY_CASES, ids=[q or "default" for q, _ in MINI_COMPANY_CASES])
def test_companies_in_view_by_hand(mini_client, query, expected):
    body = mini_client.get(f"/api/companies?{query}").get_json()
    assert [c["id"] for c in body["companies"]] == expected
    assert body["count"] == len(expected)


def test_company_record_by_hand(mini_client):
    cloud = next(c for c in mini_client.get("/api/companies").get_json()["companies"] if c["id"] == "cloud")
    assert cloud == {
        "id": "cloud",
        "name": "Hyper Cloud",
        "roles": ["cloud_provider", "investor"],
        "primary_role": "cloud_provider",
        "country": "United States",
        "website": "https://cloud.example.com",
        "description": "A hyperscaler that also invests.",
        "description_ru": "Гиперскейлер, который также инвестирует.",
        # m03's up-to $10B in; m05's $4B and m10's $7.5B out, both signed, not closed
        "money_in_usd": {"total": 10000000000, "paid": 0, "contracted": 0, "conditional": 10000000000},
        "money_out_usd": {"total": 11500000000, "paid": 0, "contracted": 11500000000, "conditional": 0},
    }


def test_deal_record_by_hand(mini_client):
    deals = {d["id"]: d for d in mini_client.get("/api/deals").get_json()["deals"]}
    assert deals["m16"] == {
        "id": "m16",
        "date": "2025-08-01",
        "from_id": "lab",
        "from_name": "Frontier Lab",
        "to_id": "neo",
        "to_name": "Neo GPU",
        "deal_type": "compute_commitment",
        "deal_type_label": "Compute / cloud commitment",
        "amount_usd": 12000000000,
        "amount_qualifier": "exact",
        "amount_as_stated": "$12B",
        "compute_gw": 1.5,
        "status": "announced",
        "summary": "Frontier Lab commits $12B to Neo GPU",
        "source_url": "https://example.com/m16",
        "source_name": "Example",
        "second_source_url": "",
        "group_id": "",
        "notes": "",
        "amount_kind": "flow",
        "counted": True,
        "supersedes": "",
        "source_tier": "major",
        "second_source_tier": "",
        "added_on": "2026-01-15",
        "checked_on": "2026-01-15",
        "summary_ru": "Frontier Lab обязуется потратить 12 млрд $ на Neo GPU",
        "money_state": "contracted",
    }
    assert (deals["m04"]["amount_usd"], deals["m04"]["amount_as_stated"], deals["m04"]["counted"]) == (
        None,
        "undisclosed",
        False,
    )
    assert (deals["m03"]["amount_as_stated"], deals["m05"]["amount_as_stated"]) == ("up to $10B", "about $4B")
    # replaced, cancelled and secondary amounts are stated but never counted; the replacement is
    assert [deals[d]["counted"] for d in ("m12", "m15", "m17", "m18")] == [False, True, False, False]
    assert deals["m15"]["supersedes"] == "m12"


def test_whole_dollars_are_json_integers(mini_client):
    raw = mini_client.get("/api/deals?types=debt_financing").get_data(as_text=True)
    assert '"amount_usd": 2500000000,' in raw and "2500000000.0" not in raw
    assert isinstance(mini_client.get("/api/deals?types=debt_financing").get_json()["deals"][0]["amount_usd"], int)
    assert '"min_amount": 1000000000,' in mini_client.get("/api/deals?min_amount=1e9").get_data(as_text=True)


# (query, expected cycles as (id, bottleneck, hops' deal ids)), worked out by hand: most money first.
MINI_CYCLES = [
    (
        "",
        [
            ("chips~lab~cloud", 2000000000, [["m06"], ["m03"], ["m05"]]),
            ("chips~lab~neo", 0, [["m06"], ["m16"], ["m13"]]),
            ("cloud~lab", 0, [["m04"], ["m03"]]),
        ],
    ),
    (
        "to=2024-12",
        [("chips~lab~cloud", 2000000000, [["m06"], ["m03"], ["m05"]]), ("cloud~lab", 0, [["m04"], ["m03"]])],
    ),
    ("types=compute_commitment,equity_investment", [("cloud~lab", 0, [["m04"], ["m03"]])]),
    ("to=2023-06-29", [("cloud~lab", 0, [["m04"], ["m03"]])]),
    ("from=2023-06-02", [("chips~lab~neo", 0, [["m06"], ["m16"], ["m13"]])]),  # m03 and m04 are out
    ("from=2023-09-13", []),  # Chip Works' stake in the lab (m06) closes both remaining loops
]


@pytest.mark.parametrize(("query", "expected"), MINI_CYCLES, ids=[q or "default" for q, _ in MINI_CYCLES])
def test_cycles_by_hand(mini_client, query, expected):
    response = mini_client.get(f"/api/cycles?{query}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["view", "query", "capped", "cap_reason", "count", "cycles"]
    assert (body["capped"], body["cap_reason"], body["count"]) == (False, "", len(expected))
    assert [(c["id"], c["bottleneck_usd"], [h["deal_ids"] for h in c["hops"]]) for c in body["cycles"]] == expected


def test_cycle_record_by_hand(mini_client):
    cycle = mini_client.get("/api/cycles").get_json()["cycles"][0]
    assert cycle == {
        "id": "chips~lab~cloud",
        "companies": ["chips", "lab", "cloud"],
        "names": ["Chip Works", "Frontier Lab", "Hyper Cloud"],
        "bottleneck_usd": 2000000000,
        "latest": "2023-09-12",
        "hops": [
            {
                "from_id": "chips",
                "to_id": "lab",
                "deal_ids": ["m06"],
                "stated_usd": 2000000000,
                "qualifiers": ["exact"],
                "undisclosed": False,
            },
            {
                "from_id": "lab",
                "to_id": "cloud",
                "deal_ids": ["m03"],
                "stated_usd": 10000000000,
                "qualifiers": ["up_to"],
                "undisclosed": False,
            },
            {
                "from_id": "cloud",
                "to_id": "chips",
                "deal_ids": ["m05"],
                "stated_usd": 4000000000,
                "qualifiers": ["about"],
                "undisclosed": False,
            },
        ],
    }


def test_cycles_bad_query_is_a_400(mini_client):
    response = mini_client.get("/api/cycles?to=2025-13")
    assert response.status_code == 400 and response.get_json()["param"] == "to"
    assert mini_client.get("/api/cycles").headers["ETag"]


# --- the shipped dataset: smoke tests ---------------------------------------------------------


def test_unfiltered_view_has_every_deal(client, atlas):
    assert client.get("/api/deals").get_json()["count"] == len(atlas.dataset.deals)


def test_shipped_cycles_answer(client):
    body = client.get("/api/cycles?to=2025-11").get_json()
    assert body["count"] == 18  # the same 18 loops the page lists (tests/test_callbacks.py)
    assert "anthropic~microsoft" in {c["id"] for c in body["cycles"]}


def test_deals_json_shape(client):
    response = client.get("/api/deals?types=chip_supply,equity_investment&from=2025-01")
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["view", "query", "count", "deals"]
    assert body["query"] == "?types=equity_investment,chip_supply&from=2025-01"  # canonical form
    view = body["view"]
    assert view == exported_view(["equity_investment", "chip_supply"], "2025-01-01", view["to"], view["roles"])
    for deal in body["deals"]:
        assert list(deal) == list(DEAL_FIELDS)
        assert deal["deal_type"] in ("equity_investment", "chip_supply")
        assert deal["date"] >= "2025-01-01" and len(deal["date"]) == 10
        assert deal["amount_usd"] is None or type(deal["amount_usd"]) is int  # whole dollars throughout the data
        assert deal["compute_gw"] is None or type(deal["compute_gw"]) is float
        if deal["amount_usd"] is None:
            assert deal["amount_as_stated"] == "undisclosed"
        assert deal["from_name"] and deal["to_name"]


def test_key_order_survives_json(client):
    raw = client.get("/api/deals?types=acquisition").get_data(as_text=True)
    assert raw.index('"view"') < raw.index('"query"') < raw.index('"count"') < raw.index('"deals"')
    assert raw.index('"id"') < raw.index('"date"') < raw.index('"notes"')


def test_deals_csv_headers_and_text(mini_client):
    response = mini_client.get("/api/deals.csv?types=chip_supply")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ai-alliance-deals.csv"'
    assert response.get_data(as_text=True) == MINI_CHIP_SUPPLY_CSV


def test_empty_csv_still_has_header(client):
    rows = list(csv.reader(io.StringIO(client.get("/api/deals.csv?min_amount=1e13").get_data(as_text=True))))
    assert rows == [list(DEAL_FIELDS)]


def test_csv_matches_json(client):
    deals = client.get("/api/deals?roles=chipmaker").get_json()["deals"]
    text = client.get("/api/deals.csv?roles=chipmaker").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(deals)
    for row, deal in zip(rows, deals, strict=True):
        assert row["summary"] == deal["summary"] and row["notes"] == deal["notes"]
        assert row["amount_usd"] == ("" if deal["amount_usd"] is None else str(deal["amount_usd"]))


BAD_QUERIES = [
    ("types=warp_drive", "types"),
    ("types=chip_supply,warp_drive", "types"),
    ("roles=alien", "roles"),
    ("depth=7", "depth"),
    ("from=2025-13", "from"),
    ("to=yesterday", "to"),
    ("from=2025-11&to=2025-10", "from"),
    ("min_amount=abc", "min_amount"),
    ("min_amount=-5", "min_amount"),
    ("min_amount=nan", "min_amount"),
    ("view=foo", "view"),
    ("embed=maybe", "embed"),
    ("company=nobody", "company"),
    ("deal=nope", "deal"),
    ("cycle=%3Cscript%3E", "cycle"),
    ("types=%3Cscript%3Ealert(1)%3C/script%3E", "types"),
    ("&".join(f"p{i}=1" for i in range(150)), "query"),
]


@pytest.mark.parametrize(("query", "param"), BAD_QUERIES, ids=[q[:40] for q, _ in BAD_QUERIES])
@pytest.mark.parametrize("path", ["/api/deals", "/api/deals.csv", "/api/companies"])
def test_bad_params_are_a_400(client, path, query, param):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "param"}
    assert body["param"] == param
    assert body["error"]
    assert b"<" not in response.data and b"script" not in response.data


def test_undecodable_query_bytes_are_a_400(client):
    response = client.get("/api/deals", environ_overrides={"QUERY_STRING": "types=\xff\xfe"})  # raw bytes
    assert response.status_code == 400
    assert response.get_json() == {"error": "The query string is not valid UTF-8.", "param": "query"}


GARBAGE = [
    "%ff%fe%00",
    "%",
    "%%%25%zz",
    "&&&&",
    "=",
    "==&==&=x",
    "types",
    "types=%E2%80%AE%F0%9F%92%A5",
    "from=%00&to=%0a",
    "min_amount=1e999999",
    "min_amount=" + "9" * 5000,
    "from=0001-01&to=9999-12",
    "from=1500-01",
    "a" * 20000,
    "types=" + "chip_supply," * 3000,
    "&".join(["types=chip_supply"] * 99),
    "&".join(["types=chip_supply"] * 500),
    "focus=" + "%C3%A9" * 1000,
    "cycle=" + "~".join(["openai"] * 500),
]


@pytest.mark.parametrize("query", GARBAGE, ids=range(len(GARBAGE)))
@pytest.mark.parametrize("path", ["/api/deals", "/api/deals.csv", "/api/companies"])
def test_garbage_never_500s(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.get_json()) == {"error", "param"}


def test_repeated_param_last_wins(client):
    body = client.get("/api/deals?types=acquisition&types=chip_supply").get_json()
    assert body["view"]["types"] == ["chip_supply"]
    assert {d["deal_type"] for d in body["deals"]} == {"chip_supply"}


def test_cache_headers_and_etag(client):
    first = client.get("/api/deals?types=chip_supply,equity_investment")
    same_view = client.get("/api/deals?types=equity_investment,chip_supply")
    other = client.get("/api/deals?types=chip_supply")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] and first.headers["ETag"] == same_view.headers["ETag"]
    assert first.headers["ETag"] != other.headers["ETag"]
    assert first.headers["ETag"] != client.get("/api/deals.csv?types=chip_supply,equity_investment").headers["ETag"]
    again = client.get(
        "/api/deals?types=chip_supply,equity_investment", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    # weak (a gzipped copy is the same answer): W/ and 20 hex digits in quotes
    assert re.fullmatch(r'W/"[0-9a-f]{20}"', first.headers["ETag"]), first.headers["ETag"]


# Every cached answer of /api/* and the feed, before and after a data update (one deal added):
# a client holding the old ETag must get the new data, never a 304 for stale data.
UPDATED_PATHS = ["/api/deals", "/api/deals.csv", "/api/companies", "/api/cycles", "/api/rounds", "/feed.atom"]


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory):
    folder = tmp_path_factory.mktemp("update")
    rows = [deal_row(d) for d in TINY_DEALS]
    before = write_dataset(folder / "before", deals=rows)
    added = ("d8", "2025-04-01", "app", "cloud", "compute_commitment", "2000000000", "exact", "", "announced")
    after = write_dataset(folder / "after", deals=[*rows, deal_row(added)])
    return [
        create_app(Settings(data_dir=data), atlas=build_atlas(load_dataset(data))).server.test_client()
        for data in (before, after)
    ]


@pytest.mark.parametrize("path", UPDATED_PATHS)
def test_an_etag_from_before_a_data_update_gets_the_new_data(before_and_after, path):
    old_client, new_client = before_and_after
    old = old_client.get(path)
    assert old.status_code == 200 and old.headers["ETag"]
    assert old_client.get(path, headers={"If-None-Match": old.headers["ETag"]}).status_code == 304
    fresh = new_client.get(path, headers={"If-None-Match": old.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != old.headers["ETag"]
    assert fresh.data  # the whole answer, not an empty 304


def test_companies_unfiltered_is_everyone(client, atlas):
    for query in ("", "view=sankey&focus=openai", "types=" + ",".join(DEAL_TYPES)):  # all types = no filter
        body = client.get(f"/api/companies?{query}").get_json()
        assert body["count"] == len(atlas.dataset.companies) == len(body["companies"])
        assert [c["id"] for c in body["companies"]] == list(atlas.dataset.companies.index)


def test_companies_in_a_filtered_shipped_view(client):
    ids = {
        c["id"] for c in client.get("/api/companies?types=chip_supply&from=2025-09&to=2025-09").get_json()["companies"]
    }
    assert ids == {"openai", "nvidia"}  # September 2025 holds one chip deal; OpenAI–AMD (October) is outside
    assert client.get("/api/companies?min_amount=1e13").get_json() == {"count": 0, "companies": []}


def test_company_record_shape(client, atlas):
    company = client.get("/api/companies").get_json()["companies"][0]
    assert list(company) == list(COMPANY_FIELDS)
    assert isinstance(company["roles"], list) and company["primary_role"] in company["roles"]


def test_register_is_idempotent(server, atlas):
    rules = sorted(str(r) for r in server.url_map.iter_rules())
    api.register(server, atlas)
    assert sorted(str(r) for r in server.url_map.iter_rules()) == rules
    assert {"api_deals", "api_deals_csv", "api_companies"} <= set(server.view_functions)


def test_deals_carry_counted_and_supersedes(client):
    deals = {d["id"]: d for d in client.get("/api/deals").get_json()["deals"]}
    loi, stake = deals["2025-09-22-nvidia-openai-equity"], deals["2026-02-27-nvidia-openai-equity"]
    assert (loi["counted"], loi["status"], loi["supersedes"]) == (False, "superseded", "")
    assert (stake["counted"], stake["supersedes"]) == (True, "2025-09-22-nvidia-openai-equity")
    assert deals["2024-11-27-softbank-openai-equity"]["counted"] is False  # secondary purchase
    assert deals["2024-11-27-softbank-openai-equity"]["amount_kind"] == "secondary"


def test_csv_carries_counted_and_supersedes(client):
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(client.get("/api/deals.csv").get_data(as_text=True)))}
    assert rows["2026-02-27-nvidia-openai-equity"]["counted"] == "true"
    assert rows["2026-02-27-nvidia-openai-equity"]["supersedes"] == "2025-09-22-nvidia-openai-equity"
    assert rows["2025-09-22-nvidia-openai-equity"]["counted"] == "false"


def test_rounds_endpoint(client, atlas):
    response = client.get("/api/rounds")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["count"] == len(body["rounds"]) == len(atlas.dataset.rounds)
    series_h = next(r for r in body["rounds"] if r["id"] == "anthropic-2026-05-series-h")
    assert {k: series_h[k] for k in ("company_id", "date", "total_usd", "qualifier", "total_as_stated")} == {
        "company_id": "anthropic",
        "date": "2026-05-28",
        "total_usd": 50000000000,
        "qualifier": "exact",
        "total_as_stated": "$50B",
    }  # the $65B headline less $15B counted on the April rows
    assert len(series_h["deal_ids"]) == 4 and "Coatue" in series_h["leads"]
    assert response.headers["Cache-Control"] and response.headers["ETag"]


def test_healthz_reports_freshness(client, atlas):
    body = client.get("/healthz").get_json()
    assert body["covered_through"] == atlas.dataset.covered_through
    assert body["covered_through"] >= atlas.dataset.deals["date"].max().strftime("%Y-%m-%d")
    assert body["compiled_on"] == atlas.dataset.compiled_on
