"""Node positions: a size-aware force layout, overlap removal, computed once per dataset.

Positions live in the unit square [0, 1]² and never change with filters; the camera (axis
ranges) does the fitting. The layout is computed for a reference canvas (the plot area of a
1500×1000 screen) so that, at that size, no two nodes overlap. It is slow for big datasets
(ForceAtlas2 is O(n²) per iteration), so `cached_positions` keeps it on disk, keyed by the
dataset's content hash and the layout's own version.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

log = logging.getLogger(__name__)

LAYOUT_VERSION = "fa2-v3"  # bump when the algorithm changes: old cache files are then ignored
REFERENCE_PLOT = (1440.0, 760.0)  # plot area in px on a 1500×1000 screen, where nodes must not overlap
MIN_NODE_PX, MAX_NODE_PX = 8.0, 34.0  # marker diameters: smallest company … the biggest hub
NODE_GAP_PX = 6.0  # free space kept between two node outlines
FA2_MAX_NODES = 1500  # networkx's ForceAtlas2 holds n² distances; past this a local force layout
FA2_ITERATIONS = 300
FA2_SCALING, FA2_GRAVITY = 4.0, 2.0  # ForceAtlas2's repulsion scale and (strong) pull to the centre
LOCAL_ITERATIONS = 80
LOCAL_CUTOFF = 3.0  # local layout: nodes farther apart than this (layout units) do not repel
LOCAL_GRAVITY = 0.01  # local layout: pull towards the centre, so islands stay near the web
LOCAL_STEP_PARTS = 10  # local layout: the first step is a tenth of the start area's side
LOCAL_COOLING, LOCAL_MIN_STEP = 0.94, 0.05  # each step is 6% shorter than the last, never under 0.05
LOG_EVERY = 20  # local layout: a progress line every this many steps
OVERLAP_PASSES = 200
OVERLAP_SLACK_PX = 0.01  # pushed-apart nodes end this far beyond touching, so rounding keeps them apart
EDGE_MARGIN = 0.02  # positions stay inside [EDGE_MARGIN, 1 - EDGE_MARGIN]
LAYOUT_SEED = 7  # the same data always gets the same map
BIG_DATASET = 300  # companies past which computing the layout is logged (it takes seconds)


def node_money(deals: pd.DataFrame, amounts: pd.Series | None = None) -> pd.Series:
    """Dollars each company sends or receives (node size), over the given deals.

    `amounts` (aligned with `deals`) replaces the stated amounts, e.g. with only counted money.
    """
    amounts = (deals["amount_usd"] if amounts is None else amounts).fillna(0.0)
    sent = amounts.groupby(deals["from_id"]).sum()
    received = amounts.groupby(deals["to_id"]).sum()
    return sent.add(received, fill_value=0.0)


def node_diameter(money: np.ndarray | pd.Series | float, peak: float) -> np.ndarray:
    """Marker diameter in px: square-root scale of money against the dataset's biggest hub.

    The peak is the whole dataset's, not the view's, so a node never grows when a filter
    removes others: a layout free of overlaps stays free of them in every filtered view.
    """
    share = np.sqrt(np.clip(np.asarray(money, dtype=float), 0.0, None) / (peak or 1.0))
    return np.round(MIN_NODE_PX + (MAX_NODE_PX - MIN_NODE_PX) * np.clip(share, 0.0, 1.0), 1)


def _initial_positions(graph: nx.Graph, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {node: rng.uniform(-1.0, 1.0, 2) for node in graph}


def _force_layout(graph: nx.Graph, sizes: dict[str, float], seed: int) -> dict:
    """ForceAtlas2 with hub dissuasion and node sizes; a sparse spring layout for huge graphs."""
    start = _initial_positions(graph, seed)
    if graph.number_of_nodes() <= FA2_MAX_NODES:
        return nx.forceatlas2_layout(
            graph,
            pos=start,
            max_iter=FA2_ITERATIONS,
            scaling_ratio=FA2_SCALING,
            gravity=FA2_GRAVITY,
            distributed_action=True,
            node_size=sizes,
            seed=seed,
            strong_gravity=True,
        )
    log.info("layout: %d companies — local force layout (ForceAtlas2 would need n² memory)", graph.number_of_nodes())
    return _local_force_layout(graph, seed)


def _local_force_layout(graph: nx.Graph, seed: int, iterations: int = LOCAL_ITERATIONS) -> dict:
    """Fruchterman–Reingold with repulsion cut off at a few edge lengths (neighbours from a k-d tree).

    O(n + m) per step instead of O(n²): big graphs (10,000 companies) lay out in seconds. Nodes
    start spread over an area proportional to their number, so density stays even without
    long-range repulsion; attraction along deals pulls partners together.
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, (n, 2))
    edges = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=int).reshape(-1, 2)
    step = side / LOCAL_STEP_PARTS
    for number in range(iterations):
        move = np.zeros_like(pos)
        pairs = cKDTree(pos).query_pairs(LOCAL_CUTOFF, output_type="ndarray")
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
            push = delta / (dist**2)[:, None]
            np.add.at(move, pairs[:, 0], push)
            np.add.at(move, pairs[:, 1], -push)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
            pull = delta * dist[:, None]
            np.add.at(move, edges[:, 0], -pull)
            np.add.at(move, edges[:, 1], pull)
        move -= LOCAL_GRAVITY * pos
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        pos += move / length[:, None] * np.minimum(length, step)[:, None]
        step = max(step * LOCAL_COOLING, LOCAL_MIN_STEP)
        if number % LOG_EVERY == LOG_EVERY - 1:
            log.info("layout: step %d of %d", number + 1, iterations)
    return {node: pos[i] for i, node in enumerate(nodes)}


