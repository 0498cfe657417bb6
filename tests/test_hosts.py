"""Trusted hosts: ALLOWED_HOSTS (plus PUBLIC_URL's host) is all the server answers for, and the
page's absolute links name only PUBLIC_URL or an allowed host."""

from __future__ import annotations

import http.client
import re

import pytest

from components.factory import create_app
from components.settings import (
    DEFAULTS,
    Settings,
    SettingsError,
    effective_hosts,
    host_allowed,
    host_of,
    parse_allowed_hosts,
)

from .browser import served

NOV_2025 = "from=2025-11&to=2025-11"


@pytest.mark.parametrize(
    "header, name",
    [
        ("localhost", "localhost"),
        ("LocalHost:8050", "localhost"),
        ("127.0.0.1:9", "127.0.0.1"),
        ("[::1]:8050", "::1"),
        ("[::1]", "::1"),
        ("map.example.com.", "map.example.com"),
        ("evil.example", "evil.example"),
        ("", None),
        ("a b", None),
        ("x:y", None),
        ("host:123456", None),
        ("a\x00b", None),
        ("ev\u202eil.example", None),
        ('evil.example"><script>', None),
        ("user@host", None),
        ("::1", None),
    ],
)
def test_host_of_by_hand(header, name):
    assert host_of(header) == name


def test_host_allowed_by_hand():
    allowed = ("localhost", "map.example.com", ".corp.example")
    assert host_allowed("localhost", allowed) and host_allowed("map.example.com", allowed)
    assert host_allowed("corp.example", allowed) and host_allowed("wiki.corp.example", allowed)
    assert not host_allowed("evilcorp.example", allowed)  # a suffix is not a subdomain
    assert not host_allowed("map.example.com.evil", allowed) and not host_allowed("example.com", allowed)
    assert not host_allowed(None, allowed) and not host_allowed("", allowed)
    assert host_allowed("anything.example", ("*",)) and not host_allowed(None, ("*",))


def test_parse_allowed_hosts_by_hand():
    assert DEFAULTS["ALLOWED_HOSTS"] == "localhost 127.0.0.1 ::1"
    assert parse_allowed_hosts("localhost 127.0.0.1 ::1") == ("localhost", "127.0.0.1", "::1")
    assert parse_allowed_hosts("Map.Example.com., .corp.example,[::1] map.example.com") == (
        "map.example.com",
        ".corp.example",
        "::1",
    )
    assert parse_allowed_hosts("*") == ("*",)
    for bad in ("", " , ", "https://map.example.com", "map.example.com:8050", "a/b", "*.example.com", "ex ample!"):
        with pytest.raises(SettingsError, match="ALLOWED_HOSTS"):
            parse_allowed_hosts(bad)
    with pytest.raises(SettingsError) as error:
        parse_allowed_hosts("localhost a/b")
    assert str(error.value) == (
        "ALLOWED_HOSTS has an invalid entry 'a/b': give host names such as "
        "map.example.com, .example.com (with subdomains), 127.0.0.1 or *."
    )
    with pytest.raises(SettingsError) as error:
        parse_allowed_hosts(" , ")
    assert str(error.value) == "ALLOWED_HOSTS is empty: give at least one host name (or * for any)."


def test_settings_read_allowed_hosts_and_add_the_public_host(tmp_path):
    settings = Settings.from_env(
        {
            "ALLOWED_HOSTS": "wiki.example",
            "PUBLIC_URL": "https://Map.Example.org:8443/maps",
            "PREVIEW_CACHE_DIR": str(tmp_path),
        }
    )
    assert settings.allowed_hosts == ("wiki.example",)
    assert effective_hosts(settings) == ("wiki.example", "map.example.org")
    assert effective_hosts(Settings()) == ("localhost", "127.0.0.1", "::1")
    deep = Settings.from_env({"PUBLIC_URL": "https://map.example.org/wiki/maps", "PREVIEW_CACHE_DIR": str(tmp_path)})
    assert effective_hosts(deep) == ("localhost", "127.0.0.1", "::1", "map.example.org")  # a path of two folders
    with pytest.raises(SettingsError):
        Settings.from_env({"ALLOWED_HOSTS": "bad/host", "PREVIEW_CACHE_DIR": str(tmp_path)})


@pytest.fixture(scope="module")
def default_client(shipped_atlas):
    return create_app(atlas=shipped_atlas).server.test_client()


PATHS = [
    "/",
    "/?" + NOV_2025,
    "/api/deals",
    "/feed.atom",
    "/preview.png",
    "/oembed?url=http://localhost/",
    "/_dash-layout",
    "/_dash-dependencies",
    "/assets/style.css",
    "/nope",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8050",
        "localhost.evil.example",
        "127.0.0.2",
        "[::2]",
        "evil.example\u202e",
        "a\x00b",
    ],
)
def test_a_foreign_host_answers_400(default_client, path, host):
    response = default_client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json() == {"error": "This server does not answer for that host name."}
    assert response.headers["Cache-Control"] == "no-store"
    assert b"evil" not in response.data


def test_a_foreign_host_posting_a_callback_answers_400(default_client):
    response = default_client.post(
        "/_dash-update-component", data="{}", content_type="application/json", headers={"Host": "evil.example"}
    )
    assert response.status_code == 400 and "host name" in response.get_json()["error"]


@pytest.mark.parametrize("host", ["localhost", "localhost:8050", "127.0.0.1:9000", "[::1]:8050"])
def test_loopback_names_are_served_and_named_in_links(default_client, host):
    html = default_client.get("/?" + NOV_2025, headers={"Host": host}).get_data(as_text=True)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    assert canonical == f"http://{host}/?from=2025-11&amp;to=2025-11"


def test_healthz_answers_any_host(default_client):
    assert default_client.get("/healthz", headers={"Host": "10.1.2.3:8050"}).status_code == 200


def test_links_name_public_url_whatever_allowed_host_asks(shipped_atlas):
    app = create_app(
        Settings(public_url="https://map.example.com", allowed_hosts=("localhost", ".corp.example")),
        atlas=shipped_atlas,
    )
    client = app.server.test_client()
    for host in ("map.example.com", "wiki.corp.example", "localhost"):
        html = client.get("/?" + NOV_2025, headers={"Host": host}).get_data(as_text=True)
        head = html[: html.index("</head>")]
        urls = re.findall(r'(?:href|content)="(https?://[^"]+)"', head)
        assert len(urls) >= 5, urls  # canonical, og:url, og:image, twitter:image, the feed, oEmbed
        assert all(u.startswith("https://map.example.com/") for u in urls), urls
    assert client.get("/", headers={"Host": "evilcorp.example"}).status_code == 400


def test_without_public_url_links_name_the_allowed_host(shipped_atlas):
    client = create_app(Settings(allowed_hosts=(".corp.example",)), atlas=shipped_atlas).server.test_client()
    html = client.get("/?" + NOV_2025, headers={"Host": "wiki.corp.example"}).get_data(as_text=True)
    assert '<meta property="og:url" content="http://wiki.corp.example/?from=2025-11&amp;to=2025-11">' in html
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400  # the list replaces the default


def raw_status(port: int, host: bytes, path: str = "/") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_through_gunicorn():
    with served() as base:
        port = int(base.rsplit(":", 1)[1])
        assert raw_status(port, b"evil.example") == 400
        assert raw_status(port, b"evil.example", "/api/deals") == 400
        assert raw_status(port, f"127.0.0.1:{port}".encode()) == 200
        assert raw_status(port, f"localhost:{port}".encode(), "/api/deals") == 200
        assert raw_status(port, b"evil.example", "/healthz") == 200
