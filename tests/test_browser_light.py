"""The light page in a real browser: the full plotly.js is never requested and every figure the
app makes still draws with the small bundle; AG Grid and the sections load when shown, never in
an embed; a second visit transfers little; the phone header folds into a menu."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from bench.page_weight import requests_of, totals, weigh
from bench.synthetic import synthetic_dataset
from components import ids

from .browser import ARTIFACTS, chrome, served, set_viewport, severe_logs, wait_for, wait_stable

pytestmark = pytest.mark.browser

FULL_PLOTLY = "package_data/plotly"
GRID_SCRIPT = "dash_ag_grid"


@pytest.fixture
def browser():
    driver = chrome(performance_log=True)  # a fresh profile per test: nothing cached
    set_viewport(driver, 1500, 1000)
    yield driver
    driver.quit()


def urls(records) -> list[str]:
    return [r["url"] for r in records]


def test_page_loads_the_small_bundle_and_no_grid_until_the_table_shows(base_url, browser):
    records = weigh(browser, base_url + "/")
    assert not [u for u in urls(records) if FULL_PLOTLY in u]
    bundle = [r for r in records if "plotly-alliance.min.js" in r["url"]]
    assert len(bundle) == 1 and bundle[0]["unpacked"] < 2_000_000  # the full one unpacks to 4.7 MB
    assert not [u for u in urls(records) if GRID_SCRIPT in u]
    assert browser.execute_script("return window.Plotly.version") == "4.1.1"
    # the sections just below the map came near the screen: their rows arrived, the grid did not load
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.CYCLES} li"), message="sections never loaded")
    assert not browser.find_elements(By.CSS_SELECTOR, f"#{ids.TABLE} .ag-row")
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView();", ids.TABLE)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.TABLE} .ag-row"), message="grid never loaded")
    later = urls(requests_of(browser))
    assert [u for u in later if GRID_SCRIPT in u and u.endswith(".min.js")]
    assert not [u for u in later if FULL_PLOTLY in u]
    assert severe_logs(browser) == []


def test_embed_loads_neither_grid_nor_sections(base_url, browser):
    records = weigh(browser, base_url + "/?embed=1")
    assert not [u for u in urls(records) if GRID_SCRIPT in u or FULL_PLOTLY in u]
    # once: dcc.Graph, mounting sooner in an embed, waited for the deferred bundle (assets/lightpage.js)
    assert len([u for u in urls(records) if "plotly-alliance.min.js" in u]) == 1
    # Dash idle and no request for half a second: a callback filling the list would have been asked by now
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
    wait_stable(browser, quiet=0.5)
    assert browser.find_elements(By.CSS_SELECTOR, f"#{ids.CYCLES} li") == []  # never asked for
    assert totals(records)["transferred"] < 1_000_000  # was 2.4 MB with the full plotly.js and AG Grid


def test_second_visit_transfers_little(base_url, browser):
    first = weigh(browser, base_url + "/")
    second = weigh(browser, base_url + "/")
    assert totals(second)["transferred"] < totals(first)["transferred"] / 8, (totals(first), totals(second))
    # every script, style and the map's data: from the cache, or a 304 (Dash's unhashed chunks)
    files = [r for r in second if r["url"].split("?")[0].endswith((".js", ".css", ".json"))]
    assert len(files) >= 15
    assert [r["url"] for r in files if r["transferred"] > 1000] == []


def test_every_figure_draws_with_the_small_bundle(base_url, browser):
    weigh(browser, base_url + "/")
    traces = browser.execute_script(
        "return document.querySelector('#%s .js-plotly-plot')._fullData.map(t => t.type);" % ids.GRAPH
    )
    assert "scatter" in traces
    # the Sankey view
    weigh(browser, base_url + "/?view=sankey")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.GRAPH} .sankey-node"), message="no Sankey")
    # the company panel's money-by-year bars
    weigh(browser, base_url + "/?company=openai")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.PANEL} .barlayer .point"), message="no bars")
    # the PNG export, with the page's own plotly.js (no WebGL in it: the shipped data draws in SVG)
    drawn = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const div = document.createElement('div'); div.style.width = '400px'; div.style.height = '300px';
        document.body.appendChild(div);
        Plotly.newPlot(div, [{type: 'scatter', mode: 'lines', x: [0, 1, 2], y: [0, 1, 0]}])
          .then(() => Plotly.toImage(div, {format: 'png', width: 200, height: 150}))
          .then(png => done([div._fullData[0].type, Plotly.allianceWebGL, png.slice(0, 22)]))
          .catch(e => done(String(e)));""")
    assert drawn == ["scatter", False, "data:image/png;base64,"]
    assert not [u for u in urls(requests_of(browser)) if FULL_PLOTLY in u or "plotly-alliance-gl" in u]
    assert severe_logs(browser) == []


