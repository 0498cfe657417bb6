"""The map: network figure, title with the date range, counts, and the detail panel."""

from __future__ import annotations

import functools
import re
import threading

from dash import ClientsideFunction, Input, Output, State, dcc, html
from flask import Response, redirect, request

from alliance.atlas import Atlas
from alliance.graph import neighbourhood
from alliance.i18n import deal_type, role, short_date, t, view_title
from alliance.money import summary_line
from alliance.sankey import named_companies
from alliance.schema import DEAL_TYPES
from alliance.timeline import month_index
from alliance.viewstate import LANGS, ViewState

from . import ids
from .exposure import exposure_panel, sankey_tint, summary_sentence
from .mapdata import BundleFile, bundle_name
from .panels import company_panel, deal_card
from .theme import DEAL_COLORS, ROLE_STYLE

STRESS_COLORS = ("#d62728", "#ff7f0e")  # lost, at risk: assets/map.js STRESS_COLORS draws them
DATA_PATH = "/_alliance/map"  # the browser's copy of the map data (components/mapdata.py)
OLD_BUNDLE = re.compile(r"^[0-9a-f]{10}-[0-9a-f]{6,64}-([a-z]{2})\.json$")  # mapdata.bundle_name of any release

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    # the camera button is replaced by one that adds the caption (assets/app.js graphConfig)
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "toImageButtonOptions": {"format": "png", "filename": "ai-alliance-map", "scale": 2},
}


