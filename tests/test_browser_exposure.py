"""The stress test in Chromium: ?fail=openai paints lost flows red and at-risk ones orange, rings
OpenAI, dims the rest, and lists the companies hit in the panel, as /api/exposure ranks them."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from components import ids

from .browser import ARTIFACTS, severe_logs, wait_for, wait_settled

pytestmark = pytest.mark.browser

COLORS_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
const colors = (gd.layout.shapes || []).map(s => s.line.color)
    .concat(gd.data.filter(t => t.mode === 'lines').map(t => t.line.color));
const failing = gd.data.find(t => t.name === 'failing');
return {colors, failing: failing ? failing.x.length : 0};
"""
    % ids.GRAPH
)


def colours(driver):
    return driver.execute_script(COLORS_JS)


def settled(driver):
    wait_settled(driver)


def test_fail_openai_paints_red_flows_and_the_table(base_url, browser):
    browser.get(base_url + "/?fail=openai")
    settled(browser)
    wait_for(
        browser,
        lambda d: any(c.startswith("rgba(214,39,40,") for c in colours(d)["colors"]),
        message="no red (lost) flow on the map",
    )
    painted = colours(browser)
    assert any(c.startswith("rgba(255,127,14,") for c in painted["colors"]), "no orange (at-risk) flow"
    assert painted["failing"] == 1  # OpenAI ringed
    with urllib.request.urlopen(base_url + "/api/exposure?fail=openai") as response:
        api = json.load(response)
    table = browser.find_element(By.ID, ids.EXPOSURE_TABLE)
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.get_attribute("data-company") for r in rows] == [c["id"] for c in api["companies"]]
    assert rows[0].find_element(By.CSS_SELECTOR, "td").text == "Oracle"
    assert "a what-if over announced deals, not a forecast" in browser.find_element(By.ID, ids.SUMMARY).text
    assert "at risk if OpenAI cannot pay" in browser.find_element(By.ID, ids.SUMMARY).text
    browser.save_screenshot(str(ARTIFACTS / "exposure-openai.png"))
    assert not severe_logs(browser)


def test_paid_money_only_shows_nothing_lost(base_url, browser):
    browser.get(base_url + "/?fail=openai&money=paid&lang=ru")
    settled(browser)
    painted = colours(browser)
    assert not any(c.startswith(("rgba(214,39,40,", "rgba(255,127,14,")) for c in painted["colors"])
    assert "не прогноз" in browser.find_element(By.ID, ids.SUMMARY).text


def test_embed_keeps_the_scenario(base_url, browser):
    browser.get(base_url + "/?fail=openai&embed=1")
    settled(browser)
    wait_for(
        browser,
        lambda d: any(c.startswith("rgba(214,39,40,") for c in colours(d)["colors"]),
        message="no red flow in the embed",
    )
    assert "at risk if OpenAI cannot pay" in browser.find_element(By.ID, ids.SUMMARY).text


def test_picking_a_failing_company_in_the_drawer_repaints(base_url, browser):
    browser.get(base_url + "/")
    settled(browser)
    assert not any(c.startswith("rgba(214,39,40,") for c in colours(browser)["colors"])
    browser.find_element(By.ID, ids.FAIL).click()  # Dash's dropdown: a popover with a search box
    browser.switch_to.active_element.send_keys("Oracle")
    option = ".dash-dropdown-option input[value=oracle]"
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, option), message="no option for Oracle")
    browser.find_element(By.CSS_SELECTOR, option).find_element(By.XPATH, "./ancestor::label").click()
    wait_for(browser, lambda d: "fail=oracle" in d.current_url, message="the link never named the scenario")
    wait_for(
        browser,
        lambda d: any(c.startswith("rgba(214,39,40,") for c in colours(d)["colors"]),
        message="no red flow after picking Oracle",
    )
    assert "at risk if Oracle cannot pay" in browser.find_element(By.ID, ids.SUMMARY).text
    assert not severe_logs(browser)


PARITY = [
    "?fail=openai",
    "?fail=oracle",
    "?fail=openai~microsoft",
    "?fail=anthropic&from=2025-01&to=2025-12",
    "?fail=openai&types=compute_commitment,chip_supply",
    "?fail=meta&money=contracted",
    "?fail=nvidia&roles=investor,model_lab,neocloud",
    "?fail=openai~oracle&min_amount=10000000000",
]


def test_the_browser_stress_test_matches_the_server(base_url, browser, shipped_atlas):
    """assets/map.js computes every deal's kind itself (no round trip); it must be the server's."""
    from components.controls import _controls_from_state, exposure_store

    browser.get(base_url + "/")
    settled(browser)
    for query in PARITY:
        state, notices = shipped_atlas.parse(query)
        assert not notices
        controls = _controls_from_state(shipped_atlas, state)
        ours = browser.execute_script("return window.allianceStress(arguments[0], arguments[1]);", controls, query)
        theirs = exposure_store(shipped_atlas, query)
        assert ours == {"lost": theirs["lost"], "at_risk": theirs["at_risk"]}, query
        assert ours["lost"], query  # each scenario loses something: the comparison is not vacuous
