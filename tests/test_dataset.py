"""Validation: every documented rule has a broken file that triggers exactly its message."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from alliance.dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset
from alliance.validate import main
from alliance.validate import main as validate_main

from .helpers import TINY_COMPANIES, TINY_DEALS, deal_row, problems_for, write_dataset


def deals_with(**changes):
    rows = [deal_row(d) for d in TINY_DEALS]
    rows[1].update(changes)  # row 3 of the file (header is row 1)
    return rows


def test_tiny_dataset_loads(tiny_dir):
    dataset = load_dataset(tiny_dir, today=dt.date(2025, 12, 1))
    assert len(dataset.deals) == 7
    assert dataset.deals["amount_usd"].isna().sum() == 2
    assert dataset.companies.at["chips", "role_list"] == ["chipmaker", "investor"]
    assert len(dataset.version) == 12
    assert (dataset.covered_through, dataset.compiled_on, dataset.as_of) == ("2025-11-30", "2025-12-01", "2025-12-01")
    assert dataset.rounds.empty  # no rounds.csv: no known round totals


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"from_id": "nobody"}, "deals.csv row 3, column from_id: unknown company id 'nobody'"),
        ({"to_id": "ghost"}, "deals.csv row 3, column to_id: unknown company id 'ghost'"),
        ({"id": "d1"}, "deals.csv row 3, column id: duplicate id 'd1' (first on row 2)"),
        ({"date": "2024-13-01"}, "deals.csv row 3, column date: '2024-13-01' is not a date in YYYY-MM-DD form"),
        ({"date": "06/01/2024"}, "deals.csv row 3, column date: '06/01/2024' is not a date in YYYY-MM-DD form"),
        ({"date": "2030-01-01"}, "deals.csv row 3, column date: 2030-01-01 is in the future (today is 2025-12-01)"),
        ({"deal_type": "merger_of_equals"}, "deals.csv row 3, column deal_type: unknown deal type 'merger_of_equals'"),
        ({"status": "rumoured"}, "deals.csv row 3, column status: unknown status 'rumoured'"),
        ({"amount_qualifier": "maybe"}, "deals.csv row 3, column amount_qualifier: unknown qualifier 'maybe'"),
        ({"amount_usd": "-5"}, "deals.csv row 3, column amount_usd: negative amount -5"),
        ({"amount_usd": "$30B"}, "deals.csv row 3, column amount_usd: '$30B' is not a number"),
        (
            {"amount_qualifier": "undisclosed"},
            "deals.csv row 3, column amount_qualifier: qualifier is 'undisclosed' but an amount is given",
        ),
        ({"amount_usd": ""}, "deals.csv row 3, column amount_qualifier: qualifier is 'exact' but amount_usd is empty"),
        ({"source_url": ""}, "deals.csv row 3, column source_url: required value is empty"),
        (
            {"source_url": "ftp://example.com/x"},
            "deals.csv row 3, column source_url: 'ftp://example.com/x' is not an http(s) URL",
        ),
        ({"compute_gw": "-1"}, "deals.csv row 3, column compute_gw: '-1' is not a positive number of gigawatts"),
        ({"compute_gw": "0"}, "deals.csv row 3, column compute_gw: '0' is not a positive number of gigawatts"),
        (
            {"amount_usd": "", "amount_qualifier": "up_to"},
            "deals.csv row 3, column amount_qualifier: qualifier is 'up_to' but amount_usd is empty "
            "(use 'undisclosed')",
        ),
        (
            {"amount_usd": "", "amount_qualifier": "about"},
            "deals.csv row 3, column amount_qualifier: qualifier is 'about' but amount_usd is empty "
            "(use 'undisclosed')",
        ),
        (
            {"money_state": "promised"},
            "deals.csv row 3, column money_state: unknown money state 'promised' (known: paid, contracted, "
            "conditional; blank where nothing counts)",
        ),
        ({"to_id": "lab"}, "deals.csv row 3, column to_id: a deal needs two different companies"),
    ],
)
def test_each_rule_reports_file_row_column_reason(tmp_path, changes, expected):
    problems = problems_for(tmp_path, deals=deals_with(**changes))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_deals_file_without_rows_or_not_utf8_is_named(tmp_path):
    assert problems_for(tmp_path / "empty", deals=[]) == ["deals.csv: no deals"]
    folder = write_dataset(tmp_path / "latin1")
    (folder / "deals.csv").write_bytes((folder / "deals.csv").read_bytes().replace(b"Test deal d2", b"Caf\xe9 deal"))
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, today=dt.date(2025, 12, 1))
    (problem,) = caught.value.problems
    assert str(problem).startswith("deals.csv: cannot be parsed as CSV: 'utf-8' codec can't decode byte 0xe9")


def test_likely_duplicate_same_parties_type_month(tmp_path):
    rows = [deal_row(d) for d in TINY_DEALS] + [
        deal_row(("d8", "2024-06-25", "lab", "cloud", "compute_commitment", "30000000000", "exact", "", "announced"))
    ]
    problems = problems_for(tmp_path, deals=rows)
    assert problems == [
        "deals.csv row 9: likely duplicate of row 3: same parties, type and month "
        "(lab -> cloud, compute_commitment, 2024-06); if both are real, give them different "
        "group_ids, or one group_id and different amounts (tranches)"
    ]


def test_tranches_with_one_group_and_different_amounts_are_not_duplicates(tmp_path):
    extra = deal_row(("d8", "2024-06-25", "lab", "cloud", "compute_commitment", "1000000000", "exact", "", "announced"))
    rows = [deal_row(d) for d in TINY_DEALS] + [extra]
    rows[1]["group_id"] = extra["group_id"] = "lab-cloud-2024"
    folder = write_dataset(tmp_path / "ok", deals=rows)
    assert len(load_dataset(folder, today=dt.date(2025, 12, 1)).deals) == 8


@pytest.mark.parametrize("bad", ["-d1", "d1-", "lab--ai", "-", "D1", "d_1", "d 1", "dé"])
def test_an_id_is_lowercase_words_joined_by_single_hyphens(tmp_path, bad):
    companies = [dict(c) for c in TINY_COMPANIES] + [
        {"id": bad, "name": "X", "roles": "investor", "primary_role": "investor"}
    ]
    assert problems_for(tmp_path, companies=companies, deals=deals_with(id=bad)) == [
        f"companies.csv row 7, column id: '{bad}' is not a lowercase slug (a-z, 0-9, -)",
        f"deals.csv row 3, column id: '{bad}' is not a lowercase slug (a-z, 0-9, -)",
    ]


def test_ids_with_single_inner_hyphens_load(tmp_path):
    companies = [dict(c) for c in TINY_COMPANIES] + [
        {"id": "lab-ai-2", "name": "X", "roles": "investor", "primary_role": "investor"}
    ]
    dataset = load_dataset(
        write_dataset(tmp_path / "ok", companies, deals_with(id="2024-06-01-lab-cloud")), today=dt.date(2025, 12, 1)
    )
    assert "lab-ai-2" in dataset.companies.index and "2024-06-01-lab-cloud" in set(dataset.deals["id"])


def test_company_rules(tmp_path):
    companies = [dict(c) for c in TINY_COMPANIES] + [
        {"id": "Bad Id", "name": "X", "roles": "investor", "primary_role": "investor"},
        {"id": "lab", "name": "Lab again", "roles": "wizard", "primary_role": "model_lab", "website": "lab.ai"},
    ]
    problems = problems_for(tmp_path, companies=companies)
    assert "companies.csv row 7, column id: 'Bad Id' is not a lowercase slug (a-z, 0-9, -)" in problems
    assert "companies.csv row 8, column id: duplicate id 'lab' (first on row 3)" in problems
    assert any(p.startswith("companies.csv row 8, column roles: unknown role 'wizard'") for p in problems)
    assert "companies.csv row 8, column primary_role: 'model_lab' is not one of this company's roles" in problems
    assert "companies.csv row 8, column website: 'lab.ai' is not an http(s) URL" in problems


def test_every_problem_is_listed_at_once(tmp_path):
    rows = deals_with(from_id="nobody", status="rumoured", amount_usd="-1")
    assert len(problems_for(tmp_path, deals=rows)) == 3


def test_missing_column_and_missing_file(tmp_path):
    folder = write_dataset(tmp_path / "d")
    text = (folder / "deals.csv").read_text().replace("source_url", "url", 1)
    (folder / "deals.csv").write_text(text)
    (folder / "companies.csv").unlink()
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    messages = [str(p) for p in caught.value.problems]
    assert "companies.csv: file not found" in messages
    assert "deals.csv row 1, column source_url: missing column in header" in messages


def test_meta_as_of_must_be_a_date(tmp_path):
    problems = problems_for(tmp_path, as_of="last week")
    assert problems == ["meta.json, column as_of: 'last week' is not an ISO date"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, ["meta.json: file not found"]),
        ("{covered_through: 2025-11-30}", ["meta.json: is not JSON"]),
        ('["2025-12-01"]', ["meta.json: is not a JSON object"]),
        (
            '{"covered_through": "2025-11-30", "compiled_on": "soon"}',
            ["meta.json, column compiled_on: 'soon' is not an ISO date"],
        ),
        ('{"covered_through": "2025-11-30"}', ["meta.json, column compiled_on: '' is not an ISO date"]),
    ],
)
def test_a_broken_meta_file_is_named(tmp_path, content, expected):
    folder = write_dataset(tmp_path / "d")
    if content is None:
        (folder / "meta.json").unlink()
    else:
        (folder / "meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, today=dt.date(2025, 12, 1))
    assert [str(p) for p in caught.value.problems] == expected


def test_compiled_on_wins_over_an_old_as_of_left_beside_it(tmp_path):
    meta = {"as_of": "2025-01-01", "covered_through": "2025-11-30", "compiled_on": "2025-12-01"}
    dataset = load_dataset(write_dataset(tmp_path / "both", meta=meta), today=dt.date(2025, 12, 1))
    assert (dataset.covered_through, dataset.compiled_on) == ("2025-11-30", "2025-12-01")


def test_old_meta_with_only_as_of_still_loads(tmp_path):
    """covered_through then falls back to the latest deal's date (2025-03-01 in the tiny data)."""
    dataset = load_dataset(write_dataset(tmp_path / "old", as_of="2025-12-01"), today=dt.date(2025, 12, 1))
    assert (dataset.covered_through, dataset.compiled_on) == ("2025-03-01", "2025-12-01")


