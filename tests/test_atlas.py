"""What the Atlas builds once: deals by id, the parsed state, the deals in view and a view's loops."""

from __future__ import annotations

import networkx as nx

from alliance.atlas import build_atlas
from alliance.layout import LAYOUT_VERSION
from alliance.stories import Story
from components import flowviews
from components.follow import cycle_highlight
from components.share import export_download


def test_deals_by_id(mini_atlas):
    assert list(mini_atlas.deals_by_id.index[:3]) == ["m01", "m02", "m03"]
    assert mini_atlas.deals_by_id.loc["m15", "supersedes"] == "m12"


def test_parse_is_memoized_per_query(mini_atlas):
    state, notices = mini_atlas.parse("?types=chip_supply&focus=nobody")
    assert state.types == ("chip_supply",) and [n.param for n in notices] == ["focus"]
    assert mini_atlas.parse("?types=chip_supply&focus=nobody")[0] is state
    assert mini_atlas.parse(None) == mini_atlas.parse("")  # the STATE store starts empty


def test_views_that_filter_alike_share_their_deals(mini_atlas):
    a, _ = mini_atlas.parse("?from=2024-07-04&types=restructuring&focus=lab")
    b, _ = mini_atlas.parse("?from=2024-07-04&types=restructuring&company=lab2&view=sankey")
    assert mini_atlas.deals_in_view(a) is mini_atlas.deals_in_view(b)
    assert list(mini_atlas.deals_in_view(a)["id"]) == ["m11"]


def test_a_selected_cycle_is_searched_once_for_map_sections_and_api(mini_atlas, monkeypatch):
    calls = []
    real = nx.simple_cycles  # every cycle search, wherever it is called from, goes through networkx
    monkeypatch.setattr(
        nx, "simple_cycles", lambda graph, **kw: calls.append(graph.number_of_nodes()) or real(graph, **kw)
    )
    query = "?from=2023-01-11&cycle=cloud~lab"  # a window no other test asks for: nothing memoized yet
    cycle_highlight(mini_atlas, query)
    items, note, *_ = flowviews.render_sections(mini_atlas, query)
    export_download(mini_atlas, query, "json")
    assert calls == [10]  # one search, over a money graph of all ten companies
    assert note == "3 loops in this view."


# --- What build_atlas derives once per dataset: hover texts in every language with round notes, company hovers,
# node peak, story ids and the layout cache. (From mutation testing, tests/MUTATION.md.)


def test_hover_texts_carry_the_round_note_in_each_language(round_dataset):
    atlas = build_atlas(round_dataset)
    row = {deal_id: i for i, deal_id in enumerate(round_dataset.deals["id"])}
    assert atlas.hover_for("en")[row["d6"]] == (
        "<b>Cloud Co → Lab AI</b><br>Equity investment · undisclosed, part of a $20B round<br>03 Feb 2025 · announced"
    )
    russian = atlas.hover_for("ru")[row["d6"]]
    assert "часть раунда на 20 млрд $" in russian and "Инвестиция в капитал" in russian and "03 фев 2025" in russian
    assert "round" not in atlas.hover_for("en")[row["d1"]]
    assert set(atlas.deal_hover_by_lang) == {"ru"} and set(atlas.company_hover_by_lang) == {"ru"}


def test_company_hovers_list_the_roles_in_each_language(round_dataset):
    atlas = build_atlas(round_dataset)
    assert atlas.company_hover_for("en")["cloud"] == "<b>Cloud Co</b><br>Cloud provider, Investor"
    assert atlas.company_hover_for("ru")["cloud"] == "<b>Cloud Co</b><br>Облачный провайдер, Инвестор"


def test_node_peak_is_the_counted_money_through_the_biggest_hub(round_dataset):
    # lab (the one ledger): d1 $1B + the $20B round once (not d4's $10B share) in, d7 $0.65B + d8 $45B
    # out (d2's $30B is replaced by d8, so not counted)
    assert build_atlas(round_dataset).node_peak == 66.65e9


def test_node_peak_of_undisclosed_money_only_is_one_dollar(tiny_dir):
    from alliance.dataset import load_dataset

    from .helpers import TINY_DEALS, deal_row, write_dataset

    rows = [deal_row(d) for d in TINY_DEALS if d[5] == ""]
    dataset = load_dataset(write_dataset(tiny_dir.parent / "undisclosed", deals=rows))
    assert build_atlas(dataset).node_peak == 1.0


def test_story_ids_and_layout_cache(round_dataset, tmp_path):
    story = Story("s1", "T", "C", "?types=chip_supply", ("d3",))
    atlas = build_atlas(round_dataset, tmp_path / "cache", (story,))
    assert atlas.context.story_ids == ("s1",) and atlas.stories == (story,)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        f"positions-{LAYOUT_VERSION}-{round_dataset.version}.json"
    ]


def test_one_view_helper_parses_filters_and_picks_the_language(mini_atlas):
    """Atlas.view: the link's state and notices, its canonical query, the reader's language
    (the link's, else the page's, else English) and the memoized deals in view."""
    view = mini_atlas.view("?lang=ru&depth=9&focus=lab&types=restructuring&from=2024-07-04", "en")
    assert (view.state.focus, view.state.depth, [n.param for n in view.notices]) == ("lab", 1, ["depth"])
    assert view.query == "?types=restructuring&from=2024-07-04&focus=lab&lang=ru"
    assert view.lang == "ru" and list(view.deals["id"]) == ["m11"]
    assert view.deals is mini_atlas.deals_in_view(view.state)  # the atlas's memo, not a new frame
    assert (mini_atlas.view("", "ru").lang, mini_atlas.view(None).lang, mini_atlas.view(None).notices) == (
        "ru",
        "en",
        (),
    )
    assert mini_atlas.view("?focus=lab").highlight[1] is None and mini_atlas.view("").open_loop is None
