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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .schema import (
    AMOUNT_KINDS,
    COMPANY_COLUMNS,
    COMPANY_REQUIRED,
    DEAL_COLUMNS,
    DEAL_REQUIRED,
    DEAL_TYPES,
    LENIENT_RULES,
    MONEY_STATES,
    QUALIFIERS,
    ROLES,
    ROUND_COLUMNS,
    ROUND_QUALIFIERS,
    ROUND_REQUIRED,
    STATUSES,
    UNCOUNTED_STATUSES,
)
from .sources import SITES_FILE, read_sites, row_problems

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# "Day not stated in sources; month is May 2023": the month a placeholder day stands for.
MONTH_IS = re.compile(r"month is\b(.{0,40})", re.IGNORECASE)
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
# Notes written before the data reached that far; the range is now covered_through, not a batch's.
STALE_RANGE = re.compile(r"outside (?:this|the|our) (?:batch|date range|dataset)|out of (?:the )?range", re.IGNORECASE)
# A Russian text holds at least one Cyrillic letter (an English copy in summary_ru is a mistake).
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Deal types where from_id puts money into to_id as an investor or lender.
INVESTOR_TYPES = ("equity_investment", "debt_financing")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    reason: str
    rule: str = ""  # a phased-in rule's name (schema.LENIENT_RULES); "" for the rules always enforced

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
    covered_through: str  # ISO date: announcements were searched up to this day
    compiled_on: str  # ISO date the curators last checked the sources
    rounds: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(ROUND_COLUMNS)))
    # rounds: indexed by id (= the deals' group_id), `date` as datetime64; empty when none is known
    pending: tuple = ()  # Problems of phased-in rules (schema.LENIENT_RULES): warnings, not refusals

    @property
    def as_of(self) -> str:
        """Older name for compiled_on, kept for callers that still say "as of"."""
        return self.compiled_on


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
            problems.append(
                Problem(file, row, "primary_role", f"'{rec['primary_role']}' is not one of this company's roles")
            )
        if rec["name"].startswith(FORMULA_START):
            problems.append(
                Problem(
                    file,
                    row,
                    "name",
                    "starts with = + - @, a tab or a carriage return, which a spreadsheet would run as a formula",
                )
            )
        if rec["website"] and not URL.match(rec["website"]):
            problems.append(Problem(file, row, "website", f"'{rec['website']}' is not an http(s) URL"))
        problems.extend(
            Problem(file, row, column, reason, rule)
            for column, reason, rule in _russian_problems(rec, "description", "description_ru")
        )
    return problems


def _russian_problems(rec, english: str, russian: str) -> list[tuple[str, str, str]]:
    """(column, reason, rule): a Russian text is given whenever the English one is, and is Russian."""
    if rec[russian] and not CYRILLIC.search(rec[russian]):
        return [(russian, "holds no Cyrillic letter: write the Russian text here, not the English one", "")]
    if rec[english] and not rec[russian]:
        return [
            (russian, f"Russian text missing: translate {english} (names and figures kept exactly)", "russian_text")
        ]
    return []


