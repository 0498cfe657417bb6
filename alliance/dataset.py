"""Load and validate the curated dataset (data/companies.csv, data/deals.csv, data/meta.json).

Validation collects *every* problem (file, row, column, reason) before failing, so a curator
fixes a file in one pass; the app refuses to start on any problem rather than half-load.
Row numbers are the line numbers of the CSV file (the header is line 1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .schema import (
    COMPANY_COLUMNS, COMPANY_REQUIRED, DEAL_COLUMNS, DEAL_REQUIRED, DEAL_TYPES, QUALIFIERS,
    ROLES, STATUSES,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class DatasetError(Exception):
    """Raised with every problem found; str() is one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Dataset:
    companies: pd.DataFrame  # indexed by id
    deals: pd.DataFrame  # one row per deal, `date` as datetime64, amounts as float (NaN = none)
    version: str  # content hash of the data files
    as_of: str  # ISO date the curators last checked the sources

    @property
    def first_month(self) -> str:
        return self.deals["date"].min().strftime("%Y-%m")

    @property
    def last_month(self) -> str:
        return self.deals["date"].max().strftime("%Y-%m")


def _read_csv(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> pd.DataFrame | None:
    if not path.exists():
        problems.append(Problem(path.name, None, None, "file not found"))
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, None, None, f"cannot be parsed as CSV: {exc}"))
        return None
    missing = [c for c in columns if c not in frame.columns]
    for column in missing:
        problems.append(Problem(path.name, 1, column, "missing column in header"))
    if missing:
        return None
    frame = frame[list(columns)].apply(lambda col: col.str.strip())
    frame.index = range(2, len(frame) + 2)  # CSV line numbers
    return frame


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # CSV injection: see export.spreadsheet_safe


def validate_companies(frame: pd.DataFrame, file: str = "companies.csv") -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row, rec in frame.iterrows():
        for column in COMPANY_REQUIRED:
            if not rec[column]:
                problems.append(Problem(file, row, column, "required value is empty"))
        cid = rec["id"]
        if cid and not SLUG.match(cid):
            problems.append(Problem(file, row, "id", f"'{cid}' is not a lowercase slug (a-z, 0-9, -)"))
        if cid in seen:
            problems.append(Problem(file, row, "id", f"duplicate id '{cid}' (first on row {seen[cid]})"))
        seen.setdefault(cid, row)
        roles = [r.strip() for r in rec["roles"].split(";") if r.strip()]
        for role in roles:
            if role not in ROLES:
                problems.append(Problem(file, row, "roles", f"unknown role '{role}' (known: {', '.join(ROLES)})"))
        if rec["primary_role"] and rec["primary_role"] not in roles:
            problems.append(Problem(file, row, "primary_role", f"'{rec['primary_role']}' is not one of this company's roles"))
        if rec["name"].startswith(FORMULA_START):
            problems.append(Problem(file, row, "name", "starts with = + - @, a tab or a carriage return, "
                                                        "which a spreadsheet would run as a formula"))
        if rec["website"] and not URL.match(rec["website"]):
            problems.append(Problem(file, row, "website", f"'{rec['website']}' is not an http(s) URL"))
    return problems


