"""`python -m alliance.validate [DATA_DIR]`: check the dataset; one line per problem, exit 1 if any."""

from __future__ import annotations

import sys

from .dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = argv[0] if argv else DEFAULT_DATA_DIR
    try:
        dataset = load_dataset(data_dir)
    except DatasetError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    print(f"OK: {len(dataset.deals)} deals among {len(dataset.companies)} companies, "
          f"{len(dataset.rounds)} round totals, deals announced through {dataset.covered_through}, "
          f"compiled on {dataset.compiled_on}, version {dataset.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
