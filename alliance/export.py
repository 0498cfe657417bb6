"""Plain records of the deals and companies in view, and the one export path for them.

`deals_export` is what both the page's download buttons and /api/deals(.csv) send, so the two
cannot drift apart: same JSON shape, same CSV (header row even for an empty view).
Pure (no Dash, no Flask) so exports can be tested and reused without a server. Records hold
only JSON-native values: NaN never leaks out (it is not valid JSON), undisclosed amounts are
None, and whole dollar amounts are ints so nobody reads "1e+10" in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import i18n
from .dataset import FORMULA_START, Dataset
from .filters import filter_deals
from .ledger import build_ledger
from .money import counted_mask
from .schema import DEAL_COLUMNS, MONEY_STATES
from .text import data_text
from .viewstate import ViewState

EXPORT_NAME = "ai-alliance-deals"  # download file name, without its extension
EXPORT_FORMATS = {"csv": "text/csv", "json": "application/json"}  # format -> media type

# What an export adds to the data's own columns, each right after the column it is derived from.
DERIVED_FIELDS = {
    "from_id": "from_name",
    "to_id": "to_name",
    "deal_type": "deal_type_label",
    "amount_qualifier": "amount_as_stated",
    "amount_kind": "counted",
}
# The export's fields: every column of deals.csv, in its order, with the derived ones beside them.
DEAL_FIELDS = tuple(
    field for column in DEAL_COLUMNS for field in (column, DERIVED_FIELDS.get(column)) if field is not None
)
COMPANY_FIELDS = (
    "id",
    "name",
    "roles",
    "primary_role",
    "country",
    "website",
    "description",
    "description_ru",
    "money_in_usd",
    "money_out_usd",
)


def _number(value) -> int | float | None:
    """None for missing (NaN), int when whole, else float — all valid JSON."""
    if value is None or math.isnan(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _deal_record(deal, names: pd.Series, counted: bool, lang: str | None = None, state: str = "") -> dict:
    """One deal as JSON-able values. With lang='ru', summary (Russian where translated, else
    English), type label and amount are in Russian; summary_ru always holds the Russian text as stored.
    `state` is the ledger's money state in the view."""
    amount = _number(deal.amount_usd)
    gw = _number(deal.compute_gw)
    summary_ru = getattr(deal, "summary_ru", "")
    return {
        "id": deal.id,
        "date": deal.date.strftime("%Y-%m-%d"),
        "from_id": deal.from_id,
        "from_name": names.get(deal.from_id, deal.from_id),
        "to_id": deal.to_id,
        "to_name": names.get(deal.to_id, deal.to_id),
        "deal_type": deal.deal_type,
        "deal_type_label": i18n.deal_type(deal.deal_type, lang),
        "amount_usd": amount,
        "amount_qualifier": deal.amount_qualifier,
        "amount_as_stated": i18n.amount_as_stated(amount, deal.amount_qualifier, lang),
        "compute_gw": None if gw is None else float(gw),
        "status": deal.status,
        "summary": data_text(deal.summary, summary_ru, lang)[0],
        "source_url": deal.source_url,
        "source_name": deal.source_name,
        "second_source_url": deal.second_source_url,
        "group_id": deal.group_id,
        "notes": deal.notes,
        "amount_kind": deal.amount_kind,
        "counted": counted,  # whether amount_usd enters the totals (alliance.money.counted_mask)
        "supersedes": deal.supersedes,
        "source_tier": getattr(deal, "source_tier", ""),
        "second_source_tier": getattr(deal, "second_source_tier", ""),
        "added_on": getattr(deal, "added_on", ""),
        "checked_on": getattr(deal, "checked_on", ""),
        "summary_ru": summary_ru,
        "money_state": state,  # the ledger's: paid|contracted|conditional, '' where nothing can count in view
    }


def deal_records(dataset: Dataset, deals: pd.DataFrame, lang: str | None = None) -> list[dict]:
    """One record per deal in `deals` (rows of dataset.deals), in their order, keys as DEAL_FIELDS;
    texts in `lang` (see _deal_record; None or 'en' = English, the data's language)."""
    names = dataset.companies["name"]
    counted = counted_mask(deals).tolist()
    states = build_ledger(deals, dataset).deals["state"].tolist()
    return [
        _deal_record(deal, names, bool(flag), lang, state)
        for deal, flag, state in zip(deals.itertuples(index=False), counted, states, strict=True)
    ]


def money_record(totals: pd.DataFrame, company: str, side: str) -> dict:
    """{"total", "paid", "contracted", "conditional"} whole dollars for one side of the ledger."""
    row = totals.loc[company] if company in totals.index else None
    return {
        key: _number(0.0 if row is None else row[f"{side}_{'usd' if key == 'total' else key}"])
        for key in ("total",) + MONEY_STATES
    }


