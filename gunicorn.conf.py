"""gunicorn settings, read from the environment (see README: Settings).

gthread workers: each worker process serves THREADS connections at once, and a connection
that sends nothing yet waits in the worker's poller instead of holding a thread. So a handful
of slow clients (slowloris) cannot take every worker the way they could with sync workers.
For many slow clients, put nginx in front (deploy/nginx.conf buffers whole requests).
"""

from components.settings import setting  # the defaults live in its SETTINGS registry

bind = f"{setting('HOST')}:{setting('PORT')}"
workers = int(setting("WEB_CONCURRENCY"))
worker_class = "gthread"
threads = int(setting("THREADS"))
preload_app = True  # load and validate the dataset once, before forking workers
timeout = 60
graceful_timeout = 20
keepalive = 5
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = setting("ACCESS_LOG") or None
# gunicorn >= 25.1 opens a management socket (gunicornc: reload, worker count, shutdown) at
# $XDG_RUNTIME_DIR or $HOME/.gunicorn/gunicorn.ctl; nothing here uses it, and replicas on one host
# (scripts/cluster.sh, the tests) would all claim the same path.
control_socket_disable = True


def post_worker_init(worker):
    """SIGTERM (a rolling update, scripts/cluster.sh, Kubernetes): gunicorn stops accepting, finishes
    the requests in flight within graceful_timeout, and /healthz answers 503 "draining" meanwhile."""
    import signal

    from components.server_routes import start_draining

    stop = signal.getsignal(signal.SIGTERM)

    def drain(signum, frame):
        start_draining()
        if callable(stop):
            stop(signum, frame)

    signal.signal(signal.SIGTERM, drain)


def when_ready(server):
    """Before the workers fork: what is loaded now (dataset, layout, the Dash app: ~130k objects)
    lives as long as the process, so it leaves the garbage collector's full passes (gc.freeze).
    A full pass over it took ~80 ms, a stall for every thread of a worker (p95 at 50 users), and
    it kept touching memory the workers otherwise share with the master."""
    import gc

    gc.freeze()
