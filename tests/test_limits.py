"""Limits against the real server (gunicorn, as scripts/run.sh starts it) over raw sockets:
big bodies get 413 before they are read, chunked or not; slow clients do not stall others."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.request

import pytest

from .browser import ARTIFACTS, served

MB = 1024 * 1024


@pytest.fixture(scope="module")
def base():
    ARTIFACTS.mkdir(exist_ok=True)
    with served() as url:
        yield url


def address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def raw_request(base: str, head: bytes, body_chunks=(), timeout: float = 10.0, until: bytes = b"\r\n\r\n") -> bytes:
    """Send a request by hand and return the start of the answer (stops sending on a reply)."""
    with socket.create_connection(address(base), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the body ended: what we want
        data = b""
        try:
            while until not in data:
                part = sock.recv(65536)
                if not part:
                    break
                data += part
        except ConnectionResetError:
            pass
        return data


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize("path", ["/_dash-update-component", "/", "/api/deals"])
def test_big_body_with_length_is_413(base, path):
    body = b"x" * (2 * MB)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    reply = raw_request(base, head, [body[i : i + 65536] for i in range(0, len(body), 65536)])
    assert status_of(reply) == 413


def chunked(total: int, size: int = 65536):
    sent = 0
    while sent < total:
        part = b"x" * min(size, total - sent)
        sent += len(part)
        yield f"{len(part):x}\r\n".encode() + part + b"\r\n"
    yield b"0\r\n\r\n"


CHUNKED_POST = (
    b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)


def test_big_chunked_body_is_413(base):
    head = CHUNKED_POST
    assert status_of(raw_request(base, head, chunked(20 * MB))) == 413


def test_small_chunked_body_still_reaches_the_guard(base):
    head = CHUNKED_POST
    reply = raw_request(base, head, [b"2\r\n{}\r\n", b"0\r\n\r\n"], until=b"}")
    assert status_of(reply) == 400 and b"known server callback" in reply


def test_slow_clients_do_not_stall_others(base):
    """Every normal request is answered (each within urlopen's 5 s) while slow clients trickle."""
    assert len(healthz_beside_slow_clients(base)) == 10


@pytest.mark.timing
def test_slow_clients_do_not_slow_others_down(base):
    assert max(healthz_beside_slow_clients(base)) < 1.0


def healthz_beside_slow_clients(base) -> list[float]:
    """12 slowloris connections (headers trickled, never finished) while normal requests flow:
    the seconds each of 10 /healthz requests took (the 0.2 s pause between them is the trickle's pace)."""
    slow = []
    try:
        for _ in range(12):
            sock = socket.create_connection(address(base), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(sock)
        timings = []
        for round_ in range(10):
            for sock in slow:
                sock.sendall(f"X-Slow-{round_}: 1\r\n".encode())
            started = time.monotonic()
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                assert response.status == 200
            timings.append(time.monotonic() - started)
            time.sleep(0.2)
    finally:
        for sock in slow:
            sock.close()
    return timings


# --- in-process: the pieces behind those limits ------------------------------------------------

from components.guard import MAX_BODY_BYTES, BodyLimit, ResponseMemo  # noqa: E402


def call_wsgi(app, environ: dict):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def echo_app(environ, start_response):
    data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(len(data)).encode()]


class CountingStream:
    """A wsgi.input that records how much was read from it."""

    def __init__(self, size: int):
        self.left, self.read_bytes = size, 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        self.read_bytes += n
        return b"x" * n


def test_body_limit_refuses_by_header_without_reading():
    stream = CountingStream(5 * MB)
    status, headers, body = call_wsgi(
        BodyLimit(echo_app),
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/x", "CONTENT_LENGTH": str(5 * MB), "wsgi.input": stream},
    )
    assert status.startswith("413") and headers["Connection"] == "close"
    assert stream.read_bytes == 0
    assert b"over 1048576 bytes" in body


# Transfer-Encoding is case-insensitive and a list of codings, chunked last (RFC 9112 6.1).
@pytest.mark.parametrize("coding", ["chunked", "Chunked", "CHUNKED", "gzip, chunked", "gzip,chunked"])
def test_body_limit_reads_a_chunked_body_only_up_to_the_limit(coding):
    stream = CountingStream(20 * MB)
    status, _, _ = call_wsgi(
        BodyLimit(echo_app),
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/x", "HTTP_TRANSFER_ENCODING": coding, "wsgi.input": stream},
    )
    assert status.startswith("413")
    assert stream.read_bytes == MAX_BODY_BYTES + 1


def test_body_limit_passes_a_small_chunked_body_on():
    status, _, body = call_wsgi(
        BodyLimit(echo_app),
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/x",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": CountingStream(1000),
        },
    )
    assert status.startswith("200") and body == b"1000"


