"""Pure figure builders: filtered deals + precomputed geometry -> plotly figure dicts.

Figures are plain dicts, not go.Figure objects (plotly's validation costs more than building
them) with numpy arrays that Dash serialises directly. What the map draws:
- edges: one curve per flow (payer, receiver, deal type), as wide as its summed stated money,
  or one curve per deal ("Show every deal"); one SVG path shape per style group (type, width
  step, dash), or WebGL line traces for thousands of edges;
- one marker trace of arrowheads: a triangle per edge turned the way the money goes, which
  also carries every edge's hover text and click target;
- one node trace: size by money in view (against the dataset's biggest hub, so nothing grows
  when filtered), names placed without collisions for the biggest companies in view;
- the biggest flows in view carry their amount (a text trace on top).
The camera fits the companies in view unless the user has zoomed or panned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance import i18n
from alliance.atlas import Atlas
from alliance.graph import ARROW_POINT
from alliance.labels import PAD_PX, Candidate, place_labels, text_width
from alliance.layout import node_diameter
from alliance.i18n import t
from alliance.ledger import build_ledger
from alliance.money import counted_amounts
from alliance.schema import DEAL_TYPES

from .theme import DIM_ALPHA, ROLE_STYLE, SOFT_DIM_ALPHA, figure_theme, rgba, themed_layout

MARGIN = {"l": 4, "r": 4, "t": 4, "b": 20}  # the bottom margin holds the caption of a PNG download
DEFAULT_CANVAS_PX = (1180.0, 760.0)  # graph size assumed before the browser reports its own
LABEL_MIN_MONEY = 1e9  # every company with at least this much money in view is a label candidate
LABEL_MIN_COUNT = 40  # … or at least the top 40 by money
LABEL_MAX_CANDIDATES = 150  # past this many, labels would cover the map anyway (and placing them costs time)
LABEL_FONT_PX = 12
AMOUNT_LABELS = 8  # the biggest flows in view carry their amount
AMOUNT_FONT_PX = 11
FIT_PAD_PX = (14.0, 14.0)  # air between the outermost nodes and the plot's edge
MIN_SPAN = 0.18  # the camera never zooms closer than this share of the map
WEBGL_EDGES = 1500  # past this many edges, lines and markers draw with WebGL
STRAIGHT_EDGES = 6000  # past this many, edges are straight (3 points each instead of 10)
WIDTH_RANGE = (1.0, 9.0)  # edge width in px: undisclosed … $100B+
THIN_BELOW_USD = 1e8  # flows of $100M or less (or undisclosed) get the thinnest line …
WIDTH_PER_DECADE = 2.0  # … and every tenfold more money adds this many px
FIT_MIN_SHARE = 0.3  # padding never shrinks the fitted map below this share of the plot
AMOUNT_PAD_PX = (6.0, 4.0)  # air around an amount label (x, y) when placing it
DIM_NODE_MIN_ALPHA = 0.25  # dimmed companies stay at least this visible (their edges fade more)
NODE_OUTLINE_PX, SELECTED_OUTLINE_PX = 1, 3
WIDTH_STEPS = (1.0, 2.0, 3.5, 5.0, 7.0, 9.0)  # drawn widths (edge_width snapped to these)
ARROW_PX = 9.0  # arrowhead marker size in px for the thinnest edge …
ARROW_GAIN = 0.9  # … plus this many px per px of edge width
EDGE_ALPHA = 0.8  # edge lines are slightly see-through where they cross
ARROW_ALPHA = 0.95
CAPTION_FONT_PX = 11
PANEL_PX = 385.0  # the detail panel's width plus its margin (assets/style.css .panel)
PANEL_BESIDE_MIN_PX = 900.0  # narrower graphs show the panel as a sheet at the bottom instead
LABEL_PAD_PX = PAD_PX


@dataclass(frozen=True)
class Canvas:
    """What the browser tells us: the graph's size in px and the user's camera, if they moved it."""
    width: float = DEFAULT_CANVAS_PX[0]
    height: float = DEFAULT_CANVAS_PX[1]
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    reserve_right: float = 0.0  # px on the right covered by the open detail panel

    @property
    def plot(self) -> tuple[float, float]:
        return (max(60.0, self.width - MARGIN["l"] - MARGIN["r"]),
                max(60.0, self.height - MARGIN["t"] - MARGIN["b"]))


def edge_width(amount: float) -> float:
    """Log scale, in px: undisclosed or ≤ $100M → 1, $1B → 3, $10B → 5, $100B → 7, $1T → 9."""
    if amount is None or math.isnan(amount) or amount <= THIN_BELOW_USD:
        return WIDTH_RANGE[0]
    return float(min(WIDTH_RANGE[1], WIDTH_RANGE[0] + WIDTH_PER_DECADE * math.log10(amount / THIN_BELOW_USD)))


def edge_dashes(amounts: np.ndarray, up_to: np.ndarray) -> np.ndarray:
    """Line style per edge: dotted when no amount counts, dashed for "up to", else solid."""
    return np.where(np.isnan(amounts), "dot", np.where(up_to, "dash", "solid"))


def empty_figure(message: str, theme: str | None = None) -> dict:
    return {
        "data": [],
        "layout": {
            **themed_layout(theme),
            "xaxis": {"visible": False}, "yaxis": {"visible": False},
            "annotations": [{"text": message, "showarrow": False,
                             "font": {"size": 18, "color": figure_theme(theme)["muted"]},
                             "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        },
    }


# --- edges ------------------------------------------------------------------------------------

def edge_table(atlas: Atlas, deals: pd.DataFrame, every: bool, amounts: np.ndarray | None = None) -> pd.DataFrame:
    """One row per drawn edge: curve row, type, money, style inputs, hover and click payload.

    `amounts` are the deals' counted dollars (NaN where nothing counts), aligned with `deals`.
    """
    rows = deals.index.to_numpy()
    if amounts is None:
        amounts = counted_amounts(deals).to_numpy(dtype=float)
    up_to = deals["amount_qualifier"].to_numpy() == "up_to"
    if every:
        return pd.DataFrame({
            "curve": rows, "deal_type": deals["deal_type"].to_numpy(), "amount": amounts, "up_to": up_to,
            "count": 1, "from_id": deals["from_id"].to_numpy(), "to_id": deals["to_id"].to_numpy(),
            "first": deals["id"].to_numpy(), "first_row": rows, "undisclosed": np.isnan(amounts).astype(int),
        })
    flows, first, inverse = np.unique(atlas.geometry.flow_of_deal[rows], return_index=True, return_inverse=True)
    has_amount = ~np.isnan(amounts)
    stated = np.bincount(inverse, weights=np.where(has_amount, amounts, 0.0))
    count = np.bincount(inverse)
    disclosed = np.bincount(inverse, weights=has_amount).astype(int)
    days = deals["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    start = np.full(len(flows), np.iinfo(np.int64).max)
    end = np.full(len(flows), np.iinfo(np.int64).min)
    np.minimum.at(start, inverse, days)
    np.maximum.at(end, inverse, days)
    keys = atlas.geometry.flows.iloc[flows]
    return pd.DataFrame({
        "curve": flows, "deal_type": keys["deal_type"].to_numpy(),
        "amount": np.where(disclosed > 0, stated, np.nan), "up_to": np.bincount(inverse, weights=up_to) > 0,
        "count": count, "from_id": keys["from_id"].to_numpy(), "to_id": keys["to_id"].to_numpy(),
        "first": deals["id"].to_numpy()[first], "first_row": rows[first], "undisclosed": count - disclosed,
        "start": start.astype("datetime64[D]"), "end": end.astype("datetime64[D]"),
    })


def _edge_hover(atlas: Atlas, edges: pd.DataFrame, lang: str | None) -> list[str]:
    """A single deal's hover text is built once per dataset; a flow of several deals says how many."""
    names = atlas.dataset.companies["name"]
    hover = atlas.hover_for(lang)
    return [hover[e.first_row] if e.count == 1 else i18n.flow_hover(
                names[e.from_id], names[e.to_id], e.deal_type, e.amount, e.up_to, e.undisclosed, e.count,
                pd.Timestamp(e.start).date(), pd.Timestamp(e.end).date(), lang)
            for e in edges.itertuples()]


