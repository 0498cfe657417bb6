"""plotly's naive network recipe, the baseline both benchmarks compare against.

What the plotly docs' network-graph example does on every callback: build a networkx graph,
run `spring_layout`, return a go.Figure of one edge trace and one node trace.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.graph_objects as go


def naive_figure(deals: pd.DataFrame) -> go.Figure:
    graph = nx.Graph()
    graph.add_edges_from(zip(deals["from_id"], deals["to_id"], strict=True))
    pos = nx.spring_layout(graph, seed=7)
    edge_x, edge_y = [], []
    for a, b in graph.edges():
        edge_x += [pos[a][0], pos[b][0], None]
        edge_y += [pos[a][1], pos[b][1], None]
    nodes = list(graph.nodes())
    return go.Figure(
        data=[
            go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"width": 0.5, "color": "#888"}, hoverinfo="none"),
            go.Scatter(
                x=[pos[n][0] for n in nodes],
                y=[pos[n][1] for n in nodes],
                mode="markers",
                text=nodes,
                hoverinfo="text",
                marker={"size": 10},
            ),
        ],
        layout=go.Layout(
            showlegend=False,
            hovermode="closest",
            margin={"b": 20, "l": 5, "r": 5, "t": 20},
            xaxis={"showgrid": False, "zeroline": False, "showticklabels": False},
            yaxis={"showgrid": False, "zeroline": False, "showticklabels": False},
        ),
    )
