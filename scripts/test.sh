#!/usr/bin/env bash
# Set up (Python deps + Debian chromium/chromium-driver when missing) and run every test:
# unit, callback, HTTP and real-browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq chromium chromium-driver \
    || { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver; }
fi
mkdir -p artifacts
exec .venv/bin/python -m pytest "$@"