def layout(panel=None, lang: str = "en", data: str | None = None) -> html.Div:
    """Title and counts, then the map with the detail panel lying over its right side, then the key.

    The summary line and the deal table below are the map's text alternative.
    """
    return html.Div(
        className="map",
        children=[
            dcc.Store(id=ids.MAP_DATA, data=data),  # the URL of the map's data (assets/map.js fetches it once)
            dcc.Store(id=ids.CYCLE),  # the open cycle's companies and deals, found by the server
            html.Div(
                className="view-head",
                children=[
                    html.H2(id=ids.TITLE, className="view-title"),
                    html.P(id=ids.SUMMARY, className="view-summary", tabIndex=-1, **{"aria-live": "polite"}),
                ],
            ),
            html.Div(
                className="map-stage",
                role="region",
                **{"aria-label": t(lang, "map.label")},
                children=[
                    dcc.Graph(
                        id=ids.GRAPH,
                        config=GRAPH_CONFIG,
                        className="graph",
                        clear_on_unhover=True,
                        figure={"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}},
                    ),
                    panel,
                ],
            ),
            key(lang),
        ],
    )


def key(lang: str = "en") -> html.Div:
    """The map's legend in HTML: cheaper than legend traces, and it never covers a node."""
    deal_items = [
        html.Span(
            [html.Span(className="key-line", style={"borderTopColor": DEAL_COLORS[key]}), deal_type(key, lang)],
            className="key-item",
        )
        for key in DEAL_TYPES
    ]
    role_items = [
        html.Span(
            [
                html.Span(
                    style["glyph"], className="key-glyph", style={"color": style["color"]}, **{"aria-hidden": "true"}
                ),
                role(key, lang),
            ],
            className="key-item",
        )
        for key, style in ROLE_STYLE.items()
    ]
    lines = [
        html.Span([html.Span(className=f"key-line {dash}"), t(lang, f"key.{dash}")], className="key-item")
        for dash in ("solid", "dashed", "dotted")
    ]
    stress = [
        html.Span(
            [html.Span(className="key-line", style={"borderTopColor": color}), t(lang, f"key.{name}")],
            className="key-item",
        )
        for name, color in (("lost", STRESS_COLORS[0]), ("at_risk", STRESS_COLORS[1]))
    ]
    stress += [
        html.Span([html.Span(className="key-line dimmed"), t(lang, "key.untouched")], className="key-item"),
        html.Span(
            [
                html.Span("◯", className="key-glyph", style={"color": STRESS_COLORS[0]}, **{"aria-hidden": "true"}),
                t(lang, "key.failing"),
            ],
            className="key-item",
        ),
    ]
    return html.Div(
        id=ids.MAP_KEY,
        className="map-key",
        children=[
            html.Div([html.Strong(t(lang, "key.deals")), *deal_items]),
            html.Div(
                [
                    html.Strong(t(lang, "key.companies")),
                    *role_items,
                    html.Strong(t(lang, "key.lines")),
                    *lines,
                    html.Span(t(lang, "key.note"), className="muted"),
                ]
            ),
            html.Div([html.Span(t(lang, "key.states_note"), className="muted")]),
            html.Div([html.Strong(t(lang, "key.stress")), *stress], className="key-stress"),
        ],
    )


def panel_layout(lang: str = "en") -> html.Aside:
    return html.Aside(
        id=ids.PANEL,
        className="panel",
        hidden=True,
        **{"aria-label": t(lang, "panel.label")},
        children=[
            html.Button(
                "×",
                id=ids.PANEL_CLOSE,
                n_clicks=0,
                className="panel-close",
                title=t(lang, "panel.close_title"),
                **{"aria-label": t(lang, "panel.close")},
            ),
            html.Div(id=ids.PANEL_BODY),
        ],
    )


def highlight(atlas: Atlas, deals, state: ViewState) -> tuple[set | None, set | None]:
    """Nodes/deals to keep bright: the focus neighbourhood (cycles add their own in flows)."""
    if state.focus:
        return neighbourhood(deals, state.focus, state.depth), None
    return None, None


def view_meta(atlas: Atlas, state: ViewState) -> dict:
    """What the page's scripts read from a figure: the window (Play steps it) and the PNG's name."""
    return {
        "window": [f"{state.date_from:%Y-%m}", f"{state.date_to:%Y-%m}"],
        "slider": [month_index(atlas.months, state.date_from), month_index(atlas.months, state.date_to)],
        "slider_max": len(atlas.months) - 1,
        "filename": f"ai-alliance-map_{state.date_from:%Y-%m}_{state.date_to:%Y-%m}",
    }


def render_texts(atlas: Atlas, query: str | None, lang: str | None = None) -> tuple[str, str, str]:
    """STATE query -> (title, summary line, timeline label) in the URL's language, else `lang`."""
    state, _ = atlas.parse(query)
    lang = state.lang or lang or "en"
    deals = atlas.deals_in_view(state)
    label = f"{short_date(state.date_from, lang)} – {short_date(state.date_to, lang)}"
    summary = summary_line(deals, atlas.dataset, lang, atlas.ledger(state)) + summary_sentence(atlas, state, lang)
    return view_title(state.date_from, state.date_to, lang), summary, label


def render_sankey(atlas: Atlas, query: str | None, lang: str | None = None, sankey_fn=None) -> dict | None:
    """The Sankey figure when the STATE query asks for it, else None (the browser draws the network)."""
    state, _ = atlas.parse(query)
    if state.view != "sankey":
        return None
    deals = atlas.deals_in_view(state)
    extra = {"tint": sankey_tint(atlas.exposure(state))} if state.fail else {}
    figure = sankey_fn(
        atlas,
        deals,
        lang=state.lang or lang or "en",
        theme=state.theme,
        expand=state.expand,
        keep=named_companies(deals, state.focus, state.depth, state.company),
        **extra,
    )
    figure["layout"]["meta"] = {**figure["layout"].get("meta", {}), **view_meta(atlas, state)}
    return figure


def cycle_highlight(atlas: Atlas, query: str | None, highlight_fn) -> dict | None:
    """The open cycle's companies and deals for the browser's map, or None when none is open."""
    state, _ = atlas.parse(query)
    if not state.cycle:
        return None
    nodes, deal_ids = highlight_fn(atlas, atlas.deals_in_view(state), state)
    if deal_ids is None:
        return None
    return {"cycle": state.cycle, "companies": sorted(nodes), "deals": sorted(deal_ids)}


def data_url(atlas: Atlas, lang: str) -> str:
    """Where the browser fetches the map's data: versioned, so it can be cached for good."""
    return f"{DATA_PATH}/{bundle_name(atlas, lang)}"


def render_panel(
    atlas: Atlas, query: str | None, profile_fn=None, lang: str | None = None, theme: str | None = None
) -> tuple:
    """STATE query -> (panel children, panel hidden?); the URL's lang and theme win over the page's."""
    state, _ = atlas.parse(query)
    lang = state.lang or lang or "en"
    if state.deal:
        return deal_card(atlas, state.deal, lang), False
    if state.company:
        deals = atlas.deals_in_view(state)
        extra = profile_fn(atlas, deals, state.company, lang=lang, theme=state.theme or theme) if profile_fn else None
        return company_panel(atlas, state.company, deals, extra, lang, atlas.ledger(state)), False
    if state.fail:  # the stress test's ranked table, until a company or deal is opened
        return exposure_panel(atlas, state, lang), False
    return [], True


def register(app, atlas: Atlas, profile_fn=None, cache_dir=None) -> None:
    names = {data_url(atlas, lang).rsplit("/", 1)[1]: lang for lang in LANGS}
    lock = threading.Lock()

    @functools.lru_cache(maxsize=len(LANGS))
    def bundle_for(lang: str) -> BundleFile:
        with lock:  # one build per worker, even when threads ask at once
            return BundleFile.cached(atlas, lang, cache_dir)

    current = {lang: name for name, lang in names.items()}

    @app.server.route(f"{DATA_PATH}/<name>")
    def map_data(name):
        if name not in names:
            # A page served by a replica of the previous release or dataset (a rolling update)
            # asks for its own bundle: send it this replica's, never a failed map.
            older = OLD_BUNDLE.match(name)
            if older and older.group(1) in current:
                response = redirect(f"{DATA_PATH}/{current[older.group(1)]}", code=307)
                response.headers["Cache-Control"] = "no-store"
                return response
            return Response('{"error": "unknown map data version"}', status=404, mimetype="application/json")
        bundle = bundle_for(names[name])
        if request.if_none_match.contains(bundle.etag.strip('"')):
            response = Response(status=304)
        elif "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(bundle.gzipped, mimetype="application/json")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(bundle.body, mimetype="application/json")
        response.headers["ETag"] = bundle.etag
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # the URL names the version
        return response

    # Any control, the STATE (selection, a link's dates), the graph's size or an opened cycle
    # redraws the network in the browser, with no round trip (assets/map.js).
    # None of these inputs is an output of a server callback, so Dash never holds them back.
    controls = [
        (ids.TYPES, "value"),
        (ids.ROLES, "value"),
        (ids.FOCUS, "value"),
        (ids.DEPTH, "value"),
        (ids.MIN_AMOUNT, "value"),
        (ids.TIMELINE, "value"),
        (ids.EVERY, "value"),
        (ids.MONEY, "value"),
        (ids.FAIL, "value"),
    ]  # the last two: exposure (money states, stress test)
    app.clientside_callback(
        ClientsideFunction("allianceMap", "draw"),
        Output(ids.GRAPH, "figure", allow_duplicate=True),
        *[Input(*control) for control in controls],
        Input(ids.VIEWPORT, "data"),
        State(ids.STATE, "data"),
        State(ids.CYCLE, "data"),
        State(ids.CAMERA, "data"),
        State(ids.MAP_DATA, "data"),
        prevent_initial_call="initial_duplicate",
    )
    # A new STATE (a link, a click, the server's answer to a change) sets the controls it carries
    # and redraws when the selection, the open cycle or the view mode changed.
    app.clientside_callback(
        ClientsideFunction("allianceMap", "follow"),
        Output(ids.GRAPH, "figure", allow_duplicate=True),
        Input(ids.STATE, "data"),
        Input(ids.CONTROLS_SET, "data"),
        Input(ids.CYCLE, "data"),
        *[State(*control) for control in controls],
        State(ids.VIEWPORT, "data"),
        State(ids.CAMERA, "data"),
        State(ids.MAP_DATA, "data"),
        prevent_initial_call=True,
    )
    # Scroll-zoom is off inside embeds (it would hijack the wiki page's scrolling) unless asked for;
    # the config only changes when that does, since a new config redraws the plot from scratch.
    app.clientside_callback(
        ClientsideFunction("alliance", "graphConfig"),
        Output(ids.GRAPH, "config"),
        Input(ids.URL, "search"),
        State(ids.GRAPH, "config"),
    )

    @app.callback(
        Output(ids.PANEL_BODY, "children"),
        Output(ids.PANEL, "hidden"),
        Input(ids.PANEL_KEY, "data"),
        State(ids.LANG, "data"),
        State(ids.THEME, "data"),
        prevent_initial_call=True,
    )  # gated: components/gates.py
    def update_panel(query, lang, theme):
        return render_panel(atlas, query, profile_fn, lang, theme)
