"""The map's data for the browser (components/mapdata.py) and the route that serves it."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from components.factory import create_app
from components.mapdata import BundleFile, code_key, map_bundle
from components.settings import Settings

from .helpers import TINY_COMPANIES, TINY_DEALS, deal_row, lab_round, write_dataset


def days(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def test_bundle_columns_for_the_tiny_dataset(tiny_atlas):
    bundle = map_bundle(tiny_atlas, "en")
    deals, companies = bundle["deals"], bundle["companies"]
    assert deals["id"] == ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]
    names = [companies["id"][i] for i in deals["from"]]
    assert names == ["fund", "lab", "cloud", "chips", "lab", "cloud", "lab"]
    assert deals["day"][0] == days("2023-03-10") and deals["day"][-1] == days("2025-03-01")
    assert deals["amount"] == [1e9, 3e10, None, 1e10, None, 5e9, 6.5e8]
    assert deals["up_to"] == [0, 0, 0, 1, 0, 1, 0]
    # d3 states no amount, d5 is a model distribution (no money moves): neither can count
    assert deals["countable"] == [1, 1, 0, 1, 0, 1, 1]
    assert deals["supersedes"] == [-1] * 7
    cloud = companies["id"].index("cloud")
    assert companies["roles"][cloud] == (1 << bundle["roles"].index("cloud_provider")) | (
        1 << bundle["roles"].index("investor")
    )
    assert bundle["types"][deals["type"][4]] == "model_distribution"
    assert bundle["months"][0] == [days("2023-03-01"), days("2023-03-31")]
    assert bundle["months"][-1] == [days("2025-03-01"), days("2025-03-31")]
    assert companies["hover"][companies["id"].index("lab")].startswith("<b>Lab AI</b>")


def test_a_yearly_amount_is_never_counted_money_in_the_browser(tmp_path):
    """A per_year amount (a yearly fee, not a one-off payment) is shown but never summed, so
    map.js gets it as neither countable nor flowing; the one-off rows around it still are."""
    rows = [deal_row(d) for d in TINY_DEALS]
    rows[1]["amount_kind"] = "per_year"  # d2: lab -> cloud, $30B compute a year
    atlas = build_atlas(load_dataset(write_dataset(tmp_path / "data", deals=rows)))
    deals = map_bundle(atlas, "en")["deals"]
    assert deals["amount"][1] == 3e10
    assert deals["countable"] == [1, 0, 0, 1, 0, 1, 1]
    assert deals["flowing"] == [1, 0, 1, 1, 0, 1, 1]  # d3: undisclosed, still a flow; d5: no money type


def test_bundle_speaks_russian(tiny_atlas):
    bundle = map_bundle(tiny_atlas, "ru")
    assert bundle["strings"]["money.billion"] == "{value} млрд $"
    assert bundle["strings"]["month.short"][10] == "ноя"
    assert set(bundle["strings"]["map.deals"]) == {"one", "few", "many"}


def test_a_superseded_deal_points_at_its_replacement(mini_atlas):
    bundle = map_bundle(mini_atlas, "en")
    ids = bundle["deals"]["id"]
    # tests/fixtures/mini: m15 replaces m12
    assert bundle["deals"]["supersedes"][ids.index("m15")] == ids.index("m12")
    assert bundle["deals"]["superseded"][ids.index("m12")] == 1
    assert bundle["deals"]["live"][ids.index("m12")] == 0


@pytest.fixture
def served_app(tiny_dir, tmp_path):
    return create_app(Settings(data_dir=tiny_dir, cache_dir=tmp_path / "cache"))


def test_the_route_serves_gzip_with_an_etag_and_answers_304(served_app, tmp_path):
    client = served_app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    start = page.index('<link rel="preload" href="') + len('<link rel="preload" href="')
    url = page[start : page.index('"', start)]
    assert url.startswith("/_alliance/map/") and url.endswith("-en.json")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    bundle = json.loads(gzip.decompress(response.get_data()))
    assert bundle["deals"]["id"][0] == "d1" and bundle["lang"] == "en"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and json.loads(plain.get_data()) == bundle
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/_alliance/map/1-0000-en.json").status_code == 404
    # a name of another release or dataset (a page from an older replica in a rolling update) is
    # sent to this replica's bundle of that language, never served under the name it asked for
    wrong = client.get(url.replace("-en.json", "-ru.json"))
    assert url != url.replace("-en.json", "-ru.json") and wrong.status_code == 307
    assert wrong.headers["Location"].endswith("-ru.json") and wrong.headers["Location"] != url.replace(
        "-en.json", "-ru.json"
    )
    assert list((tmp_path / "cache").glob("mapdata-*-en.json.gz"))  # built once, kept for the next start


def test_a_broken_cache_file_is_rebuilt(tiny_atlas, tmp_path, caplog):
    first = BundleFile.cached(tiny_atlas, "en", tmp_path)
    (path,) = tmp_path.glob("mapdata-*.json.gz")
    assert BundleFile.cached(tiny_atlas, "en", tmp_path).etag == first.etag  # read back
    path.write_bytes(first.gzipped[:40])  # truncated
    rebuilt = BundleFile.cached(tiny_atlas, "en", tmp_path)
    assert rebuilt.etag == first.etag and "unreadable" in caplog.text
    assert json.loads(rebuilt.body)["deals"]["id"][0] == "d1"


def test_the_url_changes_with_the_code_not_only_the_data(monkeypatch):
    before = code_key("en")
    assert code_key("ru") != before  # the messages differ
    monkeypatch.setattr("alliance.drawing.ARROW_PX", 10.0)
    assert code_key("en") != before  # a browser or a cache never keeps an old copy


def exactly(values: list, expected: list) -> None:
    """Equal, and of the same JSON types: map.js reads 0/1 flags and day numbers as integers."""
    assert values == expected
    assert [type(v).__name__ for v in values] == [type(e).__name__ for e in expected]


@pytest.fixture
def rich_atlas(tmp_path):
    """The tiny dataset plus what it lacks: a round (d4 and d6 are its parts), a company without
    deals, a weak-only source (d3) and a money state recorded unlike the default (d1: contracted)."""
    changes = {
        "d1": {"money_state": "contracted"},
        "d3": {"source_tier": "other"},
        "d4": {"group_id": "lab-series-a"},
        "d6": {"group_id": "lab-series-a"},
    }
    deals = [{**deal_row(d), **changes.get(d[0], {})} for d in TINY_DEALS]
    companies = [
        *TINY_COMPANIES,
        {"id": "idle", "name": "Idle Ltd", "roles": "application", "primary_role": "application"},
    ]
    rounds = [lab_round(leads="", source_url="https://example.com/round")]
    return build_atlas(load_dataset(write_dataset(tmp_path / "data", companies=companies, deals=deals, rounds=rounds)))


def test_every_column_of_the_bundle_by_hand(rich_atlas):
    bundle = map_bundle(rich_atlas, "en")
    assert bundle["format"] == 4 and bundle["version"] == rich_atlas.dataset.version
    assert bundle["node_peak"] == rich_atlas.node_peak
    assert bundle["money_states"] == ["paid", "contracted", "conditional"]
    companies = bundle["companies"]
    assert companies["id"] == ["fund", "lab", "cloud", "chips", "app", "idle"]
    assert companies["name"] == ["Fund Capital", "Lab AI", "Cloud Co", "Chips Inc", "App Co", "Idle Ltd"]
    # ROLES order: investor, model_lab, cloud_provider, neocloud, chipmaker, infrastructure, application
    exactly(companies["role"], [0, 1, 2, 4, 6, 6])
    exactly(companies["roles"], [1, 2, 4 | 1, 16 | 1, 64, 64])
    exactly(companies["deals"], [1, 6, 4, 2, 1, 0])  # idle has none
    positions = rich_atlas.geometry.positions
    assert companies["x"] == [round(positions[c][0], 5) for c in companies["id"]]
    assert companies["y"] == [round(positions[c][1], 5) for c in companies["id"]]
    assert companies["x"] != companies["y"]
    deals = bundle["deals"]
    exactly(deals["from"], [0, 1, 2, 3, 1, 2, 1])
    exactly(deals["to"], [1, 2, 3, 1, 2, 1, 4])
    # DEAL_TYPES order: equity 0, compute 1, chips 2, ..., acquisition 4, ..., model_distribution 8
    exactly(deals["type"], [0, 1, 2, 0, 8, 0, 4])
    exactly(
        deals["day"],
        [
            days(d)
            for d in ("2023-03-10", "2024-06-01", "2024-06-20", "2025-01-15", "2025-02-01", "2025-02-03", "2025-03-01")
        ],
    )
    exactly(deals["amount"], [1e9, 3e10, None, 1e10, None, 5e9, 6.5e8])
    exactly(deals["up_to"], [0, 0, 0, 1, 0, 1, 0])
    exactly(deals["countable"], [1, 1, 0, 1, 0, 1, 1])
    exactly(deals["flowing"], [1, 1, 1, 1, 0, 1, 1])
    exactly(deals["live"], [1] * 7)
    exactly(deals["superseded"], [0] * 7)
    exactly(deals["supersedes"], [-1] * 7)
    exactly(deals["strong"], [1, 1, 0, 1, 1, 1, 1])
    exactly(deals["round"], [-1, -1, -1, 0, -1, 0, -1])
    # MONEY_STATES order: paid 0, contracted 1, conditional 2; d5 (no money moves) has none
    exactly(deals["state"], [1, 1, 1, 2, -1, 2, 0])
    exactly(deals["gw"], [None, None, 1.0, None, None, None, None])
    exactly(deals["flow"], [0, 1, 2, 3, 4, 5, 6])  # seven distinct (from, to, type)
    assert bundle["rounds"] == {"to": [1], "total": [2e10]}
    flows = bundle["flows"]
    exactly(flows["from"], deals["from"])
    exactly(flows["to"], deals["to"])
    exactly(flows["type"], deals["type"])
    for controls in (deals, flows):  # one curve per deal here: the same control points
        assert len(controls["cx"]) == 7 and controls["cx"] != controls["cy"]
        assert all(0 <= v <= 1 and round(v, 5) == v for v in controls["cx"] + controls["cy"])
    assert deals["cx"] == flows["cx"] and deals["cy"] == flows["cy"]


def test_hover_texts_are_in_the_bundles_language(rich_atlas):
    hover = map_bundle(rich_atlas, "ru")["deals"]["hover"]
    assert hover[0].startswith("<b>Fund Capital → Lab AI</b><br>Инвестиция в капитал · 1 млрд $")


def test_the_served_file_is_compact_utf8_and_the_same_bytes_on_every_build(tiny_atlas):
    built = BundleFile.build(tiny_atlas, "ru")
    again = BundleFile.build(tiny_atlas, "ru")
    assert built.gzipped == again.gzipped  # every worker serves one ETag
    assert built.gzipped[4:8] == b"\0\0\0\0"  # gzip header mtime 0: no build time in the bytes
    assert built.gzipped[8] == 0  # XFL 0: level 6, not the slower maximum (2)
    assert built.etag.startswith('"') and built.etag.endswith('"') and len(built.etag) == 22  # 20 hex digits
    assert built.body.startswith(b'{"format":4,"version":"')  # no spaces after separators
    assert "млрд".encode() in built.body  # UTF-8, not \\u escapes
    assert json.loads(built.body)["lang"] == "ru"


def test_without_a_cache_dir_the_file_is_built_in_memory(tiny_atlas, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bundle = BundleFile.cached(tiny_atlas, "ru", None)
    assert json.loads(bundle.body)["lang"] == "ru" and not list(tmp_path.glob("**/mapdata-*"))


def test_the_cache_dir_is_created_with_its_parents(tiny_atlas, tmp_path):
    bundle = BundleFile.cached(tiny_atlas, "ru", tmp_path / "a" / "b")
    (path,) = (tmp_path / "a" / "b").iterdir()  # the file alone: no temporary left
    assert path.name.startswith("mapdata-") and path.name.endswith("-ru.json.gz")
    assert path.read_bytes() == bundle.gzipped and json.loads(bundle.body)["lang"] == "ru"


def test_a_cache_that_cannot_be_written_only_logs(tiny_atlas, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    bundle = BundleFile.cached(tiny_atlas, "en", blocker / "cache")
    assert json.loads(bundle.body)["deals"]["id"][0] == "d1"
    (record,) = [r for r in caplog.records if "not written" in r.getMessage()]
    assert record.getMessage().startswith(f"map data cache {blocker / 'cache'}/mapdata-")
    assert record.levelname == "WARNING" and "Errno" in record.getMessage()