# --- camera -----------------------------------------------------------------------------------

def fit_ranges(points: np.ndarray, plot: tuple[float, float], radius_px: float,
               reserve_right: float = 0.0) -> tuple[tuple, tuple]:
    """Axis ranges that show every point, with `radius_px` plus padding of air at the edges,
    keeping the points out of the `reserve_right` px that the detail panel covers."""
    ranges = []
    for axis in (0, 1):
        lo, hi = float(points[:, axis].min()), float(points[:, axis].max())
        if hi - lo < MIN_SPAN:
            middle = (lo + hi) / 2
            lo, hi = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
        pad_lo = pad_hi = radius_px + FIT_PAD_PX[axis]
        if axis == 0:
            pad_hi += reserve_right
        usable = max(plot[axis] - pad_lo - pad_hi, plot[axis] * FIT_MIN_SHARE)
        per_px = (hi - lo) / usable
        ranges.append((lo - pad_lo * per_px, hi + pad_hi * per_px))
    return ranges[0], ranges[1]


def _camera(canvas: Canvas, points: np.ndarray, must_show: np.ndarray, radius_px: float) -> tuple[tuple, tuple]:
    """The user's camera when they moved it (and it shows the selection), else a fit."""
    if canvas.x_range and canvas.y_range:
        (x0, x1), (y0, y1) = canvas.x_range, canvas.y_range
        inside = ((must_show[:, 0] >= x0) & (must_show[:, 0] <= x1)
                  & (must_show[:, 1] >= y0) & (must_show[:, 1] <= y1)).all() if len(must_show) else True
        if inside and x1 > x0 and y1 > y0:
            return (x0, x1), (y0, y1)
    return fit_ranges(points, canvas.plot, radius_px, canvas.reserve_right)


