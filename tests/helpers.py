"""Builders and request helpers shared by several test modules (fixtures live in conftest.py).

- The tiny hand-made dataset: TINY_COMPANIES, TINY_DEALS, deal_row, write_dataset.
- deals_frame: a deals table from (from, to, amount, ...) tuples; problems_for: a dataset's problems.
- head_of: the <meta>/<link> tags of a page's <head>.
- Dash callback requests built from /_dash-dependencies (UPDATE, well_formed, post, assert_clean).
- wait_until: poll a condition with a deadline, instead of a fixed sleep.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from alliance.dataset import DatasetError, load_dataset
from alliance.ledger import default_money_state
from alliance.schema import COMPANY_COLUMNS, DEAL_COLUMNS, ROUND_COLUMNS

# Every deal type and company role, in the drawer's order, written out by hand (not read from
# alliance.schema, so that a type dropped or reordered there fails the tests that use these).
ALL_TYPES = [
    "equity_investment",
    "compute_commitment",
    "chip_supply",
    "joint_venture",
    "acquisition",
    "acquihire_licensing",
    "debt_financing",
    "restructuring",
    "model_distribution",
]
ALL_ROLES = ["investor", "model_lab", "cloud_provider", "neocloud", "chipmaker", "infrastructure", "application"]


def controls(timeline=(0, 24), **changes) -> dict:
    """The drawer's values as the sync callback gets them: everything shown, over `timeline`."""
    values = dict(
        types=ALL_TYPES,
        roles=ALL_ROLES,
        focus=None,
        depth=1,
        min_amount=0,
        timeline=list(timeline),
        view="network",
        every=[],
    )
    values.update(changes)
    return values


def exported_view(types, date_from, date_to, roles=ALL_ROLES) -> dict:
    """The "view" of a JSON export or /api/deals answer whose link sets only types and dates."""
    return {
        "types": types,
        "roles": roles,
        "from": date_from,
        "to": date_to,
        "focus": None,
        "depth": 1,
        "min_amount": 0,
        "company": None,
        "deal": None,
        "cycle": None,
        "view": "network",
        "sources": "all",
    }


TINY_COMPANIES = [
    {"id": "fund", "name": "Fund Capital", "roles": "investor", "primary_role": "investor"},
    {"id": "lab", "name": "Lab AI", "roles": "model_lab", "primary_role": "model_lab"},
    {"id": "cloud", "name": "Cloud Co", "roles": "cloud_provider;investor", "primary_role": "cloud_provider"},
    {"id": "chips", "name": "Chips Inc", "roles": "chipmaker;investor", "primary_role": "chipmaker"},
    {"id": "app", "name": "App Co", "roles": "application", "primary_role": "application"},
]


TINY_DEALS = [
    # id, date, from, to, type, amount, qualifier, gw, status
    ("d1", "2023-03-10", "fund", "lab", "equity_investment", "1000000000", "exact", "", "completed"),
    ("d2", "2024-06-01", "lab", "cloud", "compute_commitment", "30000000000", "exact", "", "announced"),
    ("d3", "2024-06-20", "cloud", "chips", "chip_supply", "", "undisclosed", "1", "announced"),
    ("d4", "2025-01-15", "chips", "lab", "equity_investment", "10000000000", "up_to", "", "announced"),
    ("d5", "2025-02-01", "lab", "cloud", "model_distribution", "", "undisclosed", "", "announced"),
    ("d6", "2025-02-03", "cloud", "lab", "equity_investment", "5000000000", "up_to", "", "announced"),
    ("d7", "2025-03-01", "lab", "app", "acquisition", "650000000", "about", "", "completed"),
]


def lab_round(**changes) -> dict:
    """The tiny dataset's one funding round (rounds.csv): Lab's $20B Series A of 15 Jan 2025."""
    return {
        "id": "lab-series-a",
        "company_id": "lab",
        "date": "2025-01-15",
        "total_usd": "20000000000",
        "qualifier": "exact",
        "leads": "Chips Inc",
        "source_url": "https://example.com/r",
        "source_name": "Example",
        **changes,
    }


def deal_row(values) -> dict:
    row = dict.fromkeys(DEAL_COLUMNS, "")
    keys = ("id", "date", "from_id", "to_id", "deal_type", "amount_usd", "amount_qualifier", "compute_gw", "status")
    row.update(zip(keys, values, strict=True))
    row.update(
        summary=f"Test deal {values[0]}",
        source_url=f"https://example.com/{values[0]}",
        source_name="Example",
        source_tier="primary",
        added_on="2025-12-01",
        checked_on="2025-12-01",
        summary_ru=f"Тестовая сделка {values[0]}",
    )
    return row


