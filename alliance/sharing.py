"""What a pasted link unfurls to: canonical, preview-image and feed queries, and the <head> tags.

Everything here is derived from a parsed ViewState, never from the raw query, and every value
that reaches HTML goes through html.escape; so markup in a link cannot end up in the page.
"""

from __future__ import annotations

from html import escape

from .i18n import t
from .viewstate import Context, ViewState, default_state, to_query

SITE_NAME = "AI Alliance Map"
PREVIEW_WIDTH, PREVIEW_HEIGHT = 1200, 630
PREVIEW_PATH = "/preview.png"
FEED_PATH = "/feed.atom"


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
    return to_query(default.with_(types=state.types, roles=state.roles, date_from=state.date_from,
                                  date_to=state.date_to, min_amount=state.min_amount, view=state.view,
                                  lang=state.lang, money=state.money, fail=state.fail), ctx)


def feed_query(state: ViewState, ctx: Context) -> str:
    """The view's kinds of deals without its time window, so a subscription keeps getting new ones."""
    default = default_state(ctx)
    return to_query(default.with_(types=state.types, roles=state.roles, min_amount=state.min_amount), ctx)


def head_tags(*, title: str, description: str, page_url: str, image_url: str, feed_url: str,
              lang: str | None = None) -> str:
    """Open Graph, Twitter card, canonical and feed-discovery tags; every value escaped."""
    def meta(attr: str, key: str, value) -> str:
        return f'<meta {attr}="{escape(key)}" content="{escape(str(value))}">'

    tags = [
        meta("property", "og:type", "website"),
        meta("property", "og:site_name", t(lang, "app.name") if lang else SITE_NAME),
        *([meta("property", "og:locale", "ru_RU" if lang == "ru" else "en_US")] if lang else []),
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
        f'<link rel="alternate" type="application/atom+xml" title="{escape(SITE_NAME)}: new deals" '
        f'href="{escape(feed_url)}">',
    ]
    return "\n      ".join(tags)
