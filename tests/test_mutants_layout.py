"""Node layout details the broader layout tests leave open (found by mutation testing, tests/MUTATION.md).

Expected values are worked out by hand from the docstrings: sizes, the reference canvas, the
big-graph force layout's start area and step bound.
"""

from __future__ import annotations

import json
import logging
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alliance import layout
from alliance.layout import (
    LAYOUT_VERSION, _local_force_layout, _to_reference_px, cached_positions, compute_positions, node_diameter,
    node_money, remove_overlaps,
)


def deals(*rows):
    return pd.DataFrame(rows, columns=["from_id", "to_id", "amount_usd"])


def test_node_money_adds_what_a_company_sends_and_receives():
    frame = deals(("a", "b", 10.0), ("b", "c", 5.0), ("c", "a", float("nan")))
    assert node_money(frame).to_dict() == {"a": 10.0, "b": 15.0, "c": 5.0}
    counted = pd.Series([1.0, float("nan"), 2.0])
    assert node_money(frame, counted).to_dict() == {"a": 3.0, "b": 1.0, "c": 2.0}


@pytest.mark.parametrize("money, peak, expected", [
    (4.0, 16.0, 21.0),          # sqrt(1/4) = 0.5 of the 26 px range
    (1.0, 3.0, 23.0),           # 8 + 26 * 0.57735 = 23.01 -> one decimal
    (50.0, 0.0, 34.0),          # no peak: money is measured against 1 dollar, capped
    (-5.0, 100.0, 8.0),         # negative money is no money
    (400.0, 100.0, 34.0),       # above the peak is capped
    (0.0, 100.0, 8.0),
])
def test_node_diameter_cases(money, peak, expected):
    assert float(node_diameter(money, peak)) == expected


def test_to_reference_px_fills_the_plot_inside_its_margins():
    px = _to_reference_px(np.array([[0.0, 0.0], [2.0, 4.0], [1.0, 2.0]]))
    # 2 % margins of 1440 x 760 px: 28.8 .. 1411.2 and 15.2 .. 744.8
    assert px.round(6).tolist() == [[28.8, 15.2], [1411.2, 744.8], [720.0, 380.0]]
    same = _to_reference_px(np.array([[3.0, 3.0], [3.0, 3.0]]))
    assert same.round(6).tolist() == [[28.8, 15.2], [28.8, 15.2]]


def test_remove_overlaps_leaves_separate_circles_alone():
    points = np.array([[10.0, 10.0], [50.0, 10.0]])
    moved = remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), gap=6)
    assert moved.tolist() == [[10.0, 10.0], [50.0, 10.0]]
    assert points.tolist() == [[10.0, 10.0], [50.0, 10.0]]  # the input is not changed in place


def test_remove_overlaps_separates_circles_on_one_spot_by_the_default_gap():
    points = np.array([[50.0, 50.0], [50.0, 50.0]])
    moved = remove_overlaps(points, np.array([4.0, 4.0]), (100.0, 100.0))
    distance = math.dist(moved[0], moved[1])
    assert 14.0 <= distance < 14.5  # 4 + 4 + the 6 px gap, and not pushed far beyond it


def test_remove_overlaps_moves_each_circle_half_the_overlap():
    points = np.array([[40.0, 50.0], [50.0, 50.0]])
    moved = remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), gap=2, passes=1)
    # need 12, distance 10: each moves (12 - 10) / 2 + 0.01 along the line between them
    assert moved.round(6).tolist() == [[38.99, 50.0], [51.01, 50.0]]


def test_remove_overlaps_keeps_circles_inside_the_box():
    points = np.array([[1.0, 1.0], [2.0, 1.0], [99.0, 99.0]])
    moved = remove_overlaps(points, np.array([5.0, 5.0, 5.0]), (100.0, 100.0), gap=2)
    assert (moved >= 6.0 - 1e-9).all() and (moved <= 94.0 + 1e-9).all()  # radius + gap / 2 from each side
    assert math.dist(moved[0], moved[1]) >= 12 - 1e-6


def test_remove_overlaps_with_no_passes_changes_nothing():
    points = np.array([[50.0, 50.0], [51.0, 50.0]])
    assert remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), passes=0).tolist() == points.tolist()


