#!/usr/bin/env bash
# Mutation testing with mutmut (configured in setup.cfg; see tests/MUTATION.md).
#   scripts/mutation.sh                          the whole scope, from scratch
#   scripts/mutation.sh alliance/money.py ...    only these modules (re-runs their mutants)
#   scripts/mutation.sh --survivors              finish an interrupted run, then re-test only the
#                                                mutants still alive (adding tests never revives
#                                                a killed mutant)
# The last line of output is always: mutation score: NN% (killed/total)
# Slow (tens of minutes), so not part of .ci/run. Uses at most MUTATION_WORKERS (2) processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev 2>&1 | { grep -v '^WARNING: Location' || true; }

workers=${MUTATION_WORKERS:-2}
patterns=()   # limit the score to these modules
rerun=()      # mutants to (re-)test
if [ "${1:-}" = "--survivors" ]; then
  [ -d mutants ] || { echo "no previous run: run scripts/mutation.sh first" >&2; exit 2; }
  # First the mutants of functions changed since (mutmut resets their results), then the rest alive.
  .venv/bin/mutmut run --max-children "$workers" >mutants/run-changed.log 2>&1 \
    || { echo "mutmut failed: see mutants/run-changed.log" >&2; exit 1; }
  mapfile -t rerun < <(.venv/bin/mutmut results | sed -n 's/^ *\([^ ]*__mutmut_[0-9]*\): .*/\1/p')
else
  for module in "$@"; do
    module=${module%.py}
    patterns+=("${module//\//.}.*")
  done
  rerun=("${patterns[@]}")
  if [ ${#patterns[@]} -eq 0 ]; then
    rm -rf mutants  # a full run starts clean, so the score never mixes in stale results
  fi
fi

start=$(date +%s)
# mutmut draws a progress spinner; keep the log readable and its tail for the score.
status=0
if [ "${1:-}" != "--survivors" ] || [ ${#rerun[@]} -gt 0 ]; then
  set +e
  mkdir -p mutants
  .venv/bin/mutmut run --max-children "$workers" "${rerun[@]}" >mutants/run.log 2>&1
  status=$?
  set -e
else
  echo "no survivors to re-run" >mutants/run.log
fi
tr '\r' '\n' <mutants/run.log | grep -v '^ *[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]' | grep -v '^$' | tail -n 8
echo "mutation run took $(( $(date +%s) - start )) s"
if [ "$status" -ne 0 ]; then
  echo "mutmut failed (exit $status): see mutants/run.log" >&2
  exit "$status"
fi

# Score from mutmut's own result files: killed = killed + timeout (+ segfault / type check);
# total = every mutant in scope except those mutmut skipped. "no tests" and "suspicious" count as alive.
.venv/bin/python - "${patterns[@]}" <<'PY'
import fnmatch
import os
import subprocess
import sys
from collections import Counter, defaultdict

patterns = sys.argv[1:]
out = subprocess.run([".venv/bin/mutmut", "results", "--all", "true"], capture_output=True, text=True,
                     check=True).stdout
KILLED = {"killed", "timeout", "segfault", "caught by type check"}
per_module = defaultdict(Counter)
survivors = []
for line in out.splitlines():
    name, sep, status = line.strip().rpartition(": ")
    if not sep or "__mutmut_" not in name:
        continue
    if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
        continue
    if status == "skipped":
        continue
    module = name.split(".x_")[0].split(".x\u01c1")[0]
    per_module[module]["total"] += 1
    if status in KILLED:
        per_module[module]["killed"] += 1
    elif status == "not checked":  # an interrupted run: counted as alive, and said so below
        per_module[module]["unchecked"] += 1
    else:
        survivors.append(f"{status}: {name}")
with open(os.path.join("mutants", "survivors.txt"), "w", encoding="utf-8") as handle:
    handle.write("\n".join(sorted(survivors)) + "\n")
for module, counts in sorted(per_module.items()):
    untested = f", {counts['unchecked']} not tested yet" if counts["unchecked"] else ""
    print(f"  {module}: {counts['killed']}/{counts['total']} "
          f"({100 * counts['killed'] // max(counts['total'], 1)}%{untested})")
print(f"  survivors listed in mutants/survivors.txt ({len(survivors)})")
killed = sum(c["killed"] for c in per_module.values())
total = sum(c["total"] for c in per_module.values())
unchecked = sum(c["unchecked"] for c in per_module.values())
if unchecked:
    tested = total - unchecked
    print(f"  {unchecked} mutants not tested yet (run interrupted; scripts/mutation.sh --survivors finishes it); "
          f"of those tested: {100 * killed // max(tested, 1)}% ({killed}/{tested})")
print(f"mutation score: {100 * killed // max(total, 1)}% ({killed}/{total})")
PY
