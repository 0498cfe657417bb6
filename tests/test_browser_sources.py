"""Issue 18 in a real browser: a deal card in Russian with its source tiers and the
"single weak source" mark, and a sources=strong link. Served from a copy of the shipped data in
which one deal has a Russian summary and a weak-source note (the copy lives in a temp folder)."""

from __future__ import annotations

import csv
import json
import shutil
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from alliance.dataset import DEFAULT_DATA_DIR
from components import ids

from .browser import ARTIFACTS, DEALS_IN_VIEW_JS, chrome, served, set_viewport, wait_for, wait_ready

pytestmark = pytest.mark.browser

DEAL = "2025-11-03-openai-amazon-compute"
SUMMARY_RU = (
    "OpenAI подписывает семилетний контракт на 38 млрд $ на работу ИИ-нагрузок в AWS с сотнями тысяч "
    "GPU Nvidia GB200/GB300"
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    with open(folder / "deals.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == DEAL:
            row[header.index("summary_ru")] = SUMMARY_RU
            row[header.index("notes")] += " Single weak source (test copy)."
    with open(folder / "deals.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    ARTIFACTS.mkdir(exist_ok=True)
    with served({"DATA_DIR": str(folder)}) as url:
        yield url


def test_the_deal_card_in_russian_shows_tiers_and_the_weak_source_mark(base_url):
    driver = chrome()
    try:
        set_viewport(driver, 1500, 1000)
        driver.get(f"{base_url}/?deal={DEAL}&lang=ru")
        wait_ready(driver)
        summary = driver.find_element(By.CSS_SELECTOR, ".summary")
        assert summary.text == SUMMARY_RU and summary.get_attribute("lang") == "ru"
        tiers = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".source-tier")]
        assert tiers == ["(другой сайт)", "(другой сайт)"]  # TechSpot and Digitimes: both rated 'other'
        assert driver.find_element(By.CSS_SELECTOR, ".weak-source").text.startswith("Единственный слабый источник")
        driver.save_screenshot(str(ARTIFACTS / "deal-card-ru-tiers.png"))
    finally:
        driver.quit()


def api_count(base_url: str, query: str) -> int:
    with urllib.request.urlopen(f"{base_url}/api/deals{query}", timeout=20) as response:
        return json.load(response)["count"]


def test_the_sources_checkbox_filters_the_map_and_writes_the_link(base_url):
    strong = api_count(base_url, "?from=2025-11&to=2025-11&sources=strong")
    every = api_count(base_url, "?from=2025-11&to=2025-11")
    assert 0 < strong < every
    driver = chrome()
    try:
        set_viewport(driver, 1500, 1000)
        driver.get(f"{base_url}/?from=2025-11&to=2025-11&every=1")  # one arrowhead per deal
        wait_ready(driver)
        summary = driver.find_element(By.ID, ids.SUMMARY)
        assert summary.text.startswith(f"{every} deals")
        driver.find_element(By.CSS_SELECTOR, f"#{ids.SOURCES} input").click()
        wait_for(driver, lambda d: "sources=strong" in d.current_url, message="the link never got sources=strong")
        wait_for(
            driver,
            lambda d: d.find_element(By.ID, ids.SUMMARY).text.startswith((f"{strong} deals ", f"{strong} deal ")),
            message="the summary never counted the strong deals: " + repr(driver.find_element(By.ID, ids.SUMMARY).text),
        )
        wait_ready(driver)
        assert len(driver.execute_script(DEALS_IN_VIEW_JS)) == strong  # the map drew just those
        driver.save_screenshot(str(ARTIFACTS / "sources-strong.png"))
    finally:
        driver.quit()


def test_a_strong_sources_link_keeps_its_filter_in_the_address(base_url):
    driver = chrome()
    try:
        set_viewport(driver, 1500, 1000)
        driver.get(f"{base_url}/?sources=strong&from=2025-11&to=2025-11")
        wait_ready(driver)
        assert "sources=strong" in driver.current_url
        assert driver.find_element(By.CSS_SELECTOR, f"#{ids.SOURCES} input").is_selected()
        driver.get(f"{base_url}/?sources=maybe")
        wait_ready(driver)
        assert "sources=" in driver.find_element(By.TAG_NAME, "body").text  # the notice names what it ignored
    finally:
        driver.quit()