def ring_with_islands(ring: int = 12, islands: int = 4) -> nx.Graph:
    graph = nx.cycle_graph([f"r{i}" for i in range(ring)])
    graph.add_nodes_from(f"i{i}" for i in range(islands))
    return graph


def test_local_force_layout_starts_spread_over_an_area_growing_with_the_node_count():
    graph = ring_with_islands(60, 4)  # 64 nodes: a start square of side 8, centred on 0
    start = np.array(list(_local_force_layout(graph, seed=3, iterations=0).values()))
    assert start.shape == (64, 2)
    assert (np.abs(start) <= 4.0).all()
    assert np.ptp(start[:, 0]) > 6.5 and np.ptp(start[:, 1]) > 6.5


def test_local_force_layout_moves_a_node_at_most_one_step_per_iteration():
    graph = ring_with_islands(60, 4)  # side 8: the first step is 0.8
    start = np.array(list(_local_force_layout(graph, seed=3, iterations=0).values()))
    one = np.array(list(_local_force_layout(graph, seed=3, iterations=1).values()))
    moved = np.hypot(*(one - start).T)
    assert moved.max() <= 0.8 + 1e-9
    assert moved.max() > 0.79  # ring neighbours pull hard: someone takes a full step


def test_local_force_layout_pulls_partners_together_and_keeps_others_apart():
    graph = ring_with_islands(12, 4)
    pos = _local_force_layout(graph, seed=7)
    assert set(pos) == set(graph)
    ring = [f"r{i}" for i in range(12)]
    partners = np.mean([math.dist(pos[a], pos[b]) for a, b in zip(ring, ring[1:] + ring[:1])])
    strangers = np.mean([math.dist(pos[a], pos[b]) for a in ring for b in ring if a < b])
    assert partners < 0.6 * strangers
    closest = min(math.dist(pos[a], pos[b]) for a in pos for b in pos if a < b)
    assert closest > 0.05  # repulsion: no two companies collapse onto one point


def test_local_force_layout_is_repeatable_and_seeded():
    graph = ring_with_islands(8, 2)
    first = _local_force_layout(graph, seed=1, iterations=5)
    again = _local_force_layout(graph, seed=1, iterations=5)
    other = _local_force_layout(graph, seed=2, iterations=5)
    assert all(np.array_equal(first[n], again[n]) for n in graph)
    assert not all(np.array_equal(first[n], other[n]) for n in graph)


def test_local_force_layout_logs_progress_every_20_steps(caplog):
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        _local_force_layout(ring_with_islands(4, 0), seed=1, iterations=40)
    assert [r.getMessage() for r in caplog.records] == ["layout: step 20 of 40", "layout: step 40 of 40"]


def test_big_graphs_take_the_local_layout_and_stay_free_of_overlaps(monkeypatch, caplog):
    monkeypatch.setattr(layout, "FA2_MAX_NODES", 3)
    companies = pd.DataFrame(index=[f"c{i}" for i in range(6)])
    frame = deals(("c0", "c1", 1e9), ("c1", "c2", 4e9), ("c3", "c4", 1e6), ("c0", "c1", 1e9))
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        pos = compute_positions(companies, frame)
    assert "layout: 6 companies — local force layout (ForceAtlas2 would need n² memory)" in caplog.messages
    assert list(pos) == [f"c{i}" for i in range(6)]
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in pos.values())
    assert all(round(v, 5) == v for xy in pos.values() for v in xy)


def test_compute_positions_of_nothing_is_empty():
    assert compute_positions(pd.DataFrame(index=[]), deals()) == {}


def test_compute_positions_flips_y_so_that_up_is_up(monkeypatch):
    """The layout's y is taken as px (growing downwards) and flipped for the plot, whose y grows upwards."""
    monkeypatch.setattr(layout, "_force_layout", lambda graph, sizes, seed: {"a": (0.0, 5.0), "b": (0.0, -5.0)})
    pos = compute_positions(pd.DataFrame(index=["a", "b"]), deals(("a", "b", 0.0)))
    # 8 px nodes, far apart: a at px y 744.8 (bottom of the canvas) is plot y 0.02; b at px 15.2 is 0.98
    assert pos == {"a": (0.02, 0.02), "b": (0.02, 0.98)}


