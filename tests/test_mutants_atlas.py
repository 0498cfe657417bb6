"""What build_atlas derives once per dataset: hover texts in every language with round notes,
company hovers, node peak, story ids and the layout cache (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

from alliance.atlas import build_atlas
from alliance.layout import LAYOUT_VERSION
from alliance.stories import Story

from .test_money import round_dataset  # noqa: F401  (fixture)


def test_hover_texts_carry_the_round_note_in_each_language(round_dataset):  # noqa: F811
    atlas = build_atlas(round_dataset)
    row = {deal_id: i for i, deal_id in enumerate(round_dataset.deals["id"])}
    assert atlas.hover_for("en")[row["d6"]] == (
        "<b>Cloud Co → Lab AI</b><br>Equity investment · undisclosed, part of a $20B round<br>03 Feb 2025 · announced"
    )
    russian = atlas.hover_for("ru")[row["d6"]]
    assert "часть раунда на 20 млрд $" in russian and "Инвестиция в капитал" in russian and "03 фев 2025" in russian
    assert "round" not in atlas.hover_for("en")[row["d1"]]
    assert set(atlas.deal_hover_by_lang) == {"ru"} and set(atlas.company_hover_by_lang) == {"ru"}


def test_company_hovers_list_the_roles_in_each_language(round_dataset):  # noqa: F811
    atlas = build_atlas(round_dataset)
    assert atlas.company_hover_for("en")["cloud"] == "<b>Cloud Co</b><br>Cloud provider, Investor"
    assert atlas.company_hover_for("ru")["cloud"] == "<b>Cloud Co</b><br>Облачный провайдер, Инвестор"


def test_node_peak_is_the_counted_money_through_the_biggest_hub(round_dataset):  # noqa: F811
    # lab (the one ledger): d1 $1B + the $20B round once (not d4's $10B share) in, d7 $0.65B + d8 $45B
    # out (d2's $30B is replaced by d8, so not counted)
    assert build_atlas(round_dataset).node_peak == 66.65e9


def test_node_peak_of_undisclosed_money_only_is_one_dollar(tiny_dir):
    from alliance.dataset import load_dataset

    from .conftest import TINY_DEALS, deal_row, write_dataset

    rows = [deal_row(d) for d in TINY_DEALS if d[5] == ""]
    dataset = load_dataset(write_dataset(tiny_dir.parent / "undisclosed", deals=rows))
    assert build_atlas(dataset).node_peak == 1.0


def test_story_ids_and_layout_cache(round_dataset, tmp_path):  # noqa: F811
    story = Story("s1", "T", "C", "?types=chip_supply", ("d3",))
    atlas = build_atlas(round_dataset, tmp_path / "cache", (story,))
    assert atlas.context.story_ids == ("s1",) and atlas.stories == (story,)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        f"positions-{LAYOUT_VERSION}-{round_dataset.version}.json"
    ]
