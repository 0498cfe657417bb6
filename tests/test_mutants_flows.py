"""Company-profile helpers and cycle ordering: cases the broader flow tests leave open
(found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.flows import (
    biggest_partners,
    committed_compute_gw,
    find_cycles,
    money_by_year,
    round_trip_share,
    sort_cycles,
    who_matters,
)

from .test_flows import deals_frame


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
    return [(a, b, 1) for a, b in zip(names, names[1:] + names[:1], strict=False)]


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
