"""Label placement without collisions: greedy, by rank, trying positions around each node.

Works in screen pixels (y grows downwards), with the box plotly draws for a marker's text at
each `textposition`. A label that fits nowhere is dropped; it still shows on hover. Text
widths are estimated on the wide side (DejaVu Sans, the widest common fallback font), so a
label placed here never touches another in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

# Where plotly may put a marker's text, in the order we try them.
POSITIONS = ("middle right", "middle left", "top center", "bottom center",
             "top right", "top left", "bottom right", "bottom left")
PAD_PX = 2.0  # air kept around every label box

_NARROW = set("il.,:;|!'’ ")
_WIDE = set("MW@%")
_TALL = set("$&—–")  # drawn as wide as a capital
# Advance widths as a share of the font size, rounded up from DejaVu Sans.
NARROW_EM, WIDE_EM, CAPITAL_EM, LOWER_EM = 0.34, 0.95, 0.72, 0.62
# plotly.js textPointPosition: text sits radius / MARKER_TEXT_RATIO + 1 px from a marker's centre,
# its baseline BASELINE_EM below the anchor; a line spans ASCENT_EM above to DESCENT_EM below the baseline.
MARKER_TEXT_RATIO, BASELINE_EM, ASCENT_EM, DESCENT_EM = 0.8, 0.75, 0.95, 0.25
GRID_CELL_PX = 64.0  # overlap-query grid cell: a box is checked only against boxes in its cells


def text_width(text: str, size: float) -> float:
    """Estimated rendered width in px (errs wide)."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += NARROW_EM
        elif char in _WIDE:
            width += WIDE_EM
        elif char.isupper() or char.isdigit() or char in _TALL:
            width += CAPITAL_EM
        else:
            width += LOWER_EM
    return width * size


def text_box(x: float, y: float, marker_radius: float, position: str, width: float, size: float) -> tuple:
    """(x0, y0, x1, y1) of the text plotly draws at `position` beside a marker (screen px).

    Mirrors plotly.js `textPointPosition`: the offset is radius / 0.8 + 1; the baseline
    sits 0.75·size below the anchor, shifted by a whole line for "top".
    """
    r = marker_radius / MARKER_TEXT_RATIO + 1 if marker_radius else 0.0
    vertical = "top" if "top" in position else "bottom" if "bottom" in position else "middle"
    horizontal = "left" if "left" in position else "right" if "right" in position else "center"
    sign = {"top": -1, "middle": 0, "bottom": 1}[vertical]
    baseline = y + size * BASELINE_EM + sign * r + (sign - 1) * size / 2
    top, bottom = baseline - size * ASCENT_EM, baseline + size * DESCENT_EM
    if horizontal == "right":
        left = x + r
    elif horizontal == "left":
        left = x - r - width
    else:
        left = x - width / 2
    return (left, top, left + width, bottom)


@dataclass(frozen=True)
class Candidate:
    key: str
    x: float  # screen px
    y: float
    radius: float  # marker radius in px (0 for free text)
    text: str
    size: float  # font size in px


class _Grid:
    """A uniform grid of boxes for fast overlap queries."""

    def __init__(self, cell: float = GRID_CELL_PX):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple]] = {}

    def _keys(self, box):
        c = self.cell
        for gx in range(floor(box[0] / c), floor(box[2] / c) + 1):
            for gy in range(floor(box[1] / c), floor(box[3] / c) + 1):
                yield gx, gy

    def add(self, box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)



def place_labels(candidates: list[Candidate], obstacles: list[tuple], plot: tuple[float, float],
                 positions: tuple[str, ...] = POSITIONS) -> dict[str, str]:
    """Greedy placement in the given (rank) order: key -> textposition for every label that fits.

    `obstacles` are boxes (x0, y0, x1, y1) labels must not cover (node markers, other text);
    a label must also lie inside the plot area (0, 0, width, height).
    """
    grid = _Grid()
    own: dict[str, tuple] = {c.key: (c.x - c.radius, c.y - c.radius, c.x + c.radius, c.y + c.radius)
                             for c in candidates}
    for box in obstacles:
        grid.add(box)
    placed: dict[str, str] = {}
    for cand in candidates:
        width = text_width(cand.text, cand.size)
        for position in positions:
            x0, y0, x1, y1 = text_box(cand.x, cand.y, cand.radius, position, width, cand.size)
            box = (x0 - PAD_PX, y0 - PAD_PX, x1 + PAD_PX, y1 + PAD_PX)
            if box[0] < 0 or box[1] < 0 or box[2] > plot[0] or box[3] > plot[1]:
                continue
            if _hits_except(grid, box, own[cand.key]):
                continue
            grid.add(box)
            placed[cand.key] = position
            break
    return placed


def _hits_except(grid: _Grid, box, own_marker) -> bool:
    """Overlap with anything but the label's own marker (text sits beside it, never on it)."""
    for key in grid._keys(box):
        for other in grid.cells.get(key, ()):
            if other is own_marker or other == own_marker:
                continue
            if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                return True
    return False
