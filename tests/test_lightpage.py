"""The light page's server side (components/lightpage.py): the vendored plotly.js bundle is the
version Dash serves and says what it holds; the page links hashed, long-cached, compressed files,
leaves out the full plotly.js, AG Grid, dash_table and the polyfill; Dash's full plotly.js URL
sends the small bundle instead."""

from __future__ import annotations

import gzip
import hashlib
import re
import time

import brotli
import pytest
from plotly.offline import get_plotlyjs_version

from components import lightpage
from components.factory import create_app
from components.settings import Settings

from .helpers import write_dataset

VENDOR = lightpage.ASSETS / "vendor"
HEADER = re.compile(
    rb"\A/\*! (?P<first>[^\n]*)\n \* Built by scripts/build_plotly\.sh with esbuild (?P<esbuild>[\d.]+)\.\n"
    rb" \* sha256 of the lines below this comment: (?P<sha>[0-9a-f]{64}) \*/\n"
)


def header(name: str) -> tuple[re.Match, bytes]:
    data = (VENDOR / name).read_bytes()
    match = HEADER.match(data)
    assert match, f"{name} has no build header"
    return match, data[match.end() :]


@pytest.mark.parametrize("name", ["plotly-alliance.min.js", "plotly-alliance-gl.min.js"])
def test_plotly_bundle_is_the_version_dash_serves_and_its_checksum_holds(name):
    match, body = header(name)
    assert match["first"].startswith(f"plotly.js {get_plotlyjs_version()} custom bundle".encode())
    assert get_plotlyjs_version() == "4.1.1"  # the pin in scripts/plotly-bundle/package.json
    assert hashlib.sha256(body).hexdigest() == match["sha"].decode()
    assert match["esbuild"] == b"0.28.2"


@pytest.mark.parametrize(
    "name, traces, webgl",
    [
        ("plotly-alliance.min.js", [b"bar", b"sankey", b"scatter"], b"false"),
        ("plotly-alliance-gl.min.js", [b"bar", b"sankey", b"scatter", b"scattergl"], b"true"),
    ],
)
def test_plotly_bundle_holds_exactly_the_traces_the_app_draws(name, traces, webgl):
    _, body = header(name)
    assert sorted(set(re.findall(rb'moduleType:"trace",name:"(\w+)"', body))) == traces
    assert re.search(rb"\.allianceWebGL=!([01])", body)[1] == (b"1" if webgl == b"false" else b"0")  # minified bool
    assert b"maplibregl-map" not in body  # maplibre's stylesheet stays out (no map trace)
    assert 1_000_000 < len(body) < 2_000_000  # the full plotly.min.js is 4.7 MB


def test_svg_bundle_is_smaller_by_webgl():
    """regl and the GL shaders stay out of the bundle most pages load: it is ~83 KB smaller in brotli."""
    svg, gl = header("plotly-alliance.min.js")[1], header("plotly-alliance-gl.min.js")[1]
    assert b"gl_FragColor" not in svg and b"gl_FragColor" in gl  # the WebGL shaders
    assert b"createREGL" not in svg and b"createREGL" in gl
    saved = len(brotli.compress(gl, quality=5)) - len(brotli.compress(svg, quality=5))
    assert saved > 60_000, saved


@pytest.mark.parametrize(
    "deals, flows, webgl", [(1500, 900, False), (1501, 900, True), (900, 1501, True), (300, 200, False)]
)
def test_webgl_bundle_only_for_datasets_the_map_draws_with_webgl(deals, flows, webgl):
    assert lightpage.needs_webgl(deals, flows, 1500) is webgl


def test_regenerator_runtime_checksum_holds():
    match, body = header("regenerator-runtime.min.js")
    assert match["first"].startswith(b"regenerator-runtime 0.14.1")
    assert hashlib.sha256(body).hexdigest() == match["sha"].decode()
    assert b"regeneratorRuntime=" in body


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = write_dataset(tmp_path_factory.mktemp("light") / "data")
    app = create_app(Settings(data_dir=data, cache_dir=tmp_path_factory.mktemp("cache")))
    return app.server.test_client(), app


