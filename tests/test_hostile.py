"""Hostile requests derived from the app's own /_dash-dependencies: never a 5xx, never a traceback.

The callback list is read at test time, so callbacks added or changed later are covered with no
edit here. Values come from hypothesis; envelopes are broken one way at a time (a dependency
dropped or added, wrong ids, wrong shapes, unknown outputs, non-finite numbers, huge lists,
deep nesting). In-process through Flask's test client; one test does the same against gunicorn.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.factory import create_app

from .browser import ARTIFACTS, served
from .helpers import UPDATE, assert_clean, post, well_formed


@pytest.fixture(scope="module")
def client(shipped_client):
    return shipped_client


JSON_LEAF = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=12,
)
# lone surrogates, NUL and other controls, bidi and other format characters, among letters
UNICODE_CLASS = st.text(st.characters(categories=["Cs", "Cc", "Cf", "Ll"]), min_size=1, max_size=12)
HOSTILE = st.one_of(
    JSON_VALUE,
    UNICODE_CLASS,
    st.lists(UNICODE_CLASS, max_size=3),
    st.dictionaries(UNICODE_CLASS, UNICODE_CLASS, max_size=2),
    st.sampled_from(
        [
            10**30,
            -(10**30),
            1e308,
            -1e308,
            "",
            "x" * 5000,
            "?" * 3000,
            "%" * 100,
            [[[[[[]]]]]],
            {"a": {"b": {"c": {}}}},
            "<script>alert(1)</script>",
            "../../etc/passwd",
            [None] * 50,
            {"points": [{"customdata": [None, {"x": 1}]}]},
            {"points": "x"},
            {"colDef": 1, "value": []},
            "?types=nope&from=9999-99",
            "?" + "&".join(f"types=t{i}" for i in range(200)),
        ]
    ),
)


def test_well_formed_bodies_work(client, server_callbacks, caplog):
    """The derived bodies are right: with all values None (the page's first load) no callback fails."""
    with caplog.at_level(logging.WARNING):
        for dep in server_callbacks:
            response = post(client, well_formed(dep))
            assert_clean(response, caplog)
            assert response.status_code in (200, 204), (dep["output"], response.data[:200])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_hostile_values_never_500(client, server_callbacks, caplog, data):
    dep = data.draw(st.sampled_from(server_callbacks), label="callback")
    slots = [("inputs", i) for i in range(len(dep["inputs"]))] + [("state", i) for i in range(len(dep["state"]))]
    chosen = data.draw(st.lists(st.sampled_from(slots), min_size=1, max_size=3, unique=True), label="slots")
    values = {slot: data.draw(HOSTILE, label=str(slot)) for slot in chosen}
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert_clean(post(client, well_formed(dep, values)), caplog)


def broken_envelopes(dep: dict):
    base = well_formed(dep)
    first = base["inputs"][0]
    yield "one input dropped", {**base, "inputs": base["inputs"][:-1]}
    yield "one input extra", {**base, "inputs": base["inputs"] + [first]}
    yield "state extra", {**base, "state": base["state"] + [{"id": "nope", "property": "value", "value": 1}]}
    yield "wrong input id", {**base, "inputs": [{"id": "nope", "property": "value", "value": 1}] + base["inputs"][1:]}
    yield "input is a string", {**base, "inputs": "filter-types"}
    yield "inputs is an object", {**base, "inputs": {"id": "x"}}
    yield "input entry is a number", {**base, "inputs": [7] + base["inputs"][1:]}
    yield "no inputs", {k: v for k, v in base.items() if k != "inputs"}
    yield "no output", {k: v for k, v in base.items() if k != "output"}
    yield "no outputs", {k: v for k, v in base.items() if k != "outputs"}
    yield "unknown output", {**base, "output": "nope.children"}
    yield "output is a list", {**base, "output": [base["output"]]}
    yield "outputs are numbers", {**base, "outputs": [1, 2]}
    yield "changedPropIds object", {**base, "changedPropIds": {"a": 1}}
    yield "changedPropIds unknown", {**base, "changedPropIds": ["nope.value", 5]}
    yield "extra top-level key", {**base, "extra": 1}
    yield (
        "100k list",
        {**base, "inputs": [{**first, "value": list(range(100_000))}] + base["inputs"][1:]}
        if isinstance(first, dict)
        else {**base, "inputs": [[first] * 100_000]},
    )
    yield "deep nesting", "[" * 3000 + "]" * 3000
    yield (
        "deep value",
        {
            **base,
            "inputs": [{**first, "value": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}],
        }
        if isinstance(first, dict)
        else base,
    )
    text = json.dumps(base)
    yield "NaN", text.replace('"changedPropIds"', '"nan": NaN, "changedPropIds"', 1)
    yield "Infinity value", re.sub(r'"value": null', '"value": Infinity', text, count=1)
    yield "huge number", re.sub(r'"value": null', '"value": 1e400', text, count=1)
    yield "truncated", text[: len(text) // 2]


BODIES = ["", "null", "[]", "{}", "0", '"x"', "{", "\x00\x01", "[" * 100_000]


@pytest.mark.parametrize("body", BODIES, ids=[repr(b[:10]) for b in BODIES])
def test_malformed_bodies_are_400_json(client, body, caplog):
    with caplog.at_level(logging.WARNING):
        response = post(client, body)
        assert_clean(response, caplog)
    assert response.status_code == 400
    assert set(response.get_json()) == {"error"}
    assert [r.name for r in caplog.records] == ["alliance.guard"]  # one line per rejected request


def test_broken_envelopes_are_400(client, server_callbacks, caplog):
    for dep in server_callbacks:
        for name, body in broken_envelopes(dep):
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                response = post(client, body)
                assert_clean(response, caplog)
            assert response.status_code == 400, (dep["output"][:60], name, response.status_code)
            assert "error" in response.get_json()


def test_get_on_callback_endpoint_is_405(client):
    response = client.get(UPDATE)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.get_json() == {"error": "Use POST for callbacks."}


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/../../etc/passwd",
        "/_dash-component-suites/dash/..%2f..%2fapp.py",
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.v1.js",
        "/_dash-component-suites/os/path.py",
        "/assets/nope.css",
        "/assets/../app.py",
        "/_reload-hash",
    ],
)
def test_unknown_files_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"import" not in response.data