@pytest.mark.parametrize(
    "meta, expected",
    [
        (
            {"covered_through": "2025-02-01", "compiled_on": "2025-12-01"},
            [
                "meta.json, column covered_through: 2025-02-01 is before the latest deal (2025-03-01); it "
                "must reach at least that day"
            ],
        ),
        (
            {"covered_through": "2025-11-30", "compiled_on": "2025-11-01"},
            ["meta.json, column compiled_on: 2025-11-01 is before covered_through (2025-11-30)"],
        ),
        (
            {"covered_through": "2025-11-30", "compiled_on": "2026-01-01"},
            ["meta.json, column compiled_on: 2026-01-01 is in the future (today is 2025-12-01)"],
        ),
        ({"compiled_on": "2025-12-01"}, ["meta.json, column covered_through: '' is not an ISO date"]),
        (["not", "an", "object"], ["meta.json: is not a JSON object"]),
    ],
)
def test_freshness_rules(tmp_path, meta, expected):
    assert problems_for(tmp_path, meta=meta) == expected


def test_validate_command_exit_codes(tmp_path, capsys):
    assert validate_main([str(write_dataset(tmp_path / "good"))]) == 0
    assert "OK: 7 deals among 5 companies" in capsys.readouterr().out
    bad = write_dataset(tmp_path / "bad", deals=deals_with(status="rumoured"))
    assert validate_main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert "deals.csv row 3, column status: unknown status 'rumoured'" in err and "1 problem(s) found" in err


