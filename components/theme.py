"""One visual template for every figure: colour-blind-safe colours (Okabe–Ito), fonts, symbols."""

from alliance.drawing import EMPTY_FONT_PX, EMPTY_MARGIN_PX
from alliance.schema import DEAL_TYPES, ROLES

FONT = "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
INK = "#1f2933"
MUTED = "#7b8794"
BACKGROUND = "#ffffff"

# Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), plus greys.
DEAL_COLORS = dict(
    zip(
        DEAL_TYPES,
        (
            "#0072B2",  # equity investment — blue
            "#E69F00",  # compute commitment — orange
            "#D55E00",  # chip supply — vermillion
            "#CC79A7",  # joint venture — pink
            "#009E73",  # acquisition — green
            "#56B4E9",  # acqui-hire / licensing — sky blue
            "#8C6D31",  # debt financing — brown
            "#666666",  # restructuring — grey
            "#B8A800",  # model distribution — dark yellow
        ),
        strict=True,
    )
)

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
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


# Money on an axis reads $80B and $1.2T, never the SI "$80G".
MONEY_AXIS = {"tickprefix": "$", "exponentformat": "B"}


# The dark theme is designed, not inverted: a deep blue-grey paper, light ink, and the same
# Okabe–Ito hues; only the three non-Okabe–Ito extras are lightened to stay visible on it.
DARK_DEAL_COLORS = {
    **DEAL_COLORS,
    "debt_financing": "#C9A46A",
    "restructuring": "#A3A3A3",
    "model_distribution": "#E0D040",
}
THEMES = {
    "light": {
        "paper": BACKGROUND,
        "plot": BACKGROUND,
        "ink": INK,
        "muted": MUTED,
        "annotation_bg": "rgba(255,255,255,0.85)",
        "node_outline": "#ffffff",
        "selected_outline": "#111111",
        "hover_bg": None,
        "grid": "#e4e7eb",
        "deal_colors": DEAL_COLORS,
    },
    "dark": {
        "paper": "#16202b",
        "plot": "#16202b",
        "ink": "#e4e7eb",
        "muted": "#9aa5b1",
        "annotation_bg": "rgba(22,32,43,0.85)",
        "node_outline": "#16202b",
        "selected_outline": "#f0b429",
        "hover_bg": "#0f1720",
        "grid": "#2a3746",
        "deal_colors": DARK_DEAL_COLORS,
    },
}


def figure_theme(name: str | None) -> dict:
    """Colours of one theme ('light' when `name` is None or unknown); every figure takes these."""
    return THEMES.get(name, THEMES["light"])


def themed_layout(name: str | None) -> dict:
    """LAYOUT with the theme's paper, plot and font colours (a figure's base layout)."""
    colors = figure_theme(name)
    layout = {
        **LAYOUT,
        "paper_bgcolor": colors["paper"],
        "plot_bgcolor": colors["plot"],
        "font": {**LAYOUT["font"], "color": colors["ink"]},
    }
    if colors["hover_bg"]:  # light keeps plotly's default: each trace's own colour
        layout["hoverlabel"] = {
            **LAYOUT["hoverlabel"],
            "bgcolor": colors["hover_bg"],
            "font": {**LAYOUT["hoverlabel"]["font"], "color": colors["ink"]},
        }
    return layout


def empty_figure(message: str, theme: str | None = None) -> dict:
    """A blank plot with one centred message (the Sankey and panel charts when nothing is in view)."""
    return {
        "data": [],
        "layout": {
            **themed_layout(theme),
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "text": message,
                    "showarrow": False,
                    "font": {"size": EMPTY_FONT_PX, "color": figure_theme(theme)["muted"]},
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                }
            ],
            "margin": dict.fromkeys("lrtb", EMPTY_MARGIN_PX),
        },
    }
