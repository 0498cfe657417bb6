"""What the page's scripts read from the server, in one object: element ids, the page's breakpoints,
sizes and timings, the gates' parameter lists, words, and the number and money formats of the
page's language.

The index carries it as `<script id="alliance-config" type="application/json">` (no inline code:
the Content-Security-Policy allows none); assets/app.js, gates.js, lightpage.js and sankey.js read
`window.allianceConfig` (the first of them to run parses it; map.js's page part reads its ids),
and type none of these values again. assets/map.js, which also runs without a page (the
preview's Chromium, node), gets the same formats in its map data (components/mapdata.py, from
alliance/i18n.py `formats`).

CSS cannot read this object (a media query takes no variable): assets/style.css keeps its two
breakpoints and the panel's width as numbers, and tests/test_clientconfig.py checks that they
equal the ones below.
"""

from __future__ import annotations

import json

from alliance import i18n

from . import gates, ids

# The page's layout, shared with assets/style.css (checked by tests/test_clientconfig.py).
PHONE_MAX_PX = 600  # @media (max-width: 600px): phones; the filters start folded
NARROW_MAX_PX = 900  # @media (max-width: 900px): a narrower drawer and panel
PANEL_CSS_PX = 360  # .panel's width (border-box); alliance/drawing.py PANEL_PX adds its margin
NARROW_PANEL_CSS_PX = 300  # .panel's width under NARROW_MAX_PX
GRAPH_ASIDE_PX = 320  # the graph's width before it is measured: the window's less the drawer and margins …
GRAPH_MIN_PX = (320, 300)  # … and at least this (width, height)
GRAPH_HEIGHT_SHARE = 0.8  # … and this share of the window's height
MEASURED_MIN_PX = 50  # a graph box smaller than this is not laid out yet

# Timings (ms): how often the page looks for its graph, how long it waits before reporting a new
# size, when the sections stop waiting for the map's first paint, Play's pace.
POLL_MS = 300
SIZE_POLL_MS = 500
RESIZE_DEBOUNCE_MS = 250
PAINT_FALLBACK_MS = 4000
PLAY_MONTH_MS = 150  # Play: at most ~6.7 months a second, each one drawn before the next
NEAR_PX = 300  # how close to the screen the sections below the map count as shown

# The values that turn a flag of the link on (embed=, scroll=: alliance/viewstate.py parse, checked
# against it by tests/test_clientconfig.py).
FLAG_ON = ("1", "true")

# The ids the scripts use, by the names they use them under.
SCRIPT_IDS = {
    "graph": ids.GRAPH,
    "panel": ids.PANEL,
    "panel_close": ids.PANEL_CLOSE,
    "viewport": ids.VIEWPORT,
    "timeline": ids.TIMELINE,
    "play": ids.PLAY,
    "playing": ids.PLAYING,
    "painted": ids.PAINTED,
    "sections_seen": ids.SECTIONS_SEEN,
    "header_menu": ids.HEADER_MENU,
    "controls_set": ids.CONTROLS_SET,
    "plotly_bundle": ids.PLOTLY_BUNDLE,
}


def client_config(lang: str | None) -> dict:
    """The page's config in `lang` (JSON-able)."""
    lang = i18n.resolve(lang)
    return {
        "lang": lang,
        "ids": SCRIPT_IDS,
        "page": {
            "phone_max_px": PHONE_MAX_PX,
            "graph_aside_px": GRAPH_ASIDE_PX,
            "graph_min_px": GRAPH_MIN_PX,
            "graph_height_share": GRAPH_HEIGHT_SHARE,
            "measured_min_px": MEASURED_MIN_PX,
            "near_px": NEAR_PX,
        },
        "ms": {
            "poll": POLL_MS,
            "size_poll": SIZE_POLL_MS,
            "resize_debounce": RESIZE_DEBOUNCE_MS,
            "paint_fallback": PAINT_FALLBACK_MS,
            "play_month": PLAY_MONTH_MS,
        },
        "gates": {"sections_ignore": gates.SECTIONS_IGNORE, "story_keep": gates.STORY_KEEP},
        "flag_on": FLAG_ON,
        "words": {
            "play": i18n.t(lang, "controls.play"),
            "pause": i18n.t(lang, "controls.pause"),
            "download_png": i18n.t(lang, "map.download_png"),
            "copied": i18n.t(lang, "share.copied"),
        },
        "formats": i18n.formats(lang),
    }


def script_tag(lang: str | None) -> str:
    """The config as a JSON <script> (never run; "<" escaped so no text can close the tag)."""
    body = json.dumps(client_config(lang), ensure_ascii=False, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script id="{ids.CLIENT_CONFIG}" type="application/json">{body}</script>'
