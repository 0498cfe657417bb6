"""Each setting's default is written once, in SETTINGS; everything else reads it from there."""

from __future__ import annotations

import pytest

from components.settings import (
    DEFAULT_CACHE_DIR,
    DEFAULTS,
    Settings,
    SettingsError,
    parse_frame_ancestors,
    parse_preview_timeout,
    parse_public_url,
    setting,
)


def test_defaults_by_hand():
    assert {
        k: DEFAULTS[k]
        for k in (
            "FRAME_ANCESTORS",
            "PORT",
            "HOST",
            "WEB_CONCURRENCY",
            "THREADS",
            "ACCESS_LOG",
            "CALLBACK_MEMO_MB",
            "PREVIEW_TIMEOUT",
            "PUBLIC_URL",
            "LOG_LEVEL",
        )
    } == {
        "FRAME_ANCESTORS": "'self'",
        "PORT": "8050",
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "THREADS": "16",
        "ACCESS_LOG": "-",
        "CALLBACK_MEMO_MB": "64",
        "PREVIEW_TIMEOUT": "20",
        "PUBLIC_URL": "",
        "LOG_LEVEL": "INFO",
    }


def test_settings_object_and_environment_agree_on_defaults():
    assert Settings.from_env({}) == Settings(cache_dir=Settings.from_env({}).cache_dir)
    assert (Settings().frame_ancestors, Settings().public_url, Settings().preview_timeout) == (("'self'",), "", 20.0)


def test_setting_reads_the_environment_then_the_registry():
    assert setting("PORT", {}) == "8050" and setting("PORT", {"PORT": "9000"}) == "9000"
    assert setting("ACCESS_LOG", {"ACCESS_LOG": ""}) == ""  # empty is a value: the access log off
    with pytest.raises(KeyError, match="NOT_A_SETTING"):
        setting("NOT_A_SETTING", {})


def test_gunicorn_config_reads_the_registry(monkeypatch):
    import importlib.util
    from pathlib import Path

    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "THREADS", "ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("THREADS", "3")
    path = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert (conf.bind, conf.workers, conf.threads, conf.accesslog) == ("127.0.0.1:8050", 2, 3, "-")


# --- Settings from the environment: the exact start-up messages and every setting's route into Settings. (From
# mutation testing, tests/MUTATION.md.)


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
