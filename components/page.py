"""The page: header, notices, the filter drawer, the map with its overlay panel, sections, footer.

Embed mode (?embed=1) hides the chrome via CSS; on phones the map comes first and the filters
open from their button.
"""

from __future__ import annotations

from dash import dcc, html

from alliance.atlas import Atlas

from . import controls, ids, network, stories


def layout(atlas: Atlas, extra_main: list | None = None, toolbar: list | None = None,
           dialogs=None) -> html.Div:
    dataset = atlas.dataset
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STATE),
        dcc.Store(id=ids.VIEWPORT),
        dcc.Store(id=ids.CAMERA),
        html.Header(className="header chrome", children=[
            html.H1("AI Alliance Map"),
            html.P("Who funds, supplies and hosts whom in AI — every deal sourced.", className="tagline"),
            html.Div([stories.menu(atlas), *(toolbar or [])], className="toolbar"),
        ]),
        html.Div(id=ids.NOTICE, className="notice", role="status"),
        dialogs,
        html.Div(className="body", children=[
            html.Details(id=ids.CONTROLS_WRAP, className="controls-wrap drawer", open=True, children=[
                html.Summary("Filters", id=ids.CONTROLS_TOGGLE, className="drawer-toggle"),
                controls.layout(atlas),
            ]),
            html.Main(className="main", children=[
                stories.bar(),
                dcc.RadioItems(id=ids.VIEW, value="network", inline=True, className="view-switch",
                               options=[{"label": "Network", "value": "network"},
                                        {"label": "Money flow (Sankey)", "value": "sankey"}]),
                network.layout(panel=network.panel_layout()),
                *(extra_main or []),
            ]),
        ]),
        html.Footer(id=ids.FOOTER, className="footer", children=[
            html.Span(f"Deals announced through {dataset.covered_through} (compiled {dataset.compiled_on})"
                      f" · version {dataset.version} · "
                      f"{len(dataset.deals)} deals among {len(dataset.companies)} companies · "),
            html.Span("Every deal links to the page it was taken from. "),
            html.A("Open the full map", id=ids.FULL_MAP_LINK, href="/", target="_blank", rel="noopener",
                   className="full-map-link"),
        ]),
    ])
