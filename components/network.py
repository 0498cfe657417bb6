"""The map: network figure, title with the date range, counts, and the detail panel."""

from __future__ import annotations

from dash import Input, Output, dcc, html

from alliance.atlas import Atlas
from alliance.filters import filter_deals
from alliance.graph import neighbourhood
from alliance.text import money
from alliance.viewstate import ViewState, parse

from . import ids
from .figures import network_figure
from .panels import company_panel, deal_card

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "filename": "ai-alliance-map", "scale": 2},
}


def layout() -> html.Div:
    return html.Div(className="map", children=[
        html.H2(id=ids.TITLE, className="view-title"),
        html.P(id=ids.SUMMARY, className="view-summary", **{"aria-live": "polite"}),
        dcc.Graph(id=ids.GRAPH, config=GRAPH_CONFIG, className="graph", style={"height": "72vh", "minHeight": "480px"},
                  clear_on_unhover=True),
    ])


def panel_layout() -> html.Aside:
    return html.Aside(id=ids.PANEL, className="panel", hidden=True, children=[
        html.Button("×", id=ids.PANEL_CLOSE, n_clicks=0, className="panel-close", title="Close",
                    **{"aria-label": "Close panel"}),
        html.Div(id=ids.PANEL_BODY),
    ])


def title_for(state: ViewState) -> str:
    return f"Who funds, supplies and hosts whom · {state.date_from:%b %Y} – {state.date_to:%b %Y}"


def summary_for(deals) -> str:
    stated = deals["amount_usd"].dropna()
    undisclosed = len(deals) - len(stated)
    text = f"{len(deals)} deals in view · {money(stated.sum()) if len(stated) else '$0'} in stated amounts"
    if undisclosed:
        text += f" (+{undisclosed} undisclosed)"
    return text + ". “Up to” amounts count at their ceiling; arrows follow the money."


def highlight(atlas: Atlas, deals, state: ViewState) -> tuple[set | None, set | None]:
    """Nodes/deals to keep bright: the focus neighbourhood (cycles add their own in flows)."""
    if state.focus:
        return neighbourhood(deals, state.focus, state.depth), None
    return None, None


def render_map(atlas: Atlas, query: str | None, highlight_fn=highlight, sankey_fn=None) -> tuple:
    """STATE query -> (figure, graph config, title, summary, timeline label)."""
    state, _ = parse(query or "", atlas.context)
    deals = filter_deals(atlas.dataset, state)
    if state.view == "sankey" and sankey_fn:
        figure = sankey_fn(atlas, deals)
    else:
        nodes, deal_ids = highlight_fn(atlas, deals, state)
        figure = network_figure(atlas, deals, nodes, deal_ids, selected=state.company or state.focus)
    config = {**GRAPH_CONFIG, "scrollZoom": not state.embed or state.scroll,
              "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"],
                                       "filename": f"ai-alliance-map_{state.date_from:%Y-%m}_{state.date_to:%Y-%m}"}}
    caption = {"text": f"AI Alliance Map · {state.date_from:%b %Y} – {state.date_to:%b %Y} · {len(deals)} deals",
               "xref": "paper", "yref": "paper", "x": 1, "y": 1, "xanchor": "right", "yanchor": "top",
               "showarrow": False, "font": {"size": 11, "color": "#7b8794"}}
    figure["layout"]["annotations"] = [*figure["layout"].get("annotations", []), caption]
    label = f"{state.date_from:%d %b %Y} – {state.date_to:%d %b %Y}"
    return figure, config, title_for(state), summary_for(deals), label


def render_panel(atlas: Atlas, query: str | None, profile_fn=None) -> tuple:
    """STATE query -> (panel children, panel hidden?)."""
    state, _ = parse(query or "", atlas.context)
    if state.deal:
        return deal_card(atlas, state.deal), False
    if state.company:
        deals = filter_deals(atlas.dataset, state)
        extra = profile_fn(atlas, deals, state.company) if profile_fn else None
        return company_panel(atlas, state.company, deals, extra), False
    return [], True


def register(app, atlas: Atlas, highlight_fn=highlight, profile_fn=None, sankey_fn=None) -> None:
    @app.callback(
        Output(ids.GRAPH, "figure"), Output(ids.GRAPH, "config"), Output(ids.TITLE, "children"),
        Output(ids.SUMMARY, "children"), Output(ids.TIMELINE_LABEL, "children"), Input(ids.STATE, "data"),
    )
    def update_map(query):
        return render_map(atlas, query, highlight_fn, sankey_fn)

    @app.callback(Output(ids.PANEL_BODY, "children"), Output(ids.PANEL, "hidden"), Input(ids.STATE, "data"))
    def update_panel(query):
        return render_panel(atlas, query, profile_fn)