def company_records(
    dataset: Dataset,
    company_ids: Iterable[str] | None = None,
    lang: str | None = None,
    deals: pd.DataFrame | None = None,
) -> list[dict]:
    """Companies in dataset order; only those in `company_ids` when given (unknown ids are skipped).
    With lang='ru', description is the Russian text where there is one; description_ru as stored.
    Each carries the ledger's money_in_usd and money_out_usd over `deals` (all deals when None)."""
    companies = dataset.companies
    if company_ids is not None:
        companies = companies[companies.index.isin(set(company_ids))]
    totals = build_ledger(dataset.deals if deals is None else deals, dataset).totals()
    return [
        {
            "id": c.id,
            "name": c.name,
            "roles": list(c.role_list),
            "primary_role": c.primary_role,
            "country": c.country,
            "website": c.website,
            "description": data_text(c.description, getattr(c, "description_ru", ""), lang)[0],
            "description_ru": getattr(c, "description_ru", ""),
            "money_in_usd": money_record(totals, c.id, "in"),
            "money_out_usd": money_record(totals, c.id, "out"),
        }
        for c in companies.itertuples(index=False)
    ]


def _cell(value) -> str:
    """CSV cell text: '' for None, roles lists joined the way companies.csv writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def spreadsheet_safe(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs (OWASP CSV injection): text starting
    with = + - @ tab or CR gets a leading apostrophe; numbers, negative ones too, stay numbers."""
    text = _cell(value)
    if not text.startswith(FORMULA_START) or isinstance(value, (int, float)):
        return text
    try:
        if math.isfinite(float(text)):
            return text  # '-12.5' written as text is still a number to a spreadsheet, and harmless
    except ValueError:
        pass
    return "'" + text


def records_to_csv(records: list[dict], fields: Iterable[str] | None = None) -> str:
    """RFC 4180 CSV (CRLF, minimal quoting) with a header row of the records' keys in order.

    Pass `fields` so an empty export still has its header row.
    """
    fields = list(fields) if fields is not None else list(records[0]) if records else []
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if fields:
        writer.writerow(fields)
    writer.writerows([spreadsheet_safe(rec.get(f)) for f in fields] for rec in records)
    return out.getvalue()


def state_dict(state: ViewState) -> dict:
    """The view state as JSON: what a client asked for, in the URL's own parameter names."""
    return {
        "types": list(state.types),
        "roles": list(state.roles),
        "from": state.date_from.isoformat(),
        "to": state.date_to.isoformat(),
        "focus": state.focus,
        "depth": state.depth,
        "min_amount": _number(state.min_amount),
        "company": state.company,
        "deal": state.deal,
        "cycle": state.cycle,
        "view": state.view,
        "sources": state.sources,
    }


def round_records(dataset: Dataset) -> list[dict]:
    """Known round totals, oldest first, with the deal ids of their investors."""
    deals = dataset.deals
    return [
        {
            "id": r.id,
            "company_id": r.company_id,
            "company_name": dataset.companies["name"].get(r.company_id, r.company_id),
            "date": r.date.strftime("%Y-%m-%d"),
            "total_usd": _number(r.total_usd),
            "qualifier": r.qualifier,
            "total_as_stated": i18n.amount_as_stated(r.total_usd, r.qualifier),
            "leads": [lead.strip() for lead in r.leads.split(";") if lead.strip()],
            "deal_ids": deals.loc[deals["group_id"] == r.id, "id"].tolist(),
            "source_url": r.source_url,
            "source_name": r.source_name,
            "second_source_url": r.second_source_url,
            "notes": r.notes,
        }
        for r in dataset.rounds.itertuples(index=False)
    ]


def cycle_records(search, names: pd.Series) -> dict:
    """JSON-able circular deals: company ids in flow order, each hop's deals and stated dollars."""
    return {
        "capped": search.capped,
        "cap_reason": search.cap_reason,
        "count": len(search.cycles),
        "cycles": [
            {
                "id": cycle.id,
                "companies": list(cycle.companies),
                "names": [names[c] for c in cycle.companies],
                "bottleneck_usd": _number(cycle.bottleneck),
                "latest": cycle.latest.date().isoformat(),
                "hops": [
                    {
                        "from_id": hop.from_id,
                        "to_id": hop.to_id,
                        "deal_ids": list(hop.deal_ids),
                        "stated_usd": _number(hop.stated_total),
                        "qualifiers": list(hop.qualifiers),
                        "undisclosed": hop.undisclosed,
                    }
                    for hop in cycle.hops
                ],
            }
            for cycle in search.cycles
        ],
    }


@dataclass(frozen=True)
class Export:
    """One download: the file's text, its name and its media type."""

    content: str
    filename: str
    mimetype: str


def to_json(payload: dict) -> str:
    """JSON keeping our key order, non-ASCII as is, and refusing NaN (not valid JSON)."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False)


def deals_export(dataset: Dataset, state: ViewState, query: str, fmt: str, deals: pd.DataFrame | None = None) -> Export:
    """The deals in view as `fmt` ('csv' or 'json'); `query` is the view's canonical query string,
    `deals` the state's deals in view when the caller has them already (Atlas.deals_in_view).

    JSON: {"view", "query", "count", "deals"}; CSV: a header row of DEAL_FIELDS, then one row per deal.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    records = deal_records(dataset, filter_deals(dataset, state) if deals is None else deals, state.lang)
    if fmt == "json":
        content = to_json({"view": state_dict(state), "query": query, "count": len(records), "deals": records})
    else:
        content = records_to_csv(records, DEAL_FIELDS)
    return Export(content, f"{EXPORT_NAME}.{fmt}", EXPORT_FORMATS[fmt])