def page_html(client) -> str:
    response = client[0].get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_links_the_small_bundle_and_not_the_heavy_scripts(client):
    html = page_html(client)
    bundle = lightpage.static_files().files[lightpage.PLOTLY_BUNDLE]
    assert (
        f'<script defer id="plotly-bundle" data-webgl="false" src="/_alliance/static/{bundle.sha}'
        '/plotly-alliance.min.js"></script>'
    ) in html
    assert "plotly-alliance-gl" not in html  # a small dataset: no WebGL, no scattergl
    assert "package_data/plotly" not in html
    assert not re.search(r'<script src="[^"]*dash_ag_grid', html)  # AG Grid: loaded when the table shows
    assert re.search(
        r'<meta name="alliance-grid-script" content="/_dash-component-suites/dash_ag_grid/'
        r'dash_ag_grid\.v[\w]+\.min\.js">',
        html,
    )
    assert "dash_table/bundle" not in html
    assert "polyfill@" not in html
    assert "/regenerator-runtime.min.js" in html


def test_page_links_its_own_files_by_content_hash(client):
    html = page_html(client)
    assert "/assets/app.js?m=" not in html and "/assets/style.css?m=" not in html
    for name in ("app.js", "lightpage.js", "map.js", "style.css"):
        digest = hashlib.sha256((lightpage.ASSETS / name).read_bytes()).hexdigest()[:12]
        assert f"/_alliance/static/{digest}/{name}" in html
    # the icon: 0.3 KB of SVG, not Dash's 15 KB favicon.ico
    icon = lightpage.static_files().files["favicon.svg"]
    assert f'<link rel="icon" type="image/svg+xml" href="/_alliance/static/{icon.sha}/favicon.svg">' in html
    assert "_favicon.ico" not in html
    response = client[0].get(f"/_alliance/static/{icon.sha}/favicon.svg", headers={"Accept-Encoding": "identity"})
    assert response.headers["Content-Type"].startswith("image/svg+xml") and response.get_data().startswith(b"<svg ")
    # the regenerator runtime comes before the scripts that call it
    assert html.index("regenerator-runtime.min.js") < html.index("dash_renderer")


def test_hashed_file_is_cached_for_good_and_compressed(client):
    test_client = client[0]
    file = lightpage.static_files().files["map.js"]
    url = f"/_alliance/static/{file.sha}/map.js"
    response = test_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert gzip.decompress(response.get_data()) == (lightpage.ASSETS / "map.js").read_bytes()
    plain = test_client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data() == (lightpage.ASSETS / "map.js").read_bytes()
    again = test_client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_hashed_file_goes_out_in_brotli_once_compressed(client, tmp_path):
    file = lightpage.static_files().files["style.css"]
    file.brotli = None  # an app made by an earlier test may have compressed it in the background already
    file.compress_brotli(tmp_path)
    assert (tmp_path / f"static-{file.sha}.br").exists()
    response = client[0].get(f"/_alliance/static/{file.sha}/style.css", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == (lightpage.ASSETS / "style.css").read_bytes()
    refused = client[0].get(f"/_alliance/static/{file.sha}/style.css", headers={"Accept-Encoding": "gzip, br;q=0"})
    assert refused.headers["Content-Encoding"] == "gzip"


def test_quick_brotli_sent_while_the_best_is_made_is_cached_only_a_minute(client):
    file = lightpage.StaticFile("map.js", b"var x = 1;" * 400)
    with client[1].server.test_request_context(headers={"Accept-Encoding": "gzip, br"}):
        waiting = lightpage.serve(file)
    assert waiting.headers["Content-Encoding"] == "br"  # a first visitor gets brotli too, made at once
    assert brotli.decompress(waiting.get_data()) == file.body
    assert waiting.headers["Cache-Control"] == "public, max-age=60"
    with client[1].server.test_request_context(headers={"Accept-Encoding": "gzip"}):
        assert lightpage.serve(file).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    file.compress_brotli(None)
    with client[1].server.test_request_context(headers={"Accept-Encoding": "gzip, br"}):
        ready = lightpage.serve(file)
    assert ready.headers["Content-Encoding"] == "br"
    assert ready.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # the gzip copy, revalidated, is not 304'd once brotli is there: its ETag is the gzip one's
    assert waiting.headers["ETag"] != ready.headers["ETag"]
    with client[1].server.test_request_context(
        headers={"Accept-Encoding": "gzip, br", "If-None-Match": waiting.headers["ETag"]}
    ):
        assert lightpage.serve(file).status_code == 200
    with client[1].server.test_request_context(
        headers={"Accept-Encoding": "gzip, br", "If-None-Match": ready.headers["ETag"]}
    ):
        assert lightpage.serve(file).status_code == 304


def test_stale_or_made_up_digest_is_not_served(client):
    file = lightpage.static_files().files["app.js"]
    assert client[0].get("/_alliance/static/000000000000/app.js").status_code == 404
    assert client[0].get(f"/_alliance/static/{file.sha}/map.js").status_code == 404  # another file's digest
    assert client[0].get(f"/_alliance/static/{file.sha}/secret.py").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        "/_dash-component-suites/plotly/package_data/plotly.v7_1_0m1700000000.min.js",
    ],
)
def test_dash_full_plotly_url_sends_the_small_bundle(client, path):
    response = client[0].get(path)
    bundle = lightpage.static_files().files[lightpage.PLOTLY_GL_BUNDLE]  # the one with every trace the app draws
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/_alliance/static/{bundle.sha}/plotly-alliance-gl.min.js")


