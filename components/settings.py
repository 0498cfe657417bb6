"""Runtime settings: one registry of (name, default, help), read from the environment.

The README's settings table is checked against this registry by tests/test_docs.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from alliance.dataset import DEFAULT_DATA_DIR

SETTINGS = (
    ("DATA_DIR", str(DEFAULT_DATA_DIR), "Folder holding companies.csv, deals.csv and meta.json."),
    ("FRAME_ANCESTORS", "'self'", "Space-separated origins allowed to embed the map in an iframe (CSP frame-ancestors)."),
    ("PORT", "8050", "Port the server listens on (scripts/run.sh, python app.py)."),
    ("HOST", "127.0.0.1", "Address the server binds to."),
    ("WEB_CONCURRENCY", "2", "Number of gunicorn worker processes."),
    ("THREADS", "16", "Threads per gunicorn worker (gthread): connections one worker serves at once."),
    ("ACCESS_LOG", "-", "gunicorn access log: '-' is stdout, empty turns it off (benchmarks)."),
    ("INSTANCE", "host:port", "Name /healthz reports as \"instance\" (scripts/cluster.sh sets replica-<n>)."),
    ("CALLBACK_MEMO_MB", "64", "Memory per worker for memoized callback answers; 0 turns the memo off."),
    ("REPLICAS", "3", "Number of gunicorn replicas scripts/cluster.sh starts behind nginx."),
    ("LOG_LEVEL", "INFO", "Python logging level."),
)

ORIGIN = re.compile(r"^(https?://(\*\.)?[A-Za-z0-9.\-]+(:\d{1,5})?|'self'|'none'|\*)$")


class SettingsError(ValueError):
    pass


def parse_frame_ancestors(value: str) -> tuple[str, ...]:
    """Validate a FRAME_ANCESTORS value: origins like https://wiki.example.com, 'self' or 'none'."""
    entries = tuple(value.split())
    if not entries:
        raise SettingsError("FRAME_ANCESTORS is empty: give at least one origin, or 'self' / 'none'.")
    bad = [e for e in entries if not ORIGIN.match(e)]
    if bad:
        raise SettingsError(
            "FRAME_ANCESTORS has invalid entries: " + ", ".join(repr(b) for b in bad)
            + ". Use space-separated origins such as https://wiki.example.com http://127.0.0.1:9000, or 'self'.")
    if "'none'" in entries and len(entries) > 1:
        raise SettingsError("FRAME_ANCESTORS: 'none' cannot be combined with other origins.")
    return entries


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    frame_ancestors: tuple[str, ...] = ("'self'",)

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            data_dir=Path(env.get("DATA_DIR") or DEFAULT_DATA_DIR),
            frame_ancestors=parse_frame_ancestors(env.get("FRAME_ANCESTORS", "'self'")),
        )
