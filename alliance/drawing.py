"""The map's numbers: sizes, label metrics, camera, edge styles and money rounding, in one place.

assets/map.js draws the network from these and nothing else: components/mapdata.py sends them to
the browser inside the map data (`constants`), and the Python money formatter (alliance/i18n.py
`money`) rounds with the same rule, so an amount reads the same in the page, the panels and the
preview card. Change a number here, never in map.js.
"""

from __future__ import annotations

import math

# --- the canvas ----------------------------------------------------------------------------------
MARGIN = {"l": 4, "r": 4, "t": 4, "b": 20}  # the bottom margin holds the caption of a PNG download
DEFAULT_CANVAS_PX = (1180.0, 760.0)  # graph size assumed before the browser reports its own
PANEL_PX = 385.0  # the detail panel's width plus its margin (assets/style.css .panel)
PANEL_BESIDE_MIN_PX = 900.0  # narrower graphs show the panel as a sheet at the bottom instead
VIEWPORT_PX = (100, 10000)  # a reported graph size outside this is ignored (the default is used)
MIN_PLOT_PX = 60.0  # the plot area is never smaller than this, whatever the margins
EMPTY_FONT_PX, EMPTY_MARGIN_PX = 18, 10  # "No deals match these filters": its size and the plot's margins
CAPTION_SHIFT_PX = -3  # the PNG download's caption sits this far below the plot

# --- labels ----------------------------------------------------------------------------------------
LABEL_MIN_MONEY = 1e9  # every company with at least this much money in view is a label candidate
LABEL_MIN_COUNT = 40  # … or at least the top 40 by money
LABEL_MAX_CANDIDATES = 150  # past this many, labels would cover the map anyway (and placing them costs time)
LABEL_FONT_PX = 12
LABEL_PAD_PX = 2.0  # air kept around every label box
AMOUNT_LABELS = 8  # the biggest flows in view carry their amount
AMOUNT_FONT_PX = 11
AMOUNT_PAD_PX = (6.0, 4.0)  # air around an amount label (x, y) when placing it
CAPTION_FONT_PX = 11
# Where plotly may put a marker's text, in the order labels try them.
LABEL_POSITIONS = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
LABEL_GRID_PX = 64.0  # overlap-query grid cell: a box is checked only against boxes in its cells
# Text width estimate (errs wide: DejaVu Sans, the widest common fallback font), as a share of the
# font size per character class: narrow, wide, capital/digit/tall, anything else.
TEXT_NARROW, TEXT_WIDE, TEXT_TALL = "il.,:;|!'’ ", "MW@%", "$&—–"
NARROW_EM, WIDE_EM, CAPITAL_EM, LOWER_EM = 0.34, 0.95, 0.72, 0.62
# plotly.js textPointPosition: text sits radius / MARKER_TEXT_RATIO + 1 px from a marker's centre,
# its baseline BASELINE_EM below the anchor; a line spans ASCENT_EM above to DESCENT_EM below it.
MARKER_TEXT_RATIO, BASELINE_EM, ASCENT_EM, DESCENT_EM = 0.8, 0.75, 0.95, 0.25
AMOUNT_LINE_EM = 1.3  # an amount label's box is this many font sizes tall (plus its pad)

# --- camera ----------------------------------------------------------------------------------------
FIT_PAD_PX = (14.0, 14.0)  # air between the outermost nodes and the plot's edge
MIN_SPAN = 0.18  # the camera never zooms closer than this share of the map
FIT_MIN_SHARE = 0.3  # padding never shrinks the fitted map below this share of the plot

# --- edges and nodes ---------------------------------------------------------------------------------
WEBGL_EDGES = 1500  # past this many edges, lines and markers draw with WebGL
STRAIGHT_EDGES = 6000  # past this many, edges are straight (3 points each instead of 10)
WIDTH_RANGE = (1.0, 9.0)  # edge width in px: undisclosed … $100B+
THIN_BELOW_USD = 1e8  # flows of $100M or less (or undisclosed) get the thinnest line …
WIDTH_PER_DECADE = 2.0  # … and every tenfold more money adds this many px
WIDTH_STEPS = (1.0, 2.0, 3.5, 5.0, 7.0, 9.0)  # drawn widths (edge widths snapped to these)
ARROW_PX = 9.0  # arrowhead marker size in px for the thinnest edge …
ARROW_GAIN = 0.9  # … plus this many px per px of edge width
EDGE_ALPHA = 0.8  # edge lines are slightly see-through where they cross
ARROW_ALPHA = 0.95
DIM_NODE_MIN_ALPHA = 0.25  # dimmed companies stay at least this visible (their edges fade more)
NODE_OUTLINE_PX, SELECTED_OUTLINE_PX = 1, 3

