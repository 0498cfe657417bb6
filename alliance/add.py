"""`python -m alliance.add DATA_DIR --date … --from … --to … --type … …`: append one validated deal.

The editors' command (data/README.md, "Add a deal"). It
- assigns the id (`DATE-FROM-TO-KIND`, then `-2`, `-3` … when taken) and sets `added_on`
  (and `checked_on`, unless given) to today;
- refuses a probable duplicate: a deal between the same two companies (either direction) dated
  within DUPLICATE_DAYS days with a similar amount (within AMOUNT_TOLERANCE of the larger one, or
  either undisclosed), naming the existing row; `--force` adds it anyway and says so in `notes`;
- adds unknown companies given with `--new-company ID NAME ROLES` (roles `;`-separated, the first
  is the primary role unless `--company-field ID primary_role …` says otherwise);
- moves `covered_through` in meta.json only with `--covered-through`;
- validates the whole dataset with the new row (the new row meets every rule, phased-in ones
  too: tiers agree with source_sites.csv, a Russian summary, a sound page for $1B or more) and
  only then replaces the files, each by an atomic rename. On any error nothing is written.

Pure logic (`plan_addition`) is separate from file handling (`apply`), so tests call either.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .dataset import DatasetError, Problem, load_dataset
from .ledger import default_money_state
from .schema import COMPANY_COLUMNS, DEAL_COLUMNS, DEAL_TYPES, LENIENT_RULES
from .stories import load_stories

DUPLICATE_DAYS = 45
AMOUNT_TOLERANCE = 0.25  # amounts within 25% of the larger one are "similar"
ID_KIND = {
    "equity_investment": "equity",
    "compute_commitment": "compute",
    "chip_supply": "chips",
    "joint_venture": "jv",
    "acquisition": "acquisition",
    "acquihire_licensing": "licensing",
    "model_distribution": "distribution",
    "debt_financing": "debt",
    "restructuring": "restructuring",
}
AMOUNT = re.compile(r"^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([KMBT]?)$", re.IGNORECASE)
SCALE = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
COMPANY_FIELDS = ("primary_role", "country", "website", "description", "description_ru")
# the command's option for each deal column, to name it in error messages
OPTIONS = {
    "date": "--date",
    "from_id": "--from",
    "to_id": "--to",
    "deal_type": "--type",
    "amount_usd": "--amount",
    "amount_qualifier": "--qualifier",
    "source_url": "--source-url",
    "source_name": "--source-name",
    "source_tier": "--source-tier",
    "summary": "--summary",
    "summary_ru": "--summary-ru",
    "status": "--status",
    "compute_gw": "--compute-gw",
    "second_source_url": "--second-source-url",
    "second_source_tier": "--second-source-tier",
    "group_id": "--group-id",
    "notes": "--notes",
    "amount_kind": "--amount-kind",
    "supersedes": "--supersedes",
    "checked_on": "--checked-on",
    "money_state": "--money-state",
}


class AddError(Exception):
    """Why the deal was not added: one line per reason."""


@dataclass
class Addition:
    row: dict  # the new deal row, every DEAL_COLUMNS key
    companies: list[dict] = field(default_factory=list)  # new company rows
    covered_through: str | None = None
    duplicates: list[str] = field(default_factory=list)  # ids of probable duplicates (accepted with --force)


def parse_amount(text: str) -> str:
    """'10B', '$1.5B', '650M', '1,200,000' or '10000000000' -> whole USD as text; '' stays ''."""
    text = (text or "").strip()
    if not text:
        return ""
    match = AMOUNT.match(text)
    if not match:
        raise AddError(f"--amount: '{text}' is not an amount (write 10000000000, 10B, 650M or $1.5B)")
    try:
        value = Decimal(match.group(1).replace(",", "")) * SCALE[match.group(2).upper()]
    except InvalidOperation:
        raise AddError(f"--amount: '{text}' is not an amount") from None
    if value != value.to_integral_value():
        raise AddError(f"--amount: '{text}' is not a whole number of dollars")
    return str(int(value))


def deal_id(date: str, from_id: str, to_id: str, deal_type: str, taken: set[str]) -> str:
    """`DATE-FROM-TO-KIND`, with `-2`, `-3`, … when the stem is taken (data/README.md's convention)."""
    stem = f"{date}-{from_id}-{to_id}-{ID_KIND.get(deal_type, deal_type)}"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def similar_amounts(a: str, b: str) -> bool:
    """Either undisclosed, or within AMOUNT_TOLERANCE of the larger one."""
    try:
        x, y = float(a), float(b)
    except ValueError:
        return True
    return abs(x - y) <= AMOUNT_TOLERANCE * max(x, y)


def probable_duplicates(rows: list[dict], new: dict) -> list[dict]:
    """Existing rows between the same two companies, within DUPLICATE_DAYS days, with a similar amount."""
    pair = {new["from_id"], new["to_id"]}
    try:
        day = dt.date.fromisoformat(new["date"])
    except ValueError:
        return []
    found = []
    for row in rows:
        try:
            other = dt.date.fromisoformat(row["date"])
        except ValueError:
            continue
        if (
            {row["from_id"], row["to_id"]} == pair
            and abs((other - day).days) <= DUPLICATE_DAYS
            and similar_amounts(row["amount_usd"], new["amount_usd"])
        ):
            found.append(row)
    return found


def _read_rows(path: Path) -> tuple[list[str], list[dict], str]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows, text


def plan_addition(args: argparse.Namespace, deals: list[dict], companies: list[dict], today: dt.date) -> Addition:
    """The row (and companies, covered_through) to add; AddError for a refusal decided here."""
    known = {c["id"] for c in companies}
    new_companies = []
    for cid, name, roles in args.new_company or []:
        if cid in known:
            raise AddError(f"--new-company: '{cid}' is already in companies.csv; leave --new-company out")
        role_list = [r.strip() for r in roles.split(";") if r.strip()]
        new_companies.append(
            {"id": cid, "name": name, "roles": ";".join(role_list), "primary_role": role_list[0] if role_list else ""}
        )
        known.add(cid)
    by_id = {c["id"]: c for c in new_companies}
    for cid, column, value in args.company_field or []:
        if cid not in by_id:
            raise AddError(f"--company-field: '{cid}' is not a company given with --new-company")
        if column not in COMPANY_FIELDS:
            raise AddError(f"--company-field: '{column}' is not one of {', '.join(COMPANY_FIELDS)}")
        by_id[cid][column] = value
    for column, option in (("from_id", "--from"), ("to_id", "--to")):
        value = getattr(args, column)
        if value not in known:
            raise AddError(f"{option}: unknown company '{value}'; add it with --new-company {value} \"Name\" ROLES")
    if args.type not in DEAL_TYPES:
        raise AddError(f"--type: unknown deal type '{args.type}' (known: {', '.join(DEAL_TYPES)})")

    row = dict.fromkeys(DEAL_COLUMNS, "")
    row.update(
        {
            "date": args.date,
            "from_id": args.from_id,
            "to_id": args.to_id,
            "deal_type": args.type,
            "amount_usd": parse_amount(args.amount),
            "amount_qualifier": args.qualifier,
            "compute_gw": args.compute_gw or "",
            "status": args.status,
            "summary": args.summary,
            "source_url": args.source_url,
            "source_name": args.source_name,
            "second_source_url": args.second_source_url or "",
            "group_id": args.group_id or "",
            "notes": args.notes or "",
            "amount_kind": args.amount_kind or "",
            "supersedes": args.supersedes or "",
            "source_tier": args.source_tier,
            "second_source_tier": args.second_source_tier or "",
            "added_on": today.isoformat(),
            "checked_on": args.checked_on or today.isoformat(),
            "summary_ru": args.summary_ru,
        }
    )
    # how firm the money is: as given, else what the row's status, type and wording imply
    row["money_state"] = default_money_state(row) if args.money_state is None else args.money_state
    row["id"] = deal_id(row["date"], row["from_id"], row["to_id"], row["deal_type"], {d["id"] for d in deals})
    duplicates = probable_duplicates(deals, row)
    if duplicates and not args.force:
        lines = [
            f"probable duplicate of {d['id']} ({d['date']}, {d['from_id']} -> {d['to_id']}, "
            f"{d['amount_usd'] or 'undisclosed'}): same two companies within {DUPLICATE_DAYS} days and a "
            "similar amount. Check it is a different deal; if so, add it again with --force"
            for d in duplicates
        ]
        raise AddError("\n".join(lines))
    if duplicates:
        note = (
            f"Added with --force: not a duplicate of {', '.join(d['id'] for d in duplicates)} "
            f"(checked by the editor on {today.isoformat()})."
        )
        row["notes"] = f"{row['notes']} {note}".strip()
    covered = None
    if args.covered_through:
        try:
            dt.date.fromisoformat(args.covered_through)
        except ValueError:
            raise AddError(f"--covered-through: '{args.covered_through}' is not a date in YYYY-MM-DD form") from None
        covered = args.covered_through
    return Addition(row=row, companies=new_companies, covered_through=covered, duplicates=[d["id"] for d in duplicates])


def _append_line(text: str, header: list[str], row: dict) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in header])
    return text + ("" if text.endswith("\n") or not text else "\n") + out.getvalue()


