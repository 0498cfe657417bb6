"""What counts toward totals, and round totals counted once (alliance.money)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from alliance import i18n
from alliance.money import counted_mask, round_note, stated_total, summary_line


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
        ("acquihire_licensing", 3e9, "announced", "per_year"),  # a yearly fee of a money-moving type
        ("compute_commitment", 2e9, "completed", "per_year"),
    )
    assert counted_mask(deals).tolist() == [
        *(True, False, False, False, False, False, False, False, True, True),
        *(False, False),
    ]


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


def test_money_by_type_counts_a_round_at_its_total_given_the_dataset(round_dataset):
    from alliance.money import money_by_type

    lab = money_by_type(round_dataset.deals, "lab", round_dataset)
    # d1 $1B + the $20B round once (d4's up-to $10B share and its unexplained $10B rest); d6 states no amount
    assert lab.loc["equity_investment"].tolist() == [21e9, 3, 1, 0, 0, 0]
    # without the dataset the round's total is unknown: only the stated shares count
    assert money_by_type(round_dataset.deals, "lab").loc["equity_investment"].tolist() == [11e9, 3, 1, 0, 0, 0]


# --- Round notes in each language, totals without round data, and the summary line's edges. (From mutation testing,
# tests/MUTATION.md.)


NO_ROUNDS = SimpleNamespace(rounds=None)  # round data is optional: the functions accept none at all


def with_round_qualifier(dataset, qualifier):
    rounds = dataset.rounds.copy()
    rounds["qualifier"] = qualifier
    return SimpleNamespace(rounds=rounds)


@pytest.mark.parametrize(
    "qualifier, english, russian",
    [
        ("exact", "part of a $20B round", "часть раунда на 20 млрд $"),
        ("up_to", "part of a round of up to $20B", "часть раунда до 20 млрд $"),
        ("about", "part of a round of about $20B", "часть раунда примерно на 20 млрд $"),
    ],
)
def test_round_note_in_each_language(round_dataset, qualifier, english, russian):
    dataset = with_round_qualifier(round_dataset, qualifier)
    d6 = round_dataset.deals.set_index("id", drop=False).loc["d6"]
    assert round_note(d6, dataset) == english
    assert round_note(d6, dataset, lang="en") == english
    assert round_note(d6, dataset, lang="ru") == russian


def test_round_note_without_round_data_or_group():
    deal = pd.Series({"id": "x", "group_id": "some-round"})
    assert round_note(deal, NO_ROUNDS) is None
    assert round_note(pd.Series({"id": "x"}), NO_ROUNDS) is None
    assert round_note({"id": "x"}, SimpleNamespace(rounds=pd.DataFrame(index=["some-round"]))) is None


def test_stated_total_without_round_data():
    deals = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "deal_type": ["equity_investment"] * 3,
            "group_id": ["", "r", ""],
            "from_id": ["f", "f", "f"],
            "to_id": ["t", "t", "t"],
            "amount_usd": [2e9, 3e9, float("nan")],
        }
    )
    assert stated_total(deals, NO_ROUNDS) == (5e9, 1)
    assert stated_total(deals.iloc[:0], NO_ROUNDS) == (0.0, 0)


def test_stated_total_with_round_data_but_no_round_in_view(round_dataset):
    d1 = round_dataset.deals[round_dataset.deals["id"] == "d1"]
    assert stated_total(d1, round_dataset) == (1e9, 0)


def test_summary_line_of_an_empty_view():
    empty = pd.DataFrame({"id": [], "deal_type": [], "group_id": [], "amount_usd": [], "from_id": [], "to_id": []})
    assert summary_line(empty, NO_ROUNDS) == "0 deals in view · $0 in stated amounts."


def test_summary_line_in_a_language_counts_undisclosed_and_left_out(round_dataset):
    assert summary_line(round_dataset.deals, round_dataset, lang="en") == (
        "8 deals in view · $66.65B in stated amounts · $1.65B paid · $55B contracted · $10B conditional (+2 "
        "undisclosed; 1 replaced, cancelled or not paid to the "
        "company, not counted)."
    )


def test_summary_line_in_russian(round_dataset):
    assert summary_line(round_dataset.deals, round_dataset, lang="ru") == (
        "8 сделок в текущем виде · 66,65 млрд $ названных сумм · 1,65 млрд $ выплачено · 55 млрд $ по контрактам · "
        "10 млрд $ условно (+2 без суммы; не учтено 1: заменены, отменены или "
        "оплачены не компании)."
    )
