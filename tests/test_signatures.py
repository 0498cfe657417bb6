"""The code's shape: no function in alliance/ or components/ takes more than MAX_PARAMETERS.

Counted from the source (ast), so nested functions, lambdas and Dash callbacks count too:
positional and keyword parameters, *args and **kwargs one each, `self`/`cls` not at all.
A callback with many inputs groups them (Dash's flexible callback signatures: dicts of
Inputs), as components/controls.py's sync callback does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("alliance", "components")
MAX_PARAMETERS = 8


def parameter_count(arguments: ast.arguments) -> int:
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) + (arguments.vararg is not None) + (arguments.kwarg is not None)


def long_signatures(source: str, name: str = "<source>") -> list[str]:
    """'file:line function (n parameters)' for every function over MAX_PARAMETERS."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            count = parameter_count(node.args)
            if count > MAX_PARAMETERS:
                found.append(f"{name}:{node.lineno} {getattr(node, 'name', 'lambda')} ({count} parameters)")
    return found


def test_the_counter_counts_what_a_reader_counts():
    assert long_signatures("def f(a, b, c, d, e, f, g, h): pass") == []
    assert long_signatures("def f(a, b, c, d, e, f, g, h, i): pass") == ["<source>:1 f (9 parameters)"]
    assert long_signatures("def f(a, b, c, d, e, f, g, *, h=1, i=2): pass") == ["<source>:1 f (9 parameters)"]
    assert long_signatures("def f(a, b, c, d, e, f, g, *args, **kwargs): pass") == ["<source>:1 f (9 parameters)"]
    assert long_signatures("class C:\n    def m(self, a, b, c, d, e, f, g, h): pass") == []  # self is free
    assert long_signatures("def outer():\n    def sync(a, b, c, d, e, f, g, h, i, j): pass") == [
        "<source>:2 sync (10 parameters)"
    ]  # a callback defined inside register() counts
    assert long_signatures("g = lambda a, b, c, d, e, f, g, h, i: a") == ["<source>:1 lambda (9 parameters)"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_takes_more_than_eight_parameters(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    found = [hit for path in files for hit in long_signatures(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], "group them (a dataclass, a dict, Dash's grouped callback inputs):\n" + "\n".join(found)
