"""Dataset rules at the edges the broader tests leave open (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

from alliance.dataset import load_dataset

from .conftest import TINY_DEALS, deal_row, write_dataset
from .test_dataset import problems_for

DUPLICATE = ("deals.csv row 9: likely duplicate of row 3: same parties, type and month (lab -> cloud, "
             "compute_commitment, 2024-06); if both are real, give them different group_ids, or one group_id and "
             "different amounts (tranches)")


def same_month_pair(first_group: str, second_group: str, second_amount: str = "30000000000") -> list[dict]:
    extra = deal_row(("d8", "2024-06-25", "lab", "cloud", "compute_commitment", second_amount, "exact", "", "announced"))
    rows = [deal_row(d) for d in TINY_DEALS] + [extra]
    rows[1]["group_id"], extra["group_id"] = first_group, second_group
    return rows


def test_a_group_on_only_one_of_two_same_month_deals_is_still_a_duplicate(tmp_path):
    assert problems_for(tmp_path, deals=same_month_pair("", "round-b")) == [DUPLICATE]
    assert problems_for(tmp_path, deals=same_month_pair("round-a", "")) == [DUPLICATE]


def test_one_group_and_the_same_amount_is_a_duplicate(tmp_path):
    assert problems_for(tmp_path, deals=same_month_pair("round-a", "round-a")) == [DUPLICATE]


def test_two_groups_with_the_same_amount_are_two_rounds(tmp_path):
    folder = write_dataset(tmp_path / "ok", deals=same_month_pair("round-a", "round-b"))
    assert len(load_dataset(folder, today=dt.date(2025, 12, 1)).deals) == 8


def test_every_month_is_in_a_note_is_checked(tmp_path):
    rows = [deal_row(d) for d in TINY_DEALS]
    rows[1]["notes"] = ("Month is unclear in the first report, which the wire copied without a date. "
                       "Day not stated; month is May 2023.")
    assert problems_for(tmp_path, deals=rows) == [
        "deals.csv row 3, column notes: says 'month is' but names no month and year right after it",
        "deals.csv row 3, column notes: says the month is May 2023, but the date is 2024-06-01",
    ]
