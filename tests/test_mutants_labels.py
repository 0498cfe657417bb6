"""Label geometry and placement at their exact edges (found by mutation testing, tests/MUTATION.md).

The reference label: "M" at 10 px, no marker, at (100, 100), "middle right". Its text box is
x 100 .. 109.5 (0.95 em), baseline 100 + 7.5 - 5 = 102.5, so y 93 .. 105; padded by 2 px:
(98, 91, 111.5, 107).
"""

from __future__ import annotations

import pytest

from alliance.labels import Candidate, place_labels, text_box, text_width

REF = Candidate("c", 100.0, 100.0, 0.0, "M", 10.0)
RIGHT = ("middle right",)


def placed_beside(obstacle, candidate=REF, plot=(400.0, 400.0)) -> dict:
    return place_labels([candidate], [obstacle], plot, RIGHT)


@pytest.mark.parametrize("text, em", [
    ("", 0.0), ("i", 0.34), ("l.", 0.68), ("M", 0.95), ("W@%", 2.85), ("A", 0.72), ("7", 0.72), ("$", 0.72),
    ("—", 0.72), ("a", 0.62), ("ab", 1.24), ("Mia7", 0.95 + 0.34 + 0.62 + 0.72),
])
def test_text_width_per_character_class(text, em):
    assert text_width(text, 10) == pytest.approx(em * 10)


@pytest.mark.parametrize("position, box", [
    # marker radius 8: the text starts r = 8 / 0.8 + 1 = 11 px from the centre; 12 px text, 40 px wide
    ("middle right", (111, 41.6, 151, 56)),
    ("middle left", (49, 41.6, 89, 56)),
    ("top center", (80, 24.6, 120, 39)),
    ("bottom center", (80, 58.6, 120, 73)),
    ("top right", (111, 24.6, 151, 39)),
    ("top left", (49, 24.6, 89, 39)),
    ("bottom right", (111, 58.6, 151, 73)),
    ("bottom left", (49, 58.6, 89, 73)),
])
def test_text_box_at_every_position(position, box):
    assert text_box(100, 50, 8, position, 40, 12) == pytest.approx(box)


def test_text_box_of_free_text_has_no_offset():
    assert text_box(100, 50, 0, "middle right", 40, 12) == pytest.approx((100, 41.6, 140, 56))
    assert text_box(100, 50, 0, "bottom center", 40, 12) == pytest.approx((80, 47.6, 120, 62))


def test_the_reference_label_fits_in_open_space():
    assert placed_beside((300, 300, 310, 310)) == {"c": "middle right"}


@pytest.mark.parametrize("obstacle", [
    (96, 95, 99, 96),     # within the 2 px pad on the left
    (101, 90, 102, 92),   # ... above
    (110, 95, 112, 96),   # ... on the right
    (101, 106, 102, 108),  # ... below
])
def test_the_pad_keeps_obstacles_two_px_away(obstacle):
    assert placed_beside(obstacle) == {}


@pytest.mark.parametrize("obstacle", [
    (111.5, 95, 120, 100),  # touching on the right
    (90, 95, 98, 100),      # touching on the left
    (100, 80, 105, 91),     # touching above
    (100, 107, 105, 120),   # touching below
    (100, 150, 105, 160),   # same columns, far below
    (60, 95, 97, 100),      # same rows, to the left
    (115, 95, 120, 100),    # same rows, to the right
])
def test_boxes_that_only_touch_or_share_rows_or_columns_do_not_collide(obstacle):
    assert placed_beside(obstacle) == {"c": "middle right"}


def test_an_obstacle_far_down_the_grid_is_still_found():
    candidate = Candidate("c", 100.0, 230.0, 0.0, "M", 10.0)  # padded box (98, 221, 111.5, 237)
    assert placed_beside((10, 200, 100, 260), candidate) == {}


@pytest.mark.parametrize("x, y, plot, fits", [
    (2.0, 100.0, (400.0, 400.0), True),      # padded box starts exactly at x = 0
    (1.0, 100.0, (400.0, 400.0), False),     # ... at x = -1
    (100.0, 9.0, (400.0, 400.0), True),      # padded box starts exactly at y = 0
    (100.0, 8.0, (400.0, 400.0), False),
    (100.0, 100.0, (111.5, 400.0), True),    # ends exactly at the right edge
    (100.0, 100.0, (111.4, 400.0), False),
    (100.0, 100.0, (400.0, 107.0), True),    # ends exactly at the bottom edge
    (100.0, 100.0, (400.0, 106.9), False),
])
def test_labels_may_touch_the_plot_edges_but_not_cross_them(x, y, plot, fits):
    candidate = Candidate("c", x, y, 0.0, "M", 10.0)
    assert place_labels([candidate], [], plot, RIGHT) == ({"c": "middle right"} if fits else {})


def test_a_label_may_overlap_the_pad_of_its_own_marker_but_not_other_boxes():
    """Top centre over a 2 px marker reaches 1 px into the marker's box (r = 3.5, 2 px pad)."""
    dot = Candidate("c", 100.0, 100.0, 2.0, "M", 10.0)
    own_marker = (98.0, 98.0, 102.0, 102.0)
    assert place_labels([dot], [own_marker], (400.0, 400.0), ("top center",)) == {"c": "top center"}
    # the same box belonging to someone else, listed after the own marker in the same grid cell
    blocker = (99.0, 96.0, 101.0, 97.0)
    assert place_labels([dot], [own_marker, blocker], (400.0, 400.0), ("top center",)) == {}


def test_a_blocked_position_moves_the_label_to_the_next_one():
    blocker = (105, 95, 106, 96)  # under the right-hand label (98 .. 111.5), clear of the left one (88.5 .. 102)
    assert place_labels([REF], [blocker], (400.0, 400.0), ("middle right", "middle left")) == {"c": "middle left"}


def test_the_marker_radius_pushes_the_label_out():
    big = Candidate("c", 100.0, 100.0, 8.0, "M", 10.0)  # text starts at 111; padded at 109
    assert place_labels([big], [(104, 99, 105, 101)], (400.0, 400.0), RIGHT) == {"c": "middle right"}
