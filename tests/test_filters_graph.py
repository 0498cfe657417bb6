"""Filters and geometry on the tiny hand-made dataset (expected values by hand).

The map figure itself is assets/map.js's, tested without a page in tests/js/ (tests/test_mapjs.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from alliance.filters import filter_deals
from alliance.graph import ARROW_POINT, curve_controls, neighbourhood
from alliance.i18n import amount_as_stated, money
from alliance.layout import node_money
from alliance.viewstate import default_state, parse

from .mini_cases import ALL_MINI, MINI_CASES


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


@pytest.mark.parametrize(("query", "expected"), MINI_CASES, ids=[q or "default" for q, _ in MINI_CASES])
def test_link_to_deals_in_view_by_hand(mini_atlas, query, expected):
    """The page's path: parse the link, filter; the expected ids come from the fixture's README."""
    state, notices = parse(query, mini_atlas.context)
    assert notices == []
    assert ids_of(filter_deals(mini_atlas.dataset, state)) == expected


# A link the page cannot fully use: what is left, and which parameter the notice names.
MINI_FALLBACKS = [
    ("types=warp_drive,chip_supply", ["m05", "m13"], ["types"]),
    ("types=warp_drive", ALL_MINI, ["types"]),  # nothing usable: every type
    ("roles=alien", ALL_MINI, ["roles"]),
    ("to=2025-13", ALL_MINI, ["to"]),
    ("from=2024-02-30", ALL_MINI, ["from"]),  # no such day
    ("from=yesterday&to=2023-06", ["m01", "m02", "m03", "m04", "m05"], ["from"]),
    ("from=2025-11&to=2025-10", ALL_MINI, ["from"]),  # reversed: the full range
    ("min_amount=abc&types=joint_venture", ["m10"], ["min_amount"]),
    ("min_amount=-1", ALL_MINI, ["min_amount"]),
    ("focus=nobody&depth=3", ALL_MINI, ["focus", "depth"]),
    ("deal=m99&company=lab", ALL_MINI, ["deal"]),
]


@pytest.mark.parametrize(("query", "expected", "params"), MINI_FALLBACKS, ids=[q for q, _, _ in MINI_FALLBACKS])
def test_bad_link_falls_back_with_a_notice(mini_atlas, query, expected, params):
    state, notices = parse(query, mini_atlas.context)
    assert [n.param for n in notices] == params
    assert ids_of(filter_deals(mini_atlas.dataset, state)) == expected


def test_window_ends_by_hand(mini_atlas):
    ctx = mini_atlas.context
    assert (ctx.first_day, ctx.last_day) == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert len(mini_atlas.months) == 36
    state, _ = parse("from=2024-02&to=2024-02", ctx)
    assert (state.date_from, state.date_to) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    state, _ = parse("from=2025-03-15&to=2025-11-20", ctx)
    assert (state.date_from, state.date_to) == (dt.date(2025, 3, 15), dt.date(2025, 11, 20))


@pytest.mark.parametrize(
    ("focus", "types", "depth1", "depth2"),
    [
        ("dc", None, {"dc", "cloud"}, {"dc", "cloud", "lab", "chips"}),
        ("app", None, {"app", "lab"}, {"app", "lab", "vc", "cloud", "chips", "mega", "lab2", "neo", "bank"}),
        ("neo", ("chip_supply",), {"neo", "chips"}, {"neo", "chips", "cloud"}),
        ("bank", ("debt_financing",), {"bank", "neo"}, {"bank", "neo"}),
    ],
)
def test_neighbourhood_by_hand(mini_atlas, focus, types, depth1, depth2):
    deals = mini_atlas.dataset.deals
    if types:
        deals = deals[deals["deal_type"].isin(types)]
    assert neighbourhood(deals, focus, 1) == depth1
    assert neighbourhood(deals, focus, 2) == depth2


def test_positions_are_stable_across_filters_and_reloads(tiny_dir):
    first, second = (build_atlas(load_dataset(tiny_dir)) for _ in range(2))
    assert first.geometry.positions == second.geometry.positions
    assert set(first.geometry.positions) == {"fund", "lab", "cloud", "chips", "app"}


def test_positions_fill_the_unit_square(tiny_atlas):
    points = np.array(list(tiny_atlas.geometry.positions.values()))
    assert points.min() >= 0 and points.max() <= 1
    assert np.ptp(points[:, 0]) > 0.5 and np.ptp(points[:, 1]) > 0.5


def test_parallel_deals_get_distinct_curves(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    rows = deals.index[(deals["from_id"].isin(["lab", "cloud"])) & (deals["to_id"].isin(["lab", "cloud"]))]
    assert len(rows) == 3  # compute, distribution, equity between Lab and Cloud
    controls = curve_controls(deals.loc[rows], tiny_atlas.geometry.positions)
    assert len({tuple(np.round(c, 4)) for c in controls}) == 3


def test_a_lone_curve_bows_off_its_chord_by_seven_percent(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    (control,) = curve_controls(deals[deals["id"] == "d1"], tiny_atlas.geometry.positions)
    fund, lab = np.array(tiny_atlas.geometry.positions["fund"]), np.array(tiny_atlas.geometry.positions["lab"])
    assert np.hypot(*(control - (fund + lab) / 2)) == pytest.approx(0.07 * np.hypot(*(lab - fund)))


def test_neighbourhood_depths(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    assert neighbourhood(deals, "fund", 1) == {"fund", "lab"}
    assert neighbourhood(deals, "fund", 2) == {"fund", "lab", "cloud", "chips", "app"}


def test_node_money_counts_both_directions(tiny_atlas):
    through = node_money(tiny_atlas.dataset.deals)
    assert through["lab"] == 1e9 + 30e9 + 10e9 + 5e9 + 0.65e9
    assert through["fund"] == 1e9


def test_amount_words_and_widths():
    assert amount_as_stated(10e9, "up_to") == "up to $10B"
    assert amount_as_stated(2.7e9, "about") == "about $2.7B"
    assert amount_as_stated(float("nan"), "undisclosed") == "undisclosed"
    assert money(1.25e9) == "$1.25B" and money(1.4e12) == "$1.4T" and money(650e6) == "$650M"
    assert ARROW_POINT == 5
