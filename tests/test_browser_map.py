"""The map as a reader sees it, measured in Chromium from the plot's own SVG: labels never
collide, the map fills the screen, nodes spread over the plot, the phone shows the map first,
the camera fits or keeps the user's zoom, Play moves month by month, and stories step through."""

from __future__ import annotations

import itertools

import pytest
from selenium.webdriver.common.by import By

from components import ids

from .browser import (
    ARTIFACTS,
    overlapping_pairs,
    set_viewport,
    severe_logs,
    wait_for,
    wait_settled,
    wait_stable,
)

pytestmark = pytest.mark.browser

MEASURE_JS = """
const gd = document.querySelector('#%s .js-plotly-plot');
const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const texts = [...gd.querySelectorAll('.textpoint text, .annotation-text')]
    .filter(t => t.textContent.trim()).map(t => [t.textContent, box(t)]);
const nodeTrace = gd.data.findIndex(t => t.name === 'companies');
const traces = gd.querySelectorAll('.scatterlayer .trace');
const points = [...traces[nodeTrace].querySelectorAll('path.point')].map(box);
const plot = box(gd.querySelector('.nsewdrag'));
const graph = box(document.getElementById('%s'));
return {texts, points, plot, graph, named: gd.data[nodeTrace].text.filter(t => t).length,
        viewport: [window.innerWidth, window.innerHeight]};
""" % (ids.GRAPH, ids.GRAPH)


def spread(points, plot):
    xs = [(p[0] + p[2]) / 2 for p in points]
    ys = [(p[1] + p[3]) / 2 for p in points]
    return (max(xs) - min(xs)) / (plot[2] - plot[0]), (max(ys) - min(ys)) / (plot[3] - plot[1])


def settle(driver):
    wait_settled(driver)


@pytest.mark.parametrize("query, min_named", [("/", 30), ("/?from=2025-11&to=2025-11", 13)])
def test_labels_never_collide_and_the_map_fills_the_screen(base_url, browser, query, min_named):
    browser.get(base_url + query)
    settle(browser)
    m = browser.execute_script(MEASURE_JS)
    name = "default" if query == "/" else "nov-2025"
    browser.save_screenshot(str(ARTIFACTS / f"map-{name}-1500x1000.png"))
    assert overlapping_pairs(m["texts"]) == []
    assert m["named"] >= min_named
    assert (m["graph"][3] - m["graph"][1]) >= 0.7 * m["viewport"][1]
    width_share, height_share = spread(m["points"], m["plot"])
    assert width_share >= 0.7 and height_share >= 0.7, (width_share, height_share)
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#%s .dash-slider-mark')].map(e => {"
        " const r = e.getBoundingClientRect(); return [e.textContent, [r.left, r.top, r.right, r.bottom]]; });"
        % ids.TIMELINE
    )
    assert len(marks) >= 3 and overlapping_pairs(marks) == []  # the timeline's year ticks never collide
    assert severe_logs(browser) == []


def test_phone_shows_the_map_in_the_top_half(base_url, browser):
    set_viewport(browser, 390, 844)
    browser.get(base_url + "/")
    settle(browser)
    m = browser.execute_script(MEASURE_JS)
    browser.save_screenshot(str(ARTIFACTS / "map-phone-390x844.png"))
    assert m["graph"][1] < 844 / 2
    assert (m["graph"][3] - m["graph"][1]) >= 844 / 2
    assert (m["graph"][2] - m["graph"][0]) >= 0.95 * 390 - 20
    assert overlapping_pairs(m["texts"]) == []
    # The filters open from their button, over the map.
    drawer = browser.find_element(By.ID, ids.CONTROLS_WRAP)
    assert drawer.get_attribute("open") is None
    browser.find_element(By.ID, ids.CONTROLS_TOGGLE).click()
    wait_for(browser, lambda d: d.find_element(By.ID, ids.TYPES).is_displayed())


RANGE_JS = (
    "const l = document.querySelector('#%s .js-plotly-plot').layout; return [l.xaxis.range, l.yaxis.range];" % ids.GRAPH
)


def test_camera_fits_the_view_unless_the_user_moved_it(base_url, browser):
    browser.get(base_url + "/")
    settle(browser)
    full_x, _ = browser.execute_script(RANGE_JS)
    browser.get(base_url + "/?from=2025-11&to=2025-11")
    settle(browser)
    nov_x, _ = browser.execute_script(RANGE_JS)
    assert nov_x != full_x  # fitted to the 14 companies of the month
    # The reader pans: that camera survives a filter change.
    browser.execute_script(
        "Plotly.relayout(document.querySelector('#%s .js-plotly-plot'),"
        " {'xaxis.range': [0.1, 0.6], 'yaxis.range': [0.2, 0.7]});" % ids.GRAPH
    )
    wait_stable(browser)  # app.js has recorded the reader's camera
    browser.find_element(By.CSS_SELECTOR, f"#{ids.TYPES} input[value='model_distribution']").click()
    wait_for(browser, lambda d: "types=" in d.current_url)
    settle(browser)
    x, y = browser.execute_script(RANGE_JS)
    assert [round(v, 3) for v in x] == [0.1, 0.6] and [round(v, 3) for v in y] == [0.2, 0.7]


