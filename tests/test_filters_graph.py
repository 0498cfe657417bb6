"""Filters and geometry on the tiny hand-made dataset (expected values by hand).

The map figure itself is assets/map.js's, tested without a page in tests/js/ (tests/test_mapjs.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from alliance.atlas import build_atlas
from alliance.dataset import DatasetError, Problem, load_dataset
from alliance.filters import filter_deals
from alliance.graph import ARROW_POINT, bezier_controls, curve_controls, neighbourhood
from alliance.i18n import amount_as_stated, money
from alliance.layout import node_money
from alliance.timeline import month_index, months_between, window
from alliance.viewstate import ViewState, default_state, parse

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


# --- Edge curves by hand: control points (which way each curve bows); map.js samples them (tests/js/). (From
# mutation testing, tests/MUTATION.md.)


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


# --- Filters combine: a role or amount filter narrows what the type and window filters left, it never replaces
# them. Tiny dataset, ids by hand: d1 fund->lab equity $1B 2023-03, d2 lab->cloud compute $30B 2024-06, d3
# cloud->chips chips undisclosed 2024-06, d4 chips->lab equity up to $10B 2025-01, d5 lab->cloud distribution
# undisclosed 2025-02, d6 cloud->lab equity up to $5B 2025-02, d7 lab->app acquisition about $650M 2025-03. (From
# mutation testing, tests/MUTATION.md.)


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


# --- Slider months and focus neighbourhoods at their edges. (From mutation testing, tests/MUTATION.md.)


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
