"""What a pasted link unfurls to: canonical, preview-image and feed queries, and the <head> tags.

Everything here is derived from a parsed ViewState, never from the raw query, and every value
that reaches HTML goes through html.escape; so markup in a link cannot end up in the page.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from .i18n import DEFAULT_LANG, t
from .viewstate import Context, ViewState, default_state, to_query

SITE_NAME = t(DEFAULT_LANG, "app.name")
FEED_TITLE = t(DEFAULT_LANG, "feed.title", site=SITE_NAME)  # the feed is in English (alliance/feed.py)
PREVIEW_WIDTH, PREVIEW_HEIGHT = 1200, 630
PREVIEW_PATH = "/preview.png"
FEED_PATH = "/feed.atom"
OEMBED_PATH = "/oembed"  # alliance/oembed.py answers it


def oembed_url(base: str, page_url: str) -> str:
    """The oEmbed endpoint's address for a page (what the discovery link points at)."""
    return f"{base}{OEMBED_PATH}?url={quote(page_url, safe='')}&format=json"


def canonical_query(state: ViewState, ctx: Context) -> str:
    """The full-page view of a link: embed chrome dropped, everything else normalized."""
    return to_query(state.with_(embed=False, scroll=False), ctx)


def preview_query(state: ViewState, ctx: Context) -> str:
    """The part of a view that changes its picture: filters, window and layout.

    Panels, focus, theme and embed flags do not change the preview (the money filter and a stress
    test's failing companies do), so links that differ only in
    those share one image (and one render); the language does (the card's words).
    """
    default = default_state(ctx)
    return to_query(
        default.with_(
            types=state.types,
            roles=state.roles,
            date_from=state.date_from,
            date_to=state.date_to,
            min_amount=state.min_amount,
            view=state.view,
            lang=state.lang,
            money=state.money,
            fail=state.fail,
            sources=state.sources,
        ),
        ctx,
    )


def feed_query(state: ViewState, ctx: Context) -> str:
    """The view's kinds of deals (types, roles, minimum amount, source strength) without its time
    window, so a subscription keeps getting new ones."""
    default = default_state(ctx)
    return to_query(
        default.with_(types=state.types, roles=state.roles, min_amount=state.min_amount, sources=state.sources), ctx
    )


def head_tags(
    *,
    title: str,
    description: str,
    page_url: str,
    image_url: str,
    feed_url: str,
    lang: str | None = None,
    oembed: str | None = None,
) -> str:
    """Open Graph, Twitter card, canonical, feed- and oEmbed-discovery tags; every value escaped."""

    def meta(attr: str, key: str, value) -> str:
        return f'<meta {attr}="{escape(key)}" content="{escape(str(value))}">'

    tags = [
        meta("property", "og:type", "website"),
        meta("property", "og:site_name", t(lang, "app.name")),
        *([meta("property", "og:locale", t(lang, "app.locale"))] if lang else []),
        meta("property", "og:title", title),
        meta("property", "og:description", description),
        meta("property", "og:url", page_url),
        meta("property", "og:image", image_url),
        meta("property", "og:image:type", "image/png"),
        meta("property", "og:image:width", PREVIEW_WIDTH),
        meta("property", "og:image:height", PREVIEW_HEIGHT),
        meta("property", "og:image:alt", t(lang, "share.image_alt", title=title)),
        meta("name", "twitter:card", "summary_large_image"),
        meta("name", "twitter:title", title),
        meta("name", "twitter:description", description),
        meta("name", "twitter:image", image_url),
        f'<link rel="canonical" href="{escape(page_url)}">',
        f'<link rel="alternate" type="application/atom+xml" title="{escape(FEED_TITLE)}" href="{escape(feed_url)}">',
        *(
            [f'<link rel="alternate" type="application/json+oembed" title="{escape(title)}" href="{escape(oembed)}">']
            if oembed
            else []
        ),
    ]
    return "\n      ".join(tags)


# --- picture-and-link snippets (wikis that forbid iframes) -------------------------------------

PICTURE_FORMATS = ("html", "markdown", "mediawiki")
PICTURE_WIDTH, PICTURE_HEIGHT = PREVIEW_WIDTH // 2, PREVIEW_HEIGHT // 2  # shown at half size
URL_UNSAFE = {
    " ": "%20",
    '"': "%22",
    "<": "%3C",
    ">": "%3E",
    "[": "%5B",
    "]": "%5D",
    "(": "%28",
    ")": "%29",
    "|": "%7C",
    "{": "%7B",
    "}": "%7D",
    "'": "%27",
    "\\": "%5C",
}
WIKITEXT_UNSAFE = {
    "[": "&#91;",
    "]": "&#93;",
    "<": "&lt;",
    ">": "&gt;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "'": "&#39;",
    "&": "&amp;",
    "~": "&#126;",
}


def _url(url: str) -> str:
    """A URL no markup language can cut short: spaces, quotes, brackets and parentheses encoded."""
    return "".join(URL_UNSAFE.get(c, c) for c in url)


def _markdown_text(text: str) -> str:
    return "".join("\\" + c if c in "\\[]*_`<>" else c for c in text)


def _wikitext(text: str) -> str:
    return "".join(WIKITEXT_UNSAFE.get(c, c) for c in text)


def picture_snippet(fmt: str, page_url: str, image_url: str, alt: str, caption: str) -> str:
    """The view's preview picture linked to its share link, as HTML, Markdown or MediaWiki markup.

    MediaWiki shows an external image only when its URL ends in an image extension (and the wiki
    allows external images), so its picture URL gets a '#.png' fragment, which no server sees.
    """
    page, image = _url(page_url), _url(image_url)
    if fmt == "markdown":
        return f"[![{_markdown_text(alt)}]({image})]({page})\n\n[{_markdown_text(caption)}]({page})"
    if fmt == "mediawiki":
        return f"[{page} {image}#.png]\n\n[{page} {_wikitext(caption)}]"
    return (
        f'<a href="{escape(page)}"><img src="{escape(image)}" width="{PICTURE_WIDTH}" height="{PICTURE_HEIGHT}" '
        f'alt="{escape(alt)}" style="max-width:100%;height:auto"></a>\n'
        f'<p><a href="{escape(page)}">{escape(caption)}</a></p>'
    )
