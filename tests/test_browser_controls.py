"""Controls a reader uses, in real Chromium: Reset, the focus depth, and a day-precise shared link.

Figure data is read from the plot element itself (`gd.data`), however the map gets drawn.
Expected neighbour counts were worked out by hand from data/deals.csv (see each test).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from components import ids

from .browser import severe_logs, wait_for, wait_ready

pytestmark = pytest.mark.browser

BRIGHT_COMPANIES_JS = (
    """
const plot = document.querySelector('#%s .js-plotly-plot');
const nodes = ((plot && plot.data) || []).find(t => t.name === 'companies');
if (!nodes) return null;
const opacity = nodes.marker.opacity;
return nodes.customdata.filter((c, i) => (Array.isArray(opacity) ? opacity[i] : opacity) === 1).map(c => c[1]).sort();
"""
    % ids.GRAPH
)

SLIDER_JS = (
    """
return Array.from(document.querySelectorAll('#%s [role=slider]')).map(h => Number(h.getAttribute('aria-valuenow')));
"""
    % ids.TIMELINE
)

CHECKED_JS = """
return Array.from(document.querySelectorAll('#%s input[type=checkbox]')).filter(b => !b.checked).map(b => b.value);
"""


def query_of(driver) -> dict:
    return parse_qs(urlsplit(driver.current_url).query, keep_blank_values=True)


def test_reset_returns_controls_and_url_to_the_default(base_url, browser):
    browser.get(base_url + "/")
    wait_ready(browser)
    full = browser.execute_script(SLIDER_JS)
    assert full[0] == 0 and full[1] > 60  # Jul 2019 … the latest month
    browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='equity_investment']").click()
    wait_for(browser, lambda d: "types" in query_of(d), message="unticking a type did not reach the URL")
    handle = browser.find_elements(By.CSS_SELECTOR, f"#{ids.TIMELINE} [role=slider]")[-1]
    handle.click()
    handle.send_keys(*([Keys.ARROW_LEFT] * 6))
    wait_for(browser, lambda d: "to" in query_of(d), message="moving the slider did not reach the URL")
    wait_ready(browser)
    assert browser.execute_script(CHECKED_JS % ids.TYPES) == ["equity_investment"]
    assert browser.execute_script(SLIDER_JS) == [0, full[1] - 6]

    browser.find_element(By.ID, ids.RESET).click()
    wait_for(browser, lambda d: query_of(d) == {}, message="Reset did not clear the URL")
    wait_for(browser, lambda d: d.execute_script(SLIDER_JS) == full, message="Reset did not move the slider back")
    assert browser.execute_script(CHECKED_JS % ids.TYPES) == []
    assert browser.execute_script(CHECKED_JS % ids.ROLES) == []
    assert severe_logs(browser) == []


# ASML's one partner in data/deals.csv is Mistral; Mistral's partners are ASML, BNP Paribas,
# Bpifrance, Cisco, HSBC, IBM, Microsoft, Amazon, Nvidia, Salesforce and Samsung (grep -w mistral).
ASML_DEPTH_1 = ["asml", "mistral"]
ASML_DEPTH_2 = sorted(
    [
        "asml",
        "mistral",
        "bnp-paribas",
        "bpifrance",
        "cisco",
        "hsbc",
        "ibm",
        "microsoft",
        "amazon",
        "nvidia",
        "salesforce",
        "samsung",
    ]
)


def test_focus_depth_1_brightens_direct_partners(base_url, browser):
    browser.get(base_url + "/?focus=asml")
    wait_ready(browser)
    wait_for(
        browser,
        lambda d: d.execute_script(BRIGHT_COMPANIES_JS) == ASML_DEPTH_1,
        message="depth 1 should brighten ASML and Mistral only",
    )


def test_focus_depth_2_brightens_partners_of_partners(base_url, browser):
    browser.get(base_url + "/?focus=asml")
    wait_ready(browser)
    browser.find_element(By.CSS_SELECTOR, f"#{ids.DEPTH} input[value='2']").click()
    wait_for(browser, lambda d: query_of(d).get("depth") == ["2"], message="depth 2 did not reach the URL")
    wait_ready(browser)
    wait_for(
        browser,
        lambda d: d.execute_script(BRIGHT_COMPANIES_JS) == ASML_DEPTH_2,
        timeout=10,
        message=f"depth 2 should brighten {len(ASML_DEPTH_2)} companies",
    )


def test_a_day_precise_link_keeps_its_days_when_a_control_changes(base_url, browser):
    browser.get(base_url + "/?from=2025-03-15&to=2025-11-20")
    wait_ready(browser)
    assert query_of(browser) == {"from": ["2025-03-15"], "to": ["2025-11-20"]}
    browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='model_distribution']").click()
    wait_for(browser, lambda d: "types" in query_of(d), message="unticking a type did not reach the URL")
    query = query_of(browser)
    assert (query["from"], query["to"]) == (["2025-03-15"], ["2025-11-20"])
    assert "model_distribution" not in query["types"][0]
    assert "15 Mar 2025" in browser.find_element(By.ID, ids.TIMELINE_LABEL).text
    assert severe_logs(browser) == []


MODEBAR_TITLES_JS = (
    """
return Array.from(document.querySelectorAll('#%s .modebar-btn')).map(b => b.getAttribute('data-title'));
"""
    % ids.GRAPH
)


def test_the_page_scripts_speak_the_pages_language(base_url, browser):
    """The words assets/app.js shows come from the page's config (components/clientconfig.py) in the
    page's language: the PNG button's title (English on a Russian page before), Play/Pause and the
    copied-link status."""
    browser.get(base_url + "/?lang=ru&from=2025-01&to=2025-03")
    wait_ready(browser)
    wait_for(
        browser,
        lambda d: "Скачать карту в PNG" in d.execute_script(MODEBAR_TITLES_JS),
        message="the PNG button is not titled in Russian",
    )
    assert "Download the map as PNG" not in browser.execute_script(MODEBAR_TITLES_JS)
    play = browser.find_element(By.ID, ids.PLAY)
    play.click()
    wait_for(browser, lambda d: play.text == "❚❚ Пауза", message="Pause is not in Russian")
    play.click()
    wait_for(browser, lambda d: play.text == "▶ Запустить", message="Play is not in Russian")
    browser.find_element(By.ID, ids.COPY_LINK).click()
    status = browser.find_element(By.ID, ids.COPY_STATUS)
    wait_for(browser, lambda d: status.text.startswith("Ссылка скопирована: "), message="no Russian copy status")
    assert status.text == "Ссылка скопирована: " + browser.current_url  # Play moved the window on
