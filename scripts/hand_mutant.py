"""Apply one hand-written mutant to a source file for the length of a `with` block, then put the
file back byte for byte: the one "apply, run, restore" step shared by scripts/listed_mutants.py,
scripts/listed_mutants_js.py, scripts/fresh_mutants.py and scripts/try_mutant.py.

    with applied(ROOT / "alliance/money.py", "old text", "new text"):
        ...run the tests...

`old` must occur exactly once in the file (else NotOnce, and the file is not touched). The file is
restored even when the block raises, is interrupted (Ctrl-C) or the script is stopped with SIGTERM
(`kill`), and checked afterwards.
"""

from __future__ import annotations

import contextlib
import pathlib
import signal
from collections.abc import Iterator


class NotOnce(ValueError):
    """The text to replace does not occur exactly once, so the mutant would be ambiguous or void."""

    def __init__(self, path: pathlib.Path, count: int) -> None:
        super().__init__(f"pattern found {count} times in {path.name}")
        self.count = count


def _stop(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`, unlike SIGTERM's default


@contextlib.contextmanager
def applied(path: pathlib.Path, old: str, new: str) -> Iterator[None]:
    original = path.read_bytes()
    text = original.decode("utf-8")
    if text.count(old) != 1:
        raise NotOnce(path, text.count(old))
    previous = signal.signal(signal.SIGTERM, _stop)
    path.write_bytes(text.replace(old, new).encode("utf-8"))
    try:
        yield
    finally:
        path.write_bytes(original)
        signal.signal(signal.SIGTERM, previous)
        if path.read_bytes() != original:  # pragma: no cover - a full disk, at worst
            raise RuntimeError(f"{path} was not restored: check it with git diff")
