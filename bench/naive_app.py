"""plotly's naive network recipe as a Dash app, the baseline of bench/bench_browser.py.

What the plotly docs' network-graph example does, wired to the same controls as the map (deal
type checklist `filter-types`, timeline `timeline`): filter with pandas, build a networkx graph,
run `spring_layout` in the callback, return a go.Figure of one edge trace and one node trace.
Reads the same dataset (DATA_DIR). Serve with: gunicorn bench.naive_app:server
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import networkx as nx
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.dataset import DEFAULT_DATA_DIR, load_dataset  # noqa: E402
from alliance.schema import DEAL_TYPES  # noqa: E402
from alliance.timeline import months_between, window  # noqa: E402

DATASET = load_dataset(os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR)
DEALS = DATASET.deals
MONTHS = months_between(DEALS["date"].min().date(), DEALS["date"].max().date())

app = Dash(__name__, title="naive network recipe")
app.layout = html.Div([
    dcc.Checklist(id="filter-types", options=list(DEAL_TYPES), value=list(DEAL_TYPES), inline=True),
    dcc.RangeSlider(id="timeline", min=0, max=len(MONTHS) - 1, step=1, value=[0, len(MONTHS) - 1]),
    dcc.Graph(id="network-graph", style={"height": "80vh"}),
])


@app.callback(Output("network-graph", "figure"), Input("filter-types", "value"), Input("timeline", "value"))
def update(types, timeline):
    date_from, date_to = window(MONTHS, *timeline)
    deals = DEALS[DEALS["deal_type"].isin(types) & DEALS["date"].between(str(date_from), str(date_to))]
    graph = nx.Graph()
    graph.add_edges_from(zip(deals["from_id"], deals["to_id"]))
    pos = nx.spring_layout(graph, seed=7)
    edge_x, edge_y = [], []
    for a, b in graph.edges():
        edge_x += [pos[a][0], pos[b][0], None]
        edge_y += [pos[a][1], pos[b][1], None]
    nodes = list(graph.nodes())
    return go.Figure(
        data=[go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"width": 0.5, "color": "#888"}, hoverinfo="none"),
              go.Scatter(x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers",
                         text=nodes, hoverinfo="text", marker={"size": 10})],
        layout=go.Layout(showlegend=False, hovermode="closest", margin={"b": 20, "l": 5, "r": 5, "t": 20},
                         xaxis={"showgrid": False, "zeroline": False, "showticklabels": False},
                         yaxis={"showgrid": False, "zeroline": False, "showticklabels": False}),
    )


server = app.server


_SETUP_LOCK = threading.Lock()


def _setup_once():
    """Dash's first-request setup is not thread-safe under gthread workers (see components/guard.py)."""
    with _SETUP_LOCK:
        app._setup_server()  # pylint: disable=protected-access


server.before_request_funcs.setdefault(None, []).insert(0, _setup_once)
