"""What counts toward totals, and round totals counted once (alliance.money)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance import i18n
from alliance.dataset import load_dataset
from alliance.money import counted_mask, round_note, stated_total, summary_line

from .conftest import TINY_DEALS, deal_row, write_dataset


def frame(*rows):
    """Hand-made deals: (deal_type, amount, status, amount_kind); row 2 (id r2) is replaced by row 0."""
    return pd.DataFrame(
        [
            {
                "id": f"r{i}",
                "deal_type": t,
                "amount_usd": a,
                "status": s,
                "amount_kind": k,
                "supersedes": "r2" if i == 0 else "",
            }
            for i, (t, a, s, k) in enumerate(rows)
        ]
    )


def test_counted_mask_rules():
    deals = frame(
        ("equity_investment", 1e9, "completed", "flow"),  # counts
        ("equity_investment", float("nan"), "completed", ""),  # nothing stated
        ("equity_investment", 1e9, "superseded", "flow"),  # replaced by a row of this view
        ("equity_investment", 1e9, "cancelled", "flow"),
        ("equity_investment", 1e9, "stalled", "flow"),
        ("equity_investment", 1.5e9, "reported", "secondary"),  # paid to selling employees
        ("restructuring", 135e9, "completed", "valuation"),
        ("model_distribution", 1e9, "reported", "per_year"),
        ("compute_commitment", 38e9, "announced", ""),  # blank kind = flow
        ("compute_commitment", 5e9, "reported", "flow"),
    )
    assert counted_mask(deals).tolist() == [True, False, False, False, False, False, False, False, True, True]


def test_a_replaced_deal_counts_only_while_its_replacement_is_out_of_view():
    deals = pd.DataFrame(
        [
            {
                "id": "loi",
                "deal_type": "equity_investment",
                "amount_usd": 100e9,
                "status": "superseded",
                "supersedes": "",
            },
            {
                "id": "stake",
                "deal_type": "equity_investment",
                "amount_usd": 30e9,
                "status": "completed",
                "supersedes": "loi",
            },
        ]
    )
    assert counted_mask(deals).tolist() == [False, True]
    assert counted_mask(deals.iloc[:1]).tolist() == [True]  # a view that ends before the stake


def test_counted_mask_without_status_or_kind_columns():
    deals = pd.DataFrame({"deal_type": ["equity_investment", "model_distribution"], "amount_usd": [1e9, 1e9]})
    assert counted_mask(deals).tolist() == [True, False]


@pytest.mark.parametrize(
    "total, qualifier, expected",
    [
        (65e9, "exact", "part of a $65B round"),
        (40e9, "up_to", "part of a round of up to $40B"),
        (2e9, "about", "part of a round of about $2B"),
        (6.6e9, "exact", "part of a $6.6B round"),
        # the one money formatter: an exact half up, as in Russian (an English-only one read $1.12B)
        (1.125e9, "exact", "part of a $1.13B round"),
    ],
)
def test_round_phrase(total, qualifier, expected):
    assert i18n.t("en", f"round.{qualifier}", amount=i18n.money(total, "en")) == expected


@pytest.fixture
def round_dataset(tmp_path):
    """Tiny data where d4 (up to $10B) and d6 (up to $5B) are two investors in a $20B round of lab,
    and d2 ($30B compute) is replaced by d7-like expansion: d2 superseded by a new $45B row."""
    rows = [deal_row(d) for d in TINY_DEALS]
    by_id = {r["id"]: r for r in rows}
    by_id["d4"]["group_id"] = by_id["d6"]["group_id"] = "lab-series-a"
    by_id["d6"].update(amount_usd="", amount_qualifier="undisclosed")
    by_id["d2"]["status"] = "superseded"
    rows.append(
        deal_row(("d8", "2025-04-01", "lab", "cloud", "compute_commitment", "45000000000", "exact", "", "announced"))
    )
    rows[-1]["supersedes"] = "d2"
    rounds = [
        {
            "id": "lab-series-a",
            "company_id": "lab",
            "date": "2025-01-15",
            "total_usd": "20000000000",
            "qualifier": "exact",
            "leads": "Chips Inc",
            "source_url": "https://example.com/r",
            "source_name": "Example",
        }
    ]
    return load_dataset(write_dataset(tmp_path / "data", deals=rows, rounds=rounds), today=dt.date(2025, 12, 1))


def test_round_note_names_the_round_total(round_dataset):
    deals = round_dataset.deals.set_index("id", drop=False)
    assert round_note(deals.loc["d6"], round_dataset) == "part of a $20B round"
    assert round_note(next(deals.loc[["d6"]].itertuples()), round_dataset) == "part of a $20B round"
    assert round_note(deals.loc["d1"], round_dataset) is None


def test_stated_total_counts_each_amount_once(round_dataset):
    # d1 $1B + d7 $650M + d8 $45B (d2's $30B is superseded) + the $20B round once (not d4's $10B)
    assert stated_total(round_dataset.deals, round_dataset) == (66.65e9, 2)  # d3 and d5 undisclosed


def test_stated_total_counts_a_round_once_when_one_investor_is_in_view(round_dataset):
    deals = round_dataset.deals
    only_d6 = deals[deals["id"] == "d6"]
    assert stated_total(only_d6, round_dataset) == (20e9, 0)


def test_summary_line_says_what_was_left_out(round_dataset):
    assert summary_line(round_dataset.deals, round_dataset) == (
        # paid: d1 $1B + d7 $650M; contracted: d8 $45B + the round's $10B beyond d4 (d6, announced);
        # conditional: d4's up-to $10B share
        "8 deals in view · $66.65B in stated amounts · $1.65B paid · $55B contracted · $10B conditional "
        "(+2 undisclosed; 1 replaced, cancelled or not paid to the "
        "company, not counted)."
    )


def test_money_by_type_by_hand(tiny_atlas):
    from alliance.money import money_by_type

    deals = tiny_atlas.dataset.deals
    columns = ["in_sum", "in_deals", "in_undisclosed", "out_sum", "out_deals", "out_undisclosed"]
    lab = money_by_type(deals, "lab")
    # d5 (a model distribution, lab -> cloud) moves no money: no row for it
    assert list(lab.index) == ["equity_investment", "compute_commitment", "acquisition"]
    assert list(lab.columns) == columns
    assert lab.loc["equity_investment"].tolist() == [16e9, 3, 0, 0, 0, 0]  # d1 + d4 + d6, all in
    assert lab.loc["compute_commitment"].tolist() == [0, 0, 0, 30e9, 1, 0]  # d2, out
    assert lab.loc["acquisition"].tolist() == [0, 0, 0, 650e6, 1, 0]  # d7, out
    cloud = money_by_type(deals, "cloud")
    assert list(cloud.index) == ["equity_investment", "compute_commitment", "chip_supply"]
    assert cloud.loc["chip_supply"].tolist() == [0, 0, 0, 0, 1, 1]  # d3: one deal out, amount undisclosed
    assert cloud.loc["equity_investment"].tolist() == [0, 0, 0, 5e9, 1, 0]  # d6
    assert money_by_type(deals, "nobody").empty
