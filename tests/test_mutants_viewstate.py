"""URL codec corners (found by mutation testing, tests/MUTATION.md): the story and every-deal
parameters both ways, and the notices that carry the ignored value for the page's language."""

from __future__ import annotations

import datetime as dt

from alliance.viewstate import Context, Notice, parse, to_query

CTX = Context(
    first_day=dt.date(2023, 1, 1),
    last_day=dt.date(2025, 12, 31),
    company_ids=frozenset({"lab"}),
    deal_ids=frozenset({"d1"}),
    story_ids=("pact",),
)


def test_story_and_every_deal_round_trip():
    state, notices = parse("?story=pact&every=1", CTX)
    assert (state.story, state.every, notices) == ("pact", True, [])
    assert to_query(state, CTX) == "?story=pact&every=1"
    assert parse("?every=true", CTX)[0].every is True and parse("?every=0", CTX)[0].every is False


def test_notices_carry_the_ignored_value():
    assert parse("?story=nope", CTX)[1] == [
        Notice("story", "Ignored story: unknown story 'nope'.", "notice.unknown_story", (("shown", ("nope",)),))
    ]
    assert parse("?cycle=A~B", CTX)[1] == [
        Notice("cycle", "Ignored cycle=an invalid value.", "notice.cycle", (("shown", (None,)),))
    ]  # not a safe slug: not shown
    assert parse("?deal=zzz", CTX)[1][0].values == (("shown", ("zzz",)),)
    assert parse("?min_amount=lots", CTX)[1][0].values == (("shown", ("lots",)),)
    assert parse("?every=2", CTX)[1] == [
        Notice("every", "Ignored every='2': use 1 or 0.", "notice.flag", (("param", "every"), ("shown", ("2",))))
    ]


def test_a_deal_and_a_company_panel_together_keep_the_deal():
    state, notices = parse("?company=lab&deal=d1", CTX)
    assert (state.company, state.deal) == (None, "d1")
    assert notices == [
        Notice("company", "Both a company and a deal panel were asked for; showing the deal.", "notice.both_panels")
    ]
