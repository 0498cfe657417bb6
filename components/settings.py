"""Runtime settings: one registry of (name, default, help), read from the environment.

Every default lives in SETTINGS only: `setting(name)` reads the environment or falls back to
it (app.py, gunicorn.conf.py and the guard call it), and Settings' own defaults are parsed from it.
The README's settings table is checked against this registry by tests/test_docs.py.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alliance.dataset import DEFAULT_DATA_DIR

DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "ai-alliance-map-cache"
DEFAULT_PREVIEW_CACHE = Path(tempfile.gettempdir()) / "ai-alliance-map-previews"

SETTINGS = (
    ("DATA_DIR", str(DEFAULT_DATA_DIR), "Folder holding companies.csv, deals.csv and meta.json."),
    (
        "CACHE_DIR",
        str(DEFAULT_CACHE_DIR),
        "Folder for computed node positions, keyed by dataset version (created if missing).",
    ),
    (
        "FRAME_ANCESTORS",
        "'self'",
        "Space-separated origins allowed to embed the map in an iframe (CSP frame-ancestors).",
    ),
    ("PORT", "8050", "Port the server listens on (scripts/run.sh, python app.py)."),
    ("HOST", "127.0.0.1", "Address the server binds to."),
    ("WEB_CONCURRENCY", "2", "Number of gunicorn worker processes."),
    ("THREADS", "16", "Threads per gunicorn worker (gthread): connections one worker serves at once."),
    ("ACCESS_LOG", "-", "gunicorn access log: '-' is stdout, empty turns it off (benchmarks)."),
    ("INSTANCE", "host:port", 'Name /healthz reports as "instance" (scripts/cluster.sh sets replica-<n>).'),
    (
        "CALLBACK_MEMO_MB",
        "64",
        "Memory per worker for memoized callback answers (as much again for their replay, "
        "components/replay.py); 0 turns both off.",
    ),
    ("REPLICAS", "3", "Number of gunicorn replicas scripts/cluster.sh starts behind nginx."),
    ("LOG_LEVEL", "INFO", "Python logging level."),
    (
        "ALLOWED_HOSTS",
        "localhost 127.0.0.1 ::1",
        "Host names the server answers (spaces or commas; .example.com also takes its subdomains; * any); "
        "PUBLIC_URL's host is always added; others get 400.",
    ),
    (
        "PUBLIC_URL",
        "",
        "Public base URL for link previews and the feed (e.g. https://map.example.com); empty: the request's host.",
    ),
    (
        "PREVIEW_CACHE_DIR",
        "<temp dir>/ai-alliance-map-previews",
        "Folder where rendered link-preview PNGs are cached (one per dataset version and view).",
    ),
    ("PREVIEW_TIMEOUT", "20", "Seconds one preview render may take before the default card is sent instead."),
)

DEFAULTS = {name: default for name, default, _ in SETTINGS}
PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?$")

HOST_ENTRY = re.compile(r"^(\*|\.?[a-z0-9\-]+(\.[a-z0-9\-]+)*|\[?[0-9a-f:.]*:[0-9a-f:.]*\]?)$")
HOST_HEADER = re.compile(r"^(?P<name>[a-z0-9.\-]+|\[[0-9a-f:.]+\])(:(?P<port>[0-9]{1,5}))?$")
ORIGIN = re.compile(r"^(https?://(\*\.)?[A-Za-z0-9.\-]+(:\d{1,5})?|'self'|'none'|\*)$")


class SettingsError(ValueError):
    pass


def setting(name: str, env=None) -> str:
    """The environment's value of a registered setting, else its default from SETTINGS.

    A variable set to '' keeps '' (ACCESS_LOG='' turns the access log off).
    """
    if name not in DEFAULTS:
        raise KeyError(f"{name} is not a registered setting (components/settings.py: SETTINGS)")
    value = (os.environ if env is None else env).get(name)
    return DEFAULTS[name] if value is None else value


def parse_frame_ancestors(value: str) -> tuple[str, ...]:
    """Validate a FRAME_ANCESTORS value: origins like https://wiki.example.com, 'self' or 'none'."""
    entries = tuple(value.split())
    if not entries:
        raise SettingsError("FRAME_ANCESTORS is empty: give at least one origin, or 'self' / 'none'.")
    bad = [e for e in entries if not ORIGIN.match(e)]
    if bad:
        raise SettingsError(
            "FRAME_ANCESTORS has invalid entries: "
            + ", ".join(repr(b) for b in bad)
            + ". Use space-separated origins such as https://wiki.example.com http://127.0.0.1:9000, or 'self'."
        )
    if "'none'" in entries and len(entries) > 1:
        raise SettingsError("FRAME_ANCESTORS: 'none' cannot be combined with other origins.")
    return entries


