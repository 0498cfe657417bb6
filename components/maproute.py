"""The map data's route: /_alliance/map/<version>-<lang>.json, the file assets/map.js draws from.

Versioned by release and dataset, so it is cached for good; a page of an older release (a
rolling update) is redirected to this one's file. The file itself is components/mapdata.py's.
"""

from __future__ import annotations

import functools
import re
import threading

from flask import Response, redirect, request

from alliance.atlas import Atlas
from alliance.viewstate import LANGS

from .mapdata import BundleFile, bundle_name

DATA_PATH = "/_alliance/map"  # the browser's copy of the map data (components/mapdata.py)
OLD_BUNDLE = re.compile(r"^[0-9a-f]{10}-[0-9a-f]{6,64}-([a-z]{2})\.json$")  # mapdata.bundle_name of any release


def data_url(atlas: Atlas, lang: str) -> str:
    """Where the browser fetches the map's data: versioned, so it can be cached for good."""
    return f"{DATA_PATH}/{bundle_name(atlas, lang)}"


def register(app, atlas: Atlas, cache_dir=None) -> None:
    names = {data_url(atlas, lang).rsplit("/", 1)[1]: lang for lang in LANGS}
    lock = threading.Lock()

    @functools.lru_cache(maxsize=len(LANGS))
    def bundle_for(lang: str) -> BundleFile:
        with lock:  # one build per worker, even when threads ask at once
            return BundleFile.cached(atlas, lang, cache_dir)

    current = {lang: name for name, lang in names.items()}

    @app.server.route(f"{DATA_PATH}/<name>")
    def map_data(name):
        if name not in names:
            # A page served by a replica of the previous release or dataset (a rolling update)
            # asks for its own bundle: send it this replica's, never a failed map.
            older = OLD_BUNDLE.match(name)
            if older and older.group(1) in current:
                response = redirect(f"{DATA_PATH}/{current[older.group(1)]}", code=307)
                response.headers["Cache-Control"] = "no-store"
                return response
            return Response('{"error": "unknown map data version"}', status=404, mimetype="application/json")
        bundle = bundle_for(names[name])
        if request.if_none_match.contains(bundle.etag.strip('"')):
            response = Response(status=304)
        elif "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(bundle.gzipped, mimetype="application/json")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(bundle.body, mimetype="application/json")
        response.headers["ETag"] = bundle.etag
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # the URL names the version
        return response
