"""Browser benchmark: page weight, first map paint, and a control change -> the map repainted,
in headless Chromium, for the page, an embed (?embed=1), and plotly's naive network recipe
(bench/naive_app.py) served the same way, in the same run.

    .venv/bin/python bench/bench_browser.py [--sizes shipped,1k,10k] [--repeat 3]

Page weight (bench/page_weight.py): a fresh Chromium profile per page, bytes on the wire and
unpacked and the request count from the DevTools Network events, until the map is painted and
the network has been quiet for 1.5 s; then the same page again in the same profile (a second
visit). The server is warmed first (one page load, then 8 s for its brotli bodies), as a server
that has been up a while is.

The servers (ours and the naive recipe's) stay up side by side, and the runs alternate in
rounds: ours, the embed, naive, then again (`--repeat` rounds; the naive recipe once at 1k/5k,
where a change takes seconds), so that a shared machine's drifting load falls on all alike; the
1-minute load average is printed with each size.

Each run loads the page (first render: navigation -> the first painted map, i.e. the first
`plotly_afterplot` with data plus one frame), then makes 14
cumulative changes of deal types and timeline (the same for both apps) and times each one from
the change to the next `plotly_afterplot` plus one animation frame. It also reports the time of
the callback requests as the browser saw them. Prints median and p95 per app and their ratio;
numbers, not assertions: the machine is shared and noisy. Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from page_weight import totals, weigh, weighing_chrome  # noqa: E402
from synthetic import synthetic_dataset  # noqa: E402

from alliance.dataset import DEFAULT_DATA_DIR, load_dataset  # noqa: E402
from alliance.schema import DEAL_TYPES  # noqa: E402
from alliance.timeline import months_between  # noqa: E402
from tests.browser import chrome, served, set_viewport  # noqa: E402

GRAPH = "network-graph"
SIZES = {"shipped": None, "1k": (1000, 5000), "10k": (10000, 50000)}

INSTALL_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
window.__painted = [];
gd.on('plotly_afterplot', () => requestAnimationFrame(() => window.__painted.push(performance.now())));
"""
    % GRAPH
)

# Injected before each page's own scripts: the time (since navigation) of the first painted map.
FIRST_PAINT_JS = (
    """
window.__firstPaint = null;
(function poll() {
  const gd = document.querySelector('#%s .js-plotly-plot');
  if (gd && gd.on) {
    gd.on('plotly_afterplot', () => {
      if (window.__firstPaint === null && gd.data && gd.data.length) {
        requestAnimationFrame(() => { if (window.__firstPaint === null) { window.__firstPaint = performance.now(); } });
      }
    });
    return;
  }
  requestAnimationFrame(poll);
})();
"""
    % GRAPH
)

