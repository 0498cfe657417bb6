"""The map: network figure, title with the date range, counts, and the detail panel."""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, dcc, html

from alliance.atlas import Atlas
from alliance.filters import filter_deals
from alliance.graph import neighbourhood
from alliance.i18n import count, date_range, deal_type, role, short_date, t, view_title
from alliance.schema import DEAL_TYPES
from alliance.timeline import month_index
from alliance.money import summary_line
from alliance.viewstate import ViewState, parse

from . import ids
from .figures import PANEL_BESIDE_MIN_PX, PANEL_PX, Canvas, network_figure
from .panels import company_panel, deal_card
from .theme import DEAL_COLORS, ROLE_STYLE


GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "filename": "ai-alliance-map", "scale": 2},
}


def layout(panel=None, lang: str = "en") -> html.Div:
    """Title and counts, then the map with the detail panel lying over its right side, then the key.

    The summary line and the deal table below are the map's text alternative.
    """
    return html.Div(className="map", children=[
        html.Div(className="view-head", children=[
            html.H2(id=ids.TITLE, className="view-title"),
            html.P(id=ids.SUMMARY, className="view-summary", tabIndex=-1, **{"aria-live": "polite"}),
        ]),
        html.Div(className="map-stage", role="region", **{"aria-label": t(lang, "map.label")}, children=[
            dcc.Graph(id=ids.GRAPH, config=GRAPH_CONFIG, className="graph", clear_on_unhover=True,
                      figure={"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}}),
            panel,
        ]),
        key(lang),
    ])


def key(lang: str = "en") -> html.Div:
    """The map's legend in HTML: cheaper than legend traces, and it never covers a node."""
    deal_items = [html.Span([html.Span(className="key-line", style={"borderTopColor": DEAL_COLORS[key]}),
                             deal_type(key, lang)], className="key-item") for key in DEAL_TYPES]
    role_items = [html.Span([html.Span(style["glyph"], className="key-glyph", style={"color": style["color"]},
                                       **{"aria-hidden": "true"}),
                             role(key, lang)], className="key-item") for key, style in ROLE_STYLE.items()]
    lines = [html.Span([html.Span(className=f"key-line {dash}"), t(lang, f"key.{dash}")], className="key-item")
             for dash in ("solid", "dashed", "dotted")]
    return html.Div(id=ids.MAP_KEY, className="map-key", children=[
        html.Div([html.Strong(t(lang, "key.deals")), *deal_items]),
        html.Div([html.Strong(t(lang, "key.companies")), *role_items, html.Strong(t(lang, "key.lines")), *lines,
                  html.Span(t(lang, "key.note"), className="muted")]),
    ])


def panel_layout(lang: str = "en") -> html.Aside:
    return html.Aside(id=ids.PANEL, className="panel", hidden=True, **{"aria-label": t(lang, "panel.label")}, children=[
        html.Button("×", id=ids.PANEL_CLOSE, n_clicks=0, className="panel-close", title=t(lang, "panel.close_title"),
                    **{"aria-label": t(lang, "panel.close")}),
        html.Div(id=ids.PANEL_BODY),
    ])


def highlight(atlas: Atlas, deals, state: ViewState) -> tuple[set | None, set | None]:
    """Nodes/deals to keep bright: the focus neighbourhood (cycles add their own in flows)."""
    if state.focus:
        return neighbourhood(deals, state.focus, state.depth), None
    return None, None


def render_map(atlas: Atlas, query: str | None, canvas: Canvas = Canvas(), highlight_fn=highlight,
               sankey_fn=None, lang: str | None = None) -> tuple:
    """STATE query (+ the browser's canvas) -> (figure, title, summary, timeline label).

    The URL's lang wins; else `lang`, the page's language from Accept-Language (ids.LANG).
    """
    state, _ = parse(query or "", atlas.context)
    deals = filter_deals(atlas.dataset, state)
    if (state.company or state.deal) and canvas.width >= PANEL_BESIDE_MIN_PX:
        canvas = replace(canvas, reserve_right=PANEL_PX)  # the panel lies over the map's right side
    lang = state.lang or lang or "en"
    span = date_range(state.date_from, state.date_to, lang)
    if state.view == "sankey" and sankey_fn:
        figure = sankey_fn(atlas, deals, lang=lang, theme=state.theme)
    else:
        nodes, deal_ids = highlight_fn(atlas, deals, state)
        figure = network_figure(
            atlas, deals, nodes, deal_ids, selected_company=state.company or state.focus,
            selected_deal=state.deal, every=state.every, canvas=canvas,
            caption=t(lang, "map.caption", range=span, deals=count(lang, "map.deals", len(deals))),
            lang=lang, theme=state.theme,
        )
    figure["layout"]["meta"] = {
        **figure["layout"].get("meta", {}),
        "window": [f"{state.date_from:%Y-%m}", f"{state.date_to:%Y-%m}"],
        "slider": [month_index(atlas.months, state.date_from), month_index(atlas.months, state.date_to)],
        "slider_max": len(atlas.months) - 1,
        "filename": f"ai-alliance-map_{state.date_from:%Y-%m}_{state.date_to:%Y-%m}",
    }
    label = f"{short_date(state.date_from, lang)} – {short_date(state.date_to, lang)}"
    return (figure, view_title(state.date_from, state.date_to, lang), summary_line(deals, atlas.dataset, lang),
            label)


def render_panel(atlas: Atlas, query: str | None, profile_fn=None, lang: str | None = None,
                 theme: str | None = None) -> tuple:
    """STATE query -> (panel children, panel hidden?); the URL's lang and theme win over the page's."""
    state, _ = parse(query or "", atlas.context)
    lang = state.lang or lang or "en"
    if state.deal:
        return deal_card(atlas, state.deal, lang), False
    if state.company:
        deals = filter_deals(atlas.dataset, state)
        extra = profile_fn(atlas, deals, state.company, lang=lang, theme=state.theme or theme) if profile_fn else None
        return company_panel(atlas, state.company, deals, extra, lang), False
    return [], True


def register(app, atlas: Atlas, profile_fn=None) -> None:
    # Scroll-zoom is off inside embeds (it would hijack the wiki page's scrolling) unless asked for;
    # the config only changes when that does, since a new config redraws the plot from scratch.
    app.clientside_callback(ClientsideFunction("alliance", "graphConfig"), Output(ids.GRAPH, "config"),
                            Input(ids.URL, "search"), State(ids.GRAPH, "config"))

    @app.callback(Output(ids.PANEL_BODY, "children"), Output(ids.PANEL, "hidden"), Input(ids.STATE, "data"),
                  State(ids.LANG, "data"), State(ids.THEME, "data"))
    def update_panel(query, lang, theme):
        return render_panel(atlas, query, profile_fn, lang, theme)
