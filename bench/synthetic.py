"""Generated datasets for benchmarks: clearly fake companies and deals at any size.

    .venv/bin/python bench/synthetic.py OUT_DIR --companies 1000 --deals 5000

Partners follow a heavy-tailed distribution (a few hubs, many small players), like the real web.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alliance.ledger import default_money_state  # noqa: E402
from alliance.schema import COMPANY_COLUMNS, DEAL_COLUMNS, DEAL_TYPES, ROLES  # noqa: E402


def synthetic_dataset(folder: Path, companies: int = 1000, deals: int = 5000, seed: int = 1) -> Path:
    rng = random.Random(seed)
    roles = list(ROLES)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "companies.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COMPANY_COLUMNS)
        writer.writeheader()
        for i in range(companies):
            role = roles[i % len(roles)]
            roles_of = role if role == "investor" else f"{role};investor"  # anyone may invest
            writer.writerow(
                {
                    "id": f"co-{i}",
                    "name": f"Synthetic Co {i}",
                    "roles": roles_of,
                    "primary_role": role,
                    "description": "generated for benchmarking",
                    "description_ru": "сгенерировано для замеров",
                }
            )
    weights = [1 / (i + 1) ** 0.8 for i in range(companies)]
    start = dt.date(2019, 1, 1)
    with open(folder / "deals.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=DEAL_COLUMNS)
        writer.writeheader()
        for i in range(deals):
            a, b = rng.choices(range(companies), weights, k=2)
            if a == b:
                b = (b + 1) % companies
            day = start + dt.timedelta(days=rng.randrange(0, 2500) + i % 7)
            amount = "" if rng.random() < 0.4 else str(int(10 ** rng.uniform(7, 11)))
            qualifier = "undisclosed" if not amount else rng.choice(["exact", "up_to", "about"])
            row = {
                "id": f"deal-{i}",
                "date": day.isoformat(),
                "from_id": f"co-{a}",
                "to_id": f"co-{b}",
                "deal_type": rng.choice(list(DEAL_TYPES)),
                "amount_usd": amount,
                "amount_qualifier": qualifier,
                "status": "announced",
                "summary": "generated",
                "source_url": "https://example.com/",
                "source_name": "bench",
                "group_id": f"g{i}",
                "source_tier": "primary",
                "added_on": "2026-01-01",
                "checked_on": "2026-01-01",
                "summary_ru": "сгенерировано",
            }
            writer.writerow({**row, "money_state": default_money_state(row)})
    (folder / "meta.json").write_text(json.dumps({"covered_through": "2026-01-01", "compiled_on": "2026-01-01"}))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--deals", type=int, default=5000)
    args = parser.parse_args()
    print(synthetic_dataset(args.out, args.companies, args.deals))


if __name__ == "__main__":
    main()
