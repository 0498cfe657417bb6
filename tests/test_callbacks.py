"""Callbacks called as plain functions (no browser): URL ⇄ controls ⇄ state, map and panel."""

from __future__ import annotations

import pytest
from dash import no_update

from components import ids
from components.controls import Event, picked, sync_state, unchanged_outputs
from components.follow import cycle_highlight, render_sankey, render_texts, view_meta
from components.panels import render_panel

from .helpers import ALL_ROLES, ALL_TYPES
from .helpers import controls as drawer

LEGACY_ORDER = (
    "state",
    "url",
    "notice",
    "types",
    "roles",
    "focus",
    "depth",
    "min_amount",
    "amount_options",
    "timeline",
    "view",
    "click",
)


def as_tuple(result: dict) -> tuple:
    return tuple(result[name] for name in LEGACY_ORDER)


def from_url(atlas, search, stored=None):
    return as_tuple(sync_state(atlas, Event(None, False, None, False), search, {}, stored))


def from_controls(atlas, trigger, stored, clicked=False, click=None, **controls):
    values = dict(
        types=ALL_TYPES, roles=ALL_ROLES, focus=None, depth=1, min_amount=0, timeline=[0, 24], view="network", every=[]
    )
    values.update(controls)
    return as_tuple(sync_state(atlas, Event(trigger, clicked, click, False), None, values, stored))


def test_url_seeds_controls_and_state(tiny_atlas):
    out = from_url(tiny_atlas, "?types=chip_supply,equity_investment&from=2024-06&focus=lab&depth=2&deal=d3")
    query, url, notice, types, roles, focus, depth, min_amount, _, timeline, view, click = out
    assert query == "?types=equity_investment,chip_supply&from=2024-06&focus=lab&depth=2&deal=d3"
    assert url is no_update and notice == []
    assert types == ["equity_investment", "chip_supply"] and focus == "lab" and depth == 2
    assert timeline == [15, 24]  # June 2024 is the 16th month after March 2023


def test_bad_url_falls_back_and_says_so(tiny_atlas):
    query, _, notice, types, *_ = from_url(tiny_atlas, "?types=bogus&from=yesterday&focus=nobody")
    assert query == "" and types == ALL_TYPES
    text = " ".join(str(part) for part in notice)
    assert (
        "Ignored unknown types: 'bogus'" in text and "from='yesterday'" in text and "unknown company 'nobody'" in text
    )


def test_control_change_writes_the_url(tiny_atlas):
    query, url, *_ = from_controls(tiny_atlas, ids.TYPES, "", types=["chip_supply"])
    assert query == url == "?types=chip_supply"


def test_graph_click_opens_company_then_deal(tiny_atlas):
    click = {"points": [{"customdata": ["company", "chips"]}]}
    query, url, *rest = from_controls(tiny_atlas, ids.GRAPH, "", click=click)
    assert query == "?company=chips" and rest[-1] is None  # clickData cleared for the next click
    click = {"points": [{"customdata": ["deal", "d4"]}]}
    query, *_ = from_controls(tiny_atlas, ids.GRAPH, "?company=chips", click=click)
    assert query == "?deal=d4"


def test_panel_links_and_close(tiny_atlas):
    query, *_ = from_controls(tiny_atlas, {"type": ids.OPEN_DEAL, "id": "d2"}, "?company=lab", clicked=True)
    assert query == "?deal=d2"
    query, *_ = from_controls(tiny_atlas, ids.PANEL_CLOSE, "?deal=d2")
    assert query == ""


def test_render_texts_counts_and_title(tiny_atlas):
    title, summary, label = render_texts(tiny_atlas, "?types=equity_investment")
    assert label == "01 Mar 2023 – 31 Mar 2025"
    assert title.endswith("Mar 2023 – Mar 2025")
    assert summary.startswith("3 deals in view · $16B in stated amounts")
    meta = view_meta(tiny_atlas, tiny_atlas.parse("?types=equity_investment")[0])
    assert meta["filename"] == "ai-alliance-map_2023-03_2025-03"
    assert meta["slider"] == [0, 24]
    _, summary, _ = render_texts(tiny_atlas, "?types=restructuring")
    assert summary.startswith("0 deals in view")


def test_render_panel(tiny_atlas):
    body, hidden = render_panel(tiny_atlas, "")
    assert hidden is True
    body, hidden = render_panel(tiny_atlas, "?deal=d4")
    text = str(body)
    assert hidden is False and "up to $10B" in text and "https://example.com/d4" in text
    body, hidden = render_panel(tiny_atlas, "?company=lab&types=equity_investment")
    assert "Deals in view (3 of 6)" in str(body)


