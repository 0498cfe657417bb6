"""Slider months and focus neighbourhoods at their edges (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from alliance.graph import neighbourhood
from alliance.timeline import month_index, months_between, window

MONTHS = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def test_months_between_crosses_a_year():
    assert months_between(dt.date(2024, 11, 30), dt.date(2025, 1, 1)) == [
        dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1)]


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
