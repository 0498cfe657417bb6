"""The shipped dataset validates and holds the landmark facts exactly as announced."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.dataset import load_dataset


@pytest.fixture(scope="module")
def deals():
    return load_dataset().deals


def one(deals, date, from_id, to_id, deal_type):
    rows = deals[
        (deals["date"] == date)
        & (deals["from_id"] == from_id)
        & (deals["to_id"] == to_id)
        & (deals["deal_type"] == deal_type)
    ]
    assert len(rows) == 1, f"expected one {from_id} -> {to_id} {deal_type} on {date}, found {len(rows)}"
    return rows.iloc[0]


def test_shipped_dataset_is_large_and_sourced(deals):
    dataset = load_dataset()
    assert len(deals) >= 150 and len(dataset.companies) >= 60
    assert deals["source_url"].str.match(r"^https?://").all()
    big = deals[deals["amount_usd"] > 1e9]
    assert big["second_source_url"].str.match(r"^https?://").all(), "figures over $1B need a second source"
    assert deals["date"].min().year == 2019


@pytest.mark.parametrize(
    "date, from_id, to_id, deal_type, amount, qualifier, gw",
    [
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
    ],
)
def test_landmark_deals(deals, date, from_id, to_id, deal_type, amount, qualifier, gw):
    deal = one(deals, date, from_id, to_id, deal_type)
    assert deal["amount_qualifier"] == qualifier
    if amount is None:
        assert deal["amount_usd"] != deal["amount_usd"]  # NaN: undisclosed
    else:
        assert deal["amount_usd"] == amount
    if gw is not None:
        assert deal["compute_gw"] == gw


# --- every amount counted once, round totals visible, honest freshness (issue 13) ------------

from alliance.money import counted_amounts, round_note, stated_total  # noqa: E402


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_nvidia_openai_letter_of_intent_is_not_counted_next_to_the_stake(dataset):
    """The up-to-$100B LOI of Sept 2025 was replaced by the $30B stake of Feb 2026; with the
    ~$100M of Oct 2024, Nvidia has put about $30.1B into OpenAI, not $130B."""
    deals = dataset.deals
    nvidia_openai = deals[(deals["from_id"] == "nvidia") & (deals["to_id"] == "openai")]
    assert counted_amounts(nvidia_openai).sum() == 30.1e9
    loi = deals.set_index("id").loc["2025-09-22-nvidia-openai-equity"]
    assert loi["status"] == "superseded"
    assert (
        deals.set_index("id").at["2026-02-27-nvidia-openai-equity", "supersedes"] == "2025-09-22-nvidia-openai-equity"
    )


def test_secondary_share_purchases_are_not_money_into_the_company(dataset):
    tender = dataset.deals.set_index("id").loc["2024-11-27-softbank-openai-equity"]
    assert (tender["amount_kind"], tender["amount_usd"]) == ("secondary", 1.5e9)
    assert pd.isna(counted_amounts(dataset.deals.set_index("id").loc[["2024-11-27-softbank-openai-equity"]]).iloc[0])


def test_the_microsoft_norway_contract_is_with_the_joint_venture(dataset):
    row = dataset.deals.set_index("id").loc["2025-09-17-microsoft-stargate-norway-compute"]
    assert (row["from_id"], row["to_id"], row["amount_usd"]) == ("microsoft", "stargate-norway", 6.2e9)


def test_anthropic_series_h_total_is_visible(dataset):
    # The $65B headline includes $15B of earlier hyperscaler money that the April Amazon and
    # Google rows already count, so the round counts its $50B of new money.
    deals = dataset.deals
    series_h = deals[deals["group_id"] == "anthropic-2026-05-series-h"]
    assert len(series_h) == 4 and series_h["amount_usd"].isna().all()
    assert stated_total(series_h, dataset) == (50e9, 0)
    assert round_note(series_h.iloc[0], dataset) == "part of a $50B round"
    assert "$15B" in dataset.rounds.at["anthropic-2026-05-series-h", "notes"]


def test_anthropic_2026_hyperscaler_money_is_counted_once(dataset):
    # April: Amazon $5B + up to $20B, Google $10B + up to $30B (each split into its firm and conditional
    # rows); May: $50B of new money in the Series H.
    deals = dataset.deals
    april = deals[
        deals["id"].isin(
            [
                "2026-04-20-amazon-anthropic-equity",
                "2026-04-20-amazon-anthropic-equity-2",
                "2026-04-24-google-anthropic-equity",
                "2026-04-24-google-anthropic-equity-2",
            ]
        )
    ]
    series_h = deals[deals["group_id"] == "anthropic-2026-05-series-h"]
    both = pd.concat([april, series_h])
    assert stated_total(both, dataset) == (25e9 + 40e9 + 50e9, 0)


def test_the_fluidstack_row_is_not_anthropics_whole_plan(dataset):
    row = dataset.deals.set_index("id").loc["2025-11-12-anthropic-fluidstack-compute"]
    assert pd.isna(row["amount_usd"]) and row["amount_qualifier"] == "undisclosed"
    assert "$50B" in row["summary"]


def test_nvidias_xai_pledge_is_counted_in_the_series_e_only(dataset):
    deals = dataset.deals.set_index("id")
    assert deals.at["2025-10-07-nvidia-xai-equity", "status"] == "superseded"
    assert deals.at["2026-01-06-nvidia-xai-equity", "supersedes"] == "2025-10-07-nvidia-xai-equity"
    assert pd.isna(counted_amounts(deals.loc[["2025-10-07-nvidia-xai-equity"]]).iloc[0])


def test_spacex_reflection_compute_deal(dataset):
    row = dataset.deals.set_index("id").loc["2026-06-22-reflection-ai-spacex-compute"]
    assert (row["from_id"], row["to_id"], row["amount_usd"], row["amount_qualifier"]) == (
        "reflection-ai",
        "spacex",
        6.3e9,
        "up_to",
    )


@pytest.mark.parametrize(
    "round_id, total",
    [
        ("openai-2024-10-round", 6.6e9),
        ("openai-2025-03-round", 40e9),
        ("anthropic-2025-series-f", 13e9),
        ("anthropic-2026-02-series-g", 30e9),
        ("xai-2026-01-series-e", 20e9),
        ("anthropic-2026-05-series-h", 50e9),
    ],
)
def test_known_round_totals(dataset, round_id, total):
    assert dataset.rounds.at[round_id, "total_usd"] == total


def test_roles_fit(dataset):
    roles = dataset.companies["role_list"]
    assert "investor" in roles["oracle"] and "investor" in roles["openai"]
    assert "chipmaker" not in roles["asml"]


def test_covered_through_reaches_the_latest_deal(dataset):
    assert dataset.covered_through >= dataset.deals["date"].max().strftime("%Y-%m-%d")
    assert dataset.covered_through <= dataset.compiled_on


def test_every_deal_of_a_billion_or_more_has_a_strong_page_or_says_so():
    # Issue 18: a primary, major or relay page among the two, or "single weak source" in the notes.
    import csv
    from pathlib import Path

    with open(Path(__file__).resolve().parent.parent / "data" / "deals.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    big = [r for r in rows if r["amount_usd"] and float(r["amount_usd"]) >= 1e9]
    assert len(big) >= 77
    tiers = {"primary", "major", "relay", "other"}
    for row in big:
        assert {row["source_tier"], row["second_source_tier"]} <= tiers, row["id"]
        strong = {row["source_tier"], row["second_source_tier"]} & {"primary", "major", "relay"}
        assert strong or "single weak source" in row["notes"], row["id"]
