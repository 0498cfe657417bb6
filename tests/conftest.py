"""Shared fixtures: a tiny hand-made dataset on disk, and the shipped dataset's atlas."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from alliance.atlas import build_atlas, load_atlas
from alliance.dataset import load_dataset
from alliance.ledger import default_money_state
from alliance.schema import COMPANY_COLUMNS, DEAL_COLUMNS, ROUND_COLUMNS

from .browser import ARTIFACTS, chrome, served, set_viewport

TINY_COMPANIES = [
    {"id": "fund", "name": "Fund Capital", "roles": "investor", "primary_role": "investor"},
    {"id": "lab", "name": "Lab AI", "roles": "model_lab", "primary_role": "model_lab"},
    {"id": "cloud", "name": "Cloud Co", "roles": "cloud_provider;investor", "primary_role": "cloud_provider"},
    {"id": "chips", "name": "Chips Inc", "roles": "chipmaker;investor", "primary_role": "chipmaker"},
    {"id": "app", "name": "App Co", "roles": "application", "primary_role": "application"},
]

TINY_DEALS = [
    # id, date, from, to, type, amount, qualifier, gw, status
    ("d1", "2023-03-10", "fund", "lab", "equity_investment", "1000000000", "exact", "", "completed"),
    ("d2", "2024-06-01", "lab", "cloud", "compute_commitment", "30000000000", "exact", "", "announced"),
    ("d3", "2024-06-20", "cloud", "chips", "chip_supply", "", "undisclosed", "1", "announced"),
    ("d4", "2025-01-15", "chips", "lab", "equity_investment", "10000000000", "up_to", "", "announced"),
    ("d5", "2025-02-01", "lab", "cloud", "model_distribution", "", "undisclosed", "", "announced"),
    ("d6", "2025-02-03", "cloud", "lab", "equity_investment", "5000000000", "up_to", "", "announced"),
    ("d7", "2025-03-01", "lab", "app", "acquisition", "650000000", "about", "", "completed"),
]


def deal_row(values) -> dict:
    row = dict.fromkeys(DEAL_COLUMNS, "")
    keys = ("id", "date", "from_id", "to_id", "deal_type", "amount_usd", "amount_qualifier", "compute_gw", "status")
    row.update(zip(keys, values, strict=False))
    row.update(
        summary=f"Test deal {values[0]}",
        source_url=f"https://example.com/{values[0]}",
        source_name="Example",
        source_tier="primary",
        added_on="2025-12-01",
        checked_on="2025-12-01",
        summary_ru=f"Тестовая сделка {values[0]}",
    )
    return row


def write_dataset(folder: Path, companies=None, deals=None, as_of=None, meta=None, rounds=None) -> Path:
    """Write companies.csv / deals.csv / meta.json (and rounds.csv when `rounds` is given); rows
    are dicts (missing columns blank). `as_of` writes an old-style meta file instead of `meta`."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        ("companies.csv", COMPANY_COLUMNS, companies if companies is not None else TINY_COMPANIES),
        ("deals.csv", DEAL_COLUMNS, deals if deals is not None else [deal_row(d) for d in TINY_DEALS]),
    ]
    if rounds is not None:
        files.append(("rounds.csv", ROUND_COLUMNS, rounds))
    for name, columns, rows in files:
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                if name == "deals.csv" and not row.get("money_state"):  # blank: the state its status implies
                    row = {**row, "money_state": default_money_state(row)}
                writer.writerow({c: row.get(c, "") for c in columns})
    if meta is None:
        meta = {"as_of": as_of} if as_of is not None else {"covered_through": "2025-11-30", "compiled_on": "2025-12-01"}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def tiny_atlas(tiny_dir):
    return build_atlas(load_dataset(tiny_dir))


@pytest.fixture(scope="session")
def shipped_atlas():
    return load_atlas()


MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def mini_atlas():
    """tests/fixtures/mini: 10 companies, 18 deals m01…m18 written by hand (every deal type, day-precise
    dates, up-to / about / undisclosed amounts, a replaced deal, a cancelled and a secondary one, three
    money loops). Tests on it write their expected ids out by hand; see tests/fixtures/mini/README.md."""
    return build_atlas(load_dataset(MINI_DIR))


# --- browser tests ---------------------------------------------------------------------------
# A module that needs another server (other settings, another dataset) or browser (another size,
# a performance log) defines its own fixture of the same name, which wins over these.


@pytest.fixture(scope="module")
def base_url():
    """`gunicorn app:server` on a free port of 127.0.0.1, one per test module."""
    ARTIFACTS.mkdir(exist_ok=True)
    with served() as url:
        yield url


@pytest.fixture
def browser():
    """A fresh headless Chromium with a 1500×1000 page viewport."""
    driver = chrome()
    set_viewport(driver, 1500, 1000)
    yield driver
    driver.quit()