def test_loading_never_writes_to_the_data(tiny_dir):
    before = {p.name: p.read_bytes() for p in tiny_dir.iterdir()}
    load_dataset(tiny_dir)
    assert {p.name: p.read_bytes() for p in tiny_dir.iterdir()} == before


# --- rules that keep every amount counted once (issue 13) ------------------------------------


def tiny_deals(**changes_by_id):
    """The tiny deals with per-id changes: tiny_deals(d4={"status": "superseded"})."""
    rows = [deal_row(d) for d in TINY_DEALS]
    for row in rows:
        row.update(changes_by_id.get(row["id"], {}))
    return rows


def test_a_replaced_deal_must_say_superseded(tmp_path):
    # d6 (cloud -> lab, up to $5B) replaces d4 (chips -> lab), which still says 'announced'
    problems = problems_for(tmp_path, deals=tiny_deals(d6={"supersedes": "d4"}))
    assert problems == [
        "deals.csv row 5, column status: 'announced', but row 7 ('d6') supersedes this deal: "
        "set status to 'superseded' so its amount is not counted twice",
        "deals.csv row 7: the chain d4 -> d6 counts money twice: d4, d6 all enter the totals",
    ]


def test_a_well_formed_chain_loads_and_counts_once(tmp_path):
    folder = write_dataset(tmp_path / "ok", deals=tiny_deals(d4={"status": "superseded"}, d6={"supersedes": "d4"}))
    dataset = load_dataset(folder, today=dt.date(2025, 12, 1))
    assert dataset.deals.set_index("id").at["d6", "supersedes"] == "d4"


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"d6": {"supersedes": "nope"}}, ["deals.csv row 7, column supersedes: unknown deal id 'nope'"]),
        ({"d6": {"supersedes": "d6"}}, ["deals.csv row 7, column supersedes: a deal cannot supersede itself"]),
        (
            {"d4": {"status": "superseded"}},
            ["deals.csv row 5, column status: 'superseded', but no row names this deal in `supersedes`"],
        ),
        (
            {"d4": {"status": "superseded"}, "d6": {"supersedes": "d4"}, "d7": {"supersedes": "d4"}},
            ["deals.csv row 8, column supersedes: 'd4' is already superseded by 'd6'"],
        ),
        (
            {"d4": {"status": "superseded", "supersedes": "d6"}, "d6": {"status": "superseded", "supersedes": "d4"}},
            [
                "deals.csv row 7, column supersedes: supersedes links form a loop through 'd6'",
                "deals.csv row 5, column supersedes: supersedes links form a loop through 'd4'",
            ],
        ),
    ],
)
def test_supersedes_links(tmp_path, changes, expected):
    assert problems_for(tmp_path, deals=tiny_deals(**changes)) == expected