def validate_deals(
    frame: pd.DataFrame,
    company_ids: set[str],
    today: dt.date,
    file: str = "deals.csv",
    sites: dict[str, str] | None = None,
) -> list[Problem]:
    """Every row's own rules; `sites` (data/source_sites.csv) adds the tier-agreement check."""
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple, list[int]] = {}

    def report(row, column, reason, rule=""):
        problems.append(Problem(file, row, column, reason, rule))

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

        kind = rec["amount_kind"]
        if kind and kind not in AMOUNT_KINDS:
            report(row, "amount_kind", f"unknown amount kind '{kind}' (known: {', '.join(AMOUNT_KINDS)}; blank = flow)")

        problems.extend(Problem(file, row, "money_state", reason) for reason in _money_state_problems(rec))

        if date and rec["notes"]:
            problems.extend(Problem(file, row, "notes", reason) for reason in _note_date_problems(date, rec["notes"]))

        for column in ("added_on", "checked_on"):
            if rec[column]:
                for reason in _provenance_date_problems(rec[column], date, today):
                    report(row, column, reason)
        for problem in row_problems(rec, sites or {}):
            report(row, problem.column, problem.reason, problem.rule)
        for column, reason, rule in _russian_problems(rec, "summary", "summary_ru"):
            report(row, column, reason, rule)

        if date and rec["from_id"] and rec["to_id"] and rec["deal_type"]:
            key = (rec["from_id"], rec["to_id"], rec["deal_type"], date.strftime("%Y-%m"))
            for other in seen_keys.get(key, []):
                if not _distinct_parts(frame.loc[other], rec):
                    report(
                        row,
                        None,
                        (
                            f"likely duplicate of row {other}: same parties, type and month "
                            f"({key[0]} -> {key[1]}, {key[2]}, {key[3]}); if both are real, give "
                            "them different group_ids, or one group_id and different amounts (tranches)"
                        ),
                    )
                    break
            seen_keys.setdefault(key, []).append(row)
    return problems


def _provenance_date_problems(text: str, date: dt.date | None, today: dt.date) -> list[str]:
    """added_on / checked_on: an ISO day, not in the future, not before the deal was announced."""
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        return [f"'{text}' is not a date in YYYY-MM-DD form"]
    if day > today:
        return [f"{day} is in the future (today is {today})"]
    if date and date <= today and day < date:  # a future date is reported on its own
        return [f"{day} is before the deal's date {date}: no page could be read, nor the row added, before then"]
    return []


def _money_state_problems(rec: pd.Series) -> list[str]:
    """`money_state` is set exactly where an amount can count (a money-moving one-off flow that
    did not stall or fall through; superseded rows keep theirs for views before the replacement),
    `paid` only on completed deals, and unconfirmed (`reported`) deals are `conditional`."""
    state = rec["money_state"]
    if state and state not in MONEY_STATES:
        return [f"unknown money state '{state}' (known: {', '.join(MONEY_STATES)}; blank where nothing counts)"]
    can_count = (
        DEAL_TYPES.get(rec["deal_type"], {}).get("money", False)
        and (rec["amount_kind"] or "flow") == "flow"
        and rec["status"] not in ("stalled", "cancelled")
    )
    if can_count and not state:
        return [
            f"required for a {rec['deal_type']} flow that is {rec['status']} "
            f"({', '.join(MONEY_STATES)}): see data/README.md, Money states"
        ]
    if state and not can_count:
        return [
            "must be blank: this row's amount never counts (its type moves no money, it is not a one-off "
            "flow, or it stalled or was cancelled)"
        ]
    if state == "paid" and rec["status"] != "completed":
        return [f"'paid' needs status 'completed' (this deal is {rec['status']})"]
    if rec["status"] == "reported" and state and state != "conditional":
        return ["a reported (unconfirmed) deal is 'conditional'"]
    return []


def _note_date_problems(date: dt.date, notes: str) -> list[str]:
    """A note must not contradict its row's date: 'month is <Month YYYY>' names the row's month,
    and no note may call an event outside the date range (that range is covered_through now)."""
    reasons = []
    for match in MONTH_IS.finditer(notes):
        named = MONTH_YEAR.search(match.group(1))
        if named is None:
            reasons.append("says 'month is' but names no month and year right after it")
            continue
        month = MONTHS.index(named.group(1).lower()) + 1
        if (int(named.group(2)), month) != (date.year, date.month):
            reasons.append(f"says the month is {named.group(1)} {named.group(2)}, but the date is {date:%Y-%m-%d}")
    stale = STALE_RANGE.search(notes)
    if stale:
        reasons.append(
            f"says an event lies '{stale.group(0)}'; the data covers every month up to "
            "covered_through, so add that event as a row or reword the note"
        )
    return reasons


