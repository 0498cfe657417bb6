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

from .helpers import TINY_DEALS, deal_row, write_dataset


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
