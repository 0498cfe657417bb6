"""Benchmark GET /api/exposure?fail=openai on the shipped data, over HTTP, under gunicorn.

    .venv/bin/python bench/bench_exposure.py [--requests 200]

Serves the app as scripts/run.sh does (gunicorn.conf.py, 2 workers, 127.0.0.1, a free port) and
times, one request at a time from one client:
- warm: the same link repeated (the atlas memoizes a view's ledger and stress test per worker);
- cold: a new view on every request (fail=openai, or openai~oracle, with a different `to` month),
  so every answer filters the deals, builds the ledger and runs the stress test afresh;
- in process, the stress test alone (ledger built once) and ledger + stress test, for fail=openai.
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
    return (f"{label:<44} n={len(samples):>4}  median {statistics.median(ordered):6.1f} ms  "
            f"p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms")


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
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
    print(stats("HTTP /api/exposure?fail=openai (warm)", warm))
    print(stats("HTTP /api/exposure, a new view each time (cold)", cold))
    print(stats("in process: stress test alone", alone))
    print(stats("in process: ledger + stress test", both))


if __name__ == "__main__":
    main()