def test_a_chain_may_end_in_a_cancelled_deal(tmp_path):
    """Nothing of d4 -> d6 counts when the replacement fell through: allowed, no double count."""
    folder = write_dataset(
        tmp_path / "ok", deals=tiny_deals(d4={"status": "superseded"}, d6={"supersedes": "d4", "status": "cancelled"})
    )
    assert len(load_dataset(folder, today=dt.date(2025, 12, 1)).deals) == 7


def round_row(**changes):
    row = {
        "id": "lab-series-a",
        "company_id": "lab",
        "date": "2025-01-15",
        "total_usd": "12000000000",
        "qualifier": "exact",
        "leads": "Chips Inc",
        "source_url": "https://example.com/round",
        "source_name": "Example",
    }
    row.update(changes)
    return row


ROUND_DEALS = {"d4": {"group_id": "lab-series-a"}, "d6": {"group_id": "lab-series-a"}}  # up to $10B + up to $5B


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {},
            [
                "rounds.csv row 2, column total_usd: the investors' stated parts add up to 15,000,000,000, "
                "more than the round total 12,000,000,000"
            ],
        ),
        (
            {"total_usd": "15000000000", "id": "lab-series-b"},
            ["rounds.csv row 2, column id: no deal in deals.csv has group_id 'lab-series-b'"],
        ),
        (
            {"total_usd": "15000000000", "company_id": "cloud"},
            ["rounds.csv row 2, column company_id: round 'lab-series-a' is for 'cloud', but its deals also pay lab"],
        ),
        (
            {"total_usd": "15000000000", "company_id": "nobody"},
            [
                "rounds.csv row 2, column company_id: unknown company id 'nobody'",
                "rounds.csv row 2, column company_id: round 'lab-series-a' is for 'nobody', but its deals also pay lab",
            ],
        ),
        ({"total_usd": "-1"}, ["rounds.csv row 2, column total_usd: '-1' is not a positive number of USD"]),
        ({"total_usd": "0"}, ["rounds.csv row 2, column total_usd: '0' is not a positive number of USD"]),
        (
            {"total_usd": "1"},  # positive, so the parts are checked against it
            [
                "rounds.csv row 2, column total_usd: the investors' stated parts add up to 15,000,000,000, "
                "more than the round total 1"
            ],
        ),
        (
            {"total_usd": "15000000000", "second_source_url": "ftp://example.com/r"},
            ["rounds.csv row 2, column second_source_url: 'ftp://example.com/r' is not an http(s) URL"],
        ),
        (
            {"total_usd": "15000000000", "qualifier": "undisclosed"},
            ["rounds.csv row 2, column qualifier: unknown qualifier 'undisclosed' (known: exact, up_to, about)"],
        ),
        (
            {"total_usd": "15000000000", "date": "May 2025"},
            ["rounds.csv row 2, column date: 'May 2025' is not a date in YYYY-MM-DD form"],
        ),
        (
            {"total_usd": "15000000000", "source_url": ""},
            ["rounds.csv row 2, column source_url: required value is empty"],
        ),
    ],
)
def test_round_rules(tmp_path, changes, expected):
    assert problems_for(tmp_path, deals=tiny_deals(**ROUND_DEALS), rounds=[round_row(**changes)]) == expected


