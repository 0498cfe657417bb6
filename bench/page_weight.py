"""Page weight as Chromium's network stack saw it: bytes on the wire, bytes unpacked, requests.

Read from the performance log (Chrome DevTools Protocol Network events) of a fresh profile:
`Network.loadingFinished.encodedDataLength` is what came over the wire (headers included),
`Network.dataReceived.dataLength` summed per request is the body once unpacked.

    .venv/bin/python bench/page_weight.py [URL_PATH ...]     # serves the app, prints each page's weight
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chrome, served, set_viewport  # noqa: E402

SETTLED_JS = """
const gd = document.querySelector('#network-graph .js-plotly-plot');
return document.readyState === 'complete' && !!(gd && gd.data && gd.data.length)
  && !document.querySelector('[data-dash-is-loading="true"]');
"""


def weighing_chrome():
    """A fresh Chromium profile whose performance log carries the Network events."""
    driver = chrome(performance_log=True)
    set_viewport(driver, 1500, 1000)
    return driver


def requests_of(driver) -> list[dict]:
    """One record per finished request since the log was last read: url, transferred, unpacked."""
    urls, unpacked, done = {}, {}, {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        request_id = params.get("requestId")
        if method == "Network.requestWillBeSent":
            urls[request_id] = params["request"]["url"]
        elif method == "Network.dataReceived":
            unpacked[request_id] = unpacked.get(request_id, 0) + params.get("dataLength", 0)
        elif method == "Network.loadingFinished":
            done[request_id] = params.get("encodedDataLength", 0)
    return [
        {"url": urls.get(rid, "?"), "transferred": done[rid], "unpacked": unpacked.get(rid, 0)}
        for rid in done
        if not urls.get(rid, "").startswith("data:")
    ]


def weigh(driver, url: str, timeout: float = 60.0, quiet: float = 1.5) -> list[dict]:
    """Load url, wait for the painted map and `quiet` seconds without a new request; the requests made."""
    driver.get_log("performance")  # drop what came before
    driver.get(url)
    deadline = time.monotonic() + timeout
    while not driver.execute_script(SETTLED_JS):
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.05)
    records, last = [], time.monotonic()
    while time.monotonic() - last < quiet and time.monotonic() < deadline:
        time.sleep(0.25)
        more = requests_of(driver)
        if more:
            records += more
            last = time.monotonic()
    return records


def totals(records: list[dict]) -> dict:
    return {
        "transferred": sum(r["transferred"] for r in records),
        "unpacked": sum(r["unpacked"] for r in records),
        "requests": len(records),
    }


def describe(name: str, records: list[dict]) -> str:
    total = totals(records)
    return (
        f"{name:<28} {total['transferred'] / 1024:8.1f} KB transferred  {total['unpacked'] / 1024:8.1f} KB unpacked"
        f"  {total['requests']:3d} requests"
    )


def main() -> None:
    paths = sys.argv[1:] or ["/", "/?embed=1"]
    with served() as base:
        for path in paths:
            driver = weighing_chrome()
            try:
                first = weigh(driver, base + path)
                second = weigh(driver, base + path)
            finally:
                driver.quit()
            print(describe(f"{path} first visit", first))
            for r in sorted(first, key=lambda r: -r["transferred"])[:40]:
                size = f"{r['transferred'] / 1024:8.1f} {r['unpacked'] / 1024:8.1f}"
                print(f"    {size}  {r['url'].replace(base, '')[:110]}")
            print(describe(f"{path} second visit", second))


if __name__ == "__main__":
    main()
