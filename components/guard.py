"""Request guard: a client's mistake gets a 4xx with one log line, never a 500 or a traceback.

Generic on purpose: it checks the JSON envelope of /_dash-update-component against the app's
own callback map (read per request, so callbacks added or changed later are covered), bounds
sizes (body, lists, nesting, strings), and turns any exception a callback raises on a client's
value into a 400. It also memoizes callback answers: every server callback is a pure function
of its inputs, state and triggering ids on an immutable dataset (the app keeps no state), so
the same request body always gets the same answer.

`install(app, version)` wires it in; `BodyLimit` is the WSGI layer that refuses big bodies
(chunked ones too) before they are read into memory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import math
import threading
from collections import OrderedDict

from dash.exceptions import PreventUpdate
from flask import Response, request
from werkzeug.exceptions import HTTPException

from alliance.cleantext import UnsafeText, clean_json

from .settings import DEFAULTS, host_allowed, host_of, setting

log = logging.getLogger("alliance.guard")

MAX_BODY_BYTES = 1024 * 1024  # any request body; nginx's client_max_body_size says the same
MAX_LIST_ITEMS = 2000  # any list inside a callback body (ALL-pattern inputs included)
MAX_DEPTH = 32  # nesting of lists/dicts inside a callback body
MAX_NODES = 50_000  # values in one callback body
MAX_STRING = 100_000  # characters in one string
MAX_SAFE_INT = 2**53  # what a browser can send exactly
CACHE_MB = float(DEFAULTS["CALLBACK_MEMO_MB"])  # memoized callback answers, per process; 0 turns the memo off
CACHE_ENTRY_BYTES = 4 * 1024 * 1024
COMPRESS_MIN_BYTES = 2048  # smaller answers go out uncompressed (gzip costs more than it saves)
NO_UPDATE = (204, [], b"", None)  # Dash's answer to PreventUpdate
ENVELOPE_KEYS = frozenset({"output", "outputs", "inputs", "state", "changedPropIds", "parsedChangedPropsIds"})
WILDCARDS = ({"ALL"}, {"ALLSMALLER"}, {"MATCH"})


class Rejected(ValueError):
    """A request the guard refuses: status and a short, non-echoing message."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error_response(message: str, status: int, **headers) -> Response:
    body = json.dumps({"error": message})
    response = Response(body, status=status, mimetype="application/json")
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def reject(message: str, status: int = 400, detail: str = "", **headers) -> Response:
    """One log line (method, path, status, reason and detail) and a JSON error (no detail)."""
    log.warning(
        "rejected %s %r -> %d: %s%s",
        request.method,
        request.path[:200],
        status,
        message,
        f" ({detail})" if detail else "",
    )
    return error_response(message, status, **headers)


# --- WSGI: body size -------------------------------------------------------------------------


class BodyLimit:
    """WSGI middleware: a body over `limit` bytes gets 413 before the app reads it.

    With a Content-Length the header decides; a chunked body (no Content-Length) is read up to
    limit + 1 bytes only, then either refused or handed on as an in-memory stream.
    """

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        length = environ.get("CONTENT_LENGTH") or ""
        if length:
            try:
                size = int(length)
            except ValueError:
                return self._refuse(environ, start_response, 400, "Content-Length is not a number.")
            if size > self.limit:
                return self._refuse(environ, start_response, 413, f"The request body is over {self.limit} bytes.")
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            stream = environ["wsgi.input"]
            data = bytearray()
            while len(data) <= self.limit:
                chunk = stream.read(min(65536, self.limit + 1 - len(data)))
                if not chunk:
                    break
                data += chunk
            if len(data) > self.limit:
                return self._refuse(environ, start_response, 413, f"The request body is over {self.limit} bytes.")
            environ["wsgi.input"] = io.BytesIO(bytes(data))
            environ["CONTENT_LENGTH"] = str(len(data))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    @staticmethod
    def _refuse(environ, start_response, status: int, message: str):
        log.warning(
            "rejected %s %r -> %d: %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO", "")[:200],
            status,
            message,
        )
        body = json.dumps({"error": message}).encode()
        reason = {400: "Bad Request", 413: "Content Too Large"}[status]
        start_response(
            f"{status} {reason}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close")],
        )
        return [body]


