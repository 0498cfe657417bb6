"""Company panel and deal card say when a share is part of a known round, and what is not counted."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from alliance.filters import filter_deals
from alliance.viewstate import parse
from components.panels import company_panel, deal_card, money_by_type


def text_of(component) -> str:
    """Every string in a rendered Dash tree, joined (the serialized JSON holds them all)."""
    return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder)


@pytest.fixture(scope="module")
def atlas(shipped_atlas):
    return shipped_atlas


def test_deal_card_names_the_round_total(atlas):
    text = text_of(deal_card(atlas, "2026-05-28-sequoia-capital-anthropic-equity"))
    assert "Part of a $50B round" in text


def test_deal_card_says_why_a_replaced_deal_is_not_counted(atlas):
    text = text_of(deal_card(atlas, "2025-09-22-nvidia-openai-equity"))
    assert "not counted: replaced or expanded by a later deal" in text
    text = text_of(deal_card(atlas, "2026-02-27-nvidia-openai-equity"))
    assert "Replaces or expands: " in text and "2025-09-22-nvidia-openai-equity" in text


def test_company_panel_lists_undisclosed_shares_as_part_of_the_round(atlas):
    deals = atlas.dataset.deals
    text = text_of(company_panel(atlas, "sequoia-capital", deals))
    assert "undisclosed, part of a $50B round" in text


def test_money_by_type_uses_counted_money_only(atlas):
    deals = atlas.dataset.deals
    nvidia_openai = deals[(deals["from_id"] == "nvidia") & (deals["to_id"] == "openai")]
    table = money_by_type(nvidia_openai, "openai")
    assert table.at["equity_investment", "in_sum"] == 30.1e9  # not $130.1B: the LOI was replaced


# --- "Money in view" on the mini fixture, by hand (tests/fixtures/mini/README.md) -----------------


def money_table(panel) -> list[list[str]]:
    """The rows of the panel's "Money in view" table as [type, in, out] texts ([] when it has none)."""

    def find(node):
        if getattr(node, "className", None) == "flow-table":
            return node
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            found = find(child) if child is not None and not isinstance(child, str) else None
            if found is not None:
                return found
        return None

    table = find(panel)
    if table is None:
        return []
    body = table.children[1]
    return [[cell.children for cell in row.children] for row in body.children]


@pytest.mark.parametrize(
    ("company", "query", "rows"),
    [
        # Frontier Lab: $1B + $2B + up to $5B of equity count; the replaced $3B, the cancelled $800M and the
        # secondary $400M do not; its model distribution (m09) and restructuring (m11) move no money.
        (
            "lab",
            "",
            [
                ["Equity investment", "$8B", "–"],
                ["Compute / cloud commitment", "–", "$22B"],
                ["Acquisition", "–", "$650M"],
            ],
        ),
        (
            "cloud",
            "",
            [
                ["Equity investment", "–", "undisclosed"],
                ["Compute / cloud commitment", "$10B", "–"],
                ["Chip supply", "–", "$4B"],
                ["Joint venture", "–", "$7.5B"],
            ],
        ),
        ("lab2", "", [["Equity investment", "$150M", "–"], ["Acqui-hire / licensing", "undisclosed", "–"]]),
        ("mega", "", [["Equity investment", "–", "not counted"], ["Acqui-hire / licensing", "–", "undisclosed"]]),
        ("neo", "?types=chip_supply", [["Chip supply", "–", "undisclosed"]]),
        (
            "lab",
            "?to=2024-10",
            [
                ["Equity investment", "$3B", "–"],
                ["Compute / cloud commitment", "–", "$10B"],
                ["Acquisition", "–", "$650M"],
            ],
        ),
        # The replaced $3B counts while its replacement (June 2025) is outside the view.
        ("lab", "?types=equity_investment&to=2025-05", [["Equity investment", "$6B", "–"]]),
    ],
)
def test_money_in_view_by_hand(mini_atlas, company, query, rows):
    deals = filter_deals(mini_atlas.dataset, parse(query, mini_atlas.context)[0])
    assert money_table(company_panel(mini_atlas, company, deals)) == rows


def test_money_in_view_in_russian(mini_atlas):
    deals = mini_atlas.dataset.deals
    assert money_table(company_panel(mini_atlas, "cloud", deals, lang="ru"))[0][1:] == ["–", "не раскрыто"]
    assert money_table(company_panel(mini_atlas, "mega", deals, lang="ru"))[0][1:] == ["–", "не учтено"]
    assert money_table(company_panel(mini_atlas, "lab", deals, lang="ru"))[0][1] == "8 млрд $"


def test_a_company_without_money_deals_says_so(mini_atlas):
    deals = filter_deals(mini_atlas.dataset, parse("?types=restructuring,model_distribution", mini_atlas.context)[0])
    text = text_of(company_panel(mini_atlas, "lab2", deals))
    assert money_table(company_panel(mini_atlas, "lab2", deals)) == []
    assert "None of its deals in view moves money" in text and "Deals in view (1 of 3)" in text
    none = text_of(company_panel(mini_atlas, "dc", deals))
    assert "No deals in the current view." in none and "Deals in view (0 of 1)" in none


def test_money_by_type_columns_by_hand(mini_atlas):
    table = money_by_type(mini_atlas.dataset.deals, "lab")
    assert list(table.index) == ["equity_investment", "compute_commitment", "acquisition"]
    assert table.loc["equity_investment"].to_dict() == {
        "in_sum": 8e9,
        "in_deals": 7,
        "in_undisclosed": 1,
        "out_sum": 0,
        "out_deals": 0,
        "out_undisclosed": 0,
    }
