"""Money-flow analysis: loops, round trips, company profile helpers, the Sankey and who matters."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest

from alliance.flows import (
    MONEY_TYPES,
    STAGE_LABELS,
    STAGES_BY_TYPE,
    biggest_partners,
    committed_compute_gw,
    cycle_by_id,
    cycle_deal_ids,
    find_cycles,
    money_by_year,
    money_deals,
    open_loop,
    round_trip_share,
    sankey_flows,
    sort_cycles,
    who_matters,
)

from .helpers import ALL_TYPES, deals_frame

CYCLE_ID = re.compile(r"[a-z0-9\-]+(?:~[a-z0-9\-]+){1,9}")


def complete_digraph(n: int) -> pd.DataFrame:
    names = [f"c{i}" for i in range(n)]
    return deals_frame([(a, b, 1) for a, b in itertools.permutations(names, 2)])


# --- money_deals ----------------------------------------------------------------------------


def test_money_deals_keeps_only_paying_types():
    deals = deals_frame(
        [
            ("a", "b", 1, "equity_investment"),
            ("a", "b", None, "model_distribution"),
            ("a", "b", None, "restructuring"),
            ("b", "c", 2, "chip_supply"),
        ]
    )
    assert list(money_deals(deals)["id"]) == ["d1", "d4"]
    assert set(MONEY_TYPES) == set(ALL_TYPES) - {"restructuring", "model_distribution"}


# --- cycles ---------------------------------------------------------------------------------


def test_no_cycle():
    search = find_cycles(deals_frame([("a", "b", 10), ("b", "c", 5), ("a", "c", 1)]))
    assert search.cycles == ()
    assert search.capped is False
    assert search.cap_reason == ""


def test_empty_view_has_no_cycle():
    search = find_cycles(deals_frame([]))
    assert (search.cycles, search.capped) == ((), False)


def test_three_cycle_rotated_to_smallest_id_with_hop_totals():
    deals = deals_frame(
        [
            ("zeta", "alpha", 10, "equity_investment", "2024-01-01"),
            ("alpha", "mid", 4, "compute_commitment", "2024-06-01", "up_to"),
            ("mid", "zeta", 6, "chip_supply", "2025-02-01"),
        ]
    )
    (cycle,) = find_cycles(deals).cycles
    assert cycle.id == "alpha~mid~zeta"
    assert CYCLE_ID.fullmatch(cycle.id)
    assert cycle.companies == ("alpha", "mid", "zeta")
    assert [(h.from_id, h.to_id) for h in cycle.hops] == [("alpha", "mid"), ("mid", "zeta"), ("zeta", "alpha")]
    assert [h.deal_ids for h in cycle.hops] == [("d2",), ("d3",), ("d1",)]
    assert [h.stated_total for h in cycle.hops] == [4.0, 6.0, 10.0]
    assert [h.qualifiers for h in cycle.hops] == [("up_to",), ("exact",), ("exact",)]
    assert [h.undisclosed for h in cycle.hops] == [False, False, False]
    assert cycle.hops[0].latest == pd.Timestamp("2024-06-01")
    assert cycle.bottleneck == 4.0
    assert cycle.latest == pd.Timestamp("2025-02-01")
    assert cycle_deal_ids(cycle) == {"d1", "d2", "d3"}


def test_same_loop_gets_same_id_whatever_the_row_order():
    rows = [("c", "a", 1), ("a", "b", 1), ("b", "c", 1)]
    ids = {find_cycles(deals_frame(list(p))).cycles[0].id for p in itertools.permutations(rows)}
    assert ids == {"a~b~c"}


def test_opposite_loops_over_same_companies_get_different_ids():
    deals = deals_frame([("a", "b", 1), ("b", "c", 1), ("c", "a", 1), ("a", "c", 2), ("c", "b", 2), ("b", "a", 2)])
    ids = [c.id for c in find_cycles(deals, max_length=3).cycles if len(c.companies) == 3]
    assert ids == ["a~c~b", "a~b~c"]  # a->c->b->a carries 2 per hop, a->b->c->a only 1


def test_cycles_ranked_by_bottleneck_then_latest_then_id():
    deals = deals_frame(
        [
            ("a", "b", 100, None, "2025-01-01"),
            ("b", "a", 1, None, "2025-01-01"),  # bottleneck 1
            ("c", "d", 5, None, "2024-01-01"),
            ("d", "c", 50, None, "2024-01-01"),  # bottleneck 5, older
            ("e", "f", 5, None, "2025-03-01"),
            ("f", "e", 9, None, "2025-03-01"),  # bottleneck 5, newer
            ("g", "h", 3, None, "2023-01-01"),
            ("h", "g", 3, None, "2023-01-01"),  # bottleneck 3
            ("i", "j", 3, None, "2023-01-01"),
            ("j", "i", 3, None, "2023-01-01"),  # tie with g~h: by id
        ]
    )
    search = find_cycles(deals)
    assert [c.id for c in search.cycles] == ["e~f", "c~d", "g~h", "i~j", "a~b"]
    assert [c.bottleneck for c in search.cycles] == [5.0, 5.0, 3.0, 3.0, 1.0]
    recent = sort_cycles(search.cycles, by="recent")
    assert [c.id for c in recent] == ["e~f", "a~b", "c~d", "g~h", "i~j"]
    assert sort_cycles(reversed(search.cycles), by="money") == search.cycles
    with pytest.raises(ValueError):
        sort_cycles(search.cycles, by="size")


def test_overlapping_cycles_share_a_hop():
    deals = deals_frame([("a", "b", 10), ("b", "c", 2), ("c", "a", 3), ("b", "d", 4), ("d", "a", 5)])
    search = find_cycles(deals)
    assert [c.id for c in search.cycles] == ["a~b~d", "a~b~c"]
    abd, abc = search.cycles
    assert (abd.bottleneck, abc.bottleneck) == (4.0, 2.0)
    assert cycle_deal_ids(abd) == {"d1", "d4", "d5"}
    assert cycle_deal_ids(abc) == {"d1", "d2", "d3"}
    assert cycle_deal_ids(abd) & cycle_deal_ids(abc) == {"d1"}
    assert cycle_by_id(search, "a~b~c") is abc
    assert cycle_by_id(search, "b~c~a") is None  # only the canonical rotation is an id
    assert cycle_by_id(search, "x~y") is None


def test_the_open_loop_is_sent_sorted_and_only_when_the_view_holds_it():
    """What the server tells the browser's map to keep bright for `cycle=` (map.js dims the rest)."""
    search = find_cycles(deals_frame([("a", "b", 10), ("b", "c", 2), ("c", "a", 3), ("b", "d", 4), ("d", "a", 5)]))
    assert open_loop(search, "a~b~d") == {"cycle": "a~b~d", "companies": ["a", "b", "d"], "deals": ["d1", "d4", "d5"]}
    assert open_loop(search, "a~b~c") == {"cycle": "a~b~c", "companies": ["a", "b", "c"], "deals": ["d1", "d2", "d3"]}
    assert open_loop(search, "b~c~a") is None  # not the loop's id
    assert open_loop(search, "") is None  # the link opens none
    assert open_loop(type(search)((), True, "capped"), "a~b~c") is None  # past the search's cap: not in view