@pytest.mark.parametrize("path", ["/api/nope", "/api/deals/extra", "/api", "/api/../api/x"])
def test_unknown_api_paths_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json() == {"error": "No such API endpoint."}


def test_known_routes_still_work(client):
    assert client.get("/").status_code == 200
    assert client.get("/api/deals?types=chip_supply").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_memo_answers_the_same(client, server_callbacks):
    """A repeated body gets the identical answer (from the memo the second time)."""
    dep = next(d for d in server_callbacks if len(d["inputs"]) == 1)
    first, second = post(client, well_formed(dep)), post(client, well_formed(dep))
    assert first.status_code == second.status_code
    assert first.get_data() == second.get_data()


def test_gunicorn_log_has_no_traceback(server_callbacks):
    """The same hostile bodies through gunicorn: all 4xx, and its log holds no traceback."""
    ARTIFACTS.mkdir(exist_ok=True)
    statuses = []
    with served() as base:
        for dep in server_callbacks:
            for _name, body in broken_envelopes(dep):
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                req = urllib.request.Request(base + UPDATE, data=data, headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=10) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
        port = base.rsplit(":", 1)[1]
    assert statuses and all(400 <= s < 500 for s in statuses), statuses
    log_text = (ARTIFACTS / f"gunicorn-{port}.log").read_text()
    assert "Traceback" not in log_text
    assert log_text.count("alliance.guard") >= len(statuses)


def memo_of(app):
    """The guard's memo, kept in the closure of the wrapped callback view."""
    cells = app.server.view_functions[UPDATE].__closure__
    return next(c.cell_contents for c in cells if type(c.cell_contents).__name__ == "ResponseMemo")


