"""Replay: a callback request whose body this worker has already answered is answered again
from memory, before Flask and Dash see it.

Every server callback is a pure function of its request body on an immutable dataset (the guard's
memo, components/guard.py, rests on the same fact), and a reader's session repeats the same few
bodies as everyone else's: the first load, the common filters. The guard's memo still parses and
checks each body and runs Flask's request machinery (about 1 ms); here a byte-identical body is
looked up by its hash and its whole answer, headers included, is sent back as it was (about
0.05 ms). Only answers that went through the guard and came out 200 are kept, so a body is
checked once per worker. Bodies with a query string, without a Content-Length or over 16 KB
pass by untouched (the body limit, components/guard.BodyLimit, still sees those).
"""

from __future__ import annotations

import hashlib
import io

from .guard import ResponseMemo

MAX_KEY_BODY = 16 * 1024  # larger bodies (rare: huge selections) are not worth a key
KEEP_HEADERS_EXCLUDED = {"connection", "keep-alive", "transfer-encoding", "date", "server", "set-cookie"}


class CallbackReplay:
    """WSGI middleware: POST `path` with a body answered before -> that answer, byte for byte."""

    def __init__(self, app, path: str, version: str, max_bytes: int):
        self.app = app
        self.path = path
        self.version = version.encode()
        self.memo = ResponseMemo(max_bytes) if max_bytes > 0 else None

    def __call__(self, environ, start_response):
        if (
            self.memo is None
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("PATH_INFO") != self.path
            or environ.get("QUERY_STRING")
        ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return self.app(environ, start_response)
        if not 0 < length <= MAX_KEY_BODY:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        gzip_ok = b"1" if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "").lower() else b"0"
        key = hashlib.sha256(b"\n".join((self.version, gzip_ok, body))).hexdigest()
        entry = self.memo.get(key)
        if entry is not None:
            status, headers, data, _ = entry
            start_response(status, list(headers))
            return [data]

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = captured.get("headers", [])
        if captured.get("status", "").startswith("200 ") and not any(k.lower() == "set-cookie" for k, _ in headers):
            kept = tuple((k, v) for k, v in headers if k.lower() not in KEEP_HEADERS_EXCLUDED)
            self.memo.put(key, (captured["status"], kept, data, None))
        return [data]


def install(app, version: str, max_bytes: int) -> None:
    """Put the replay in front of the app's WSGI stack (after guard.install)."""
    server = app.server
    server.wsgi_app = CallbackReplay(
        server.wsgi_app, app.config.routes_pathname_prefix + "_dash-update-component", version, max_bytes
    )