@pytest.mark.parametrize("size, status", [(1_048_576, "200 OK"), (1_048_577, "413 Content Too Large")])
@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_the_body_limit_is_one_megabyte_to_the_byte(size, status, framing):
    """A body of exactly 1 MB (1,048,576 bytes, nginx's client_max_body_size) goes through; one byte
    more is refused, whether its Content-Length says so or its chunks do."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/x", "wsgi.input": CountingStream(size)}
    environ.update({"CONTENT_LENGTH": str(size)} if framing == "length" else {"HTTP_TRANSFER_ENCODING": "chunked"})
    seen, _, body = call_wsgi(BodyLimit(echo_app), environ)
    assert seen == status
    if size == 1_048_576:
        assert body == b"1048576"  # handed on whole


def test_body_limit_bad_content_length_is_400():
    status, _, _ = call_wsgi(
        BodyLimit(echo_app),
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/x", "CONTENT_LENGTH": "12x", "wsgi.input": CountingStream(0)},
    )
    assert status.startswith("400")


def test_memo_is_bounded_by_bytes_and_forgets_the_oldest():
    memo = ResponseMemo(max_bytes=250)
    for name in "abc":
        memo.put(name, (200, [], b"x" * 100, None))
    assert memo.get("a") is None and memo.get("b") is not None and memo.get("c") is not None
    assert memo.size == 200
    memo.get("b")  # b is now the most recent: d pushes c out
    memo.put("d", (200, [], b"x" * 100, None))
    assert memo.get("c") is None and memo.get("b") is not None


def test_memo_of_size_zero_keeps_nothing():
    memo = ResponseMemo(max_bytes=0)
    memo.put("a", (200, [], b"x", None))
    assert memo.get("a") is None


@pytest.mark.parametrize(
    "length, status, message",
    [
        ("12abc", "400 Bad Request", "Content-Length is not a number."),
        (str(5 * MB), "413 Content Too Large", "The request body is over 1048576 bytes."),
    ],
)
def test_a_refusal_is_a_short_json_answer_and_one_log_line(length, status, message, caplog):
    caplog.set_level(logging.WARNING, logger="alliance.guard")
    path = "/" + "p" * 300  # a long path is logged cut to 200 characters
    seen, headers, body = call_wsgi(
        BodyLimit(echo_app),
        {"REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_LENGTH": length, "wsgi.input": CountingStream(0)},
    )
    assert seen == status and json.loads(body) == {"error": message}
    assert headers == {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}
    code = status.split()[0]
    assert [r.getMessage() for r in caplog.records] == [f"rejected POST '/{'p' * 199}' -> {code}: {message}"]


def test_a_refusal_without_a_path_still_answers(caplog):
    seen, _, body = call_wsgi(BodyLimit(echo_app), {"CONTENT_LENGTH": "x", "wsgi.input": CountingStream(0)})
    assert seen == "400 Bad Request" and json.loads(body) == {"error": "Content-Length is not a number."}
    assert caplog.records[-1].getMessage() == "rejected None '' -> 400: Content-Length is not a number."
