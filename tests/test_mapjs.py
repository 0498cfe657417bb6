"""assets/map.js's unit tests (tests/js/*.test.js) under node's own test runner, without a page.

The JavaScript tests draw a hand-made map with the server's constants, messages and themes
(components/mapdata.py code_parts, written to a file for them). Needs `node` (Debian's nodejs,
installed by scripts/test.sh).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from components.mapdata import code_parts, constants

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"


def run_node_tests(tmp_path: Path, *files: str) -> subprocess.CompletedProcess:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is not installed (scripts/test.sh installs Debian's nodejs)")
    parts = tmp_path / "code-parts.json"
    parts.write_text(json.dumps({lang: code_parts(lang) for lang in ("en", "ru")}), encoding="utf-8")
    targets = [str(JS_TESTS / f) for f in files] or sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    return subprocess.run(
        [node, "--test", *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MAPJS_CODE_PARTS": str(parts)},
    )


def test_map_js_unit_tests_pass_in_node(tmp_path):
    result = run_node_tests(tmp_path)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
    assert "# fail 0" in result.stdout and "# pass " in result.stdout


def test_map_js_reads_only_numbers_the_server_sends_and_uses_them_all():
    """map.js takes every drawing number from the map data's `constants` (alliance/drawing.py and
    the layout's, curves', theme's): a name it reads that the server does not send would be
    undefined in the browser; a name sent but never read is a number typed somewhere else."""
    source = (ROOT / "assets" / "map.js").read_text(encoding="utf-8")
    read = set(re.findall(r"\bk\.([a-z_]+)", source))
    assert read - set(constants()) == set()
    # the curve bends and the layout version are sent for the data's cache key only: the curves'
    # control points arrive computed
    assert set(constants()) - read == {"bends", "layout_version"}


PREVIEW_JS = """
const map = require(process.argv[1]);
const spec = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8")).layout.meta.alliance_map;
const figure = map.previewFigure(map.prepare(JSON.parse(spec.bundle)), spec.controls, spec.query, spec.card);
const amounts = figure.data.find((t) => t.name === "amounts");
console.log(JSON.stringify({amounts: amounts.text, title: figure.layout.title.text,
  size: [figure.layout.width, figure.layout.height], types: [...new Set(figure.data.map((t) => t.type))],
  caption: figure.layout.meta.caption.text}));
