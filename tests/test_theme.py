"""Figure themes: rgba colours, light and dark layouts (expected colours written by hand)."""

from __future__ import annotations

import pytest

from components.theme import FONT, INK, empty_figure, figure_theme, rgba, themed_layout


@pytest.mark.parametrize(
    "color, alpha, expected",
    [
        ("#0072B2", 0.5, "rgba(0,114,178,0.5)"),
        ("#ffffff", 1, "rgba(255,255,255,1)"),
        ("#123456", 0.12, "rgba(18,52,86,0.12)"),
    ],
)
def test_rgba(color, alpha, expected):
    assert rgba(color, alpha) == expected


def test_unknown_or_missing_theme_is_light():
    assert figure_theme(None)["paper"] == figure_theme("sepia")["paper"] == figure_theme("light")["paper"] == "#ffffff"
    assert figure_theme("dark")["paper"] == "#16202b"


def test_light_layout_keeps_plotly_hover_colours():
    layout = themed_layout("light")
    assert (layout["paper_bgcolor"], layout["plot_bgcolor"], layout["font"]) == (
        "#ffffff",
        "#ffffff",
        {"family": FONT, "color": INK, "size": 12},
    )
    assert layout["hoverlabel"] == {"font": {"family": FONT, "size": 12}, "align": "left"}


def test_dark_layout_colours_paper_plot_font_and_hover():
    layout = themed_layout("dark")
    assert (layout["paper_bgcolor"], layout["plot_bgcolor"]) == ("#16202b", "#16202b")
    assert layout["font"] == {"family": FONT, "color": "#e4e7eb", "size": 12}
    assert layout["hoverlabel"] == {
        "font": {"family": FONT, "size": 12, "color": "#e4e7eb"},
        "align": "left",
        "bgcolor": "#0f1720",
    }


@pytest.mark.parametrize(
    ("theme", "paper", "ink", "muted"),
    [(None, "#ffffff", "#1f2933", "#7b8794"), ("dark", "#16202b", "#e4e7eb", "#9aa5b1")],
)
def test_empty_figure_by_hand(theme, paper, ink, muted):
    """The Sankey's answer when nothing is in view: no data, no axes, one centred message."""
    figure = empty_figure("No money flows in this view.", theme)
    layout = figure["layout"]
    assert figure["data"] == []
    assert (layout["paper_bgcolor"], layout["plot_bgcolor"], layout["font"]["color"]) == (paper, paper, ink)
    assert (layout["xaxis"], layout["yaxis"]) == ({"visible": False}, {"visible": False})
    assert layout["annotations"] == [
        {
            "text": "No money flows in this view.",
            "showarrow": False,
            "font": {"size": 18, "color": muted},
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
        }
    ]
    assert layout["margin"] == {"l": 10, "r": 10, "t": 10, "b": 10}