def write_dataset(folder: Path, companies=None, deals=None, as_of=None, meta=None, rounds=None) -> Path:
    """Write companies.csv / deals.csv / meta.json (and rounds.csv when `rounds` is given); rows
    are dicts (missing columns blank). `as_of` writes an old-style meta file instead of `meta`."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        ("companies.csv", COMPANY_COLUMNS, companies if companies is not None else TINY_COMPANIES),
        ("deals.csv", DEAL_COLUMNS, deals if deals is not None else [deal_row(d) for d in TINY_DEALS]),
    ]
    if rounds is not None:
        files.append(("rounds.csv", ROUND_COLUMNS, rounds))
    for name, columns, rows in files:
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                if name == "deals.csv" and not row.get("money_state"):  # blank: the state its status implies
                    row = {**row, "money_state": default_money_state(row)}
                writer.writerow({c: row.get(c, "") for c in columns})
    if meta is None:
        meta = {"as_of": as_of} if as_of is not None else {"covered_through": "2025-11-30", "compiled_on": "2025-12-01"}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def deals_frame(rows) -> pd.DataFrame:
    """rows: (from_id, to_id, amount_or_None[, deal_type[, date[, qualifier[, compute_gw]]]]).

    Deal ids are d1, d2, ... in row order; the qualifier defaults to exact / undisclosed.
    """
    records = []
    for i, row in enumerate(rows, start=1):
        src, dst, amount, *rest = row
        deal_type, date, qualifier, gw = (list(rest) + [None] * 4)[:4]
        records.append(
            {
                "id": f"d{i}",
                "date": date or "2025-01-01",
                "from_id": src,
                "to_id": dst,
                "deal_type": deal_type or "equity_investment",
                "amount_usd": float("nan") if amount is None else float(amount),
                "amount_qualifier": qualifier or ("undisclosed" if amount is None else "exact"),
                "compute_gw": float("nan") if gw is None else float(gw),
                "status": "announced",
                "summary": "test",
                "source_url": "https://example.com",
                "source_name": "Example",
                "second_source_url": "",
                "group_id": "",
                "notes": "",
            }
        )
    frame = pd.DataFrame(records, columns=list(DEAL_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame


def problems_for(tmp_path, companies=None, deals=None, **kwargs) -> list[str]:
    folder = write_dataset(tmp_path / "bad", companies, deals, **kwargs)
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder, today=dt.date(2025, 12, 1))
    return [str(p) for p in caught.value.problems]


class HeadParser(HTMLParser):
    """Collects <meta property|name=… content=…> and <link rel=…> from a page's <head>."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.tags: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if not self.in_head:
            return
        self.tags.append(tag)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        if tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def head_of(html: str) -> HeadParser:
    parser = HeadParser()
    parser.feed(html)
    return parser


UPDATE = "/_dash-update-component"


def outputs_of(output: str) -> list[dict] | dict:
    """Dash's output string as the renderer sends it: '..a.b...c.d..' a list, 'a.b' one object."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        result.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop.split("@")[0]})
    return result if output.startswith("..") else result[0]


def dependency(spec: dict, value):
    """One inputs/state entry; pattern (ALL) ids get a list holding one matching component."""
    ident = spec["id"]
    if ident.startswith("{"):
        pattern = json.loads(ident)
        concrete = {k: ("x" if isinstance(v, list) else v) for k, v in pattern.items()}
        if any(v == ["MATCH"] for v in pattern.values()):
            return {"id": concrete, "property": spec["property"], "value": value}
        return [{"id": concrete, "property": spec["property"], "value": value}]
    return {"id": ident, "property": spec["property"], "value": value}


def well_formed(dep: dict, values=None) -> dict:
    values = values or {}
    return {
        "output": dep["output"],
        "outputs": outputs_of(dep["output"]),
        "inputs": [dependency(s, values.get(("inputs", i))) for i, s in enumerate(dep["inputs"])],
        "state": [dependency(s, values.get(("state", i))) for i, s in enumerate(dep["state"])],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
        "parsedChangedPropsIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


def post(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(UPDATE, data=data, content_type="application/json")


def assert_clean(response, caplog):
    assert response.status_code < 500, response.data[:300]
    assert b"Traceback" not in response.data and b"<" not in response.data[:1]
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert "Traceback" not in record.getMessage()


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.05, message: str = ""):
    """Poll `predicate()` until it returns something truthy (returned), failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, message or f"condition not met within {timeout} s"
        time.sleep(interval)