def validate_chains(frame: pd.DataFrame, file: str = "deals.csv") -> list[Problem]:
    """`supersedes` links: the id exists, the replaced row says `superseded`, a `superseded` row is
    replaced by something, no loops, and at most one row of a chain counts toward totals."""
    problems: list[Problem] = []
    rows = {rec["id"]: row for row, rec in frame.iterrows() if rec["id"]}
    successor: dict[str, str] = {}
    for row, rec in frame.iterrows():
        old = rec["supersedes"]
        if not old:
            continue
        if old == rec["id"]:
            problems.append(Problem(file, row, "supersedes", "a deal cannot supersede itself"))
        elif old not in rows:
            problems.append(Problem(file, row, "supersedes", f"unknown deal id '{old}'"))
        elif old in successor:
            problems.append(Problem(file, row, "supersedes", f"'{old}' is already superseded by '{successor[old]}'"))
        else:
            successor[old] = rec["id"]
            if frame.at[rows[old], "status"] != "superseded":
                problems.append(
                    Problem(
                        file,
                        rows[old],
                        "status",
                        f"'{frame.at[rows[old], 'status']}', but row {row} ('{rec['id']}') supersedes "
                        "this deal: set status to 'superseded' so its amount is not counted twice",
                    )
                )
    replaced = set(successor)
    for row, rec in frame.iterrows():
        if rec["status"] == "superseded" and rec["id"] not in replaced:
            problems.append(Problem(file, row, "status", "'superseded', but no row names this deal in `supersedes`"))
    for start in successor:
        chain, seen = [start], {start}
        while chain[-1] in successor:
            nxt = successor[chain[-1]]
            if nxt in seen:
                problems.append(
                    Problem(file, rows[start], "supersedes", f"supersedes links form a loop through '{nxt}'")
                )
                break
            chain.append(nxt)
            seen.add(nxt)
        else:
            if start in successor.values():
                continue  # judged from the chain's first row only
            counted = [d for d in chain if _row_counts(frame.loc[rows[d]])]
            if len(counted) > 1:
                problems.append(
                    Problem(
                        file,
                        rows[counted[-1]],
                        None,
                        f"the chain {' -> '.join(chain)} counts money twice: {', '.join(counted)} all enter the totals",
                    )
                )
    return problems


def _row_counts(rec: pd.Series) -> bool:
    """Whether a raw CSV row's amount enters the totals (the rule counted_mask applies when loaded)."""
    return (
        DEAL_TYPES.get(rec["deal_type"], {}).get("money", False)
        and bool(rec["amount_usd"])
        and (rec["amount_kind"] or "flow") == "flow"
        and rec["status"] not in UNCOUNTED_STATUSES
    )


def validate_investor_roles(deals: pd.DataFrame, companies: pd.DataFrame, file: str = "companies.csv") -> list[Problem]:
    """A company that invests or lends in some deal carries the `investor` role."""
    lines = {rec["id"]: row for row, rec in companies.iterrows()}
    roles = {rec["id"]: {r.strip() for r in rec["roles"].split(";")} for _, rec in companies.iterrows()}
    investing = deals.loc[deals["deal_type"].isin(INVESTOR_TYPES), ["from_id", "id"]]
    problems = []
    for cid, deal_ids in investing.groupby("from_id")["id"]:
        if cid in roles and "investor" not in roles[cid]:
            problems.append(
                Problem(
                    file,
                    lines[cid],
                    "roles",
                    f"'{cid}' invests or lends in {deal_ids.iloc[0]} but lacks the 'investor' role",
                )
            )
    return problems


