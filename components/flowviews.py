"""Follow the money: circular deals, the Sankey view, the deal table, "who matters", profiles."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, dcc, html, no_update

from alliance.atlas import Atlas
from alliance.export import deal_records
from alliance.filters import filter_deals
from alliance.flows import (
    STAGE_LABELS, biggest_partners, committed_compute_gw, cycle_by_id, cycle_deal_ids, find_cycles,
    money_by_year, round_trip_share, sankey_flows, who_matters,
)
from alliance.text import amount_as_stated, money
from alliance.viewstate import ViewState, parse

from . import ids
from .figures import empty_figure
from .network import highlight as focus_highlight
from .theme import DEAL_COLORS, LAYOUT, MONEY_AXIS, rgba

CYCLES_SHOWN = 25


def layout() -> html.Div:
    grid = dag.AgGrid(
        id=ids.TABLE,
        columnDefs=[
            {"field": "date", "headerName": "Date", "width": 115, "sort": "desc"},
            {"field": "from_name", "headerName": "From (pays)", "flex": 1},
            {"field": "to_name", "headerName": "To (receives)", "flex": 1},
            {"field": "deal_type_label", "headerName": "Type", "flex": 1},
            {"field": "amount_as_stated", "headerName": "Amount (as stated)", "width": 160, "sortable": False},
            {"field": "amount_usd", "headerName": "USD", "width": 140, "type": "numericColumn",
             "valueFormatter": {"function": "d3.format('$.3~s')(params.value || 0).replace('G', 'B')"}},
            {"field": "compute_gw", "headerName": "GW", "width": 80, "type": "numericColumn"},
            {"field": "status", "headerName": "Status", "width": 115},
            {"field": "source_url", "headerName": "Source", "flex": 1,
             "cellRenderer": "markdown", "valueGetter": {"function": "'[' + params.data.source_name + '](' + params.data.source_url + ')'"}},
        ],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"quickFilterText": "", "pagination": True, "paginationPageSize": 20,
                         "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                         "enableCellTextSelection": True, "ensureDomOrder": True},
        getRowId="params.data.id",
        dangerously_allow_code=False,
        className="ag-theme-alpine",
        style={"height": "520px"},
        rowData=[],
    )
    return html.Div([
        html.Section(className="section cycles", children=[
            html.H2("Circular deals"),
            html.P("Loops where money paid out comes back: A pays B, B pays C, C pays A. Ranked by the "
                   "smallest hop — the money that can really go round. Pick one to highlight it on the map.",
                   className="muted"),
            html.Div(id=ids.CYCLES_NOTE, className="muted"),
            html.Ol(id=ids.CYCLES, className="cycle-list"),
        ]),
        html.Section(className="section", children=[
            html.H2("Who matters in this view"),
            html.Div(id=ids.METRICS, className="metrics"),
        ]),
        html.Section(className="section", children=[
            html.H2("Deals in view"),
            html.P("Sort or filter any column; click a row to open the deal card.", className="muted"),
            grid,
        ]),
    ])


def highlight(atlas: Atlas, deals: pd.DataFrame, state: ViewState):
    """A chosen cycle wins over the focus neighbourhood."""
    if state.cycle:
        cycle = cycle_by_id(find_cycles(deals), state.cycle)
        if cycle:
            return set(cycle.companies), cycle_deal_ids(cycle)
    return focus_highlight(atlas, deals, state)


def _hop_text(atlas: Atlas, hop) -> str:
    deals = atlas.dataset.deals.set_index("id").loc[list(hop.deal_ids)]
    parts = [amount_as_stated(a, q) for a, q in zip(deals["amount_usd"], deals["amount_qualifier"])]
    return " + ".join(parts)


def cycle_items(atlas: Atlas, deals: pd.DataFrame, selected: str | None) -> tuple[list, str]:
    search = find_cycles(deals)
    names = atlas.dataset.companies["name"]
    items = []
    for cycle in search.cycles[:CYCLES_SHOWN]:
        route = " → ".join(names[c] for c in (*cycle.companies, cycle.companies[0]))
        hops = [html.Li(f"{names[h.from_id]} → {names[h.to_id]}: {_hop_text(atlas, h)}") for h in cycle.hops]
        bottleneck = money(cycle.bottleneck) if cycle.bottleneck else "undisclosed"
        items.append(html.Li(className="cycle selected" if cycle.id == selected else "cycle", children=[
            html.Button(route, id={"type": ids.OPEN_CYCLE, "id": cycle.id}, n_clicks=0, className="link-button"),
            html.Span(f" · smallest hop {bottleneck} · latest {cycle.latest:%b %Y}", className="muted"),
            html.Ul(hops, className="hops") if cycle.id == selected else None,
        ]))
    note = f"{len(search.cycles)} loops in this view."
    if search.capped:
        note += f" The search was capped ({search.cap_reason}); narrow the filters to see every loop."
    elif len(search.cycles) > CYCLES_SHOWN:
        note += f" Showing the top {CYCLES_SHOWN}."
    return items or [html.Li("No circular deals in this view.", className="muted")], note


def metrics_view(atlas: Atlas, deals: pd.DataFrame) -> html.Div:
    names = atlas.dataset.companies["name"]
    ranks = who_matters(deals, n=6)

    def column(title, rows, fmt):
        return html.Div([html.H3(title), html.Ol([html.Li(f"{names[c]} · {fmt(v)}") for c, v in rows])
                         if rows else html.P("–", className="muted")])

    return html.Div(className="metric-columns", children=[
        column("Money received", ranks["received"], money),
        column("Money paid out", ranks["paid"], money),
        column("Brokers (betweenness)", ranks["betweenness"], lambda v: f"{v:.2f}"),
    ])


def sankey_figure(atlas: Atlas, deals: pd.DataFrame) -> dict:
    data = sankey_flows(deals)
    if not data.links:
        return empty_figure("No money flows match these filters")
    names = atlas.dataset.companies["name"]
    by_id = atlas.dataset.deals.set_index("id")
    stages = sorted({stage for _, stage in data.nodes})
    x = {s: 0.01 + 0.98 * i / max(len(stages) - 1, 1) for i, s in enumerate(stages)}
    link_colors, hovers = [], []
    for _, _, _, deal_ids in data.links:
        first = by_id.loc[deal_ids[0]]
        link_colors.append(rgba(DEAL_COLORS[first["deal_type"]], 0.45))
        lines = [f"{d:%Y-%m-%d} · {amount_as_stated(a, q)}" for d, a, q in
                 zip(by_id.loc[list(deal_ids), "date"], by_id.loc[list(deal_ids), "amount_usd"],
                     by_id.loc[list(deal_ids), "amount_qualifier"])]
        hovers.append("<br>".join(lines[:12]) + ("<br>…" if len(lines) > 12 else ""))
    return {
        "data": [{
            "type": "sankey", "arrangement": "snap", "valueformat": "$.3~s",
            "node": {"label": [names[c] for c, _ in data.nodes], "pad": 8, "thickness": 12,
                     "x": [x[s] for _, s in data.nodes],
                     "customdata": [STAGE_LABELS[s] for _, s in data.nodes],
                     "hovertemplate": "%{label}<br>%{customdata}<extra></extra>"},
            "link": {"source": [l[0] for l in data.links], "target": [l[1] for l in data.links],
                     # undisclosed links keep a sliver so the relation stays visible
                     "value": [max(l[2], 5e7) for l in data.links], "color": link_colors,
                     "customdata": hovers,
                     "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>"},
        }],
        "layout": {**LAYOUT, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
                   "annotations": [{"text": f"<b>{label}</b>", "x": x[s], "y": 1.04, "xref": "paper",
                                    "yref": "paper", "showarrow": False,
                                    # the outer columns' titles align inwards so they are never cut off
                                    "xanchor": "left" if x[s] < 0.1 else "right" if x[s] > 0.9 else "center"}
                                   for s, label in enumerate(STAGE_LABELS) if s in x]},
    }


def company_profile(atlas: Atlas, deals: pd.DataFrame, company: str) -> list:
    """Extra panel sections: round-trip share, compute, partners, money by year."""
    names = atlas.dataset.companies["name"]
    share = round_trip_share(deals, company)
    gw = committed_compute_gw(deals, company)
    partners = biggest_partners(deals, company, n=5)
    years = money_by_year(deals, company)
    facts = [
        html.Dt("Round-trip share"),
        html.Dd(f"{share:.0%} of its stated inflow comes from companies it pays" if share is not None else "–"),
        html.Dt("Compute committed"), html.Dd(f"{gw:g} GW" if gw else "–"),
    ]
    children = [html.Dl(facts)]
    if partners:
        children += [html.H3("Biggest partners (stated $)"),
                     html.Ol([html.Li(f"{names[c]} · {money(v)}") for c, v in partners], className="deal-list")]
    if not years.empty:
        children += [html.H3("Money by year"), dcc.Graph(
            config={"displayModeBar": False, "staticPlot": True}, style={"height": "170px"},
            figure={"data": [
                {"type": "bar", "name": "in", "x": [str(y) for y in years.index], "y": list(years["in_usd"]),
                 "marker": {"color": "#0072B2"}},
                {"type": "bar", "name": "out", "x": [str(y) for y in years.index], "y": list(years["out_usd"]),
                 "marker": {"color": "#E69F00"}},
            ], "layout": {**LAYOUT, "barmode": "group", "margin": {"l": 40, "r": 5, "t": 5, "b": 25},
                          "yaxis": dict(MONEY_AXIS), "legend": {"orientation": "h", "y": 1.15},
                          "height": 170}})]
    return children


def render_sections(atlas: Atlas, query: str | None) -> tuple:
    state, _ = parse(query or "", atlas.context)
    deals = filter_deals(atlas.dataset, state)
    items, note = cycle_items(atlas, deals, state.cycle)
    return items, note, metrics_view(atlas, deals), deal_records(atlas.dataset, deals)


def register(app, atlas: Atlas) -> None:
    @app.callback(
        Output(ids.CYCLES, "children"), Output(ids.CYCLES_NOTE, "children"), Output(ids.METRICS, "children"),
        Output(ids.TABLE, "rowData"), Input(ids.STATE, "data"), Input(ids.PLAYING, "data"),
    )
    def update_sections(query, playing):
        if playing is True:  # during Play only the map moves; the sections catch up when it stops
            return (no_update,) * 4
        return render_sections(atlas, query)
