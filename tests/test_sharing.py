"""Links that unfurl: per-view Open Graph tags (escaped), /preview.png (a real render, decoded)
and /feed.atom (parsed as Atom), in-process through Flask's test client."""

from __future__ import annotations

import io
import re
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from alliance.money import stated_total
from alliance.sharing import head_tags
from alliance.text import view_description, view_title
from alliance.viewstate import parse
from components import preview
from components.factory import create_app
from components.settings import Settings, SettingsError

from .helpers import head_of

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ATOM = "{http://www.w3.org/2005/Atom}"
NOV_2025 = "from=2025-11&to=2025-11"
MARKUP = '"><script>probe4242()</script><img src=x onerror=probe4343()>'
PARAMS = (
    "types",
    "roles",
    "from",
    "to",
    "focus",
    "depth",
    "min_amount",
    "company",
    "deal",
    "cycle",
    "view",
    "embed",
    "scroll",
    "utm_source",
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("previews")


@pytest.fixture(scope="module")
def app(shipped_atlas, cache_dir):
    return create_app(Settings(preview_cache_dir=cache_dir), atlas=shipped_atlas)


@pytest.fixture()
def client(app):
    return app.server.test_client()


# --- wording -------------------------------------------------------------------------------


def test_view_title_and_description_for_nov_2025(shipped_atlas):
    from alliance.filters import filter_deals

    state, _ = parse(NOV_2025, shipped_atlas.context)
    assert view_title(state) == "Who funds, supplies and hosts whom · Nov 2025"
    assert (
        view_description(
            filter_deals(shipped_atlas.dataset, state),
            state,
            stated_total(filter_deals(shipped_atlas.dataset, state), shipped_atlas.dataset)[0],
        )
        == "18 deals · $103.8B stated · Nov 2025"
    )


def test_nov_2025_link_unfurls_as_that_view(client):
    head = head_of(client.get("/?" + NOV_2025).get_data(as_text=True))
    assert head.meta["og:title"] == "Who funds, supplies and hosts whom · Nov 2025"
    assert head.meta["og:description"] == "18 deals · $103.8B stated · Nov 2025"
    assert head.meta["og:url"] == "http://localhost/?from=2025-11&to=2025-11"
    assert head.meta["og:image"] == "http://localhost/preview.png?from=2025-11&to=2025-11"
    assert head.meta["og:image:width"] == "1200" and head.meta["og:image:height"] == "630"
    assert head.meta["og:type"] == "website"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    canonical = [link for link in head.links if link.get("rel") == "canonical"]
    assert canonical == [{"rel": "canonical", "href": "http://localhost/?from=2025-11&to=2025-11"}]
    feeds = [link for link in head.links if link.get("type") == "application/atom+xml"]
    assert [(f["rel"], f["href"]) for f in feeds] == [("alternate", "http://localhost/feed.atom")]


def test_embed_link_points_at_the_full_page_and_shares_the_image(client):
    head = head_of(
        client.get("/?" + NOV_2025 + "&embed=1&scroll=1&deal=2025-11-03-iren-dell-chips").get_data(as_text=True)
    )
    assert head.meta["og:url"] == "http://localhost/?from=2025-11&to=2025-11&deal=2025-11-03-iren-dell-chips"
    assert head.meta["og:image"] == "http://localhost/preview.png?from=2025-11&to=2025-11"
    assert head.meta["og:description"] == (
        "IREN → Dell Technologies: Chip supply, about $5.8B — 18 deals · $103.8B stated · Nov 2025"
    )


def test_a_deal_link_in_russian_names_its_deal_in_russian(client):
    """The deal's headline before the view's numbers is in the link's language (it was English
    on a Russian link: "IREN → Dell Technologies: Chip supply, about $5.8B — 18 сделок …")."""
    head = head_of(client.get("/?" + NOV_2025 + "&lang=ru&deal=2025-11-03-iren-dell-chips").get_data(as_text=True))
    assert head.meta["og:description"] == (
        "IREN → Dell Technologies: Поставка чипов, около 5,8 млрд $ — 18 сделок · названо 103,8 млрд $ · ноя 2025"
    )
    assert head.meta["og:locale"] == "ru_RU" and head.meta["og:site_name"] == "Карта альянсов ИИ"


def test_feed_link_keeps_the_kinds_of_deals_but_not_the_window(client):
    head = head_of(client.get("/?types=chip_supply&from=2025-01&min_amount=1000000000").get_data(as_text=True))
    feed = next(link for link in head.links if link.get("type") == "application/atom+xml")
    assert feed["href"] == "http://localhost/feed.atom?types=chip_supply&min_amount=1000000000"
    assert head.meta["og:description"].endswith("· Jan 2025 – Jun 2026 · Chip supply")


def test_bad_parameters_fall_back_as_on_the_page(client):
    head = head_of(client.get("/?from=2025-99&types=nonsense&to=2025-11").get_data(as_text=True))
    assert head.meta["og:title"] == "Who funds, supplies and hosts whom · Jul 2019 – Nov 2025"
    assert head.meta["og:url"] == "http://localhost/?to=2025-11"


def test_public_url_setting_is_used_for_absolute_links(shipped_atlas, cache_dir):
    app = create_app(Settings(public_url="https://map.example.com", preview_cache_dir=cache_dir), atlas=shipped_atlas)
    head = head_of(app.server.test_client().get("/?" + NOV_2025).get_data(as_text=True))
    assert head.meta["og:url"] == "https://map.example.com/?from=2025-11&to=2025-11"
    assert head.meta["og:image"] == "https://map.example.com/preview.png?from=2025-11&to=2025-11"


@pytest.mark.parametrize("param", PARAMS)
def test_markup_in_any_parameter_never_reaches_the_page(client, param):
    html = client.get(
        "/", query_string={param: MARKUP, "from": "2025-11"} if param != "from" else {param: MARKUP}
    ).get_data(as_text=True)
    head = html[: html.index("</head>")]
    assert "probe4242" not in html and "probe4343" not in html and "onerror" not in html
    # Dash's own scripts live in the body; the head holds only the page's config, which is data
    assert head.count("<script") == head.count('<script id="alliance-config" type="application/json">') == 1
    assert head_of(html).meta["og:title"].startswith("Who funds, supplies and hosts whom · ")


def test_markup_in_the_host_header_never_reaches_the_page(shipped_atlas, cache_dir):
    """Not even with ALLOWED_HOSTS=* : a Host that is not host[:port] answers 400, unechoed."""
    for hosts in (Settings().allowed_hosts, ("*",)):
        client = create_app(
            Settings(preview_cache_dir=cache_dir, allowed_hosts=hosts), atlas=shipped_atlas
        ).server.test_client()
        response = client.get("/?" + NOV_2025, headers={"Host": 'evil.example"><script>x()</script>'})
        assert response.status_code == 400
        assert "<script>x()" not in response.get_data(as_text=True)


def test_head_tags_escape_every_value():
    values = {
        "title": MARKUP + " & co",
        "description": "<b>d</b>'\"",
        "page_url": 'http://h/?a=1&b="><x>',
        "image_url": "http://h/p.png?<y>",
        "feed_url": "http://h/f?'z'",
    }
    html = "<head>" + head_tags(**values) + "</head>"
    assert "<script" not in html and "<b>" not in html and "<x>" not in html and "<y>" not in html
    head = head_of(html)
    assert head.tags == ["head"] + ["meta"] * 14 + ["link", "link"]  # nothing injected broke out of an attribute
    assert head.meta["og:title"] == values["title"] and head.meta["og:description"] == values["description"]
    assert head.meta["og:url"] == values["page_url"] and head.meta["og:image"] == values["image_url"]
    assert head.links[1]["href"] == values["feed_url"]


# --- /preview.png ------------------------------------------------------------------------------


def decoded(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image.convert("RGB")


def assert_looks_like_a_card(image: Image.Image):
    assert image.size == (1200, 630)
    pixels = list(image.getdata())
    inked = sum(1 for r, g, b in pixels if r + g + b < 600)  # clearly not white
    assert inked > 0.01 * len(pixels), f"only {inked} non-white pixels"
    assert len(set(image.resize((300, 158)).getdata())) > 50  # colours, not a flat fill


def test_preview_png_renders_the_view_and_is_cached(client, cache_dir):
    first = client.get("/preview.png?" + NOV_2025)
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert first.headers["X-Preview"] == "rendered", "Chromium/kaleido could not render (see the log)"
    image = decoded(first.data)
    assert_looks_like_a_card(image)
    if ARTIFACTS.exists():
        image.save(ARTIFACTS / "preview-nov-2025.png")  # to look at
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    etag = first.headers["ETag"]
    assert len(list(cache_dir.glob("*.png"))) == 1
    # the embed flag and an open panel do not change the picture: same file, no second render
    again = client.get("/preview.png?" + NOV_2025 + "&embed=1&deal=2025-11-03-iren-dell-chips")
    assert again.headers["X-Preview"] == "cached" and again.headers["ETag"] == etag and again.data == first.data
    assert client.get("/preview.png?" + NOV_2025, headers={"If-None-Match": etag}).status_code == 304


def test_shipped_default_card_is_a_card():
    assert_looks_like_a_card(decoded(preview.DEFAULT_CARD.read_bytes()))


def failing_render(figure, timeout):
    raise RuntimeError("no browser here")


def test_render_failure_sends_the_default_card_and_caches_nothing(tmp_path):
    card = preview.DEFAULT_CARD.read_bytes()
    renderer = preview.PreviewRenderer(tmp_path / "cache", 2.0, card, failing_render)
    result = renderer.get("k", dict)
    assert result.source == "fallback" and result.body == card
    assert not (tmp_path / "cache" / "k.png").exists()


def test_route_falls_back_when_rendering_fails(tiny_dir, tmp_path):
    atlas = build_atlas(load_dataset(tiny_dir))
    server = Flask("preview-test")
    preview.register(server, atlas, Settings(preview_cache_dir=tmp_path / "cache"), render=failing_render)
    response = server.test_client().get("/preview.png?types=<script>&from=2024-01")
    assert response.status_code == 200 and response.headers["X-Preview"] == "fallback"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert_looks_like_a_card(decoded(response.data))


def test_a_figure_that_cannot_be_built_sends_the_default_card(tmp_path):
    renderer = preview.PreviewRenderer(tmp_path, 2.0, b"\x89PNG\r\n\x1a\nfallback", lambda f, t: b"\x89PNG\r\n\x1a\n")
    assert renderer.get("k", lambda: {}["missing"]).source == "fallback"


def test_not_a_png_is_a_failure(tmp_path):
    renderer = preview.PreviewRenderer(tmp_path, 2.0, b"\x89PNG\r\n\x1a\nfallback", lambda f, t: b"<html>")
    assert renderer.get("k", dict).source == "fallback"


def test_a_slow_render_is_cut_off_at_the_timeout(tmp_path):
    release = threading.Event()

    def hanging(figure, timeout):
        release.wait(10)
        return b"\x89PNG\r\n\x1a\nlate"

    renderer = preview.PreviewRenderer(tmp_path, 0.5, b"\x89PNG\r\n\x1a\nfallback", hanging)
    started = time.monotonic()
    assert renderer.get("k", dict).source == "fallback"
    assert time.monotonic() - started < 5.0  # cut off at 0.5 s, far sooner than the 10 s the render hangs
    release.set()


def test_one_render_at_a_time(tmp_path):
    running, peak, lock = [0], [0], threading.Lock()

    def slow(figure, timeout):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)  # part of what is tested: a slow render (the stub), so that renders could overlap
        with lock:
            running[0] -= 1
        return b"\x89PNG\r\n\x1a\n" + figure["key"].encode()

    renderer = preview.PreviewRenderer(tmp_path, 5.0, b"\x89PNG\r\n\x1a\nfallback", slow)
    results = {}
    threads = [
        threading.Thread(target=lambda k=k: results.update({k: renderer.get(k, lambda: {"key": k})}))
        for k in ("a", "b", "c", "a")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1
    assert {k: r.body for k, r in results.items()} == {k: b"\x89PNG\r\n\x1a\n" + k.encode() for k in "abc"}
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["a.png", "b.png", "c.png"]


def test_cache_key_follows_dataset_version_and_view():
    assert preview.cache_key("v1", "?from=2025-11") == preview.cache_key("v1", "?from=2025-11")
    assert preview.cache_key("v1", "?from=2025-11") != preview.cache_key("v2", "?from=2025-11")
    assert preview.cache_key("v1", "?from=2025-11") != preview.cache_key("v1", "?from=2025-12")


# --- /feed.atom ---------------------------------------------------------------------------------


def parse_feed(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag == ATOM + "feed"
    return root


def assert_atom_structure(root: ET.Element):
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    for tag in ("id", "title", "updated"):
        assert len(root.findall(ATOM + tag)) == 1 and root.find(ATOM + tag).text
    assert stamp.match(root.find(ATOM + "updated").text)
    assert root.find(f"{ATOM}author/{ATOM}name").text
    rels = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert set(rels) == {"self", "alternate"}
    for entry in root.findall(ATOM + "entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert len(entry.findall(ATOM + tag)) == 1 and entry.find(ATOM + tag).text
        assert entry.find(ATOM + "id").text.startswith("urn:uuid:")
        assert stamp.match(entry.find(ATOM + "updated").text)
        alternate = [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1
        assert entry.find(ATOM + "category").get("term")


def test_feed_has_the_50_newest_deals(client, shipped_atlas):
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300" and response.headers["ETag"]
    root = parse_feed(response.data)
    assert_atom_structure(root)
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 50
    newest, second = entries[:2]
    assert newest.find(ATOM + "title").text == "Reflection AI → SpaceX: Compute / cloud commitment, up to $6.3B"
    assert newest.find(ATOM + "updated").text == "2026-06-22T00:00:00Z"
    assert second.find(ATOM + "title").text == "Meta → Crusoe: Compute / cloud commitment, undisclosed"
    assert second.find(ATOM + "updated").text == "2026-06-18T00:00:00Z"
    links = [(link.get("rel"), link.get("href")) for link in second.findall(ATOM + "link")]
    assert links[0] == ("alternate", "http://localhost/?deal=2026-06-18-meta-crusoe-compute")
    assert links[1][0] == "related" and links[1][1].startswith("https://theoutpost.ai/")
    dates = [e.find(ATOM + "updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    ids = [e.find(ATOM + "id").text for e in entries]
    assert len(set(ids)) == 50
    assert {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")} == {
        "self": "http://localhost/feed.atom",
        "alternate": "http://localhost/",
    }


def test_feed_follows_one_kind_of_deal(client):
    root = parse_feed(client.get("/feed.atom?types=chip_supply").data)
    assert_atom_structure(root)
    assert root.find(ATOM + "title").text == "AI Alliance Map: new deals (Chip supply)"
    terms = {e.find(ATOM + "category").get("term") for e in root.findall(ATOM + "entry")}
    assert terms == {"chip_supply"}


def test_the_feed_etag_follows_the_public_host(tiny_dir, tmp_path):
    """The feed's links are absolute: a cache must not answer 304 for a feed naming another host."""
    atlas = build_atlas(load_dataset(tiny_dir))
    clients = [
        create_app(Settings(data_dir=tiny_dir, public_url=url), atlas=atlas).server.test_client()
        for url in ("https://one.example", "https://two.example")
    ]
    one, two = (client.get("/feed.atom?types=chip_supply") for client in clients)
    assert b"https://one.example/?deal=d3" in one.data and b"https://two.example/?deal=d3" in two.data
    assert one.headers["ETag"] != two.headers["ETag"]
    again = clients[1].get("/feed.atom?types=chip_supply", headers={"If-None-Match": one.headers["ETag"]})
    assert again.status_code == 200 and b"https://two.example/" in again.data


def test_feed_on_the_tiny_dataset(tiny_dir):
    atlas = build_atlas(load_dataset(tiny_dir))
    client = create_app(Settings(data_dir=tiny_dir), atlas=atlas).server.test_client()
    root = parse_feed(client.get("/feed.atom?types=chip_supply").data)
    assert_atom_structure(root)
    (entry,) = root.findall(ATOM + "entry")
    assert entry.find(ATOM + "title").text == "Cloud Co → Chips Inc: Chip supply, undisclosed"
    assert entry.find(ATOM + "updated").text == "2024-06-20T00:00:00Z"
    # d3 is an announced chip purchase: contracted (the money state the feed names)
    assert entry.find(ATOM + "summary").text == "Test deal d3 (announced; contracted; source: Example)"
    links = [(link.get("rel"), link.get("href")) for link in entry.findall(ATOM + "link")]
    assert links == [("alternate", "http://localhost/?deal=d3"), ("related", "https://example.com/d3")]
    assert root.find(ATOM + "updated").text == "2025-12-01T00:00:00Z"  # the dataset's as_of
    empty = parse_feed(client.get("/feed.atom?min_amount=1e13").data)
    assert_atom_structure(empty)
    assert empty.findall(ATOM + "entry") == []


def test_entry_ids_do_not_depend_on_the_host(shipped_atlas, cache_dir):
    client = create_app(
        Settings(preview_cache_dir=cache_dir, allowed_hosts=("localhost", "other.example")), atlas=shipped_atlas
    ).server.test_client()
    one = parse_feed(client.get("/feed.atom").data).find(f"{ATOM}entry/{ATOM}id").text
    other = (
        parse_feed(client.get("/feed.atom", headers={"Host": "other.example"}).data).find(f"{ATOM}entry/{ATOM}id").text
    )
    assert one == other


@pytest.mark.parametrize(
    "query, param", [("types=<script>", "types"), ("from=2025-99", "from"), ("min_amount=-1", "min_amount")]
)
def test_bad_feed_parameters_are_a_400_like_the_api(client, query, param):
    response = client.get("/feed.atom?" + query)
    assert response.status_code == 400
    assert response.get_json()["param"] == param
    assert "<script" not in response.get_data(as_text=True)


# --- end to end, as a chat app would see it ---------------------------------------------------------


@pytest.mark.browser
def test_served_link_unfurls_with_a_picture_of_the_map(tmp_path):
    """gunicorn as in production: read the page's og:image, fetch it, decode it."""
    import urllib.request

    from .browser import served

    with served({"PREVIEW_CACHE_DIR": str(tmp_path)}) as base:
        with urllib.request.urlopen(f"{base}/?{NOV_2025}", timeout=30) as response:
            head = head_of(response.read().decode("utf-8"))
        assert head.meta["og:title"] == "Who funds, supplies and hosts whom · Nov 2025"
        assert head.meta["og:image"] == f"{base}/preview.png?from=2025-11&to=2025-11"
        with urllib.request.urlopen(head.meta["og:image"], timeout=60) as response:
            assert response.headers["Content-Type"] == "image/png"
            assert response.headers["X-Preview"] == "rendered"
            assert_looks_like_a_card(decoded(response.read()))
        feed = next(link["href"] for link in head.links if link.get("type") == "application/atom+xml")
        with urllib.request.urlopen(feed, timeout=30) as response:
            assert_atom_structure(parse_feed(response.read()))


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [
        {"PUBLIC_URL": "javascript:alert(1)"},
        {"PUBLIC_URL": "https://a.example/?q=1"},
        {"PREVIEW_TIMEOUT": "0"},
        {"PREVIEW_TIMEOUT": "999"},
        {"PREVIEW_TIMEOUT": "soon"},
    ],
)
def test_invalid_sharing_settings_stop_start_up(env):
    with pytest.raises(SettingsError):
        Settings.from_env(env)


def test_preview_cache_may_not_live_in_the_data(tmp_path):
    with pytest.raises(SettingsError):
        Settings.from_env({"DATA_DIR": str(tmp_path), "PREVIEW_CACHE_DIR": str(tmp_path / "previews")})


def test_sharing_settings_from_env(tmp_path):
    settings = Settings.from_env(
        {"PUBLIC_URL": "https://map.example.com/", "PREVIEW_CACHE_DIR": str(tmp_path), "PREVIEW_TIMEOUT": "7.5"}
    )
    assert (settings.public_url, settings.preview_cache_dir, settings.preview_timeout) == (
        "https://map.example.com",
        tmp_path,
        7.5,
    )


# --- The <head> tags of a shared link, written out whole, in English and Russian. (From mutation testing,
# tests/MUTATION.md.)


VALUES = {
    "title": "Deals & more",
    "description": "3 deals",
    "page_url": "https://m.example/?a=1&b=2",
    "image_url": "https://m.example/preview.png?a=1",
    "feed_url": "https://m.example/feed.atom?t=<x>",
}


def expected(site: str, locale: list[str], alt: str) -> str:
    return "\n      ".join(
        [
            '<meta property="og:type" content="website">',
            f'<meta property="og:site_name" content="{site}">',
            *locale,
            '<meta property="og:title" content="Deals &amp; more">',
            '<meta property="og:description" content="3 deals">',
            '<meta property="og:url" content="https://m.example/?a=1&amp;b=2">',
            '<meta property="og:image" content="https://m.example/preview.png?a=1">',
            '<meta property="og:image:type" content="image/png">',
            '<meta property="og:image:width" content="1200">',
            '<meta property="og:image:height" content="630">',
            f'<meta property="og:image:alt" content="{alt}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<meta name="twitter:title" content="Deals &amp; more">',
            '<meta name="twitter:description" content="3 deals">',
            '<meta name="twitter:image" content="https://m.example/preview.png?a=1">',
            '<link rel="canonical" href="https://m.example/?a=1&amp;b=2">',
            '<link rel="alternate" type="application/atom+xml" title="AI Alliance Map: new deals" '
            'href="https://m.example/feed.atom?t=&lt;x&gt;">',
        ]
    )


def test_head_tags_without_a_language():
    assert head_tags(**VALUES) == expected("AI Alliance Map", [], "Network map of AI deals: Deals &amp; more")


def test_head_tags_in_english():
    assert head_tags(**VALUES, lang="en") == expected(
        "AI Alliance Map", ['<meta property="og:locale" content="en_US">'], "Network map of AI deals: Deals &amp; more"
    )


def test_head_tags_in_russian():
    assert head_tags(**VALUES, lang="ru") == expected(
        "Карта альянсов ИИ",
        ['<meta property="og:locale" content="ru_RU">'],
        "Сетевая карта сделок в ИИ: Deals &amp; more",
    )
