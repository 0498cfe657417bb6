"""Node layout (no overlaps, disk cache), with hand-made cases (label placement: tests/js/map.test.js)."""

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
    LAYOUT_VERSION,
    REFERENCE_PLOT,
    _local_force_layout,
    _to_reference_px,
    cached_positions,
    compute_positions,
    node_diameter,
    node_money,
    remove_overlaps,
)


def test_shipped_layout_has_no_overlapping_nodes_at_the_reference_size(shipped_atlas):
    companies, deals = shipped_atlas.dataset.companies, shipped_atlas.dataset.deals
    ids = list(companies.index)
    px = np.array([shipped_atlas.geometry.positions[c] for c in ids]) * np.array(REFERENCE_PLOT)
    money = node_money(deals).reindex(ids, fill_value=0.0).to_numpy()
    radius = node_diameter(money, money.max()) / 2
    gaps = np.hypot(*(px[:, None, :] - px[None, :, :]).transpose(2, 0, 1)) - (radius[:, None] + radius[None, :])
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 0
    # The web uses the whole plot, not half of it.
    assert np.ptp(px[:, 0]) > 0.8 * REFERENCE_PLOT[0] and np.ptp(px[:, 1]) > 0.8 * REFERENCE_PLOT[1]


def test_hubs_sit_apart(shipped_atlas):
    pos = shipped_atlas.geometry.positions
    hubs = ["openai", "anthropic", "microsoft", "nvidia", "amazon", "google"]
    for i, a in enumerate(hubs):
        for b in hubs[i + 1 :]:
            assert np.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]) > 0.08, (a, b)


def test_remove_overlaps_pushes_circles_apart():
    points = np.array([[100.0, 100.0], [105.0, 100.0], [100.0, 104.0]])
    radius = np.array([10.0, 10.0, 10.0])
    moved = remove_overlaps(points, radius, (400.0, 400.0), gap=2)
    for i in range(3):
        for j in range(i + 1, 3):
            assert np.hypot(*(moved[i] - moved[j])) >= 22 - 1e-6


def test_node_diameter_is_relative_to_the_dataset_peak():
    assert list(node_diameter(np.array([0.0, 25.0, 100.0]), 100.0)) == [8.0, 21.0, 34.0]


def test_positions_are_cached_by_dataset_version(tiny_atlas, tmp_path):
    companies, deals = tiny_atlas.dataset.companies, tiny_atlas.dataset.deals
    first = cached_positions(companies, deals, "v1", tmp_path)
    path = tmp_path / f"positions-{LAYOUT_VERSION}-v1.json"
    assert path.exists() and json.loads(path.read_text()) == {k: list(v) for k, v in first.items()}
    # A cached file is used as is (here: doctored, to prove it is read and not recomputed).
    path.write_text(json.dumps({cid: [0.5, 0.5] for cid in companies.index}))
    assert set(cached_positions(companies, deals, "v1", tmp_path).values()) == {(0.5, 0.5)}
    # Another version, or a broken file, is recomputed.
    assert cached_positions(companies, deals, "v2", tmp_path) == compute_positions(companies, deals)
    path.write_text("{not json")
    assert cached_positions(companies, deals, "v1", tmp_path) == first


# --- Node layout details the broader layout tests leave open. Expected values are worked out by hand from the
# docstrings: sizes, the reference canvas, the big-graph force layout's start area and step bound. (From mutation
# testing, tests/MUTATION.md.)


def deals(*rows):
    return pd.DataFrame(rows, columns=["from_id", "to_id", "amount_usd"])


def test_node_money_adds_what_a_company_sends_and_receives():
    frame = deals(("a", "b", 10.0), ("b", "c", 5.0), ("c", "a", float("nan")))
    assert node_money(frame).to_dict() == {"a": 10.0, "b": 15.0, "c": 5.0}
    counted = pd.Series([1.0, float("nan"), 2.0])
    assert node_money(frame, counted).to_dict() == {"a": 3.0, "b": 1.0, "c": 2.0}


