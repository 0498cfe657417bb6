"""Plain HTTP routes on the Flask server: health check and security headers."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import threading

from flask import Flask, jsonify

from alliance.atlas import Atlas

from .settings import Settings, setting

INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
DATA_SCRIPT = re.compile(rb"""\btype\s*=\s*["']?application/json""", re.I)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def script_hashes(html: bytes) -> list[str]:
    """CSP hash sources of the inline scripts a page runs (JSON data blocks never run, no hash)."""
    hashes = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        if b"src=" in attributes.lower() or DATA_SCRIPT.search(attributes):
            continue
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


def content_security_policy(frame_ancestors: tuple[str, ...], hashes: list[str] = ()) -> str:
    """default-src 'self'; scripts from us or inline by hash; inline styles allowed (plotly and
    React set element styles); images may be data:/blob: (plotly's PNG export)."""
    return "; ".join(
        (
            "default-src 'self'",
            " ".join(("script-src 'self'", *hashes)),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {' '.join(frame_ancestors)}",
        )
    )


# Set in a gunicorn worker when it is told to stop (gunicorn.conf.py: SIGTERM): it finishes the
# requests it has, and /healthz says 503 "draining" to whoever still asks on an open connection.
DRAINING = threading.Event()
DATASET_VERSION_HEADER = "X-Dataset-Version"  # every response names the data it came from (nginx: cache)


def start_draining() -> None:
    DRAINING.set()


def instance_name() -> str:
    """Which replica answered: INSTANCE if set, else host:port."""
    return os.environ.get("INSTANCE") or f"{socket.gethostname()}:{setting('PORT')}"


def register(server: Flask, atlas: Atlas, settings: Settings) -> None:
    dataset = atlas.dataset
    instance = instance_name()

    @server.get("/healthz")
    def healthz():
        if DRAINING.is_set():  # readiness: take this instance out of rotation while it drains
            response = jsonify(status="draining", version=dataset.version, instance=instance, pid=os.getpid())
            response.status_code = 503
            response.headers["Connection"] = "close"
            return response
        return jsonify(
            status="ok",
            version=dataset.version,
            covered_through=dataset.covered_through,
            compiled_on=dataset.compiled_on,
            as_of=dataset.as_of,
            deals=len(dataset.deals),
            companies=len(dataset.companies),
            rounds=len(dataset.rounds),
            instance=instance,
            pid=os.getpid(),
        )

    base_policy = content_security_policy(settings.frame_ancestors)

    @server.after_request
    def security_headers(response):
        policy = base_policy
        if response.mimetype == "text/html" and not response.direct_passthrough:
            policy = content_security_policy(settings.frame_ancestors, script_hashes(response.get_data()))
        response.headers["Content-Security-Policy"] = policy
        response.headers.pop("X-Frame-Options", None)  # CSP frame-ancestors is the one rule
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        response.headers[DATASET_VERSION_HEADER] = dataset.version
        return response
