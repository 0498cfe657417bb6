"""Validation: every documented rule has a broken file that triggers exactly its message."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.dataset import DatasetError, load_dataset
from alliance.validate import main as validate_main

from .conftest import TINY_COMPANIES, TINY_DEALS, deal_row, write_dataset


def problems_for(tmp_path, companies=None, deals=None, **kwargs) -> list[str]:
    folder = write_dataset(tmp_path / "bad", companies, deals, **kwargs)
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, today=dt.date(2025, 12, 1))
    return [str(p) for p in caught.value.problems]


def deals_with(**changes):
    rows = [deal_row(d) for d in TINY_DEALS]
    rows[1].update(changes)  # row 3 of the file (header is row 1)
    return rows


def test_tiny_dataset_loads(tiny_dir):
    dataset = load_dataset(tiny_dir, today=dt.date(2025, 12, 1))
    assert len(dataset.deals) == 7
    assert dataset.deals["amount_usd"].isna().sum() == 2
    assert dataset.companies.at["chips", "role_list"] == ["chipmaker", "investor"]
    assert len(dataset.version) == 12 and dataset.as_of == "2025-12-01"


@pytest.mark.parametrize("changes, expected", [
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
    ({"amount_qualifier": "undisclosed"}, "deals.csv row 3, column amount_qualifier: qualifier is 'undisclosed' but an amount is given"),
    ({"amount_usd": ""}, "deals.csv row 3, column amount_qualifier: qualifier is 'exact' but amount_usd is empty"),
    ({"source_url": ""}, "deals.csv row 3, column source_url: required value is empty"),
    ({"source_url": "ftp://example.com/x"}, "deals.csv row 3, column source_url: 'ftp://example.com/x' is not an http(s) URL"),
    ({"compute_gw": "-1"}, "deals.csv row 3, column compute_gw: '-1' is not a positive number of gigawatts"),
    ({"to_id": "lab"}, "deals.csv row 3, column to_id: a deal needs two different companies"),
])
def test_each_rule_reports_file_row_column_reason(tmp_path, changes, expected):
    problems = problems_for(tmp_path, deals=deals_with(**changes))
    assert any(p.startswith(expected) for p in problems), problems


def test_likely_duplicate_same_parties_type_month(tmp_path):
    rows = [deal_row(d) for d in TINY_DEALS] + [deal_row(("d8", "2024-06-25", "lab", "cloud", "compute_commitment",
                                                          "30000000000", "exact", "", "announced"))]
    problems = problems_for(tmp_path, deals=rows)
    assert problems == ["deals.csv row 9: likely duplicate of row 3: same parties, type and month "
                        "(lab -> cloud, compute_commitment, 2024-06); if both are real, give them different "
                        "group_ids, or one group_id and different amounts (tranches)"]


def test_tranches_with_one_group_and_different_amounts_are_not_duplicates(tmp_path):
    extra = deal_row(("d8", "2024-06-25", "lab", "cloud", "compute_commitment", "1000000000", "exact", "", "announced"))
    rows = [deal_row(d) for d in TINY_DEALS] + [extra]
    rows[1]["group_id"] = extra["group_id"] = "lab-cloud-2024"
    folder = write_dataset(tmp_path / "ok", deals=rows)
    assert len(load_dataset(folder, today=dt.date(2025, 12, 1)).deals) == 8


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
    assert problems == ["meta.json, column as_of: 'last week' is not an ISO date (or the file is not JSON)"]


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
