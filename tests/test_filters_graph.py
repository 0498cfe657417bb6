"""Filters, positions and figure building on the tiny hand-made dataset."""

from __future__ import annotations

import datetime as dt

import numpy as np

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from alliance.filters import filter_deals
from alliance.graph import money_through, neighbourhood
from alliance.text import amount_as_stated, money
from alliance.viewstate import default_state
from components.figures import edge_dash, edge_width, network_figure


def ids_of(frame):
    return list(frame["id"])


def test_filters_by_type_window_role_and_amount(tiny_atlas):
    base = default_state(tiny_atlas.context)
    data = tiny_atlas.dataset
    assert ids_of(filter_deals(data, base)) == ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]
    assert ids_of(filter_deals(data, base.with_(types=("equity_investment",)))) == ["d1", "d4", "d6"]
    window = base.with_(date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30))
    assert ids_of(filter_deals(data, window)) == ["d2", "d3"]
    # Without 'investor', Fund Capital disappears but Chips Inc stays (it is also a chipmaker).
    no_investors = base.with_(roles=("model_lab", "cloud_provider", "chipmaker", "application"))
    assert ids_of(filter_deals(data, no_investors)) == ["d2", "d3", "d4", "d5", "d6", "d7"]
    # Undisclosed amounts drop out once a minimum is set.
    assert ids_of(filter_deals(data, base.with_(min_amount=5e9))) == ["d2", "d4", "d6"]


def test_positions_are_stable_across_filters_and_reloads(tiny_dir):
    first, second = (build_atlas(load_dataset(tiny_dir)) for _ in range(2))
    assert first.geometry.positions == second.geometry.positions
    state = default_state(first.context).with_(types=("chip_supply",))
    figure = network_figure(first, filter_deals(first.dataset, state))
    nodes = [t for t in figure["data"] if t.get("legendgroup", "").startswith("role-")]
    for trace in nodes:
        for (kind, cid), x, y in zip(trace["customdata"], trace["x"], trace["y"]):
            assert (x, y) == first.geometry.positions[cid]


def test_parallel_deals_get_distinct_curves(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    rows = deals.index[(deals["from_id"].isin(["lab", "cloud"])) & (deals["to_id"].isin(["lab", "cloud"]))]
    assert len(rows) == 3  # compute, distribution, equity between Lab and Cloud
    midpoints = tiny_atlas.geometry.curves[rows, 4]
    assert len({tuple(np.round(m, 4)) for m in midpoints}) == 3


def test_arrow_points_along_the_money(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    row = deals.index[deals["id"] == "d1"][0]
    (x0, y0), (x1, y1) = tiny_atlas.geometry.positions["fund"], tiny_atlas.geometry.positions["lab"]
    angle = np.radians(90 - tiny_atlas.geometry.arrow_angles[row])
    direction = np.array([np.cos(angle), np.sin(angle)])
    assert direction @ np.array([x1 - x0, y1 - y0]) > 0


def test_neighbourhood_depths(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    assert neighbourhood(deals, "fund", 1) == {"fund", "lab"}
    assert neighbourhood(deals, "fund", 2) == {"fund", "lab", "cloud", "chips", "app"}


def test_money_through_counts_both_directions(tiny_atlas):
    through = money_through(tiny_atlas.dataset.deals)
    assert through["lab"] == 1e9 + 30e9 + 10e9 + 5e9 + 0.65e9
    assert through["fund"] == 1e9


def test_figure_marks_qualifiers_and_hover(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals)
    lines = [t for t in figure["data"] if t["mode"] == "lines"]
    assert {t["line"]["dash"] for t in lines} == {"solid", "dash", "dot"}
    arrows = [t for t in figure["data"] if t.get("marker", {}).get("symbol") == "arrow"]
    hover = " ".join(h for t in arrows for h in t["hovertext"])
    assert "Chips Inc → Lab AI" in hover and "up to $10B" in hover and "1 GW" in hover
    assert sum(len(t["customdata"]) for t in arrows) == 7


def test_empty_view_says_so(tiny_atlas):
    state = default_state(tiny_atlas.context).with_(types=())
    figure = network_figure(tiny_atlas, filter_deals(tiny_atlas.dataset, state))
    assert figure["data"] == []
    assert figure["layout"]["annotations"][0]["text"] == "No deals match these filters"


def test_focus_dims_everything_outside_the_neighbourhood(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    figure = network_figure(tiny_atlas, deals, highlight_nodes={"fund", "lab"})
    nodes = {cid: op for t in figure["data"] if t.get("legendgroup", "").startswith("role-")
             for (_, cid), op in zip(t["customdata"], t["marker"]["opacity"])}
    assert nodes["fund"] == 1.0 and nodes["lab"] == 1.0 and nodes["chips"] < 1.0


def test_amount_words_and_widths():
    assert amount_as_stated(10e9, "up_to") == "up to $10B"
    assert amount_as_stated(2.7e9, "about") == "about $2.7B"
    assert amount_as_stated(float("nan"), "undisclosed") == "undisclosed"
    assert money(1.25e9) == "$1.25B" and money(1.4e12) == "$1.4T" and money(650e6) == "$650M"
    assert [edge_width(a) for a in (float("nan"), 1e8, 1e9, 1e10, 1e12)] == [1, 1, 3, 4, 6]
    assert edge_dash("up_to", 1e9) == "dash" and edge_dash("exact", float("nan")) == "dot"
