"""The real thing: gunicorn on 127.0.0.1, headless Chromium, the page as a reader uses it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from components import ids

from .browser import ARTIFACTS, deals_shown, severe_logs, wait_for, wait_ready

pytestmark = pytest.mark.browser


def test_default_view_renders_without_console_errors(base_url, browser):
    browser.get(base_url + "/?every=1")  # one arrow per deal, so arrows and the summary agree
    wait_ready(browser)
    summary = browser.find_element(By.ID, ids.SUMMARY).text
    total = len(deals_shown(browser))
    assert total >= 150 and summary.startswith(f"{total} deals in view")
    assert "Jul 2019" in browser.find_element(By.ID, ids.TITLE).text
    browser.save_screenshot(str(ARTIFACTS / "default-view.png"))
    assert severe_logs(browser) == []


def test_unticking_a_deal_type_removes_its_edges(base_url, browser):
    browser.get(base_url + "/")
    wait_ready(browser)
    before = deals_shown(browser)
    assert any(name == "equity_investment" for name, _ in before)
    box = browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='equity_investment']")
    box.click()
    wait_for(browser, lambda d: len(deals_shown(d)) < len(before), message="edges did not change")
    wait_ready(browser)
    after = deals_shown(browser)
    assert not any(name == "equity_investment" for name, _ in after)
    assert len(after) == len([1 for name, _ in before if name != "equity_investment"])
    assert "types=" in browser.current_url and "equity_investment" not in browser.current_url
    assert severe_logs(browser) == []


def test_moving_the_timeline_changes_the_deals_shown(base_url, browser):
    browser.get(base_url + "/")
    wait_ready(browser)
    before = len(deals_shown(browser))
    handle = browser.find_elements(By.CSS_SELECTOR, f"#{ids.TIMELINE} [role=slider]")[-1]
    handle.click()
    handle.send_keys(*([Keys.ARROW_LEFT] * 12))
    wait_for(browser, lambda d: 0 < len(deals_shown(d)) < before, message="slider did not filter")
    assert "to=" in browser.current_url
    title = browser.find_element(By.ID, ids.TITLE).text
    assert "Jun 2026" not in title


def test_clicking_a_node_opens_its_panel(base_url, browser):
    browser.get(base_url + "/?focus=anthropic")
    wait_ready(browser)
    point = browser.execute_script(
        """
        const plot = document.querySelector('#%s .js-plotly-plot');
        const traces = plot.querySelectorAll('.scatterlayer .trace');
        for (let i = 0; i < plot.data.length; i++) {
            const t = plot.data[i];
            if (t.name !== 'companies') continue;
            const k = t.customdata.findIndex(c => c[1] === 'anthropic');
            if (k >= 0) return traces[i].querySelectorAll('path.point')[k];
        }
        return null;"""
        % ids.GRAPH
    )
    assert point is not None
    ActionChains(browser).move_to_element(point).pause(0.3).click().perform()
    wait_for(browser, lambda d: d.find_element(By.ID, ids.PANEL).is_displayed(), message="panel did not open")
    panel = browser.find_element(By.ID, ids.PANEL_BODY)
    wait_for(browser, lambda d: "Anthropic" in panel.text)
    assert "Deals in view" in panel.text
    assert panel.find_elements(By.CSS_SELECTOR, "a.source-link")
    assert "company=anthropic" in browser.current_url
    browser.save_screenshot(str(ARTIFACTS / "company-panel.png"))
