"""The embed dialog's picture-and-link snippets (HTML, Markdown, MediaWiki) for wikis that forbid
iframes: written out by hand, escaped, and produced by the registered callback."""

from __future__ import annotations

import json
import re

import pytest

from alliance.sharing import picture_snippet
from components import ids
from components.factory import create_app
from components.settings import Settings
from components.share import picture_links

PAGE = "https://map.example.com/?from=2025-11&to=2025-11"
IMAGE = "https://map.example.com/preview.png?from=2025-11&to=2025-11"
ALT = "Network map of AI deals: Who funds, supplies and hosts whom · Nov 2025"
CAPTION = "Who funds, supplies and hosts whom · Nov 2025 — open the live map"
# MediaWiki's Parser::EXT_IMAGE_REGEX (the rule for showing an external URL as a picture), written out here
MEDIAWIKI_IMAGE = re.compile(
    r'^(http://|https://)((?:\[(?i:[0-9a-f:.]+)\])?[^][<>"\x00-\x20\x7F\u3000]+)'
    r"/([A-Za-z0-9_.,~%\-+&;#*?!=()@\x80-\xFF]+)\.((?i:gif|png|jpg|jpeg))$"
)


def test_html_by_hand():
    assert picture_snippet("html", PAGE, IMAGE, ALT, CAPTION) == (
        '<a href="https://map.example.com/?from=2025-11&amp;to=2025-11">'
        '<img src="https://map.example.com/preview.png?from=2025-11&amp;to=2025-11" width="600" height="315" '
        'alt="Network map of AI deals: Who funds, supplies and hosts whom · Nov 2025" '
        'style="max-width:100%;height:auto"></a>\n'
        '<p><a href="https://map.example.com/?from=2025-11&amp;to=2025-11">'
        "Who funds, supplies and hosts whom · Nov 2025 — open the live map</a></p>"
    )


def test_markdown_by_hand():
    assert picture_snippet("markdown", PAGE, IMAGE, ALT, CAPTION) == (
        "[![Network map of AI deals: Who funds, supplies and hosts whom · Nov 2025]"
        "(https://map.example.com/preview.png?from=2025-11&to=2025-11)](https://map.example.com/?from=2025-11&to=2025-11)\n\n"
        "[Who funds, supplies and hosts whom · Nov 2025 — open the live map](https://map.example.com/?from=2025-11&to=2025-11)"
    )


def test_markdown_escapes_only_its_own_marks():
    page = "https://m.example/?q=1"
    snippet = picture_snippet("markdown", page, page, "X_x [a] *b* `c` <d> \\ XX", "Caption X")
    assert snippet.startswith("[![X\\_x \\[a\\] \\*b\\* \\`c\\` \\<d\\> \\\\ XX](")
    assert snippet.endswith("[Caption X](https://m.example/?q=1)")


def test_mediawiki_by_hand():
    snippet = picture_snippet("mediawiki", PAGE, IMAGE, ALT, CAPTION)
    assert snippet == (
        "[https://map.example.com/?from=2025-11&to=2025-11 https://map.example.com/preview.png?from=2025-11&to=2025-11#.png]\n\n"
        "[https://map.example.com/?from=2025-11&to=2025-11 Who funds, supplies and hosts whom · Nov 2025 — "
        "open the live map]"
    )
    image = snippet.split(" ", 1)[1].split("]", 1)[0]
    assert MEDIAWIKI_IMAGE.match(image)  # the picture URL is one MediaWiki shows as a picture
    assert not MEDIAWIKI_IMAGE.match(IMAGE)  # which the bare preview URL is not


def test_hostile_text_and_urls_are_escaped():
    page, image = 'https://m.example/?a=1" onload="x()&b=(c) [d]', "https://m.example/p.png?x=<script>"
    alt, caption = 'x"><script>alert(1)</script>](javascript:y)', "a]] [[b]] {{c}} '''d''' | ~~~~"
    html = picture_snippet("html", page, image, alt, caption)
    assert "<script" not in html and '" onload' not in html and "%22%20onload" in html
    markdown = picture_snippet("markdown", page, image, alt, caption)
    assert not re.search(r"(?<!\\)\]\(javascript", markdown) and "\\](javascript:y)" in markdown
    assert "(c)" not in markdown and "%28c%29" in markdown and " " not in markdown.split("](", 1)[1].split(")")[0]
    wiki = picture_snippet("mediawiki", page, image, alt, caption)
    assert all(bad not in wiki for bad in ("]]", "[[", "{{", "'''", "~~~~", "<script", " onload"))
    assert wiki.count("[") == 2 and wiki.count("]") == 2  # two external links, nothing else bracketed


