"""Try one mutant of a mutmut run against chosen tests, without mutmut re-running anything.

    .venv/bin/python scripts/try_mutant.py NAME tests/test_x.py [-k ...]
    MUT_DIR=/elsewhere .venv/bin/python scripts/try_mutant.py NAME ...   # a run made in another clone

Reads the mutant's diff (`mutmut show NAME`, in MUT_DIR: default this repository, where
scripts/mutation.sh leaves `mutants/`), puts the mutated function in place of the original in this
working tree (by text, at the indentation it has here), runs pytest with the given arguments, and
puts the original back. Prints KILLED (with the first failing test), SURVIVED, or NOT APPLIED when
the function has changed since the run. Used to check, one by one, that new tests kill survivors.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from hand_mutant import applied

ROOT = pathlib.Path(__file__).resolve().parent.parent


def texts(name: str, run_dir: pathlib.Path) -> tuple[pathlib.Path, str, str]:
    """(file, original function text, mutated function text) from `mutmut show`."""
    shown = subprocess.run(
        [str(run_dir / ".venv" / "bin" / "mutmut"), "show", name], cwd=run_dir, capture_output=True, text=True
    ).stdout.splitlines()
    if not any(line.startswith("--- ") for line in shown):  # unknown name, or read while mutmut was writing
        raise SystemExit(f"NO DIFF {name}: `mutmut show` printed none (try again)")
    path = ROOT / next(line[4:] for line in shown if line.startswith("--- "))
    body = shown[next(i for i, line in enumerate(shown) if line.startswith("@@")) + 1 :]
    original = "\n".join(line[1:] for line in body if line[:1] in (" ", "-")) + "\n"
    mutated = "\n".join(line[1:] for line in body if line[:1] in (" ", "+")) + "\n"
    return path, original, mutated


def indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line.strip() else "" for line in text.split("\n"))


def placed(path: pathlib.Path, old: str, new: str) -> tuple[str, str] | None:
    """(old, new) at the first indentation where `old` occurs once in the file (mutmut shows
    methods dedented), or None when the function has changed since the run."""
    source = path.read_text(encoding="utf-8")
    for indent in ("", "    ", "        "):
        if source.count(indented(old, indent)) == 1:
            return indented(old, indent), indented(new, indent)
    return None


def main(argv: list[str]) -> int:
    name, pytest_args = argv[0], argv[1:]
    path, original, mutated = texts(name, pathlib.Path(os.environ.get("MUT_DIR", ROOT)).resolve())
    edit = placed(path, original, mutated)
    if edit is None:
        print(f"NOT APPLIED {name}")
        return 2
    with applied(path, *edit):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *pytest_args],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
    if run.returncode == 0:
        print(f"SURVIVED {name}")
        return 0
    failed = next((line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))), "")
    print(f"KILLED {name} {failed}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
