"""Every reader: axe-core finds no serious or critical barrier (English, Russian, an open panel),
the keyboard reaches the controls with a visible focus ring and Escape closes the panel, and
?lang=ru / ?theme=dark change the page as a reader sees it."""

from __future__ import annotations

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from components import ids

from .browser import ARTIFACTS, chrome, set_viewport, severe_logs, wait_for, wait_stable

pytestmark = pytest.mark.browser

DRAWN_JS = (
    "const p = document.querySelector('#%s .js-plotly-plot'); return !!(p && p.data && p.data.length);" % ids.GRAPH
)


def open_page(driver, url):
    driver.get(url)
    wait_for(driver, lambda d: d.execute_script(DRAWN_JS), message="plot never drew")
    wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
    wait_stable(driver)


def show_table(driver) -> None:
    """Scroll to the deal table: AG Grid loads when it comes on screen (assets/lightpage.js)."""
    driver.execute_script("document.getElementById(arguments[0]).scrollIntoView();", ids.TABLE)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.TABLE} .ag-row"), message="grid never loaded")
    wait_stable(driver)


def screenshots(driver, url: str, name: str) -> None:
    """The page at desktop and phone size, loaded at that size (phones start with filters closed)."""
    for width, height in ((1500, 1000), (390, 844)):
        set_viewport(driver, width, height)
        open_page(driver, url)
        driver.save_screenshot(str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    set_viewport(driver, 1500, 1000)


def serious(driver) -> list[str]:
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("query", ["/", "/?lang=ru", "/?company=anthropic", "/?theme=dark&lang=ru&company=openai"])
def test_axe_finds_no_serious_or_critical_violation(base_url, browser, query):
    open_page(browser, base_url + query)
    if "company" in query:
        wait_for(browser, lambda d: d.find_element(By.ID, ids.PANEL).is_displayed(), message="panel never opened")
    assert serious(browser) == []
    assert severe_logs(browser) == []


@pytest.mark.parametrize("query", ["/", "/?lang=ru&theme=dark"])
def test_axe_with_the_embed_dialog_open(base_url, browser, query):
    """The dialog's fields, its markup choice (a labelled radio group) and both snippets."""
    open_page(browser, base_url + query)
    browser.find_element(By.ID, ids.EMBED_OPEN).click()
    wait_for(browser, lambda d: d.find_element(By.ID, ids.EMBED_DIALOG).is_displayed(), message="dialog never opened")
    wait_for(
        browser, lambda d: (d.find_element(By.ID, ids.PICTURE_SNIPPET).get_attribute("value") or "").startswith("<a")
    )
    assert serious(browser) == []
    browser.find_element(By.ID, ids.EMBED_DIALOG).screenshot(
        str(ARTIFACTS / f"embed-dialog-{'ru-dark' if 'ru' in query else 'en'}.png")
    )


@pytest.mark.parametrize("query", ["/", "/?lang=ru&theme=dark"])
def test_axe_finds_no_serious_or_critical_violation_in_the_deal_table(base_url, browser, query):
    open_page(browser, base_url + query)
    show_table(browser)
    assert serious(browser) == []
    assert severe_logs(browser) == []


def test_russian_page_speaks_russian(base_url, browser):
    open_page(browser, base_url + "/?lang=ru&from=2025-11&to=2025-11")
    assert browser.execute_script("return document.documentElement.lang") == "ru"
    wait_for(browser, lambda d: "сделок" in d.find_element(By.ID, ids.SUMMARY).text, message="summary not Russian")
    summary = browser.find_element(By.ID, ids.SUMMARY).text
    assert "млрд $" in summary
    assert browser.find_element(By.ID, ids.TITLE).text.endswith("ноя 2025")
    body = browser.find_element(By.TAG_NAME, "body").text
    for english in ("Filters", "Deal types", "Copy link", "Who matters", "Deals in view"):
        assert english not in body
    assert "Фильтры" in body and "Копировать ссылку" in body
    screenshots(browser, base_url + "/?lang=ru&from=2025-11&to=2025-11", "lang-ru")


def test_browser_language_is_followed_without_the_parameter(base_url):
    driver = chrome(accept_language="ru-RU,ru;q=0.9,en;q=0.5")
    try:
        set_viewport(driver, 1500, 1000)
        open_page(driver, base_url + "/")
        assert driver.execute_script("return document.documentElement.lang") == "ru"
        assert "Фильтры" in driver.find_element(By.ID, ids.CONTROLS_TOGGLE).text
    finally:
        driver.quit()


def test_dark_theme_covers_page_plot_and_grid(base_url, browser):
    open_page(browser, base_url + "/?theme=dark")
    show_table(browser)
    colours = browser.execute_script(
        """
        const bg = e => getComputedStyle(e).backgroundColor;
        const plot = document.querySelector('#%s .js-plotly-plot');
        const label = plot.querySelector('.textpoint text');
        return {html: document.documentElement.className, body: bg(document.body),
                paper: bg(plot.querySelector('.main-svg')), label: getComputedStyle(label).fill,
                grid: document.querySelector('#%s').className,
                header: bg(document.querySelector('#%s .ag-header'))};
    """
        % (ids.GRAPH, ids.TABLE, ids.TABLE)
    )
    assert "theme-dark" in colours["html"]
    assert colours["body"] == "rgb(15, 23, 32)"  # --bg of the dark palette
    assert colours["paper"] == "rgb(22, 32, 43)"  # --surface: the plot sits on the page's card
    assert colours["label"] == "rgb(228, 231, 235)"  # light ink on the dark paper
    assert "ag-theme-alpine-dark" in colours["grid"]
    assert colours["header"] == "rgb(29, 42, 56)"
    screenshots(browser, base_url + "/?theme=dark&company=openai", "theme-dark")


def test_no_theme_follows_the_device(base_url, browser):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    try:
        open_page(browser, base_url + "/?view=sankey")
        assert "theme-dark" in browser.execute_script("return document.documentElement.className")
        assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(15, 23, 32)"
        browser.save_screenshot(str(ARTIFACTS / "theme-auto-dark-sankey-1500x1000.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_keyboard_reaches_controls_with_a_focus_ring_and_escape_closes_the_panel(base_url, browser):
    open_page(browser, base_url + "/?company=anthropic")
    panel = browser.find_element(By.ID, ids.PANEL)
    wait_for(browser, lambda d: panel.is_displayed(), message="panel never opened")
    browser.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
    reached, unringed = [], []
    for _ in range(80):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        info = browser.execute_script("""
            const e = document.activeElement, s = getComputedStyle(e);
            const name = e.id || (e.name ? e.name + '=' + e.value : '') || e.getAttribute('aria-label') || e.className;
            return [name, s.outlineStyle, parseFloat(s.outlineWidth) || 0, s.boxShadow];""")
        reached.append(info[0])
        if info[1] == "none" or info[2] < 2:
            unringed.append(info[0])
    for control in (
        ids.COPY_LINK,
        ids.EMBED_OPEN,
        ids.CONTROLS_TOGGLE,
        ids.RESET,
        ids.PLAY,
        ids.PANEL_CLOSE,
        "filter-depth=1",
        "view-mode=network",
    ):
        assert control in reached, reached
    assert unringed == [], unringed
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(browser, lambda d: not panel.is_displayed(), message="Escape did not close the panel")
    assert "company=" not in browser.current_url