def test_unknown_format_is_html(mini_atlas):
    assert picture_links(mini_atlas, "", "bbcode", None, "en").startswith('<a href="http://127.0.0.1:8050/">')


def test_picture_links_by_hand(mini_atlas):
    atlas = mini_atlas
    snippet = picture_links(
        atlas,
        "?types=chip_supply&company=cloud&embed=1&scroll=1",
        "markdown",
        "https://map.example.com:8443/some/path?x=1",
        "en",
    )
    assert snippet == (
        "[![Network map of AI deals: Who funds, supplies and hosts whom · Jan 2023 – Dec 2025]"
        "(https://map.example.com:8443/preview.png?types=chip_supply)](https://map.example.com:8443/?types=chip_supply&company=cloud)\n\n"
        "[Who funds, supplies and hosts whom · Jan 2023 – Dec 2025 — open the live map]"
        "(https://map.example.com:8443/?types=chip_supply&company=cloud)"
    )
    russian = picture_links(atlas, "?types=chip_supply", "mediawiki", None, "ru")  # the editor reads Russian
    assert russian == (
        "[http://127.0.0.1:8050/?types=chip_supply&lang=ru http://127.0.0.1:8050/preview.png?types=chip_supply&lang=ru#.png]\n\n"
        "[http://127.0.0.1:8050/?types=chip_supply&lang=ru Кто кого финансирует, снабжает и размещает · янв "
        "2023 – дек 2025"
        " — открыть живую карту]"
    )
    public = picture_links(
        atlas, "?lang=en", "html", "http://evil.example/", "ru", public_url="https://map.example.com"
    )
    assert "evil" not in public and public.count("https://map.example.com/") == 3


def test_the_registered_callback(mini_atlas):
    """Through Dash: the dialog's format choice and the view's state give the snippet."""
    client = create_app(Settings(public_url="https://map.example.com"), atlas=mini_atlas).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if f".{ids.PICTURE_SNIPPET}.value." in d["output"])
    # the embed links' callback: asked only while the dialog is open (or in an embed), with its gate's query
    assert {(i["id"], i["property"]) for i in dep["inputs"]} >= {(ids.LINKS_KEY, "data"), (ids.PICTURE_FORMAT, "value")}
    assert (ids.STATE, "data") not in {(i["id"], i["property"]) for i in dep["inputs"]}
    values = {
        (ids.LINKS_KEY, "data"): "?types=chip_supply",
        (ids.PICTURE_FORMAT, "value"): "mediawiki",
        (ids.EMBED_WIDTH, "value"): "100%",
        (ids.EMBED_HEIGHT, "value"): 600,
        (ids.URL, "href"): "http://localhost/?types=chip_supply",
        (ids.LANG, "data"): "en",
    }
    outputs = [
        {"id": ids.EMBED_SNIPPET, "property": "value"},
        {"id": ids.FULL_MAP_LINK, "property": "href"},
        {"id": ids.PICTURE_SNIPPET, "property": "value"},
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{**s, "value": values[(s["id"], s["property"])]} for s in dep["inputs"]],
        "state": [{**s, "value": values[(s["id"], s["property"])]} for s in dep["state"]],
        "changedPropIds": [f"{ids.PICTURE_FORMAT}.value"],
    }
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    value = response.get_json()["response"][ids.PICTURE_SNIPPET]["value"]
    assert value.startswith(
        "[https://map.example.com/?types=chip_supply https://map.example.com/preview.png?types=chip_supply#.png]"
    )


@pytest.mark.parametrize(
    "lang, heading",
    [("en", "No iframes allowed? A picture with a link"), ("ru", "Iframe запрещены? Картинка со ссылкой")],
)
def test_the_dialog_offers_the_three_markups(mini_atlas, lang, heading):
    client = create_app(atlas=mini_atlas).server.test_client()
    layout = json.dumps(client.get("/_dash-layout", headers={"Accept-Language": lang}).get_json(), ensure_ascii=False)
    assert heading in layout
    for label in ("HTML", "Markdown", "MediaWiki"):
        assert f'"label": "{label}"' in layout
