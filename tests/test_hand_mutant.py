"""scripts/hand_mutant.py, the "apply, run, restore" step of the hand-mutation scripts: the edit is
in place inside the block, and the file comes back byte for byte however the block ends."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("hand_mutant", ROOT / "scripts" / "hand_mutant.py")
hand_mutant = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hand_mutant)

SOURCE = "def f(x):\r\n    return x >= 1  # ≥ one\n"  # a CRLF and a non-ASCII byte must survive the round trip


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "mod.py"
    path.write_bytes(SOURCE.encode("utf-8"))
    return path


def test_the_edit_is_in_place_inside_the_block_and_gone_after(source: Path) -> None:
    with hand_mutant.applied(source, "x >= 1", "x > 1"):
        assert source.read_bytes() == SOURCE.replace("x >= 1", "x > 1").encode("utf-8")
    assert source.read_bytes() == SOURCE.encode("utf-8")


def test_the_file_is_restored_when_the_block_raises(source: Path) -> None:
    with pytest.raises(KeyboardInterrupt), hand_mutant.applied(source, "return x", "return -x"):
        raise KeyboardInterrupt
    assert source.read_bytes() == SOURCE.encode("utf-8")


@pytest.mark.parametrize(("old", "count"), [("x >= 2", 0), ("x", 2)])
def test_a_pattern_not_found_exactly_once_is_refused_and_the_file_untouched(source: Path, old: str, count: int) -> None:
    ran = []
    with pytest.raises(hand_mutant.NotOnce, match=f"^pattern found {count} times in mod.py$"):
        with hand_mutant.applied(source, old, "y"):
            ran.append(True)
    assert ran == []
    assert source.read_bytes() == SOURCE.encode("utf-8")


def test_the_file_is_restored_when_the_script_is_killed(source: Path) -> None:
    """`kill` (SIGTERM) on a script mid-run: the edit must not stay in the code."""
    script = (
        "import os, pathlib, signal, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
        "from hand_mutant import applied\n"
        f"path = pathlib.Path({str(source)!r})\n"
        "with applied(path, 'x >= 1', 'x > 1'):\n"
        "    assert b'x > 1' in path.read_bytes()\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    print('still running')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (128 + 15, ""), run.stderr
    assert source.read_bytes() == SOURCE.encode("utf-8")
