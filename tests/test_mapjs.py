"""assets/map.js's unit tests (tests/js/*.test.js) under node's own test runner, without a page.

The JavaScript tests draw a hand-made map with the server's constants, messages and themes
(components/mapdata.py code_parts, written to a file for them). Needs `node` (Debian's nodejs,
installed by scripts/test.sh).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from components.mapdata import code_parts

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"


def run_node_tests(tmp_path: Path, *files: str) -> subprocess.CompletedProcess:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is not installed (scripts/test.sh installs Debian's nodejs)")
    parts = tmp_path / "code-parts.json"
    parts.write_text(json.dumps({lang: code_parts(lang) for lang in ("en", "ru")}), encoding="utf-8")
    targets = [str(JS_TESTS / f) for f in files] or sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    return subprocess.run([node, "--test", *targets], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MAPJS_CODE_PARTS": str(parts)})


def test_map_js_unit_tests_pass_in_node(tmp_path):
    result = run_node_tests(tmp_path)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
    assert "# fail 0" in result.stdout and "# pass " in result.stdout
