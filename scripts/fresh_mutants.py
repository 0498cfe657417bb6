"""Fresh hand mutations (issue 22): 24 plausible one-line bugs, written blind (from README.md and
the app code only, before reading any test), and a runner that applies each alone and runs the
whole suite against it.

    .venv/bin/python scripts/fresh_mutants.py              # baseline, then every mutant
    .venv/bin/python scripts/fresh_mutants.py --only NAME  # one mutant (NAME may repeat)
    .venv/bin/python scripts/fresh_mutants.py --list       # names only

Per mutant: the fast suite (`-m "not browser" -x`, which runs tests/js/ through tests/test_mapjs.py),
and only if it passes the browser suite (`-m browser -x`). KILLED when a test fails and the same test,
run alone on the restored file, passes (else BROKEN); SURVIVED when the whole suite passes. A failing
test that passes when run again alone with the mutant is a flake (deselected, the part run again,
reported); `--deselect TEST` leaves a test out of every run. The file is always restored
(try/finally) and compared byte for byte; `git diff --quiet` checks the app's folders at the end.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from hand_mutant import NotOnce, applied

ROOT = Path(__file__).resolve().parent.parent
PYTEST = ["nice", "-n", "5", str(ROOT / ".venv/bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
TIMEOUT = 1800  # seconds per suite run; a hang counts as a kill (the suite did not pass)

# (name, file, old text (occurs exactly once), new text, why a user or API client would notice)
MUTANTS = [
    # --- alliance/ ---------------------------------------------------------------------------
    (
        "filters_min_amount_exclusive",
        "alliance/filters.py",
        'deals["amount_usd"].fillna(-1.0) >= state.min_amount',
        'deals["amount_usd"].fillna(-1.0) > state.min_amount',
        "min_amount=1000000000 drops every deal of exactly $1B ('$1B or more' in the drawer)",
    ),
    (
        "money_not_counted_counts_undisclosed",
        "alliance/money.py",
        'return int((deals["amount_usd"].notna() & ~counted_mask(deals)).sum())',
        "return int((~counted_mask(deals)).sum())",
        "the summary's '(N not counted)' also counts undisclosed and non-money deals",
    ),
    (
        "ledger_round_rest_firmest_state",
        "alliance/ledger.py",
        "state = max((states[i] for i in pool), key=lambda s: STATE_RANK.get(s, 0))",
        "state = min((states[i] for i in pool), key=lambda s: STATE_RANK.get(s, 0))",
        "a round whose unsplit rows differ in state books its rest as the firmest (paid) instead of "
        "the least firm: /api/companies money_in_usd.paid and the summary's paid/conditional split change",
    ),
    (
        "exposure_conditional_never_lost",
        "alliance/exposure.py",
        'UNPAID = ("contracted", "conditional")',
        'UNPAID = ("contracted",)',
        "a conditional deal owed by a failing company is not lost: /api/exposure direct_usd drops",
    ),
    (
        "flows_bottleneck_biggest_hop",
        "alliance/flows.py",
        "bottleneck=min(h.stated_total for h in steps),",
        "bottleneck=max(h.stated_total for h in steps),",
        "/api/cycles bottleneck_usd is the biggest hop, and loops are ranked by it",
    ),
    (
        "flows_gw_counts_superseded",
        "alliance/flows.py",
        'mine = mine[~mine["status"].isin(("cancelled", "superseded"))]',
        'mine = mine[~mine["status"].isin(("cancelled",))]',
        "the company panel's committed gigawatts add a replaced deal's GW to its replacement's",
    ),
    (
        "viewstate_single_day_is_reversed",
        "alliance/viewstate.py",
        'if changes.get("date_from", state.date_from) > changes.get("date_to", state.date_to):',
        'if changes.get("date_from", state.date_from) >= changes.get("date_to", state.date_to):',
        "?from=2025-11-18&to=2025-11-18 (one day) is called reversed and falls back to the full range",
    ),
    (
        "i18n_ru_eleven_is_one",
        "alliance/i18n.py",
        "if n % 10 == 1 and n % 100 != 11:",
        "if n % 10 == 1:",
        "Russian '11 сделка' instead of '11 сделок' (and 111, 211…)",
    ),
    (
        "i18n_negotiate_takes_q0",
        "alliance/i18n.py",
        "if primary in LANGS and q > 0 and ranked > best_q:",
        "if primary in LANGS and q >= 0 and ranked > best_q:",
        "Accept-Language 'ru;q=0' (Russian refused) serves the Russian page",
    ),
    (
        "timeline_window_ends_on_first_day",
        "alliance/timeline.py",
        "return months[lo], month_end(months[hi])",
        "return months[lo], months[hi]",
        "moving the slider drops every deal after the 1st of its last month",
    ),
    (
        "graph_neighbourhood_one_way",
        "alliance/graph.py",
        "adjacency.setdefault(b, set()).add(a)",
        "adjacency.setdefault(b, set())",
        "focus on a company keeps only those it pays bright, not those paying it (Sankey folding too)",
    ),
    (
        "feed_title_three_types_generic",
        "alliance/feed.py",
        "if 0 < len(types) <= 3 and len(types) < len(DEAL_TYPES):",
        "if 0 < len(types) < 3 and len(types) < len(DEAL_TYPES):",
        "/feed.atom?types=a,b,c gets the generic title instead of naming its three types",
    ),
    (
        "export_view_to_is_from",
        "alliance/export.py",
        '"to": state.date_to.isoformat(),',
        '"to": state.date_from.isoformat(),',
        "/api/deals and the JSON download say view.to = the start day",
    ),
    (
        "dataset_deal_today_refused",
        "alliance/dataset.py",
        "if date > today:",
        "if date >= today:",
        "a deal announced today is refused as 'in the future' (alliance.add, validate, start-up)",
    ),
    # --- components/ -------------------------------------------------------------------------
    (
        "api_added_since_exclusive",
        "components/api.py",
        'deals[deals["added_on"] >= day.isoformat()]',
        'deals[deals["added_on"] > day.isoformat()]',
        "/api/deals?added_since=D leaves out the rows added on D ('on or after')",
    ),
    (
        "api_etag_ignores_query",
        "components/api.py",
        'f"{version}|{endpoint}|{query}"',
        'f"{version}|{endpoint}"',
        "every view of one endpoint gets one ETag: If-None-Match from another view answers 304",
    ),
    (
        "guard_body_limit_exclusive",
        "components/guard.py",
        "if size > self.limit:",
        "if size >= self.limit:",
        "a body of exactly 1 MB (the documented limit) answers 413",
    ),
    (
        "mapdata_strong_needs_both_pages",
        "components/mapdata.py",
        '(deals["source_tier"].isin(STRONG_TIERS) | deals["second_source_tier"].isin(STRONG_TIERS))',
        '(deals["source_tier"].isin(STRONG_TIERS) & deals["second_source_tier"].isin(STRONG_TIERS))',
        "the browser's map with sources=strong hides deals with one strong page, unlike /api/deals",
    ),
    (
        "panels_total_counts_paid_out_only",
        "components/panels.py",
        'total = int(((atlas.dataset.deals["from_id"] == company) | (atlas.dataset.deals["to_id"] == company)).sum())',
        'total = int((atlas.dataset.deals["from_id"] == company).sum())',
        "the company panel's 'N of M deals' counts only deals it pays",
    ),
    (
        "panels_fallback_note_in_english",
        "components/panels.py",
        "if lang != DATA_LANG and summary_lang == DATA_LANG",
        "if lang != DATA_LANG or summary_lang == DATA_LANG",
        "every English deal card says its summary is not translated",
    ),
    (
        "controls_cycle_button_never_closes",
        "components/controls.py",
        'return state.with_(cycle=None if state.cycle == trigger["id"] else trigger["id"])',
        'return state.with_(cycle=trigger["id"])',
        "clicking the open loop's button again keeps it highlighted (no way to close it but the URL)",
    ),
    # --- assets/map.js -----------------------------------------------------------------------
    (
        "mapjs_last_day_excluded",
        "assets/map.js",
        "b.day[i] < v.from || b.day[i] > v.to",
        "b.day[i] < v.from || b.day[i] >= v.to",
        "the browser's map leaves out deals announced on the window's last day (e.g. 30 Nov in Nov 2025)",
    ),
    (
        "mapjs_superseded_always_counts",
        "assets/map.js",
        "var live = d.live[r] || (d.superseded[r] && !replaced[r]);",
        "var live = d.live[r] || d.superseded[r];",
        "edge widths and amounts count a replaced deal beside its replacement",
    ),
    (
        "mapjs_stress_tints_deals_to_failing",
        "assets/map.js",
        "if (!unpaid || down[d.to[r]]) { return; }",
        "if (!unpaid) { return; }",
        "deals owed to a failing company are drawn lost/at risk, unlike /api/exposure",
    ),
]


def run(args: list[str], targets: tuple[str, ...] = ("tests",)) -> tuple[bool, str, float]:
    """(passed, first failing test or reason, seconds) of one pytest run."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            PYTEST + args + list(targets), cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return False, f"timeout after {TIMEOUT} s", time.monotonic() - started
    seconds = time.monotonic() - started
    if done.returncode == 0:
        return True, "", seconds
    failed = re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", done.stdout, re.M)  # ids may hold spaces
    tail = (done.stdout.strip().splitlines() or ["?"])[-1]
    return False, failed[0] if failed else f"rc={done.returncode}: {tail}", seconds