def test_an_open_deal_is_emphasised_on_the_map(base_url, browser):
    browser.get(base_url + "/?from=2025-11&to=2025-11&deal=2025-11-18-anthropic-microsoft-compute")
    settle(browser)
    colors = browser.execute_script(
        "return document.querySelector('#%s .js-plotly-plot').data.find(t => t.name === 'deals').marker.color;"
        % ids.GRAPH
    )
    bright = [c for c in colors if c.endswith(",0.95)")]
    assert len(bright) == 1 and len(colors) > 5
    assert "Microsoft" in browser.find_element(By.ID, ids.PANEL_BODY).text
    m = browser.execute_script(MEASURE_JS)
    panel = browser.find_element(By.ID, ids.PANEL).rect
    # No company sits under the panel: the camera keeps them left of it.
    assert all(p[2] <= panel["x"] + 2 for p in m["points"])


PLAY_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
window.__frames = [];
gd.on('plotly_afterplot', () => window.__frames.push([performance.now(), gd.layout.meta && gd.layout.meta.slider]));
"""
    % ids.GRAPH
)


def months_drawn(driver) -> list[tuple[float, int]]:
    """(time in ms, slider end) of each drawn frame whose month differs from the one before."""
    months = []
    for stamp, slider in driver.execute_script("return window.__frames;"):
        if slider and (not months or months[-1][1] != slider[1]):
            months.append((stamp, slider[1]))
    return months


def play_twelve_months(driver, base_url: str) -> list[tuple[float, int]]:
    """Press Play, wait until twelve months have been drawn (not a fixed time), press it again."""
    driver.get(base_url + "/")
    settle(driver)
    driver.execute_script(PLAY_JS)
    driver.find_element(By.ID, ids.PLAY).click()
    wait_for(driver, lambda d: len(months_drawn(d)) >= 12, timeout=30, message="Play drew fewer than 12 months")
    driver.find_element(By.ID, ids.PLAY).click()
    wait_for(driver, lambda d: "to=" in d.current_url, message="the URL is written once the animation stops")
    return months_drawn(driver)


def test_play_moves_month_by_month_without_skipping(base_url, browser):
    months = play_twelve_months(browser, base_url)
    steps = [b[1] - a[1] for a, b in itertools.pairwise(months)]
    assert len(months) >= 12 and set(steps) == {1}, months


@pytest.mark.timing
def test_play_moves_at_least_five_months_a_second(base_url, browser):
    months = play_twelve_months(browser, base_url)
    rate = (len(months) - 1) / ((months[-1][0] - months[0][0]) / 1000)
    assert rate >= 5, rate


def test_stories_step_through_with_previous_and_next(base_url, browser):
    browser.get(base_url + "/")
    settle(browser)
    browser.find_element(By.CSS_SELECTOR, f"#{ids.STORIES_MENU} summary").click()
    browser.find_elements(By.CSS_SELECTOR, f"#{ids.STORIES_MENU} a")[0].click()
    wait_for(browser, lambda d: d.find_element(By.ID, ids.STORY_BAR).is_displayed())
    bar = browser.find_element(By.ID, ids.STORY_BAR)
    assert "Story 1 of 6" in bar.text and "Microsoft" in bar.text
    assert "Nov 2025" in browser.find_element(By.ID, ids.TITLE).text
    browser.find_element(By.ID, ids.STORY_NEXT).click()
    wait_for(browser, lambda d: "story=openai-compute-2025" in d.current_url)
    wait_for(browser, lambda d: "Story 2 of 6" in d.find_element(By.ID, ids.STORY_BAR).text)
    settle(browser)
    browser.save_screenshot(str(ARTIFACTS / "story-2.png"))
    browser.find_element(By.ID, ids.STORY_PREV).click()
    wait_for(browser, lambda d: "Story 1 of 6" in d.find_element(By.ID, ids.STORY_BAR).text)
    # Inside an embed the story and its navigation stay readable, and keep the embed.
    browser.get(base_url + "/?types=compute_commitment&from=2025-01&story=neocloud-boom&embed=1")
    settle(browser)
    bar = browser.find_element(By.ID, ids.STORY_BAR)
    assert bar.is_displayed() and "neocloud" in bar.text.lower()
    assert "embed=1" in browser.find_element(By.ID, ids.STORY_NEXT).get_attribute("href")
    assert severe_logs(browser) == []
