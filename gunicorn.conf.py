"""gunicorn settings, read from the environment (see README: Settings)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True  # load and validate the dataset once, before forking workers
timeout = 60
accesslog = "-"
