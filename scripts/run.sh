#!/usr/bin/env bash
# Set up (first run only) and serve the dashboard with gunicorn on http://127.0.0.1:8050.
#   PORT=9000 scripts/run.sh      another port;  DATA_DIR=/path scripts/run.sh  another dataset
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "AI Alliance Map: http://${HOST:-127.0.0.1}:${PORT:-8050}"
exec .venv/bin/gunicorn app:server --config gunicorn.conf.py
