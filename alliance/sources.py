"""The source standard: which tier a page's site earns (data/source_sites.csv), and the rules
every deal row's `source_tier` / `second_source_tier` follow. Pure: no Dash, no I/O but the table.

- `site_of(url)`: 'www.reuters.com' -> 'reuters.com'; the table is looked up from the full host
  down to its parent domains ('ca.news.yahoo.com', 'news.yahoo.com', 'yahoo.com').
- A row's tier must be its site's tier, unless its `notes` say why (they mention "tier").
- A deal of $1B or more needs a primary, major or relay page among its two URLs, or says
  "single weak source" in its notes (rule `weak_source`, phased in: schema.LENIENT_RULES).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .schema import LARGE_DEAL_USD, SOUND_TIERS, SOURCE_TIERS, STRONG_TIERS, WEAK_SOURCE_NOTE

SITES_FILE = "source_sites.csv"
SITE_COLUMNS = ("site", "tier", "reason")
SITE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
TIER_REASON = re.compile(r"\btier\b", re.IGNORECASE)
URL_TIER_COLUMNS = (("source_url", "source_tier"), ("second_source_url", "second_source_tier"))


@dataclass(frozen=True)
class SiteProblem:
    """A problem in source_sites.csv or in a row's tiers: CSV line, column, reason, rule."""

    row: int | None
    column: str | None
    reason: str
    rule: str = ""


def site_of(url: str) -> str:
    """The URL's host in lower case, without 'www.' and a trailing dot; '' when there is none."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def lookup(site: str, table: dict[str, str]) -> tuple[str, str] | None:
    """(matched site, tier) for the site or its nearest parent domain in the table; None if absent."""
    parts = site.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in table:
            return candidate, table[candidate]
    return None


def read_sites(path: Path) -> tuple[dict[str, str], list[SiteProblem]]:
    """site -> tier from data/source_sites.csv, and the file's own problems (line numbers as in
    the file, header = 1). A missing file is ({}, []): the agreement check is then skipped."""
    if not path.exists():
        return {}, []
    problems: list[SiteProblem] = []
    table: dict[str, str] = {}
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in SITE_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                return {}, [SiteProblem(1, c, "missing column in header") for c in missing]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return {}, [SiteProblem(None, None, f"cannot be read as CSV: {exc}")]
    seen: dict[str, int] = {}
    for line, rec in enumerate(rows, start=2):
        site, tier, reason = ((rec.get(c) or "").strip() for c in SITE_COLUMNS)
        if not SITE.match(site) or site.startswith("www."):
            problems.append(SiteProblem(line, "site", f"'{site}' is not a lowercase host name without 'www.'"))
        elif site in seen:
            problems.append(SiteProblem(line, "site", f"duplicate site '{site}' (first on row {seen[site]})"))
        if tier not in SOURCE_TIERS:
            problems.append(SiteProblem(line, "tier", f"unknown tier '{tier}' (known: {', '.join(SOURCE_TIERS)})"))
        if not reason:
            problems.append(SiteProblem(line, "reason", "say in a few words why the site has this tier"))
        if site not in seen and SITE.match(site) and tier in SOURCE_TIERS:
            table[site] = tier  # the first line of a site counts
        seen.setdefault(site, line)
    return table, problems


def is_weak_large(rec) -> bool:
    """A deal of $1B or more with no primary/major/relay page and no 'single weak source' note."""
    try:
        amount = float(rec["amount_usd"]) if rec["amount_usd"] else 0.0
    except ValueError:
        return False
    if amount < LARGE_DEAL_USD or rec["source_tier"] not in SOURCE_TIERS:
        return False  # an empty or unknown tier is reported on its own
    tiers = {rec["source_tier"], rec["second_source_tier"] if rec["second_source_url"] else ""}
    return not tiers.intersection(SOUND_TIERS) and WEAK_SOURCE_NOTE not in rec["notes"].lower()


def row_problems(rec, table: dict[str, str]) -> list[SiteProblem]:
    """Tier problems of one deal row (a mapping of its CSV cells); row numbers are filled in by
    the caller. `table` empty = no site table: only the vocabulary and the $1B rule apply."""
    problems: list[SiteProblem] = []
    for url_column, tier_column in URL_TIER_COLUMNS:
        url, tier = rec[url_column], rec[tier_column]
        if tier and tier not in SOURCE_TIERS:
            problems.append(SiteProblem(None, tier_column, f"unknown tier '{tier}' (known: {', '.join(SOURCE_TIERS)})"))
            continue
        if url_column == "second_source_url":
            if url and not tier:
                problems.append(SiteProblem(None, tier_column, "required when second_source_url is given"))
            if tier and not url:
                problems.append(SiteProblem(None, tier_column, "must be empty when there is no second_source_url"))
        if not (url and tier and table):
            continue
        site = site_of(url)
        found = lookup(site, table)
        if found is None:
            problems.append(
                SiteProblem(
                    None,
                    url_column,
                    f"site '{site}' is not in {SITES_FILE}: add it with its tier and a reason",
                    "source_sites",
                )
            )
        elif found[1] != tier and not TIER_REASON.search(rec["notes"]):
            problems.append(
                SiteProblem(
                    None,
                    tier_column,
                    f"'{tier}', but {SITES_FILE} rates {found[0]} "
                    f"'{found[1]}': use that, or say why in notes (\"tier: …\")",
                    "source_sites",
                )
            )
    if is_weak_large(rec):
        problems.append(
            SiteProblem(
                None,
                "source_tier",
                f"'{rec['id']}': a deal of $1B or more needs a primary, major or relay page "
                f"among its two URLs: re-source it, or write '{WEAK_SOURCE_NOTE}' in notes",
                "weak_source",
            )
        )
    return problems


def has_strong_page(source_tier: str, second_source_tier: str) -> bool:
    """What `sources=strong` keeps: a primary or major page among the two (a relay does not count)."""
    return source_tier in STRONG_TIERS or second_source_tier in STRONG_TIERS