def test_self_loop_ignored():
    assert find_cycles(deals_frame([("a", "a", 100)])).cycles == ()
    search = find_cycles(deals_frame([("a", "a", 100), ("a", "b", 1), ("b", "a", 2)]))
    assert [c.id for c in search.cycles] == ["a~b"]
    assert cycle_deal_ids(search.cycles[0]) == {"d2", "d3"}


def test_parallel_deals_collapse_into_one_hop():
    deals = deals_frame(
        [
            ("a", "b", 3, "equity_investment", "2025-05-01", "up_to"),
            ("a", "b", 2, "debt_financing", "2024-02-01"),
            ("b", "a", 10, "compute_commitment", "2024-09-01"),
        ]
    )
    (cycle,) = find_cycles(deals).cycles
    first, back = cycle.hops
    assert (first.from_id, first.to_id) == ("a", "b")
    assert first.deal_ids == ("d2", "d1")  # oldest first
    assert first.qualifiers == ("exact", "up_to")
    assert first.stated_total == 5.0
    assert first.latest == pd.Timestamp("2025-05-01")
    assert back.deal_ids == ("d3",)
    assert cycle.bottleneck == 5.0


def test_undisclosed_hop_has_zero_bottleneck():
    (cycle,) = find_cycles(deals_frame([("a", "b", None), ("b", "a", 10)])).cycles
    assert cycle.hops[0].undisclosed is True
    assert cycle.hops[0].stated_total == 0.0
    assert cycle.hops[0].qualifiers == ("undisclosed",)
    assert cycle.hops[1].undisclosed is False
    assert cycle.bottleneck == 0.0