def _explain(problem: Problem) -> str:
    option = OPTIONS.get(problem.column or "")
    return f"{problem}" + (f" ({option})" if option and problem.file == "deals.csv" else "")


def apply(data_dir: Path, addition: Addition, today: dt.date) -> list[Problem]:
    """Write the addition after validating the whole dataset with it; returns the pending warnings
    of other rows. Raises AddError (files untouched) on any problem."""
    data_dir = Path(data_dir)
    deal_header, deal_rows, deal_text = _read_rows(data_dir / "deals.csv")
    company_header, company_rows, company_text = _read_rows(data_dir / "companies.csv")
    missing = [c for c in DEAL_COLUMNS if c not in deal_header] + [
        c for c in COMPANY_COLUMNS if c not in company_header
    ]
    if missing:
        raise AddError(f"the data files lack columns {', '.join(missing)}: run scripts/backfill_provenance.py first")
    new_files = {"deals.csv": _append_line(deal_text, deal_header, addition.row)}
    if addition.companies:
        text = company_text
        for company in addition.companies:
            text = _append_line(text, company_header, company)
        new_files["companies.csv"] = text
    if addition.covered_through:
        meta = json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))
        meta["covered_through"] = addition.covered_through
        if str(meta.get("compiled_on", "")) < addition.covered_through:
            meta["compiled_on"] = today.isoformat()
        new_files["meta.json"] = json.dumps(meta, ensure_ascii=False) + "\n"

    staging = Path(tempfile.mkdtemp(prefix=".add-", dir=data_dir))
    try:
        for item in data_dir.iterdir():
            if item.is_file():
                shutil.copy2(item, staging / item.name)
        for name, text in new_files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        new_line = len(deal_rows) + 2  # validator rows are CSV records, the header being 1
        try:
            dataset = load_dataset(staging, today=today, lenient=LENIENT_RULES)
            load_stories(staging, frozenset(dataset.deals["id"]))
        except DatasetError as error:
            raise AddError("\n".join(_explain(p) for p in error.problems)) from None
        mine = [
            p
            for p in dataset.pending
            if (p.file == "deals.csv" and p.row == new_line)
            or (p.file == "companies.csv" and p.row and p.row > len(company_rows) + 1)
        ]
        if mine:
            raise AddError("\n".join(_explain(p) for p in mine))
        for name in ("companies.csv", "deals.csv", "meta.json"):  # companies first: deals refer to them
            if name in new_files:
                os.replace(staging / name, data_dir / name)
        return list(dataset.pending)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alliance.add", description=__doc__.splitlines()[0])
    p.add_argument(
        "data_dir", type=Path, metavar="DATA_DIR", help="the dataset folder (data/: deals.csv, companies.csv, …)"
    )
    req = p.add_argument_group("the deal (required)")
    req.add_argument("--date", required=True, help="announcement date, YYYY-MM-DD")
    req.add_argument("--from", dest="from_id", required=True, help="company id the money comes from")
    req.add_argument("--to", dest="to_id", required=True, help="company id the money goes to")
    req.add_argument("--type", required=True, help=f"deal type: {', '.join(DEAL_TYPES)}")
    req.add_argument("--qualifier", required=True, help="exact, up_to, about or undisclosed")
    req.add_argument("--source-url", required=True)
    req.add_argument("--source-name", required=True)
    req.add_argument("--source-tier", required=True, help="primary, major, relay or other")
    req.add_argument("--summary", required=True, help="one sentence, in the source's terms")
    req.add_argument("--summary-ru", required=True, help="the summary in Russian (names and figures kept)")
    opt = p.add_argument_group("optional columns")
    opt.add_argument("--amount", default="", help="USD: 10000000000, 10B, 650M, $1.5B (blank if undisclosed)")
    opt.add_argument("--status", default="announced")
    opt.add_argument("--compute-gw")
    opt.add_argument("--second-source-url")
    opt.add_argument("--second-source-tier")
    opt.add_argument("--group-id")
    opt.add_argument("--notes")
    opt.add_argument("--amount-kind")
    opt.add_argument("--supersedes")
    opt.add_argument("--checked-on", help="when the pages were read (default: today)")
    opt.add_argument(
        "--money-state",
        help="paid, contracted or conditional (default: what status, type and "
        "wording imply; blank where the amount cannot count)",
    )
    ctl = p.add_argument_group("control")
    ctl.add_argument(
        "--new-company",
        nargs=3,
        action="append",
        metavar=("ID", "NAME", "ROLES"),
        help="add an unknown company; ROLES ;-separated, the first is the primary role",
    )
    ctl.add_argument(
        "--company-field",
        nargs=3,
        action="append",
        metavar=("ID", "FIELD", "VALUE"),
        help=f"a new company's {', '.join(COMPANY_FIELDS)}",
    )
    ctl.add_argument("--force", action="store_true", help="add a probable duplicate anyway (recorded in notes)")
    ctl.add_argument("--covered-through", help="move meta.json's covered_through to this day")
    ctl.add_argument("--today", help=argparse.SUPPRESS)  # tests: the day written as added_on
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    data_dir = args.data_dir
    try:
        if not (data_dir / "deals.csv").exists() or not (data_dir / "companies.csv").exists():
            raise AddError(f"{data_dir} holds no deals.csv and companies.csv")
        _, deals, _ = _read_rows(data_dir / "deals.csv")
        _, companies, _ = _read_rows(data_dir / "companies.csv")
        json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))  # a broken meta.json: refused first
        addition = plan_addition(args, deals, companies, today)
        pending = apply(data_dir, addition, today)
    except (AddError, OSError, ValueError, csv.Error) as error:
        print(f"not added, {data_dir} unchanged:\n{error}", file=sys.stderr)
        return 1
    row = addition.row
    print(
        f"added {row['id']} (deals.csv): {row['from_id']} -> {row['to_id']}, {row['deal_type']}, "
        f"{row['amount_usd'] or 'undisclosed'} ({row['amount_qualifier']}), {row['date']}"
    )
    for company in addition.companies:
        print(f"added company {company['id']} (companies.csv): {company['name']}, {company['roles']}")
    if addition.duplicates:
        print(f"--force: recorded in notes that it is not {', '.join(addition.duplicates)}")
    if addition.covered_through:
        print(f"covered_through is now {addition.covered_through} (meta.json)")
    if pending:  # problems of the phased-in rules (LENIENT_RULES) on rows this command did not write
        print(f"({len(pending)} warnings on other rows remain: python -m alliance.validate lists them)")
    print("Review the change with: git diff -- " + str(data_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
