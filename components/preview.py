"""GET /preview.png: a 1200×630 picture of a view's map for link previews (Open Graph cards).

The network is drawn by assets/map.js, the page's own renderer, in headless Chromium: kaleido
(plotly's static export) drives the system Chromium on a page that loads plotly.js, map.js and
components/preview_card.js; the figure handed to it carries the map data (components/mapdata.py,
in the view's language) and the view, and map.js builds the real figure inside the browser. The
Sankey is drawn by components/flowviews.py as on the page. Once per dataset version and
normalized view: the PNG is cached on disk and sent with an ETag. Rendering is bounded (one at a
time per worker, a timeout) and any failure sends the shipped default card instead, never a 5xx:
a crawler asking for a preview must not be able to take a worker down.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import queue
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import Flask, Response, request

from alliance.atlas import Atlas
from alliance.i18n import resolve, t
from alliance.money import stated_total
from alliance.sharing import PREVIEW_HEIGHT, PREVIEW_PATH, PREVIEW_WIDTH, preview_query
from alliance.text import view_description, view_title
from alliance.timeline import month_index
from alliance.viewstate import ViewState

from .exposure import scenario_description, scenario_title
from .flowviews import sankey_figure
from .mapdata import BundleFile
from .settings import Settings
from .theme import FONT, INK, MUTED

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_CARD = ASSETS / "preview-default.png"
MAP_JS = ASSETS / "map.js"
CARD_JS = Path(__file__).resolve().parent / "preview_card.js"  # not in assets/: the page must not load it
RENDER_VERSION = "4"  # bump when preview_figure's look changes, so cached PNGs are redrawn
MAP_KEY = "alliance_map"  # layout.meta key preview_card.js hands to map.js
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RETRY_AFTER_FAILURE = 60.0  # seconds a worker sends the default card after a failed render
CACHE_CONTROL = "public, max-age=3600"
FALLBACK_CACHE_CONTROL = "public, max-age=300"


class RenderError(RuntimeError):
    """The static export failed, timed out or returned something that is not a PNG."""


def preview_figure(atlas: Atlas, state: ViewState, bundle_json: Callable[[str], str]) -> dict:
    """The view's map as a 1200×630 card: heading with the date range, caption with the counts.

    Drawn from what preview_query keeps (the cache key), in the view's language. For the network
    the figure is a placeholder whose layout.meta carries the map data (`bundle_json(lang)`), the
    view's controls and link, and the card: components/preview_card.js has map.js draw it.
    """
    view = atlas.view(preview_query(state, atlas.context))
    state, deals = view.state, view.deals
    lang = resolve(state.lang)
    description = view_description(deals, state, stated_total(deals, atlas.dataset)[0])
    if state.fail:  # the stress test names its scenario first
        description = f"{scenario_description(atlas, state, state.lang)} · {description}"
    margin = {"l": 16, "r": 16, "t": 92, "b": 16 if state.view == "sankey" else 40}
    # a stress test's card is headed by its scenario alone (both would not fit 1200 px); the date
    # range stays in the caption
    heading = scenario_title(atlas, state, state.lang) if state.fail else view_title(state)
    title = {
        "text": f"<b>{heading}</b>",
        "x": 0.012,
        "xanchor": "left",
        "y": 0.975,
        "yanchor": "top",
        "font": {"size": 27, "color": INK, "family": FONT},
    }
    caption = {
        "text": f"{description}   ·   {t(lang, 'app.name')}",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 6,
        "showarrow": False,
        "font": {"size": 17, "color": MUTED, "family": FONT},
    }
    if state.view != "sankey":
        card = {"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT, "margin": margin, "title": title, "caption": caption}
        return {
            "data": [],
            "layout": {
                "meta": {
                    MAP_KEY: {
                        "bundle": bundle_json(lang),
                        "controls": map_controls(atlas, state),
                        "query": f"?from={state.date_from:%Y-%m-%d}&to={state.date_to:%Y-%m-%d}"
                        + ("&sources=strong" if state.sources == "strong" else ""),
                        "card": card,
                    }
                }
            },
        }
    figure = sankey_figure(atlas, deals, lang=lang)
    layout = figure["layout"]
    layout.pop("uirevision", None)
    layout.update(
        width=PREVIEW_WIDTH,
        height=PREVIEW_HEIGHT,
        title=title,
        margin=margin,
        annotations=[*layout.get("annotations", []), caption],
    )
    return figure


def map_controls(atlas: Atlas, state: ViewState) -> dict:
    """The view as the page's controls hold it (what map.js `view` reads), without a focus."""
    return {
        "types": list(state.types),
        "roles": list(state.roles),
        "focus": None,
        "depth": state.depth,
        "min_amount": state.min_amount,
        "every": [],
        "timeline": [month_index(atlas.months, state.date_from), month_index(atlas.months, state.date_to)],
        "sources": ["strong"] if state.sources == "strong" else [],
        "money": state.money,
        "fail": list(state.fail),
    }


def preview_page():
    """kaleido's page: plotly.js (the plotly package's), then map.js and the card glue; no MathJax,
    so nothing is fetched from a CDN."""
    import kaleido

    return kaleido.PageGenerator(mathjax=False, others=[(MAP_JS.as_uri(), "utf-8"), (CARD_JS.as_uri(), "utf-8")])


