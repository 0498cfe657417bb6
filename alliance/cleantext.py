"""Characters no input needs: what the request guard strips or refuses before a callback,
a log line or a JSON encoder sees a client's string.

- A lone surrogate (U+D800–U+DFFF on its own) is not a character: no UTF-8 encoder takes it, so a
  string holding one is refused (`UnsafeText`).
- NUL and the other C0/C1 control characters (tab, line feed and carriage return excepted) and
  the bidirectional controls (LRM, RLM, ALM, the embeddings, overrides and isolates) are removed:
  no id, slug, date or number contains them, and in a log line or a page they can hide or
  reorder what is shown.
"""

from __future__ import annotations

import re

SURROGATE = re.compile("[\ud800-\udfff]")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class UnsafeText(ValueError):
    """A string that cannot be cleaned (it holds a lone surrogate)."""


def clean_text(text: str) -> str:
    """`text` without control and bidi characters; UnsafeText when it holds a lone surrogate."""
    if SURROGATE.search(text):
        raise UnsafeText("A string holds a lone surrogate (not valid Unicode).")
    return CONTROLS.sub("", text) if CONTROLS.search(text) else text


def clean_json(value):
    """A parsed JSON value with every string (object keys too) passed through clean_text.

    Returns the same object when nothing changed, so the common case allocates nothing.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        cleaned = [clean_json(item) for item in value]
        return value if all(a is b for a, b in zip(cleaned, value, strict=True)) else cleaned
    if isinstance(value, dict):
        cleaned = {clean_json(key): clean_json(item) for key, item in value.items()}
        same = len(cleaned) == len(value) and all(k in value and value[k] is v for k, v in cleaned.items())
        return value if same else cleaned
    return value