@pytest.mark.parametrize(
    "money, peak, expected",
    [
        (4.0, 16.0, 21.0),  # sqrt(1/4) = 0.5 of the 26 px range
        (1.0, 3.0, 23.0),  # 8 + 26 * 0.57735 = 23.01 -> one decimal
        (50.0, 0.0, 34.0),  # no peak: money is measured against 1 dollar, capped
        (-5.0, 100.0, 8.0),  # negative money is no money
        (400.0, 100.0, 34.0),  # above the peak is capped
        (0.0, 100.0, 8.0),
    ],
)
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
    partners = np.mean([math.dist(pos[a], pos[b]) for a, b in zip(ring, ring[1:] + ring[:1], strict=True)])
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


def test_node_diameter_keeps_one_decimal_and_measures_against_one_dollar_without_a_peak():
    assert float(node_diameter(1.0, 2.0)) == 26.4  # 8 + 26 * sqrt(0.5) = 26.38
    assert float(node_diameter(0.5, 0.0)) == 26.4  # no peak: against $1


def test_initial_positions_fill_the_square_from_minus_one_to_one():
    from alliance.layout import _initial_positions

    start = np.array(list(_initial_positions(nx.empty_graph(300), seed=5).values()))
    assert start.min() >= -1.0 and start.max() <= 1.0
    assert start.min() < -0.95 and start.max() > 0.95


def test_to_reference_px_stretches_a_span_smaller_than_one():
    px = _to_reference_px(np.array([[0.0, 0.0], [0.5, 0.25]]))
    assert px.round(6).tolist() == [[28.8, 15.2], [1411.2, 744.8]]


def test_force_layout_settings(monkeypatch):
    """ForceAtlas2 gets the seeded start positions, node sizes, hub dissuasion and strong gravity."""
    from alliance.layout import _force_layout, _initial_positions

    seen = {}
    monkeypatch.setattr(nx, "forceatlas2_layout", lambda graph, **kw: seen.update(kw) or {})
    graph = nx.path_graph(["a", "b", "c"])
    _force_layout(graph, {"a": 1.0}, seed=4)
    expected_start = _initial_positions(graph, 4)
    assert set(seen["pos"]) == set("abc") and all(np.array_equal(seen["pos"][n], expected_start[n]) for n in "abc")
    assert (seen["node_size"], seen["seed"], seen["distributed_action"], seen["strong_gravity"], seen["max_iter"]) == (
        {"a": 1.0},
        4,
        True,
        True,
        300,
    )


def test_the_local_layout_starts_above_the_forceatlas2_limit(monkeypatch, caplog):
    from alliance.layout import _force_layout

    monkeypatch.setattr(layout, "FA2_MAX_NODES", 3)
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        _force_layout(nx.path_graph(3), {}, seed=1)
    assert caplog.messages == []
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        first = _force_layout(nx.path_graph(4), {}, seed=1)
    assert caplog.messages[0].startswith("layout: 4 companies — local force layout")
    again = _force_layout(nx.path_graph(4), {}, seed=1)
    assert all(np.array_equal(first[n], again[n]) for n in first)  # seeded: the same every time


def test_compute_positions_sizes_follow_the_company_order(monkeypatch):
    seen = {}
    monkeypatch.setattr(
        layout,
        "_force_layout",
        lambda graph, sizes, seed: seen.update(sizes) or {n: (float(i), float(i)) for i, n in enumerate(graph)},
    )
    frame = deals(("a", "m", 4.0), ("m", "q", 1.0))  # a 4, m 5 (the peak), q 1, z nothing
    compute_positions(pd.DataFrame(index=["z", "a", "m", "q"]), frame)
    # diameters 8 + 26 * sqrt(money / 5): z 8, a 31.3, m 34, q 19.6; sizes are diameters / 34
    assert seen == {"z": 8 / 34, "a": 31.3 / 34, "m": 1.0, "q": 19.6 / 34}


