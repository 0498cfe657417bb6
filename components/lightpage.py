"""A light page: the app's own scripts and styles under content-hashed, long-cached URLs with
precompressed bodies; plotly.js as the app's own small bundle; AG Grid only when the table shows.

- `/_alliance/static/<sha12>/<name>` serves every script and style of assets/ and the plotly.js
  bundles (built by scripts/build_plotly.sh): assets/vendor/plotly-alliance.min.js (scatter,
  sankey, bar) for a dataset the map draws in SVG, plotly-alliance-gl.min.js (the same + scattergl,
  ~83 KB more) for one whose map can draw with WebGL (`needs_webgl`). The URL names
  the content, so it is cached for a year (`immutable`); a digest that is not the file's answers
  404, never another version's body. Bodies go out brotli-compressed (quality 11, computed once
  per process in the background, then kept in CACHE_DIR; until then quality 5, made at once), or
  gzip -9 to clients without brotli. Dash's own scripts likewise (SuiteBrotli).
- The page's <script>/<link> tags for those assets are rewritten to the hashed URLs; Dash's own
  `/assets/...?m=<mtime>` URLs keep working (tools, old pages).
- dcc.Graph takes `window.Plotly` when the page has one: the page loads the small bundle
  (deferred, evaluated while the renderer waits for its layout). Until it has run, `window.Plotly`
  is a promise of it (assets/lightpage.js), which dcc.Graph waits for, so it never asks for Dash's
  copy (plotly.min.js, 1.4 MB compressed); should anything still ask, the server redirects it to
  the small bundle.
- Dash's polyfill (core-js 2 and regenerator, 36 KB compressed) gives way to regenerator-runtime
  alone (3 KB), the one part Dash's scripts call in today's browsers.
- AG Grid's script (0.6 MB with its chunk) is left out of the page; assets/app.js puts a
  stand-in under `window.dash_ag_grid` that loads the real script when the table comes near the
  screen, then renders the real grid with the same props. dash_table (unused) is left out too.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from flask import Flask, Response, redirect, request

from . import ids

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PLOTLY_BUNDLE = "vendor/plotly-alliance.min.js"  # scripts/build_plotly.sh writes the three
PLOTLY_GL_BUNDLE = "vendor/plotly-alliance-gl.min.js"  # the same + scattergl: for datasets drawn with WebGL
REGENERATOR = "vendor/regenerator-runtime.min.js"
FAVICON = "favicon.svg"  # 0.3 KB in Dash's 15 KB favicon.ico's place
HASHED = (
    "app.js",
    "gates.js",
    "lightpage.js",
    "map.js",
    "sankey.js",
    "style.css",
    FAVICON,
    PLOTLY_BUNDLE,
    PLOTLY_GL_BUNDLE,
    REGENERATOR,
)  # the page's own files, under hashed URLs
STATIC_PATH = "/_alliance/static"
MIME = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
# Dash's copy of plotly.js, fingerprinted or not (dash-renderer asks for the plain name)
FULL_PLOTLY = re.compile(r"/_dash-component-suites/plotly/package_data/plotly(\.v[\w]+)?\.min\.js$")
# component-suite scripts the page does not load up front: AG Grid (loaded when the table shows)
# and dash_table (no DataTable on this page)
LAZY_SUITE = re.compile(r'\s*<script src="[^"]*_dash-component-suites/dash_ag_grid/[^"]*"></script>')
UNUSED_SUITE = re.compile(r'\s*<script src="[^"]*_dash-component-suites/dash/dash_table/[^"]*"></script>')
# Dash's polyfill@7 (core-js 2 + regenerator, 97 KB): today's browsers need only regenerator-runtime
# (Dash's renderer and dcc call the global regeneratorRuntime); core-js also slows plotly (assets/app.js)
POLYFILL = re.compile(r'<script src="[^"]*_dash-component-suites/dash/deps/polyfill@[^"]*"></script>')
GRID_SUITE = re.compile(r'<script src="([^"]*_dash-component-suites/dash_ag_grid/[^"]*)"></script>')
BROTLI_QUALITY = 11


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:12]


@dataclass
class StaticFile:
    """One file as served: its body, content digest, gzip -9 body, and brotli body once computed."""

    name: str
    body: bytes
    sha: str = ""
    gzipped: bytes = b""
    brotli: bytes | None = None
    quick: bytes | None = None  # brotli at a quick quality, served until `brotli` is ready
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    quick_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        self.sha = digest(self.body)
        self.gzipped = gzip.compress(self.body, compresslevel=9, mtime=0)

    @property
    def mimetype(self) -> str:
        return MIME.get(Path(self.name).suffix, "application/octet-stream")

    def quick_brotli(self) -> bytes | None:
        """Brotli at quality 5, made on first use (~30 ms for the plotly bundle, 5% larger than
        quality 11 and 20% smaller than gzip -9): what a first visitor gets while the best body
        is being made. None without the brotli module."""
        with self.quick_lock:
            if self.quick is None:
                try:
                    import brotli
                except ImportError:
                    return None
                self.quick = brotli.compress(self.body, quality=SuiteBrotli.QUICK_QUALITY)
            return self.quick

    def compress_brotli(self, cache_dir: Path | None) -> None:
        """Brotli quality 11 (slow: ~2 s for the plotly bundle), read from or written to cache_dir."""
        with self.lock:
            if self.brotli is not None:
                return
            import brotli

            path = Path(cache_dir) / f"static-{self.sha}.br" if cache_dir else None
            if path is not None:
                try:
                    cached = path.read_bytes()
                    if hashlib.sha256(brotli.decompress(cached)).hexdigest()[:12] == self.sha:
                        self.brotli = cached
                        return
                except FileNotFoundError:
                    pass
                except Exception as error:  # a truncated or foreign file: compress again
                    log.warning("static cache %s unreadable (%s); recompressing", path, error)
            body = brotli.compress(self.body, quality=BROTLI_QUALITY)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                        handle.write(body)
                    os.replace(handle.name, path)
                except OSError as error:
                    log.warning("static cache %s not written (%s)", path, error)
            self.brotli = body


@functools.lru_cache(maxsize=1)
def static_files() -> StaticFiles:
    """The app's files, one set per process (apps made in tests share it, and its brotli bodies)."""
    return StaticFiles(ASSETS)


