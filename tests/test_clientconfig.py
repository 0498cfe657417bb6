"""The page's config (components/clientconfig.py): every id, size, timing and word the page's
scripts use comes from it, none is typed again in assets/*.js, and the numbers CSS must hold as
numbers (its breakpoints, the panel's width) equal the Python ones."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from alliance import drawing, i18n
from components import clientconfig, ids
from components.clientconfig import SCRIPT_IDS, client_config
from components.factory import create_app
from components.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
PAGE_SCRIPTS = ("app.js", "gates.js", "lightpage.js", "sankey.js", "map.js")
ALL_IDS = {name: value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}
# How the scripts name the config: CONFIG (a local copy), IDS (CONFIG.ids) or window.allianceConfig.
# A name ends the path where a method call or a camelCase name follows (`flag_on.indexOf(…)`).
READ = re.compile(r"\b(?:window\.allianceConfig|CONFIG)((?:\.[a-z_]+(?![A-Za-z_(]))+)|\bIDS\.([a-z_]+)")


def source(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def reads(text: str) -> set[tuple[str, ...]]:
    """The config paths a script reads: ("ids", "graph"), ("ms", "poll"), ("words", "play")…"""
    found = set()
    for chain, id_name in READ.findall(text):
        found.add(("ids", id_name) if id_name else tuple(chain.strip(".").split(".")))
    return found


def test_every_config_value_a_script_reads_is_sent():
    config = client_config("en")
    for name in PAGE_SCRIPTS:
        for path in reads(source(name)):
            value = config
            for part in path:
                assert isinstance(value, dict) and part in value, f"{name} reads {'.'.join(path)}, not sent"
                value = value[part]


def test_every_id_a_script_uses_is_in_ids_py_and_sent_and_none_is_typed_again():
    used = {path[1] for name in PAGE_SCRIPTS for path in reads(source(name)) if path[0] == "ids" and len(path) > 1}
    assert used == set(SCRIPT_IDS)  # none missing, none sent for nothing
    assert set(SCRIPT_IDS.values()) <= set(ALL_IDS.values())
    for name in PAGE_SCRIPTS:
        text = source(name)
        for const, value in ALL_IDS.items():
            literal = re.compile(r"""["'#]""" + re.escape(value) + r"""(?:["'.\s]|$)""")
            hits = [m.group(0) for m in literal.finditer(text)]
            if const == "CLIENT_CONFIG":  # the one id a script must know to find the others
                assert hits in ([], ['"alliance-config"']), (name, hits)
                continue
            assert hits == [], f"{name} types the id of ids.{const} ({value!r}) again: {hits}"


def test_each_script_finds_the_config_by_its_id():
    assert ids.CLIENT_CONFIG == "alliance-config"
    for name in ("app.js", "gates.js", "lightpage.js", "sankey.js"):
        assert 'document.getElementById("alliance-config")' in source(name), name


def css_rules(css: str) -> tuple[dict, dict]:
    """({selector: declarations} outside media queries, {max-width px: {selector: declarations}})."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    top, media = {}, {}
    for m in re.finditer(r"@media \(max-width: (\d+)px\) \{((?:[^{}]*\{[^{}]*\})*)\s*\}", css):
        rules = media.setdefault(int(m[1]), {})
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", m[2]):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    rest = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", rest):
        top[selector.strip()] = top.get(selector.strip(), "") + body
    return top, media


def px(declarations: str, prop: str) -> float:
    found = re.findall(rf"(?:^|;)\s*{prop}:\s*([\d.]+)(px|rem)", declarations)
    assert found, f"no {prop} in {declarations!r}"
    value, unit = found[-1]
    return float(value) * (16 if unit == "rem" else 1)


def test_css_breakpoints_and_panel_width_equal_the_python_ones():
    """Media queries cannot read the config: the CSS keeps the numbers, and they must match."""
    top, media = css_rules(source("style.css"))
    assert set(media) == {clientconfig.PHONE_MAX_PX, clientconfig.NARROW_MAX_PX}
    assert px(top[".panel"], "width") == clientconfig.PANEL_CSS_PX
    assert px(media[clientconfig.NARROW_MAX_PX][".panel"], "width") == clientconfig.NARROW_PANEL_CSS_PX
    # the map leaves the panel's room (alliance/drawing.py PANEL_PX): its width and its offset
    assert drawing.PANEL_PX >= clientconfig.PANEL_CSS_PX + px(top[".panel"], "right")


def test_the_css_check_fails_on_a_moved_breakpoint():
    css = source("style.css").replace("@media (max-width: 600px)", "@media (max-width: 640px)", 1)
    assert set(css_rules(css)[1]) == {640, 600, clientconfig.NARROW_MAX_PX}  # one moved, one left behind


@pytest.fixture(scope="module")
def client(shipped_atlas, tmp_path_factory):
    app = create_app(Settings(preview_cache_dir=tmp_path_factory.mktemp("previews")), atlas=shipped_atlas)
    return app.server.test_client()


def served_config(client, query: str, **headers) -> dict:
    page = client.get("/" + query, headers=headers).get_data(as_text=True)
    found = re.findall(r'<script id="alliance-config" type="application/json">(.*?)</script>', page)
    assert len(found) == 1
    head = page.split("</head>")[0]
    assert found[0] in head and head.index("alliance-config") < page.index("<script src")
    return json.loads(found[0])


def test_the_page_carries_the_config_in_its_language(client):
    en = served_config(client, "")
    ru = served_config(client, "?lang=ru")
    assert (en["lang"], ru["lang"]) == ("en", "ru")
    assert served_config(client, "", **{"Accept-Language": "ru-RU,ru;q=0.9"})["lang"] == "ru"
    assert en["ids"]["graph"] == "network-graph" and en["ms"]["play_month"] == 150
    assert en["page"]["phone_max_px"] == 600 and en["gates"]["story_keep"] == [
        "story",
        "embed",
        "scroll",
        "lang",
        "theme",
    ]
    assert (en["words"]["play"], ru["words"]["play"]) == ("▶ Play", "▶ Запустить")
    assert (en["words"]["download_png"], ru["words"]["download_png"]) == (
        "Download the map as PNG",
        "Скачать карту в PNG",
    )
    assert (en["formats"]["number.decimal"], ru["formats"]["number.decimal"]) == (".", ",")
    assert (en["formats"]["number.group"], ru["formats"]["number.group"]) == (",", "\u00a0")
    assert ru["formats"]["money.billion"] == "{value} млрд $" and ru["formats"]["month.short"][10] == "ноя"
    assert en == json.loads(json.dumps(client_config("en")))


def test_no_text_can_close_the_config_tag():
    tag = clientconfig.script_tag("en")
    body = tag.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert html.unescape(body) == body and json.loads(body) == json.loads(json.dumps(client_config("en")))


def test_the_config_formats_are_the_catalogs():
    assert client_config("ru")["formats"] == i18n.formats("ru")
    assert client_config("xx")["lang"] == "en"  # an unknown language is the default one


@pytest.mark.parametrize("value", ["1", "true", "0", "false", "yes", "TRUE", "on", ""])
def test_the_flag_values_the_scripts_take_are_the_ones_the_link_parser_takes(shipped_atlas, value):
    from alliance.viewstate import parse

    state, _ = parse(f"embed={value}&scroll={value}", shipped_atlas.context)
    assert (value in clientconfig.FLAG_ON) == state.embed == state.scroll
    assert clientconfig.FLAG_ON == ("1", "true")
