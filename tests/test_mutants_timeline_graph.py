"""Slider months and focus neighbourhoods at their edges (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from alliance.graph import neighbourhood
from alliance.timeline import month_index, months_between, window

MONTHS = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def test_months_between_crosses_a_year():
    assert months_between(dt.date(2024, 11, 30), dt.date(2025, 1, 1)) == [
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
    ]


def test_month_index_of_each_month_and_beyond():
    assert month_index(MONTHS, dt.date(2024, 6, 9)) == 0
    assert month_index(MONTHS, dt.date(2025, 1, 31)) == 0
    assert month_index(MONTHS, dt.date(2025, 2, 1)) == 1
    assert month_index(MONTHS, dt.date(2025, 2, 28)) == 1
    assert month_index(MONTHS, dt.date(2025, 3, 15)) == 2
    assert month_index(MONTHS, dt.date(2030, 1, 1)) == 2


def test_window_of_one_month():
    assert window(MONTHS, 0, 0) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert window(MONTHS, 1, 1) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))


def test_window_clamps_positions_past_either_end():
    assert window(MONTHS, 5, 9) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert window(MONTHS, -4, -1) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert window(MONTHS, 2, 0) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))  # reversed handles
    assert window(MONTHS, 1, 3) == (dt.date(2025, 2, 1), dt.date(2025, 3, 31))


def test_neighbourhood_of_a_company_without_deals_in_view_is_itself():
    deals = pd.DataFrame({"from_id": ["a"], "to_id": ["b"]})
    assert neighbourhood(deals, "lonely", 2) == {"lonely"}


def test_neighbourhood_grows_one_deal_per_depth_in_both_directions():
    deals = pd.DataFrame({"from_id": ["a", "c", "c", "e"], "to_id": ["b", "b", "d", "f"]})
    assert neighbourhood(deals, "a", 0) == {"a"}
    assert neighbourhood(deals, "a", 1) == {"a", "b"}
    assert neighbourhood(deals, "a", 2) == {"a", "b", "c"}
    assert neighbourhood(deals, "a", 3) == {"a", "b", "c", "d"}
    assert neighbourhood(deals, "a", 9) == {"a", "b", "c", "d"}


import numpy as np  # noqa: E402
import pytest  # noqa: E402

from alliance.graph import bezier_controls  # noqa: E402


def curve(start, end, rank=0, size=1):
    """The curve from its control point, sampled at 9 points as assets/map.js samples it."""
    p0, p2 = np.array(start, dtype=float), np.array(end, dtype=float)
    p1 = bezier_controls(p0[None], p2[None], np.array([rank]), np.array([size]))[0]
    t = np.linspace(0.0, 1.0, 9)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2


def test_a_lone_curve_bends_by_seven_percent_of_its_length():
    # (0,0) -> (1,0): control (0.5, 0.07); t = 0.5 gives (0.5, 0.035), t = 0.625 (0.625, 0.0328125)
    points = curve((0, 0), (1, 0))
    assert points.shape == (9, 2)
    assert points[0].tolist() == [0, 0] and points[-1].tolist() == [1, 0]
    assert points[4] == pytest.approx([0.5, 0.035])
    assert points[5] == pytest.approx([0.625, 0.0328125])
    assert curve((0, 0), (2, 0))[4] == pytest.approx([1.0, 0.07])
    assert curve((1, 1), (2, 1))[4] == pytest.approx([1.5, 1.035])


def test_the_bend_side_follows_the_pair_not_the_direction():
    assert curve((1, 0), (0, 0))[4] == pytest.approx([0.5, 0.035])
    assert curve((0, 1), (0, 0))[4] == pytest.approx([-0.035, 0.5])  # vertical pair: sorted by y
    assert curve((0, 0), (0, 1))[4] == pytest.approx([-0.035, 0.5])
    assert curve((0, 0), (1, 1))[4] == pytest.approx([0.5 - 0.035, 0.5 + 0.035])


def test_curves_on_one_pair_fan_out_around_the_middle():
    # two curves: bends 0.10 -/+ 0.07; three: 0.10 - 0.14, 0.10, 0.10 + 0.14
    assert [curve((0, 0), (1, 0), r, 2)[4][1] for r in (0, 1)] == pytest.approx([0.015, 0.085])
    assert [curve((0, 0), (1, 0), r, 3)[4][1] for r in (0, 1, 2)] == pytest.approx([-0.02, 0.05, 0.12])


def test_no_curves():
    assert bezier_controls(np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0), np.zeros(0)).shape == (0, 2)


def test_a_zero_length_curve_stays_on_its_point():
    assert curve((0.3, 0.4), (0.3, 0.4)) == pytest.approx(np.array([[0.3, 0.4]] * 9))


def test_the_pair_is_sorted_by_x_then_by_y():
    # (2,0) -> (3,1): no swap; the normal (-1, 1) lifts the middle to (2.465, 0.535)
    assert curve((2, 0), (3, 1))[4] == pytest.approx([2.465, 0.535])
    # (1,5) -> (2,1): sorted by x already (though the end's y equals the start's x): chord (1, -4),
    # control (1.5, 3) + 0.07 * (4, 1) = (1.78, 3.07), middle (1.64, 3.035)
    assert curve((1, 5), (2, 1))[4] == pytest.approx([1.64, 3.035])
