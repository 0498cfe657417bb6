"""The map drawn in the browser (assets/map.js), checked against the server in real Chromium.

- On 50 random views (hypothesis), the map shows exactly the deals `/api/deals` returns for the
  same link: every curve, and every company, no more and no fewer.
- map.js's own logic (money, labels, camera, formats) is tested without a page in tests/js/.
- A control change repaints without any request to the server.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.schema import DEAL_TYPES, ROLES
from components import ids
from components.controls import AMOUNT_STEPS

from .browser import chrome, set_viewport, wait_for, wait_ready

pytestmark = pytest.mark.browser

FIGURE_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
return gd && gd.layout && gd.layout.meta ? JSON.stringify({data: gd.data, layout: gd.layout}) : null;
"""
    % ids.GRAPH
)

GO_JS = """
window.history.pushState({}, '', arguments[0]);
window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));
"""

DRAWN_QUERY_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
return gd && gd.layout && gd.layout.meta ? (gd.layout.meta.query === undefined ? null : gd.layout.meta.query) : null;
"""
    % ids.GRAPH
)


@pytest.fixture(scope="module")
def page(base_url, shared_chromium):
    """The session's Chromium on one page, kept loaded across this module's tests."""
    driver = shared_chromium.get()
    driver.get(base_url + "/")
    wait_ready(driver)
    return driver


def api(base_url: str, query: str) -> dict:
    with urllib.request.urlopen(f"{base_url}/api/deals{query}", timeout=20) as response:
        return json.loads(response.read())


def figure(driver) -> dict:
    return json.loads(driver.execute_script(FIGURE_JS))


def expected_edges(rows: list[dict], every: bool) -> Counter:
    """The curves a map of these deals must draw, as the click payloads they carry."""
    if every:
        return Counter(("deal", r["id"], r["deal_type"]) for r in rows)
    flows: dict[tuple, list[str]] = {}
    for r in rows:
        flows.setdefault((r["from_id"], r["to_id"], r["deal_type"]), []).append(r["id"])
    return Counter(
        ("deal", deal_ids[0], kind) if len(deal_ids) == 1 else ("company", payer, kind, receiver, len(deal_ids))
        for (payer, receiver, kind), deal_ids in flows.items()
    )


def drawn(fig: dict) -> tuple[Counter, set]:
    edges = Counter(tuple(c) for t in fig["data"] if t.get("name") == "deals" for c in t["customdata"])
    companies = {c[1] for t in fig["data"] if t.get("name") == "companies" for c in t["customdata"]}
    return edges, companies


def random_view(draw, deal_days: list[str]) -> str:
    """A random link over the filters: types, roles, a window (whole months, or days on which
    deals were announced, so an off-by-one-day edge shows), amount, drawing mode and focus."""
    pairs = []
    types = draw(st.lists(st.sampled_from(list(DEAL_TYPES)), unique=True, min_size=1))
    if len(types) < len(DEAL_TYPES):
        pairs.append(("types", ",".join(types)))
    roles = draw(st.lists(st.sampled_from(list(ROLES)), unique=True, min_size=1))
    if len(roles) < len(ROLES):
        pairs.append(("roles", ",".join(roles)))
    first, last = sorted(draw(st.lists(st.sampled_from(deal_days), min_size=2, max_size=2)))
    pairs.append(("from", first if draw(st.booleans()) else first[:7]))
    pairs.append(("to", last if draw(st.booleans()) else last[:7]))
    amount = draw(st.sampled_from(AMOUNT_STEPS))
    if amount:
        pairs.append(("min_amount", str(int(amount))))
    if draw(st.booleans()):
        pairs.append(("every", "1"))
    if draw(st.sampled_from([False, False, True])):
        pairs.append(("sources", "strong"))
    focus = draw(st.sampled_from([None, None, "nvidia", "openai", "microsoft"]))
    if focus:
        pairs += [("focus", focus), ("depth", str(draw(st.sampled_from([1, 2]))))]
    return "?" + urllib.parse.urlencode(pairs, safe=",")


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_map_shows_exactly_the_deals_the_api_returns(page, base_url, shipped_atlas, data):
    query = random_view(data.draw, sorted({f"{d:%Y-%m-%d}" for d in shipped_atlas.dataset.deals["date"]}))
    answer = api(base_url, query)
    canonical = answer["query"]
    page.execute_script(GO_JS, "/" + query)
    wait_for(
        page,
        lambda d: d.execute_script(DRAWN_QUERY_JS) == canonical
        or (not answer["deals"] and d.find_elements("xpath", "//*[contains(text(), 'No deals match')]")),
        timeout=20,
        message=f"the map never drew {query}",
    )
    wait_ready(page)
    fig = figure(page)
    if not answer["deals"]:
        assert not fig["data"]
        return
    every = "every=1" in canonical
    edges, companies = drawn(fig)
    assert edges == expected_edges(answer["deals"], every), query
    parties = {r["from_id"] for r in answer["deals"]} | {r["to_id"] for r in answer["deals"]}
    focus = urllib.parse.parse_qs(canonical.lstrip("?")).get("focus", [])
    assert companies == parties | set(focus), query


# --- the page -------------------------------------------------------------------------------------


def test_a_control_change_repaints_while_the_server_is_still_answering(page, base_url):
    page.get(base_url + "/")
    wait_ready(page)
    # Every callback request now takes 3 s; the map must repaint long before that.
    page.execute_script(
        """
        const gd = document.querySelector('#%s .js-plotly-plot');
        window.__answered = 0; window.__answeredAtPaint = null;
        // the repaint for this change: the first one without equity deals (a late paint of the
        // page's load, still on its way when the click happens, does not count)
        const equity = () => gd.data.some(
            t => t.name === 'deals' && (t.customdata || []).some(c => c[2] === 'equity_investment'));
        gd.on('plotly_afterplot', () => {
            if (window.__answeredAtPaint === null && !equity()) { window.__answeredAtPaint = window.__answered; }
        });
        const fetch0 = window.fetch;
        window.fetch = function (url, options) {
            if (!String(url).includes('_dash-update-component')) { return fetch0(url, options); }
            return new Promise(done => setTimeout(done, 3000))
                .then(() => { window.__answered += 1; return fetch0(url, options); });
        };
        window.__clicked = performance.now();
        document.querySelector("#%s input[value='equity_investment']").click();
    """
        % (ids.GRAPH, ids.TYPES)
    )
    wait_for(
        page,
        lambda d: d.execute_script("return window.__answeredAtPaint;") is not None,
        timeout=2.5,
        message="the map waited for the server",
    )
    # painted before any held callback request was let through to the server
    assert page.execute_script("return window.__answeredAtPaint;") == 0
    assert not [
        t
        for t in figure(page)["data"]
        if t.get("name") == "deals" and any(c[2] == "equity_investment" for c in t["customdata"])
    ]


def test_the_camera_button_saves_the_view_with_its_caption(base_url, tmp_path):
    driver = chrome()
    try:
        set_viewport(driver, 1500, 1000)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
        driver.get(base_url + "/?from=2025-01&to=2025-06")
        wait_ready(driver)
        caption = figure(driver)["layout"]["meta"]["caption"]["text"]
        assert caption.endswith("Jan 2025 – Jun 2025 · " + caption.rsplit(" · ", 1)[1])
        driver.execute_script(
            """
            window.__exported = null;
            const download = Plotly.downloadImage;
            Plotly.downloadImage = function (figure, options) {
                window.__exported = figure.layout.annotations;
                return download.apply(this, arguments);
            };
            document.querySelector("#%s .modebar-btn[data-title='Download the map as PNG']").click();
        """
            % ids.GRAPH
        )
        wait_for(driver, lambda d: list(tmp_path.glob("*.png")), timeout=20, message="no PNG was saved")
        (png,) = tmp_path.glob("*.png")
        assert png.name == "ai-alliance-map_2025-01_2025-06.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert [a["text"] for a in driver.execute_script("return window.__exported;")] == [caption]
        assert not driver.execute_script(
            "return document.querySelector('#%s .js-plotly-plot').layout.annotations;" % ids.GRAPH
        )
    finally:
        driver.quit()


VALIDATE_JS = """
const b = window.allianceMap.load(document.querySelector('link[data-map-data]').getAttribute('href')).value;
const bad = window.allianceMap.view(b, {types: 'chip_supply', roles: [{x: 1}], focus: ['nvidia'], depth: '9',
                                        min_amount: 'lots', timeline: ['a', null], every: null}, '?company=%3Cb%3E');