"""


@pytest.mark.parametrize(
    ("lang", "title", "amount"),
    [
        ("en", "<b>Who funds, supplies and hosts whom · Nov 2025</b>", "$38B"),
        ("ru", "<b>Кто кого финансирует, снабжает и размещает · ноя 2025</b>", "38 млрд $"),
    ],
)
def test_the_preview_card_is_drawn_by_map_js_in_the_views_language(shipped_atlas, tmp_path, lang, title, amount):
    """What /preview.png hands to Chromium, drawn by map.js: Russian amounts under a Russian title
    (the Python figure drew English amounts there). OpenAI -> AWS, Nov 2025: $38B."""
    from alliance.viewstate import parse
    from components import preview
    from components.mapdata import BundleFile

    state, _ = parse(f"from=2025-11&to=2025-11&lang={lang}", shipped_atlas.context)
    spec = preview.preview_figure(
        shipped_atlas, state, lambda lang: BundleFile.build(shipped_atlas, lang).body.decode()
    )
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    node = shutil.which("node") or shutil.which("nodejs")
    out = subprocess.run(
        [node, "-e", PREVIEW_JS, str(ROOT / "assets" / "map.js"), str(tmp_path / "spec.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    card = json.loads(out.stdout)
    assert card["title"] == title and card["size"] == [1200, 630] and card["types"] == ["scatter"]
    assert amount in card["amounts"]
    if lang == "ru":
        assert all(text.endswith(" $") for text in card["amounts"]), card["amounts"]
    else:
        assert all(text.startswith(("$", "up to $")) for text in card["amounts"]), card["amounts"]
    assert card["caption"].startswith("AI Alliance Map" if lang == "en" else "Карта альянсов ИИ")


# One table, written by hand, that Python's formatter (alliance/i18n.py) and the browser's
# (assets/map.js, with the words, separators and units the server sends it) must both give.
FORMAT_TABLE = [
    # (what, value, English, Russian)
    ("money", 0, "$0", "0 $"),
    ("money", 512, "$512", "512 $"),
    ("money", 999.5, "$1K", "1 тыс. $"),  # half a dollar up to $1,000: the next unit
    ("money", 2500, "$2.5K", "2,5 тыс. $"),
    ("money", 999.5e6, "$999.5M", "999,5 млн $"),
    ("money", 999_999_999, "$1B", "1 млрд $"),
    ("money", 1.125e9, "$1.13B", "1,13 млрд $"),  # an exact half rounds up
    ("money", 1.115e9, "$1.12B", "1,12 млрд $"),  # and up from an odd digit too
    ("money", 41.2e9, "$41.2B", "41,2 млрд $"),
    ("money", 1.4e12, "$1.4T", "1,4 трлн $"),
    ("money", 1e15, "$1000T", "1000 трлн $"),  # units ungrouped
    ("up_to", 10e9, "up to $10B", "до 10 млрд $"),
    ("grouped", 1_234_567.5, "1,234,568", "1\u00a0234\u00a0568"),
    ("deals", 1, "1 deal", "1 сделка"),
    ("deals", 2, "2 deals", "2 сделки"),
    ("deals", 5, "5 deals", "5 сделок"),
    ("deals", 11, "11 deals", "11 сделок"),
    ("deals", 21, "21 deals", "21 сделка"),
    ("deals", 1000, "1,000 deals", "1\u00a0000 сделок"),
    ("months", ("2025-11-01", "2025-11-30"), "Nov 2025", "ноя 2025"),
    ("months", ("2025-01-05", "2026-06-30"), "Jan 2025 – Jun 2026", "янв 2025 – июн 2026"),
]

FORMAT_JS = """
const map = require(process.argv[1]);
const parts = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const rows = JSON.parse(process.argv[3]);
const day = (text) => Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10)) / 86400000;
const out = {};
for (const lang of ["en", "ru"]) {
  const b = {lang: lang, strings: parts[lang].strings, constants: parts[lang].constants, templates: {}};
  out[lang] = rows.map(([what, value]) => ({
    money: () => map.money(b, value), up_to: () => map.amountLabel(b, value, true),
    grouped: () => map.grouped(b, value), deals: () => map.count(b, "map.deals", value),
    months: () => map.dateRange(b, day(value[0]), day(value[1])),
  })[what]());
}
console.log(JSON.stringify(out));
"""


def python_format(what: str, value, lang: str) -> str:
    import datetime as dt

    from alliance import i18n

    if what == "months":
        return i18n.date_range(dt.date.fromisoformat(value[0]), dt.date.fromisoformat(value[1]), lang)
    return {
        "money": lambda: i18n.money(value, lang),
        "up_to": lambda: i18n.amount_as_stated(value, "up_to", lang),
        "grouped": lambda: i18n.grouped(value, lang),
        "deals": lambda: i18n.count(lang, "map.deals", value),
    }[what]()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_python_formats_money_counts_and_months_as_the_table_says(lang):
    expected = [row[2] if lang == "en" else row[3] for row in FORMAT_TABLE]
    assert [python_format(what, value, lang) for what, value, _, _ in FORMAT_TABLE] == expected


def test_map_js_formats_money_counts_and_months_as_python_does(tmp_path):
    """The browser keeps its own formatter (it cannot call Python), fed with the server's words,
    separators, units and rounding: the same table holds for it, in both languages."""
    parts = tmp_path / "code-parts.json"
    parts.write_text(json.dumps({lang: code_parts(lang) for lang in ("en", "ru")}), encoding="utf-8")
    rows = json.dumps([[what, value] for what, value, _, _ in FORMAT_TABLE])
    node = shutil.which("node") or shutil.which("nodejs")
    out = subprocess.run(
        [node, "-e", FORMAT_JS, str(ROOT / "assets" / "map.js"), str(parts), rows],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["en"] == [row[2] for row in FORMAT_TABLE]
    assert got["ru"] == [row[3] for row in FORMAT_TABLE]
