"""Network geometry: stable node positions and edge curves, computed once per dataset.

Filters and the timeline only choose *which* precomputed nodes and curves are drawn, so
nothing ever jumps. Edges come in two granularities:
- a *flow* is every deal of one type from one payer to one receiver (the default map draws
  one curve per flow, as wide as its summed money);
- a *deal* curve per deal ("Show every deal"); several deals between one pair bend apart.
Curves are quadratic Béziers in the unit square, given by their control points; assets/map.js
samples them at CURVE_POINTS points when it draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .layout import cached_positions

CURVE_POINTS = 9  # samples per edge curve (assets/map.js samples them)
ARROW_POINT = 5  # the sample where the arrowhead (and hover target) sits: t = 0.625
FLOW_KEY = ["from_id", "to_id", "deal_type"]
SINGLE_BEND = 0.07  # a lone curve bows by this share of its length (straight lines hide their direction)
PARALLEL_BEND, PARALLEL_STEP = 0.10, 0.14  # curves sharing a pair fan out by these shares


@dataclass(frozen=True)
class Geometry:
    """Everything positional. Deal arrays are indexed like Dataset.deals (row i ↔ deal i); the
    curves' control points are computed for the map's data (components/mapdata.py curve_controls)."""

    positions: dict[str, tuple[float, float]]  # company id -> (x, y) in the unit square
    flows: pd.DataFrame  # one row per (from_id, to_id, deal_type), in first-seen order
    flow_of_deal: np.ndarray  # (n_deals,): row of `flows` each deal belongs to


def bezier_controls(starts: np.ndarray, ends: np.ndarray, rank: np.ndarray, size: np.ndarray) -> np.ndarray:
    """(n, 2) control points of the quadratic Béziers from starts to ends.

    The k-th of n curves on one pair bends its own way, measured against the pair's own
    orientation (sorted ends), so two curves in opposite directions between the same pair bend
    to different sides instead of overlapping.
    """
    if len(starts) == 0:
        return np.zeros((0, 2))
    swap = (starts[:, 0] > ends[:, 0]) | ((starts[:, 0] == ends[:, 0]) & (starts[:, 1] > ends[:, 1]))
    a = np.where(swap[:, None], ends, starts)
    b = np.where(swap[:, None], starts, ends)
    chord = b - a
    across = np.stack([-chord[:, 1], chord[:, 0]], axis=1)  # the chord turned a quarter: as long as it
    bend = np.where(size > 1, PARALLEL_BEND + PARALLEL_STEP * (rank - (size - 1) / 2), SINGLE_BEND)
    return (a + b) / 2 + across * bend[:, None]


def _pair_ranks(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each row: its rank among rows joining the same unordered pair, and that pair's count."""
    a, b = frame["from_id"].astype(str), frame["to_id"].astype(str)
    pair = a.where(a < b, b) + "\x00" + b.where(a < b, a)
    return pair.groupby(pair).cumcount().to_numpy(), pair.map(pair.value_counts()).to_numpy()


def _ends(frame: pd.DataFrame, positions: dict) -> tuple[np.ndarray, np.ndarray]:
    starts = np.array([positions[c] for c in frame["from_id"]], dtype=float).reshape(-1, 2)
    ends = np.array([positions[c] for c in frame["to_id"]], dtype=float).reshape(-1, 2)
    return starts, ends


def curve_controls(frame: pd.DataFrame, positions: dict) -> np.ndarray:
    """(n, 2) control points of the curves of `frame`'s rows (deals or flows)."""
    starts, ends = _ends(frame, positions)
    return bezier_controls(starts, ends, *_pair_ranks(frame))


def build_geometry(
    companies: pd.DataFrame, deals: pd.DataFrame, version: str = "", cache_dir: Path | str | None = None
) -> Geometry:
    positions = cached_positions(companies, deals, version, cache_dir)
    keys = deals[FLOW_KEY].astype(str)
    flows = keys.drop_duplicates().reset_index(drop=True)
    flow_index = pd.MultiIndex.from_frame(flows)
    flow_of_deal = flow_index.get_indexer(pd.MultiIndex.from_frame(keys))
    return Geometry(
        positions=positions,
        flows=flows,
        flow_of_deal=np.asarray(flow_of_deal, dtype=int),
    )


def neighbourhood(deals: pd.DataFrame, focus: str, depth: int) -> set[str]:
    """Companies within `depth` deals of `focus` (ignoring direction) among the given deals."""
    adjacency: dict[str, set[str]] = {}
    for a, b in zip(deals["from_id"], deals["to_id"], strict=True):
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    reached, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = {n for f in frontier for n in adjacency.get(f, ())} - reached
        reached |= frontier
    return reached