# --- money -----------------------------------------------------------------------------------------
# $10B, $650M, $1.25B: the biggest unit the amount reaches, MONEY_DIGITS decimals at most, an exact
# half rounded up ($1.125B -> $1.13B, 2.5 -> 3); an amount that rounds to 1000 of a unit moves up to
# the next ($999,999,999 -> $1B, not $1000M). The rule works on the amount divided by a power of
# ten (exact for whole dollars), so Python and JavaScript (map.js money) agree to the digit.
MONEY_UNITS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))  # each 1000× the next
MONEY_DIGITS = 2


def round_half_up(value: float) -> int:
    """The nearest integer, an exact half rounded up (map.js roundHalfUp does the same)."""
    return math.floor(value + 0.5)


def money_parts(amount: float) -> tuple[str | None, int, int]:
    """(unit, whole, hundredths): $1.125B -> ("billion", 1, 13); $999,999,999 -> ("billion", 1, 0).

    `unit` is None below $1K (then `whole` is the rounded dollars and `hundredths` 0).
    """
    scale, plain = 10**MONEY_DIGITS, len(MONEY_UNITS)
    i = next((i for i, (divisor, _) in enumerate(MONEY_UNITS) if amount >= divisor), plain)
    scaled = round_half_up(amount / (MONEY_UNITS[i][0] / scale)) if i < plain else round_half_up(amount) * scale
    if scaled >= 1000 * scale and i > 0:  # rounds up into the next unit
        i -= 1
        scaled = round_half_up(amount / (MONEY_UNITS[i][0] / scale))
    if i == plain:
        return None, scaled // scale, 0
    return MONEY_UNITS[i][1], scaled // scale, scaled % scale


def constants() -> dict:
    """What the browser's map reads (the `constants` of components/mapdata.py's bundle)."""
    return {
        "margin": MARGIN,
        "default_canvas_px": DEFAULT_CANVAS_PX,
        "panel_px": PANEL_PX,
        "panel_beside_min_px": PANEL_BESIDE_MIN_PX,
        "viewport_px": VIEWPORT_PX,
        "min_plot_px": MIN_PLOT_PX,
        "empty_font_px": EMPTY_FONT_PX,
        "empty_margin_px": EMPTY_MARGIN_PX,
        "caption_shift_px": CAPTION_SHIFT_PX,
        "label_min_money": LABEL_MIN_MONEY,
        "label_min_count": LABEL_MIN_COUNT,
        "label_max_candidates": LABEL_MAX_CANDIDATES,
        "label_font_px": LABEL_FONT_PX,
        "label_pad_px": LABEL_PAD_PX,
        "amount_labels": AMOUNT_LABELS,
        "amount_font_px": AMOUNT_FONT_PX,
        "amount_pad_px": AMOUNT_PAD_PX,
        "caption_font_px": CAPTION_FONT_PX,
        "label_positions": LABEL_POSITIONS,
        "label_grid_px": LABEL_GRID_PX,
        "text_narrow": TEXT_NARROW,
        "text_wide": TEXT_WIDE,
        "text_tall": TEXT_TALL,
        "text_em": {"narrow": NARROW_EM, "wide": WIDE_EM, "capital": CAPITAL_EM, "lower": LOWER_EM},
        "marker_text_ratio": MARKER_TEXT_RATIO,
        "baseline_em": BASELINE_EM,
        "ascent_em": ASCENT_EM,
        "descent_em": DESCENT_EM,
        "amount_line_em": AMOUNT_LINE_EM,
        "fit_pad_px": FIT_PAD_PX,
        "min_span": MIN_SPAN,
        "fit_min_share": FIT_MIN_SHARE,
        "webgl_edges": WEBGL_EDGES,
        "straight_edges": STRAIGHT_EDGES,
        "width_range": WIDTH_RANGE,
        "thin_below_usd": THIN_BELOW_USD,
        "width_per_decade": WIDTH_PER_DECADE,
        "width_steps": WIDTH_STEPS,
        "arrow_px": ARROW_PX,
        "arrow_gain": ARROW_GAIN,
        "edge_alpha": EDGE_ALPHA,
        "arrow_alpha": ARROW_ALPHA,
        "dim_node_min_alpha": DIM_NODE_MIN_ALPHA,
        "node_outline_px": NODE_OUTLINE_PX,
        "selected_outline_px": SELECTED_OUTLINE_PX,
        "money_units": [[divisor, unit] for divisor, unit in MONEY_UNITS],
        "money_digits": MONEY_DIGITS,
    }
