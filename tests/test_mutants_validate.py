"""`python -m alliance.validate` reads its folder from the command line, or the shipped data
without one (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import sys

from alliance.dataset import DEFAULT_DATA_DIR, load_dataset
from alliance.validate import main

from .conftest import write_dataset


def test_the_folder_comes_from_the_command_line(tmp_path, capsys, monkeypatch):
    folder = write_dataset(tmp_path / "good")
    monkeypatch.setattr(sys, "argv", ["validate", str(folder), "ignored"])
    assert main() == 0
    version = load_dataset(folder).version
    assert capsys.readouterr().out == (
        f"OK: 7 deals among 5 companies, 0 round totals, deals announced through 2025-11-30, "
        f"compiled on 2025-12-01, version {version}\n"
    )


def test_without_a_folder_the_shipped_data_is_checked(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["validate"])
    assert main() == 0
    assert capsys.readouterr().out.endswith(f"version {load_dataset(DEFAULT_DATA_DIR).version}\n")
