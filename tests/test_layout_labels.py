"""Node layout (no overlaps, disk cache), with hand-made cases (label placement: tests/js/map.test.js)."""

from __future__ import annotations

import json

import numpy as np

from alliance.layout import (
    LAYOUT_VERSION,
    REFERENCE_PLOT,
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
