#!/usr/bin/env bash
# Set up (Python deps + Debian chromium/chromium-driver, nginx, wrk and nodejs when missing) and run every
# test: unit, callback, HTTP, real-browser and cluster (nginx) tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
scripts/apt-install.sh chromium chromium-driver nginx wrk nodejs
mkdir -p artifacts
exec .venv/bin/python -m pytest "$@"