class StaticFiles:
    """The page's own files, read once at start-up (a later edit needs a restart, like the code)."""

    def __init__(self, folder: Path = ASSETS, names: tuple[str, ...] = HASHED):
        self.files = {
            name: StaticFile(name, (folder / name).read_bytes()) for name in names if (folder / name).exists()
        }
        self.by_url = {f"{file.sha}/{Path(name).name}": file for name, file in self.files.items()}
        self.compressing_pid = None
        self.pid_lock = threading.Lock()

    def ensure_compressing(self, cache_dir: Path | None) -> None:
        """Start the brotli thread once per process that serves (gunicorn preloads the app and
        forks: a thread started before the fork does not run in the workers)."""
        pid = os.getpid()
        if self.compressing_pid == pid:
            return
        with self.pid_lock:
            if self.compressing_pid == pid:
                return
            self.compressing_pid = pid
            for file in self.files.values():
                if file.brotli is None:
                    file.lock = threading.Lock()  # a copy made by fork may be held by a thread that is gone
            threading.Thread(target=self.compress_all, args=(cache_dir,), name="brotli-static", daemon=True).start()

    def url(self, name: str, prefix: str = "/") -> str:
        file = self.files[name]
        return f"{prefix.rstrip('/')}{STATIC_PATH}/{file.sha}/{Path(name).name}"

    def compress_all(self, cache_dir: Path | None) -> None:
        for file in sorted(self.files.values(), key=lambda f: -len(f.body)):  # plotly.js first: it matters most
            try:
                file.compress_brotli(cache_dir)
            except Exception:  # brotli missing or broken: gzip stays
                log.exception("brotli compression of %s failed", file.name)
                return


def accepts(encoding: str) -> bool:
    """Does the request's Accept-Encoding list `encoding` (without q=0)?"""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() == encoding and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            return True
    return False


