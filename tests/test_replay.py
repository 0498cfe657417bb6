"""components/replay.py: a callback body answered before is answered again byte for byte without
reaching Flask; anything else (another body, a rejected one, a query string, a large body, the
memo turned off) goes through as before."""

from __future__ import annotations

import gzip
import json

import pytest

from components import replay
from components.factory import create_app

UPDATE = "/_dash-update-component"


def sync_body(search: str) -> bytes:
    """The first-load request of the panel callback, as the browser sends it."""
    return json.dumps(
        {
            "output": "..detail-panel-body.children...detail-panel.hidden..",
            "outputs": [
                {"id": "detail-panel-body", "property": "children"},
                {"id": "detail-panel", "property": "hidden"},
            ],
            "inputs": [{"id": "gate-panel", "property": "data", "value": search}],
            "changedPropIds": ["gate-panel.data"],
            "state": [
                {"id": "ui-lang", "property": "data", "value": "en"},
                {"id": "ui-theme", "property": "data", "value": None},
            ],
        }
    ).encode()


@pytest.fixture
def counted(shipped_atlas, monkeypatch):
    def make(memo_mb: str = "64"):
        monkeypatch.setenv("CALLBACK_MEMO_MB", memo_mb)
        app = create_app(atlas=shipped_atlas)
        calls = []
        view = app.server.view_functions[UPDATE]

        def counting(*args, **kwargs):
            calls.append(1)
            return view(*args, **kwargs)

        app.server.view_functions[UPDATE] = counting
        return app.server.test_client(), calls, app

    return make


def post(client, body: bytes, path: str = UPDATE, gzipped: bool = True):
    headers = {"Content-Type": "application/json", **({"Accept-Encoding": "gzip"} if gzipped else {})}
    return client.post(path, data=body, headers=headers)


def test_the_same_body_is_answered_again_without_flask(counted):
    client, calls, _ = counted()
    body = sync_body("company=nvidia")
    first, second = post(client, body), post(client, body)
    assert first.status_code == second.status_code == 200
    assert calls == [1]  # Dash answered once
    assert second.get_data() == first.get_data()
    drop = {"Date", "Server"}
    assert [(k, v) for k, v in second.headers.items() if k not in drop] == [
        (k, v) for k, v in first.headers.items() if k not in drop
    ]
    assert "Content-Security-Policy" in second.headers and "X-Dataset-Version" in second.headers
    data = second.get_data()
    if second.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    assert "NVIDIA" in data.decode().upper()


def test_another_body_or_encoding_is_asked_anew(counted):
    client, calls, _ = counted()
    nvidia, openai = post(client, sync_body("company=nvidia")), post(client, sync_body("company=openai"))
    assert calls == [1, 1] and nvidia.get_data() != openai.get_data()
    plain = post(client, sync_body("company=nvidia"), gzipped=False)  # a client without gzip gets plain JSON
    assert calls == [1, 1, 1]
    assert "Content-Encoding" not in plain.headers and "NVIDIA" in plain.get_data(as_text=True).upper()


def test_rejected_bodies_are_never_kept(counted):
    client, calls, app = counted()
    bad = b'{"output": "nope", "outputs": [], "inputs": [], "changedPropIds": []}'
    assert post(client, bad).status_code == 400
    assert post(client, bad).status_code == 400
    assert calls == [1, 1]  # the guard saw both
    replayer = app.server.wsgi_app
    assert isinstance(replayer, replay.CallbackReplay) and replayer.memo.entries == {}


def test_query_strings_large_bodies_and_memo_off_pass_by(counted):
    client, calls, _ = counted()
    body = sync_body("deal=d001")
    post(client, body, path=UPDATE + "?cacheKey=x")
    post(client, body, path=UPDATE + "?cacheKey=x")
    assert len(calls) == 2
    big = sync_body("company=nvidia&" + "x" * (replay.MAX_KEY_BODY + 10))
    post(client, big)
    post(client, big)
    assert len(calls) == 4
    client, calls, _ = counted("0")
    post(client, body)
    post(client, body)
    assert calls == [1, 1]