def parse_public_url(value: str) -> str:
    """'' (use the request's host) or an http(s) origin with an optional path, without a trailing slash."""
    value = value.strip()
    if value and not PUBLIC_URL.match(value):
        raise SettingsError("PUBLIC_URL must look like https://map.example.com (an http(s) URL, no query).")
    return value.rstrip("/")


def parse_allowed_hosts(value: str) -> tuple[str, ...]:
    """ALLOWED_HOSTS: host names (no port), '.example.com' for it and its subdomains, '*' for any."""
    entries = []
    for raw in value.replace(",", " ").split():
        entry = raw.lower().rstrip(".") if raw != "." else raw
        if entry.startswith("[") and entry.endswith("]"):
            entry = entry[1:-1]
        if not HOST_ENTRY.match(entry):
            raise SettingsError(
                f"ALLOWED_HOSTS has an invalid entry {raw!r}: give host names such as "
                "map.example.com, .example.com (with subdomains), 127.0.0.1 or *."
            )
        entries.append(entry)
    if not entries:
        raise SettingsError("ALLOWED_HOSTS is empty: give at least one host name (or * for any).")
    return tuple(dict.fromkeys(entries))


def host_of(header: str) -> str | None:
    """The host name a Host header names (lowercase, no port, no trailing dot, IPv6 without
    brackets); None when it is not a well-formed host[:port]."""
    match = HOST_HEADER.match(header.strip().lower())
    if not match:
        return None
    name = match["name"]
    return name[1:-1] if name.startswith("[") else name.rstrip(".") or None


def host_allowed(host: str | None, allowed: tuple[str, ...]) -> bool:
    """Is a host name (from host_of) one of `allowed`? '.x.com' takes x.com and its subdomains."""
    if not host:
        return False
    for entry in allowed:
        if entry == "*" or entry == host:
            return True
        if entry.startswith(".") and (host == entry[1:] or host.endswith(entry)):
            return True
    return False


def effective_hosts(settings: "Settings") -> tuple[str, ...]:
    """What the server answers: ALLOWED_HOSTS plus PUBLIC_URL's host (the links it writes)."""
    public = host_of(settings.public_url.split("://", 1)[1].split("/", 1)[0]) if settings.public_url else None
    return tuple(dict.fromkeys((*settings.allowed_hosts, *([public] if public else []))))


def parse_preview_timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 1 <= seconds <= 50:  # gunicorn kills a worker after 60 s
        raise SettingsError("PREVIEW_TIMEOUT must be a number of seconds between 1 and 50.")
    return seconds


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    cache_dir: Path | None = None  # None: compute positions at every start (tests)
    frame_ancestors: tuple[str, ...] = parse_frame_ancestors(DEFAULTS["FRAME_ANCESTORS"])
    public_url: str = parse_public_url(DEFAULTS["PUBLIC_URL"])
    preview_cache_dir: Path = DEFAULT_PREVIEW_CACHE  # SETTINGS shows it as "<temp dir>/…"
    preview_timeout: float = parse_preview_timeout(DEFAULTS["PREVIEW_TIMEOUT"])
    allowed_hosts: tuple[str, ...] = parse_allowed_hosts(DEFAULTS["ALLOWED_HOSTS"])

    @classmethod
    def from_env(cls, env=None) -> "Settings":
        env = os.environ if env is None else env
        data_dir = Path(env.get("DATA_DIR") or DEFAULT_DATA_DIR)
        cache_dir = Path(env.get("PREVIEW_CACHE_DIR") or DEFAULT_PREVIEW_CACHE)
        if cache_dir.resolve().is_relative_to(data_dir.resolve()):
            raise SettingsError("PREVIEW_CACHE_DIR must not be inside DATA_DIR: the app never writes to the data.")
        return cls(
            data_dir=data_dir,
            cache_dir=Path(env.get("CACHE_DIR") or DEFAULT_CACHE_DIR),
            frame_ancestors=parse_frame_ancestors(setting("FRAME_ANCESTORS", env)),
            public_url=parse_public_url(setting("PUBLIC_URL", env)),
            preview_cache_dir=cache_dir,
            preview_timeout=parse_preview_timeout(setting("PREVIEW_TIMEOUT", env)),
            allowed_hosts=parse_allowed_hosts(setting("ALLOWED_HOSTS", env)),
        )
