"""Shared fixtures: a tiny hand-made dataset on disk, and the shipped dataset's atlas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alliance.atlas import build_atlas, load_atlas
from alliance.dataset import load_dataset

from .browser import ARTIFACTS, SharedChromium, served
from .helpers import TINY_DEALS, deal_row, lab_round, write_dataset


@pytest.fixture
def round_dataset(tmp_path):
    """Tiny data where d4 (up to $10B) and d6 (up to $5B) are two investors in a $20B round of lab,
    and d2 ($30B compute) is replaced by d7-like expansion: d2 superseded by a new $45B row."""
    rows = [deal_row(d) for d in TINY_DEALS]
    by_id = {r["id"]: r for r in rows}
    by_id["d4"]["group_id"] = by_id["d6"]["group_id"] = "lab-series-a"
    by_id["d6"].update(amount_usd="", amount_qualifier="undisclosed")
    by_id["d2"]["status"] = "superseded"
    rows.append(
        deal_row(("d8", "2025-04-01", "lab", "cloud", "compute_commitment", "45000000000", "exact", "", "announced"))
    )
    rows[-1]["supersedes"] = "d2"
    rounds = [lab_round()]
    return load_dataset(write_dataset(tmp_path / "data", deals=rows, rounds=rounds), today=dt.date(2025, 12, 1))


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def tiny_atlas(tiny_dir):
    return build_atlas(load_dataset(tiny_dir))


@pytest.fixture(scope="session")
def shipped_atlas():
    return load_atlas()


MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def mini_atlas():
    """tests/fixtures/mini: 10 companies, 18 deals m01…m18 written by hand (every deal type, day-precise
    dates, up-to / about / undisclosed amounts, a replaced deal, a cancelled and a secondary one, three
    money loops). Tests on it write their expected ids out by hand; see tests/fixtures/mini/README.md."""
    return build_atlas(load_dataset(MINI_DIR))


# --- timing checks --------------------------------------------------------------------------
# A test marked @pytest.mark.timing asserts a speed, which a shared or noisy machine can miss
# without any bug. They are left out of every run (scripts/test.sh, .ci/run, `-m browser`, …)
# unless asked for: `pytest --timing` adds them, `pytest -m timing` runs only them.


def pytest_addoption(parser):
    parser.addoption("--timing", action="store_true", help="also run the timing checks (@pytest.mark.timing)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--timing") or "timing" in (config.getoption("markexpr") or ""):
        return
    left_out = [item for item in items if item.get_closest_marker("timing")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("timing")]


# --- browser tests ---------------------------------------------------------------------------
# One server and one Chromium for the whole session. A module that needs another server (other
# settings, another dataset) or browser (a fresh profile, a performance log, another language)
# defines its own fixture of the same name, which wins over these.


@pytest.fixture(scope="session")
def base_url():
    """`gunicorn app:server` (default settings, the shipped data) on a free port of 127.0.0.1."""
    ARTIFACTS.mkdir(exist_ok=True)
    with served() as url:
        yield url


@pytest.fixture(scope="session")
def shared_chromium():
    chromium = SharedChromium()
    yield chromium
    chromium.close()


@pytest.fixture
def browser(shared_chromium):
    """The session's headless Chromium, reset for this test (blank page, no cookies or storage,
    no emulated media, an empty console log, a 1500×1000 viewport)."""
    return shared_chromium.get()


# The whole app on the shipped data, in-process (Flask's test client): the hostile-input tests.
@pytest.fixture(scope="module")
def shipped_app(shipped_atlas):
    from components.factory import create_app

    return create_app(atlas=shipped_atlas)


@pytest.fixture(scope="module")
def shipped_client(shipped_app):
    return shipped_app.server.test_client()


@pytest.fixture(scope="module")
def server_callbacks(shipped_client):
    """The app's server callbacks as /_dash-dependencies lists them (clientside ones left out)."""
    deps = [d for d in shipped_client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]
    assert len(deps) >= 5, "the app has its server callbacks"
    return deps
