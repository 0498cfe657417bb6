"""Gates (components/gates.py, assets/gates.js): the callbacks that follow the view state ask the
server only when what they show can change. Unit checks of the wiring and of the assumption each
gate rests on (what a callback does not read cannot change its answer), and a browser session
counting the requests a reader's filter changes cost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plotly.utils import PlotlyJSONEncoder

from components import flowviews, gates, ids, stories
from components.clientconfig import client_config
from components.factory import create_app

ROOT = Path(__file__).resolve().parent.parent
GATES_JS = (ROOT / "assets" / "gates.js").read_text()


def js_list(name: str) -> str:
    match = re.search(rf"var {name} = ([^;]*);", GATES_JS)
    assert match, name
    return match.group(1)


@pytest.fixture(scope="module")
def dependencies(shipped_atlas):
    app = create_app(atlas=shipped_atlas)
    with app.server.test_request_context():
        return app._callback_list  # what /_dash-dependencies serves


def callback_for(dependencies, output_id: str) -> dict:
    found = [c for c in dependencies if f"{output_id}." in c["output"]]
    assert len(found) == 1, output_id
    return found[0]


@pytest.mark.parametrize(
    "output_id, gate",
    [
        (ids.PANEL_BODY, ids.PANEL_KEY),
        (ids.STORY_BAR, ids.STORY_KEY),
        (ids.EMBED_SNIPPET, ids.LINKS_KEY),
        (ids.PICTURE_SNIPPET, ids.LINKS_KEY),
        (ids.CYCLES, ids.SECTIONS_KEY),
    ],
)
def test_state_followers_listen_to_their_gate(dependencies, output_id, gate):
    callback = callback_for(dependencies, output_id)
    inputs = [i["id"] for i in callback["inputs"]]
    assert ids.STATE not in inputs and gate in inputs
    assert callback["prevent_initial_call"] is True  # the page's first paint asks nothing of them
    writer = callback_for(dependencies, gate)
    assert writer.get("clientside_function", {}).get("namespace") == "allianceGates"
    assert [i["id"] for i in writer["inputs"]][0] == ids.STATE


def test_gate_parameter_lists_come_from_python():
    """gates.js types no parameter list: it reads components/gates.py's from the page's config."""
    assert js_list("SECTIONS_IGNORE") == "CONFIG.gates.sections_ignore"
    assert js_list("STORY_KEEP") == "CONFIG.gates.story_keep"
    assert client_config("en")["gates"] == {"sections_ignore": gates.SECTIONS_IGNORE, "story_keep": gates.STORY_KEEP}


def as_json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def drop(query: str, names) -> str:
    return "&".join(p for p in query.lstrip("?").split("&") if p and p.split("=")[0] not in names)


def keep(query: str, names) -> str:
    return "&".join(p for p in query.lstrip("?").split("&") if p and p.split("=")[0] in names)


@pytest.mark.parametrize(
    "query",
    [
        "to=2025-11&cycle=anthropic~microsoft&company=nvidia&view=sankey&every=1&lang=ru",
        "from=2025-11&to=2025-11&deal=d001&embed=1&scroll=1&theme=dark&lang=ru",
        "types=chip_supply&story=circular&company=openai",
    ],
)
def test_sections_do_not_read_what_their_gate_drops(shipped_atlas, query):
    """The sections' answer for the full query and for the gate's key are the same."""
    kept = drop(query, gates.SECTIONS_IGNORE)
    assert "company=" not in kept and "view=" not in kept and "theme=" not in kept
    full, gated = flowviews.render_sections(shipped_atlas, query), flowviews.render_sections(shipped_atlas, kept)
    assert as_json(full) == as_json(gated)
    assert len(gated[3]) > 0  # the table has rows: the comparison is not of two empty views


def test_story_bar_reads_only_what_its_gate_keeps(shipped_atlas):
    story = shipped_atlas.stories[1]
    query = f"from=2025-01&types=compute_commitment&company=openai&story={story.id}&embed=1&lang=ru&theme=dark"
    key = keep(query, gates.STORY_KEEP)
    assert key == f"story={story.id}&embed=1&lang=ru&theme=dark"
    full, gated = stories.story_bar(shipped_atlas, query), stories.story_bar(shipped_atlas, key)
    assert gated[1] is False and as_json(full) == as_json(gated)


# --- in the browser ------------------------------------------------------------------------------

CALLBACK_OUTPUTS_JS = """
window.__outputs = window.__outputs || [];
if (!window.__wrapped) {
  window.__wrapped = true;
  const send = XMLHttpRequest.prototype.send, fetch0 = window.fetch;
  window.fetch = function (url, init) {
    if (String(url).includes('_dash-update-component') && init && init.body) {
      try { window.__outputs.push(JSON.parse(init.body).output); } catch (e) {}
    }
    return fetch0.apply(this, arguments);
  };
}
"""


@pytest.mark.browser
def test_a_filter_change_asks_only_what_changed(shipped_atlas, base_url, browser):
    from selenium.webdriver.common.by import By

    from .browser import wait_for, wait_ready

    base, driver = base_url, browser
    driver.get(base + "/")
    wait_ready(driver)
    wait_for(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.CYCLES} button, #{ids.CYCLES} li"),
        message="the sections never rendered",
    )
    driver.execute_script(CALLBACK_OUTPUTS_JS)
    box = driver.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='equity_investment']")
    box.click()
    wait_for(
        driver,
        lambda d: any(ids.CYCLES in o for o in d.execute_script("return window.__outputs")),
        message="the sections did not follow the filter",
    )
    wait_ready(driver)
    outputs = driver.execute_script("return window.__outputs")
    # the sync callback and the sections; the closed panel, the absent story and the
    # closed embed dialog ask nothing
    assert not [
        o
        for o in outputs
        if ids.PANEL_BODY in o or ids.STORY_BAR in o or ids.EMBED_SNIPPET in o or ids.PICTURE_SNIPPET in o
    ], outputs
    assert len([o for o in outputs if ids.CYCLES in o]) == 1, outputs

    # a link that opens a company panel and a story still gets both
    story = shipped_atlas.stories[0]
    driver.get(base + f"/?company=nvidia&story={story.id}")
    wait_ready(driver)
    wait_for(driver, lambda d: d.find_element(By.ID, ids.PANEL).is_displayed(), message="panel stayed closed")
    wait_for(driver, lambda d: story.title in d.find_element(By.ID, ids.STORY_BAR).text, message="no story bar")
    assert "Nvidia" in driver.find_element(By.ID, ids.PANEL_BODY).text
    driver.find_element(By.ID, ids.PANEL_CLOSE).click()
    wait_for(driver, lambda d: not d.find_element(By.ID, ids.PANEL).is_displayed(), message="panel did not close")

    # the embed dialog's snippet names the current view when opened
    driver.get(base + "/?from=2025-11&to=2025-11")
    wait_ready(driver)
    driver.find_element(By.ID, ids.EMBED_OPEN).click()
    wait_for(
        driver,
        lambda d: "from=2025-11" in (d.find_element(By.ID, ids.EMBED_SNIPPET).get_attribute("value") or ""),
        message="the embed snippet did not follow the view",
    )

    # an embed's "open full map" link follows the view without any dialog
    driver.get(base + "/?embed=1&types=chip_supply")
    wait_ready(driver)
    wait_for(
        driver,
        lambda d: "types=chip_supply" in (d.find_element(By.ID, ids.FULL_MAP_LINK).get_attribute("href") or ""),
        message="the full map link did not follow the view",
    )
    assert "embed" not in driver.find_element(By.ID, ids.FULL_MAP_LINK).get_attribute("href")


@pytest.mark.browser
def test_links_that_appear_ask_nothing_and_a_click_on_one_opens_it(base_url, browser):
    """The sections' cycle buttons and a panel's deal links are drawn without a sync request (they
    relay a real click through the PICK store); clicking a panel's deal link opens that deal."""
    from selenium.webdriver.common.by import By

    from .browser import wait_for, wait_ready

    driver = browser
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CALLBACK_OUTPUTS_JS})
    try:
        driver.get(base_url + "/?company=nvidia")
        wait_ready(driver)
        wait_for(
            driver,
            lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.CYCLES} button"),
            message="the sections' cycle buttons never rendered",
        )
        links = f"#{ids.PANEL_BODY} [id*='{ids.OPEN_DEAL}']"
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, links), message="no deal link in the panel")
        wait_ready(driver)
        syncs = [o for o in driver.execute_script("return window.__outputs") if f"{ids.STATE}.data" in o]
        assert len(syncs) == 1, syncs  # the link's own state; neither the buttons nor the panel asked again
        link = driver.find_elements(By.CSS_SELECTOR, links)[0]
        deal = json.loads(link.get_attribute("id"))["id"]
        link.click()
        wait_for(driver, lambda d: f"deal={deal}" in d.current_url, message="the panel's deal link opened nothing")
        wait_ready(driver)
        syncs = [o for o in driver.execute_script("return window.__outputs") if f"{ids.STATE}.data" in o]
        assert len(syncs) == 2, syncs
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