def test_sankey_view_and_cycle_highlight(shipped_atlas):
    from components import flowviews

    query = "?types=equity_investment,compute_commitment,chip_supply&to=2025-11&view=sankey"
    figure = render_sankey(shipped_atlas, query)
    sankey = figure["data"][0]
    assert sankey["type"] == "sankey"
    assert [a["text"] for a in figure["layout"]["annotations"]][0].startswith("<b>Investors")
    assert render_sankey(shipped_atlas, "?to=2025-11") is None  # map.js draws it
    # the open cycle the browser's map brightens (assets/map.js highlight): its two companies and their deals
    cycle = cycle_highlight(shipped_atlas, "?to=2025-11&cycle=anthropic~microsoft")
    assert cycle["cycle"] == "anthropic~microsoft" and cycle["companies"] == ["anthropic", "microsoft"]
    deals = shipped_atlas.deals_by_id.loc[cycle["deals"]]
    assert len(deals) >= 2 and set(deals["from_id"]) == set(deals["to_id"]) == {"anthropic", "microsoft"}
    items, note, _, rows, table_note = flowviews.render_sections(shipped_atlas, "?to=2025-11&cycle=anthropic~microsoft")
    assert table_note == ""
    assert note.startswith(
        "18 loops in this view"
    )  # 13 before the sweep added Oracle -> AMD (Oct 2025); 14 -> 18 with Oracle -> Nvidia (May 2025)
    assert any("selected" in (item.className or "") for item in items)
    # deals announced through Nov 2025 (issue 18 added Oracle-Nvidia; issue 13 added xAI Series B and
    # SoftBank-OpenAI rows; the sweep added 7 Cursor, 4 Groq and 8 Scale AI round rows, 2 Intel
    # foundry rows, xAI-Dell, Oracle-AMD, Sanmina-ZT and Tesla-Samsung)
    assert len(rows) == 207


def test_reset_clears_filters_selection_and_camera(tiny_atlas):
    out = sync_state(
        tiny_atlas, Event(ids.RESET, True, None, False), None, {}, "?types=chip_supply&company=lab&every=1"
    )
    assert out["state"] == "" and out["url"] == "?" and out["camera"] is None
    assert out["types"] == ALL_TYPES and out["every"] == []


def test_every_deal_switch_is_kept_in_the_link(tiny_atlas):
    query, url, *_ = from_controls(tiny_atlas, ids.EVERY, "", every=["every"])
    assert query == url == "?every=1"
    assert from_url(tiny_atlas, "?every=1")[0] == "?every=1"


def test_play_writes_the_url_only_when_it_stops(tiny_atlas):
    values = dict(
        types=ALL_TYPES, roles=ALL_ROLES, focus=None, depth=1, min_amount=0, timeline=[0, 3], view="network", every=[]
    )
    playing = sync_state(tiny_atlas, Event(ids.TIMELINE, True, None, True), None, values, "?to=2023-05")
    assert playing["state"] == "?to=2023-06" and playing["url"] is no_update
    stopped = sync_state(tiny_atlas, Event(ids.PLAYING, False, None, False), None, values, "?to=2023-06")
    assert stopped["state"] is no_update and stopped["url"] == "?to=2023-06"


def test_malformed_control_values_fall_back_instead_of_failing(tiny_atlas):
    values = dict(
        types="chip_supply",
        roles=[{"x": 1}],
        focus=["lab"],
        depth="9",
        min_amount="lots",
        timeline=["a", None],
        view="3d",
        every=None,
    )
    out = sync_state(tiny_atlas, Event(ids.TYPES, True, {"points": "nope"}, False), None, values, "?types=chip_supply")
    # Nothing usable: no types, no roles, everything else at its default.
    assert out["state"] == "?types=&roles="
    out = sync_state(
        tiny_atlas,
        Event(ids.GRAPH, True, {"points": [{"customdata": ["company", "not-a-company"]}]}, False),
        None,
        dict(values, types=ALL_TYPES, roles=ALL_ROLES),
        "",
    )
    assert out["state"] is no_update  # an unknown company opens nothing


def test_deal_table_is_capped_and_says_so(shipped_atlas, monkeypatch):
    from components import flowviews

    monkeypatch.setattr(flowviews, "TABLE_MAX_ROWS", 10)
    *_, rows, note = flowviews.render_sections(shipped_atlas, "")
    assert len(rows) == 10 and note.startswith(
        f"Showing the 10 most recent of {len(shipped_atlas.dataset.deals)} deals"
    )
    assert rows[-1]["id"] == shipped_atlas.dataset.deals["id"].iloc[-1]


