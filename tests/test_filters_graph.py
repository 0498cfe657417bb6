"""Filters, geometry and the map figure on the tiny hand-made dataset (expected values by hand)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from alliance.atlas import build_atlas
from alliance.dataset import load_dataset
from alliance.filters import filter_deals
from alliance.graph import ARROW_POINT, neighbourhood
from alliance.layout import node_money
from alliance.text import amount_as_stated, money
from alliance.viewstate import default_state
from components.figures import (
    Canvas, arrow_angles, edge_dashes, edge_width, fit_ranges, network_figure, width_step,
)

from alliance.viewstate import parse

from .conftest import deal_row, write_dataset, TINY_DEALS
from .mini_cases import ALL_MINI, MINI_CASES


def ids_of(frame):
    return list(frame["id"])


def node_trace(figure):
    return next(t for t in figure["data"] if t.get("name") == "companies")


def arrow_trace(figure):
    return next(t for t in figure["data"] if t.get("name") == "deals")


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


@pytest.mark.parametrize(("focus", "types", "depth1", "depth2"), [
    ("dc", None, {"dc", "cloud"}, {"dc", "cloud", "lab", "chips"}),
    ("app", None, {"app", "lab"}, {"app", "lab", "vc", "cloud", "chips", "mega", "lab2", "neo", "bank"}),
    ("neo", ("chip_supply",), {"neo", "chips"}, {"neo", "chips", "cloud"}),
    ("bank", ("debt_financing",), {"bank", "neo"}, {"bank", "neo"}),
])
def test_neighbourhood_by_hand(mini_atlas, focus, types, depth1, depth2):
    deals = mini_atlas.dataset.deals
    if types:
        deals = deals[deals["deal_type"].isin(types)]
    assert neighbourhood(deals, focus, 1) == depth1
    assert neighbourhood(deals, focus, 2) == depth2


def test_positions_are_stable_across_filters_and_reloads(tiny_dir):
    first, second = (build_atlas(load_dataset(tiny_dir)) for _ in range(2))
    assert first.geometry.positions == second.geometry.positions
    state = default_state(first.context).with_(types=("chip_supply",))
    trace = node_trace(network_figure(first, filter_deals(first.dataset, state)))
    assert [c[1] for c in trace["customdata"]] == ["cloud", "chips"]
    for (_, cid), x, y in zip(trace["customdata"], trace["x"], trace["y"]):
        assert (round(x, 5), round(y, 5)) == first.geometry.positions[cid]


def test_positions_fill_the_unit_square(tiny_atlas):
    points = np.array(list(tiny_atlas.geometry.positions.values()))
    assert points.min() >= 0 and points.max() <= 1
    assert np.ptp(points[:, 0]) > 0.5 and np.ptp(points[:, 1]) > 0.5


def test_parallel_deals_get_distinct_curves(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    rows = deals.index[(deals["from_id"].isin(["lab", "cloud"])) & (deals["to_id"].isin(["lab", "cloud"]))]
    assert len(rows) == 3  # compute, distribution, equity between Lab and Cloud
    midpoints = tiny_atlas.geometry.deal_curves[rows, 4]
    assert len({tuple(np.round(m, 4)) for m in midpoints}) == 3


def test_curves_run_from_payer_to_receiver(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    row = deals.index[deals["id"] == "d1"][0]
    curve = tiny_atlas.geometry.deal_curves[row]
    assert tuple(np.round(curve[0], 5)) == tiny_atlas.geometry.positions["fund"]
    assert tuple(np.round(curve[-1], 5)) == tiny_atlas.geometry.positions["lab"]


def test_arrow_points_along_the_money(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals[tiny_atlas.dataset.deals["id"] == "d1"],
                            canvas=Canvas(800, 600))
    assert not [t for t in figure["data"] if t.get("fill")]  # arrowheads are markers, not filled paths
    (heads,) = [t for t in figure["data"] if t.get("name") == "deals"]
    assert heads["marker"]["symbol"] == "triangle-up" and len(heads["marker"]["angle"]) == 1
    angle = np.radians(heads["marker"]["angle"][0])
    direction = np.array([np.sin(angle), -np.cos(angle)])  # clockwise from up, in screen px (y down)
    (x0, y0), (x1, y1) = tiny_atlas.geometry.positions["fund"], tiny_atlas.geometry.positions["lab"]
    (xa, xb), (ya, yb) = figure["layout"]["xaxis"]["range"], figure["layout"]["yaxis"]["range"]
    plot = Canvas(800, 600).plot
    chord = np.array([(x1 - x0) / (xb - xa) * plot[0], -(y1 - y0) / (yb - ya) * plot[1]])
    assert direction @ chord / np.hypot(*chord) > 0.95  # the curve bows a little: nearly along the chord


def test_arrow_angles_in_pixels():
    # Screen px, y down: a triangle-up marker turned clockwise by the angle points along the curve.
    right = np.array([[[float(x), 10.0] for x in range(0, 90, 10)]])
    up = right[:, :, ::-1] * [1, -1]  # x = 10, y falling
    assert np.allclose(arrow_angles(right, 5), [90.0])
    assert np.allclose(arrow_angles(right[:, ::-1], 5), [-90.0])
    assert np.allclose(arrow_angles(up, 5), [0.0])
    assert np.allclose(np.abs(arrow_angles(up[:, ::-1], 5)), [180.0])


def test_neighbourhood_depths(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    assert neighbourhood(deals, "fund", 1) == {"fund", "lab"}
    assert neighbourhood(deals, "fund", 2) == {"fund", "lab", "cloud", "chips", "app"}


def test_node_money_counts_both_directions(tiny_atlas):
    through = node_money(tiny_atlas.dataset.deals)
    assert through["lab"] == 1e9 + 30e9 + 10e9 + 5e9 + 0.65e9
    assert through["fund"] == 1e9


def test_figure_marks_qualifiers_and_hover(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals)
    assert not [t for t in figure["data"] if t["mode"] == "lines"]  # small maps draw edges as shapes
    assert {s["line"]["dash"] for s in figure["layout"]["shapes"]} == {"solid", "dash", "dot"}
    arrows = arrow_trace(figure)
    hover = " ".join(arrows["hovertext"])
    assert "Chips Inc → Lab AI" in hover and "up to $10B" in hover and "1 GW" in hover
    assert sorted(c[1] for c in arrows["customdata"]) == ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]


def test_edges_are_one_bezier_per_deal_in_path_shapes(tiny_atlas):
    import re
    deals = tiny_atlas.dataset.deals
    figure = network_figure(tiny_atlas, deals[deals["id"] == "d1"], canvas=Canvas(800, 600))
    (shape,) = figure["layout"]["shapes"]
    assert (shape["xref"], shape["yref"], shape["layer"]) == ("x", "y", "below")
    numbers = [float(v) for v in re.fullmatch(r"M(\S+),(\S+)Q(\S+),(\S+) (\S+),(\S+)", shape["path"]).groups()]
    start, control, end = np.array(numbers).reshape(3, 2)
    assert np.allclose(start, tiny_atlas.geometry.positions["fund"], atol=1e-4)
    assert np.allclose(end, tiny_atlas.geometry.positions["lab"], atol=1e-4)
    # the path's curve passes through the geometry's own middle sample
    middle = tiny_atlas.geometry.deal_curves[deals.index[deals["id"] == "d1"][0], 4]
    assert np.allclose(0.25 * start + 0.5 * control + 0.25 * end, middle, atol=1e-4)
    assert shape["line"]["dash"] == "solid" and shape["line"]["width"] == 3.5  # $1B: width 3 snaps to 3.5


def flows_dataset(tmp_path):
    """Tiny data plus two more Fund → Lab equity deals: one flow of three deals."""
    deals = [deal_row(d) for d in TINY_DEALS] + [
        deal_row(("d8", "2024-01-10", "fund", "lab", "equity_investment", "2000000000", "exact", "", "completed")),
        deal_row(("d9", "2024-02-10", "fund", "lab", "equity_investment", "", "undisclosed", "", "completed")),
    ]
    return build_atlas(load_dataset(write_dataset(tmp_path / "flows", deals=deals)))


def test_one_curve_per_flow_with_summed_money(tmp_path):
    atlas = flows_dataset(tmp_path)
    figure = network_figure(atlas, atlas.dataset.deals)
    arrows = arrow_trace(figure)
    assert len(arrows["customdata"]) == 7  # d1, d8, d9 share one flow
    fund_lab = [h for h in arrows["hovertext"] if h.startswith("<b>Fund Capital → Lab AI")]
    assert len(fund_lab) == 1
    assert "$3B stated (+1 undisclosed)" in fund_lab[0] and "3 deals" in fund_lab[0]
    every = arrow_trace(network_figure(atlas, atlas.dataset.deals, every=True))
    assert len(every["customdata"]) == 9
    # The flow's width comes from its summed money: $3B -> 1 + 2·log10(30).
    assert edge_width(3e9) == 1 + 2 * np.log10(30)


def test_biggest_flows_carry_their_amount(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals, canvas=Canvas(1200, 800))
    (amounts,) = [t for t in figure["data"] if t.get("name") == "amounts"]
    assert figure["data"][-1] is amounts  # drawn on top of edges and nodes
    # Five flows have a stated amount; all five fit on a large canvas, biggest first.
    assert amounts["text"] == ["$30B", "up to $10B", "up to $5B", "$1B", "$650M"]


def test_labels_name_companies_and_never_overlap(shipped_atlas):
    figure = network_figure(shipped_atlas, shipped_atlas.dataset.deals, canvas=Canvas(1240, 850))
    nodes = node_trace(figure)
    named = [t for t in nodes["text"] if t]
    assert len(named) >= 30
    assert figure["layout"]["meta"]["labels"] == len(named)


def test_camera_fits_the_companies_in_view(tiny_atlas):
    deals = tiny_atlas.dataset.deals
    state = default_state(tiny_atlas.context).with_(types=("chip_supply",))
    figure = network_figure(tiny_atlas, filter_deals(tiny_atlas.dataset, state), canvas=Canvas(800, 600))
    xs = [tiny_atlas.geometry.positions[c][0] for c in ("cloud", "chips")]
    x0, x1 = figure["layout"]["xaxis"]["range"]
    assert x0 < min(xs) and x1 > max(xs)
    full = network_figure(tiny_atlas, deals, canvas=Canvas(800, 600))
    assert (x1 - x0) < np.subtract(*full["layout"]["xaxis"]["range"][::-1])
    # The user's camera is kept when they have moved it.
    kept = network_figure(tiny_atlas, deals, canvas=Canvas(800, 600, (-5.0, 5.0), (-4.0, 4.0)))
    assert kept["layout"]["xaxis"]["range"] == [-5.0, 5.0] and kept["layout"]["yaxis"]["range"] == [-4.0, 4.0]


def test_fit_ranges_pads_by_pixels():
    (x0, x1), (y0, y1) = fit_ranges(np.array([[0.0, 0.0], [1.0, 1.0]]), (1000.0, 500.0), radius_px=10)
    # 24 px of padding each side: 1 unit spans 952 px horizontally and 452 px vertically.
    assert np.isclose(x1 - x0, 1000 / 952) and np.isclose(y1 - y0, 500 / 452)
    (x0, x1), _ = fit_ranges(np.array([[0.0, 0.0], [1.0, 1.0]]), (1000.0, 500.0), 10, reserve_right=400)
    assert np.isclose(x1 - x0, 1000 / 552) and np.isclose(x0, -24 / 552)


def test_selected_deal_is_emphasised_and_the_rest_lightly_dimmed(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals, selected_deal="d4")
    arrows = arrow_trace(figure)
    alphas = {c[1]: float(color.rsplit(",", 1)[1].rstrip(")")) for c, color in
              zip(arrows["customdata"], arrows["marker"]["color"])}
    assert alphas["d4"] == 0.95 and all(a < 0.5 for d, a in alphas.items() if d != "d4")
    opacity = dict(zip((c[1] for c in node_trace(figure)["customdata"]), node_trace(figure)["marker"]["opacity"]))
    assert opacity["chips"] == opacity["lab"] == 1.0 and opacity["fund"] < 1.0


def test_empty_view_says_so(tiny_atlas):
    state = default_state(tiny_atlas.context).with_(types=())
    figure = network_figure(tiny_atlas, filter_deals(tiny_atlas.dataset, state))
    assert figure["data"] == []
    assert figure["layout"]["annotations"][0]["text"] == "No deals match these filters"


def test_focus_dims_everything_outside_the_neighbourhood(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals, highlight_nodes={"fund", "lab"})
    trace = node_trace(figure)
    nodes = dict(zip((c[1] for c in trace["customdata"]), trace["marker"]["opacity"]))
    assert nodes["fund"] == 1.0 and nodes["lab"] == 1.0 and nodes["chips"] < 1.0


def test_amount_words_and_widths():
    assert amount_as_stated(10e9, "up_to") == "up to $10B"
    assert amount_as_stated(2.7e9, "about") == "about $2.7B"
    assert amount_as_stated(float("nan"), "undisclosed") == "undisclosed"
    assert money(1.25e9) == "$1.25B" and money(1.4e12) == "$1.4T" and money(650e6) == "$650M"
    assert [edge_width(a) for a in (float("nan"), 1e8, 1e9, 1e10, 1e12)] == [1, 1, 3, 5, 9]
    assert list(edge_dashes(np.array([1e9, 1e9, float("nan"), float("nan")]), np.array([True, False, True, False]))) \
        == ["dash", "solid", "dot", "dot"]
    assert ARROW_POINT == 5
    assert list(width_step(np.array([1.0, 1.4, 2.9, 4.4, 6.2, 9.0]))) == [1.0, 1.0, 3.5, 5.0, 7.0, 9.0]


def test_map_speaks_the_readers_language_and_theme(tiny_atlas):
    figure = network_figure(tiny_atlas, tiny_atlas.dataset.deals, canvas=Canvas(1200, 800), lang="ru", theme="dark")
    (amounts,) = [t for t in figure["data"] if t.get("name") == "amounts"]
    assert amounts["text"][0] == "30 млрд $" and amounts["text"][1].startswith("до ")
    assert amounts["textfont"]["color"] == "#e4e7eb"
    assert figure["layout"]["paper_bgcolor"] == "#16202b"
    nodes = node_trace(figure)
    assert nodes["textfont"]["color"] == "#e4e7eb"
    assert "в обзоре" in nodes["hovertext"][0] or "млрд" in " ".join(nodes["hovertext"])
    empty = network_figure(tiny_atlas, tiny_atlas.dataset.deals.iloc[:0], lang="ru")
    assert empty["layout"]["annotations"][0]["text"] == "Нет сделок, подходящих под фильтры"
