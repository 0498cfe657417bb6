"""Limits and defaults the URL codec shares with the domain, pinned by hand (never copied from the code)."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.flows import find_cycles
from alliance.viewstate import Context, ViewState, default_state, parse

from .helpers import ALL_ROLES, ALL_TYPES, deals_frame

CTX = Context(first_day=dt.date(2023, 1, 1), last_day=dt.date(2025, 12, 31), company_ids=frozenset())


def ring(n: int, prefix: str) -> list[tuple]:
    """A loop of n companies p0 → p1 → … → p0, one $1B equity deal per hop."""
    names = [f"{prefix}{i}" for i in range(n)]
    return [(a, b, 1e9) for a, b in zip(names, names[1:] + names[:1], strict=True)]


def test_default_search_finds_six_company_loops_but_not_seven():
    deals = deals_frame(ring(6, "six") + ring(7, "seven"))
    assert [c.id for c in find_cycles(deals).cycles] == ["six0~six1~six2~six3~six4~six5"]
    assert sorted(len(c.companies) for c in find_cycles(deals, max_length=7).cycles) == [6, 7]
    assert find_cycles(deals, max_length=5).cycles == ()


def test_a_link_names_at_most_ten_companies_and_the_search_allows_ten():
    ten = "~".join(f"c{i}" for i in range(10))
    state, notices = parse(f"cycle={ten}", CTX)
    assert (state.cycle, notices) == (ten, [])
    for too_long_or_short in (f"{ten}~c10", "solo"):
        state, notices = parse(f"cycle={too_long_or_short}", CTX)
        assert state.cycle is None and [n.param for n in notices] == ["cycle"]
    assert [len(c.companies) for c in find_cycles(deals_frame(ring(10, "r")), max_length=10).cycles] == [10]
    with pytest.raises(ValueError, match="between 2 and 10, not 11"):
        find_cycles(deals_frame(ring(10, "r")), max_length=11)


def test_default_view_by_hand():
    assert default_state(CTX) == ViewState(
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2025, 12, 31),
        types=tuple(ALL_TYPES),
        roles=tuple(ALL_ROLES),
        focus=None,
        depth=1,
        min_amount=0.0,
        company=None,
        deal=None,
        cycle=None,
        view="network",
        story=None,
        every=False,
        embed=False,
        scroll=False,
        lang=None,
        theme=None,
    )


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("depth=2", True),
        ("depth=1", True),
        ("depth=3", False),
        ("depth=0", False),
        ("min_amount=10000000000000", True),
        ("min_amount=10000000000001", False),
    ],
)
def test_depth_and_amount_limits(query, kept):
    state, notices = parse(query, CTX)
    assert (notices == []) is kept