def test_compute_positions_sizes_and_weights_reach_the_force_layout(monkeypatch):
    seen = {}

    def fake(graph, sizes, seed):
        seen.update(sizes=sizes, weights={tuple(sorted(e)): w for *e, w in graph.edges(data="weight")}, seed=seed)
        return {n: (float(i), float(i)) for i, n in enumerate(graph)}

    monkeypatch.setattr(layout, "_force_layout", fake)
    frame = deals(("a", "b", 4e9), ("b", "a", 0.0), ("a", "b", 0.0), ("c", "a", 0.0))
    compute_positions(pd.DataFrame(index=["a", "b", "c"]), frame)
    # a and b each handle $4B, the peak: 34 px / 34; c handles nothing: 8 px / 34
    assert seen["sizes"] == {"a": 1.0, "b": 1.0, "c": 8.0 / 34.0}
    assert seen["weights"] == {("a", "b"): 3, ("a", "c"): 1}  # both directions of a pair add up
    assert seen["seed"] == 7


def test_cache_that_lists_other_companies_is_recomputed(tiny_atlas, tmp_path, caplog):
    companies, frame = tiny_atlas.dataset.companies, tiny_atlas.dataset.deals
    path = tmp_path / f"positions-{LAYOUT_VERSION}-v9.json"
    path.write_text(json.dumps({"someone-else": [0.5, 0.5]}))
    with caplog.at_level(logging.WARNING, logger="alliance.layout"):
        pos = cached_positions(companies, frame, "v9", tmp_path)
    assert set(pos) == set(companies.index)
    assert any("does not match the dataset" in m for m in caplog.messages)
    assert set(json.loads(path.read_text())) == set(companies.index)  # and the fresh layout is stored


def test_cache_that_cannot_be_written_only_logs(tiny_atlas, tmp_path, caplog):
    companies, frame = tiny_atlas.dataset.companies, tiny_atlas.dataset.deals
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="alliance.layout"):
        pos = cached_positions(companies, frame, "v1", blocker / "cache")
    assert set(pos) == set(companies.index)
    assert any("not written" in m for m in caplog.messages)


def test_no_cache_folder_means_no_file(tiny_atlas, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    cached_positions(tiny_atlas.dataset.companies, tiny_atlas.dataset.deals, "v1", None)
    assert list(here.iterdir()) == []


def test_big_datasets_log_the_layout_time(monkeypatch, caplog):
    monkeypatch.setattr(layout, "compute_positions", lambda companies, frame: {})
    companies = pd.DataFrame(index=[f"c{i}" for i in range(301)])
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        cached_positions(companies, deals(), "v1", None)
    assert caplog.messages[0] == "layout: computing positions for 301 companies and 0 deals (once per dataset version)…"
    assert caplog.messages[1].startswith("layout: done in ")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        cached_positions(companies.iloc[:300], deals(), "v1", None)
    assert caplog.messages == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_strangers_settle_at_the_repulsion_cut_off(seed):
    """Repulsion reaches 3 units; gravity pulls back beyond that: they end about 3 apart."""
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b"])
    pos = _local_force_layout(graph, seed=seed)
    assert 2.9 <= math.dist(pos["a"], pos["b"]) <= 3.12


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_hub_holds_its_partners_where_pull_and_push_balance(seed):
    """Star of 3: a leaf feels pull r² from the hub and push 1/r from it plus 1/r from the two other
    leaves (at r√3, at 30° each): r² = 2/r, so r = 2^(1/3) ≈ 1.26."""
    pos = _local_force_layout(nx.star_graph(["h", "x", "y", "z"]), seed=seed)
    for leaf in "xyz":
        assert abs(math.dist(pos["h"], pos[leaf]) - 2 ** (1 / 3)) < 0.1


def test_a_pair_of_partners_ends_one_unit_apart():
    graph = nx.Graph()
    graph.add_edge("a", "b")
    pos = _local_force_layout(graph, seed=1)
    assert abs(math.dist(pos["a"], pos["b"]) - 1.0) < 0.1  # pull d² meets push 1 / d at d = 1
