"""The app runs on a read-only root filesystem, writing only where Kubernetes mounts emptyDirs
(deploy/k8s/deployment.yaml: readOnlyRootFilesystem, HOME=TMPDIR=/tmp, the caches on volumes).

Linux only, as root: a private mount namespace (`unshare -m`) remounts / read-only and binds a
fresh folder on /tmp; gunicorn then serves the page, the layout, a callback and a freshly drawn
link preview (Chromium), and every file it wrote is in that folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .browser import ARTIFACTS, ROOT, free_port

UNSHARE = shutil.which("unshare")


def can_unshare() -> bool:
    if UNSHARE is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [UNSHARE, "-m", "sh", "-c", "mount --make-rprivate / && mount --bind / / && mount -o remount,bind,ro /"],
        capture_output=True,
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not can_unshare(), reason="needs root and mount namespaces (unshare -m)")


def test_serves_with_a_read_only_root(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    scratch = tmp_path / "tmp"  # the emptyDir
    scratch.mkdir()
    port = free_port()
    env = (
        "env -i PATH=/usr/bin:/bin HOME=/tmp TMPDIR=/tmp PYTHONDONTWRITEBYTECODE=1 HOST=127.0.0.1 "
        f"PORT={port} WEB_CONCURRENCY=2 CACHE_DIR=/tmp/cache/layout PREVIEW_CACHE_DIR=/tmp/cache/previews"
    )
    # A checkout under /tmp (CI may clone there) would vanish under the emptyDir: it is held on
    # /mnt meanwhile and bound back at its path inside the new /tmp.
    hold, restore = "", ""
    if ROOT.is_relative_to("/tmp"):
        hold, restore = f"&& mount --bind {ROOT} /mnt ", f"&& mkdir -p {ROOT} && mount --bind /mnt {ROOT} "
    script = (
        f"mount --make-rprivate / && mount --bind / / && mount -o remount,bind,ro / {hold}"
        f"&& mount --bind {scratch} /tmp && mount -o remount,bind,rw /tmp {restore}"
        f"&& cd {ROOT} && exec {env} {Path(sys.executable).with_name('gunicorn')} app:server --config gunicorn.conf.py"
    )
    log_path = ARTIFACTS / f"readonly-{port}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [UNSHARE, "-m", "bash", "-c", script], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()[-2000:]
                time.sleep(0.5)
        for path in ("/", "/_dash-layout", "/_dash-dependencies", "/api/deals?types=chip_supply"):
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200, path
        with urllib.request.urlopen(base + "/preview.png?from=2025-11&to=2025-11", timeout=60) as response:
            assert response.headers["Content-Type"] == "image/png"
    finally:
        server.terminate()
        server.wait(timeout=40)
    written = {p.relative_to(scratch).parts[0] for p in scratch.rglob("*")}
    assert {"cache"} <= written  # the layout cache and the preview were written to the emptyDir
    assert list((scratch / "cache" / "layout").glob("positions-*.json"))
    assert list((scratch / "cache" / "previews").glob("*.png")), "the preview was not drawn (default card sent)"
    log = log_path.read_text()
    assert "Read-only file system" not in log and "Traceback" not in log, log[-2000:]
    # the root really was read-only for it
    probe = subprocess.run(
        [
            UNSHARE,
            "-m",
            "sh",
            "-c",
            f"mount --make-rprivate / && mount --bind / / && "
            f"mount -o remount,bind,ro / && touch {ROOT}/.readonly-probe",
        ],
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "Read-only" in probe.stderr
