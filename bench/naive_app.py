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

from dash import Dash, Input, Output, dcc, html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.dataset import DEFAULT_DATA_DIR, load_dataset  # noqa: E402
from alliance.schema import DEAL_TYPES  # noqa: E402
from alliance.timeline import months_between, window  # noqa: E402
from bench.naive import naive_figure  # noqa: E402

DATASET = load_dataset(os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR)
DEALS = DATASET.deals
MONTHS = months_between(DEALS["date"].min().date(), DEALS["date"].max().date())

app = Dash(__name__, title="naive network recipe")
app.layout = html.Div(
    [
        dcc.Checklist(id="filter-types", options=list(DEAL_TYPES), value=list(DEAL_TYPES), inline=True),
        dcc.RangeSlider(id="timeline", min=0, max=len(MONTHS) - 1, step=1, value=[0, len(MONTHS) - 1]),
        dcc.Graph(id="network-graph", style={"height": "80vh"}),
    ]
)


@app.callback(Output("network-graph", "figure"), Input("filter-types", "value"), Input("timeline", "value"))
def update(types, timeline):
    date_from, date_to = window(MONTHS, *timeline)
    deals = DEALS[DEALS["deal_type"].isin(types) & DEALS["date"].between(str(date_from), str(date_to))]
    return naive_figure(deals)


server = app.server


_SETUP_LOCK = threading.Lock()


def _setup_once():
    """Dash's first-request setup is not thread-safe under gthread workers (see components/guard.py)."""
    with _SETUP_LOCK:
        app._setup_server()  # pylint: disable=protected-access


server.before_request_funcs.setdefault(None, []).insert(0, _setup_once)
