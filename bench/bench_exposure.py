"""Benchmark GET /api/exposure?fail=openai on the shipped data, over HTTP, under gunicorn.

    .venv/bin/python bench/bench_exposure.py [--requests 200] [--browser 12]

Serves the app as scripts/run.sh does (gunicorn.conf.py, 2 workers, 127.0.0.1, a free port) and
times, one request at a time from one client:
- warm: the same link repeated (the atlas memoizes a view's ledger and stress test per worker);
- cold: a new view on every request (fail=openai, or openai~oracle, with a different `to` month),
  so every answer filters the deals, builds the ledger and runs the stress test afresh;
- in process, the stress test alone (ledger built once) and ledger + stress test, for fail=openai.
With --browser N, also in headless Chromium (1500x1000): N changes of the failing company
(set on the drawer's control, as a click would, from no failing company), each timed from the
change to the first painted map with red (lost) flows, against N changes of the minimum amount
(a filter the browser redraws alone) timed to their repaint.
Prints median, p95 and max in ms. Numbers, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.atlas import load_atlas  # noqa: E402
from alliance.exposure import stress_test  # noqa: E402
from alliance.ledger import build_ledger  # noqa: E402
from tests.browser import served  # noqa: E402


def stats(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return (
        f"{label:<44} n={len(samples):>4}  median {statistics.median(ordered):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
    )


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - start) * 1000


FAIL_JS = """
const [company, done] = [arguments[0], arguments[arguments.length - 1]];
const gd = document.querySelector('#network-graph .js-plotly-plot');
const isRed = () => (gd.layout.shapes || []).some(s => String(s.line.color).startsWith('rgba(214,39,40,'));
window.dash_clientside.set_props('filter-fail', {value: []});
(function clear() {
  if (isRed()) { setTimeout(clear, 5); return; }
  setTimeout(() => {
    const start = performance.now();
    window.dash_clientside.set_props('filter-fail', {value: [company]});
    (function poll() {
      if (isRed()) { requestAnimationFrame(() => done(performance.now() - start)); }
      else if (performance.now() - start > 15000) { done(null); } else { setTimeout(poll, 2); }
    })();
  }, 400);
})();
"""

AMOUNT_JS = """
const [amount, done] = [arguments[0], arguments[arguments.length - 1]];
const gd = document.querySelector('#network-graph .js-plotly-plot');
const before = gd.layout.meta && gd.layout.meta.edges;
const start = performance.now();
gd.once('plotly_afterplot', () => requestAnimationFrame(() => done(performance.now() - start)));
window.dash_clientside.set_props('filter-min-amount', {value: amount});
"""


def browser_runs(base: str, n: int) -> tuple[list[float], list[float]]:
    from tests.browser import chrome, set_viewport
    from tests.test_browser import wait_ready

    driver = chrome()
    try:
        set_viewport(driver, 1500, 1000)
        driver.set_script_timeout(30)
        driver.get(base + "/")
        wait_ready(driver)
        time.sleep(1)
        companies = ["openai", "oracle", "microsoft", "anthropic", "meta", "amazon"]  # each owes unpaid money
        driver.execute_async_script(FAIL_JS, "xai")  # warm-up: the first scenario of a page load
        fails, amounts = [], []
        for k in range(n):
            took = driver.execute_async_script(FAIL_JS, companies[k % len(companies)])
            if took is not None:
                fails.append(took)
            time.sleep(0.3)
        driver.get(base + "/")
        wait_ready(driver)
        time.sleep(1)
        for k in range(n):
            amounts.append(driver.execute_async_script(AMOUNT_JS, [1e9, 0][k % 2]))
            time.sleep(0.3)
        return fails, amounts
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--browser", type=int, default=0, help="browser changes to time (0: none)")
    args = parser.parse_args()

    atlas = load_atlas()
    state, _ = atlas.parse("?fail=openai")
    deals = atlas.deals_in_view(state)
    ledger = build_ledger(deals, atlas.dataset)
    alone = []
    both = []
    for _ in range(args.requests):
        start = time.perf_counter()
        stress_test(ledger, ("openai",))
        alone.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        stress_test(build_ledger(deals, atlas.dataset), ("openai",))
        both.append((time.perf_counter() - start) * 1000)

    months = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13) if f"{y}-{m:02d}" <= "2026-06"]
    cold_queries = [f"?fail={fail}&to={month}" for fail in ("openai", "openai~oracle") for month in months]
    with served() as base:
        for _ in range(5):  # both workers load their data and memos once
            timed_get(base + "/api/exposure?fail=openai")
        warm = [timed_get(base + "/api/exposure?fail=openai") for _ in range(args.requests)]
        cold = [timed_get(base + "/api/exposure" + q) for q in cold_queries]
        fails, amounts = browser_runs(base, args.browser) if args.browser else ([], [])
    print(stats("HTTP /api/exposure?fail=openai (warm)", warm))
    print(stats("HTTP /api/exposure, a new view each time (cold)", cold))
    print(stats("in process: stress test alone", alone))
    print(stats("in process: ledger + stress test", both))
    if fails:
        print(stats("browser: failing company changed -> red map", fails))
        print(stats("browser: minimum amount changed -> repaint", amounts))


if __name__ == "__main__":
    main()
