"""What one data release changed, by row id (data/CHANGES.md is written from these; pure).

A release is a version of the data files (one commit that changed them); its `version` is the
same content hash the app reports (/healthz, the footer). Between two versions of a CSV file:
rows added, removed, and corrected (which columns changed), plus columns added to the file;
cells of a column that is new in this release do not count as corrections.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass
class FileChanges:
    added: list[str] = field(default_factory=list)  # ids, in file order
    removed: list[str] = field(default_factory=list)
    corrected: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (id, changed columns)
    new_columns: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.corrected or self.new_columns)


def rows_by_id(text: str) -> tuple[list[str], dict[str, dict]]:
    """(header, id -> row) of a CSV text ('' = no file: no columns, no rows)."""
    if not text:
        return [], {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = {row.get("id", ""): row for row in reader}
    return list(reader.fieldnames or []), rows


def diff_csv(old_text: str, new_text: str) -> FileChanges:
    old_header, old = rows_by_id(old_text)
    new_header, new = rows_by_id(new_text)
    changes = FileChanges(new_columns=[c for c in new_header if c not in old_header] if old_header else [])
    shared = [c for c in new_header if c in old_header]
    changes.added = [rid for rid in new if rid not in old]
    changes.removed = [rid for rid in old if rid not in new]
    for rid, row in new.items():
        if rid in old:
            changed = tuple(c for c in shared if (old[rid].get(c) or "") != (row.get(c) or ""))
            if changed:
                changes.corrected.append((rid, changed))
    return changes


def render_release(heading: str, meta_line: str, files: dict[str, FileChanges], summaries: dict[str, str]) -> list[str]:
    """Markdown lines for one release: `files` maps a file name to its changes; `summaries` gives
    a deal id's summary (shown after added deals)."""
    lines = [f"## {heading}", ""]
    if meta_line:
        lines += [meta_line, ""]
    for name, changes in files.items():
        if not changes:
            continue
        if changes.new_columns:
            lines.append(f"- `{name}`: new columns {', '.join(f'`{c}`' for c in changes.new_columns)}")
        if changes.added:
            lines.append(f"- `{name}`: added {len(changes.added)}")
            lines += [f"  - `{rid}`" + (f": {summaries[rid]}" if summaries.get(rid) else "") for rid in changes.added]
        if changes.corrected:
            lines.append(f"- `{name}`: corrected {len(changes.corrected)}")
            lines += [f"  - `{rid}`: {', '.join(columns)}" for rid, columns in changes.corrected]
        if changes.removed:
            lines.append(f"- `{name}`: removed {len(changes.removed)}: {', '.join(f'`{r}`' for r in changes.removed)}")
    lines.append("")
    return lines
