"""Filters combine (found by mutation testing, tests/MUTATION.md): a role or amount filter narrows
what the type and window filters left, it never replaces them. Tiny dataset, ids by hand:
d1 fund->lab equity $1B 2023-03, d2 lab->cloud compute $30B 2024-06, d3 cloud->chips chips undisclosed
2024-06, d4 chips->lab equity up to $10B 2025-01, d5 lab->cloud distribution undisclosed 2025-02,
d6 cloud->lab equity up to $5B 2025-02, d7 lab->app acquisition about $650M 2025-03."""

from __future__ import annotations

import datetime as dt

from alliance.dataset import DatasetError, Problem
from alliance.filters import filter_deals
from alliance.viewstate import ViewState

ALL = dict(date_from=dt.date(2023, 1, 1), date_to=dt.date(2025, 12, 31))


def ids(dataset, **state) -> list[str]:
    return filter_deals(dataset, ViewState(**{**ALL, **state}))["id"].tolist()


def test_roles_narrow_the_types(tiny_atlas):
    # investors and labs: everyone but app; of those, only the equity deals stay
    assert ids(tiny_atlas.dataset, types=("equity_investment",), roles=("investor", "model_lab")) == ["d1", "d4", "d6"]
    assert ids(tiny_atlas.dataset, types=("chip_supply",), roles=("investor", "chipmaker", "cloud_provider")) == ["d3"]


def test_a_minimum_amount_narrows_the_window(tiny_atlas):
    assert ids(tiny_atlas.dataset, min_amount=1e9, date_from=dt.date(2025, 1, 1)) == ["d4", "d6"]


def test_any_minimum_above_zero_drops_undisclosed_amounts(tiny_atlas):
    assert ids(tiny_atlas.dataset, min_amount=0.5) == ["d1", "d2", "d4", "d6", "d7"]


def test_dataset_error_lists_one_problem_per_line():
    error = DatasetError([Problem("a.csv", 2, "id", "bad"), Problem("b.csv", None, None, "missing")])
    assert str(error) == "a.csv row 2, column id: bad\nb.csv: missing"


def test_atlas_context_knows_the_companies_and_deals(tiny_atlas):
    assert tiny_atlas.context.company_ids == frozenset({"fund", "lab", "cloud", "chips", "app"})
    assert tiny_atlas.context.deal_ids == frozenset({"d1", "d2", "d3", "d4", "d5", "d6", "d7"})