def test_background_polls_are_not_memoized(shipped_atlas):
    """A request with Dash's background-callback query (cacheKey/job) always reaches the view;
    the same body without it is memoized."""
    from components.guard import body_key

    app = create_app(atlas=shipped_atlas)
    client = app.server.test_client()
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function"))
    body = well_formed(dep)
    key = body_key(shipped_atlas.dataset.version, body)
    assert (
        client.post(
            UPDATE + "?endId=x&cacheKey=abc", data=json.dumps(body), content_type="application/json"
        ).status_code
        < 500
    )
    assert memo_of(app).get(key) is None
    assert client.post(UPDATE + "?endId=x", data=json.dumps(body), content_type="application/json").status_code == 200
    assert memo_of(app).get(key) is not None


def test_guard_knows_callbacks_without_outputs():
    """A set_props-only callback (no Output) works through the guard; the renderer sends no outputs."""
    from dash import Dash, Input, html, set_props

    from components import guard

    app = Dash(__name__)
    app.layout = html.Div([html.Button(id="b"), html.Div(id="d")])

    @app.callback(Input("b", "n_clicks"))
    def press(n_clicks):
        set_props("d", {"children": f"pressed {n_clicks}"})

    guard.install(app, "test")
    client = app.server.test_client()
    output = client.get("/_dash-dependencies").get_json()[0]["output"]
    body = {
        "output": output,
        "inputs": [{"id": "b", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["b.n_clicks"],
    }
    response = post(client, body)
    assert response.status_code == 200
    assert "pressed 1" in response.get_data(as_text=True)
    assert post(client, {**body, "inputs": []}).status_code == 400


def test_guard_knows_pattern_matching_outputs():
    """ALL outputs arrive as a list of matches; the guard lets them through to Dash."""
    from dash import ALL, Dash, Input, Output, html

    from components import guard

    app = Dash(__name__)
    app.layout = html.Div(
        [html.Button(id="b"), html.Div(id={"type": "cell", "i": 1}), html.Div(id={"type": "cell", "i": 2})]
    )

    @app.callback(Output({"type": "cell", "i": ALL}, "children"), Input("b", "n_clicks"))
    def fill(n_clicks):
        return [f"cell {n_clicks}"] * 2

    guard.install(app, "test")
    client = app.server.test_client()
    output = client.get("/_dash-dependencies").get_json()[0]["output"]
    matches = [{"id": {"type": "cell", "i": i}, "property": "children"} for i in (1, 2)]
    body = {
        "output": output,
        "outputs": matches,
        "inputs": [{"id": "b", "property": "n_clicks", "value": 3}],
        "changedPropIds": ["b.n_clicks"],
    }
    response = post(client, body)
    assert response.status_code == 200 and response.get_data(as_text=True).count("cell 3") == 2
    assert post(client, {**body, "outputs": [[7]]}).status_code == 400


# --- the guard's wrappers, on a two-callback app (in process) ----------------------------------


@pytest.fixture
def small_app():
    """A bare Dash app behind the guard: `out` echoes its input (a long text when asked), refuses
    to update on 0 and fails on a negative number."""
    from dash import Dash, Input, Output, html
    from dash.exceptions import PreventUpdate

    from components import guard

    app = Dash(__name__)
    app.layout = html.Div([html.Button(id="b"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("b", "n_clicks"))
    def echo(n_clicks):
        app.calls.append(n_clicks)
        if n_clicks == 0:
            raise PreventUpdate
        if n_clicks < 0:
            return 1 // 0  # the failing line
        return "x" * n_clicks

    app.calls = []
    guard.install(app, "test")
    return app


def click(n):
    return {
        "output": "out.children",
        "outputs": {"id": "out", "property": "children"},
        "inputs": [{"id": "b", "property": "n_clicks", "value": n}],
        "changedPropIds": ["b.n_clicks"],
    }


def test_the_guard_answers_bad_bodies_with_its_own_words(small_app, caplog):
    client = small_app.server.test_client()
    assert post(client, "{not json").get_json() == {"error": "The callback body is not valid JSON."}
    assert post(client, "[" * 100_000 + "]" * 100_000).get_json() == {
        "error": "The callback body is nested too deeply."
    }
    # the renderer's Content-Type is not required: the body is read as JSON whatever it says
    plain = client.post(UPDATE, data=json.dumps(click(3)), content_type="text/plain")
    assert plain.status_code == 200 and '"xxx"' in plain.get_data(as_text=True)


def test_a_failing_callback_is_a_400_naming_the_error_and_line(small_app):
    response = post(small_app.server.test_client(), click(-1))
    assert response.status_code == 400
    message = response.get_json()["error"]
    line = next(i for i, text in enumerate(open(__file__, encoding="utf-8"), 1) if "return 1 // 0" in text)
    assert message == f"The callback could not use these inputs (ZeroDivisionError at test_hostile.py:{line})."


def test_prevent_update_is_a_204_and_kept(small_app):
    from components.guard import NO_UPDATE, body_key

    client = small_app.server.test_client()
    first = post(client, click(0))
    assert first.status_code == 204 and first.get_data() == b""
    assert memo_of(small_app).get(body_key("test", click(0))) == NO_UPDATE
    assert post(client, click(0)).status_code == 204 and small_app.calls == [0]  # from the memo


def test_a_repeated_request_is_answered_from_the_memo(small_app):
    client = small_app.server.test_client()
    first = post(client, click(3))
    assert post(client, click(3)).get_data() == first.get_data() and small_app.calls == [3]
    post(client, click(4))
    assert small_app.calls == [3, 4]


def test_a_large_answer_is_kept_gzipped_and_sent_gzipped_only_when_taken(small_app):
    import gzip

    from components.guard import body_key

    client = small_app.server.test_client()
    body = json.dumps(click(5000))
    taken = client.post(UPDATE, data=body, content_type="application/json", headers={"Accept-Encoding": "GZIP, br"})
    assert taken.headers["Content-Encoding"] == "gzip" and taken.headers["Vary"] == "Accept-Encoding"
    assert '"' + "x" * 5000 + '"' in gzip.decompress(taken.get_data()).decode()
    status, _, raw, gzipped = memo_of(small_app).get(body_key("test", click(5000)))
    assert status == 200 and taken.get_data() == gzipped and gzip.decompress(gzipped) == raw
    plain = client.post(UPDATE, data=body, content_type="application/json")
    assert "Content-Encoding" not in plain.headers and plain.get_data() == raw


def test_the_memo_key_ignores_the_order_of_keys():
    from components.guard import body_key

    body = click(2)
    reordered = dict(reversed(list(body.items())))
    assert list(reordered) != list(body) and body_key("v1", reordered) == body_key("v1", body)
    assert body_key("v2", body) != body_key("v1", body)


def test_an_unknown_component_suite_file_is_a_404_and_other_errors_pass_through(caplog):
    import flask
    from werkzeug.exceptions import Forbidden

    from components.guard import guard_component_suites

    def view(*args, **kwargs):
        kind = kwargs["kind"]
        assert args == ("pkg",)
        if kind == "missing":
            raise KeyError("pkg")
        if kind == "forbidden":
            raise Forbidden()
        return {"none": None, "bad": flask.Response("no", status=400), "text": "body"}[kind]

    guarded = guard_component_suites(view)
    with flask.Flask(__name__).test_request_context("/_dash-component-suites/pkg/x.js"):
        for kind in ("missing", "none", "bad"):
            response = guarded("pkg", kind=kind)
            assert (response.status_code, response.get_json()) == (404, {"error": "No such file."})
        assert caplog.records[0].getMessage() == (
            "rejected GET '/_dash-component-suites/pkg/x.js' -> 404: No such file. (KeyError)"
        )
        assert guarded("pkg", kind="text") == "body"  # no status code: served as it is
        with pytest.raises(Forbidden):
            guarded("pkg", kind="forbidden")


# --- the guard's checks, as functions: each limit at its edge, each refusal in its words --------


def nested_lists(levels: int):
    value = 0
    for _ in range(levels):
        value = [value]
    return value


def nested_dicts(levels: int):
    value = 0
    for _ in range(levels):
        value = {"k": value}
    return value


def refusal(call) -> str | None:
    from components.guard import Rejected

    try:
        call()
    except Rejected as problem:
        return str(problem)
    return None


LIST_OVER = "A list in the callback body has more than 2000 items."


@pytest.mark.parametrize(
    "value, expected",
    [
        (nested_lists(32), None),  # MAX_DEPTH 32: the innermost value sits 32 deep
        (nested_lists(33), "The callback body is nested too deeply."),
        (nested_dicts(32), None),
        (nested_dicts(33), "The callback body is nested too deeply."),
        ([[0] * 1999] * 24 + [[0] * 1998], None),  # 1 + 24 * 2000 + 1999 = 50,000 values: the limit
        ([[0] * 1999] * 25, "The callback body has too many values."),  # 50,001
        ({str(i): [0] * 1998 for i in range(25)}, "The callback body has too many values."),  # 49,976 + 25 keys
        ([2**53, -(2**53), 1.5, True, None], None),
        (2**53 + 1, "A number in the callback body is out of range."),
        (-(2**53) - 1, "A number in the callback body is out of range."),
        (float("nan"), "A number in the callback body is not finite."),
        ([float("-inf")], "A number in the callback body is not finite."),
        ("x" * 100_000, None),
        ("x" * 100_001, "A string in the callback body is too long."),
        ({"x" * 100_001: 0}, "A string in the callback body is too long."),  # keys are checked too
        ([0] * 2000, None),
        ([0] * 2001, LIST_OVER),
        ({str(i): 0 for i in range(2000)}, None),
        ({str(i): 0 for i in range(2001)}, "An object in the callback body has too many keys."),
        ((1, 2), "The callback body holds a value JSON does not have."),
        ([{1, 2}], "The callback body holds a value JSON does not have."),
    ],
)
def test_check_value_limits(value, expected):
    from components.guard import check_value

    assert refusal(lambda: check_value(value)) == expected


CALLBACK_MAP = {
    "out.children": {
        "callback": object(),
        "inputs": [{"id": "b", "property": "n_clicks"}],
        "state": [{"id": "s", "property": "value"}],
    },
    "..a.children...b.children..": {"callback": object(), "inputs": [], "state": []},
    "quiet": {"callback": object(), "no_output": True, "inputs": [], "state": []},
}
OUT = {"id": "out", "property": "children"}
GOOD = {
    "output": "out.children",
    "outputs": OUT,
    "inputs": [{"id": "b", "property": "n_clicks", "value": 1}],
    "state": [{"id": "s", "property": "value", "value": "v"}],
}


@pytest.mark.parametrize(
    "body, expected",
    [
        (GOOD, None),
        ({**GOOD, "changedPropIds": ["b.n_clicks"], "parsedChangedPropsIds": []}, None),
        ({"output": "quiet", "inputs": []}, None),  # set_props only: no outputs sent
        ({"output": "..a.children...b.children..", "outputs": [[OUT, OUT]], "inputs": []}, None),  # ALL matches
        ({"output": "..a.children...b.children..", "outputs": [OUT, OUT], "inputs": []}, None),
        ([GOOD], "The callback body must be a JSON object."),
        ({**GOOD, "extra": 1}, "The callback body has unknown keys."),
        ({**GOOD, "output": "nope.children"}, "The callback body names no known server callback output."),
        ({**GOOD, "output": 5}, "The callback body names no known server callback output."),
        ({k: v for k, v in GOOD.items() if k != "outputs"}, "The callback body needs its outputs."),
        ({**GOOD, "outputs": "out.children"}, "The callback body needs its outputs."),
        ({**GOOD, "outputs": {"id": "out", "property": 5}}, "The callback body's outputs are malformed."),
        ({**GOOD, "outputs": [[{"property": "children"}]]}, "The callback body's outputs are malformed."),
        ({**GOOD, "inputs": []}, "The callback body needs 1 inputs."),
        ({**GOOD, "state": None}, "The callback body needs 1 state."),
        ({**GOOD, "inputs": [{"id": "c", "property": "n_clicks"}]}, "inputs #1 does not match the callback."),
        ({**GOOD, "state": [{"id": "s", "property": "data"}]}, "state #1 does not match the callback."),
        ({**GOOD, "changedPropIds": [1]}, "changedPropIds must be a list of strings."),
        ({**GOOD, "changedPropIds": "b.n_clicks"}, "changedPropIds must be a list of strings."),
        ({**GOOD, "parsedChangedPropsIds": "x"}, "parsedChangedPropsIds must be a list."),
        ({**GOOD, "state": [{"id": "s", "property": "value", "value": [0] * 2001}]}, LIST_OVER),
    ],
)
def test_check_envelope_words(body, expected):
    from components.guard import check_envelope

    assert refusal(lambda: check_envelope(body, CALLBACK_MAP)) == expected


PATTERN_MAP = {
    "two.children": {
        "callback": object(),
        "inputs": [{"id": "a", "property": "value"}, {"id": "b", "property": "value"}],
        "state": [],
    },
    "all.children": {
        "callback": object(),
        "inputs": [{"id": '{"n":1,"type":["ALL"]}', "property": "value"}],
        "state": [],
    },
    "smaller.children": {
        "callback": object(),
        "inputs": [{"id": '{"index":["ALLSMALLER"],"type":"row"}', "property": "value"}],
        "state": [],
    },
    "match.children": {
        "callback": object(),
        "inputs": [{"id": '{"index":["MATCH"],"type":"row"}', "property": "value"}],
        "state": [],
    },
}


def pattern_body(output: str, inputs) -> dict:
    return {"output": output, "outputs": {"id": "x", "property": "children"}, "inputs": inputs}


def one(id_, prop="value") -> dict:
    return {"id": id_, "property": prop, "value": 1}


NOT_MATCHING = "inputs #1 does not match the callback."


@pytest.mark.parametrize(
    "output, inputs, expected",
    [
        ("two.children", [one("a"), one("b")], None),
        ("two.children", [one("a"), one("c")], "inputs #2 does not match the callback."),
        ("two.children", [{"property": "value", "value": 1}, one("b")], NOT_MATCHING),  # no id
        ("two.children", "a", "The callback body needs 2 inputs."),
        ("all.children", [[one({"n": 1, "type": "p"}), one({"n": 1, "type": "q"})]], None),
        ("all.children", [[]], None),
        ("all.children", [[one({"n": 1, "type": "p"})] * 2000], None),
        ("all.children", [[one({"n": 1, "type": "p"})] * 2001], "inputs #1 must be a list of matching components."),
        ("all.children", [one({"n": 1, "type": "p"})], "inputs #1 must be a list of matching components."),
        ("all.children", [[one({"n": 2, "type": "p"})]], NOT_MATCHING),  # a fixed key differs
        ("all.children", [[one({"n": 1, "type": "p"}, "data")]], NOT_MATCHING),
        ("smaller.children", [[one({"index": 0, "type": "row"})]], None),
        ("match.children", [one({"index": 3, "type": "row"})], None),
        ("match.children", [one({"type": "row", "other": 3})], NOT_MATCHING),  # other keys
        ("match.children", [one("row")], NOT_MATCHING),
    ],
)
def test_check_dependencies_follows_the_declared_ids(output, inputs, expected):
    from components.guard import check_envelope

    assert refusal(lambda: check_envelope(pattern_body(output, inputs), PATTERN_MAP)) == expected


def test_build_response_and_memo_entry():
    import flask

    from components.guard import NO_UPDATE, build_response, memo_entry

    server = flask.Flask(__name__)
    with server.test_request_context("/", headers={"Accept-Encoding": "gzip"}):
        empty = build_response(NO_UPDATE)
        assert empty.status_code == 204 and empty.get_data() == b"" and "Content-Encoding" not in empty.headers
        small = build_response((200, [("Content-Type", "application/json")], b'{"a":1}', None))
        assert small.get_data() == b'{"a":1}' and "Content-Encoding" not in small.headers  # nothing gzipped kept
        assert small.headers["Vary"] == "Accept-Encoding" and small.content_type == "application/json"

        def entry(body: bytes, status=200, **headers):
            return memo_entry(flask.Response(body, status=status, headers=headers, mimetype="application/json"))

        assert entry(b"x" * 2047)[3] is None  # COMPRESS_MIN_BYTES 2048
        status, headers, raw, gzipped = entry(b"x" * 2048)
        assert (status, headers, raw) == (200, [("Content-Type", "application/json")], b"x" * 2048)
        assert gzipped[4:9] == b"\0\0\0\0\0"  # mtime 0 (one key, one body in every process); XFL 0: not level 9
        assert entry(b"{}", **{"Set-Cookie": "a=b"}) is None
        assert entry(b"{}", status=404) is None
        streamed = flask.Response(b"{}")
        streamed.direct_passthrough = True
        assert memo_entry(streamed) is None


def test_the_memo_keeps_what_fits_and_forgets_the_oldest():
    from components.guard import ResponseMemo

    memo = ResponseMemo(10)
    memo.put("a", (200, [], b"123456", b"1234"))  # weighs 6 + 4 = 10: exactly the room
    assert memo.get("a") is not None and memo.size == 10
    memo.put("b", (200, [], b"1", None))
    assert memo.get("a") is None and memo.get("b") is not None and memo.size == 1
    memo.put("big", (200, [], b"12345678901", None))  # over the whole memo: never kept
    assert memo.get("big") is None and memo.size == 1


def test_layout_and_dependencies_are_served_once_each(small_app, monkeypatch):
    client = small_app.server.test_client()
    layout = client.get("/_dash-layout").get_json()
    dependencies = client.get("/_dash-dependencies").get_json()
    assert layout["type"] == "Div" and isinstance(dependencies, list)  # each its own memo key
    assert client.get("/_dash-dependencies").get_json() == dependencies
    assert client.get("/_dash-layout").get_json() == layout


def test_a_layout_function_is_called_every_time():
    from dash import Dash, html

    from components import guard

    calls = []

    def layout():
        calls.append(1)
        return html.Div(f"call {len(calls)}")

    app = Dash(__name__)
    app.layout = layout
    guard.install(app, "test")
    client = app.server.test_client()
    assert (
        client.get("/_dash-layout").get_json()["props"]["children"]
        != client.get("/_dash-layout").get_json()["props"]["children"]
    )


def test_install_wires_the_routes_and_settings(small_app, monkeypatch):
    from dash import Dash, html

    from components import guard

    client = small_app.server.test_client()
    assert client.get("/_reload-hash").get_json() == {"error": "Not found."}  # a dev-tools route
    assert client.get("/_dash-component-suites/nopkg/x.js").get_json() == {"error": "No such file."}
    assert client.get("/_dash-update-component").get_json() == {"error": "Use POST for callbacks."}
    assert client.get("/api/nothing").get_json() == {"error": "No such API endpoint."}
    assert small_app.server.config["COMPRESS_MIN_SIZE"] == 2048
    monkeypatch.setenv("CALLBACK_MEMO_MB", "3")
    app = Dash(__name__)
    app.layout = html.Div()
    assert guard.install(app, "test").max_bytes == 3 * 1024 * 1024


def test_a_fixed_layout_is_built_once_per_process_and_a_layout_function_every_time():
    from types import SimpleNamespace

    import flask

    from components.guard import ResponseMemo, memoize_static_get

    server = flask.Flask(__name__)
    app = SimpleNamespace(layout="a fixed tree", server=server)
    calls = []

    def view(*args, **kwargs):
        calls.append((args, kwargs))
        return {"n": len(calls)}

    memo = ResponseMemo(1 << 20)
    memoized = memoize_static_get(app, view, memo, "v|/_dash-layout")
    with server.test_request_context("/_dash-layout"):
        assert memoized("a", k=1).get_json() == {"n": 1}
        assert memoized("a", k=1).get_json() == {"n": 1}  # from the memo
    assert calls == [(("a",), {"k": 1})] and memo.get("v|/_dash-layout") is not None
    app.layout = lambda: None
    with server.test_request_context("/_dash-layout"):
        assert memoized("b", k=2) == {"n": 2}  # the view's own answer, untouched
    assert calls[-1] == (("b",), {"k": 2})
