"""GET /feed.atom: the most recently announced deals as Atom, filtered by the page's parameters.

It reads the query like /api does (a parameter the page would only warn about is a 400, with
the codec's non-echoing message), so `?types=chip_supply` follows one kind of deal.
"""

from __future__ import annotations

from typing import Callable

from flask import Flask, Response, request

from alliance.atlas import Atlas
from alliance.feed import FEED_ORDERS, atom_feed
from alliance.sharing import FEED_PATH
from alliance.viewstate import Notice

from .api import BadQuery, _cached, _view

ATOM_MIMETYPE = "application/atom+xml"


def register(server: Flask, atlas: Atlas, base_url: Callable[[], str]) -> None:
    """base_url() gives the public origin for the feed's absolute links (see sharing.base_url)."""
    dataset = atlas.dataset

    @server.get(FEED_PATH, endpoint="feed_atom")
    def feed_atom():
        view = _view(atlas)
        state, query = view.state, view.query
        order = request.args.get("order", "announced")
        if order not in FEED_ORDERS:
            raise BadQuery(
                Notice(
                    "order",
                    "Use order=announced (newest announcement first) or order=added "
                    "(in the order deals entered the dataset).",
                )
            )
        if order == "added":
            query = f"{query}{'&' if query else '?'}order=added"
        base = base_url()
        body = atom_feed(dataset, view.deals, base_url=base, query=query, types=state.types, order=order)
        response = Response(body, mimetype=ATOM_MIMETYPE)  # Werkzeug adds '; charset=utf-8'
        return _cached(response, dataset.version, "feed.atom", base + query)