def test_partly_undisclosed_hop_keeps_its_stated_part():
    (cycle,) = find_cycles(deals_frame([("a", "b", None), ("a", "b", 3), ("b", "a", 10)])).cycles
    assert cycle.hops[0].undisclosed is True
    assert cycle.hops[0].stated_total == 3.0
    assert cycle.bottleneck == 3.0


def test_non_money_types_do_not_close_a_loop():
    deals = deals_frame(
        [("a", "b", None, "model_distribution"), ("b", "a", 10), ("c", "d", None, "restructuring"), ("d", "c", 10)]
    )
    assert find_cycles(deals).cycles == ()


def test_cap_on_cycle_count():
    search = find_cycles(complete_digraph(7), max_cycles=10)
    assert len(search.cycles) == 10
    assert search.capped is True
    assert search.cap_reason == "stopped after 10 cycles"
    assert all(CYCLE_ID.fullmatch(c.id) for c in search.cycles)


def test_no_cap_claimed_when_exactly_max_cycles_exist():
    search = find_cycles(complete_digraph(3), max_cycles=5)  # three 2-loops and two 3-loops
    assert len(search.cycles) == 5
    assert (search.capped, search.cap_reason) == (False, "")


def test_max_length_respected():
    short = find_cycles(complete_digraph(4), max_length=2)
    assert len(short.cycles) == 6
    assert {len(c.companies) for c in short.cycles} == {2}
    up_to_three = find_cycles(complete_digraph(4), max_length=3)
    assert len(up_to_three.cycles) == 6 + 8
    assert {len(c.companies) for c in up_to_three.cycles} == {2, 3}
    assert up_to_three.capped is False
    with pytest.raises(ValueError):
        find_cycles(complete_digraph(3), max_length=11)
    with pytest.raises(ValueError):
        find_cycles(complete_digraph(3), max_length=1)


def test_cap_on_time():
    ticks = itertools.count()
    search = find_cycles(complete_digraph(5), max_seconds=0.5, clock=lambda: float(next(ticks)))
    assert len(search.cycles) == 1
    assert search.capped is True
    assert search.cap_reason == "stopped after 0.5 s"


# --- round trips and company profile --------------------------------------------------------


def test_round_trip_share():
    deals = deals_frame([("a", "b", 10), ("b", "a", 4), ("c", "a", 6)])
    assert round_trip_share(deals, "a") == pytest.approx(0.4)
    assert round_trip_share(deals, "b") == pytest.approx(1.0)
    assert round_trip_share(deals, "c") is None  # nothing flows into c


def test_round_trip_share_counts_undisclosed_payments_and_ignores_non_money():
    deals = deals_frame(
        [
            ("a", "d", None),  # a pays d an undisclosed amount: d still counts as a payee
            ("d", "a", 5),
            ("e", "a", 15),
            ("a", "e", None, "model_distribution"),  # not a payment: e is not a payee
        ]
    )
    assert round_trip_share(deals, "a") == pytest.approx(0.25)
    assert round_trip_share(deals_frame([("b", "a", None)]), "a") is None


def test_money_by_year_fills_quiet_years():
    deals = deals_frame(
        [
            ("v", "x", 5, None, "2022-03-01"),
            ("x", "c", 3, "compute_commitment", "2024-07-01"),
            ("x", "c", None, "compute_commitment", "2024-08-01"),
            ("x", "m", None, "model_distribution", "2026-01-01"),  # no money, no year
            ("v", "y", 99, None, "2023-01-01"),  # someone else's deal
        ]
    )
    table = money_by_year(deals, "x")
    assert list(table.index) == [2022, 2023, 2024]
    assert table.index.name == "year"
    assert list(table.columns) == ["in_usd", "out_usd"]
    assert table["in_usd"].tolist() == [5.0, 0.0, 0.0]
    assert table["out_usd"].tolist() == [0.0, 0.0, 3.0]
    empty = money_by_year(deals, "nobody")
    assert empty.empty and list(empty.columns) == ["in_usd", "out_usd"]