# --- the mini fixture: every branch of sync_state, with expected values written by hand -------------
# Its timeline runs Jan 2023 (slider 0) to Dec 2025 (slider 35); tests/fixtures/mini/README.md lists the deals.

MINI_FULL = [0, 35]


def mini_controls(**changes) -> dict:
    return drawer(**{"timeline": MINI_FULL, **changes})


def test_reset_returns_every_control_and_the_url_to_the_default(mini_atlas):
    stored = (
        "?types=chip_supply&roles=investor&from=2024-03-15&to=2025-06&focus=dc&depth=2&min_amount=1000000000"
        "&company=lab&cycle=cloud~lab&view=sankey&every=1&lang=ru&theme=dark"
    )
    controls = mini_controls(
        types=["chip_supply"],
        roles=["investor"],
        focus="dc",
        depth=2,
        min_amount=1e9,
        timeline=[14, 29],
        view="sankey",
        every=["every"],
    )
    out = sync_state(mini_atlas, Event(ids.RESET, True, None, False), None, controls, stored)
    assert (out["state"], out["url"], out["notice"], out["click"], out["camera"]) == (
        "",
        "?",
        [],
        no_update,
        None,
    )  # no clickData to clear
    assert (out["types"], out["roles"], out["focus"], out["depth"], out["min_amount"]) == (
        ALL_TYPES,
        ALL_ROLES,
        None,
        1,
        0,
    )
    assert (out["timeline"], out["view"], out["every"]) == (MINI_FULL, "network", [])
    assert [o["value"] for o in out["amount_options"]] == [0, 1e8, 1e9, 1e10, 1e11]


def test_reset_keeps_embed_mode(mini_atlas):
    out = sync_state(
        mini_atlas, Event(ids.RESET, True, None, False), None, mini_controls(), "?types=chip_supply&embed=1&scroll=1"
    )
    assert (out["state"], out["url"], out["types"]) == ("?embed=1&scroll=1", "?embed=1&scroll=1", ALL_TYPES)


def test_a_control_change_keeps_a_links_day_precise_window(mini_atlas):
    stored = "?from=2025-03-15&to=2025-11-20"  # the slider shows Mar 2025 (26) – Nov 2025 (34)
    out = sync_state(
        mini_atlas,
        Event(ids.TYPES, True, None, False),
        None,
        mini_controls(types=["chip_supply"], timeline=[26, 34]),
        stored,
    )
    assert out["state"] == out["url"] == "?types=chip_supply&from=2025-03-15&to=2025-11-20"
    out = sync_state(
        mini_atlas,
        Event(ids.DEPTH, True, None, False),
        None,
        mini_controls(depth=2, focus="dc", timeline=[26, 34]),
        stored,
    )
    assert out["state"] == "?from=2025-03-15&to=2025-11-20&focus=dc&depth=2"
    # Moving the slider itself replaces the window with whole months.
    out = sync_state(mini_atlas, Event(ids.TIMELINE, True, None, False), None, mini_controls(timeline=[26, 33]), stored)
    assert out["state"] == "?from=2025-03&to=2025-10"


def test_a_link_opens_the_slider_on_its_months(mini_atlas):
    out = sync_state(mini_atlas, Event(None, False, None, False), "?from=2025-03-15&to=2025-11-20", {}, None)
    assert (out["state"], out["timeline"], out["notice"]) == ("?from=2025-03-15&to=2025-11-20", [26, 34], [])


def test_stopping_play_writes_the_url(mini_atlas):
    tick = sync_state(
        mini_atlas, Event(ids.TIMELINE, True, None, True), None, mini_controls(timeline=[0, 5]), "?to=2023-05"
    )
    assert (tick["state"], tick["url"]) == ("?to=2023-06", no_update)
    stopped = sync_state(
        mini_atlas, Event(ids.PLAYING, False, None, False), None, mini_controls(timeline=[0, 5]), "?to=2023-06"
    )
    assert (stopped["state"], stopped["url"]) == (no_update, "?to=2023-06")
    # Play ran to the last month: the whole range is the default view, written as a bare "?".
    end = sync_state(mini_atlas, Event(ids.PLAYING, False, None, False), None, mini_controls(), "")
    assert (end["state"], end["url"]) == (no_update, "?")
    still = sync_state(
        mini_atlas, Event(ids.PLAYING, True, None, True), None, mini_controls(timeline=[0, 5]), "?to=2023-06"
    )
    assert all(value is no_update for value in still.values())


