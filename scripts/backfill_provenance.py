"""Fill the provenance and tier columns where they are blank (run after merging data branches).

    .venv/bin/python scripts/backfill_provenance.py [DATA_DIR] [--repo PATH]

- `added_on`: the date (author date, UTC) of the first commit of data/deals.csv in which the
  row's id appears; a row not yet committed gets today.
- `checked_on`: the date of the last commit that changed the row's source_url or
  second_source_url (its pages were re-read then), else added_on. The project keeps no per-row
  audit log older than these columns, so git history is the only record of when a page was read.
- `source_tier` / `second_source_tier`: the tier data/source_sites.csv gives the URL's site
  (a blank second tier stays blank when there is no second URL).
- `summary_ru` / `description_ru` columns are added (blank) when missing.

Only blank cells are filled and new columns are appended at the end; every other byte of the
files stays as it was. Idempotent. With --update-checked, a `checked_on` older than the last
commit that changed the row's URLs moves to that commit's date (after merging a re-sourcing
branch whose rows did not set it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.schema import COMPANY_COLUMNS, DEAL_COLUMNS  # noqa: E402
from alliance.sources import SITES_FILE, lookup, read_sites, site_of  # noqa: E402


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def history(repo: Path, rel: str) -> list[tuple[str, str, list[dict]]]:
    """(commit, date, rows) for every commit that changed `rel`, oldest first."""
    log = _git(repo, "log", "--reverse", "--format=%H %ad", "--date=format-local:%Y-%m-%d", "--", rel)
    out = []
    for line in log.splitlines():
        commit, date = line.split()
        text = _git(repo, "show", f"{commit}:{rel}")
        out.append((commit, date, list(csv.DictReader(io.StringIO(text)))))
    return out


def provenance(versions) -> dict[str, tuple[str, str]]:
    """id -> (added_on, checked_on) from the file's history."""
    added: dict[str, str] = {}
    checked: dict[str, str] = {}
    pages: dict[str, tuple] = {}
    for _, date, rows in versions:
        for row in rows:
            rid = row.get("id", "")
            now = (row.get("source_url", ""), row.get("second_source_url", ""))
            if rid not in added:
                added[rid] = date
            elif pages.get(rid) != now:
                checked[rid] = date
            pages[rid] = now
    return {rid: (day, checked.get(rid, day)) for rid, day in added.items()}


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def _with_columns(header, rows, wanted):
    for column in wanted:
        if column not in header:
            header.append(column)
            for row in rows:
                row.append("")
    for row in rows:
        row.extend([""] * (len(header) - len(row)))
    return header, rows


def backfill(data_dir: Path, repo: Path, today: str, update_checked: bool = False) -> dict[str, int]:
    counts = {"added_on": 0, "checked_on": 0, "source_tier": 0, "second_source_tier": 0}
    deals_path = data_dir / "deals.csv"
    rel = str(deals_path.resolve().relative_to(repo.resolve()))
    known = provenance(history(repo, rel))
    table, problems = read_sites(data_dir / SITES_FILE)
    if problems:
        raise SystemExit(f"{SITES_FILE} has problems: " + "; ".join(p.reason for p in problems))
    header, rows = _with_columns(*_read(deals_path), DEAL_COLUMNS)
    col = {name: header.index(name) for name in header}
    for row in rows:
        added, checked = known.get(row[col["id"]], (today, today))
        for column, value in (("added_on", added), ("checked_on", checked)):
            if not row[col[column]] or (update_checked and column == "checked_on" and row[col[column]] < value):
                row[col[column]] = value
                counts[column] += 1
        for url_column, tier_column in (("source_url", "source_tier"), ("second_source_url", "second_source_tier")):
            url = row[col[url_column]]
            found = lookup(site_of(url), table) if url else None
            if url and found and not row[col[tier_column]]:
                row[col[tier_column]] = found[1]
                counts[tier_column] += 1
    _write(deals_path, header, rows)
    companies_path = data_dir / "companies.csv"
    _write(companies_path, *_with_columns(*_read(companies_path), COMPANY_COLUMNS))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    parser.add_argument("--repo", type=Path, default=None, help="git repository holding DATA_DIR (default: its own)")
    parser.add_argument(
        "--update-checked",
        action="store_true",
        help="also move checked_on forward to the last commit that changed the row's URLs",
    )
    args = parser.parse_args(argv)
    repo = args.repo or Path(_git(args.data_dir, "rev-parse", "--show-toplevel").strip())
    counts = backfill(args.data_dir, repo, dt.date.today().isoformat(), args.update_checked)
    print("filled: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
