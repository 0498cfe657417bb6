"""The README documents every setting, and the security headers follow FRAME_ANCESTORS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.factory import create_app
from components.settings import SETTINGS, Settings, SettingsError, parse_frame_ancestors

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name, _, _ in SETTINGS])
def test_every_setting_is_in_the_readme_table(name):
    assert re.search(rf"^\| `{name}` \|", README, re.MULTILINE), f"{name} missing from README's settings table"


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "scripts/run.sh" in first_block and "scripts/test.sh" in first_block


@pytest.mark.parametrize(
    "value, expected",
    [
        ("'self'", "frame-ancestors 'self'"),
        ("'self' https://wiki.example.com", "frame-ancestors 'self' https://wiki.example.com"),
        (
            "http://127.0.0.1:9000 https://*.corp.example",
            "frame-ancestors http://127.0.0.1:9000 https://*.corp.example",
        ),
        ("'none'", "frame-ancestors 'none'"),
    ],
)
def test_csp_header_follows_frame_ancestors(shipped_atlas, value, expected):
    app = create_app(Settings(frame_ancestors=parse_frame_ancestors(value)), atlas=shipped_atlas)
    for path in ("/", "/healthz", "/api/deals"):
        response = app.server.test_client().get(path)
        directives = [d.strip() for d in response.headers["Content-Security-Policy"].split(";")]
        assert directives[-1] == expected
        assert directives[0] == "default-src 'self'"
        assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize(
    "value",
    [
        "",
        "wiki.example.com",
        "https://wiki.example.com/path",
        "javascript:alert(1)",
        "'none' https://a.example",
        "'unsafe-inline'",
    ],
)
def test_invalid_frame_ancestors_stop_start_up(value):
    with pytest.raises(SettingsError):
        Settings.from_env({"FRAME_ANCESTORS": value})


def test_healthz_reports_the_dataset_version(shipped_atlas):
    app = create_app(atlas=shipped_atlas)
    body = app.server.test_client().get("/healthz").get_json()
    assert body["version"] == shipped_atlas.dataset.version and body["deals"] == len(shipped_atlas.dataset.deals)


def test_bad_dataset_stops_start_up_with_one_message(tmp_path):
    import subprocess
    import sys

    (tmp_path / "deals.csv").write_text("id\n")
    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=Path(__file__).resolve().parent.parent,
        env={"DATA_DIR": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("AI Alliance Map cannot start:\ncompanies.csv: file not found")
    assert "Traceback" not in result.stderr
