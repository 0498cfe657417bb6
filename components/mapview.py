"""The map's page pieces: the graph (its config), the key, and the browser's draw callbacks.

The browser draws the network itself (assets/map.js) from the map data (components/maproute.py);
these callbacks only tell it when to draw. The server's answers to a new STATE (title, summary,
Sankey, open loop) are components/follow.py; the detail panel is components/panels.py.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dcc, html

from alliance.i18n import deal_type, role, t
from alliance.schema import DEAL_TYPES

from . import ids
from .theme import DEAL_COLORS, ROLE_STYLE

STRESS_COLORS = ("#d62728", "#ff7f0e")  # lost, at risk: assets/map.js STRESS_COLORS draws them

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


def register(app) -> None:
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