READY_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
return !!(gd && gd.data && gd.data.length) && !document.querySelector('[data-dash-is-loading="true"]');
"""
    % GRAPH
)


def changes(months: int) -> list[tuple[str, object]]:
    """14 cumulative changes: ("type", key) toggles a deal type, ("window", [lo, hi]) moves the
    slider, ("types", [keys]) sets the deal types at once. The last two go to one deal type and
    back to all, across the 1,500-edge WebGL threshold at 1k/5k (about 500 edges, then 4,900)."""
    last = months - 1
    return [
        ("type", "model_distribution"),
        ("window", [0, last - 6]),
        ("type", "restructuring"),
        ("window", [12, last - 6]),
        ("type", "debt_financing"),
        ("window", [24, last - 12]),
        ("type", "model_distribution"),
        ("window", [24, last]),
        ("type", "acquisition"),
        ("window", [0, last]),
        ("type", "restructuring"),
        ("type", "debt_financing"),
        ("types", ["compute_commitment"]),
        ("types", list(DEAL_TYPES)),
    ]


def wait(driver, script, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return True
        time.sleep(0.02)
    raise TimeoutError(script[:60])


def settle(driver, timeout):
    wait(driver, READY_JS, timeout)
    time.sleep(0.25)
    wait(driver, READY_JS, timeout)


def page_weights(base: str, path: str, timeout: float) -> dict:
    """First and second visit of base+path in one fresh profile: totals of each."""
    driver = weighing_chrome()
    try:
        first = weigh(driver, base + path, timeout)
        second = weigh(driver, base + path, timeout)
    finally:
        driver.quit()
    return {"first": totals(first), "second": totals(second)}


def warm(base: str, timeout: float) -> None:
    """One page load (the server's memos, Dash's script list), then until both workers send the
    plotly.js bundle's best brotli body (quality 11, computed once per process in the background;
    until then a quick one, whose ETag ends in "-br-quick")."""
    driver = weighing_chrome()
    try:
        records = weigh(driver, base + "/", timeout)
    finally:
        driver.quit()
    bundle = next(r["url"] for r in records if "plotly-alliance" in r["url"])
    deadline, in_a_row = time.monotonic() + 120, 0
    while in_a_row < 6 and time.monotonic() < deadline:
        request = urllib.request.Request(bundle, headers={"Accept-Encoding": "br, gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            best = response.headers.get("Content-Encoding") == "br" and "quick" not in response.headers.get("ETag", "")
            in_a_row = in_a_row + 1 if best else 0
        time.sleep(0.5)
    time.sleep(4)  # Dash's own scripts, compressed after their first request


def weight_line(name: str, weight: dict) -> str:
    first, second = weight["first"], weight["second"]
    return (
        f"   {name:<6} weight: first visit {first['transferred'] / 1024:7.1f} KB transferred, "
        f"{first['unpacked'] / 1024:7.1f} KB unpacked, {first['requests']} requests; "
        f"second visit {second['transferred'] / 1024:6.1f} KB, {second['requests']} requests"
    )


def run_app(base: str, months: int, repeat: int, timeout: float, path: str = "/") -> dict:
    driver = chrome()
    set_viewport(driver, 1500, 1000)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_PAINT_JS})
    times, firsts, requests = [], [], []
    try:
        for _ in range(repeat):
            driver.get(base + path)
            wait(driver, READY_JS, timeout)
            wait(driver, "return window.__firstPaint !== null;", timeout)
            firsts.append(driver.execute_script("return window.__firstPaint;"))
            settle(driver, timeout)
            driver.execute_script(INSTALL_JS + "performance.clearResourceTimings();")
            for kind, value in changes(months):
                before = driver.execute_script("return window.__painted.length;")
                start = driver.execute_script(
                    "const t = performance.now();"
                    + {
                        "type": "document.querySelector(`#filter-types input[value='${arguments[1]}']`).click();",
                        "types": "window.dash_clientside.set_props('filter-types', {value: arguments[1]});",
                        "window": "window.dash_clientside.set_props('timeline', {value: arguments[1]});",
                    }[kind]
                    + "return t;",
                    kind,
                    value,
                )
                wait(driver, f"return window.__painted.length > {before};", timeout)
                painted = driver.execute_script(f"return window.__painted[{before}];")
                times.append(painted - start)
                settle(driver, timeout)
            requests += driver.execute_script(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component'))"
                ".map(e => e.duration);"
            )
    finally:
        driver.quit()
    return {"changes_ms": times, "first_render_ms": firsts, "requests_ms": requests}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="shipped,1k,10k")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds (one page load + 14 changes each)")
    parser.add_argument(
        "--baseline-max-deals",
        type=int,
        default=6000,
        help="skip the naive recipe above this many deals (minutes per change)",
    )
    args = parser.parse_args()
    results = {}
    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    try:
        for size in args.sizes.split(","):
            env = {"CACHE_DIR": str(work / "cache"), "WEB_CONCURRENCY": "2"}
            if SIZES[size]:
                companies, deals = SIZES[size]
                env["DATA_DIR"] = str(synthetic_dataset(work / size, companies, deals))
            timeout = 60.0 if size != "10k" else 300.0
            dataset = load_dataset(env.get("DATA_DIR", DEFAULT_DATA_DIR))
            months = len(months_between(dataset.deals["date"].min().date(), dataset.deals["date"].max().date()))
            row = {}
            started = time.perf_counter()
            with served(env, timeout=900):
                pass  # first start: computes and caches the positions
            row["first_start_s"] = time.perf_counter() - started
            baseline_ok = not SIZES[size] or SIZES[size][1] <= args.baseline_max_deals
            started = time.perf_counter()
            with contextlib.ExitStack() as servers:
                base = servers.enter_context(served(env, timeout=900))
                row["second_start_s"] = time.perf_counter() - started
                naive_base = (
                    servers.enter_context(served(env, timeout=900, app="bench.naive_app:server"))
                    if baseline_ok
                    else None
                )
                warm(base, timeout)
                row["weight"] = page_weights(base, "/", timeout)
                row["embed_weight"] = page_weights(base, "/?embed=1", timeout)
                if naive_base:
                    row["naive_weight"] = page_weights(naive_base, "/", timeout * 5)
                # Rounds alternate ours, embed and naive (one page load and 14 changes each), all
                # servers up, so that the machine's drifting load falls on all three alike.
                runs = {"ours": (base, "/"), "embed": (base, "/?embed=1")}
                if naive_base:
                    runs["naive"] = (naive_base, "/")
                naive_rounds = 1 if SIZES[size] else args.repeat  # minutes per change at 1k
                row["load_average"] = [os.getloadavg()[0]]
                for round_ in range(args.repeat):
                    for name, (url, path) in runs.items():
                        if name == "naive" and round_ >= naive_rounds:
                            continue
                        run = run_app(url, months, 1, timeout * (5 if name == "naive" else 1), path)
                        for key, values in run.items():
                            row.setdefault(name, {}).setdefault(key, []).extend(values)
                    row["load_average"].append(os.getloadavg()[0])
            results[size] = row
            print(
                f"== {size}: start {row['first_start_s']:.1f} s first, "
                f"{row['second_start_s']:.1f} s with cached positions;"
                f" load average (1 min) {min(row['load_average']):.1f}-{max(row['load_average']):.1f}"
                f" over {args.repeat} alternating rounds"
            )
            print(weight_line("page", row["weight"]))
            print(weight_line("embed", row["embed_weight"]))
            if "naive_weight" in row:
                print(weight_line("naive", row["naive_weight"]))
            print(f"   ours   change->paint {summary(row['ours']['changes_ms'])}")
            print(f"          first render  {summary(row['ours']['first_render_ms'])}")
            print(
                f"          callback requests {summary(row['ours']['requests_ms'])}, "
                f"{len(row['ours']['requests_ms']) / len(row['ours']['changes_ms']):.1f} per change"
            )
            print(f"   embed  change->paint {summary(row['embed']['changes_ms'])}")
            print(f"          first render  {summary(row['embed']['first_render_ms'])}")
            if "naive" in row:
                print(f"   naive  change->paint {summary(row['naive']['changes_ms'])}")
                print(f"          first render  {summary(row['naive']['first_render_ms'])}")
                ours, naive = row["ours"]["changes_ms"], row["naive"]["changes_ms"]
                print(
                    f"   naive/ours: median {statistics.median(naive) / statistics.median(ours):.2f}x, "
                    f"p95 {p95(naive) / p95(ours):.2f}x"
                )
                embed = row["embed"]["changes_ms"]
                print(
                    f"   naive/embed: median {statistics.median(naive) / statistics.median(embed):.2f}x, "
                    f"p95 {p95(naive) / p95(embed):.2f}x"
                )
            else:
                print("   naive  skipped: spring_layout per change takes minutes at this size")
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "browser.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