def _to_reference_px(coords: np.ndarray) -> np.ndarray:
    """Stretch coordinates to fill the reference plot area (in px), inside its margins."""
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    unit = (coords - lo) / span
    size = np.array(REFERENCE_PLOT)
    return (EDGE_MARGIN + unit * (1 - 2 * EDGE_MARGIN)) * size


def remove_overlaps(
    points: np.ndarray,
    radii: np.ndarray,
    box: tuple[float, float],
    gap: float = NODE_GAP_PX,
    passes: int = OVERLAP_PASSES,
) -> np.ndarray:
    """Push overlapping circles apart (each pair moves half the overlap), staying inside `box`.

    Returns new points; with room enough, no two circles come closer than `gap` px.
    """
    points = points.astype(float).copy()
    lo = radii[:, None] + gap / 2
    hi = np.array(box)[None, :] - lo
    reach = 2 * float(radii.max()) + gap
    rng = np.random.default_rng(0)
    for _ in range(passes):
        pairs = cKDTree(points).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = points[j] - points[i]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        need = radii[i] + radii[j] + gap
        close = dist < need
        if not close.any():
            break
        i, j, delta, dist, need = i[close], j[close], delta[close], dist[close], need[close]
        same = dist < 1e-6
        delta[same] = rng.normal(size=(int(same.sum()), 2))
        dist[same] = np.hypot(delta[same, 0], delta[same, 1])
        push = (delta / dist[:, None]) * ((need - dist) / 2 + OVERLAP_SLACK_PX)[:, None]
        move = np.zeros_like(points)
        np.add.at(move, i, -push)
        np.add.at(move, j, push)
        points = np.clip(points + move, lo, hi)
    return points


def compute_positions(
    companies: pd.DataFrame, deals: pd.DataFrame, seed: int = LAYOUT_SEED
) -> dict[str, tuple[float, float]]:
    """Positions in the unit square for every company, free of overlaps at the reference size."""
    ids = list(companies.index)
    if not ids:
        return {}
    money = node_money(deals).reindex(ids, fill_value=0.0)
    diameters = node_diameter(money.to_numpy(), float(money.max()))
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    weights = deals.groupby(["from_id", "to_id"]).size()
    for (a, b), count in weights.items():
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += count
        else:
            graph.add_edge(a, b, weight=count)
    # ForceAtlas2's node_size is in layout units; scale px diameters to the layout's typical spread.
    sizes = {cid: float(d) / MAX_NODE_PX for cid, d in zip(ids, diameters, strict=True)}
    raw = _force_layout(graph, sizes, seed)
    coords = _to_reference_px(np.array([raw[c] for c in ids], dtype=float))
    coords = remove_overlaps(coords, diameters / 2, REFERENCE_PLOT)
    unit = coords / np.array(REFERENCE_PLOT)
    unit[:, 1] = 1.0 - unit[:, 1]  # px grow downwards, plot y grows upwards
    return {cid: (round(float(x), 5), round(float(y), 5)) for cid, (x, y) in zip(ids, unit, strict=True)}


def cached_positions(
    companies: pd.DataFrame, deals: pd.DataFrame, version: str, cache_dir: Path | str | None
) -> dict[str, tuple[float, float]]:
    """`compute_positions`, read from / written to `cache_dir` when given (keyed by dataset version).

    A missing, unreadable or stale cache file is simply recomputed; a failed write only logs.
    """
    path = Path(cache_dir) / f"positions-{LAYOUT_VERSION}-{version}.json" if cache_dir else None
    if path and path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if set(stored) == set(companies.index):
                return {cid: tuple(xy) for cid, xy in stored.items()}
            log.warning("layout cache %s does not match the dataset; recomputing", path)
        except (OSError, ValueError) as error:
            log.warning("layout cache %s unreadable (%s); recomputing", path, error)
    started = time.perf_counter()
    if len(companies) > BIG_DATASET:
        log.info(
            "layout: computing positions for %d companies and %d deals (once per dataset version)…",
            len(companies),
            len(deals),
        )
    positions = compute_positions(companies, deals)
    elapsed = time.perf_counter() - started
    if len(companies) > BIG_DATASET:
        log.info("layout: done in %.1f s", elapsed)
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
                json.dump(positions, handle)
            os.replace(handle.name, path)  # atomic: concurrent workers never read half a file
        except OSError as error:
            log.warning("layout cache %s not written (%s)", path, error)
    return positions