def test_compute_positions_separates_two_companies_on_one_spot_by_their_radii_and_gap(monkeypatch):
    monkeypatch.setattr(
        layout, "_force_layout", lambda graph, sizes, seed: {"a": (0.0, 0.0), "b": (0.0, 0.0), "c": (1.0, 1.0)}
    )
    pos = compute_positions(pd.DataFrame(index=["a", "b", "c"]), deals(("a", "c", 0.0)))
    gap_px = math.dist(np.array(pos["a"]) * REFERENCE, np.array(pos["b"]) * REFERENCE)
    assert 13.9 <= gap_px <= 14.6  # 8 px nodes: 4 + 4 + the 6 px gap


REFERENCE = np.array([1440.0, 760.0])


def test_remove_overlaps_stops_circles_at_the_box_bounds():
    points = np.array([[1.0, 1.0], [2.0, 1.0]])
    moved = remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), gap=2)
    assert moved[:, 1].tolist() == [6.0, 6.0]  # radius + gap / 2 from the edge


def test_remove_overlaps_leaves_circles_that_just_touch():
    points = np.array([[10.0, 10.0], [24.0, 10.0]])  # 5 + 5 + gap 4 = 14 apart exactly
    assert remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), gap=4).tolist() == points.tolist()


def test_remove_overlaps_pushes_near_neighbours_along_their_own_line():
    points = np.array([[50.0, 50.0], [50.5, 50.0]])
    moved = remove_overlaps(points, np.array([5.0, 5.0]), (100.0, 100.0), gap=2)
    assert moved[:, 1].tolist() == [50.0, 50.0] and moved[1, 0] - moved[0, 0] >= 12 - 1e-6


def test_remove_overlaps_is_repeatable_for_circles_on_one_spot():
    points = np.array([[50.0, 50.0], [50.0, 50.0], [50.0, 50.0]])
    radii = np.array([4.0, 4.0, 4.0])
    assert (
        remove_overlaps(points, radii, (100.0, 100.0)).tolist()
        == remove_overlaps(points, radii, (100.0, 100.0)).tolist()
    )


def test_cache_messages_name_the_file_and_the_error(tiny_atlas, tmp_path, caplog):
    companies, frame = tiny_atlas.dataset.companies, tiny_atlas.dataset.deals
    path = tmp_path / f"positions-{LAYOUT_VERSION}-v1.json"
    path.write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="alliance.layout"):
        cached_positions(companies, frame, "v1", tmp_path)
    assert caplog.messages[0].startswith(f"layout cache {path} unreadable (Expecting property name")
    assert caplog.messages[0].endswith("); recomputing")
    path.write_text(json.dumps({"other": [0, 0]}))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="alliance.layout"):
        cached_positions(companies, frame, "v1", tmp_path)
    assert caplog.messages == [f"layout cache {path} does not match the dataset; recomputing"]


def test_cache_not_written_message(tiny_atlas, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="alliance.layout"):
        cached_positions(tiny_atlas.dataset.companies, tiny_atlas.dataset.deals, "v1", blocker)
    path = blocker / f"positions-{LAYOUT_VERSION}-v1.json"
    assert caplog.messages[0].startswith(f"layout cache {path} not written (") and "Errno" in caplog.messages[0]


def test_cache_folders_are_created_as_needed(tiny_atlas, tmp_path):
    nested = tmp_path / "a" / "b" / "c"
    cached_positions(tiny_atlas.dataset.companies, tiny_atlas.dataset.deals, "v1", nested)
    assert [p.name for p in nested.iterdir()] == [f"positions-{LAYOUT_VERSION}-v1.json"]


def test_layout_time_is_logged_in_seconds(monkeypatch, caplog):
    import re

    monkeypatch.setattr(layout, "compute_positions", lambda companies, frame: {})
    with caplog.at_level(logging.INFO, logger="alliance.layout"):
        cached_positions(pd.DataFrame(index=[f"c{i}" for i in range(301)]), deals(), "v1", None)
    assert re.fullmatch(r"layout: done in 0\.\d s", caplog.messages[1])
