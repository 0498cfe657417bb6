"""AI Alliance Map — Dash entry point. `gunicorn app:server` serves it; `python app.py` for development.

Thin on purpose: settings → load the dataset (validated) → build the Dash app → register
each component's callbacks. Domain logic lives in `alliance/`, UI pieces in `components/`.
"""

from __future__ import annotations

import logging
import sys

from alliance.dataset import DatasetError
from components.factory import create_app
from components.settings import Settings, SettingsError, setting

logging.basicConfig(level=setting("LOG_LEVEL"), format="%(levelname)s %(name)s: %(message)s")

try:
    app = create_app(Settings.from_env())
except (DatasetError, SettingsError) as error:
    sys.stderr.write(f"AI Alliance Map cannot start:\n{error}\n")
    raise SystemExit(1) from None
server = app.server

if __name__ == "__main__":
    app.run(host=setting("HOST"), port=int(setting("PORT")), debug=False)