def validate_rounds(
    rounds: pd.DataFrame, deals: pd.DataFrame, company_ids: set[str], file: str = "rounds.csv"
) -> list[Problem]:
    """Each round exists in deals.csv as a group_id, belongs to the company its investors pay,
    and the stated parts of its investors (those that count) stay within its total."""
    problems: list[Problem] = []

    def report(row, column, reason):
        problems.append(Problem(file, row, column, reason))

    seen: dict[str, int] = {}
    for row, rec in rounds.iterrows():
        for column in ROUND_REQUIRED:
            if not rec[column]:
                report(row, column, "required value is empty")
        rid = rec["id"]
        if rid in seen:
            report(row, "id", f"duplicate id '{rid}' (first on row {seen[rid]})")
        seen.setdefault(rid, row)
        if rec["company_id"] and rec["company_id"] not in company_ids:
            report(row, "company_id", f"unknown company id '{rec['company_id']}'")
        if rec["date"]:
            try:
                if not ISO_DATE.match(rec["date"]):
                    raise ValueError
                dt.date.fromisoformat(rec["date"])
            except ValueError:
                report(row, "date", f"'{rec['date']}' is not a date in YYYY-MM-DD form")
        total = _parse_number(rec["total_usd"]) if rec["total_usd"] else None
        if rec["total_usd"] and (total is None or total <= 0):
            report(row, "total_usd", f"'{rec['total_usd']}' is not a positive number of USD")
        if rec["qualifier"] and rec["qualifier"] not in ROUND_QUALIFIERS:
            report(row, "qualifier", f"unknown qualifier '{rec['qualifier']}' (known: {', '.join(ROUND_QUALIFIERS)})")
        for column in ("source_url", "second_source_url"):
            if rec[column] and not URL.match(rec[column]):
                report(row, column, f"'{rec[column]}' is not an http(s) URL")
        members = deals[deals["group_id"] == rid]
        if rid and members.empty:
            report(row, "id", f"no deal in deals.csv has group_id '{rid}'")
            continue
        others = sorted(set(members["to_id"]) - {rec["company_id"]})
        if rec["company_id"] and others:
            report(
                row,
                "company_id",
                f"round '{rid}' is for '{rec['company_id']}', but its deals also pay {', '.join(others)}",
            )
        parts = sum(_parse_number(m["amount_usd"]) or 0.0 for _, m in members.iterrows() if _row_counts(m))
        if total and total > 0 and parts > total:
            report(
                row,
                "total_usd",
                f"the investors' stated parts add up to {parts:,.0f}, more than the round total {total:,.0f}",
            )
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


def _read_meta(path: Path, problems: list[Problem]) -> dict[str, str]:
    """covered_through and compiled_on as ISO strings. A file holding only the older `as_of` is
    read as compiled_on; covered_through is then '' and falls back to the latest deal's date."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(path.name, None, None, "file not found"))
        return {}
    except json.JSONDecodeError:
        problems.append(Problem(path.name, None, None, "is not JSON"))
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem(path.name, None, None, "is not a JSON object"))
        return {}
    legacy = "as_of" in meta and "compiled_on" not in meta
    values = {
        "compiled_on": str(meta.get("as_of" if legacy else "compiled_on", "")),
        "covered_through": str(meta.get("covered_through", "")),
    }
    for key, value in values.items():
        if key == "covered_through" and legacy and not value:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            problems.append(
                Problem(
                    path.name,
                    None,
                    "as_of" if legacy and key == "compiled_on" else key,
                    f"'{value}' is not an ISO date",
                )
            )
    return values


def _iso(value: str) -> str:
    """The value when it is a valid ISO date, else '' (its own problem is reported elsewhere)."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def _freshness_problems(meta: dict[str, str], deals: pd.DataFrame, today: dt.date) -> list[Problem]:
    """covered_through reaches at least the latest deal; compiled_on is not before it nor in the future."""
    problems = []
    latest = max((d for d in deals["date"] if ISO_DATE.match(d)), default="")
    covered, compiled = (_iso(meta.get(key, "")) for key in ("covered_through", "compiled_on"))
    if covered and latest and covered < latest:
        problems.append(
            Problem(
                "meta.json",
                None,
                "covered_through",
                f"{covered} is before the latest deal ({latest}); it must reach at least that day",
            )
        )
    if covered and compiled and compiled < covered:
        problems.append(Problem("meta.json", None, "compiled_on", f"{compiled} is before covered_through ({covered})"))
    if compiled and compiled > today.isoformat():
        problems.append(Problem("meta.json", None, "compiled_on", f"{compiled} is in the future (today is {today})"))
    return problems


