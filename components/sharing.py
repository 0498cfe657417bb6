"""Links that unfurl: per-view Open Graph / Twitter tags in the page head, the preview PNG and
the Atom feed routes.

The page is Dash's index, built per request; SharingDash adds the view's tags to it from the
request's own query (parsed, never echoed), so two threads serving two links never share state.
"""

from __future__ import annotations

import functools
from html import escape

from dash import Dash
from dash._utils import to_json
from flask import has_request_context, request

from alliance.atlas import Atlas
from alliance.drawing import WEBGL_EDGES
from alliance.i18n import t
from alliance.money import stated_total
from alliance.sharing import (
    FEED_PATH,
    PREVIEW_PATH,
    canonical_query,
    feed_query,
    head_tags,
    oembed_url,
    preview_query,
)
from alliance.text import deal_headline, view_description, view_title

from . import clientconfig, feed, lightpage, oembed, preview
from .exposure import scenario_description, scenario_title
from .reader import html_attributes, reader
from .settings import Settings


def base_url(settings: Settings) -> str:
    """PUBLIC_URL when set (behind a proxy), else the request's own scheme, host and script root."""
    return settings.public_url or request.host_url.rstrip("/") + request.script_root


def view_head(atlas: Atlas, settings: Settings, query: str) -> str:
    """The <head> tags for the view a query asks for; bad parameters fall back as on the page."""
    view = atlas.view(query)
    state, deals = view.state, view.deals
    base = base_url(settings)
    description = view_description(deals, state, stated_total(deals, atlas.dataset)[0])
    if state.deal:  # a link to a deal card says which deal before the view's numbers
        deal = atlas.dataset.deals.loc[atlas.dataset.deals["id"] == state.deal].iloc[0]
        description = f"{deal_headline(deal, atlas.dataset.companies['name'], state.lang)} — {description}"
    page_url = f"{base}/{canonical_query(state, atlas.context)}"
    title = view_title(state)
    if state.fail:  # the stress test names its scenario first
        title = f"{scenario_title(atlas, state, state.lang)} · {title}"
        description = f"{scenario_description(atlas, state, state.lang)} · {description}"
    return head_tags(
        title=title,
        description=description,
        page_url=page_url,
        oembed=oembed_url(base, page_url),
        image_url=f"{base}{PREVIEW_PATH}{preview_query(state, atlas.context)}",
        feed_url=f"{base}{FEED_PATH}{feed_query(state, atlas.context)}",
        lang=state.lang,
    )


class SharingDash(Dash):
    """Dash whose index page carries the requested view's share tags (see register)."""

    share_head = None  # set per app by register(); called with the request's query string
    view_atlas = None  # the atlas, set by register(): the reader's lang and theme
    map_data_url = None  # lang -> the URL of the map's data (components/maproute.data_url), set by the factory
    static_files = None  # the page's own files under hashed URLs (components/lightpage.py), set by the factory
    webgl = False  # can the map draw with WebGL (a big dataset): the plotly bundle with scattergl, set by register()

    # --- Static things serialized once (capacity: README "Benchmark") -----------------------
    # Dash serializes the whole page twice per page load: the layout for /_dash-layout, and the
    # validation layout (the same tree) inside every page's config. Both are fixed for a given
    # layout object (the factory memoizes one per language and theme), so each is encoded once.
    _json_memo_size = 64

    def _json_once(self, value) -> str:
        memo = self.__dict__.setdefault("_json_memo", {})
        hit = memo.get(id(value))
        if hit is None or hit[0] is not value:  # the object is held, so its id is never reused
            if len(memo) >= self._json_memo_size:
                memo.clear()
            hit = memo[id(value)] = (value, to_json(value))
        return hit[1]

    def serve_layout(self):
        return self.backend.make_response(self._json_once(self.get_layout()), mimetype="application/json")

    def _generate_config_html(self) -> str:
        config = self._config()  # per page load: Dash's signed end_id
        validation = config.pop("validation_layout", None)
        body = to_json(config)
        if validation is not None:
            body = body[:-1] + ', "validation_layout": ' + self._json_once(validation) + "}"
        return f'<script id="_dash-config" type="application/json">{body}</script>'

    def interpolate_index(self, **kwargs):
        if self.share_head is not None and has_request_context():
            query = request.query_string.decode("utf-8", errors="replace")
            kwargs["metas"] = kwargs.get("metas", "") + "\n      " + self.share_head(query)
        r = reader(self.view_atlas) if self.view_atlas is not None else None
        # What the page's scripts read (ids, sizes, words, formats): before them, in the head.
        kwargs["metas"] = kwargs.get("metas", "") + "\n      " + clientconfig.script_tag(r.lang if r else None)
        if r is None:
            return super().interpolate_index(**kwargs)
        if self.map_data_url is not None:
            # The map's data, fetched while the scripts load.
            kwargs["metas"] = (
                kwargs.get("metas", "") + f'\n      <link rel="preload" href="{escape(self.map_data_url(r.lang))}"'
                ' as="fetch" crossorigin="anonymous" data-map-data>'
            )
        if self.static_files is not None:
            # The small plotly.js, evaluated while the page waits for its layout (dcc.Graph would
            # only ask for it once it is on screen); own files under hashed URLs; AG Grid later.
            kwargs["scripts"], kwargs["css"], metas = lightpage.rewrite_page(
                kwargs.get("scripts", ""),
                kwargs.get("css", ""),
                self.static_files,
                self.config.requests_pathname_prefix,
                webgl=self.webgl,
            )
            kwargs["favicon"] = lightpage.favicon_tag(
                self.static_files, self.config.requests_pathname_prefix
            ) or kwargs.get("favicon", "")
            kwargs["metas"] = kwargs.get("metas", "") + "\n      " + metas
        kwargs["title"] = t(r.lang, "app.name")
        english, translated = escape(t("en", "app.description")), escape(t(r.lang, "app.description"))
        kwargs["metas"] = kwargs.get("metas", "").replace(english, translated)
        page = super().interpolate_index(**kwargs)
        # Dash wraps its scripts in a bare <footer>: a second "contentinfo" landmark beside the page's own.
        if "<footer>" in page:
            head, _, rest = page.partition("<footer>")
            scripts, _, tail = rest.rpartition("</footer>")
            page = f'{head}<div class="dash-scripts">{scripts}</div>{tail}'
        return page.replace("<html>", html_attributes(r), 1)


def register(app: Dash, atlas: Atlas, settings: Settings) -> None:
    """Wire the head tags (when app is a SharingDash), /preview.png and /feed.atom."""
    if isinstance(app, SharingDash):
        # The head of a view is the same for every reader of that link on that host: computed once
        # (it sums the view's money), keyed by what view_head reads from the request.
        head = functools.lru_cache(maxsize=256)(lambda _host, _root, query: view_head(atlas, settings, query))
        app.share_head = lambda query: head(request.host_url, request.script_root, query)
        app.view_atlas = atlas
        app.webgl = lightpage.needs_webgl(len(atlas.dataset.deals), len(atlas.geometry.flows), WEBGL_EDGES)
    preview.register(app.server, atlas, settings)
    feed.register(app.server, atlas, lambda: base_url(settings))
    oembed.register(app.server, atlas, settings, lambda: base_url(settings))