def kaleido_png(figure: dict, timeout: float) -> bytes:
    """Plotly's static export: kaleido drives the installed Chromium (BROWSER_PATH to pick one)."""
    import kaleido  # imported here: only workers that render pay for it

    return kaleido.calc_fig_sync(
        figure,
        opts={"format": "png", "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT, "scale": 1},
        kopts={"timeout": timeout, "page_generator": preview_page()},
    )


@dataclass
class Preview:
    body: bytes
    source: str  # "cached", "rendered" or "fallback"
    etag: str


class PreviewRenderer:
    """One per worker: a disk cache in front of a bounded renderer.

    The lock allows one render at a time; a render runs in its own thread and the request waits
    at most `timeout` for it (kaleido has the same timeout, so the thread ends too). After a
    failure the worker sends the default card for a minute rather than retry on every request.
    """

    def __init__(
        self, cache_dir: Path, timeout: float, fallback: bytes, render: Callable[[dict, float], bytes] = kaleido_png
    ):
        self.cache_dir = Path(cache_dir)
        self.timeout = timeout
        self.fallback = fallback
        self.render = render
        self._lock = threading.Lock()
        self._failed_at = float("-inf")
        self._fallback_etag = "fallback-" + hashlib.sha256(fallback).hexdigest()[:16]

    def get(self, key: str, build: Callable[[], dict]) -> Preview:
        path = self.cache_dir / f"{key}.png"
        if cached := self._read(path):
            return Preview(cached, "cached", key)
        if time.monotonic() - self._failed_at < RETRY_AFTER_FAILURE:
            return self._fallback()
        try:
            figure = build()
        except Exception:  # noqa: BLE001 — a figure bug must cost a card, not a 500 to a crawler
            log.exception("preview %s: building the figure failed; sending the default card", key)
            return self._fallback()
        if not self._lock.acquire(timeout=self.timeout):
            log.warning("preview %s: another render is still running; sending the default card", key)
            return self._fallback()
        if cached := self._read(path):  # rendered while we waited
            self._lock.release()
            return Preview(cached, "cached", key)
        try:
            body = self._render_bounded(figure)
        except RenderError as error:
            log.warning("preview %s: %s; sending the default card", key, error)
            self._failed_at = time.monotonic()
            return self._fallback()
        self._write(path, body)
        return Preview(body, "rendered", key)

    def _render_bounded(self, figure: dict) -> bytes:
        """Render in a thread that releases the lock when it ends; give up waiting after the timeout."""
        results: queue.Queue = queue.Queue(maxsize=1)

        def work():
            try:
                results.put(self.render(figure, self.timeout))
            except Exception as error:  # noqa: BLE001 — any export failure means "use the default card"
                results.put(error)
            finally:
                self._lock.release()

        threading.Thread(target=work, name="preview-render", daemon=True).start()
        try:
            outcome = results.get(timeout=self.timeout)
        except queue.Empty:
            raise RenderError(f"render took longer than {self.timeout:g} s") from None
        if isinstance(outcome, Exception):
            raise RenderError(f"render failed: {type(outcome).__name__}: {outcome}")
        if not isinstance(outcome, bytes) or not outcome.startswith(PNG_MAGIC):
            raise RenderError("render returned something that is not a PNG")
        return outcome

    def _fallback(self) -> Preview:
        return Preview(self.fallback, "fallback", self._fallback_etag)

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _write(self, path: Path, body: bytes) -> None:
        """Atomic (temp file + rename), so another worker never reads half a PNG."""
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.cache_dir, suffix=".tmp", delete=False) as handle:
                handle.write(body)
            os.replace(handle.name, path)
        except OSError as error:
            log.warning("preview cache %s is not writable (%s); serving uncached", self.cache_dir, error)


def cache_key(version: str, query: str) -> str:
    return hashlib.sha256(f"{version}|{RENDER_VERSION}|{query}".encode()).hexdigest()[:24]


def register(
    server: Flask, atlas: Atlas, settings: Settings, render: Callable[[dict, float], bytes] = kaleido_png
) -> PreviewRenderer:
    for noisy in ("kaleido", "choreographer"):  # they log every browser step at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    renderer = PreviewRenderer(settings.preview_cache_dir, settings.preview_timeout, DEFAULT_CARD.read_bytes(), render)
    lock = threading.Lock()

    @functools.lru_cache(maxsize=4)
    def bundle_json(lang: str) -> str:
        with lock:  # the same file the page fetches, read from CACHE_DIR or built once per worker
            return BundleFile.cached(atlas, lang, settings.cache_dir).body.decode()

    @server.get(PREVIEW_PATH, endpoint="preview_png")
    def preview_png():
        query = request.query_string.decode("utf-8", errors="replace")
        state = atlas.view(query).state  # bad parameters fall back, as on the page
        key = cache_key(atlas.dataset.version, preview_query(state, atlas.context))
        preview = renderer.get(key, lambda: preview_figure(atlas, state, bundle_json))
        response = Response(preview.body, mimetype="image/png")
        response.headers["Cache-Control"] = FALLBACK_CACHE_CONTROL if preview.source == "fallback" else CACHE_CONTROL
        response.headers["X-Preview"] = preview.source
        response.set_etag(preview.etag)
        return response.make_conditional(request)

    return renderer