const good = window.allianceMap.view(b, {types: ['chip_supply', 'nope'], roles: ['chipmaker'], focus: 'nvidia',
                                         depth: 2,
                                         min_amount: 1e9, timeline: [2, 5], every: ['every']}, '?company=nvidia');
const canvas = window.allianceMap.canvas(b, {width: 'wide', height: 1e9}, {x: [0, NaN], y: [0, 1]}, good);
const kept = window.allianceMap.canvas(b, {width: 800, height: 600}, {x: [0, 1], y: [0.2, 0.8]}, bad);
return {bad, good, canvas, kept, months: b.months.length, defaultCanvas: b.constants.default_canvas_px};
"""


def test_malformed_control_values_fall_back_in_the_browser(page, base_url):
    page.get(base_url + "/")
    wait_ready(page)
    out = page.execute_script(VALIDATE_JS)
    bad, good = out["bad"], out["good"]
    assert (bad["types"], bad["roles"], bad["focus"], bad["depth"], bad["minAmount"], bad["every"]) == (
        [],
        [],
        None,
        1,
        0,
        False,
    )
    assert (bad["lo"], bad["hi"], bad["company"]) == (0, out["months"] - 1, None)
    assert (good["types"], good["roles"], good["focus"], good["depth"], good["minAmount"]) == (
        ["chip_supply"],
        ["chipmaker"],
        "nvidia",
        2,
        1e9,
    )
    assert (good["lo"], good["hi"], good["every"], good["company"]) == (2, 5, True, "nvidia")
    # a bad graph size or camera: the default canvas, fitted; the open company reserves the panel's side
    width, height = out["defaultCanvas"]
    assert out["canvas"]["x"] is None and out["canvas"]["reserve"] > 0
    assert out["canvas"]["plot"] == [width - 8, height - 24]
    assert (out["kept"]["x"], out["kept"]["y"], out["kept"]["reserve"]) == ([0, 1], [0.2, 0.8], 0)