def test_open_cycle_toggles(mini_atlas):
    def open_cycle(cycle_id, stored, clicked=True):
        trigger = {"type": ids.OPEN_CYCLE, "id": cycle_id}
        return sync_state(mini_atlas, Event(trigger, clicked, None, False), None, mini_controls(), stored)

    assert open_cycle("cloud~lab", "")["state"] == "?cycle=cloud~lab"
    assert open_cycle("cloud~lab", "?cycle=cloud~lab")["state"] == ""  # a second click closes it
    assert open_cycle("cloud~lab", "?cycle=chips~lab~cloud")["state"] == "?cycle=cloud~lab"
    assert open_cycle("cloud~lab", "", clicked=False)["state"] is no_update  # a freshly drawn button, not a click


@pytest.mark.parametrize(
    ("query", "bright"),
    [
        ("?cycle=chips~lab~cloud", {"chips", "lab", "cloud"}),
        ("?focus=dc&cycle=chips~lab~cloud", {"chips", "lab", "cloud"}),  # a cycle wins over the focus
    ],
)
def test_an_open_cycle_brightens_its_companies(mini_atlas, query, bright):
    """The server finds the cycle; the browser's map (tests/js/) dims everything else."""
    assert set(cycle_highlight(mini_atlas, query)["companies"]) == bright


def test_the_grouped_sync_callback_answers_over_http(mini_atlas):
    """The sync callback's inputs are grouped in dicts (at most 8 parameters); on the wire they keep
    their flat order, and a posted link comes back as the canonical STATE with its notice."""
    from components.factory import create_app

    app = create_app(atlas=mini_atlas)
    client = app.server.test_client()
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if f"{ids.STATE}.data" in d["output"])
    flat = [i["id"] for i in dep["inputs"]]
    assert flat[:12] == [ids.URL, ids.TYPES, ids.ROLES, ids.FOCUS, ids.DEPTH, ids.MIN_AMOUNT, ids.TIMELINE] + [
        ids.VIEW,
        ids.EVERY,
        ids.SOURCES,
        ids.MONEY,
        ids.FAIL,
    ]
    assert flat[12:14] + flat[-3:] == [ids.GRAPH, ids.PANEL_CLOSE, ids.RESET, ids.PLAYING, ids.TABLE]
    assert [s["id"] for s in dep["state"]] == [ids.STATE, ids.LANG]

    def entry(spec, value=None):
        return [] if spec["id"].startswith("{") else {**spec, "value": value}  # ALL-pattern inputs: none drawn

    outputs = [dict(zip(("id", "property"), o.split("."), strict=True)) for o in dep["output"].strip(".").split("...")]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [entry(i, "?depth=9&focus=dc" if i["id"] == ids.URL else None) for i in dep["inputs"]],
        "state": [entry(s) for s in dep["state"]],
        "changedPropIds": [f"{ids.URL}.search"],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    response = answer.get_json()["response"]
    assert response[ids.STATE]["data"] == "?focus=dc"
    assert "depth" in str(response[ids.NOTICE]["children"])


# --- outputs that would not change the page are no_update (issue 20: less work per change) ----------


def test_a_click_is_cleared_only_when_there_is_one(mini_atlas):
    click = {"points": [{"customdata": ["company", "lab"]}]}
    opened = sync_state(mini_atlas, Event(ids.GRAPH, True, click, False), None, mini_controls(), "")
    assert (opened["state"], opened["click"]) == ("?company=lab", None)
    changed = sync_state(
        mini_atlas, Event(ids.TYPES, True, None, False), None, mini_controls(types=["chip_supply"]), ""
    )
    assert changed["state"] == "?types=chip_supply" and changed["click"] is no_update
    link = sync_state(mini_atlas, Event(ids.URL, False, None, False), "?focus=dc", {}, "")
    assert link["state"] == "?focus=dc" and link["click"] is no_update
    link = sync_state(mini_atlas, Event(ids.URL, False, click, False), "?focus=dc", {}, "")
    assert link["click"] is None
    reset = sync_state(mini_atlas, Event(ids.RESET, True, click, False), None, mini_controls(), "?focus=dc")
    assert reset["click"] is None


def test_the_url_is_not_written_when_it_already_shows_the_state(mini_atlas):
    values = mini_controls(types=["chip_supply"])
    out = sync_state(mini_atlas, Event(ids.TYPES, True, None, False), "?types=chip_supply", values, "")
    assert out["state"] == "?types=chip_supply" and out["url"] is no_update
    out = sync_state(mini_atlas, Event(ids.TYPES, True, None, False), "?focus=dc", values, "")
    assert out["url"] == "?types=chip_supply"
    reset = sync_state(mini_atlas, Event(ids.RESET, True, None, False), "?", mini_controls(), "?focus=dc")
    assert (reset["state"], reset["url"]) == ("", no_update)


