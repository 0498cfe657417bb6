"""Words for money, deal types, views and links: units at each threshold, unknown qualifiers and types,
view titles and descriptions in both languages, and which filters the feed and preview links keep."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance.i18n import amount_as_stated, deal_type, money
from alliance.sharing import canonical_query, feed_query, preview_query
from alliance.text import view_description, view_title, wrap
from alliance.viewstate import Context, ViewState

CTX = Context(first_day=dt.date(2023, 1, 1), last_day=dt.date(2025, 12, 31), company_ids=frozenset({"lab"}))


@pytest.mark.parametrize(
    "amount, text",
    [
        (1e12, "$1T"),
        (999_999_999_999, "$1T"),  # rounds to 1000 of a unit: the next unit
        (1e9, "$1B"),
        (999_999_999, "$1B"),
        (999_994_999, "$999.99M"),
        (1e6, "$1M"),
        (1e3, "$1K"),
        (1500, "$1.5K"),
        (999, "$999"),
        (0, "$0"),
    ],
)
def test_money_switches_unit_exactly_at_each_threshold(amount, text):
    assert money(amount) == text


def test_an_unknown_qualifier_adds_nothing():
    assert amount_as_stated(5e9, "roughly") == "$5B"


def test_an_unknown_deal_type_is_its_own_label():
    assert deal_type("space_elevator") == "space_elevator"


def test_feed_link_keeps_types_roles_and_minimum_but_not_the_window_or_panels():
    state = ViewState(
        types=("chip_supply",),
        roles=("investor",),
        date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 3, 31),
        min_amount=1e9,
        company="lab",
        embed=True,
    )
    assert feed_query(state, CTX) == "?types=chip_supply&roles=investor&min_amount=1000000000"
    assert canonical_query(state, CTX) == (
        "?types=chip_supply&roles=investor&from=2025-01&to=2025-03&min_amount=1000000000&company=lab"
    )


def test_deal_hover_in_russian_with_capacity_and_note():
    from collections import namedtuple

    from alliance.text import deal_hover

    Deal = namedtuple("Deal", "from_id to_id deal_type amount_usd amount_qualifier compute_gw date status")
    deal = Deal("a", "b", "chip_supply", 2.5e9, "up_to", 1.5, dt.date(2025, 11, 3), "completed")
    names = {"a": "Alpha", "b": "Beta"}
    assert deal_hover(deal, names, "часть раунда", "ru") == (
        "<b>Alpha → Beta</b><br>Поставка чипов · до 2,5 млрд $, часть раунда<br>1,5 ГВт<br>03 ноя 2025 · завершена"
    )
    assert deal_hover(deal, names) == (
        "<b>Alpha → Beta</b><br>Chip supply · up to $2.5B<br>1.5 GW<br>03 Nov 2025 · completed"
    )


# --- Figure themes, and link texts in the link's language. (From mutation testing, tests/MUTATION.md.)


Q1 = dict(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31))


def test_view_title_and_description_in_russian():
    state = ViewState(types=("chip_supply", "acquisition"), lang="ru", **Q1)
    deals = pd.DataFrame({"id": ["a", "b"]})
    assert view_title(state) == "Кто кого финансирует, снабжает и размещает · янв 2025 – мар 2025"
    assert (
        view_description(deals, state, 0.0)
        == "2 сделки · названо 0 $ · янв 2025 – мар 2025 · Поставка чипов, Поглощение"
    )


@pytest.mark.parametrize(
    "types, tail",
    [
        ((), ""),
        (("chip_supply", "acquisition", "joint_venture"), " · Chip supply, Acquisition, Joint venture"),
        (("chip_supply", "acquisition", "joint_venture", "debt_financing"), ""),
    ],
)
def test_view_description_names_up_to_three_kinds(types, tail):
    state = ViewState(types=types, **Q1)
    assert (
        view_description(pd.DataFrame({"id": ["a"]}), state, None) == f"1 deal · $0 stated · Jan 2025 – Mar 2025{tail}"
    )


def test_preview_query_keeps_what_changes_the_picture():
    state = ViewState(
        types=("chip_supply",),
        roles=("investor",),
        min_amount=1e9,
        view="sankey",
        lang="ru",
        company="lab",
        embed=True,
        **Q1,
    )
    assert preview_query(state, CTX) == (
        "?types=chip_supply&roles=investor&from=2025-01&to=2025-03&min_amount=1000000000&view=sankey&lang=ru"
    )
    # the money filter, a stress test's failing companies and the source filter change the picture too
    changed = state.with_(money="paid", fail=("lab", "cloud"), sources="strong", deal="d1", theme="dark")
    assert preview_query(changed, CTX) == (
        "?types=chip_supply&roles=investor&from=2025-01&to=2025-03&min_amount=1000000000&sources=strong"
        "&money=paid&fail=lab~cloud&view=sankey&lang=ru"
    )


def test_wrap_cuts_at_its_last_line_and_ends_it_with_an_ellipsis():
    # lines of at most 11 characters: "alpha beta." | "gamma" | "INDEX," | "epsilon"
    assert wrap("alpha beta. gamma INDEX, epsilon", width=11, lines=3) == "alpha beta.<br>gamma<br>INDEX…"
    assert wrap("alpha beta. gamma INDEX,", width=11, lines=3) == "alpha beta.<br>gamma<br>INDEX,"  # fits: kept
    # the defaults: 60 characters a line, 3 lines
    word = "w" * 59
    assert wrap(word + " a") == word + "<br>a"  # 61 characters do not fit on one line
    assert wrap(" ".join([word] * 4)) == "<br>".join([word] * 3) + "…"
