"""Figure themes, and link texts in the link's language (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance.sharing import preview_query
from alliance.text import view_description, view_title
from alliance.viewstate import Context, ViewState
from components.theme import FONT, INK, figure_theme, rgba, themed_layout

CTX = Context(first_day=dt.date(2023, 1, 1), last_day=dt.date(2025, 12, 31), company_ids=frozenset({"lab"}))
Q1 = dict(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31))


@pytest.mark.parametrize(
    "color, alpha, expected",
    [
        ("#0072B2", 0.5, "rgba(0,114,178,0.5)"),
        ("#ffffff", 1, "rgba(255,255,255,1)"),
        ("#123456", 0.12, "rgba(18,52,86,0.12)"),
    ],
)
def test_rgba(color, alpha, expected):
    assert rgba(color, alpha) == expected


def test_unknown_or_missing_theme_is_light():
    assert figure_theme(None)["paper"] == figure_theme("sepia")["paper"] == figure_theme("light")["paper"] == "#ffffff"
    assert figure_theme("dark")["paper"] == "#16202b"


def test_light_layout_keeps_plotly_hover_colours():
    layout = themed_layout("light")
    assert (layout["paper_bgcolor"], layout["plot_bgcolor"], layout["font"]) == (
        "#ffffff",
        "#ffffff",
        {"family": FONT, "color": INK, "size": 12},
    )
    assert layout["hoverlabel"] == {"font": {"family": FONT, "size": 12}, "align": "left"}


def test_dark_layout_colours_paper_plot_font_and_hover():
    layout = themed_layout("dark")
    assert (layout["paper_bgcolor"], layout["plot_bgcolor"]) == ("#16202b", "#16202b")
    assert layout["font"] == {"family": FONT, "color": "#e4e7eb", "size": 12}
    assert layout["hoverlabel"] == {
        "font": {"family": FONT, "size": 12, "color": "#e4e7eb"},
        "align": "left",
        "bgcolor": "#0f1720",
    }


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
