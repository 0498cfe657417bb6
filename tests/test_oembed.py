"""oEmbed: GET /oembed answers a `rich` embed of any view; every page advertises it; a link
to another host or to no view is a 404, format=xml a 501, a malformed bound a 400."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from PIL import Image

from alliance.oembed import Embed, OEmbedError, check_format, embed_size, parse_bound, thumbnail_size, view_query
from alliance.sharing import oembed_url
from components.factory import create_app
from components.settings import Settings

from .helpers import head_of

# --- pure rules, by hand -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected", [(None, None), ("", None), ("1", 1), ("640", 640), ("0960", 960), ("9999999", 10_000)]
)
def test_parse_bound_by_hand(value, expected):
    assert parse_bound(value, "maxwidth") == expected


@pytest.mark.parametrize("value", ["0", "-5", "12.5", "abc", "1e3", " 640", "640px", "99999999", "\u0661\u0662"])
def test_malformed_bounds_are_400(value):
    with pytest.raises(OEmbedError) as caught:
        parse_bound(value, "maxheight")
    assert (caught.value.status, caught.value.param, str(caught.value)) == (
        400,
        "maxheight",
        "maxheight must be a positive whole number of pixels.",
    )


def test_embed_size_by_hand():
    assert embed_size(None, None) == (960, 600)
    assert embed_size(500, None) == (500, 600)
    assert embed_size(None, 300) == (960, 300)
    assert embed_size(2000, 2000) == (960, 600)
    assert embed_size(1, 1) == (1, 1)


def test_thumbnail_size_by_hand():
    full = (1200, 630)
    assert thumbnail_size(full, None, None) == (1200, 630)
    assert thumbnail_size(full, 600, None) == (600, 315)
    assert thumbnail_size(full, None, 315) == (600, 315)
    assert thumbnail_size(full, 1000, 200) == (380, 200)  # 200 × 1200 / 630 = 380.9: the height decides
    assert thumbnail_size(full, 5000, 5000) == (1200, 630)  # never larger than the picture
    assert thumbnail_size(full, 1, 1) == (1, 1)


def test_formats():
    check_format(None)
    check_format("json")
    check_format("")  # format= given empty: the default, JSON
    check_format(None)
    for other in ("xml", "XML", "jsonp", "html"):
        with pytest.raises(OEmbedError) as caught:
            check_format(other)
        assert caught.value.status == 501


def test_view_query_by_hand():
    local = {"localhost", "localhost:8050", "map.example.com"}.__contains__
    assert view_query("http://localhost:8050/?from=2025-11", local) == "from=2025-11"
    assert view_query("https://map.example.com", local) == ""
    assert (
        view_query("https://map.example.com/maps/?types=chip_supply", local, "https://map.example.com/maps")
        == "types=chip_supply"
    )
    # behind a proxy at PUBLIC_URL's path (given with or without its last slash), that path and the
    # app's own root both link to the map
    maps = "https://map.example.com/maps"
    for public in (maps, maps + "/"):
        for link in (maps, maps + "/", "https://map.example.com", "https://map.example.com/"):
            assert view_query(link + "?types=chip_supply", local, public) == "types=chip_supply", (link, public)
    for url in (
        "http://evil.example/?from=2025-11",
        "http://localhost:8050/api/deals",
        "http://localhost:8050/feed.atom",
        "ftp://localhost:8050/",
        "javascript:alert(1)",
        "//localhost:8050/",
        "http://localhost:99999/",
        "https://map.example.com/other/",
        "http://localhost:8050/preview.png?from=2025-11",
    ):
        with pytest.raises(OEmbedError) as caught:
            view_query(url, local)
        error = caught.value
        assert (error.status, str(error), error.param) == (404, NOT_A_VIEW, "url"), url
    for missing in (None, ""):
        with pytest.raises(OEmbedError) as caught:
            view_query(missing, local)
        assert (caught.value.status, str(caught.value), caught.value.param) == (
            400,
            "Give the link to a view of the map as url.",
            "url",
        )


NOT_A_VIEW = "The url is not a link to a view of this map."


def test_the_answer_is_an_oembed_rich_response_by_hand():
    html = '<iframe src="https://map.example.com/?embed=1"></iframe>'
    embed = Embed("AI Alliance Map", html, 800, 600, "AI Alliance Map", "https://map.example.com/")
    assert embed.answer() == {
        "version": "1.0",
        "type": "rich",
        "title": "AI Alliance Map",
        "provider_name": "AI Alliance Map",
        "provider_url": "https://map.example.com/",
        "cache_age": 3600,
        "html": html,
        "width": 800,
        "height": 600,
    }
    with_picture = Embed("T", html, 800, 600, "P", "https://p/", ("https://p/preview.png", 400, 210))
    answer = with_picture.answer()
    assert (answer["thumbnail_url"], answer["thumbnail_width"], answer["thumbnail_height"]) == (
        "https://p/preview.png",
        400,
        210,
    )
    assert list(answer) == [
        "version", "type", "title", "provider_name", "provider_url", "cache_age",
        "thumbnail_url", "thumbnail_width", "thumbnail_height", "html", "width", "height",
    ]  # fmt: skip


# --- the route -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("previews")


@pytest.fixture(scope="module")
def client(shipped_atlas, cache_dir):
    return create_app(Settings(preview_cache_dir=cache_dir), atlas=shipped_atlas).server.test_client()


def ask(client, url: str, **params):
    query = "&".join([f"url={quote(url, safe='')}"] + [f"{k}={v}" for k, v in params.items()])
    return client.get("/oembed?" + query)


IFRAME = '<iframe src="{src}" width="{w}" height="{h}" style="border:0" loading="lazy" title="{title}"></iframe>'


@pytest.mark.parametrize(
    "url, src, title, provider",
    [
        (
            "http://localhost/",
            "http://localhost/?embed=1",
            "Who funds, supplies and hosts whom · Jul 2019 – Jun 2026",
            "AI Alliance Map",
        ),
        (
            "http://localhost/?from=2025-11&to=2025-11",
            "http://localhost/?from=2025-11&amp;to=2025-11&amp;embed=1",
            "Who funds, supplies and hosts whom · Nov 2025",
            "AI Alliance Map",
        ),
        (
            "http://localhost/?to=2025-11&from=2025-11&embed=1&scroll=1&types=chip_supply",
            "http://localhost/?types=chip_supply&amp;from=2025-11&amp;to=2025-11&amp;embed=1",
            "Who funds, supplies and hosts whom · Nov 2025",
            "AI Alliance Map",
        ),
        (
            "http://localhost/?company=nvidia&view=sankey",
            "http://localhost/?company=nvidia&amp;view=sankey&amp;embed=1",
            "Who funds, supplies and hosts whom · Jul 2019 – Jun 2026",
            "AI Alliance Map",
        ),
        (
            "http://localhost/?from=2025-11&to=2025-11&lang=ru",
            "http://localhost/?from=2025-11&amp;to=2025-11&amp;lang=ru&amp;embed=1",
            "Кто кого финансирует, снабжает и размещает · ноя 2025",
            "Карта альянсов ИИ",
        ),
    ],
)
def test_several_views(client, url, src, title, provider):
    response = ask(client, url)
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    assert {k: answer[k] for k in ("version", "type", "title", "provider_name", "provider_url", "width", "height")} == {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": provider,
        "provider_url": "http://localhost/",
        "width": 960,
        "height": 600,
    }
    assert answer["html"] == IFRAME.format(src=src, w=960, h=600, title=provider)
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)
    assert answer["thumbnail_url"].startswith("http://localhost/preview.png")
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_the_thumbnail_is_the_views_preview(client):
    answer = ask(client, "http://localhost/?from=2025-11&to=2025-11&company=nvidia&embed=1").get_json()
    assert answer["thumbnail_url"] == "http://localhost/preview.png?from=2025-11&to=2025-11"  # panels share the picture


def test_bounds_are_respected(client):
    answer = ask(client, "http://localhost/?from=2025-11&to=2025-11", maxwidth=600, maxheight=400).get_json()
    assert (answer["width"], answer["height"]) == (600, 400)
    assert 'width="600" height="400"' in answer["html"]
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (600, 315)
    assert answer["thumbnail_url"] == "http://localhost/oembed/thumbnail.png?from=2025-11&to=2025-11&width=600"
    picture = client.get("/oembed/thumbnail.png?from=2025-11&to=2025-11&width=600")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert Image.open(io.BytesIO(picture.data)).size == (600, 315)
    assert client.get("/oembed/thumbnail.png?width=abc").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        'http://localhost/?from=2025-11"><script>alert(1)</script>&types=chip_supply',
        "http://localhost/?focus=\"><img src=x onerror=alert(1)>&to=2025-11'onload='x",
        'http://localhost/?types=chip_supply&<svg/onload=alert(1)>=1&lang=en"',
        "http://localhost/?story=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&from=2025-11",
    ],
)
def test_a_hostile_url_is_escaped(client, url):
    response = ask(client, url)
    assert response.status_code == 200
    answer = response.get_json()
    html = answer["html"]
    assert re.fullmatch(
        r'<iframe src="[^"<>]*" width="960" height="600" style="border:0" loading="lazy" '
        r'title="AI Alliance Map"></iframe>',
        html,
    ), html
    for bad in ("<script", "onerror", "onload", "<img", "<svg", "alert"):
        assert bad not in html and bad not in answer["title"] and bad not in answer["thumbnail_url"]


def test_errors(client):
    def error(response):
        return response.status_code, response.get_json(), response.headers["Cache-Control"]

    assert error(ask(client, "http://evil.example/?from=2025-11")) == (
        404,
        {"error": "The url is not a link to a view of this map.", "param": "url"},
        "no-store",
    )
    assert error(ask(client, "http://localhost/api/deals"))[0] == 404
    assert error(ask(client, "http://localhost/nope"))[0] == 404
    assert error(ask(client, "http://localhost/", format="xml")) == (
        501,
        {"error": "Only format=json is implemented.", "param": "format"},
        "no-store",
    )
    assert error(ask(client, "http://localhost/", maxwidth="wide")) == (
        400,
        {"error": "maxwidth must be a positive whole number of pixels.", "param": "maxwidth"},
        "no-store",
    )
    assert error(ask(client, "http://localhost/", maxheight="-1"))[0] == 400
    assert error(client.get("/oembed"))[:2] == (
        400,
        {"error": "Give the link to a view of the map as url.", "param": "url"},
    )
    assert error(client.get("/oembed?format=json"))[0] == 400


def test_a_foreign_host_header(client):
    response = client.get("/oembed?url=" + quote("http://localhost/", safe=""), headers={"Host": "evil.example"})
    assert response.status_code == 400  # ALLOWED_HOSTS: never answered, so never built from evil.example
    response = client.get("/oembed?url=" + quote("http://evil.example/", safe=""), headers={"Host": "localhost:8050"})
    assert response.status_code == 404


def test_public_url_names_every_link(shipped_atlas, cache_dir):
    client = create_app(
        Settings(preview_cache_dir=cache_dir, public_url="https://map.example.com"), atlas=shipped_atlas
    ).server.test_client()
    answer = ask(client, "https://map.example.com/?from=2025-11&to=2025-11").get_json()
    assert answer["provider_url"] == "https://map.example.com/"
    assert answer["thumbnail_url"] == "https://map.example.com/preview.png?from=2025-11&to=2025-11"
    assert 'src="https://map.example.com/?from=2025-11&amp;to=2025-11&amp;embed=1"' in answer["html"]
    assert ask(client, "http://localhost/?from=2025-11").status_code == 200  # loopback links are this map too
    assert ask(client, "https://other.example.com/?from=2025-11").status_code == 404


@pytest.mark.parametrize(
    "query", ["", "?from=2025-11&to=2025-11", "?company=nvidia&lang=ru", "?embed=1&types=chip_supply"]
)
def test_the_discovery_link(client, query):
    head = head_of(client.get("/" + query).get_data(as_text=True))
    found = [link for link in head.links if link.get("type") == "application/json+oembed"]
    assert len(found) == 1 and found[0]["rel"] == "alternate"
    assert found[0]["title"] == head.meta["og:title"]
    href = urlsplit(found[0]["href"])
    assert (href.scheme, href.netloc, href.path) == ("http", "localhost", "/oembed")
    params = parse_qs(href.query)
    assert params["format"] == ["json"] and params["url"] == [head.meta["og:url"]]
    answer = client.get(href.path + "?" + href.query).get_json()
    assert answer["title"] == head.meta["og:title"] and answer["type"] == "rich"


def test_the_discovery_link_escapes_the_whole_page_url():
    # every reserved character of the page's address is escaped, "/" too: it is one query value
    assert oembed_url("https://m.example/maps", "https://m.example/maps/?types=chip_supply&lang=ru") == (
        "https://m.example/maps/oembed?url=https%3A%2F%2Fm.example%2Fmaps%2F%3Ftypes%3Dchip_supply%26lang%3Dru"
        "&format=json"
    )
