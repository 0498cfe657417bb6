"""Edge curves by hand: control points (which way each curve bows); map.js samples them (tests/js/)."""

from __future__ import annotations

import numpy as np

from alliance.graph import bezier_controls


def controls(starts, ends, rank, size):
    return bezier_controls(np.array(starts, dtype=float), np.array(ends, dtype=float), np.array(rank), np.array(size))


def test_a_lone_curve_bows_by_seven_percent_of_its_length_whichever_way_it_runs():
    assert np.allclose(controls([[0, 0]], [[1, 0]], [0], [1]), [[0.5, 0.07]])
    assert np.allclose(controls([[1, 0]], [[0, 0]], [0], [1]), [[0.5, 0.07]])  # same side back
    assert np.allclose(controls([[0, 1]], [[0, 0]], [0], [1]), [[-0.07, 0.5]])  # vertical: ordered by y
    assert np.allclose(controls([[0, 0]], [[0, 1]], [0], [1]), [[-0.07, 0.5]])
    # a diagonal: (0.2, 0.9) -> (0.5, 0.1) is already in order (smaller x first)
    assert np.allclose(controls([[0.2, 0.9]], [[0.5, 0.1]], [0], [1]), [[0.35 + 0.8 * 0.07, 0.5 + 0.3 * 0.07]])
    assert np.allclose(controls([[0.5, 0.1]], [[0.2, 0.9]], [0], [1]), [[0.35 + 0.8 * 0.07, 0.5 + 0.3 * 0.07]])


def test_curves_sharing_a_pair_fan_out():
    # two on one pair: bends 0.10 + 0.14 * (rank - 0.5) = 0.03 and 0.17 of the length
    assert np.allclose(controls([[0, 0], [0, 0]], [[2, 0], [2, 0]], [0, 1], [2, 2]), [[1, 0.06], [1, 0.34]])
    # three: 0.10 + 0.14 * (rank - 1) = -0.04, 0.10, 0.24
    assert np.allclose(
        controls([[0, 0]] * 3, [[1, 0]] * 3, [0, 1, 2], [3, 3, 3]), [[0.5, -0.04], [0.5, 0.10], [0.5, 0.24]]
    )
    assert controls(np.zeros((0, 2)), np.zeros((0, 2)), [], []).shape == (0, 2)
