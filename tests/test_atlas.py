"""What the Atlas builds once: deals by id, the parsed state, the deals in view and a view's loops."""

from __future__ import annotations

import dataclasses
import datetime as dt

import networkx as nx
import pandas as pd
import pytest

from alliance.atlas import PARSED_MEMO, VIEW_MEMO, _hover_text, _node_peak, build_atlas
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
    assert mini_atlas.view("?focus=lab").open_loop is None and mini_atlas.view("").open_loop is None
    assert mini_atlas.view("?cycle=chips~lab~cloud").open_loop["companies"] == ["chips", "cloud", "lab"]


# --- An atlas built inside the test (not a session fixture): its memos, context, counts and texts.


def test_post_init_indexes_the_deals_and_binds_one_memo_of_each_size(round_dataset):
    atlas = build_atlas(round_dataset)
    assert list(atlas.deals_by_id.index) == list(round_dataset.deals["id"])
    assert list(atlas.deals_by_id["id"]) == list(round_dataset.deals["id"])  # the id stays a column too
    assert atlas.deals_by_id.loc["d8", "supersedes"] == "d2"
    sizes = {name: getattr(atlas, name).cache_info().maxsize for name in ("_parse", "_in_view", "_cycles", "_exposure")}
    assert sizes == {"_parse": PARSED_MEMO, "_in_view": VIEW_MEMO, "_cycles": VIEW_MEMO, "_exposure": VIEW_MEMO}
    assert atlas._ledger.cache_info().maxsize == VIEW_MEMO
    given = atlas.deals_by_id.iloc[:2]
    assert dataclasses.replace(atlas, deals_by_id=given).deals_by_id is given  # an index handed in is kept


def test_each_memo_answers_its_own_question_once(round_dataset):
    atlas = build_atlas(round_dataset)
    state, notices = atlas.parse("?types=equity_investment&fail=lab&depth=7")
    assert state.types == ("equity_investment",) and [n.param for n in notices] == ["depth"]
    assert atlas.parse("?types=equity_investment&fail=lab&depth=7")[0] is state
    assert list(atlas.deals_in_view(state)["id"]) == ["d1", "d4", "d6"]
    assert atlas.deals_in_view(state) is atlas.deals_in_view(state)
    assert atlas.ledger(state) is atlas.ledger(state.with_(focus="lab"))  # same filters, same ledger
    assert atlas.ledger(state) is not atlas.ledger(state.with_(types=("acquisition",)))
    assert atlas.cycles(state) is atlas.cycles(state)
    assert atlas.exposure(state) is atlas.exposure(state) and atlas.exposure(state).fail == ("lab",)
    assert atlas.exposure(state.with_(fail=())) is None
    assert atlas.exposure(state.with_(fail=("cloud",))).fail == ("cloud",)
    counts = {name: getattr(atlas, name).cache_info().misses for name in ("_parse", "_in_view", "_cycles", "_exposure")}
    assert counts == {"_parse": 1, "_in_view": 2, "_cycles": 1, "_exposure": 2}


def test_context_months_and_deal_counts(round_dataset):
    atlas = build_atlas(round_dataset)
    ctx = atlas.context
    assert (ctx.first_day, ctx.last_day) == (dt.date(2023, 3, 1), dt.date(2025, 4, 30))  # d1's month to d8's
    assert ctx.company_ids == frozenset({"fund", "lab", "cloud", "chips", "app"})
    assert ctx.deal_ids == frozenset({"d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"})
    assert ctx.story_ids == () and atlas.stories == ()
    assert (atlas.months[0], atlas.months[-1], len(atlas.months)) == (dt.date(2023, 3, 1), dt.date(2025, 4, 1), 26)
    # every deal counted at both ends: lab is in d1, d2, d4, d5, d6, d7, d8
    assert atlas.deal_counts.to_dict() == {"lab": 7, "cloud": 5, "chips": 2, "fund": 1, "app": 1}


def test_company_hovers_carry_the_description_in_the_readers_language(tiny_dir):
    from alliance.dataset import load_dataset

    from .helpers import TINY_COMPANIES, write_dataset

    companies = [dict(c) for c in TINY_COMPANIES]
    companies[1].update(description="Trains the models.", description_ru="Обучает модели.")
    atlas = build_atlas(load_dataset(write_dataset(tiny_dir.parent / "described", companies=companies)))
    assert atlas.company_hover_for("en")["lab"] == "<b>Lab AI</b><br>Model lab<br><i>Trains the models.</i>"
    assert atlas.company_hover_for("ru")["lab"] == "<b>Lab AI</b><br>Лаборатория моделей<br><i>Обучает модели.</i>"
    assert atlas.company_hover_for("en")["fund"] == "<b>Fund Capital</b><br>Investor"  # no description, no line
    assert atlas.company_hover_for("de") is atlas.company_hover and atlas.hover_for("de") is atlas.deal_hover


@pytest.mark.parametrize(
    ("english", "russian", "lang", "expected"),
    [
        ("A lab.", "Лаборатория.", "ru", "<br><i>Лаборатория.</i>"),
        ("A lab.", "Лаборатория.", "en", "<br><i>A lab.</i>"),
        ("A lab.", float("nan"), "ru", "<br><i>A lab.</i>"),  # a blank cell read by pandas
        (float("nan"), "Лаборатория.", "ru", "<br><i>Лаборатория.</i>"),
        (float("nan"), float("nan"), "en", ""),
        ("", "", "ru", ""),
        ("word " * 20, "", "en", "<br><i>" + " ".join(["word"] * 12) + "<br>" + " ".join(["word"] * 8) + "</i>"),
    ],
)
def test_hover_text(english, russian, lang, expected):
    assert _hover_text(english, russian, lang) == expected


@pytest.mark.parametrize(
    ("through", "peak"),
    [([], 1.0), ([0.0, 0.5], 1.0), ([1.0], 1.0), ([0.2, 3.5e9, 2.0], 3.5e9), ([1.5], 1.5)],
)
def test_node_peak_is_the_biggest_and_at_least_one_dollar(through, peak):
    assert _node_peak(pd.Series(through, dtype=float)) == peak


def test_view_of_a_state_built_in_code(mini_atlas):
    state = mini_atlas.parse("?focus=lab&types=restructuring")[0]
    view = mini_atlas.view_of(state, "ru")
    assert (view.atlas, view.state, view.notices, view.lang) == (mini_atlas, state, (), "ru")
    assert mini_atlas.view_of(state).lang == "en"
    assert mini_atlas.view_of(state.with_(lang="ru"), "en").lang == "ru"  # the state's own language wins
    assert view.deals is mini_atlas.deals_in_view(state) and view.query == "?types=restructuring&focus=lab"