def test_every_round_is_checked_and_a_repeated_id_is_named(tmp_path):
    rounds = [round_row(id="lab-series-b"), round_row(), round_row(total_usd="15000000000")]
    assert problems_for(tmp_path, deals=tiny_deals(**ROUND_DEALS), rounds=rounds) == [
        "rounds.csv row 2, column id: no deal in deals.csv has group_id 'lab-series-b'",
        "rounds.csv row 3, column total_usd: the investors' stated parts add up to 15,000,000,000, "
        "more than the round total 12,000,000,000",
        "rounds.csv row 4, column id: duplicate id 'lab-series-a' (first on row 3)",
    ]


def test_a_round_member_of_an_unknown_type_is_reported_and_not_counted(tmp_path):
    deals = tiny_deals(
        d4={"group_id": "lab-series-a", "deal_type": "merger_of_equals"}, d6={"group_id": "lab-series-a"}
    )
    # only d6's $5B could count, within the $12B total: the unknown type is the one problem
    (problem,) = problems_for(tmp_path, deals=deals, rounds=[round_row()])
    assert problem.startswith("deals.csv row 5, column deal_type: unknown deal type 'merger_of_equals' (known: ")


def test_a_row_added_before_a_deal_dated_today_is_refused(tmp_path):
    deals = tiny_deals(d7={"date": "2025-12-01", "added_on": "2025-11-30"})
    meta = {"covered_through": "2025-12-01", "compiled_on": "2025-12-01"}
    assert problems_for(tmp_path, deals=deals, meta=meta) == [
        "deals.csv row 8, column added_on: 2025-11-30 is before the deal's date 2025-12-01: no page could be "
        "read, nor the row added, before then"
    ]