def suite(marker: str, flakes: list[str]) -> tuple[bool, str, float]:
    """One part of the suite. A failing test that passes when run again alone (twice at most) is a
    flake (timing tests on a loaded machine): noted in `flakes`, deselected and the part run again."""
    total, deselect = 0.0, flakes  # one list: tests left out (given, or found flaky here)
    for _ in range(4):
        passed, detail, seconds = run(["-m", marker, *(f"--deselect={t}" for t in deselect)])
        total += seconds
        if passed or "::" not in detail:
            return passed, detail, total
        for _attempt in range(2):
            again, _, more = run([], (detail,))
            total += more
            if again:
                break
        if not again:
            return False, detail, total
        deselect.append(detail)
    return False, f"{len(deselect)} flaky tests: {', '.join(deselect)}", total


def mutate(name: str, file: str, old: str, new: str, skip: tuple[str, ...] = ()) -> tuple[str, str]:
    """Apply one mutant alone, run the suite, restore the file; (verdict, detail). A kill counts
    once the failing test, run alone on the restored file, passes (else: BROKEN, not the mutant)."""
    flakes: list[str] = list(skip)
    note = lambda: f"; flaky, passed alone: {', '.join(flakes[len(skip) :])}" if flakes[len(skip) :] else ""  # noqa: E731
    try:
        with applied(ROOT / file, old, new):
            passed, test, seconds = suite("not browser", flakes)
            verdict, detail = "KILLED", f"{test} (fast suite, {seconds:.0f} s{note()})"
            if passed:
                passed, test, more = suite("browser", flakes)
                verdict, detail = (
                    ("KILLED", f"{test} (browser suite, {seconds + more:.0f} s{note()})")
                    if not passed
                    else ("SURVIVED", f"whole suite passed ({seconds + more:.0f} s{note()})")
                )
    except NotOnce as error:
        return "INVALID", str(error)
    if verdict == "KILLED" and "::" in test and not run([], (test,))[0]:
        return "BROKEN", f"{test} fails without the mutant too"
    return verdict, detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run this mutant only (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the mutants' names")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated fast suite")
    parser.add_argument("--deselect", action="append", default=[], help="a test left out of every run (repeatable)")
    opts = parser.parse_args()
    chosen = [m for m in MUTANTS if not opts.only or m[0] in opts.only]
    if opts.list:
        print("\n".join(f"{m[0]:40} {m[1]}" for m in MUTANTS))
        return 0
    if opts.only and len(chosen) != len(set(opts.only)):
        print(f"unknown mutant in {opts.only}", file=sys.stderr)
        return 2
    if not opts.no_baseline:
        flakes: list[str] = []
        flakes += opts.deselect
        passed, detail, seconds = suite("not browser", flakes)
        print(f"baseline (unmutated, not browser): {'passed' if passed else 'FAILED ' + detail} in {seconds:.0f} s")
        if flakes:
            print(f"  flaky (failed in the suite, passed alone): {', '.join(flakes)}")
        if not passed:
            return 1
    killed = 0
    try:
        for name, file, old, new, _why in chosen:
            verdict, detail = mutate(name, file, old, new, tuple(opts.deselect))
            killed += verdict == "KILLED"
            print(f"{verdict:8} {name}: {detail}", flush=True)
    finally:
        if (ROOT / ".git").exists():  # a copy without git (run while tests are written) is byte-checked only
            clean = subprocess.run(["git", "diff", "--quiet", "--", "alliance", "components", "assets"], cwd=ROOT)
            print("working tree restored" if clean.returncode == 0 else "WARNING: the app's files differ from git")
    print(f"score: {killed}/{len(chosen)} killed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
