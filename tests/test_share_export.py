"""The embed snippet and the download buttons, against expectations written by hand.

The buttons and /api/deals(.csv) share alliance.export.deals_export: for the same view both
give the same bytes, and an empty view still downloads a CSV header row.
"""

from __future__ import annotations

import json

import pytest

from alliance.export import DEAL_FIELDS, _number, deals_export, records_to_csv
from alliance.viewstate import parse
from components.factory import create_app
from components.share import embed_links, embed_snippet, export_download

from .test_api import MINI_CHIP_SUPPLY_CSV

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
    assert body["view"] == {
        "types": ["debt_financing"],
        "roles": ["investor", "model_lab", "cloud_provider", "neocloud", "chipmaker", "infrastructure", "application"],
        "from": "2023-02-15",
        "to": "2025-12-31",
        "focus": None,
        "depth": 1,
        "min_amount": 0,
        "company": None,
        "deal": None,
        "cycle": None,
        "view": "network",
        "sources": "all",
    }
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
    [(1e9, 1000000000), (2.5e9, 2500000000), (0.0, 0), (1.5, 1.5), (float("nan"), None), (None, None)],
)
def test_whole_numbers_become_ints(value, expected):
    result = _number(value)
    assert result == expected and type(result) is type(expected)


def test_records_to_csv_cells():
    text = records_to_csv([{"a": 1000000000, "b": None, "c": True, "d": ["x", "y"], "e": "=cmd"}], "abcde")
    assert text == "a,b,c,d,e\r\n1000000000,,true,x;y,'=cmd\r\n"
    assert records_to_csv([], ("a", "b")) == "a,b\r\n"
