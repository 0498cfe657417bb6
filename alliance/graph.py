"""Network geometry: stable node positions and per-deal edge curves, computed once per dataset.

Filters and the timeline only choose *which* precomputed nodes and edges are drawn, so nothing
ever jumps. Several deals between one pair become parallel curves (quadratic Béziers bent by
a different amount), each with an arrowhead pointing the way the money goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from .schema import ROLES

CURVE_POINTS = 9  # samples per edge curve
ARROW_AT = 0.62  # where along the curve the arrowhead (and hover target) sits
ROLE_ORDER = tuple(ROLES)
KAMADA_KAWAI_MAX = 300  # nodes


@dataclass(frozen=True)
class Geometry:
    """Everything positional, indexed like Dataset.deals (row i ↔ deal i)."""
    positions: dict[str, tuple[float, float]]
    curves: np.ndarray  # (n_deals, CURVE_POINTS, 2)
    arrows: np.ndarray  # (n_deals, 2): arrowhead position
    arrow_angles: np.ndarray  # (n_deals,): degrees clockwise from "up", as plotly's marker.angle


def role_aware_positions(companies: pd.DataFrame, deals: pd.DataFrame, seed: int = 7,
                         aspect: float = 1.6) -> dict[str, tuple[float, float]]:
    """Stable positions: roles start in their own sectors, then the web is relaxed.

    The main connected web is laid out with Kamada–Kawai (started from a role-seeded spring
    layout), which spreads hubs apart better than a spring alone; small islands (a lone pair
    of partners) are lined up along the bottom instead of being flung off the canvas.
    Coordinates are stretched to `aspect` (width / height) to fill a landscape plot.
    """
    graph = nx.Graph()
    graph.add_nodes_from(companies.index)
    graph.add_edges_from(zip(deals["from_id"], deals["to_id"]))

    rng = np.random.default_rng(seed)
    sectors = {role: i for i, role in enumerate(ROLE_ORDER)}
    initial = {}
    for cid, role in companies["primary_role"].items():
        angle = 2 * math.pi * (sectors.get(role, 0) + rng.uniform(0.15, 0.85)) / len(ROLE_ORDER)
        radius = rng.uniform(0.5, 1.0)
        initial[cid] = (radius * math.cos(angle), radius * math.sin(angle))

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    main = graph.subgraph(components[0]) if components else graph
    spring = nx.spring_layout(main, pos={c: initial[c] for c in main}, seed=seed, iterations=100)
    # Kamada–Kawai is O(n²) per step: worth it for a curated map, too slow past a few hundred nodes.
    pos = nx.kamada_kawai_layout(main, pos=spring) if 2 < len(main) <= KAMADA_KAWAI_MAX else spring
    coords = np.array([pos[c] for c in main])
    coords = coords - coords.mean(axis=0)
    coords = coords / (np.abs(coords).max(axis=0) + 1e-9)
    result = {cid: (float(x) * aspect, float(y)) for cid, (x, y) in zip(main, coords)}

    islands = [sorted(c) for c in components[1:]]
    slots = sum(len(c) for c in islands)
    x = -aspect
    step = 2 * aspect / max(slots, 1)
    for island in islands:
        for cid in island:
            result[cid] = (x + step / 2, -1.25)
            x += step
    return {cid: (round(px, 4), round(py, 4)) for cid, (px, py) in result.items()}


def edge_geometry(deals: pd.DataFrame, positions: dict[str, tuple[float, float]]) -> Geometry:
    """Curves for every deal; the k-th of n deals between a pair bends by its own offset."""
    n = len(deals)
    curves = np.zeros((n, CURVE_POINTS, 2))
    arrows = np.zeros((n, 2))
    angles = np.zeros(n)
    t = np.linspace(0.0, 1.0, CURVE_POINTS)[:, None]
    pair_key = deals.apply(lambda d: tuple(sorted((d["from_id"], d["to_id"]))), axis=1)
    rank = pair_key.groupby(pair_key).cumcount().to_numpy()
    size = pair_key.map(pair_key.value_counts()).to_numpy()
    for i, (src, dst) in enumerate(zip(deals["from_id"], deals["to_id"])):
        p0, p2 = np.array(positions[src]), np.array(positions[dst])
        lo, hi = sorted((src, dst))
        a, b = np.array(positions[lo]), np.array(positions[hi])  # the pair's own orientation
        chord = b - a
        length = float(np.hypot(*chord)) or 1e-9
        normal = np.array([-chord[1], chord[0]]) / length
        bend = 0.12 + 0.16 * (rank[i] - (size[i] - 1) / 2) if size[i] > 1 else 0.08
        control = (a + b) / 2 + normal * bend * length
        curve = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t ** 2 * p2
        curves[i] = curve
        s = ARROW_AT
        arrows[i] = (1 - s) ** 2 * p0 + 2 * (1 - s) * s * control + s ** 2 * p2
        tangent = 2 * (1 - s) * (control - p0) + 2 * s * (p2 - control)
        angles[i] = (90.0 - math.degrees(math.atan2(tangent[1], tangent[0]))) % 360
    return Geometry(positions=positions, curves=curves, arrows=arrows, arrow_angles=angles)


def neighbourhood(deals: pd.DataFrame, focus: str, depth: int) -> set[str]:
    """Companies within `depth` deals of `focus` (ignoring direction) among the given deals."""
    adjacency: dict[str, set[str]] = {}
    for a, b in zip(deals["from_id"], deals["to_id"]):
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    reached, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = {n for f in frontier for n in adjacency.get(f, ())} - reached
        reached |= frontier
    return reached


def money_through(deals: pd.DataFrame) -> pd.Series:
    """Stated dollars each company sends or receives in these deals (node size)."""
    amounts = deals["amount_usd"].fillna(0.0)
    sent = amounts.groupby(deals["from_id"]).sum()
    received = amounts.groupby(deals["to_id"]).sum()
    return sent.add(received, fill_value=0.0)