class HostCheck:
    """WSGI middleware: a request naming a host outside `allowed` (components/settings.py's
    ALLOWED_HOSTS plus PUBLIC_URL's host) answers 400 before the app sees it, so no page, feed
    or oEmbed answer is built from a forged Host. The answer is `no-store`: a shared cache keeps
    nothing of it. /healthz answers on any host (probes name the replica by its address) and
    builds no link. A request without a Host header (HTTP/1.0) is served under the bind address.
    """

    EXEMPT = frozenset({"/healthz"})

    def __init__(self, app, allowed: tuple[str, ...]):
        self.app = app
        self.allowed = allowed

    def __call__(self, environ, start_response):
        header = environ.get("HTTP_HOST")
        if header is None or environ.get("PATH_INFO") in self.EXEMPT or host_allowed(host_of(header), self.allowed):
            return self.app(environ, start_response)
        log.warning(
            "rejected %s %r -> 400: host %r is not in ALLOWED_HOSTS",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO", "")[:200],
            header[:100],
        )
        body = json.dumps({"error": "This server does not answer for that host name."}).encode()
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("Vary", "Host"),
            ],
        )
        return [body]


# --- callback envelope -----------------------------------------------------------------------


def check_value(value, depth: int = 0, budget: list | None = None) -> None:
    """Bound a JSON value: nesting, list length, node count, string length, finite numbers."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise Rejected("The callback body has too many values.")
    if depth > MAX_DEPTH:
        raise Rejected("The callback body is nested too deeply.")
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise Rejected("A number in the callback body is out of range.")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise Rejected("A number in the callback body is not finite.")
    elif isinstance(value, str):
        if len(value) > MAX_STRING:
            raise Rejected("A string in the callback body is too long.")
    elif isinstance(value, list):
        if len(value) > MAX_LIST_ITEMS:
            raise Rejected(f"A list in the callback body has more than {MAX_LIST_ITEMS} items.")
        for item in value:
            check_value(item, depth + 1, budget)
    elif isinstance(value, dict):
        if len(value) > MAX_LIST_ITEMS:
            raise Rejected("An object in the callback body has too many keys.")
        for key, item in value.items():
            check_value(key, depth + 1, budget)
            check_value(item, depth + 1, budget)
    else:
        raise Rejected("The callback body holds a value JSON does not have.")


def _spec_id(raw: str):
    """A callback-map id: a plain string, or a pattern dict (JSON) whose wildcards are lists."""
    if raw.startswith("{"):
        return json.loads(raw)
    return raw


def _wildcard(spec) -> str | None:
    if isinstance(spec, dict):
        for value in spec.values():
            if isinstance(value, list) and set(value) in WILDCARDS:
                return value[0]
    return None


def _id_matches(spec, actual) -> bool:
    if not isinstance(spec, dict):
        return actual == spec
    if not isinstance(actual, dict) or set(actual) != set(spec):
        return False
    return all(isinstance(v, list) or actual[k] == v for k, v in spec.items())


def _check_item(item, spec_id, prop: str, where: str) -> None:
    if not isinstance(item, dict) or "id" not in item or item.get("property") != prop:
        raise Rejected(f"{where} does not match the callback.")
    if not _id_matches(spec_id, item["id"]):
        raise Rejected(f"{where} does not match the callback.")


def check_dependencies(items, specs: list[dict], where: str) -> None:
    """`inputs` or `state`: one entry per declared dependency, ids and properties as declared."""
    if not isinstance(items, list) or len(items) != len(specs):
        raise Rejected(f"The callback body needs {len(specs)} {where}.")
    for index, (item, spec) in enumerate(zip(items, specs, strict=True)):
        spec_id = _spec_id(spec["id"])
        label = f"{where} #{index + 1}"
        wildcard = _wildcard(spec_id)
        if wildcard in ("ALL", "ALLSMALLER"):
            if not isinstance(item, list) or len(item) > MAX_LIST_ITEMS:
                raise Rejected(f"{label} must be a list of matching components.")
            for element in item:
                _check_item(element, spec_id, spec["property"], label)
        else:
            _check_item(item, spec_id, spec["property"], label)


def check_envelope(body, callback_map: dict) -> dict:
    """The callback-map entry a well-formed body asks for; Rejected otherwise."""
    if not isinstance(body, dict):
        raise Rejected("The callback body must be a JSON object.")
    if not ENVELOPE_KEYS.issuperset(body):
        raise Rejected("The callback body has unknown keys.")
    output = body.get("output")
    entry = callback_map.get(output) if isinstance(output, str) else None
    if entry is None or "callback" not in entry:
        raise Rejected("The callback body names no known server callback output.")
    outputs = body.get("outputs")
    if outputs is None and entry.get("no_output"):  # set_props-only callbacks: no outputs sent
        outputs = []
    if not isinstance(outputs, (list, dict)):
        raise Rejected("The callback body needs its outputs.")
    for item in outputs if isinstance(outputs, list) else [outputs]:
        for spec_output in item if isinstance(item, list) else [item]:  # ALL patterns: one per match
            if (
                not isinstance(spec_output, dict)
                or "id" not in spec_output
                or not isinstance(spec_output.get("property"), str)
            ):
                raise Rejected("The callback body's outputs are malformed.")
    check_dependencies(body.get("inputs"), entry["inputs"], "inputs")
    check_dependencies(body.get("state") or [], entry["state"], "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise Rejected("changedPropIds must be a list of strings.")
    if not isinstance(body.get("parsedChangedPropsIds", []), list):
        raise Rejected("parsedChangedPropsIds must be a list.")
    check_value(body)
    return entry


def clean_body(body: dict) -> None:
    """Strip control and bidi characters from every string of a checked body, in place (Dash
    reads the same parsed object from the request), so no callback, log line, memo key or JSON
    encoder sees them; a lone surrogate is Rejected (no UTF-8 encoder takes it)."""
    try:
        cleaned = clean_json(body)
    except UnsafeText as problem:
        raise Rejected(str(problem)) from None
    if cleaned is not body:
        body.clear()
        body.update(cleaned)


# --- memo ------------------------------------------------------------------------------------


class ResponseMemo:
    """A byte-bounded, thread-safe LRU of finished answers: key -> (status, headers, raw, gzipped)."""

    def __init__(self, max_bytes: int = int(CACHE_MB * 1024 * 1024)):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        weight = len(entry[2]) + len(entry[3] or b"")
        if weight > min(CACHE_ENTRY_BYTES, self.max_bytes):
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += weight
            while self.size > self.max_bytes and self.entries:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old[2]) + len(old[3] or b"")


def body_key(version: str, body: dict) -> str:
    """Key of a callback request: dataset version + the body with keys sorted."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{version}\n{canonical}".encode()).hexdigest()


def accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def build_response(entry: tuple) -> Response:
    """A Response from a memo entry, gzipped when the client takes it and it is large enough."""
    status, headers, raw, gzipped = entry
    response = Response(status=status, headers=headers)
    if gzipped is not None and accepts_gzip():
        response.set_data(gzipped)
        response.headers["Content-Encoding"] = "gzip"  # flask-compress leaves it alone then
    else:
        response.set_data(raw)
    response.headers["Vary"] = "Accept-Encoding"
    return response


def memo_entry(response: Response) -> tuple | None:
    """What of a callback's response is worth keeping: plain 200 JSON without cookies."""
    if response.status_code != 200 or response.direct_passthrough or "Set-Cookie" in response.headers:
        return None
    raw = response.get_data()
    gzipped = gzip.compress(raw, compresslevel=5, mtime=0) if len(raw) >= COMPRESS_MIN_BYTES else None
    headers = [(k, v) for k, v in response.headers.items() if k.lower() in ("content-type",)]
    return response.status_code, headers, raw, gzipped


# --- wiring ----------------------------------------------------------------------------------


def guard_callbacks(app, view, version: str, memo: ResponseMemo):
    """Wrap Dash's callback view: envelope check, memo, and any exception -> 400."""

    def guarded_dispatch(*args, **kwargs):
        try:
            body = request.get_json(force=True, silent=False)
        except HTTPException:
            return reject("The callback body is not valid JSON.")
        except RecursionError:
            return reject("The callback body is nested too deeply.")
        try:
            check_envelope(body, app.callback_map)
            clean_body(body)
        except Rejected as problem:
            return reject(str(problem), problem.status)
        if set(request.args) - {"endId"}:  # background-callback polling (cacheKey, job): never memoized
            return view(*args, **kwargs)
        key = body_key(version, body)
        entry = memo.get(key)
        if entry is not None:
            return build_response(entry)
        try:
            response = view(*args, **kwargs)
        except PreventUpdate:
            memo.put(key, NO_UPDATE)
            return build_response(NO_UPDATE)
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 -- any callback failure on client data is a 400
            frame = error.__traceback__
            while frame is not None and frame.tb_next is not None:
                frame = frame.tb_next
            where = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
            return reject(f"The callback could not use these inputs ({type(error).__name__} at {where}).")
        entry = memo_entry(response) if isinstance(response, Response) else None
        if entry is None:
            return response
        memo.put(key, entry)
        return build_response(entry)

    return guarded_dispatch


