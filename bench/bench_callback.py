"""Benchmark the server's side of a filter change against a naive baseline.

    .venv/bin/python bench/bench_callback.py [--repeat 3] [--baseline-states 8] [--sizes shipped,1k,10k]

Ours: what the sync callback computes for a new link (the browser draws the network itself):
parse, filter, title/summary/label, the open cycle, with the atlas's memos emptied before each
call.
Baseline, in the same run: filter, then networkx `spring_layout` recomputed and a `go.Figure`
built per callback, as in plotly's network-graph example. Reports median and p95 per dataset
and the ratio baseline/ours. Numbers, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.atlas import build_atlas, load_atlas  # noqa: E402
from alliance.dataset import load_dataset  # noqa: E402
from alliance.filters import filter_deals  # noqa: E402
from alliance.schema import DEAL_TYPES  # noqa: E402
from alliance.viewstate import parse, to_query  # noqa: E402
from components.follow import cycle_highlight, render_texts  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive import naive_figure  # noqa: E402
from synthetic import synthetic_dataset  # noqa: E402


def filter_sweep(atlas, count: int, seed: int = 3) -> list[str]:
    """Realistic filter states: type subsets, time windows, min amounts, a focus, a panel."""
    rng = random.Random(seed)
    ctx = atlas.context
    base, _ = parse("", ctx)
    companies = sorted(ctx.company_ids)
    span = (ctx.last_day - ctx.first_day).days
    states = []
    for i in range(count):
        lo = ctx.first_day + dt.timedelta(days=rng.randrange(0, span // 2))
        state = base.with_(
            types=tuple(t for t in DEAL_TYPES if rng.random() < 0.7) or ("equity_investment",),
            date_from=lo if i % 2 else ctx.first_day,
            min_amount=rng.choice([0, 0, 1e8, 1e9]),
            focus=rng.choice(companies) if i % 3 == 0 else None,
        )
        states.append(to_query(state, ctx))
    return states


def naive_callback(atlas, query: str):
    """plotly's network-graph example: layout recomputed on every callback, go.Figure built."""
    state, _ = parse(query, atlas.context)
    deals = filter_deals(atlas.dataset, state)
    return naive_figure(deals)


def server_answer(atlas, query: str):
    """The sync callback's work for a new STATE: texts and the open cycle (no figure)."""
    render_texts(atlas, query)
    cycle_highlight(atlas, query)


def forget(atlas) -> None:
    for memo in ("_parse", "_in_view", "_cycles"):
        getattr(atlas, memo).cache_clear()


def time_calls(fn, atlas, queries, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for query in queries:
            forget(atlas)
            started = time.perf_counter()
            fn(atlas, query)
            times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def report(name: str, ours: list[float], baseline: list[float]) -> dict:
    row = {"dataset": name, "ours_median_ms": statistics.median(ours), "ours_p95_ms": p95(ours)}
    print(
        f"{name:>22}: server answer median {row['ours_median_ms']:7.1f} ms  p95 {row['ours_p95_ms']:7.1f} ms "
        f"({len(ours)} calls)"
    )
    if baseline:
        row.update(baseline_median_ms=statistics.median(baseline), baseline_p95_ms=p95(baseline))
        row["median_ratio"] = row["baseline_median_ms"] / row["ours_median_ms"]
        print(
            f"{'':>22}  naive baseline median {row['baseline_median_ms']:8.1f} ms  "
            f"p95 {row['baseline_p95_ms']:8.1f} ms "
            f"({len(baseline)} calls) | baseline/ours {row['median_ratio']:.2f}x"
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--states", type=int, default=40)
    parser.add_argument("--baseline-states", type=int, default=8)
    parser.add_argument("--sizes", default="shipped,1k")
    args = parser.parse_args()

    sizes = {"1k": (1000, 5000), "10k": (10000, 50000)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sizes.split(","):
            if name == "shipped":
                atlas = load_atlas()
            else:
                started = time.perf_counter()
                atlas = build_atlas(
                    load_dataset(synthetic_dataset(Path(tmp) / name, *sizes[name])), Path(tmp) / "cache"
                )
                print(f"generated {name}; positions computed once in {time.perf_counter() - started:.1f} s")
            queries = filter_sweep(atlas, args.states)
            server_answer(atlas, queries[0])  # warm-up
            ours = time_calls(server_answer, atlas, queries, args.repeat)
            baseline = time_calls(naive_callback, atlas, queries[: args.baseline_states], 1) if name != "10k" else []
            rows.append(report(name, ours, baseline))
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