def test_dash_scripts_go_out_in_brotli_from_the_first_request(client):
    html = page_html(client)
    url = re.search(r'src="(/_dash-component-suites/dash/html/[^"]+)"', html)[1]
    plain = client[0].get(url, headers={"Accept-Encoding": "identity"}).get_data()
    best = brotli.compress(plain, quality=11)
    first = client[0].get(url, headers={"Accept-Encoding": "br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    assert brotli.decompress(first.get_data()) == plain
    assert first.get_data() != best  # a quick one, meanwhile
    deadline = time.monotonic() + 30
    while True:
        later = client[0].get(url, headers={"Accept-Encoding": "br"})
        if later.get_data() == best or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert later.get_data() == best
    assert later.headers["Content-Encoding"] == "br"
    assert later.headers["Cache-Control"] == "max-age=31536000"  # Dash's, kept


def test_dash_scripts_best_brotli_is_read_from_the_cache_by_the_next_process(tmp_path):
    from flask import Flask, Response

    data = b"function f(){return 1}" * 500
    served = Flask(__name__)
    served.add_url_rule("/s/<name>", "suite", lambda name: Response(data, mimetype="text/javascript"))
    first = lightpage.SuiteBrotli(tmp_path)
    served.view_functions["suite"] = first.wrap(served.view_functions["suite"])
    served.test_client().get("/s/a.js", headers={"Accept-Encoding": "br"})
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("suite-*.br")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the file is written whole (renamed into place)
    later = Flask(__name__)  # another worker or a restart: the best body at once
    later.add_url_rule("/s/<name>", "suite", lambda name: Response(data, mimetype="text/javascript"))
    later.view_functions["suite"] = lightpage.SuiteBrotli(tmp_path).wrap(later.view_functions["suite"])
    response = later.test_client().get("/s/a.js", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.get_data() == brotli.compress(data, quality=11)


def test_rewrite_page_links_the_webgl_bundle_when_asked():
    files = lightpage.static_files()
    out, _, _ = lightpage.rewrite_page("", "", files, "/map/", webgl=True)
    gl = files.files[lightpage.PLOTLY_GL_BUNDLE].sha
    assert out == (
        f'<script defer id="plotly-bundle" data-webgl="true" '
        f'src="/map/_alliance/static/{gl}/plotly-alliance-gl.min.js"></script>\n'
    )


def test_rewrite_page_leaves_unknown_assets_alone():
    files = lightpage.static_files()
    scripts = (
        '<script src="/assets/other.js?m=12.5"></script><script src="/assets/app.js?m=17"></script>'
        '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>'
    )
    out, css, metas = lightpage.rewrite_page(
        scripts, '<link rel="stylesheet" href="/assets/style.css?m=3">', files, "/"
    )
    assert '<script src="/assets/other.js?m=12.5"></script>' in out
    assert f"/_alliance/static/{files.files['app.js'].sha}/app.js" in out
    assert "polyfill" not in out
    assert css == f'<link rel="stylesheet" href="/_alliance/static/{files.files["style.css"].sha}/style.css">'
    assert metas == ""  # no AG Grid script in the page: nothing to load later


def test_every_script_and_style_of_assets_goes_out_hashed():
    """A new file in assets/ must join HASHED, or every visit downloads it again."""
    own = {p.name for p in lightpage.ASSETS.glob("*") if p.suffix in (".js", ".css")}
    assert own <= set(lightpage.HASHED), own - set(lightpage.HASHED)
