"""Settings from the environment: the exact start-up messages and every setting's route into
Settings (found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import pytest

from components.settings import (
    DEFAULT_CACHE_DIR,
    Settings,
    SettingsError,
    parse_frame_ancestors,
    parse_preview_timeout,
    parse_public_url,
)


def message(function, *args) -> str:
    with pytest.raises(SettingsError) as error:
        function(*args)
    return str(error.value)


def test_frame_ancestors_messages():
    assert message(parse_frame_ancestors, "  ") == (
        "FRAME_ANCESTORS is empty: give at least one origin, or 'self' / 'none'."
    )
    assert message(parse_frame_ancestors, "'self' wiki.example.com ftp://x.example") == (
        "FRAME_ANCESTORS has invalid entries: 'wiki.example.com', 'ftp://x.example'. Use space-separated origins "
        "such as https://wiki.example.com http://127.0.0.1:9000, or 'self'."
    )
    assert message(parse_frame_ancestors, "'none' 'self'") == (
        "FRAME_ANCESTORS: 'none' cannot be combined with other origins."
    )
    assert parse_frame_ancestors("'self'  https://*.example.com:8443") == ("'self'", "https://*.example.com:8443")


def test_public_url_message_and_trailing_slashes():
    assert message(parse_public_url, "ftp://map.example.com") == (
        "PUBLIC_URL must look like https://map.example.com (an http(s) URL, no query)."
    )
    assert parse_public_url(" https://map.example.com/maps/ ") == "https://map.example.com/maps"
    assert parse_public_url("") == ""
    assert parse_public_url("https://map.example.com/X") == "https://map.example.com/X"  # only slashes go


@pytest.mark.parametrize("value, seconds", [("1", 1.0), ("50", 50.0), ("1.5", 1.5), ("49.9", 49.9)])
def test_preview_timeout_bounds_are_inclusive(value, seconds):
    assert parse_preview_timeout(value) == seconds


@pytest.mark.parametrize("value", ["0.99", "50.01", "nan", "", "soon"])
def test_preview_timeout_outside_the_bounds(value):
    assert message(parse_preview_timeout, value) == "PREVIEW_TIMEOUT must be a number of seconds between 1 and 50."


def test_every_setting_reaches_settings(tmp_path):
    settings = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "CACHE_DIR": str(tmp_path / "positions"),
            "FRAME_ANCESTORS": "'none'",
            "PUBLIC_URL": "http://127.0.0.1:9000",
            "PREVIEW_CACHE_DIR": str(tmp_path / "cards"),
            "PREVIEW_TIMEOUT": "3",
        }
    )
    assert settings == Settings(
        data_dir=tmp_path / "data",
        cache_dir=tmp_path / "positions",
        frame_ancestors=("'none'",),
        public_url="http://127.0.0.1:9000",
        preview_cache_dir=tmp_path / "cards",
        preview_timeout=3.0,
    )


def test_an_empty_environment_gives_the_defaults(tmp_path):
    settings = Settings.from_env({"PREVIEW_CACHE_DIR": str(tmp_path)})
    assert settings.cache_dir == DEFAULT_CACHE_DIR
    assert (settings.frame_ancestors, settings.public_url, settings.preview_timeout) == (("'self'",), "", 20.0)


def test_from_env_reads_the_process_environment_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLIC_URL", "https://from-os.example")
    monkeypatch.setenv("PREVIEW_CACHE_DIR", str(tmp_path))
    assert Settings.from_env().public_url == "https://from-os.example"


def test_preview_cache_inside_the_data_message(tmp_path):
    assert message(Settings.from_env, {"DATA_DIR": str(tmp_path), "PREVIEW_CACHE_DIR": str(tmp_path / "p")}) == (
        "PREVIEW_CACHE_DIR must not be inside DATA_DIR: the app never writes to the data."
    )
    beside = Settings.from_env({"DATA_DIR": str(tmp_path / "d"), "PREVIEW_CACHE_DIR": str(tmp_path / "p")})
    assert (beside.data_dir, beside.preview_cache_dir) == (tmp_path / "d", tmp_path / "p")