def test_parts_that_do_not_count_stay_out_of_the_round_check(tmp_path):
    """A cancelled $10B pledge in the round leaves $5B, within the $12B total."""
    deals = tiny_deals(d4={"group_id": "lab-series-a", "status": "cancelled"}, d6={"group_id": "lab-series-a"})
    dataset = load_dataset(
        write_dataset(tmp_path / "ok", deals=deals, rounds=[round_row()]), today=dt.date(2025, 12, 1)
    )
    assert dataset.rounds.loc["lab-series-a", "total_usd"] == 12e9


@pytest.mark.parametrize(
    "notes, expected",
    [
        (
            "Day not stated in sources; month is May 2023.",
            ["deals.csv row 3, column notes: says the month is May 2023, but the date is 2024-06-01"],
        ),
        (
            "Day not stated in sources; month is.",
            ["deals.csv row 3, column notes: says 'month is' but names no month and year right after it"],
        ),
        (
            "Later expanded (2026, outside this batch's date range).",
            [
                "deals.csv row 3, column notes: says an event lies 'outside this batch'; the data covers every month "
                "up to covered_through, so add that event as a row or reword the note"
            ],
        ),
        (
            "A second deal is a 2026 event (out of range).",
            [
                "deals.csv row 3, column notes: says an event lies 'out of range'; the data covers every month "
                "up to covered_through, so add that event as a row or reword the note"
            ],
        ),
    ],
)
def test_notes_must_agree_with_the_date(tmp_path, notes, expected):
    assert problems_for(tmp_path, deals=deals_with(notes=notes)) == expected


@pytest.mark.parametrize(
    "notes",
    [
        "Day not stated in sources; month is June 2024.",
        "Day not stated in sources; month is (June 2024, alongside an earnings call).",
        "Bloomberg says the month is June 2024; NYT places the close in May 2023.",
    ],
)
def test_notes_that_agree_pass(tmp_path, notes):
    load_dataset(write_dataset(tmp_path / "ok", deals=deals_with(notes=notes)), today=dt.date(2025, 12, 1))


def test_investors_carry_the_investor_role(tmp_path):
    deals = tiny_deals(d6={"from_id": "app"})  # App Co invests in lab but is only an application
    assert problems_for(tmp_path, deals=deals) == [
        "companies.csv row 6, column roles: 'app' invests or lends in d6 but lacks the 'investor' role"
    ]


def test_amount_kind_vocabulary(tmp_path):
    assert problems_for(tmp_path, deals=deals_with(amount_kind="gift")) == [
        "deals.csv row 3, column amount_kind: unknown amount kind 'gift' (known: flow, per_year, secondary, "
        "valuation; blank = flow)"
    ]


# --- Dataset rules at the edges the broader tests leave open. (From mutation testing, tests/MUTATION.md.)


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
    from .helpers import TINY_COMPANIES

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


# --- `python -m alliance.validate` reads its folder from the command line, or the shipped data without one. (From
# mutation testing, tests/MUTATION.md.)


def test_the_folder_comes_from_the_command_line(tmp_path, capsys, monkeypatch):
    folder = write_dataset(tmp_path / "good")
    monkeypatch.setattr(sys, "argv", ["validate", str(folder), "ignored"])
    assert main() == 0
    version = load_dataset(folder).version
    assert capsys.readouterr().out == (
        f"OK: 7 deals among 5 companies, 0 round totals, deals announced through 2025-11-30, "
        f"compiled on 2025-12-01, version {version}\n"
    )


def test_without_a_folder_the_shipped_data_is_checked(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["validate"])
    assert main() == 0
    assert capsys.readouterr().out.endswith(f"version {load_dataset(DEFAULT_DATA_DIR).version}\n")
