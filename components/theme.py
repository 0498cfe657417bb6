"""One visual template for every figure: colour-blind-safe colours (Okabe–Ito), fonts, symbols."""

from alliance.schema import DEAL_TYPES, ROLES

FONT = "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
INK = "#1f2933"
MUTED = "#7b8794"
BACKGROUND = "#ffffff"

# Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), plus greys.
DEAL_COLORS = dict(zip(DEAL_TYPES, (
    "#0072B2",  # equity investment — blue
    "#E69F00",  # compute commitment — orange
    "#D55E00",  # chip supply — vermillion
    "#CC79A7",  # joint venture — pink
    "#009E73",  # acquisition — green
    "#56B4E9",  # acqui-hire / licensing — sky blue
    "#8C6D31",  # debt financing — brown
    "#666666",  # restructuring — grey
    "#B8A800",  # model distribution — dark yellow
)))

# Nodes: a muted fill per role and a distinct marker shape, so roles read even in greyscale.
ROLE_STYLE = {
    "investor": {"color": "#355C7D", "symbol": "circle", "glyph": "●"},
    "model_lab": {"color": "#C0392B", "symbol": "diamond", "glyph": "◆"},
    "cloud_provider": {"color": "#2E86AB", "symbol": "square", "glyph": "■"},
    "neocloud": {"color": "#5DADE2", "symbol": "square-open-dot", "glyph": "▣"},
    "chipmaker": {"color": "#7D3C98", "symbol": "hexagon", "glyph": "⬢"},
    "infrastructure": {"color": "#6E7B8B", "symbol": "triangle-up", "glyph": "▲"},
    "application": {"color": "#D68910", "symbol": "star", "glyph": "★"},
}
assert set(ROLE_STYLE) == set(ROLES)

DIM_ALPHA = 0.12  # focus and cycles: the rest fades out
SOFT_DIM_ALPHA = 0.28  # an open company or deal: the rest stays legible

LAYOUT = {
    "font": {"family": FONT, "color": INK, "size": 12},
    "paper_bgcolor": BACKGROUND,
    "plot_bgcolor": BACKGROUND,
    "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left"},
}


def rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"

# Money on an axis reads $80B and $1.2T, never the SI "$80G".
MONEY_AXIS = {"tickprefix": "$", "exponentformat": "B"}
