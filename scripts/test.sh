#!/usr/bin/env bash
# Set up (Python deps + Debian chromium/chromium-driver, nginx, wrk and nodejs when missing) and run every
# test: unit, callback, HTTP, real-browser and cluster (nginx) tests. Extra arguments go to pytest.
# The tests run on TEST_WORKERS processes (pytest-xdist, default 2; 0 runs them in this process),
# a test module's tests in one worker (its module fixtures are built once); each worker has its
# own gunicorn and Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
scripts/apt-install.sh chromium chromium-driver nginx wrk nodejs
mkdir -p artifacts
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
