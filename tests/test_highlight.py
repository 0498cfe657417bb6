"""The map's highlight rule (alliance.highlight): an open loop wins, else the focus's
neighbourhood at its depth, else nothing is dimmed. Hand-built deals and loops, hand-written answers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance.flows import Cycle, CycleSearch, Hop
from alliance.highlight import highlight, open_loop
from alliance.viewstate import ViewState

# a - b - c - d in a chain, and e alone with f; b pays a back (the loop a~b)
DEALS = pd.DataFrame(
    {
        "id": ["ab", "ba", "bc", "cd", "ef"],
        "from_id": ["a", "b", "b", "c", "e"],
        "to_id": ["b", "a", "c", "d", "f"],
    }
)
WHEN = pd.Timestamp("2025-01-01")


def hop(a: str, b: str, *deal_ids: str) -> Hop:
    return Hop(a, b, deal_ids, 1.0, ("exact",) * len(deal_ids), False, WHEN)


LOOP = Cycle("a~b", ("a", "b"), (hop("a", "b", "ab"), hop("b", "a", "ba")), 1.0, WHEN)
SEARCH = CycleSearch((LOOP,), False, "")


def state(**changes) -> ViewState:
    return ViewState(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31), **changes)


@pytest.mark.parametrize(
    ("changes", "companies"),
    [
        ({}, None),
        ({"focus": "a"}, {"a", "b"}),
        ({"focus": "a", "depth": 2}, {"a", "b", "c"}),
        ({"focus": "c"}, {"b", "c", "d"}),  # direction does not matter
        ({"focus": "e", "depth": 2}, {"e", "f"}),
        ({"focus": "zz"}, {"zz"}),  # a focus with no deal in view stays alone
    ],
)
def test_focus_neighbourhood_at_its_depth(changes, companies):
    assert highlight(state(**changes), DEALS, None) == (companies, None)
    assert highlight(state(**changes), DEALS, SEARCH) == (companies, None)  # no cycle named: loops unused


def test_an_open_loop_wins_over_the_focus():
    assert highlight(state(cycle="a~b", focus="d"), DEALS, SEARCH) == ({"a", "b"}, {"ab", "ba"})
    assert open_loop(state(cycle="a~b", focus="d"), DEALS, SEARCH) == {
        "cycle": "a~b",
        "companies": ["a", "b"],
        "deals": ["ab", "ba"],
    }


def test_a_loop_not_in_view_falls_back_to_the_focus():
    assert highlight(state(cycle="c~d", focus="d"), DEALS, SEARCH) == ({"c", "d"}, None)
    assert highlight(state(cycle="a~b"), DEALS, CycleSearch((), True, "capped")) == (None, None)
    assert open_loop(state(cycle="c~d", focus="d"), DEALS, SEARCH) is None
    assert open_loop(state(focus="d"), DEALS, SEARCH) is None  # no loop named
