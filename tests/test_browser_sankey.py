"""The Sankey as a reader sees it, measured in Chromium from the plot's own SVG: no two labels
(company names and column headers) overlap on a desktop or a phone, in either language, most
names stay on screen, and every node sits inside the plot."""

from __future__ import annotations

import pytest

from components import ids

from .browser import ARTIFACTS, overlapping_pairs, set_viewport, wait_for

pytestmark = pytest.mark.browser

MEASURE_JS = (
    """
const gd = document.querySelector('#%s .js-plotly-plot');
if (!gd || !gd.data || !gd.data[0] || gd.data[0].type !== 'sankey') return null;
if (![...gd.querySelectorAll('.annotation-text')].every(a => a.getAttribute('data-fitted'))) return null;
const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const labels = [...gd.querySelectorAll('.sankey-node .node-label')];
const named = labels.filter(l => (l.getAttribute('data-full') || '').trim());
const shown = named.filter(l => l.textContent.trim() && l.style.display !== 'none');
const headers = [...gd.querySelectorAll('.annotation-text')];
const plot = gd.getBoundingClientRect();
const rects = [...gd.querySelectorAll('.sankey-node .node-rect')].map(box);
return {texts: shown.map(l => [l.textContent, box(l)]).concat(headers.map(h => [h.textContent, box(h)])),
        named: named.length, shown: shown.length,
        whole: shown.filter(l => l.textContent === l.getAttribute('data-full')).length,
        outside: rects.filter(r => r[3] > plot.bottom + 1 || r[1] < plot.top - 1).length};
"""
    % ids.GRAPH
)

VIEWS = {"default": "", "2025": "&from=2025-01&to=2025-12", "nov-2025": "&from=2025-11&to=2025-11"}


@pytest.mark.parametrize("width, height, min_whole", [(1500, 1000, 1.0), (390, 844, 0.6)])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_sankey_labels_never_collide(base_url, browser, width, height, min_whole, lang):
    set_viewport(browser, width, height)
    for name, query in VIEWS.items():
        browser.get(f"{base_url}/?view=sankey&lang={lang}{query}")
        m = wait_for(browser, lambda d: d.execute_script(MEASURE_JS), timeout=40, message=f"the Sankey of {name}")
        browser.save_screenshot(str(ARTIFACTS / f"sankey-{name}-{lang}-{width}x{height}.png"))
        assert overlapping_pairs(m["texts"]) == [], (name, lang, width)
        assert m["outside"] == 0, (name, lang, width)
        # folding keeps few enough names that on a desktop every one is whole; a phone may shorten
        # or hide a few (their full names stay in the hover)
        assert m["whole"] >= min_whole * m["named"], (name, lang, width, m["whole"], m["named"])
