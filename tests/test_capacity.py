"""What a page load costs the server: static things are encoded once, per-view things once per
view. The page and the layout must stay exactly what Dash would send (only Dash's per-load token
differs), and a view's head must still follow the request's host and query."""

from __future__ import annotations

import json
import re

import pytest
from dash import Dash
from dash._utils import to_json

from components.factory import create_app

CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def app(shipped_atlas):
    return create_app(atlas=shipped_atlas)


def page_config(html: str) -> dict:
    return json.loads(CONFIG.search(html).group(1))


def test_page_config_is_dashs_own(app):
    """The config script equals Dash's own encoding of it, validation layout included."""
    client = app.server.test_client()
    first = page_config(client.get("/").get_data(as_text=True))
    second = page_config(client.get("/").get_data(as_text=True))
    with app.server.test_request_context("/"):
        expected = json.loads(to_json(Dash._config(app)))
    assert first["end_id"] != second["end_id"] != expected["end_id"]  # still one token per page load
    for config in (first, second, expected):
        config.pop("end_id")
    assert first == second == expected
    assert first["validation_layout"]["props"]["className"] == "page"  # the tree is really there


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "ru"}])
def test_layout_is_dashs_own_per_language(app, headers):
    client = app.server.test_client()
    body = client.get("/_dash-layout", headers=headers).get_data(as_text=True)
    again = client.get("/_dash-layout", headers=headers).get_data(as_text=True)
    with app.server.test_request_context("/_dash-layout", headers=headers):
        expected = to_json(app.get_layout())
    assert body == again == expected


def test_layout_follows_the_language(app):
    client = app.server.test_client()
    english = client.get("/_dash-layout").get_data(as_text=True)
    russian = client.get("/_dash-layout", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert english != russian
    assert "Deal types" in english and "Типы сделок" in russian


def og(html: str, prop: str) -> str:
    return re.search(rf'<meta property="og:{prop}" content="([^"]*)"', html).group(1)


def test_view_head_follows_host_and_query(app):
    client = app.server.test_client()
    nov = client.get("/?from=2025-11&to=2025-11").get_data(as_text=True)
    assert og(nov, "url") == "http://localhost/?from=2025-11&amp;to=2025-11"
    assert "Nov 2025" in og(nov, "title")
    default = client.get("/").get_data(as_text=True)
    assert "Nov 2025" not in og(default, "title")
    other = client.get("/?from=2025-11&to=2025-11", base_url="http://127.0.0.1:8050").get_data(as_text=True)
    assert og(other, "url") == "http://127.0.0.1:8050/?from=2025-11&amp;to=2025-11"
