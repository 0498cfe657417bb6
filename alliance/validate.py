"""`python -m alliance.validate [DATA_DIR] [--strict]`: check the dataset; one line per problem, exit 1 if any.

Rules still being phased in (schema.LENIENT_RULES) print as warnings and keep the exit code 0;
`--strict` refuses them too. Stories (data/stories.json) are checked as well.
"""

from __future__ import annotations

import sys

from . import schema
from .dataset import DEFAULT_DATA_DIR, DatasetError, load_dataset
from .stories import load_stories, missing_russian


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    strict = "--strict" in argv
    args = [a for a in argv if a != "--strict"]
    data_dir = args[0] if args else DEFAULT_DATA_DIR
    try:
        dataset = load_dataset(data_dir, lenient=frozenset() if strict else schema.LENIENT_RULES)
        stories = load_stories(
            data_dir,
            frozenset(dataset.deals["id"]),
            strict=True if strict else "russian_text" not in schema.LENIENT_RULES,
        )
    except DatasetError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    pending = [*dataset.pending, *missing_russian(stories)]
    for problem in pending:
        print(f"warning ({problem.rule}): {problem}", file=sys.stderr)
    if pending:
        by_rule: dict[str, int] = {}
        for problem in pending:
            by_rule[problem.rule] = by_rule.get(problem.rule, 0) + 1
        print(
            f"{len(pending)} warning(s) of rules being phased in ("
            + ", ".join(f"{rule}: {n}" for rule, n in by_rule.items())
            + "); --strict refuses them",
            file=sys.stderr,
        )
    print(
        f"OK: {len(dataset.deals)} deals among {len(dataset.companies)} companies, "
        f"{len(dataset.rounds)} round totals, deals announced through {dataset.covered_through}, "
        f"compiled on {dataset.compiled_on}, version {dataset.version}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
