"""Dataset rules at the edges the broader tests leave open (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

from alliance.dataset import load_dataset

from .conftest import TINY_DEALS, deal_row, write_dataset
from .test_dataset import problems_for

DUPLICATE = (
    "deals.csv row 9: likely duplicate of row 3: same parties, type and month (lab -> cloud, "
    "compute_commitment, 2024-06); if both are real, give them different group_ids, or one group_id and "
    "different amounts (tranches)"
)


def same_month_pair(first_group: str, second_group: str, second_amount: str = "30000000000") -> list[dict]:
    extra = deal_row(
        ("d8", "2024-06-25", "lab", "cloud", "compute_commitment", second_amount, "exact", "", "announced")
    )
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
    rows[1]["notes"] = (
        "Month is unclear in the first report, which the wire copied without a date. Day not stated; month is May 2023."
    )
    assert problems_for(tmp_path, deals=rows) == [
        "deals.csv row 3, column notes: says 'month is' but names no month and year right after it",
        "deals.csv row 3, column notes: says the month is May 2023, but the date is 2024-06-01",
    ]


def test_each_rule_names_its_row_column_and_the_known_values(tmp_path):
    from .conftest import TINY_COMPANIES

    companies = [dict(c) for c in TINY_COMPANIES]
    companies[1]["name"] = ""
    companies[2]["roles"] = "cloud_provider;wizard"
    companies[3]["name"] = "=HYPERLINK()"
    rows = [deal_row(d) for d in TINY_DEALS]
    rows[0]["id"] = "D1!"
    rows[1]["deal_type"] = "gift"
    rows[2]["status"] = "rumoured"
    rows[3]["amount_qualifier"] = "roughly"
    rows[4]["date"] = "2025-12-02"  # a day after "today"
    rows[5]["date"] = "2025-12-01"  # today itself is fine
    assert problems_for(tmp_path, companies=companies, deals=rows) == [
        "companies.csv row 3, column name: required value is empty",
        "companies.csv row 4, column roles: unknown role 'wizard' (known: investor, model_lab, cloud_provider, "
        "neocloud, chipmaker, infrastructure, application)",
        "companies.csv row 5, column name: starts with = + - @, a tab or a carriage return, which a spreadsheet "
        "would run as a formula",
        "deals.csv row 2, column id: 'D1!' is not a lowercase slug (a-z, 0-9, -)",
        "deals.csv row 3, column deal_type: unknown deal type 'gift' (known: equity_investment, compute_commitment, "
        "chip_supply, joint_venture, acquisition, acquihire_licensing, debt_financing, restructuring, "
        "model_distribution)",
        "deals.csv row 4, column status: unknown status 'rumoured' (known: announced, completed, reported, stalled, "
        "cancelled, superseded)",
        "deals.csv row 5, column amount_qualifier: unknown qualifier 'roughly' (known: exact, up_to, about, "
        "undisclosed)",
        "deals.csv row 6, column date: 2025-12-02 is in the future (today is 2025-12-01)",
        "companies.csv row 4, column roles: 'cloud' invests or lends in d6 but lacks the 'investor' role",
        "meta.json, column covered_through: 2025-11-30 is before the latest deal (2025-12-02); it must reach at "
        "least that day",
    ]