def test_committed_compute_gw():
    deals = deals_frame(
        [
            ("x", "cloud", 1, "compute_commitment", None, None, 1.5),
            ("x", "chips", 1, "chip_supply", None, None, 2),
            ("x", "cloud", 1, "compute_commitment"),  # no capacity stated
            ("cloud", "x", 1, "compute_commitment", None, None, 9),  # x sells, not buys
            ("x", "lab", 1, "equity_investment", None, None, 4),  # not a compute type
        ]
    )
    assert committed_compute_gw(deals, "x") == 3.5
    assert committed_compute_gw(deals, "lab") == 0.0


def test_biggest_partners_both_directions():
    deals = deals_frame([("x", "a", 5), ("b", "x", 7), ("x", "a", 1), ("c", "x", None), ("x", "d", 2), ("a", "b", 100)])
    assert biggest_partners(deals, "x") == [("b", 7.0), ("a", 6.0), ("d", 2.0)]
    assert biggest_partners(deals, "x", n=2) == [("b", 7.0), ("a", 6.0)]


# --- Sankey ---------------------------------------------------------------------------------


def test_every_money_type_has_a_stage_moving_right():
    assert set(STAGES_BY_TYPE) == set(MONEY_TYPES)
    assert all(src < dst for src, dst in STAGES_BY_TYPE.values())
    assert STAGE_LABELS == ("Investors & acquirers", "Labs & funded companies", "Clouds & data centers", "Chipmakers")


def test_sankey_stages_and_aggregation():
    deals = deals_frame(
        [
            ("vc", "lab", 10, "equity_investment", "2024-01-01"),
            ("lab", "cloud", 20, "compute_commitment"),
            ("cloud", "chip", 30, "chip_supply"),
            ("vc", "lab", 5, "debt_financing", "2023-01-01"),  # same nodes as d1: aggregated
            ("ms", "lab", 1, "equity_investment"),  # ms as investor ...
            ("lab", "ms", None, "compute_commitment"),  # ... and as cloud: kept, 0 stated
            ("lab", "ms", None, "model_distribution"),  # not money: skipped
            ("lab", "lab", 2, "equity_investment"),  # stage 0 -> 1 even for the same company
        ]
    )
    sankey = sankey_flows(deals)
    assert sankey.nodes == (("lab", 0), ("ms", 0), ("vc", 0), ("lab", 1), ("cloud", 2), ("ms", 2), ("chip", 3))
    named = {(sankey.nodes[s], sankey.nodes[t]): (usd, ids) for s, t, usd, ids in sankey.links}
    assert named == {
        (("vc", 0), ("lab", 1)): (15.0, ("d4", "d1")),
        (("ms", 0), ("lab", 1)): (1.0, ("d5",)),
        (("lab", 0), ("lab", 1)): (2.0, ("d8",)),
        (("lab", 1), ("cloud", 2)): (20.0, ("d2",)),
        (("lab", 1), ("ms", 2)): (0.0, ("d6",)),
        (("cloud", 2), ("chip", 3)): (30.0, ("d3",)),
    }
    assert all(sankey.nodes[s][1] < sankey.nodes[t][1] for s, t, _, _ in sankey.links)
    assert sankey.states == ("",) * 6  # without the dataset's ledger no money state is known


def test_sankey_of_empty_view():
    sankey = sankey_flows(deals_frame([("a", "b", None, "model_distribution")]))
    assert (sankey.nodes, sankey.links) == ((), ())


# --- who matters ----------------------------------------------------------------------------


def test_who_matters_ordering():
    deals = deals_frame(
        [("a", "b", 10), ("a", "c", 5), ("c", "b", 20), ("b", "d", None), ("d", "e", None, "model_distribution")]
    )
    result = who_matters(deals)
    assert result["received"] == [("b", 30.0), ("c", 5.0)]  # d received nothing stated
    assert result["paid"] == [("c", 20.0), ("a", 15.0)]
    # b sits on the only shortest paths a->d and c->d: 2 of (4-1)*(4-2) ordered pairs
    assert result["betweenness"] == [("b", pytest.approx(1 / 3))]
    assert who_matters(deals, n=1)["received"] == [("b", 30.0)]


# --- the shipped data -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_deals():
    from alliance.dataset import load_dataset

    return load_dataset().deals


