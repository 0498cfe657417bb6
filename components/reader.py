"""The reader's language and theme for one page request: the URL's ?lang= and ?theme=, else the
browser's Accept-Language (the theme then follows prefers-color-scheme in CSS and app.js).

Read from Flask's request, so two readers served at once never share a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import has_request_context, request

from alliance.atlas import Atlas
from alliance.i18n import DEFAULT_LANG, negotiate


@dataclass(frozen=True)
class Reader:
    lang: str  # the page's language
    url_lang: str | None  # the language the URL names (kept in links), or None
    theme: str | None  # the theme the URL names, or None for the device's


def page_query() -> str:
    """The page's query string. Dash's renderer fetches the layout from /_dash-layout without
    it, so there it comes from the same-origin Referer (the page that asked)."""
    query = request.query_string.decode("utf-8", errors="replace")
    if query or not request.path.endswith("_dash-layout") or not request.referrer:
        return query
    referrer = urlsplit(request.referrer)
    return referrer.query if referrer.netloc == request.host else ""


def reader(atlas: Atlas) -> Reader:
    """This request's reader; English with no theme outside a request (start-up validation)."""
    if not has_request_context():
        return Reader(DEFAULT_LANG, None, None)
    state = atlas.view(page_query()).state
    lang = state.lang or negotiate(request.headers.get("Accept-Language"))
    return Reader(lang, state.lang, state.theme)


def html_attributes(r: Reader) -> str:
    """The <html> tag's attributes: its language, and the theme class when the URL names one."""
    classes = f' class="theme-{r.theme}"' if r.theme else ""
    return f'<html lang="{r.lang}"{classes}>'


def register(server, prefix: str = "/") -> None:
    """Tell caches that the page and its layout differ by reader: language and, for the layout
    (fetched without the page's query), the Referer that carries ?lang and ?theme."""

    @server.after_request
    def vary_by_reader(response):
        if request.path == prefix:
            response.vary.add("Accept-Language")
        elif request.path == prefix + "_dash-layout":
            response.vary.add("Accept-Language")
            response.vary.add("Referer")
        return response