def guard_component_suites(view):
    """Dash raises (KeyError, FileNotFoundError, ...) on unknown packages or files: 404 instead."""

    def guarded_suite(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 -- any failure to find the file is a 404
            return reject("No such file.", 404, detail=type(error).__name__)
        if response is None or getattr(response, "status_code", 200) >= 400:
            return reject("No such file.", 404)
        return response

    return guarded_suite


def memoize_static_get(app, view, memo: ResponseMemo, name: str):
    """/_dash-layout and /_dash-dependencies are the same for every reader while the layout is
    a fixed tree (not a function): serialize and gzip them once per process."""

    def memoized(*args, **kwargs):
        if callable(app.layout):
            return view(*args, **kwargs)
        entry = memo.get(name)
        if entry is None:
            response = app.server.make_response(view(*args, **kwargs))
            entry = memo_entry(response)
            if entry is None:
                return response
            memo.put(name, entry)
        return build_response(entry)

    return memoized


def install(app, version: str) -> ResponseMemo:
    """Wire the guard into a Dash app (call once, after the routes exist)."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    update_path = prefix + "_dash-update-component"
    suites = prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    reload_path = prefix + "_reload-hash"
    memo = ResponseMemo(int(float(setting("CALLBACK_MEMO_MB")) * 1024 * 1024))

    server.view_functions[update_path] = guard_callbacks(app, server.view_functions[update_path], version, memo)
    server.view_functions[suites] = guard_component_suites(server.view_functions[suites])
    for route in ("_dash-layout", "_dash-dependencies"):
        path = prefix + route
        server.view_functions[path] = memoize_static_get(app, server.view_functions[path], memo, f"{version}|{path}")
    server.config["COMPRESS_MIN_SIZE"] = COMPRESS_MIN_BYTES  # flask-compress: small answers go out as they are
    server.wsgi_app = BodyLimit(server.wsgi_app)
    setup_lock = threading.Lock()

    def setup_once():
        """Dash's first-request setup (script registry, global callbacks) is not thread-safe: with
        threaded workers a concurrent first request saw an empty registry and 404'd its scripts."""
        with setup_lock:
            app._setup_server()  # pylint: disable=protected-access

    server.before_request_funcs.setdefault(None, []).insert(0, setup_once)

    @server.before_request
    def method_and_debug_guard():
        if request.path == update_path and request.method not in ("POST", "OPTIONS"):
            return reject("Use POST for callbacks.", 405, Allow="POST")
        if request.path == reload_path and not server.debug:  # a dev-tools route
            return reject("Not found.", 404)
        return None

    @server.route("/api", endpoint="api_unknown_root", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
    @server.route("/api/<path:rest>", endpoint="api_unknown", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
    def api_unknown(rest: str = ""):
        return reject("No such API endpoint.", 404)

    return memo