def _to_px(points: np.ndarray, x_range, y_range, plot) -> np.ndarray:
    px = np.empty_like(points, dtype=float)
    px[..., 0] = (points[..., 0] - x_range[0]) / (x_range[1] - x_range[0]) * plot[0]
    px[..., 1] = (y_range[1] - points[..., 1]) / (y_range[1] - y_range[0]) * plot[1]
    return px


# --- the map ----------------------------------------------------------------------------------

def network_figure(atlas: Atlas, deals: pd.DataFrame, highlight_nodes: set[str] | None = None,
                   highlight_deals: set[str] | None = None, selected_company: str | None = None,
                   selected_deal: str | None = None, every: bool = False, canvas: Canvas = Canvas(),
                   caption: str = "", lang: str | None = None, theme: str | None = None,
                   focus: str | None = None) -> dict:
    """The network of the deals in view (assets/map.js draws the same in the browser).

    highlight_nodes / highlight_deals (focus neighbourhood or a chosen cycle) stay bright and
    everything else dims; an open company or deal is emphasised and the rest lightly dimmed.
    The open company, else the `focus`, is outlined and named first.
    """
    colors = figure_theme(theme)
    if deals.empty:
        return empty_figure(t(lang, "map.no_deals"), theme)
    companies = atlas.dataset.companies
    positions = atlas.geometry.positions
    amounts = counted_amounts(deals)  # replaced or uncounted money is neither drawn nor summed twice
    edges = edge_table(atlas, deals, every, amounts.to_numpy(dtype=float))

    # Which edges and nodes stay bright.
    soft = False
    if selected_deal or selected_company:
        soft = True
        if selected_deal:
            row = atlas.deals_by_id.index.get_loc(selected_deal)
            parties = tuple(atlas.dataset.deals.loc[row, ["from_id", "to_id"]])
            key = row if every else atlas.geometry.flow_of_deal[row]
            bright_edge = edges["curve"].to_numpy() == key
            bright_nodes = set(parties)
        else:
            touches = (edges["from_id"] == selected_company) | (edges["to_id"] == selected_company)
            bright_edge = touches.to_numpy()
            bright_nodes = {selected_company, *edges.loc[touches, "from_id"], *edges.loc[touches, "to_id"]}
    elif highlight_deals is not None:
        deal_ids = set(highlight_deals)
        in_cycle = deals["id"].isin(deal_ids).to_numpy()
        curves = (deals.index.to_numpy() if every else atlas.geometry.flow_of_deal[deals.index.to_numpy()])[in_cycle]
        bright_edge = edges["curve"].isin(set(curves.tolist())).to_numpy()
        bright_nodes = set(highlight_nodes or ())
    elif highlight_nodes is not None:
        bright_nodes = set(highlight_nodes)
        bright_edge = (edges["from_id"].isin(bright_nodes) & edges["to_id"].isin(bright_nodes)).to_numpy()
    else:
        bright_nodes = None
        bright_edge = np.ones(len(edges), dtype=bool)
    dimming = bright_nodes is not None
    dim_alpha = SOFT_DIM_ALPHA if soft else DIM_ALPHA

    # Nodes in view and their sizes.
    node_ids = list(pd.unique(np.concatenate([deals["from_id"].to_numpy(), deals["to_id"].to_numpy()])))
    outlined = selected_company or focus
    if outlined and outlined in positions and outlined not in node_ids:
        node_ids.append(outlined)
    through = build_ledger(deals, atlas.dataset).through().reindex(node_ids, fill_value=0.0)  # the one ledger
    sizes = node_diameter(through.to_numpy(), atlas.node_peak)
    points = np.array([positions[c] for c in node_ids], dtype=float)
    must_show = np.array([positions[c] for c in (bright_nodes or ()) if c in positions and soft]).reshape(-1, 2)
    x_range, y_range = _camera(canvas, points, must_show, float(sizes.max()) / 2)
    plot = canvas.plot
    node_px = _to_px(points, x_range, y_range, plot)

    # Edge curves in data space and px (for arrow angles and amount labels).
    big = len(edges) > WEBGL_EDGES
    straight = len(edges) > STRAIGHT_EDGES
    source = atlas.geometry.deal_curves if every else atlas.geometry.flow_curves
    curves = source[edges["curve"].to_numpy()]
    if straight:
        curves = curves[:, [0, ARROW_POINT, -1], :]
    curves_px = _to_px(curves, x_range, y_range, plot)
    widths = np.array([edge_width(a) for a in edges["amount"]])
    dashes = edge_dashes(edges["amount"].to_numpy(dtype=float), edges["up_to"].to_numpy())

    palette = colors["deal_colors"]
    groups = _edge_groups(edges, widths, dashes, bright_edge, dimming, dim_alpha, palette)
    # Many edges: WebGL line traces; else one path shape per style group.
    traces = [_path_trace(curves[sel], line, big) for sel, line in groups] if big else []
    shapes = [] if big else _edge_shapes(curves, groups)
    traces.append(_arrow_trace(atlas, edges, curves, curves_px, widths, bright_edge, dimming, dim_alpha, big,
                               straight, palette, lang))
    amounts, amount_boxes = _amount_labels(edges, curves, curves_px, bright_edge, node_px, sizes,
                                           (plot[0] - canvas.reserve_right, plot[1]), colors, lang)
    panel = [(plot[0] - canvas.reserve_right, 0.0, plot[0], plot[1])] if canvas.reserve_right else []
    placed = _place_node_labels(companies, node_ids, through, sizes, node_px, plot, [*amount_boxes, *panel],
                                first=outlined, highlighted=highlight_nodes)
    traces.extend(_node_traces(atlas, node_ids, through, sizes, points, placed, bright_nodes, dim_alpha,
                               outlined, big, colors, lang))
    traces.append(amounts)
    layout = _network_layout(x_range, y_range, shapes, revision=f"{outlined or ''}|{selected_deal or ''}", theme=theme)
    layout["meta"] = {"labels": len(placed), "edges": len(edges), "nodes": len(node_ids),
                      "fit": layout["xaxis"]["range"], "caption": caption_note(caption, theme)}
    return {"data": traces, "layout": layout}


