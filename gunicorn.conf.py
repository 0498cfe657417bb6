"""gunicorn settings, read from the environment (see README: Settings).

gthread workers: each worker process serves THREADS connections at once, and a connection
that sends nothing yet waits in the worker's poller instead of holding a thread. So a handful
of slow clients (slowloris) cannot take every worker the way they could with sync workers.
For many slow clients, put nginx in front (deploy/nginx.conf buffers whole requests).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "16"))
preload_app = True  # load and validate the dataset once, before forking workers
timeout = 60
graceful_timeout = 20
keepalive = 5
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("ACCESS_LOG", "-") or None
