"""Each setting's default is written once, in SETTINGS; everything else reads it from there."""

from __future__ import annotations

import pytest

from components.settings import DEFAULTS, Settings, setting


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