def _edge_groups(edges, widths, dashes, bright_edge, dimming, dim_alpha, palette):
    """(selection, line style) per style group: deal type × width step × dash × bright."""
    types = edges["deal_type"].to_numpy()
    steps = width_step(widths)
    for deal_type in DEAL_TYPES:
        of_type = types == deal_type
        if not of_type.any():
            continue
        color = palette[deal_type]
        for bright in (False, True):
            for width in np.unique(steps[of_type]):
                for dash in ("solid", "dash", "dot"):
                    sel = of_type & (steps == width) & (dashes == dash) & (bright_edge == bright)
                    if sel.any():
                        alpha = EDGE_ALPHA if bright or not dimming else dim_alpha
                        yield sel, {"color": rgba(color, alpha), "width": float(width), "dash": dash}


def _edge_shapes(curves: np.ndarray, groups) -> list[dict]:
    """One SVG path shape per style group, each edge a quadratic Bézier in it: plotly draws a line
    trace as one <path> per gap-separated piece, a shape as a single one (half the map's draw)."""
    middle = curves.shape[1] // 2  # the sample at t = 0.5
    control = 2 * curves[:, middle] - (curves[:, 0] + curves[:, -1]) / 2
    pieces = [f"M{a:.4f},{b:.4f}Q{c:.4f},{d:.4f} {e:.4f},{f:.4f}"
              for (a, b), (c, d), (e, f) in zip(curves[:, 0], control, curves[:, -1])]
    return [{"type": "path", "path": "".join(p for p, keep in zip(pieces, sel) if keep), "xref": "x", "yref": "y",
             "layer": "below", "line": line} for sel, line in groups]


