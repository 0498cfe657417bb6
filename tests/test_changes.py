"""data/CHANGES.md: the per-release diff by row id, and the shipped file is current."""

from __future__ import annotations

from alliance.changes import diff_csv, render_release
from alliance.dataset import DEFAULT_DATA_DIR, load_dataset

OLD = "id,date,summary\nd1,2024-01-01,One\nd2,2024-02-01,Two\nd3,2024-03-01,Three\n"
NEW = "id,date,summary,summary_ru\nd1,2024-01-02,One,Один\nd3,2024-03-01,Three,\nd4,2024-04-01,Four,Четыре\n"


def test_diff_by_row_id():
    changes = diff_csv(OLD, NEW)
    assert changes.added == ["d4"] and changes.removed == ["d2"]
    assert changes.corrected == [("d1", ("date",))]  # a new column's cells are not corrections
    assert changes.new_columns == ["summary_ru"]
    assert not diff_csv(OLD, OLD)
    first = diff_csv("", OLD)
    assert first.added == ["d1", "d2", "d3"] and first.new_columns == []


def test_render_release():
    lines = render_release(
        "2026-12-04 · version abc · 1234567",
        "meta.json: `covered_through` 2026-06-28 → 2026-07-03",
        {"deals.csv": diff_csv(OLD, NEW), "companies.csv": diff_csv("", "")},
        {"d4": "Four"},
    )
    assert lines == [
        "## 2026-12-04 · version abc · 1234567",
        "",
        "meta.json: `covered_through` 2026-06-28 → 2026-07-03",
        "",
        "- `deals.csv`: new columns `summary_ru`",
        "- `deals.csv`: added 1",
        "  - `d4`: Four",
        "- `deals.csv`: corrected 1",
        "  - `d1`: date",
        "- `deals.csv`: removed 1: `d2`",
        "",
    ]


def test_changes_md_names_the_shipped_version():
    text = (DEFAULT_DATA_DIR / "CHANGES.md").read_text(encoding="utf-8")
    version = load_dataset().version
    assert f"version {version}" in text, "data/CHANGES.md is stale: run .venv/bin/python scripts/data_changes.py"


OLD2 = "id,date,notes,summary\nr1,2024-01-01,,One\nr2,2024-01-02,,Two\nr3,2024-01-03,,Three\nr4,2024-01-04,,Four\n"
NEW2 = (
    "id,date,notes,summary,summary_ru,amount_kind\n"
    "r1,2024-01-01,,One,Один,\n"  # empty notes both times: not a correction
    "r2,2024-02-02,fixed,Two,Два,\n"  # two columns corrected
    "r5,2024-05-05,,,Пять,\n"  # added, no summary
    "r6,2024-06-06,,Six,Шесть,\n"  # added with a summary
)


def test_render_release_with_several_of_each_by_hand():
    from alliance.changes import FileChanges

    changes = diff_csv(OLD2, NEW2)
    assert changes.corrected == [("r2", ("date", "notes"))]
    lines = render_release(
        "2026-12-05 · version def · 89abcde",
        "",
        {"companies.csv": FileChanges(), "deals.csv": changes, "rounds.csv": FileChanges(removed=["x1"])},
        {"r6": "Six"},
    )
    # an unchanged file first does not end the list
    assert lines == [
        "## 2026-12-05 · version def · 89abcde",
        "",
        "- `deals.csv`: new columns `summary_ru`, `amount_kind`",
        "- `deals.csv`: added 2",
        "  - `r5`",
        "  - `r6`: Six",
        "- `deals.csv`: corrected 1",
        "  - `r2`: date, notes",
        "- `deals.csv`: removed 2: `r3`, `r4`",
        "- `rounds.csv`: removed 1: `x1`",
        "",
    ]


def test_a_file_changes_when_any_one_kind_of_change_is_there():
    from alliance.changes import FileChanges

    assert [
        bool(FileChanges(added=["a"])),
        bool(FileChanges(removed=["a"])),
        bool(FileChanges(corrected=[("a", ("date",))])),
        bool(FileChanges(new_columns=["c"])),
        bool(FileChanges()),
    ] == [True, True, True, True, False]
