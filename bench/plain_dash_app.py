"""Baseline for bench/load_sessions.py: a plain Dash network app over the same deals.

What a competent first version looks like, with no serving work: the data read once, node
positions computed once (networkx spring layout, fixed seed), three filters (deal types, year
range, focus company) feeding one callback that builds a `go.Figure`, and a click callback for
the details text. Dash defaults (no compression), served by `gunicorn bench.plain_dash_app:server`.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

DATA = Path(__file__).resolve().parent.parent / "data"

companies = pd.read_csv(DATA / "companies.csv", dtype=str, keep_default_na=False).set_index("id")
deals = pd.read_csv(DATA / "deals.csv", dtype=str, keep_default_na=False)
deals["year"] = deals["date"].str[:4].astype(int)
deals["amount"] = pd.to_numeric(deals["amount_usd"], errors="coerce")
graph = nx.from_pandas_edgelist(deals, "from_id", "to_id")
positions = nx.spring_layout(graph, seed=7)
types = sorted(deals["deal_type"].unique())
years = (int(deals["year"].min()), int(deals["year"].max()))

app = Dash(__name__, title="Plain Dash network")
server = app.server
app.layout = html.Div(
    [
        html.H1("AI deals (plain Dash)"),
        dcc.Checklist(id="types", options=types, value=types, inline=True),
        dcc.RangeSlider(
            id="years",
            min=years[0],
            max=years[1],
            step=1,
            value=list(years),
            marks={y: str(y) for y in range(years[0], years[1] + 1)},
        ),
        dcc.Dropdown(id="focus", options=[{"label": n, "value": i} for i, n in companies["name"].items()], value=None),
        dcc.Graph(id="graph", style={"height": "80vh"}),
        html.Div(id="summary"),
        html.Pre(id="details"),
    ]
)


@app.callback(
    Output("graph", "figure"),
    Output("summary", "children"),
    Input("types", "value"),
    Input("years", "value"),
    Input("focus", "value"),
)
def update_graph(selected_types, year_range, focus):
    view = deals[deals["deal_type"].isin(selected_types or []) & deals["year"].between(*(year_range or years))]
    if focus:
        view = view[(view["from_id"] == focus) | (view["to_id"] == focus)]
    figure = go.Figure()
    for deal_type, group in view.groupby("deal_type"):
        xs, ys = [], []
        for a, b in zip(group["from_id"], group["to_id"], strict=True):
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=deal_type, hoverinfo="skip"))
    nodes = sorted(set(view["from_id"]) | set(view["to_id"]))
    figure.add_trace(
        go.Scatter(
            x=[positions[n][0] for n in nodes],
            y=[positions[n][1] for n in nodes],
            mode="markers+text",
            text=[companies.loc[n, "name"] for n in nodes],
            customdata=nodes,
            textposition="top center",
            marker={"size": 12},
            name="companies",
        )
    )
    figure.update_layout(
        showlegend=True, xaxis={"visible": False}, yaxis={"visible": False}, margin={"l": 0, "r": 0, "t": 0, "b": 0}
    )
    total = view["amount"].sum()
    return figure, f"{len(view)} deals, ${total / 1e9:,.1f}B disclosed"


@app.callback(Output("details", "children"), Input("graph", "clickData"))
def show_details(click):
    if not click:
        return "Click a company."
    company = click["points"][0].get("customdata")
    rows = deals[(deals["from_id"] == company) | (deals["to_id"] == company)]
    return "\n".join(f"{r.date} {r.summary}" for r in rows.itertuples())
