"""Security headers on every response; the page's CSP hashes exactly its inline scripts."""

from __future__ import annotations

import base64
import hashlib
import re
import socket

import pytest

from components.factory import create_app
from components.server_routes import content_security_policy, instance_name, script_hashes

RENDERER_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(b"var renderer = new DashRenderer();").digest()).decode() + "'"
)


@pytest.fixture(scope="module")
def client(shipped_atlas):
    return create_app(atlas=shipped_atlas).server.test_client()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?types=chip_supply",
        "/healthz",
        "/api/deals",
        "/api/nope",
        "/assets/style.css",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_dash-update-component",
        "/nope.php",
    ],
)
def test_every_response_has_the_headers(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'; script-src 'self'")
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"].startswith("camera=()")
    assert "X-Frame-Options" not in headers


def test_page_policy_hashes_its_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert RENDERER_HASH in script_src.split()
    inline = [m for m in re.findall(r"<script([^>]*)>", response.get_data(as_text=True)) if "src=" not in m]
    executable = [m for m in inline if "application/json" not in m]
    assert len(script_src.split()) == 2 + len(executable)  # 'script-src', 'self', one hash each


def test_script_hashes_skips_external_and_data_scripts():
    html = (
        b'<script src="/a.js"></script><script id="c" type="application/json">{"a": 1}</script>'
        b'<script type="application/javascript">var renderer = new DashRenderer();</script>'
        b"<SCRIPT>var renderer = new DashRenderer();</SCRIPT >"
    )
    assert script_hashes(html) == [RENDERER_HASH]


def test_no_debug_routes(client):
    assert client.get("/_reload-hash").status_code == 404
    assert client.get("/console").status_code in (200, 404) and b"Werkzeug" not in client.get("/console").data


BASE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)


def test_the_policy_word_for_word(client):
    assert content_security_policy(("'self'", "https://blog.example"), ["'sha256-abc'", "'sha256-def'"]) == (
        "default-src 'self'; script-src 'self' 'sha256-abc' 'sha256-def'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'self' https://blog.example"
    )
    for path in ("/healthz", "/api/deals", "/assets/style.css"):  # not a page: no script hashes
        assert client.get(path).headers["Content-Security-Policy"] == BASE_POLICY


def test_the_replica_names_itself(shipped_atlas, monkeypatch):
    monkeypatch.delenv("INSTANCE", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert instance_name() == f"{socket.gethostname()}:8123"
    monkeypatch.setenv("INSTANCE", "replica-7")
    assert instance_name() == "replica-7"
    body = create_app(atlas=shipped_atlas).server.test_client().get("/healthz").get_json()
    assert body["instance"] == "replica-7" and body["status"] == "ok"
