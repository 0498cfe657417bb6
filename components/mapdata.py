"""The map's data for the browser: what assets/map.js needs to filter and draw without the server.

Built once per (dataset version, language) and served as one cacheable JSON file, so a filter
change, a timeline step or Play never waits for a round trip. Columnar (one list per field),
company and deal-type references as indexes, dates as days since 1970-01-01, amounts in
dollars with null for undisclosed. The map's numbers (sizes, label metrics, money rounding) come
from alliance/drawing.py and alliance/: map.js reads them from here and types none of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import json
import logging
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from alliance import drawing, i18n
from alliance.atlas import Atlas
from alliance.exposure import CONVERGED_USD, MAX_ROUNDS
from alliance.graph import ARROW_POINT, CURVE_POINTS, PARALLEL_BEND, PARALLEL_STEP, SINGLE_BEND, curve_controls
from alliance.layout import LAYOUT_VERSION, MAX_NODE_PX, MIN_NODE_PX
from alliance.ledger import money_states
from alliance.money import MONEY_TYPES
from alliance.schema import DEAL_TYPES, MONEY_STATES, ROLES, STRONG_TIERS, UNCOUNTED_STATUSES
from alliance.viewstate import DEPTHS, MAX_AMOUNT, MAX_LIST, month_end

from .theme import DIM_ALPHA, ROLE_STYLE, SOFT_DIM_ALPHA, THEMES, themed_layout

log = logging.getLogger(__name__)

STATE_INDEX = {state: i for i, state in enumerate(MONEY_STATES)}
BUNDLE_FORMAT = 4  # bump when the shape changes (part of the URL, so browsers never mix formats)
EPOCH = dt.date(1970, 1, 1)
ROUND_DIGITS = 5  # positions and control points: 1e-5 of the map is far below a pixel

# Catalog messages the browser formats itself (counts and amounts change with every filter), beside
# the number and money formats (alliance/i18n.py `formats`).
STRING_KEYS = (
    "map.caption",
    "map.deals",
    "map.no_deals",
    "hover.flow_deals",
    "hover.click",
    "hover.no_stated",
    "hover.in_view",
    "hover.stated",
    "hover.no_stated_amount",
    "hover.undisclosed_extra",
)


def _days(dates: pd.Series) -> list[int]:
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64).tolist()


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


def _amounts(values: pd.Series) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def _round(values: np.ndarray) -> list:
    return np.round(np.asarray(values, dtype=float), ROUND_DIGITS).tolist()


def constants() -> dict:
    """The numbers the browser's map draws with: alliance/drawing.py's, and those of the layout,
    curves, theme and view state."""
    return {
        **drawing.constants(),
        "dim_alpha": DIM_ALPHA,
        "soft_dim_alpha": SOFT_DIM_ALPHA,
        "min_node_px": MIN_NODE_PX,
        "max_node_px": MAX_NODE_PX,
        "curve_points": CURVE_POINTS,
        "arrow_point": ARROW_POINT,
        "layout_version": LAYOUT_VERSION,
        "bends": [SINGLE_BEND, PARALLEL_BEND, PARALLEL_STEP],
        "max_list": MAX_LIST,
        "depths": DEPTHS,
        "exposure_converged_usd": CONVERGED_USD,
        "exposure_max_rounds": MAX_ROUNDS,
    }


def strings(lang: str) -> dict:
    catalog = i18n.catalog(i18n.resolve(lang))
    return {
        **i18n.formats(lang),
        **{key: catalog[key] for key in STRING_KEYS},
        "deal_type": {key: i18n.deal_type(key, lang) for key in DEAL_TYPES},
    }


def code_key(lang: str) -> str:
    """What the bundle takes from the code rather than the data (format, constants, colours,
    messages): part of its URL and cache file name, so a new release never serves an old copy."""
    code = [BUNDLE_FORMAT, constants(), THEMES, ROLE_STYLE, strings(lang)]
    return hashlib.sha256(json.dumps(code, sort_keys=True, default=str).encode()).hexdigest()[:10]


def code_parts(lang: str) -> dict:
    """The bundle's parts that come from the code, not the data (tests/js/ draws hand-made data
    with exactly these: tests/test_mapjs.py hands them to node)."""
    return {
        "lang": lang,
        "constants": constants(),
        "types": list(DEAL_TYPES),
        "roles": list(ROLES),
        "role_style": [ROLE_STYLE[r] for r in ROLES],
        "themes": {name: {**colors, "layout": themed_layout(name)} for name, colors in THEMES.items()},
        "strings": strings(lang),
        "max_amount": MAX_AMOUNT,
    }


def bundle_name(atlas: Atlas, lang: str) -> str:
    """The bundle's file name: code key, dataset version and language."""
    return f"{code_key(lang)}-{atlas.dataset.version}-{lang}.json"