def serve(file: StaticFile) -> Response:
    """The file in the best encoding the client takes and we have; each body its own ETag, so a
    revalidated quick copy (a proxy's, a browser's) is replaced once the best brotli is ready,
    never 304'd."""
    quick = file.quick_brotli() if file.brotli is None and accepts("br") else None
    if file.brotli is not None and accepts("br"):
        encoding, body, tag = "br", file.brotli, f"{file.sha}-br"
    elif quick is not None:
        encoding, body, tag = "br", quick, f"{file.sha}-br-quick"
    elif accepts("gzip"):
        encoding, body, tag = "gzip", file.gzipped, f"{file.sha}-gzip"
    else:
        encoding, body, tag = None, file.body, file.sha
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = Response(body, mimetype=file.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response.headers["ETag"] = f'"{tag}"'
    response.headers["Vary"] = "Accept-Encoding"
    if file.brotli is None and accepts("br"):
        # the quick body (or gzip) while the best brotli is being made: a proxy (nginx) or the
        # browser keeps this one only a minute, then revalidates (and gets the best)
        response.headers["Cache-Control"] = "public, max-age=60"
    else:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # the URL names the content
    return response


ASSET_TAG = re.compile(r'(?P<attr>src|href)="(?P<prefix>[^"]*?)assets/(?P<name>[\w./-]+?)\?m=[\d.]+"')


def needs_webgl(deals: int, flows: int, webgl_edges: int) -> bool:
    """Can a view of this dataset draw with WebGL? assets/map.js does when its edges (the deals with
    `every=1`, the flows otherwise) are more than `webgl_edges`, counted over the whole dataset."""
    return max(deals, flows) > webgl_edges


def rewrite_page(scripts: str, css: str, files: StaticFiles, prefix: str, webgl: bool = False) -> tuple[str, str, str]:
    """The index's script and style tags: own assets under hashed URLs, the plotly bundle first
    (deferred; the one with scattergl only when `webgl`, the SVG one saves ~83 KB), AG Grid's
    script out (its URL in a <meta> for assets/lightpage.js), dash_table out, the polyfill
    replaced. Returns (scripts, css, extra head tags)."""

    def hashed(match: re.Match) -> str:
        name = match["name"]
        if name not in files.files:
            return match[0]
        return f'{match["attr"]}="{escape(files.url(name, prefix))}"'

    grid = GRID_SUITE.search(scripts)
    scripts = UNUSED_SUITE.sub("", LAZY_SUITE.sub("", scripts))
    if REGENERATOR in files.files:  # in the polyfill's place: before the scripts that use it
        scripts = POLYFILL.sub(lambda _: f'<script src="{escape(files.url(REGENERATOR, prefix))}"></script>', scripts)
    scripts = ASSET_TAG.sub(hashed, scripts)
    first, metas = "", ""
    bundle = PLOTLY_GL_BUNDLE if webgl and PLOTLY_GL_BUNDLE in files.files else PLOTLY_BUNDLE
    if bundle in files.files:
        gl = "true" if bundle == PLOTLY_GL_BUNDLE else "false"  # read by assets/map.js
        src = escape(files.url(bundle, prefix))
        first = f'<script defer id="{ids.PLOTLY_BUNDLE}" data-webgl="{gl}" src="{src}"></script>\n'
    if grid:  # read by assets/lightpage.js: where the real AG Grid is, once the table comes into view
        metas = f'<meta name="alliance-grid-script" content="{grid[1]}">'
    return first + scripts, ASSET_TAG.sub(hashed, css), metas


def favicon_tag(files: StaticFiles, prefix: str) -> str | None:
    """The page's icon: the app's small SVG under its hashed URL (None: keep Dash's favicon.ico)."""
    if FAVICON not in files.files:
        return None
    return f'<link rel="icon" type="image/svg+xml" href="{escape(files.url(FAVICON, prefix))}">'


class SuiteBrotli:
    """Dash's own scripts (component suites) in brotli from the first request: the first time a
    worker serves a file it compresses it at once at a quick quality (~10 ms for dcc's 346 KB,
    already 10% smaller than gzip -9), or reads the best body from CACHE_DIR when an earlier
    process made it; the best one (quality 11, ~0.7 s for dcc) is made in the background, kept
    in CACHE_DIR and served from then on. Clients that do not take brotli get flask-compress's."""

    MAX_FILES = 64  # the page loads about 15; made-up paths 404 before they get here
    QUICK_QUALITY = 5

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.bodies: dict[str, bytes] = {}
        self.best: set[str] = set()  # paths whose body is the quality-11 one
        self.pending: set[str] = set()
        self.lock = threading.Lock()

    def wrap(self, view):
        def suite_with_brotli(*args, **kwargs):
            response = view(*args, **kwargs)
            if getattr(response, "status_code", 0) == 200 and revalidated(response):
                return Response(status=304, headers={"ETag": response.headers["ETag"]})
            if (
                request.method != "GET"
                or getattr(response, "status_code", 0) != 200
                or response.direct_passthrough
                or response.headers.get("Content-Encoding")
                or not accepts("br")
            ):
                return response
            body = self.bodies.get(request.path)
            if body is None:
                body = self.first_body(request.path, response.get_data())
                if body is None:
                    return response
            fresh = Response(body, status=200, mimetype=response.mimetype)
            for header in ("Cache-Control", "ETag"):
                if header in response.headers:
                    fresh.headers[header] = response.headers[header]
            fresh.headers["Content-Encoding"] = "br"
            fresh.headers["Vary"] = "Accept-Encoding"
            return fresh

        return suite_with_brotli

    def cached_path(self, data: bytes) -> Path | None:
        return self.cache_dir / f"suite-{hashlib.sha256(data).hexdigest()[:16]}.br" if self.cache_dir else None

    def first_body(self, path: str, data: bytes) -> bytes | None:
        """The best body from CACHE_DIR, or a quick one now (and the best one in the background)."""
        with self.lock:
            if path in self.bodies:
                return self.bodies[path]
            if len(self.bodies) >= self.MAX_FILES:
                return None
        try:
            import brotli
        except ImportError:
            return None
        cached = self.cached_path(data)
        try:
            if cached is not None and cached.exists():
                body = cached.read_bytes()
                if brotli.decompress(body) == data:
                    with self.lock:
                        self.bodies[path] = body
                        self.best.add(path)
                    return body
        except Exception as error:  # a truncated or foreign file: compress again
            log.warning("suite cache %s unreadable (%s); recompressing", cached, error)
        body = brotli.compress(data, quality=self.QUICK_QUALITY)
        with self.lock:
            self.bodies.setdefault(path, body)
        self.schedule(path, data)
        return body

    def schedule(self, path: str, data: bytes) -> None:
        with self.lock:
            if path in self.pending or path in self.best or len(self.pending) >= self.MAX_FILES:
                return
            self.pending.add(path)

        def work():
            try:
                import brotli

                body = brotli.compress(data, quality=BROTLI_QUALITY)
                with self.lock:
                    self.bodies[path] = body
                    self.best.add(path)
                cached = self.cached_path(data)
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    with tempfile.NamedTemporaryFile("wb", dir=cached.parent, delete=False, suffix=".tmp") as handle:
                        handle.write(body)
                    os.replace(handle.name, cached)
            except Exception:  # brotli failing or the cache not writable: the quick body stays
                log.exception("brotli compression of %s failed", path)

        threading.Thread(target=work, name="brotli-suite", daemon=True).start()


def revalidated(response) -> bool:
    """Does the request's If-None-Match name this response's ETag, in any encoding? Dash compares
    it with its own tag, which flask-compress has since suffixed (":zstd"), so Dash's unhashed
    chunks (async-slider.js, ...) went out whole on every visit."""
    tag, _ = response.get_etag()
    if not tag or not request.if_none_match:
        return False
    return any(candidate.split(":")[0] == tag for candidate in request.if_none_match.as_set(include_weak=True))


def register(server: Flask, files: StaticFiles, cache_dir: Path | None, prefix: str = "/") -> None:
    """Routes for the hashed files and the redirect of Dash's full plotly.js; brotli in the background."""
    suites = f"{prefix}_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    if suites in server.view_functions:
        server.view_functions[suites] = SuiteBrotli(cache_dir).wrap(server.view_functions[suites])

    @server.before_request
    def start_compressing():
        files.ensure_compressing(cache_dir)  # once per worker, on its first request of any kind

    @server.route(f"{STATIC_PATH}/<sha>/<name>")
    def static_file(sha: str, name: str):
        file = files.by_url.get(f"{sha}/{name}")
        if file is None:  # an old or made-up digest: never another version's body under this URL
            return Response("Not found.", status=404, mimetype="text/plain")
        return serve(file)

    full = next((name for name in (PLOTLY_GL_BUNDLE, PLOTLY_BUNDLE) if name in files.files), None)
    if full is not None:
        bundle_url = files.url(full, prefix)

        @server.before_request
        def no_full_plotly():
            """dcc.Graph loads Dash's copy of plotly.js only when the page has no window.Plotly
            yet; send it the small bundle instead (same global, the traces this app draws: the
            WebGL one, which has them all)."""
            if request.method in ("GET", "HEAD") and FULL_PLOTLY.search(request.path):
                response = redirect(bundle_url, code=302)
                response.headers["Cache-Control"] = "no-cache"
                return response
            return None
