"""GET /oembed: an oEmbed 1.0 `rich` answer for a link to any view of the map.

Wikis and CMSs (WordPress, Notion, Discourse, iframely-based tools) find it through the
<link rel="alternate" type="application/json+oembed"> every page carries (alliance/sharing.py's
head tags) and embed the view as an <iframe>. The pure part (which view, what size, which
errors) is alliance/oembed.py; this wires it to Flask with the page's own functions: the view's
title, the embed snippet's <iframe>, the preview image and the public base URL.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import Callable

from flask import Flask, Response, request
from PIL import Image

from alliance.atlas import Atlas
from alliance.i18n import t
from alliance.oembed import (
    OEMBED_PATH,
    Embed,
    OEmbedError,
    check_format,
    embed_size,
    parse_bound,
    thumbnail_size,
    view_query,
)
from alliance.sharing import PREVIEW_HEIGHT, PREVIEW_PATH, PREVIEW_WIDTH, canonical_query, preview_query
from alliance.text import view_title

from .settings import Settings, effective_hosts, host_allowed, host_of
from .share import iframe_html

CACHE_CONTROL = "public, max-age=3600"
THUMBNAIL_PATH = OEMBED_PATH + "/thumbnail.png"


def thumbnail(base: str, query: str, maxwidth: int | None, maxheight: int | None) -> tuple[str, int, int]:
    """The view's preview picture: /preview.png itself when it fits the consumer's bounds, else
    the same picture scaled down (THUMBNAIL_PATH) to the largest size that fits."""
    width, height = thumbnail_size((PREVIEW_WIDTH, PREVIEW_HEIGHT), maxwidth, maxheight)
    if (width, height) == (PREVIEW_WIDTH, PREVIEW_HEIGHT):
        return f"{base}{PREVIEW_PATH}{query}", width, height
    sep = "&" if query else "?"
    return f"{base}{THUMBNAIL_PATH}{query}{sep}width={width}", width, height


def scaled_png(png: bytes, width: int) -> bytes:
    """A PNG scaled to `width` pixels wide, its shape kept."""
    with Image.open(io.BytesIO(png)) as image:
        height = max(1, round(width * image.height / image.width))
        out = io.BytesIO()
        image.convert("RGB").resize((width, height), Image.LANCZOS).save(out, format="PNG", optimize=True)
        return out.getvalue()


def oembed_answer(atlas: Atlas, settings: Settings, base: str, args) -> dict:
    """The answer for a request's arguments; OEmbedError for a 400, 404 or 501."""
    check_format(args.get("format"))
    maxwidth = parse_bound(args.get("maxwidth"), "maxwidth")
    maxheight = parse_bound(args.get("maxheight"), "maxheight")
    hosts = effective_hosts(settings)
    query = view_query(args.get("url"), lambda netloc: host_allowed(host_of(netloc), hosts), settings.public_url)
    state = atlas.view(query).state  # a malformed parameter falls back, as on the page
    width, height = embed_size(maxwidth, maxheight)
    name = t(state.lang, "app.name")
    title = view_title(state)
    picture = thumbnail(base, preview_query(state, atlas.context), maxwidth, maxheight)
    embed = Embed(
        title=title,
        html=iframe_html(base, canonical_query(state, atlas.context), width, height, name),
        width=width,
        height=height,
        provider_name=name,
        provider_url=base + "/",
        thumbnail=picture,
    )
    return embed.answer()


def error(problem: OEmbedError) -> Response:
    body = {"error": str(problem), **({"param": problem.param} if problem.param else {})}
    response = Response(json.dumps(body), status=problem.status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: Flask, atlas: Atlas, settings: Settings, base_url: Callable[[], str]) -> None:
    """base_url() is the public origin (PUBLIC_URL, else the request's allowed host)."""

    @lru_cache(maxsize=32)  # (preview etag, width, picture) -> scaled PNG: a few consumer sizes of a few views
    def scaled(etag: str, width: int, png: bytes) -> bytes:
        return scaled_png(png, width)

    @server.get(THUMBNAIL_PATH, endpoint="oembed_thumbnail")
    def oembed_thumbnail():
        """/preview.png of the same parameters, scaled to `width` (1 to its own width)."""
        try:
            width = min(PREVIEW_WIDTH, parse_bound(request.args.get("width"), "width") or PREVIEW_WIDTH)
        except OEmbedError as problem:
            return error(problem)
        state = atlas.view(request.query_string.decode("utf-8", errors="replace")).state
        query = preview_query(state, atlas.context)  # bad parameters fall back, as on the page
        with server.test_request_context(PREVIEW_PATH + query, base_url=request.host_url):
            full = server.make_response(server.view_functions["preview_png"]())
        body = full.get_data()
        if width < PREVIEW_WIDTH:
            body = scaled(full.headers.get("ETag", ""), width, body)
        response = Response(body, mimetype="image/png")
        response.headers["Cache-Control"] = full.headers.get("Cache-Control", CACHE_CONTROL)
        response.headers["X-Preview"] = full.headers.get("X-Preview", "")
        return response

    @server.get(OEMBED_PATH, endpoint="oembed")
    def oembed():
        try:
            answer = oembed_answer(atlas, settings, base_url(), request.args)
        except OEmbedError as problem:
            return error(problem)
        response = Response(json.dumps(answer), mimetype="application/json")
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.vary.add("Host")  # the answer's links name the request's host when PUBLIC_URL is unset
        return response