def width_step(widths: np.ndarray) -> np.ndarray:
    """Snap widths to WIDTH_STEPS (fewer style groups means fewer traces for the browser to draw)."""
    steps = np.array(WIDTH_STEPS)
    return steps[np.abs(np.asarray(widths)[:, None] - steps[None, :]).argmin(axis=1)]


def _path_trace(shapes: np.ndarray, line: dict, big: bool) -> dict:
    """Polylines as one trace, NaN-separated."""
    pts = np.concatenate([shapes, np.full((len(shapes), 1, 2), np.nan)], axis=1).reshape(-1, 2)
    trace = {"type": "scattergl" if big else "scatter", "mode": "lines",
             "x": np.round(pts[:, 0], 4), "y": np.round(pts[:, 1], 4), "line": line,
             "hoverinfo": "skip", "showlegend": False}
    return trace


def arrow_angles(curves_px: np.ndarray, at: int) -> np.ndarray:
    """Degrees clockwise from "up" that turn a triangle marker along each curve at sample `at`."""
    tangent = curves_px[:, at + 1] - curves_px[:, at - 1]
    return np.degrees(np.arctan2(tangent[:, 0], -tangent[:, 1]))


def _arrow_trace(atlas, edges, curves, curves_px, widths, bright_edge, dimming, dim_alpha, big, straight,
                 palette, lang) -> dict:
    """One marker per edge: a triangle at the arrow point, turned the way the money goes, in the
    edge's colour, carrying its hover text and click target (WebGL dots past WEBGL_EDGES)."""
    at = 1 if straight else ARROW_POINT
    alphas = np.where(bright_edge | (not dimming), ARROW_ALPHA, dim_alpha)
    colors = [rgba(palette[t], a) for t, a in zip(edges["deal_type"], alphas)]
    # a deal opens its card; a flow of several deals opens its payer (and says which flow it is)
    customdata = [["deal", first, kind] if count == 1 else ["company", payer, kind, receiver, int(count)]
                  for count, first, payer, kind, receiver in zip(edges["count"], edges["first"], edges["from_id"],
                                                                 edges["deal_type"], edges["to_id"])]
    marker = {"size": np.round(ARROW_PX + ARROW_GAIN * widths, 1), "color": colors, "line": {"width": 0}}
    if big:
        marker["symbol"] = "circle"
    else:
        marker.update(symbol="triangle-up", angle=np.round(arrow_angles(curves_px, at), 1))
    trace = {
        "type": "scattergl" if big else "scatter", "mode": "markers",
        "x": np.round(curves[:, at, 0], 4), "y": np.round(curves[:, at, 1], 4),
        "marker": marker, "customdata": customdata, "showlegend": False, "name": "deals",
    }
    if big:  # thousands of hover texts would be megabytes on every change: a click still opens the deal
        trace["hoverinfo"] = "none"
    else:
        trace.update(hovertext=_edge_hover(atlas, edges, lang), hoverinfo="text")
    return trace