def load_dataset(
    data_dir: Path | str = DEFAULT_DATA_DIR, today: dt.date | None = None, lenient: frozenset[str] = LENIENT_RULES
) -> Dataset:
    """Read, validate and type the dataset; raise DatasetError listing every problem.

    rounds.csv is optional (no file = no known round totals), and so is source_sites.csv (no file =
    no check that rows' tiers agree with their sites); the other three files are required.
    Problems of the rules named in `lenient` do not refuse the data: they are `Dataset.pending`.
    """
    data_dir = Path(data_dir)
    today = today or dt.date.today()
    problems: list[Problem] = []
    companies = _read_csv(data_dir / "companies.csv", COMPANY_COLUMNS, problems)
    deals = _read_csv(data_dir / "deals.csv", DEAL_COLUMNS, problems)
    rounds_path = data_dir / "rounds.csv"
    rounds = (
        _read_csv(rounds_path, ROUND_COLUMNS, problems)
        if rounds_path.exists()
        else pd.DataFrame(columns=list(ROUND_COLUMNS), dtype=str)
    )
    meta_path = data_dir / "meta.json"
    meta = _read_meta(meta_path, problems)
    sites, site_problems = read_sites(data_dir / SITES_FILE)
    problems += [Problem(SITES_FILE, p.row, p.column, p.reason) for p in site_problems]

    ids = set(companies["id"]) if companies is not None else set()
    if companies is not None:
        problems += validate_companies(companies)
    if deals is not None:
        problems += validate_deals(deals, ids, today, sites=sites)
        problems += validate_chains(deals)
        if companies is not None:
            problems += validate_investor_roles(deals, companies)
        if rounds is not None:
            problems += validate_rounds(rounds, deals, ids)
        problems += _freshness_problems(meta, deals, today)
        if deals.empty:
            problems.append(Problem("deals.csv", None, None, "no deals"))
    pending = tuple(p for p in problems if p.rule and p.rule in lenient)
    problems = [p for p in problems if not (p.rule and p.rule in lenient)]
    if problems:
        raise DatasetError(problems)

    companies = companies.set_index("id", drop=False)
    companies["role_list"] = companies["roles"].map(lambda s: [r.strip() for r in s.split(";") if r.strip()])
    deals = deals.copy()
    deals["entry"] = deals.index  # CSV line: rows are appended, so within one added_on day it is the order of entry
    deals["date"] = pd.to_datetime(deals["date"], format="%Y-%m-%d")
    deals["amount_usd"] = pd.to_numeric(deals["amount_usd"].replace("", None), errors="raise").astype(float)
    deals["compute_gw"] = pd.to_numeric(deals["compute_gw"].replace("", None), errors="raise").astype(float)
    deals["amount_kind"] = deals["amount_kind"].replace("", "flow")
    deals = deals.sort_values(["date", "id"]).reset_index(drop=True)
    rounds = rounds.copy()
    rounds["date"] = pd.to_datetime(rounds["date"], format="%Y-%m-%d")
    rounds["total_usd"] = pd.to_numeric(rounds["total_usd"], errors="raise").astype(float)
    rounds = rounds.sort_values(["date", "id"]).set_index("id", drop=False)
    files = [data_dir / "companies.csv", data_dir / "deals.csv", meta_path]
    version = _content_hash(files + ([rounds_path] if rounds_path.exists() else []))
    covered = meta["covered_through"] or deals["date"].max().strftime("%Y-%m-%d")
    return Dataset(
        companies=companies,
        deals=deals,
        version=version,
        covered_through=covered,
        compiled_on=meta["compiled_on"],
        rounds=rounds,
        pending=pending,
    )
