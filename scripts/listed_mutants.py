"""Issue 10's named mutations, each applied alone: the fast tests must fail on every one.

    .venv/bin/python scripts/listed_mutants.py            # prints KILLED/SURVIVED per mutant
Each mutant is a one-line source edit, reverted right after its test run (not part of .ci/run;
scripts/mutation.sh runs the full mutation tool). Exit status 1 when any mutant survives.
"""

import pathlib
import subprocess
import sys

from hand_mutant import NotOnce, applied

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = [
    "tests/test_api.py",
    "tests/test_callbacks.py",
    "tests/test_share_export.py",
    "tests/test_cycle_limits.py",
    "tests/test_filters_graph.py",
    "tests/test_panels.py",
    "tests/test_atlas.py",
]
MUTANTS = [
    (
        "reset keeps filters",
        "components/controls.py",
        "state = default_state(context).with_(embed=previous.embed",
        "state = previous.with_(embed=previous.embed",
    ),
    ("neighbourhood depth 1", "alliance/graph.py", "for _ in range(depth):", "for _ in range(1):"),
    (
        "day window dropped",
        "components/controls.py",
        "date_from, date_to = previous.date_from, previous.date_to",
        "pass",
    ),
    (
        "embed height unclamped",
        "components/share.py",
        "height = max(MIN_HEIGHT, min(MAX_HEIGHT, int(height)))",
        "height = int(height)",
    ),
    (
        "whole dollars as floats",
        "alliance/export.py",
        "return int(value) if value.is_integer() else value",
        "return value",
    ),
    ("cycle cap 11", "alliance/limits.py", "MAX_CYCLE_LENGTH = 10", "MAX_CYCLE_LENGTH = 11"),
    ("codec cycle cap drifts", "alliance/viewstate.py", "% (MAX_CYCLE_LENGTH - 1)", "% (MAX_CYCLE_LENGTH)"),
    ("default cycle length 7", "alliance/limits.py", "DEFAULT_CYCLE_LENGTH = 6", "DEFAULT_CYCLE_LENGTH = 7"),
    ("default cycle length 5", "alliance/limits.py", "DEFAULT_CYCLE_LENGTH = 6", "DEFAULT_CYCLE_LENGTH = 5"),
    ("to= month start", "alliance/viewstate.py", "return month_end(first) if end else first", "return first"),
    ("tick url not written", "components/controls.py", "if trigger == ids.PLAYING and not playing:", "if False:"),
    (
        "open cycle no toggle",
        "components/controls.py",
        'cycle=None if state.cycle == trigger["id"] else trigger["id"]',
        'cycle=trigger["id"]',
    ),
    (
        "empty csv no header",
        "alliance/export.py",
        "content = records_to_csv(records, DEAL_FIELDS)",
        "content = records_to_csv(records)",
    ),
    (
        "reset drops embed",
        "components/controls.py",
        "default_state(context).with_(embed=previous.embed, scroll=previous.scroll)",
        "default_state(context)",
    ),
    ("panel says – for undisclosed", "components/panels.py", "    if undisclosed:", "    if False:"),
    (
        "panel lists non-money types",
        "alliance/money.py",
        "table.reindex([t for t in MONEY_TYPES if t in table.index])",
        "table.reindex([t for t in __import__('alliance.schema').schema.DEAL_TYPES if t in table.index])",
    ),
    (
        "button JSON drifts from /api",
        "components/share.py",
        "deals_export(atlas.dataset, view.state, view.query, fmt, view.deals)",
        "deals_export(atlas.dataset, view.state, query or '', fmt, view.deals)",
    ),
    (
        "cycles searched per output",
        "alliance/atlas.py",
        "open_loop(self.cycles, self.state.cycle)",
        "open_loop(__import__('alliance.flows').flows.find_cycles(self.deals), self.state.cycle)",
    ),
    (
        "reset keeps camera",
        "components/controls.py",
        "click=_cleared(event),\n            camera=None,",
        "click=_cleared(event),",
    ),
]
tests = sys.argv[1:] or TESTS
killed = 0
for name, path, old, new in MUTANTS:
    try:
        with applied(ROOT / path, old, new):
            r = subprocess.run(
                [str(ROOT / ".venv/bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
    except NotOnce as error:
        print(f"SKIP {name}: {error}")
        continue
    # tests failed (2+ would be a collection or usage error); a NameError is a mutant that does not
    # run (a name the module never imported), not a behaviour the tests caught
    ok = r.returncode == 1 and "NameError" not in r.stdout
    killed += ok
    failing = [line for line in r.stdout.splitlines() if line.startswith("FAILED")][:1]
    print(("KILLED  " if ok else "SURVIVED"), name, failing)
print(f"{killed}/{len(MUTANTS)} killed")
sys.exit(0 if killed == len(MUTANTS) else 1)
