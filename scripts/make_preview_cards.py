"""Regenerate the shipped preview images (run by hand after a visual change; needs Chromium):

  assets/preview-default.png   the card sent when a render fails: the whole map, no numbers
                               (they would go stale), so it never says anything untrue
  docs/preview-nov-2025.png    the README's example card (the Nov 2025 view)

Usage: .venv/bin/python scripts/make_preview_cards.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alliance.atlas import load_atlas  # noqa: E402
from alliance.sharing import SITE_NAME  # noqa: E402
from alliance.viewstate import parse  # noqa: E402
from components.mapdata import BundleFile  # noqa: E402
from components.preview import DEFAULT_CARD, MAP_KEY, kaleido_png, preview_figure  # noqa: E402


def main() -> None:
    atlas = load_atlas()

    def bundle_json(lang: str) -> str:
        return BundleFile.build(atlas, lang).body.decode()

    state, _ = parse("", atlas.context)
    figure = preview_figure(atlas, state, bundle_json)
    card = figure["layout"]["meta"][MAP_KEY]["card"]  # assets/map.js draws the map under this card
    card["title"]["text"] = f"<b>{SITE_NAME}</b>"
    card["caption"]["text"] = "Who funds, supplies and hosts whom in AI: a sourced, interactive map of deals"
    DEFAULT_CARD.write_bytes(kaleido_png(figure, 60))
    state, _ = parse("from=2025-11&to=2025-11", atlas.context)
    (ROOT / "docs" / "preview-nov-2025.png").write_bytes(kaleido_png(preview_figure(atlas, state, bundle_json), 60))


if __name__ == "__main__":
    main()