def test_shipped_data_loop_through_nvidia_anthropic_microsoft(shipped_deals):
    view = shipped_deals[shipped_deals["date"] <= pd.Timestamp("2025-11-30")]
    search = find_cycles(view)
    assert not search.capped
    trio = [c for c in search.cycles if {"nvidia", "anthropic", "microsoft"} <= set(c.companies)]
    assert trio
    loop = cycle_by_id(search, "anthropic~microsoft~openai~nvidia")
    assert loop is not None
    hops = {(h.from_id, h.to_id): h.deal_ids for h in loop.hops}
    assert hops[("anthropic", "microsoft")] == ("2025-11-18-anthropic-microsoft-compute",)
    assert hops[("nvidia", "anthropic")] == ("2025-11-18-nvidia-anthropic-equity",)
    assert cycle_by_id(search, "anthropic~microsoft").bottleneck == 5e9


def test_shipped_data_no_anthropic_microsoft_loop_before_november_2025(shipped_deals):
    view = shipped_deals[shipped_deals["date"] <= pd.Timestamp("2025-10-31")]
    search = find_cycles(view)
    assert not search.capped
    assert not [c.id for c in search.cycles if {"anthropic", "microsoft"} <= set(c.companies)]


def test_shipped_data_sankey_is_acyclic(shipped_deals):
    sankey = sankey_flows(shipped_deals)
    assert sankey.links
    assert all(sankey.nodes[s][1] < sankey.nodes[t][1] for s, t, _, _ in sankey.links)


# --- Company-profile helpers and cycle ordering: cases the broader flow tests leave open. (From mutation testing,
# tests/MUTATION.md.)


def test_money_by_year_counts_an_undisclosed_inflow_as_nothing():
    deals = deals_frame(
        [
            ("v", "x", 5, None, "2022-03-01"),
            ("w", "x", None, None, "2023-05-01"),  # undisclosed: the year shows, with no dollars
            ("x", "c", None, "compute_commitment", "2023-06-01"),
        ]
    )
    table = money_by_year(deals, "x")
    assert table.to_dict("index") == {2022: {"in_usd": 5.0, "out_usd": 0.0}, 2023: {"in_usd": 0.0, "out_usd": 0.0}}


def test_money_by_year_of_a_company_without_money_deals_is_an_empty_year_table():
    empty = money_by_year(deals_frame([("a", "b", 1)]), "nobody")
    assert empty.index.name == "year"
    assert str(empty.index.dtype) == "int64"
    assert len(empty) == 0


def test_committed_compute_gw_leaves_out_cancelled_and_replaced_deals():
    deals = deals_frame(
        [
            ("x", "cloud", 1, "compute_commitment", None, None, 1.5),
            ("x", "cloud", 1, "compute_commitment", None, None, 10),
            ("x", "chips", 1, "chip_supply", None, None, 20),
            ("x", "chips", 1, "chip_supply", None, None, 0.25),
        ]
    )
    deals["status"] = ["announced", "cancelled", "superseded", "completed"]
    assert committed_compute_gw(deals, "x") == 1.75


def test_committed_compute_gw_without_a_status_column():
    deals = deals_frame([("x", "cloud", 1, "compute_commitment", None, None, 2)]).drop(columns="status")
    assert committed_compute_gw(deals, "x") == 2.0


def test_biggest_partners_keeps_five_by_default():
    deals = deals_frame([("x", f"p{i}", i) for i in range(1, 8)])
    assert biggest_partners(deals, "x") == [("p7", 7.0), ("p6", 6.0), ("p5", 5.0), ("p4", 4.0), ("p3", 3.0)]


def test_round_trip_share_of_less_than_a_dollar():
    deals = deals_frame([("a", "b", 1), ("b", "a", 0.5)])
    assert round_trip_share(deals, "a") == 1.0


def test_recent_order_breaks_a_date_tie_by_the_bigger_bottleneck():
    deals = deals_frame(
        [
            ("a", "b", 2, None, "2025-01-01"),
            ("b", "a", 2, None, "2025-01-01"),  # bottleneck 2
            ("c", "d", 7, None, "2025-01-01"),
            ("d", "c", 9, None, "2025-01-01"),  # bottleneck 7, same day
            ("e", "f", 1, None, "2024-01-01"),
            ("f", "e", 1, None, "2024-01-01"),
        ]
    )
    assert [c.id for c in sort_cycles(find_cycles(deals).cycles, by="recent")] == ["c~d", "a~b", "e~f"]


