"""The stress test and money filter on the page, as functions: controls <-> link, the store map.js
paints from, the panel's table, the summary sentence and the share card (mini data, by hand)."""

from __future__ import annotations

from alliance.schema import DEAL_TYPES, ROLES
from components import ids
from components.controls import Event, exposure_store, sync_state
from components.follow import render_texts
from components.panels import render_panel

CONTROLS = dict(types=None, roles=None, focus=None, depth=1, min_amount=0, timeline=None, view="network", every=[])


def controls(atlas, **changes):
    values = dict(CONTROLS, types=list(DEAL_TYPES), roles=list(ROLES), timeline=[0, len(atlas.months) - 1])
    values.update(changes)
    return values


def test_fail_and_money_controls_write_the_link(mini_atlas):
    out = sync_state(
        mini_atlas, Event(ids.FAIL, True, None, False), None, controls(mini_atlas, fail=["lab", "cloud", "nobody"]), ""
    )
    assert out["state"] == "?fail=lab~cloud"  # unknown ids from a tampered control are dropped
    out = sync_state(
        mini_atlas,
        Event(ids.MONEY, True, None, False),
        None,
        controls(mini_atlas, money="paid", fail=["lab"]),
        "?fail=lab",
    )
    assert out["state"] == "?money=paid&fail=lab"
    out = sync_state(
        mini_atlas, Event(ids.MONEY, True, None, False), None, controls(mini_atlas, money="bogus"), "?money=paid"
    )
    assert out["state"] == ""  # a value the radio never offers falls back to all


def test_a_link_sets_the_controls_and_warns_about_unknown_ids(mini_atlas):
    out = sync_state(mini_atlas, Event(None, False, None, False), "?fail=lab~ghost&money=contracted", {}, None)
    assert (out["fail"], out["money"]) == (["lab"], "contracted")
    assert "ghost" in str(out["notice"])
    out = sync_state(mini_atlas, Event(None, False, None, False), "?money=lots", {}, None)
    assert out["money"] == "all" and "money" in str(out["notice"])


def test_exposure_store_for_map_js(mini_atlas):
    # fail=lab by hand (tests/test_api_exposure.py): m03, m16 lost; cloud's m05 and m10 at risk
    assert exposure_store(mini_atlas, "?fail=lab") == {"fail": "lab", "lost": ["m03", "m16"], "at_risk": ["m05", "m10"]}
    assert exposure_store(mini_atlas, "?fail=lab&money=paid") == {"fail": "lab", "lost": [], "at_risk": []}
    assert exposure_store(mini_atlas, "") is None


def test_money_filter_keeps_only_money_that_moved(mini_atlas):
    state, _ = mini_atlas.parse("?money=paid")
    kept = set(mini_atlas.deals_in_view(state)["id"])
    assert kept == {"m01", "m02", "m04", "m06", "m07", "m08", "m14"}  # the completed, counted flows
    state, _ = mini_atlas.parse("?money=contracted")
    assert set(mini_atlas.deals_in_view(state)["id"]) - kept == {"m05", "m10", "m12", "m13", "m16"}


def test_panel_table_and_summary(mini_atlas):
    panel, hidden = render_panel(mini_atlas, "?fail=lab")
    assert hidden is False
    text = str(panel)
    assert "If Frontier Lab cannot pay" in text and "A what-if over announced deals, not a forecast." in text
    rows = [r for r in panel.children[-1].children[1].children]
    assert [r.to_plotly_json()["props"]["data-company"] for r in rows] == ["neo", "cloud", "dc", "chips"]
    _, summary, _ = render_texts(mini_atlas, "?fail=lab")
    assert summary.endswith(
        " $33.5B at risk if Frontier Lab cannot pay (a what-if over announced deals, not a forecast)."
    )
    _, summary, _ = render_texts(mini_atlas, "?fail=lab~cloud&lang=ru")
    assert "под угрозой, если Frontier Lab и Hyper Cloud не смогут платить" in summary
    # an open company panel wins over the table
    panel, _ = render_panel(mini_atlas, "?fail=lab&company=neo")
    assert "cannot pay" not in str(panel)


def test_share_card_names_the_scenario(mini_atlas):
    from components.factory import create_app

    page = create_app(atlas=mini_atlas).server.test_client().get("/?fail=lab").get_data(as_text=True)
    assert '<meta property="og:title" content="If Frontier Lab cannot pay · ' in page
    assert '<meta property="og:description" content="$33.5B at risk if Frontier Lab cannot pay · ' in page
    assert 'preview.png?fail=lab"' in page


def test_sankey_bands_follow_the_stress_test(mini_atlas):
    from components.follow import render_sankey

    figure = render_sankey(mini_atlas, "?fail=lab&view=sankey")
    colors = figure["data"][0]["link"]["color"]
    # m03 (lab -> cloud) and m16 (lab -> neo) are lost; m05 and m10 (cloud's) at risk
    assert colors.count("rgba(214,39,40,0.7)") == 2
    assert colors.count("rgba(255,127,14,0.7)") == 2
    plain = render_sankey(mini_atlas, "?view=sankey")["data"][0]["link"]["color"]
    assert not {"rgba(214,39,40,0.7)", "rgba(255,127,14,0.7)"} & set(plain)


def test_the_preview_card_of_a_stress_test_is_headed_by_its_scenario(shipped_atlas):
    from components.exposure import scenario_title
    from components.preview import MAP_KEY, preview_figure

    state, _ = shipped_atlas.parse("?fail=openai&lang=ru")
    card = preview_figure(shipped_atlas, state, lambda lang: "{}")["layout"]["meta"][MAP_KEY]
    assert card["card"]["title"]["text"] == f"<b>{scenario_title(shipped_atlas, state, 'ru')}</b>"
    assert card["controls"]["fail"] == ["openai"]  # map.js draws the lost and at-risk flows on the card
    assert "2019" in card["card"]["caption"]["text"]  # the date range moved to the caption


def test_the_tables_share_column_uses_the_catalogs_percent(mini_atlas):
    """One percent format on every page part: "42 %" in Russian (the table printed "42%" while the
    company panel printed "42 %"), "42%" in English."""
    import re

    def shares(query):
        panel, _ = render_panel(mini_atlas, query)
        rows = panel.children[-1].children[1].children
        return [r.children[3].children for r in rows]

    english, russian = shares("?fail=lab"), shares("?fail=lab&lang=ru")
    assert english and all(re.fullmatch(r"\d{1,3}%", s) for s in english), english
    assert [s.replace("%", "\u00a0%") for s in english] == russian