@pytest.fixture(scope="module")
def big_url(tmp_path_factory):
    """A generated dataset with more deals than the map draws in SVG (1,500): one deal per curve
    (`every=1`) draws with WebGL."""
    data = synthetic_dataset(tmp_path_factory.mktemp("big") / "data", companies=200, deals=1600)
    with served({"DATA_DIR": str(data)}, timeout=300) as url:
        yield url


def test_a_big_dataset_loads_the_webgl_bundle_and_its_map_draws_with_webgl(big_url, browser):
    records = weigh(browser, big_url + "/?every=1")
    assert len([u for u in urls(records) if "plotly-alliance-gl.min.js" in u]) == 1
    assert not [u for u in urls(records) if FULL_PLOTLY in u or "plotly-alliance.min.js" in u]
    drawn = browser.execute_script(
        """
        const gd = document.querySelector('#%s .js-plotly-plot');
        return [gd._fullData.filter(t => t.type === 'scattergl').length, !!gd.querySelector('canvas.gl-canvas'),
                window.Plotly.allianceWebGL];"""
        % ids.GRAPH
    )
    assert drawn[0] >= 2 and drawn[1:] == [True, True], drawn  # the edges and the nodes
    # back to one curve per flow and to one deal type: the same bundle draws both, no other is fetched
    weigh(browser, big_url + "/?types=equity")
    assert browser.execute_script("return document.querySelector('#%s .js-plotly-plot').data.length" % ids.GRAPH) > 0
    assert not [u for u in urls(requests_of(browser)) if FULL_PLOTLY in u]
    assert severe_logs(browser) == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_phone_header_folds_into_a_menu(base_url, browser, lang):
    set_viewport(browser, 390, 844)
    weigh(browser, base_url + f"/?lang={lang}")
    toggle = browser.find_element(By.ID, ids.HEADER_MENU)
    toolbar = browser.find_element(By.ID, ids.TOOLBAR)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert toggle.is_displayed() and not toolbar.is_displayed()
    assert toggle.get_attribute("aria-expanded") == "false"
    browser.save_screenshot(str(ARTIFACTS / f"phone-header-{lang}-390x844.png"))
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and toolbar.is_displayed()
    buttons = toolbar.find_elements(By.CSS_SELECTOR, "button, summary")
    assert len(buttons) == 5 and all(b.is_displayed() for b in buttons)
    right = browser.execute_script(
        "return Math.max(...[...arguments[0].querySelectorAll('button, summary')]"
        ".map(b => b.getBoundingClientRect().right));",
        toolbar,
    )
    assert right <= 390
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    browser.save_screenshot(str(ARTIFACTS / f"phone-header-{lang}-open-390x844.png"))
    toolbar.find_element(By.CSS_SELECTOR, "summary").click()  # Stories opens inside the menu, which stays open
    assert toggle.get_attribute("aria-expanded") == "true"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert toggle.get_attribute("aria-expanded") == "false" and not toolbar.is_displayed()
    assert browser.switch_to.active_element.get_attribute("id") == ids.HEADER_MENU  # focus back on the button
    toggle.click()
    browser.find_element(By.ID, ids.GRAPH).click()  # a click elsewhere closes it
    assert toggle.get_attribute("aria-expanded") == "false"


def test_wide_header_shows_its_buttons_without_a_menu(base_url, browser):
    weigh(browser, base_url + "/")
    assert not browser.find_element(By.ID, ids.HEADER_MENU).is_displayed()
    assert browser.find_element(By.ID, ids.TOOLBAR).is_displayed()


CALLBACKS_JS = """
window.__callbacks = [];
const fetch0 = window.fetch;
window.fetch = function (url, options) {
  if (String(url).includes('_dash-update-component')) {
    const body = JSON.parse(options.body);
    window.__callbacks.push({output: body.output, changed: body.changedPropIds});
  }
  return fetch0.apply(this, arguments);
};
"""


def test_a_page_load_asks_the_server_only_what_it_shows(base_url, browser):
    """The link's controls already show the link's values: setting them again would ask the sync
    callback once more; the sections are asked once, when seen, and never in an embed."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CALLBACKS_JS})
    weigh(browser, base_url + "/")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.CYCLES} li"), message="sections never loaded")
    calls = browser.execute_script("return window.__callbacks")
    syncs = [c for c in calls if f".{ids.STATE}.data." in c["output"]]
    set_again = [c for c in syncs if any(p.split(".")[0] in (ids.FOCUS, ids.VIEW, ids.SOURCES) for p in c["changed"])]
    assert set_again == [], set_again
    assert len([c for c in calls if f".{ids.CYCLES}.children." in c["output"]]) == 1, calls
    weigh(browser, base_url + "/?embed=1")
    calls = browser.execute_script("return window.__callbacks")
    assert [c["changed"] for c in calls if f".{ids.STATE}.data." in c["output"]] == [[f"{ids.URL}.search"]], calls
    assert not [c for c in calls if f".{ids.CYCLES}.children." in c["output"]], calls
