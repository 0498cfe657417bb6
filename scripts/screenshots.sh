#!/usr/bin/env bash
# Regenerate the README's screenshots (docs/screenshots/*.png) from the running app in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
exec .venv/bin/python scripts/screenshots.py "$@"