def validate_deals(frame: pd.DataFrame, company_ids: set[str], today: dt.date,
                   file: str = "deals.csv") -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple, list[int]] = {}

    def report(row, column, reason):
        problems.append(Problem(file, row, column, reason))

    for row, rec in frame.iterrows():
        for column in DEAL_REQUIRED:
            if not rec[column]:
                report(row, column, "required value is empty")
        deal_id = rec["id"]
        if deal_id and not SLUG.match(deal_id):
            report(row, "id", f"'{deal_id}' is not a lowercase slug (a-z, 0-9, -)")
        if deal_id in seen_ids:
            report(row, "id", f"duplicate id '{deal_id}' (first on row {seen_ids[deal_id]})")
        seen_ids.setdefault(deal_id, row)

        date = None
        if rec["date"]:
            try:
                if not ISO_DATE.match(rec["date"]):
                    raise ValueError
                date = dt.date.fromisoformat(rec["date"])
            except ValueError:
                report(row, "date", f"'{rec['date']}' is not a date in YYYY-MM-DD form")
            else:
                if date > today:
                    report(row, "date", f"{date} is in the future (today is {today})")

        for column in ("from_id", "to_id"):
            if rec[column] and rec[column] not in company_ids:
                report(row, column, f"unknown company id '{rec[column]}'")
        if rec["from_id"] and rec["from_id"] == rec["to_id"]:
            report(row, "to_id", "a deal needs two different companies")

        if rec["deal_type"] and rec["deal_type"] not in DEAL_TYPES:
            report(row, "deal_type", f"unknown deal type '{rec['deal_type']}' (known: {', '.join(DEAL_TYPES)})")
        if rec["status"] and rec["status"] not in STATUSES:
            report(row, "status", f"unknown status '{rec['status']}' (known: {', '.join(STATUSES)})")
        qualifier = rec["amount_qualifier"]
        if qualifier and qualifier not in QUALIFIERS:
            report(row, "amount_qualifier", f"unknown qualifier '{qualifier}' (known: {', '.join(QUALIFIERS)})")

        amount = None
        if rec["amount_usd"]:
            amount = _parse_number(rec["amount_usd"])
            if amount is None:
                report(row, "amount_usd", f"'{rec['amount_usd']}' is not a number (write plain USD, e.g. 10000000000)")
            elif amount < 0:
                report(row, "amount_usd", f"negative amount {rec['amount_usd']}")
        if qualifier == "undisclosed" and rec["amount_usd"]:
            report(row, "amount_qualifier", "qualifier is 'undisclosed' but an amount is given")
        if qualifier in ("exact", "up_to", "about") and not rec["amount_usd"]:
            report(row, "amount_qualifier", f"qualifier is '{qualifier}' but amount_usd is empty (use 'undisclosed')")

        if rec["compute_gw"]:
            gw = _parse_number(rec["compute_gw"])
            if gw is None or gw <= 0:
                report(row, "compute_gw", f"'{rec['compute_gw']}' is not a positive number of gigawatts")

        for column in ("source_url", "second_source_url"):
            if rec[column] and not URL.match(rec[column]):
                report(row, column, f"'{rec[column]}' is not an http(s) URL")

        if date and rec["from_id"] and rec["to_id"] and rec["deal_type"]:
            key = (rec["from_id"], rec["to_id"], rec["deal_type"], date.strftime("%Y-%m"))
            for other in seen_keys.get(key, []):
                if not _distinct_parts(frame.loc[other], rec):
                    report(row, None, (f"likely duplicate of row {other}: same parties, type and month "
                                       f"({key[0]} -> {key[1]}, {key[2]}, {key[3]}); if both are real, give "
                                       "them different group_ids, or one group_id and different amounts (tranches)"))
                    break
            seen_keys.setdefault(key, []).append(row)
    return problems


def _distinct_parts(a: pd.Series, b: pd.Series) -> bool:
    """Two same-month deals between the same parties are distinct when curators said so:
    different group_ids (two rounds), or one group_id with different amounts (two tranches)."""
    if not (a["group_id"] and b["group_id"]):
        return False
    return a["group_id"] != b["group_id"] or a["amount_usd"] != b["amount_usd"]


def _content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR, today: dt.date | None = None) -> Dataset:
    """Read, validate and type the dataset; raise DatasetError listing every problem."""
    data_dir = Path(data_dir)
    today = today or dt.date.today()
    problems: list[Problem] = []
    companies = _read_csv(data_dir / "companies.csv", COMPANY_COLUMNS, problems)
    deals = _read_csv(data_dir / "deals.csv", DEAL_COLUMNS, problems)
    as_of = ""
    meta_path = data_dir / "meta.json"
    try:
        as_of = str(json.loads(meta_path.read_text(encoding="utf-8")).get("as_of", ""))
        dt.date.fromisoformat(as_of)
    except FileNotFoundError:
        problems.append(Problem("meta.json", None, None, "file not found"))
    except (json.JSONDecodeError, ValueError, AttributeError):
        problems.append(Problem("meta.json", None, "as_of", f"'{as_of}' is not an ISO date (or the file is not JSON)"))

    if companies is not None:
        problems += validate_companies(companies)
    if deals is not None:
        ids = set(companies["id"]) if companies is not None else set()
        problems += validate_deals(deals, ids, today)
        if deals.empty:
            problems.append(Problem("deals.csv", None, None, "no deals"))
    if problems:
        raise DatasetError(problems)

    companies = companies.set_index("id", drop=False)
    companies["role_list"] = companies["roles"].map(lambda s: [r.strip() for r in s.split(";") if r.strip()])
    deals = deals.copy()
    deals["date"] = pd.to_datetime(deals["date"], format="%Y-%m-%d")
    deals["amount_usd"] = pd.to_numeric(deals["amount_usd"].replace("", None), errors="raise").astype(float)
    deals["compute_gw"] = pd.to_numeric(deals["compute_gw"].replace("", None), errors="raise").astype(float)
    deals = deals.sort_values(["date", "id"]).reset_index(drop=True)
    version = _content_hash([data_dir / "companies.csv", data_dir / "deals.csv", meta_path])
    return Dataset(companies=companies, deals=deals, version=version, as_of=as_of)
