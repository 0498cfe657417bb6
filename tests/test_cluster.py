"""scripts/cluster.sh: nginx in front of 3 replicas on loopback; a replica killed while requests
flow costs no request; SIGTERM stops everything."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, ROOT, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/test.sh installs it)")


def get_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def cluster():
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = open(ARTIFACTS / f"cluster-{port}.log", "w")
    process = subprocess.Popen(["bash", "scripts/cluster.sh"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "PORT": str(port), "REPLICAS": "3"}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            get_json(base + "/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"cluster did not start (exit {process.poll()}); see {log.name}") from None
            time.sleep(0.5)
    try:
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # only if the SIGTERM test did not stop it
        log.close()


def instances(base: str, count: int = 12) -> dict[str, int]:
    """instance name -> a worker pid of it, from /healthz (least_conn spreads these)."""
    seen: dict[str, int] = {}
    for _ in range(count):
        body = get_json(base + "/healthz")
        seen[body["instance"]] = body["pid"]
    return seen


def test_serves_from_several_replicas(cluster):
    base, _ = cluster
    seen = instances(base, 20)
    assert len(seen) >= 2, seen
    assert set(seen) <= {"replica-1", "replica-2", "replica-3"}
    with urllib.request.urlopen(base + "/") as response:
        assert response.status == 200
        assert "Content-Security-Policy" in response.headers


def test_api_is_cached_with_etag(cluster):
    base, _ = cluster
    url = base + "/api/deals?types=chip_supply"
    with urllib.request.urlopen(url) as first:
        etag = first.headers["ETag"]
    with urllib.request.urlopen(url) as second:
        assert second.headers["X-Cache"] == "HIT"
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code == 304


def test_hashed_files_pass_brotli_through_and_are_cached_per_encoding(cluster):
    import re

    base, _ = cluster
    instances(base, 30)  # every worker has had a request: each makes its brotli bodies now
    time.sleep(10)
    with urllib.request.urlopen(base + "/") as response:
        path = re.search(r'src="(/_alliance/static/[0-9a-f]{12}/map\.js)"', response.read().decode())[1]
    deadline, encoding, cache_control = time.monotonic() + 150, None, ""
    # gzip, kept a minute, until the replica has made brotli
    while not (encoding == "br" and "immutable" in cache_control) and time.monotonic() < deadline:
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(request) as response:
            encoding, cache_control = response.headers.get("Content-Encoding"), response.headers["Cache-Control"]
            assert encoding in ("gzip", "br")
        time.sleep(2)
    assert encoding == "br"
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["X-Cache"] == "HIT" and response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"  # the other variant, never brotli to a gzip-only client


def test_limits_hold_through_nginx(cluster):
    base, _ = cluster
    request = urllib.request.Request(base + "/_dash-update-component", data=b"x" * (2 * 1024 * 1024),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code == 413
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(base + "/_dash-update-component")
    assert info.value.code == 405


def hammer(base: str, stop: threading.Event, results: list, failures: list) -> None:
    """Uncached requests (healthz, varying API queries, callback 400s) until told to stop."""
    n = 0
    while not stop.is_set():
        n += 1
        urls = [base + "/healthz", base + f"/api/deals?min_amount={n % 500}e6"]
        for url in urls:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    results.append(response.status)
            except (urllib.error.URLError, OSError) as error:
                failures.append(f"{url}: {error}")


def test_killing_a_replica_loses_no_request(cluster):
    base, _ = cluster
    victim_name, worker_pid = sorted(instances(base, 20).items())[0]
    master_pid = int(Path(f"/proc/{worker_pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    stop, results, failures = threading.Event(), [], []
    threads = [threading.Thread(target=hammer, args=(base, stop, results, failures)) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    before = len(results)
    os.kill(master_pid, signal.SIGKILL)  # the whole replica: master and its workers, no goodbye
    os.kill(worker_pid, signal.SIGKILL)
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []
    assert before > 10 and len(results) > before + 10, (before, len(results))
    assert all(status == 200 for status in results)
    deadline = time.monotonic() + 60  # cluster.sh brings the replica back
    while victim_name not in instances(base, 12):
        assert time.monotonic() < deadline, f"{victim_name} was not restarted"
        time.sleep(1)


def test_slow_clients_wait_in_nginx(cluster):
    """40 connections trickling headers (more than every replica's threads): others still served."""
    import socket

    base, _ = cluster
    host, port = base.removeprefix("http://").split(":")
    slow = []
    try:
        for _ in range(40):
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{")
            slow.append(sock)
        timings = []
        for _ in range(10):
            started = time.monotonic()
            get_json(base + "/healthz")
            timings.append(time.monotonic() - started)
            time.sleep(0.1)
    finally:
        for sock in slow:
            sock.close()
    assert max(timings) < 1.0, timings


def test_sigterm_stops_everything(cluster):
    base, process = cluster
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    with pytest.raises(OSError):
        get_json(base + "/healthz", timeout=2)
    assert session_members(process.pid) == []  # nginx and every replica are gone


def session_members(session: int) -> list[int]:
    """Live processes in a session (field 6 of /proc/<pid>/stat), zombies excluded."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
