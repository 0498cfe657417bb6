"""assets/map.js's hand-listed mutations, each applied alone: the node tests (tests/js/) must fail
on every one.

    .venv/bin/python scripts/listed_mutants_js.py      # prints KILLED/SURVIVED per mutant

The sibling of scripts/listed_mutants.py for the browser's map (no mutation tool for JavaScript is
installed: Stryker would need npm packages). Each mutant is a one-line source edit, reverted right
after its run. The first two are issue 20's bugs that only the removed Python-vs-browser parity
test used to catch. Exit status 1 when any mutant survives. Results: tests/MUTATION.md.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from hand_mutant import NotOnce, applied

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MAP_JS = ROOT / "assets" / "map.js"
MUTANTS = [
    (
        "a replaced deal counted twice",
        "var live = d.live[r] || (d.superseded[r] && !replaced[r]);",
        "var live = d.live[r] || d.superseded[r];",
    ),
    (
        "labels placed without the collision check",
        "box[2] > plot[0] || box[3] > plot[1] || hits(box, own)) { continue; }",
        "box[2] > plot[0] || box[3] > plot[1]) { continue; }",
    ),
    (
        "labels may leave the plot",
        "if (box[0] < 0 || box[1] < 0 || box[2] > plot[0] || box[3] > plot[1] || hits",
        "if (hits",
    ),
    (
        "a label may cover its own marker's neighbours",
        "if (o[0] === own[0] && o[1] === own[1] && o[2] === own[2] && o[3] === own[3]) { return false; }",
        "return false;",
    ),
    (
        "day precision dropped",
        "if (monthIndex(b, linkFrom) === lo && monthIndex(b, linkTo) === hi) { from = linkFrom; to = linkTo; }",
        "",
    ),
    ("window end exclusive", "b.day[i] < v.from || b.day[i] > v.to", "b.day[i] < v.from || b.day[i] >= v.to"),
    (
        "roles filter one end only",
        "(!(roles[d.from[i]] & wanted) || !(roles[d.to[i]] & wanted))",
        "(!(roles[d.from[i]] & wanted))",
    ),
    (
        "minimum amount keeps undisclosed",
        "(isNaN(b.amount[i]) ? -1 : b.amount[i]) >= v.minAmount",
        "(isNaN(b.amount[i]) ? Infinity : b.amount[i]) >= v.minAmount",
    ),
    (
        "uncountable money counted",
        "return d.countable[r] && live ? b.amount[r] : NaN;",
        "return live ? b.amount[r] : NaN;",
    ),
    (
        "flow sums every deal",
        "if (has) { e.stated += a; e.disclosed += 1; }",
        "e.stated += has ? a : 0; e.disclosed += 1;",
    ),
    (
        "a replaced up-to qualifies its flow",
        "if (has && d.up_to[r]) { e.upTo = true; }",
        "if (d.up_to[r]) { e.upTo = true; }",
    ),
    (
        "half rounds down",
        "function roundHalfUp(value) { return Math.floor(value + 0.5); }",
        "function roundHalfUp(value) { return Math.round(value - 0.5 * (value % 1 === 0.5)); }",
    ),
    ("no move up a unit", "if (scaled >= 1000 * scale && i > 0) {", "if (false) {"),
    ("decimal separator typed, not the catalog's", 'b.strings["number.decimal"] + tail', '"." + tail'),
    ("group separator typed, not the catalog's", 'b.strings["number.group"]); }', '","); }'),
    ("Russian plural one", 'if (n % 10 === 1 && n % 100 !== 11) { return "one"; }', 'if (n === 1) { return "one"; }'),
    ("camera pad ignores the radius", "var padLo = radius + k.fit_pad_px[axis]", "var padLo = k.fit_pad_px[axis]"),
    ("camera ignores the panel", "padHi = padLo + (axis === 0 ? reserve : 0)", "padHi = padLo"),
    ("camera zooms past the minimum span", "if (hi - lo < k.min_span)", "if (false)"),
    ("reader's camera always kept", "if (inside && x[1] > x[0] && y[1] > y[0]) { return [x, y]; }", "return [x, y];"),
    (
        "round counted at its parts",
        "through[to] = (through[to] || 0) + Math.max(b.rounds.total[g], rounds[g]);",
        "through[to] = (through[to] || 0) + rounds[g];",
    ),
    ("focus depth 1 only", "for (var step = 0; step < depth; step++) {", "for (var step = 0; step < 1; step++) {"),
    ("dimmed companies fade fully", "Math.max(scene.dimAlpha * 2, k.dim_node_min_alpha)", "scene.dimAlpha"),
    (
        "node size from the view's peak",
        "Math.sqrt(Math.max(m, 0) / (b.node_peak || 1))",
        "Math.sqrt(Math.max(m, 0) / 1e11 / 2)",
    ),
    ("text width ignores wide letters", "else if (k.text_wide.indexOf(ch) >= 0) { width += em.wide; }", ""),
    ("amount labels unordered", "while (at > 0 && values[best[at - 1]] < v) { at--; }", ""),
    ("preview keeps WebGL", 'if (trace.type === "scattergl") { trace.type = "scatter"; }', ""),
    ("open deal dims hard", "dimAlpha = lit.soft ? k.soft_dim_alpha : k.dim_alpha", "dimAlpha = k.dim_alpha"),
    ("panel reserve on narrow graphs", "w >= k.panel_beside_min_px ? k.panel_px : 0", "true ? k.panel_px : 0"),
    ("every company named", ".filter(function (i) { return inView[i] >= k.label_min_money; });", ";"),
    ("no richest-few names", "ranked.slice(0, k.label_min_count).forEach(", "ranked.slice(0, 0).forEach("),
    (
        "curves ignore their control point",
        "pts.push([u * u * x0 + 2 * u * t * x1 + t * t * x2,",
        "pts.push([u * x0 + t * x2,",
    ),
    (
        "straight edges' arrow in the middle",
        "steps = straight ? [0, k.arrow_point, n] : null",
        "steps = straight ? [0, n / 2, n] : null",
    ),
    ("every-deal curves on the flows' controls", "var src = every ? b.deals : b.flows", "var src = b.flows"),
    (
        "any graph size believed",
        "viewport.width >= lo && viewport.width <= hi && viewport.height >= lo && viewport.height <= hi",
        "viewport.width >= lo && viewport.height >= lo",
    ),
    ("arrow angle flipped", "Math.atan2(z[0] - a[0], -(z[1] - a[1]))", "Math.atan2(z[0] - a[0], z[1] - a[1])"),
]


def main() -> int:
    node = shutil.which("node") or shutil.which("nodejs")
    from components.mapdata import code_parts

    killed = 0
    with tempfile.TemporaryDirectory() as tmp:
        parts = pathlib.Path(tmp) / "code-parts.json"
        parts.write_text(json.dumps({lang: code_parts(lang) for lang in ("en", "ru")}))
        env = {**os.environ, "MAPJS_CODE_PARTS": str(parts)}
        tests = sorted(str(p) for p in (ROOT / "tests" / "js").glob("*.test.js"))
        clean = subprocess.run([node, "--test", *tests], cwd=ROOT, env=env, capture_output=True, text=True)
        if clean.returncode != 0:
            print("the node tests fail without any mutant:\n" + clean.stdout[-4000:])
            return 2
        for name, old, new in MUTANTS:
            try:
                with applied(MAP_JS, old, new):
                    run = subprocess.run(
                        [node, "--test", *tests], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
                    )
            except NotOnce as error:
                print(f"SKIP     {name}: {error}")
                continue
            failing = [line.split(" - ", 1)[1] for line in run.stdout.splitlines() if line.startswith("not ok")]
            ok = run.returncode != 0 and bool(failing)
            killed += ok
            print("KILLED  " if ok else "SURVIVED", name, failing[:2])
    print(f"{killed}/{len(MUTANTS)} killed")
    return 0 if killed == len(MUTANTS) else 1


if __name__ == "__main__":
    sys.exit(main())
