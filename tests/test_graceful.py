"""Graceful stop of one gunicorn instance (no balancer in front): SIGTERM under load finishes every
request in flight, slow clients included, and fails none; /healthz says 503 "draining" meanwhile.

A connection opened *after* SIGTERM may be refused or reset before any answer: the instance has
stopped listening, and only a balancer can send that request elsewhere. Through nginx
(tests/test_cluster.py) or Kubernetes (a preStop pause first) no request is turned away at all.
This test counts such connections apart and fails on any other error."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .browser import ARTIFACTS, ROOT, free_port
from .helpers import wait_until

PATHS = ["/api/deals?min_amount={n}e6", "/api/companies", "/healthz", "/api/deals?types=chip_supply&from=2025-{m:02d}"]


@pytest.fixture
def instance():
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log_path = ARTIFACTS / f"graceful-{port}.log"
    log = open(log_path, "w")
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2", "ACCESS_LOG": ""}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "app:server", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"gunicorn did not start; see {log_path}")
        time.sleep(0.3)
    try:
        yield port, process, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


class Load:
    """Client threads on keep-alive connections; every outcome recorded with when its connection opened."""

    def __init__(self, port: int, threads: int = 6):
        self.port = port
        self.stop = threading.Event()
        self.term_at: float | None = None
        self.ok_before = self.ok_after = 0
        self.turned_away = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, seed: int) -> None:
        n, conn, opened = seed, None, 0.0
        while not self.stop.is_set():
            n += 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                opened = time.monotonic()
                try:
                    conn.connect()
                except OSError:  # refused: the instance no longer listens
                    conn = None
                    with self.lock:
                        self.turned_away += 1
                    if self.term_at is not None:
                        return
                    continue
            path = PATHS[n % len(PATHS)].format(n=n % 300, m=1 + n % 12)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = None
                with self.lock:
                    if self.term_at is not None and opened > self.term_at:
                        self.turned_away += 1  # opened after SIGTERM, never accepted
                        return
                    self.failures.append(f"{path}: {type(error).__name__}: {error}")
                continue
            with self.lock:
                healthy = response.status == 200 or (path == "/healthz" and response.status == 503)
                if not healthy or (response.status == 200 and not json.loads(body)):
                    self.failures.append(f"{path}: HTTP {response.status} {body[:100]!r}")
                elif self.term_at is None:
                    self.ok_before += 1
                else:
                    self.ok_after += 1
            if response.will_close:  # a draining worker answers with Connection: close
                conn.close()
                conn = None

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def slow_request(port: int, path: str) -> socket.socket:
    """A client that has sent half its request: its connection is accepted, its request in flight."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
    return sock


def finish(sock: socket.socket) -> tuple[int, bytes]:
    sock.sendall(b"Accept: application/json\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_sigterm_under_load_finishes_every_request(instance):
    port, process, log_path = instance
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # a kept-alive connection
    probe.request("GET", "/healthz")
    assert json.loads(probe.getresponse().read())["status"] == "ok"
    with Load(port) as load:
        wait_until(lambda: load.ok_before > 20, message="the load never got going")
        slow = [slow_request(port, f"/api/deals?min_amount={k}e9") for k in range(3)]
        # Part of what is tested: requests in flight at SIGTERM. No client can see a worker take a
        # half-sent request off the listen queue, so this is a margin, not a wait for a condition.
        time.sleep(0.3)
        load.term_at = time.monotonic()
        os.kill(process.pid, signal.SIGTERM)  # the master: it tells every worker to stop

        def draining():  # the same kept-alive connection: 200 until its worker has the signal
            probe.request("GET", "/healthz")
            response = probe.getresponse()
            body = json.loads(response.read())
            return (response, body) if response.status == 503 else None

        drained, drained_body = wait_until(draining, timeout=20, message="the worker never said it was draining")
        time.sleep(0.5)  # part of what is tested: the slow clients stay slow while the worker drains
        answers = [finish(sock) for sock in slow]  # the slow clients send the rest of their requests
        exit_code = process.wait(timeout=40)
    assert drained.status == 503 and drained_body["status"] == "draining"
    assert [status for status, _ in answers] == [200, 200, 200]
    assert all(json.loads(body)["deals"] is not None for _, body in answers)
    assert load.failures == []
    assert load.ok_before > 20, load.ok_before
    assert exit_code == 0
    log = log_path.read_text()
    assert "Traceback" not in log and "WORKER TIMEOUT" not in log


# --- in process ----------------------------------------------------------------------------------


def test_healthz_turns_unready_while_draining(shipped_atlas):
    from components import server_routes
    from components.factory import create_app

    client = create_app(atlas=shipped_atlas).server.test_client()
    assert client.get("/healthz").status_code == 200
    server_routes.DRAINING.set()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["status"] == "draining"
        assert response.headers["Connection"] == "close"
        assert client.get("/api/companies").status_code == 200  # everything else is still served
    finally:
        server_routes.DRAINING.clear()
    assert client.get("/healthz").status_code == 200


def test_every_answer_names_its_dataset_version(shipped_atlas):
    from components.factory import create_app

    client = create_app(atlas=shipped_atlas).server.test_client()
    for path in ("/healthz", "/api/deals", "/", "/assets/style.css", "/no-such-page"):
        assert client.get(path).headers["X-Dataset-Version"] == shipped_atlas.dataset.version, path


def test_a_page_of_another_release_still_gets_a_map(shipped_atlas):
    """During a rolling update a page served by an older replica asks this one for its map data."""
    from components.factory import create_app
    from components.maproute import data_url

    client = create_app(atlas=shipped_atlas).server.test_client()
    for lang in ("en", "ru"):
        response = client.get(f"/_alliance/map/0123456789-0badc0ffee00-{lang}.json")
        assert response.status_code == 307
        assert response.headers["Location"].endswith(data_url(shipped_atlas, lang))
        assert response.headers["Cache-Control"] == "no-store"
    for name in ("0123456789-0badc0ffee00-xx.json", "garbage", "0123456789-0badc0ffee00-en.json.bak"):
        assert client.get(f"/_alliance/map/{name}").status_code == 404, name


def test_objects_loaded_before_the_fork_leave_the_collector():
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    junk = [[i] for i in range(1000)]  # objects alive at the hook, like the preloaded app
    try:
        config["when_ready"](None)
        assert gc.get_freeze_count() >= before + len(junk)
    finally:
        gc.unfreeze()


def test_no_management_socket_is_opened():
    """gunicorn's control socket (gunicornc: reload, worker count, shutdown) stays closed: nothing
    uses it, and every replica on a host would claim the same path. The name must be gunicorn's
    own: gunicorn ignores a setting it does not know."""
    import runpy

    from gunicorn.config import Config

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert "control_socket_disable" in Config().settings and config["control_socket_disable"] is True