def test_unchanged_outputs_are_not_sent_again():
    shown = {"title": "Deals 2023", "summary": "3 deals", "cycle": None, "figure": no_update}
    answer = {"title": "Deals 2023", "summary": "2 deals", "cycle": None, "figure": no_update}
    out = unchanged_outputs(answer, shown)
    assert out == {"title": no_update, "summary": "2 deals", "cycle": no_update, "figure": no_update}
    assert unchanged_outputs(answer, {}) == answer  # the page's first call sends everything


def test_a_control_change_answers_only_what_changed_over_http(mini_atlas):
    """Over the wire: a deal-type change keeps the title, timeline label and (no) open cycle, and
    there is no click to clear, so the answer carries only the STATE, URL and summary."""
    from components.factory import create_app

    app = create_app(atlas=mini_atlas)
    client = app.server.test_client()
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if f"{ids.STATE}.data" in d["output"])
    values = {ids.URL: "", **{ids.TYPES: ["chip_supply"], ids.ROLES: ALL_ROLES, ids.TIMELINE: MINI_FULL}}
    values.update({ids.DEPTH: 1, ids.MIN_AMOUNT: 0, ids.VIEW: "network", ids.EVERY: []})

    def entry(spec, value=None):
        return [] if spec["id"].startswith("{") else {**spec, "value": value}

    outputs = [dict(zip(("id", "property"), o.split("."), strict=True)) for o in dep["output"].strip(".").split("...")]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [entry(i, values.get(i["id"])) for i in dep["inputs"]],
        "state": [entry(s, "" if s["id"] == ids.STATE else None) for s in dep["state"]],
        "changedPropIds": [f"{ids.TYPES}.value"],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    response = answer.get_json()["response"]
    assert response[ids.STATE]["data"] == "?types=chip_supply"
    assert response[ids.URL]["search"] == "?types=chip_supply"
    assert set(response) == {ids.STATE, ids.URL, ids.SUMMARY}


def test_a_pick_names_the_button_that_was_clicked():
    assert picked({"type": ids.OPEN_CYCLE, "id": "cloud~lab", "at": 5}) == {"type": ids.OPEN_CYCLE, "id": "cloud~lab"}
    assert picked({"type": ids.OPEN_DEAL, "id": "d1"}) == {"type": ids.OPEN_DEAL, "id": "d1"}
    for bad in (None, "cloud~lab", {"type": "nope", "id": "x"}, {"type": ids.OPEN_COMPANY, "id": 3}, {"id": "x"}):
        assert picked(bad) is None


def test_panel_and_section_links_reach_the_server_only_through_the_pick_store(mini_atlas):
    """The buttons are inputs of a clientside relay, not of the sync callback (so buttons that
    appear ask nothing), and a PICK posted to the sync callback opens what it names."""
    from components.factory import create_app

    app = create_app(atlas=mini_atlas)
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if f"{ids.STATE}.data" in d["output"])
    assert not [i for i in dep["inputs"] if i["id"].startswith("{")]
    relay = next(d for d in deps if d["output"] == f"{ids.PICK}.data")
    assert relay["clientside_function"] == {"namespace": "alliance", "function_name": "pick"}
    assert sorted(i["id"] for i in relay["inputs"]) == sorted(
        '{"id":["ALL"],"type":"%s"}' % kind for kind in (ids.OPEN_COMPANY, ids.OPEN_CYCLE, ids.OPEN_DEAL)
    )
    pick = {"type": ids.OPEN_CYCLE, "id": "cloud~lab", "at": 1}
    values = {ids.URL: "", ids.TYPES: ALL_TYPES, ids.ROLES: ALL_ROLES, ids.TIMELINE: MINI_FULL, ids.PICK: pick}
    values.update({ids.DEPTH: 1, ids.MIN_AMOUNT: 0, ids.VIEW: "network", ids.EVERY: []})
    outputs = [dict(zip(("id", "property"), o.split("."), strict=True)) for o in dep["output"].strip(".").split("...")]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": "" if s["id"] == ids.STATE else None} for s in dep["state"]],
        "changedPropIds": [f"{ids.PICK}.data"],
    }
    response = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert response[ids.STATE]["data"] == "?cycle=cloud~lab"
