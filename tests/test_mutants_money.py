"""Round notes in each language, totals without round data, and the summary line's edges
(found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from alliance.money import round_note, stated_total, summary_line

from .test_money import round_dataset  # noqa: F401  (fixture)

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
def test_round_note_in_each_language(round_dataset, qualifier, english, russian):  # noqa: F811
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


def test_stated_total_with_round_data_but_no_round_in_view(round_dataset):  # noqa: F811
    d1 = round_dataset.deals[round_dataset.deals["id"] == "d1"]
    assert stated_total(d1, round_dataset) == (1e9, 0)


def test_summary_line_of_an_empty_view():
    empty = pd.DataFrame({"id": [], "deal_type": [], "group_id": [], "amount_usd": [], "from_id": [], "to_id": []})
    assert summary_line(empty, NO_ROUNDS) == "0 deals in view · $0 in stated amounts."


def test_summary_line_in_a_language_counts_undisclosed_and_left_out(round_dataset):  # noqa: F811
    assert summary_line(round_dataset.deals, round_dataset, lang="en") == (
        "8 deals in view · $66.65B in stated amounts · $1.65B paid · $55B contracted · $10B conditional (+2 "
        "undisclosed; 1 replaced, cancelled or not paid to the "
        "company, not counted)."
    )


def test_summary_line_in_russian(round_dataset):  # noqa: F811
    assert summary_line(round_dataset.deals, round_dataset, lang="ru") == (
        "8 сделок в текущем виде · 66,65 млрд $ названных сумм · 1,65 млрд $ выплачено · 55 млрд $ по контрактам · "
        "10 млрд $ условно (+2 без суммы; не учтено 1: заменены, отменены или "
        "оплачены не компании)."
    )