def _amount_labels(edges, curves, curves_px, bright_edge, node_px, sizes, plot, colors, lang) -> tuple[dict, list]:
    """A text trace with the amount of the biggest flows in view, placed clear of nodes and each
    other (text points cost a fraction of annotations, which plotly measures one by one)."""
    stated = edges["amount"].fillna(0.0).to_numpy() * bright_edge
    order = [i for i in np.argsort(-stated, kind="stable")[:AMOUNT_LABELS] if stated[i] > 0]
    node_boxes = [(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for (x, y), d in zip(node_px, sizes)]
    taken: list[tuple] = []
    notes = []
    n_points = curves.shape[1]
    tries = (n_points // 2, n_points // 2 - 1, n_points // 2 + 1) if n_points > 3 else (1,)
    for i in order:
        edge = edges.iloc[i]
        text = i18n.amount_label(edge.amount, edge.up_to, lang)
        width, height = text_width(text, AMOUNT_FONT_PX) + AMOUNT_PAD_PX[0], AMOUNT_FONT_PX * 1.3 + AMOUNT_PAD_PX[1]
        for k in tries:
            x, y = curves_px[i, k]
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if box[0] < 0 or box[1] < 0 or box[2] > plot[0] or box[3] > plot[1]:
                continue
            if any(_overlap(box, other) for other in (*taken, *node_boxes)):
                continue
            taken.append(box)
            notes.append((round(float(curves[i, k, 0]), 4), round(float(curves[i, k, 1]), 4), text))
            break
    return {"type": "scatter", "mode": "text", "name": "amounts", "x": [n[0] for n in notes],
            "y": [n[1] for n in notes], "text": [n[2] for n in notes], "textposition": "middle center",
            "textfont": {"size": AMOUNT_FONT_PX, "color": colors["ink"], "shadow": "auto"},
            "hoverinfo": "skip", "showlegend": False}, taken


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_node_labels(companies, node_ids, through, sizes, node_px, plot, obstacles, first: str | None,
                       highlighted: set | None) -> dict[str, str]:
    """Names for every company with ≥ $1B in view, or the top 40 by money, ranked; `first`, then
    the `highlighted` companies (by money), go before the rest."""
    money_in_view = through.reindex(node_ids).to_numpy()
    ranked = [node_ids[i] for i in np.argsort(-money_in_view, kind="stable")]  # ties keep first-seen order
    wanted = [c for c in ranked[:LABEL_MAX_CANDIDATES] if through[c] >= LABEL_MIN_MONEY]
    chosen = set(wanted)
    wanted += [c for c in ranked[:LABEL_MIN_COUNT] if c not in chosen]
    ahead = [c for c in (first,) if c] + [c for c in ranked if c in (highlighted or ()) and c != first]
    order = [c for c in dict.fromkeys([*ahead, *wanted]) if c in through.index]
    where = {cid: i for i, cid in enumerate(node_ids)}
    candidates = [Candidate(cid, float(node_px[where[cid], 0]), float(node_px[where[cid], 1]),
                            float(sizes[where[cid]]) / 2, companies.at[cid, "name"], LABEL_FONT_PX)
                  for cid in order]
    markers = [(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for (x, y), d in zip(node_px, sizes)]
    return place_labels(candidates, [*markers, *obstacles], plot)


def _node_traces(atlas, node_ids, through, sizes, points, placed, bright_nodes, dim_alpha, selected, big,
                 colors, lang) -> list[dict]:
    companies = atlas.dataset.companies
    names = companies["name"].reindex(node_ids).to_numpy()
    roles = companies["primary_role"].reindex(node_ids).to_numpy()
    deal_counts = atlas.deal_counts
    money_in_view = through.to_numpy()
    heads = atlas.company_hover_for(lang)
    hover = [f"{heads[cid]}<br>{i18n.company_hover_tail(m, deal_counts.get(cid, 0), lang)}"
             for cid, m in zip(node_ids, money_in_view)]
    opacity = [1.0 if bright_nodes is None or cid in bright_nodes else max(dim_alpha * 2, DIM_NODE_MIN_ALPHA) for cid in node_ids]
    marker = {
        "size": sizes, "color": [ROLE_STYLE[r]["color"] for r in roles],
        "symbol": [ROLE_STYLE[r]["symbol"] for r in roles], "opacity": opacity,
        "line": {"width": [SELECTED_OUTLINE_PX if cid == selected else NODE_OUTLINE_PX for cid in node_ids],
                 "color": [colors["selected_outline"] if cid == selected else colors["node_outline"]
                           for cid in node_ids]},
    }
    common = {"hoverinfo": "text", "showlegend": False, "name": "companies"}
    if not big:
        return [{
            "type": "scatter", "mode": "markers+text", "x": np.round(points[:, 0], 5), "y": np.round(points[:, 1], 5),
            "text": [name if cid in placed else "" for cid, name in zip(node_ids, names)],
            "textposition": [placed.get(cid, "top center") for cid in node_ids],
            "textfont": {"size": LABEL_FONT_PX, "color": colors["ink"]}, "marker": marker,
            "customdata": [["company", cid] for cid in node_ids], "hovertext": hover, **common,
        }]
    # Many nodes: all markers in WebGL, and only the labelled ones again in SVG to carry their names.
    labelled = [i for i, cid in enumerate(node_ids) if cid in placed]
    pick = np.array(labelled, dtype=int)
    return [
        {"type": "scattergl", "mode": "markers", "x": np.round(points[:, 0], 5), "y": np.round(points[:, 1], 5),
         "marker": marker, "customdata": [["company", cid] for cid in node_ids], "hovertext": hover, **common},
        {"type": "scatter", "mode": "markers+text", "x": np.round(points[pick, 0], 5), "y": np.round(points[pick, 1], 5),
         "text": [names[i] for i in labelled],
         "textposition": [placed[node_ids[i]] for i in labelled],
         "textfont": {"size": LABEL_FONT_PX, "color": colors["ink"]},
         "marker": {"size": sizes[pick], "color": "rgba(0,0,0,0)", "line": {"width": 0}},
         "hoverinfo": "skip", "showlegend": False},
    ]


def caption_note(caption: str, theme: str | None) -> dict | None:
    """The map's caption as an annotation in the bottom margin. The page adds it only to PNG
    downloads (assets/app.js): on screen the title says the same, and plotly measures every
    annotation on every repaint."""
    if not caption:
        return None
    return {"text": caption, "xref": "paper", "yref": "paper", "x": 1, "y": 0, "xanchor": "right",
            "yanchor": "top", "yshift": -3, "showarrow": False,
            "font": {"size": CAPTION_FONT_PX, "color": figure_theme(theme)["muted"]}}


def _network_layout(x_range, y_range, shapes: list, revision: str, theme: str | None) -> dict:
    axis = {"visible": False, "showgrid": False, "zeroline": False, "autorange": False, "fixedrange": False}
    return {
        **themed_layout(theme),
        "xaxis": {**axis, "range": [round(x_range[0], 5), round(x_range[1], 5)]},
        "yaxis": {**axis, "range": [round(y_range[0], 5), round(y_range[1], 5)]},
        "showlegend": False,
        "margin": dict(MARGIN),
        "hovermode": "closest",
        "dragmode": "pan",
        "shapes": shapes,
        "uirevision": revision,
    }
