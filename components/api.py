"""Read-only JSON and CSV endpoints that take the page's own query parameters.

/api/deals, /api/deals.csv, /api/cycles, /api/companies and /api/exposure(.csv) parse the query with
the same codec as the page, so any share link's query works here unchanged; /api/deals(.csv) send the
very file the page's download buttons do (alliance.export.deals_export). /api/rounds takes no filters.
A query the page would only warn about is a 400 here (a script should not silently get a different
view than it asked for). Responses are JSON or CSV only, never HTML, and errors carry just the
codec's own (non-echoing) message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd
from flask import Flask, Response, request

from alliance.atlas import Atlas, View, filter_key
from alliance.export import (
    company_records,
    cycle_records,
    deals_export,
    records_to_csv,
    round_records,
    state_dict,
    to_json,
)
from alliance.exposure import EXPOSURE_CSV_FIELDS, exposure_record, exposure_rows
from alliance.viewstate import Notice, default_state

CACHE_CONTROL = "public, max-age=300"
BAD_ENCODING = Notice("query", "The query string is not valid UTF-8.")
ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
BAD_ADDED_SINCE = Notice("added_since", "Use added_since=YYYY-MM-DD (a real day).")
NO_FAIL = Notice("fail", "Name one or more failing companies: fail=<company id>, several joined with '~'.")


class BadQuery(ValueError):
    """A query the codec had to correct; the API answers 400 instead of guessing."""

    def __init__(self, notice: Notice):
        super().__init__(notice.message)
        self.notice = notice


def _view(atlas: Atlas) -> View:
    """The request's view (its canonical query: view.query); BadQuery on the first notice."""
    try:
        query = request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise BadQuery(BAD_ENCODING) from None
    view = atlas.view(query)
    if view.notices:
        raise BadQuery(view.notices[0])
    return view


def _json(payload: dict, status: int = 200) -> Response:
    """JSON keeping our key order (Flask's jsonify sorts keys)."""
    return Response(to_json(payload), status=status, mimetype="application/json")


def _cached(response: Response, version: str, endpoint: str, query: str) -> Response:
    """Cache headers plus a weak ETag (gzip keeps it valid); answers 304 when it matches."""
    tag = hashlib.sha256(f"{version}|{endpoint}|{query}".encode()).hexdigest()[:20]
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.set_etag(tag, weak=True)
    return response.make_conditional(request)


def added_since() -> dt.date | None:
    """The request's `added_since` day (rows added on or after it), None when absent; BadQuery if malformed."""
    if "added_since" not in request.args:
        return None
    text = request.args.get("added_since", "")
    try:
        if not ISO_DAY.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadQuery(BAD_ADDED_SINCE) from None


def added_on_or_after(deals: pd.DataFrame, day: dt.date | None) -> pd.DataFrame:
    """Deals whose row entered the dataset on or after `day` (all of them when day is None)."""
    return deals if day is None else deals[deals["added_on"] >= day.isoformat()]


def _since_query(query: str, day: dt.date | None) -> str:
    return query if day is None else f"{query}{'&' if query else '?'}added_since={day.isoformat()}"


def _filtered(view: View) -> bool:
    """Whether the view filters deals at all (focus, panels and layout never do)."""
    return filter_key(view.state) != filter_key(default_state(view.atlas.context))


def _company_ids(view: View) -> set[str] | None:
    """Parties to the deals in view when a filter is set; None (all companies) otherwise."""
    if not _filtered(view):
        return None
    deals = view.deals
    return set(deals["from_id"]) | set(deals["to_id"])


def register(server: Flask, atlas: Atlas) -> None:
    """Add the /api routes. Idempotent: a second call on the same server is a no-op, so the
    factory can wire this in while older callers (tests) still call it themselves."""
    if "api_deals" in server.view_functions:
        return
    dataset = atlas.dataset

    @server.errorhandler(BadQuery)
    def bad_query(exc: BadQuery):
        return _json({"error": exc.notice.message, "param": exc.notice.param}, status=400)

    def export_of(fmt: str):
        """What the page's JSON or CSV button downloads for the link, cut to added_since when given."""
        view = _view(atlas)
        day = added_since()
        query = _since_query(view.query, day)
        return deals_export(dataset, view.state, query, fmt, added_on_or_after(view.deals, day)), query

    @server.get("/api/deals", endpoint="api_deals")
    def deals():
        export, query = export_of("json")
        return _cached(Response(export.content, mimetype=export.mimetype), dataset.version, "deals", query)

    @server.get("/api/deals.csv", endpoint="api_deals_csv")
    def deals_csv():
        export, query = export_of("csv")
        response = Response(export.content, mimetype=export.mimetype)  # Werkzeug adds '; charset=utf-8'
        response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return _cached(response, dataset.version, "deals.csv", query)

    @server.get("/api/cycles", endpoint="api_cycles")
    def cycles():
        view = _view(atlas)
        search = view.cycles  # the same search (and cap) as the page's cycle list
        return _cached(
            _json(
                {
                    "view": state_dict(view.state),
                    "query": view.query,
                    **cycle_records(search, dataset.companies["name"]),
                }
            ),
            dataset.version,
            "cycles",
            view.query,
        )

    @server.get("/api/rounds", endpoint="api_rounds")
    def rounds():
        """Every funding round whose total is known; the view's filters do not apply (a round
        counts once, whole, whenever any of its investors is in view)."""
        records = round_records(dataset)
        return _cached(_json({"count": len(records), "rounds": records}), dataset.version, "rounds", "")

    def _exposure_view() -> View:
        view = _view(atlas)
        if not view.state.fail:
            raise BadQuery(NO_FAIL)
        return view

    @server.get("/api/exposure", endpoint="api_exposure")
    def exposure():
        """The stress test of the view: who loses what if the `fail` companies cannot pay."""
        view = _exposure_view()
        record = exposure_record(view.exposure, dataset.companies["name"])
        return _cached(_json(record), dataset.version, "exposure", view.query)

    @server.get("/api/exposure.csv", endpoint="api_exposure_csv")
    def exposure_csv():
        view = _exposure_view()
        record = exposure_record(view.exposure, dataset.companies["name"])
        response = Response(records_to_csv(exposure_rows(record), EXPOSURE_CSV_FIELDS), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="ai-alliance-exposure.csv"'
        return _cached(response, dataset.version, "exposure.csv", view.query)

    @server.get("/api/companies", endpoint="api_companies")
    def companies():
        view = _view(atlas)
        records = company_records(dataset, _company_ids(view), view.state.lang, view.deals)
        return _cached(_json({"count": len(records), "companies": records}), dataset.version, "companies", view.query)
