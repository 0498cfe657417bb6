"""The page runs under its real Content-Security-Policy in Chromium: no violation, map drawn.

The policy allows inline scripts only by hash, computed from the page as rendered; a new inline
script (a clientside callback, a Dash upgrade) that the hashes missed shows up here.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from components import ids

from .browser import chrome, deals_shown, severe_logs, wait_for, wait_ready

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def test_page_works_under_its_csp(base_url):
    base = base_url  # the session's server; a Chromium of its own, which records CSP violations from the start
    driver = chrome()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
        driver.get(base + "/?types=equity_investment,compute_commitment")
        wait_ready(driver)
        assert len(deals_shown(driver)) > 20
        driver.find_element(By.ID, ids.RESET).click()
        wait_for(driver, lambda d: "types=" not in d.current_url, message="reset did not apply")
        wait_ready(driver)
        violations = driver.execute_script("return window.__cspViolations")
        logs = severe_logs(driver)
    finally:
        driver.quit()
    assert violations == []
    assert [entry for entry in logs if "Content Security Policy" in entry["message"]] == []
    assert logs == []