def test_who_matters_keeps_eight_by_default_and_breaks_ties_by_id():
    deals = deals_frame([("x", f"p{i}", i) for i in range(1, 10)])
    assert [c for c, _ in who_matters(deals)["received"]] == ["p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2"]
    assert who_matters(deals)["paid"] == [("x", 45.0)]
    chains = deals_frame([("a", "z", 1), ("z", "y", 1), ("b", "c", 1), ("c", "d", 1)])
    # z and c each sit on one of the 30 ordered pairs' paths: 1 / ((6 - 1) * (6 - 2)) = 0.05
    assert who_matters(chains)["betweenness"] == [("c", 0.05), ("z", 0.05)]
    assert who_matters(chains, n=1)["paid"] == [("a", 1.0)]


def test_cycle_search_arguments_are_checked():
    deals = deals_frame([("a", "b", 1), ("b", "a", 1)])
    with pytest.raises(ValueError, match=r"^max_length must be between 2 and 10, not 11$"):
        find_cycles(deals, max_length=11)
    assert [c.id for c in find_cycles(deals, max_length=10).cycles] == ["a~b"]
    with pytest.raises(ValueError, match=r"^max_cycles must be at least 1, not 0$"):
        find_cycles(deals, max_cycles=0)
    assert find_cycles(deals, max_cycles=1).cycles[0].id == "a~b"
    with pytest.raises(ValueError, match=r"^unknown cycle order 'size' \(known: money, recent\)$"):
        sort_cycles((), by="size")


def ring(size: int, prefix: str = "c") -> list[tuple]:
    names = [f"{prefix}{i}" for i in range(size)]
    return [(a, b, 1) for a, b in zip(names, names[1:] + names[:1], strict=True)]


def test_loops_of_up_to_six_companies_by_default():
    assert [len(c.companies) for c in find_cycles(deals_frame(ring(6))).cycles] == [6]
    assert find_cycles(deals_frame(ring(7))).cycles == ()


def test_the_search_keeps_200_loops_by_default():
    pairs = [row for i in range(201) for row in (ring(2, f"p{i:03}-"))]
    search = find_cycles(deals_frame(pairs))
    assert (len(search.cycles), search.capped, search.cap_reason) == (200, True, "stopped after 200 cycles")


def test_the_search_stops_once_half_a_second_has_passed():
    ticks = iter([0.0, 0.5, 0.5, 0.5])
    search = find_cycles(deals_frame(ring(2, "a") + ring(2, "b")), clock=lambda: next(ticks))
    assert (len(search.cycles), search.cap_reason) == (1, "stopped after 0.5 s")
    ticks = iter([0.0, 0.49, 0.49, 0.49])
    assert len(find_cycles(deals_frame(ring(2, "a") + ring(2, "b")), clock=lambda: next(ticks)).cycles) == 2


def star_of_payments(payers: int, payees: int) -> pd.DataFrame:
    return deals_frame(
        [(f"in{i:03}", "hub", 1) for i in range(payers)] + [("hub", f"out{i:03}", 1) for i in range(payees)]
    )


def test_betweenness_is_exact_up_to_400_companies():
    # 199 payers -> hub -> 200 payees: 199 * 200 of the 400 * 399 ordered pairs run through the hub
    top = who_matters(star_of_payments(199, 200), n=1)["betweenness"]
    assert top == [("hub", pytest.approx(199 * 200 / (399 * 398)))]


def test_betweenness_is_estimated_past_400_companies_the_same_way_each_time():
    deals = star_of_payments(200, 200)  # 401 companies
    first = who_matters(deals, n=1)["betweenness"]
    assert first[0][0] == "hub"
    assert first[0][1] != pytest.approx(200 * 200 / (400 * 399), rel=1e-3)  # a sample of sources, not all
    assert who_matters(deals, n=1)["betweenness"] == first


def test_who_matters_keeps_n_by_betweenness_too():
    chains = deals_frame([("a", "z", 1), ("z", "y", 1), ("b", "c", 1), ("c", "d", 1)])
    assert who_matters(chains, n=1)["betweenness"] == [("c", 0.05)]
