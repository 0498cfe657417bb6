"""Helpers for real-browser tests: serve the app with gunicorn on 127.0.0.1, drive Debian's Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from components import ids

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--enable-unsafe-swiftshader",  # software WebGL: the map draws big views with scattergl
    "--window-size=1500,1000",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(env: dict | None = None, timeout: float = 60.0, app: str = "app:server"):
    """Run `gunicorn app:server` exactly as scripts/run.sh does, on a free port; yield its base URL."""
    port = free_port()
    full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2", **(env or {})}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = open(ARTIFACTS / f"gunicorn-{port}.log", "w") if ARTIFACTS.exists() else subprocess.DEVNULL
    process = subprocess.Popen(
        [gunicorn, app, "--config", "gunicorn.conf.py"], cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + ("/healthz" if app == "app:server" else "/"), timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start on {base} (exit {process.poll()})") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def chrome(accept_language: str | None = None, performance_log: bool = False):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", **({"performance": "ALL"} if performance_log else {})}
    )
    if accept_language:  # the Accept-Language header the page request carries
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def set_viewport(driver, width: int, height: int) -> None:
    """Exact page viewport (a window's frame would eat part of it); phone-like when narrow."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width <= 600},
    )


DEALS_IN_VIEW_JS = (
    """
const plot = document.querySelector('#%s .js-plotly-plot');
const data = (plot && plot.data) || [];
return data.filter(t => t.name === 'deals')
           .flatMap(t => t.customdata.map(c => [c[2], c[0] + ':' + c[1]]));
"""
    % ids.GRAPH
)


def wait_for(driver, predicate, timeout=20, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: predicate(d), message)


def wait_ready(driver):
    """Plot drawn and callbacks settled (Dash marks pending callbacks with data-dash-is-loading)."""
    wait_for(
        driver,
        lambda d: d.execute_script(DEALS_IN_VIEW_JS)
        or d.find_elements(By.XPATH, "//*[contains(text(), 'No deals match') or contains(text(), 'Нет сделок')]"),
        message="plot never drew",
    )
    wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))


def severe_logs(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]


def deals_shown(driver):
    return driver.execute_script(DEALS_IN_VIEW_JS)


def overlapping_pairs(texts):
    pairs = []
    for i, (a, ra) in enumerate(texts):
        for b, rb in texts[i + 1 :]:
            if ra[0] < rb[2] and rb[0] < ra[2] and ra[1] < rb[3] and rb[1] < ra[3]:
                pairs.append((a, b))
    return pairs


# Everything that can still change once Dash is idle: the map redraws on its own (app.js sizes the
# graph and fits the camera; map.js places labels), AG Grid renders rows, lazy scripts arrive.
SNAPSHOT_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
const layout = (gd && gd.layout) || {};
return [
    document.querySelectorAll("[data-dash-is-loading='true']").length,
    gd && gd.data ? gd.data.length : -1,
    (layout.xaxis || {}).range || null, (layout.yaxis || {}).range || null,
    (layout.annotations || []).length, layout.width || null, layout.height || null,
    performance.getEntriesByName('alliance:draw').length,
    performance.getEntriesByType('resource').length,
    document.querySelectorAll('.ag-row').length,
    document.body.scrollHeight,
];
"""
    % ids.GRAPH
)


def wait_stable(driver, js: str = SNAPSHOT_JS, quiet: float = 0.3, timeout: float = 20.0):
    """Wait until `js`'s value has not changed for `quiet` seconds (a condition, not a fixed sleep:
    it returns as soon as the page is still, and fails if it never settles within `timeout`)."""
    deadline = time.monotonic() + timeout
    last, since = object(), time.monotonic()
    while True:
        now = json.dumps(driver.execute_script(js))
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the page did not settle within {timeout} s: {now[:300]}")
        time.sleep(0.05)


def wait_settled(driver):
    """The plot drawn, Dash idle, and the page still (no redraw, relayout or request in flight)."""
    wait_ready(driver)
    wait_stable(driver)


def reset(driver, width: int = 1500, height: int = 1000) -> None:
    """Between tests on a shared Chromium: leave the page (its storage cleared first), drop cookies,
    media emulation and the console log, and put the viewport back to width × height."""
    if driver.current_url.startswith("http"):
        driver.execute_script("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}")
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    set_viewport(driver, width, height)
    driver.get_log("browser")  # reading the log empties it: each test sees its own messages only


class SharedChromium:
    """One headless Chromium for the whole session, reset before each test; replaced if it died."""

    def __init__(self):
        self.driver = None

    def get(self):
        if self.driver is not None:
            try:
                reset(self.driver)
                return self.driver
            except Exception:  # a crashed or wedged browser: start a fresh one
                self.close()
        self.driver = chrome()
        reset(self.driver)
        return self.driver

    def close(self) -> None:
        if self.driver is not None:
            try:
                self.driver.quit()
            finally:
                self.driver = None
