#!/usr/bin/env bash
# Lint everything .ci/run lints: Python with ruff (rules and line length in pyproject.toml), then the
# page's own JavaScript with ESLint (pinned in scripts/jslint/package.json, rules in its eslint.config.js).
#   scripts/lint.sh          check (exit 1 on any finding)
#   scripts/lint.sh --fix    let ruff fix and format what it can first
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev >/dev/null
if [ "${1:-}" = "--fix" ]; then
  .venv/bin/ruff check --fix -q . || true
  .venv/bin/ruff format -q .
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
scripts/apt-install.sh nodejs
command -v npm >/dev/null || { echo "lint: npm is missing (it comes with the machine's Node.js)" >&2; exit 1; }
if [ ! -x scripts/jslint/node_modules/.bin/eslint ]; then
  (cd scripts/jslint && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
scripts/jslint/node_modules/.bin/eslint -c scripts/jslint/eslint.config.js \
  assets/*.js components/preview_card.js tests/js/*.js scripts/plotly-bundle/*.js scripts/jslint/*.js
echo "lint: OK"
