"""Share links, back/forward, embedding in another origin's iframe, cycles and the Sankey view."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest
from selenium.webdriver.common.by import By

from components import ids

from .browser import ARTIFACTS, chrome, deals_shown, free_port, served, severe_logs, wait_for, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wiki():
    """A stand-in wiki on another port of 127.0.0.1 that frames whatever URL it is given."""
    port = free_port()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            src = unquote(self.path.split("src=", 1)[-1])
            frame = f'<iframe id="map" src="{src}" width="1200" height="700"></iframe>'
            body = f"<html><body><h1>Wiki</h1>{frame}</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def app_url(wiki):
    ARTIFACTS.mkdir(exist_ok=True)
    with served({"FRAME_ANCESTORS": f"'self' {wiki}"}) as url:
        yield url


@pytest.fixture
def browser():
    driver = chrome()
    yield driver
    driver.quit()


def panel_text(driver):
    return driver.find_element(By.ID, ids.PANEL_BODY).text


def test_share_link_restores_the_same_view_and_back_works(app_url, browser):
    browser.get(app_url + "/")
    wait_ready(browser)
    everything = deals_shown(browser)
    browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='model_distribution']").click()
    wait_for(browser, lambda d: "types=" in d.current_url)
    wait_ready(browser)
    without_distribution = deals_shown(browser)
    handle = browser.find_elements(By.CSS_SELECTOR, f"#{ids.TIMELINE} [role=slider]")[-1]
    handle.click()
    handle.send_keys(*(["\ue012"] * 8))  # arrow left: end the window 8 months earlier
    wait_for(browser, lambda d: "to=" in d.current_url)
    wait_ready(browser)
    browser.find_element(By.CSS_SELECTOR, f"#{ids.CYCLES} button").click()  # the top circular deal
    wait_for(browser, lambda d: "cycle=" in d.current_url)
    wait_ready(browser)
    shown, url, title = deals_shown(browser), browser.current_url, browser.find_element(By.ID, ids.TITLE).text

    other = chrome()
    try:
        other.get(url)
        wait_ready(other)
        wait_for(other, lambda d: deals_shown(d) == shown, message="shared link shows other edges")
        assert other.find_element(By.ID, ids.TITLE).text == title
        assert other.find_element(By.CSS_SELECTOR, f"#{ids.CYCLES} li.selected")
        assert severe_logs(other) == []
    finally:
        other.quit()

    browser.back()  # undo the cycle, then the slider
    browser.back()
    wait_for(browser, lambda d: deals_shown(d) == without_distribution, message="back did not restore")
    browser.back()
    wait_for(browser, lambda d: deals_shown(d) == everything, message="back did not restore the default")
    assert browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='model_distribution']").is_selected()


def test_deal_panel_from_link_and_bad_params_notice(app_url, browser):
    browser.get(app_url + "/?deal=2025-11-18-nvidia-anthropic-equity&types=nonsense,chip_supply&from=garbage")
    wait_ready(browser)
    wait_for(browser, lambda d: "up to $10B" in panel_text(d))
    notice = browser.find_element(By.ID, ids.NOTICE).text
    assert "Ignored unknown types: 'nonsense'" in notice and "from='garbage'" in notice
    assert {name for name, _ in deals_shown(browser)} == {"chip_supply"}
    assert severe_logs(browser) == []


def test_embed_renders_inside_an_allowed_origin(app_url, wiki, browser):
    browser.get(f"{wiki}/?src={app_url}/?embed=1%26types=equity_investment")
    browser.switch_to.frame(browser.find_element(By.ID, "map"))
    wait_ready(browser)
    assert {name for name, _ in deals_shown(browser)} == {"equity_investment"}
    assert not browser.find_element(By.CSS_SELECTOR, "header.header").is_displayed()
    wait_for(
        browser,
        lambda d: d.find_element(By.ID, ids.CONTROLS_WRAP).get_attribute("open") is None,
        message="embed should start with the filters collapsed",
    )
    assert browser.find_element(By.ID, ids.FULL_MAP_LINK).get_attribute("href").endswith("/?types=equity_investment")
    browser.switch_to.default_content()
    browser.save_screenshot(str(ARTIFACTS / "embedded-in-wiki.png"))


def test_embed_is_refused_for_an_origin_not_listed(wiki, browser):
    with served({"FRAME_ANCESTORS": "'self'"}) as strict:
        browser.get(f"{wiki}/?src={strict}/?embed=1")
        refusals: list[str] = []

        def refused(driver) -> bool:  # a positive signal, not a pause followed by "nothing there"
            refusals.extend(e["message"] for e in driver.get_log("browser") if "frame-ancestors" in e["message"])
            return bool(refusals)

        wait_for(browser, refused, message="Chromium never reported refusing the frame (CSP frame-ancestors)")
        assert strict.removeprefix("http://") in refusals[0]
        browser.switch_to.frame(browser.find_element(By.ID, "map"))
        assert browser.find_elements(By.ID, ids.GRAPH) == []


def test_sankey_switch_keeps_filters(app_url, browser):
    browser.get(app_url + "/?types=equity_investment,compute_commitment,chip_supply&to=2025-11")
    wait_ready(browser)
    network_edges = deals_shown(browser)
    browser.find_element(By.CSS_SELECTOR, f"#{ids.VIEW} input[value='sankey']").click()
    wait_for(
        browser,
        lambda d: d.execute_script(
            "const p=document.querySelector('#%s .js-plotly-plot'); return p && p.data[0] && p.data[0].type" % ids.GRAPH
        )
        == "sankey",
    )
    assert "view=sankey" in browser.current_url and "types=" in browser.current_url
    browser.save_screenshot(str(ARTIFACTS / "sankey.png"))
    browser.find_element(By.CSS_SELECTOR, f"#{ids.VIEW} input[value='network']").click()
    wait_for(browser, lambda d: deals_shown(d) == network_edges)
    assert "view=" not in browser.current_url


def test_embed_dialog_offers_picture_snippets(app_url, browser):
    """The Embed dialog: the iframe snippet, then a picture-and-link snippet in each markup; the
    picture it names is the view's preview and loads."""
    import urllib.request

    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1300, 1000)
    browser.get(app_url + "/?from=2025-11&to=2025-11")
    wait_ready(browser)
    browser.find_element(By.ID, ids.EMBED_OPEN).click()
    dialog = browser.find_element(By.ID, ids.EMBED_DIALOG)
    wait_for(browser, lambda d: dialog.is_displayed(), message="the dialog never opened")

    def snippet(element_id):
        return browser.find_element(By.ID, element_id).get_attribute("value") or ""

    wait_for(browser, lambda d: snippet(ids.EMBED_SNIPPET).startswith("<iframe"))
    assert f'src="{app_url}/?from=2025-11&amp;to=2025-11&amp;embed=1"' in snippet(ids.EMBED_SNIPPET)
    html = snippet(ids.PICTURE_SNIPPET)
    assert html.startswith(
        f'<a href="{app_url}/?from=2025-11&amp;to=2025-11"><img src="{app_url}/preview.png?from=2025-11&amp;to=2025-11"'
    )
    expected = {
        "Markdown": "[![Network map of AI deals: Who funds, supplies and hosts whom · Nov 2025]"
        f"({app_url}/preview.png?from=2025-11&to=2025-11)]",
        "MediaWiki": f"[{app_url}/?from=2025-11&to=2025-11 {app_url}/preview.png?from=2025-11&to=2025-11#.png]",
    }
    for label, start in expected.items():
        browser.find_element(By.XPATH, f"//*[@id='{ids.PICTURE_FORMAT}']//label[normalize-space()='{label}']").click()
        WebDriverWait(browser, 20).until(
            lambda d, start=start: snippet(ids.PICTURE_SNIPPET).startswith(start),
            f"{label} snippet never appeared: {snippet(ids.PICTURE_SNIPPET)[:120]}",
        )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", dialog)
    dialog.screenshot(str(ARTIFACTS / "embed-dialog-picture.png"))
    with urllib.request.urlopen(f"{app_url}/preview.png?from=2025-11&to=2025-11", timeout=60) as picture:
        assert picture.status == 200 and picture.headers["Content-Type"] == "image/png"
    assert not severe_logs(browser)
