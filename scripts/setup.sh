#!/usr/bin/env bash
# Create .venv and install the pinned Python dependencies.
#   scripts/setup.sh         runtime only
#   scripts/setup.sh --dev   runtime + test/benchmark tools
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
req=requirements.txt
[ "${1:-}" = "--dev" ] && req=requirements-dev.txt
stamp=.venv/.installed-$(sha256sum requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req" .txt)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$req"
  touch "$stamp"
fi
