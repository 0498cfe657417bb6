"""The shipped dataset validates and holds the landmark facts exactly as announced."""

from __future__ import annotations

import pytest

from alliance.dataset import load_dataset


@pytest.fixture(scope="module")
def deals():
    return load_dataset().deals


def one(deals, date, from_id, to_id, deal_type):
    rows = deals[(deals["date"] == date) & (deals["from_id"] == from_id) & (deals["to_id"] == to_id)
                 & (deals["deal_type"] == deal_type)]
    assert len(rows) == 1, f"expected one {from_id} -> {to_id} {deal_type} on {date}, found {len(rows)}"
    return rows.iloc[0]


def test_shipped_dataset_is_large_and_sourced(deals):
    dataset = load_dataset()
    assert len(deals) >= 150 and len(dataset.companies) >= 60
    assert deals["source_url"].str.match(r"^https?://").all()
    big = deals[deals["amount_usd"] > 1e9]
    assert big["second_source_url"].str.match(r"^https?://").all(), "figures over $1B need a second source"
    assert deals["date"].min().year == 2019


@pytest.mark.parametrize("date, from_id, to_id, deal_type, amount, qualifier, gw", [
    ("2025-11-18", "nvidia", "anthropic", "equity_investment", 10e9, "up_to", None),
    ("2025-11-18", "microsoft", "anthropic", "equity_investment", 5e9, "up_to", None),
    ("2025-11-18", "anthropic", "microsoft", "compute_commitment", 30e9, "exact", None),
    ("2025-11-18", "anthropic", "nvidia", "chip_supply", None, "undisclosed", 1.0),
    ("2025-11-18", "anthropic", "microsoft", "model_distribution", None, "undisclosed", None),
    ("2025-11-03", "openai", "amazon", "compute_commitment", 38e9, "exact", None),
    ("2023-09-25", "amazon", "anthropic", "equity_investment", 1.25e9, "exact", None),
    ("2024-03-27", "amazon", "anthropic", "equity_investment", 2.75e9, "exact", None),
    ("2024-11-22", "amazon", "anthropic", "equity_investment", 4e9, "exact", None),
    ("2019-07-22", "microsoft", "openai", "equity_investment", 1e9, "exact", None),
])
def test_landmark_deals(deals, date, from_id, to_id, deal_type, amount, qualifier, gw):
    deal = one(deals, date, from_id, to_id, deal_type)
    assert deal["amount_qualifier"] == qualifier
    if amount is None:
        assert deal["amount_usd"] != deal["amount_usd"]  # NaN: undisclosed
    else:
        assert deal["amount_usd"] == amount
    if gw is not None:
        assert deal["compute_gw"] == gw
