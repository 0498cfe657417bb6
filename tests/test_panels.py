"""Company panel and deal card say when a share is part of a known round, and what is not counted."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from components.panels import company_panel, deal_card, money_by_type


def text_of(component) -> str:
    """Every string in a rendered Dash tree, joined (the serialized JSON holds them all)."""
    return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder)


@pytest.fixture(scope="module")
def atlas(shipped_atlas):
    return shipped_atlas


def test_deal_card_names_the_round_total(atlas):
    text = text_of(deal_card(atlas, "2026-05-28-sequoia-capital-anthropic-equity"))
    assert "Part of a $65B round" in text


def test_deal_card_says_why_a_replaced_deal_is_not_counted(atlas):
    text = text_of(deal_card(atlas, "2025-09-22-nvidia-openai-equity"))
    assert "not counted: replaced or expanded by a later deal" in text
    text = text_of(deal_card(atlas, "2026-02-27-nvidia-openai-equity"))
    assert "Replaces or expands: " in text and "2025-09-22-nvidia-openai-equity" in text


def test_company_panel_lists_undisclosed_shares_as_part_of_the_round(atlas):
    deals = atlas.dataset.deals
    text = text_of(company_panel(atlas, "sequoia-capital", deals))
    assert "undisclosed, part of a $65B round" in text


def test_money_by_type_uses_counted_money_only(atlas):
    deals = atlas.dataset.deals
    nvidia_openai = deals[(deals["from_id"] == "nvidia") & (deals["to_id"] == "openai")]
    table = money_by_type(nvidia_openai, "openai")
    assert table.at["equity_investment", "in_sum"] == 30.1e9  # not $130.1B: the LOI was replaced