def map_bundle(atlas: Atlas, lang: str) -> dict:
    """Everything assets/map.js needs to draw any view of this dataset in `lang`."""
    dataset = atlas.dataset
    companies, deals = dataset.companies, dataset.deals
    geometry = atlas.geometry
    index = {cid: i for i, cid in enumerate(companies.index)}
    type_index = {key: i for i, key in enumerate(DEAL_TYPES)}
    role_index = {key: i for i, key in enumerate(ROLES)}
    deal_row = {did: i for i, did in enumerate(deals["id"])}
    positions = np.array([geometry.positions[c] for c in companies.index], dtype=float).reshape(-1, 2)
    heads = atlas.company_hover_for(lang)
    deal_controls = curve_controls(deals, geometry.positions)
    flow_controls = curve_controls(geometry.flows, geometry.positions)
    kind = deals["amount_kind"].fillna("").replace("", "flow") if "amount_kind" in deals else "flow"
    status = deals["status"].fillna("") if "status" in deals else pd.Series("", index=deals.index)
    supersedes = deals["supersedes"].fillna("") if "supersedes" in deals else pd.Series("", index=deals.index)
    rounds = dataset.rounds if dataset.rounds is not None else pd.DataFrame(columns=["company_id", "total_usd"])
    round_index = {rid: i for i, rid in enumerate(rounds.index)}
    return {
        "format": BUNDLE_FORMAT,
        "version": dataset.version,
        **code_parts(lang),
        "node_peak": atlas.node_peak,
        "months": [[_day(m), _day(month_end(m))] for m in atlas.months],
        "companies": {
            "id": list(companies.index),
            "name": companies["name"].tolist(),
            "role": [role_index[r] for r in companies["primary_role"]],
            "roles": [sum(1 << role_index[r] for r in rs) for rs in companies["role_list"]],
            "x": _round(positions[:, 0]),
            "y": _round(positions[:, 1]),
            "hover": [heads[c] for c in companies.index],
            "deals": [int(atlas.deal_counts.get(c, 0)) for c in companies.index],
        },
        "deals": {
            "id": deals["id"].tolist(),
            "from": [index[c] for c in deals["from_id"]],
            "to": [index[c] for c in deals["to_id"]],
            "type": [type_index[t] for t in deals["deal_type"]],
            "day": _days(deals["date"]),
            "amount": _amounts(deals["amount_usd"]),
            "up_to": (deals["amount_qualifier"] == "up_to").astype(int).tolist(),
            # counted_mask in two parts: what never changes, and the superseded chain (view-dependent)
            "countable": (
                deals["deal_type"].isin(MONEY_TYPES)
                & deals["amount_usd"].notna()
                & pd.Series(kind, index=deals.index).eq("flow")
            )
            .astype(int)
            .tolist(),
            "live": (~status.isin(UNCOUNTED_STATUSES)).astype(int).tolist(),
            "superseded": status.eq("superseded").astype(int).tolist(),
            "supersedes": [deal_row.get(s, -1) for s in supersedes],
            # a primary or major page among the two (the `sources=strong` filter, alliance/filters.py)
            "strong": (deals["source_tier"].isin(STRONG_TIERS) | deals["second_source_tier"].isin(STRONG_TIERS))
            .astype(int)
            .tolist(),
            # the ledger (alliance/ledger.py): money-moving one-off flows, their round and money state
            "flowing": (deals["deal_type"].isin(MONEY_TYPES) & pd.Series(kind, index=deals.index).eq("flow"))
            .astype(int)
            .tolist(),
            "round": [round_index.get(g, -1) for g in deals["group_id"].fillna("")],
            # the `money=` filter reads the recorded state, as alliance/filters.py does
            "state": [
                STATE_INDEX.get(s, -1)
                for s in (deals["money_state"].fillna("") if "money_state" in deals else money_states(deals))
            ],
            "gw": _amounts(pd.to_numeric(deals["compute_gw"], errors="coerce")),  # the stress test's unpaid GW
            "flow": geometry.flow_of_deal.tolist(),
            "cx": _round(deal_controls[:, 0]),
            "cy": _round(deal_controls[:, 1]),
            "hover": list(atlas.hover_for(lang)),
        },
        "rounds": {"to": [index[c] for c in rounds["company_id"]], "total": rounds["total_usd"].astype(float).tolist()},
        "money_states": list(MONEY_STATES),
        "flows": {
            "from": [index[c] for c in geometry.flows["from_id"]],
            "to": [index[c] for c in geometry.flows["to_id"]],
            "type": [type_index[t] for t in geometry.flows["deal_type"]],
            "cx": _round(flow_controls[:, 0]),
            "cy": _round(flow_controls[:, 1]),
        },
    }


class BundleFile:
    """The bundle as served: gzipped JSON and an ETag; the plain JSON only for the rare client
    that does not take gzip. Built on first request per worker, or read from CACHE_DIR."""

    def __init__(self, gzipped: bytes):
        self.gzipped = gzipped
        self.etag = '"' + hashlib.sha256(gzipped).hexdigest()[:20] + '"'

    @functools.cached_property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)

    @classmethod
    def build(cls, atlas: Atlas, lang: str) -> BundleFile:
        body = json.dumps(map_bundle(atlas, lang), separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
        return cls(gzip.compress(body, compresslevel=6, mtime=0))

    @classmethod
    def cached(cls, atlas: Atlas, lang: str, cache_dir: Path | str | None) -> BundleFile:
        """Read from `cache_dir` (keyed by format, dataset version and language), else build and
        write it there atomically; a broken file is rebuilt, a failed write only logs."""
        if cache_dir is None:
            return cls.build(atlas, lang)
        path = Path(cache_dir) / f"mapdata-{bundle_name(atlas, lang)}.gz"
        try:
            gzipped = path.read_bytes()
            gzip.decompress(gzipped)  # a truncated or foreign file raises here
            return cls(gzipped)
        except FileNotFoundError:
            pass
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            log.warning("map data cache %s unreadable (%s); rebuilding", path, error)
        started = time.perf_counter()
        bundle = cls.build(atlas, lang)
        log.info(
            "map data (%s) built in %.1f s, %d KB gzipped",
            lang,
            time.perf_counter() - started,
            len(bundle.gzipped) // 1024,
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                handle.write(bundle.gzipped)
            os.replace(handle.name, path)  # atomic: concurrent workers never read half a file
        except OSError as error:
            log.warning("map data cache %s not written (%s)", path, error)
        return bundle
