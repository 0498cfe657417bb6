"""Pure figure builders: filtered deals + precomputed geometry -> plotly figure dicts.

Figures are plain dicts, not go.Figure objects (plotly's validation costs more than building
them) with numpy arrays that Dash serialises directly. What the map draws:
- edges: one curve per flow (payer, receiver, deal type), as wide as its summed stated money,
  or one curve per deal ("Show every deal"); batched into one line trace per style group;
- one arrowhead trace: the direction of money and the hover/click target of every edge;
- one node trace: size by money in view (against the dataset's biggest hub, so nothing grows
  when filtered), names placed without collisions for the biggest companies in view;
- the biggest flows in view carry their amount.
The camera fits the companies in view unless the user has zoomed or panned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.atlas import Atlas
from alliance.graph import ARROW_POINT
from alliance.labels import Candidate, place_labels, text_width
from alliance.layout import node_diameter, node_money
from alliance.money import counted_amounts
from alliance.schema import DEAL_TYPES, ROLES
from alliance.text import amount_as_stated, deal_type_label, money

from .theme import DEAL_COLORS, DIM_ALPHA, INK, LAYOUT, MUTED, ROLE_STYLE, SOFT_DIM_ALPHA, rgba

MARGIN = {"l": 4, "r": 4, "t": 4, "b": 20}  # the bottom margin holds the caption
DEFAULT_CANVAS_PX = (1180.0, 760.0)  # graph size assumed before the browser reports its own
LABEL_MIN_MONEY = 1e9  # every company with at least this much money in view is a label candidate
LABEL_MIN_COUNT = 40  # … or at least the top 40 by money
LABEL_FONT_PX = 12
AMOUNT_LABELS = 8  # the biggest flows in view carry their amount
AMOUNT_FONT_PX = 11
FIT_PAD_PX = (14.0, 14.0)  # air between the outermost nodes and the plot's edge
MIN_SPAN = 0.18  # the camera never zooms closer than this share of the map
WEBGL_EDGES = 1500  # past this many edges, lines and markers draw with WebGL
STRAIGHT_EDGES = 6000  # past this many, edges are straight (3 points each instead of 10)
WIDTH_RANGE = (1.0, 9.0)  # edge width in px: undisclosed … $100B+


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
    if amount is None or math.isnan(amount) or amount <= 1e8:
        return WIDTH_RANGE[0]
    return float(min(WIDTH_RANGE[1], 1.0 + 2.0 * math.log10(amount / 1e8)))


def edge_dash(qualifier: str, amount: float) -> str:
    if amount is None or math.isnan(amount):
        return "dot"  # undisclosed
    return "dash" if qualifier == "up_to" else "solid"


def empty_figure(message: str) -> dict:
    return {
        "data": [],
        "layout": {
            **LAYOUT,
            "xaxis": {"visible": False}, "yaxis": {"visible": False},
            "annotations": [{"text": message, "showarrow": False, "font": {"size": 18, "color": MUTED},
                             "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        },
    }


# --- edges ------------------------------------------------------------------------------------

def edge_table(atlas: Atlas, deals: pd.DataFrame, every: bool) -> pd.DataFrame:
    """One row per drawn edge: curve row, type, money, style inputs, hover and click payload."""
    rows = deals.index.to_numpy()
    amounts = counted_amounts(deals).to_numpy(dtype=float)  # replaced or uncounted money is not drawn twice
    if every:
        return pd.DataFrame({
            "curve": rows, "deal_type": deals["deal_type"].to_numpy(), "amount": amounts,
            "up_to": deals["amount_qualifier"].to_numpy() == "up_to", "count": 1,
            "from_id": deals["from_id"].to_numpy(), "to_id": deals["to_id"].to_numpy(),
            "first": deals["id"].to_numpy(), "first_row": rows,
        })
    flows = atlas.geometry.flow_of_deal[rows]
    frame = pd.DataFrame({
        "curve": flows, "stated": np.nan_to_num(amounts), "has_amount": ~np.isnan(amounts),
        "up_to": deals["amount_qualifier"].to_numpy() == "up_to", "id": deals["id"].to_numpy(), "row": rows,
        "date": deals["date"].to_numpy(),
    })
    grouped = frame.groupby("curve", sort=False).agg(
        stated=("stated", "sum"), has_amount=("has_amount", "sum"), up_to=("up_to", "any"),
        count=("id", "size"), first=("id", "first"), first_row=("row", "first"),
        start=("date", "min"), end=("date", "max"),
    ).reset_index()
    keys = atlas.geometry.flows.iloc[grouped["curve"].to_numpy()]
    grouped["from_id"] = keys["from_id"].to_numpy()
    grouped["to_id"] = keys["to_id"].to_numpy()
    grouped["deal_type"] = keys["deal_type"].to_numpy()
    grouped["amount"] = np.where(grouped["has_amount"] > 0, grouped["stated"], np.nan)
    grouped["undisclosed"] = grouped["count"] - grouped["has_amount"]
    return grouped


def _flow_hover(edge, names) -> str:
    stated = "no stated amount" if math.isnan(edge.amount) else \
        f"{'up to ' if edge.up_to else ''}{money(edge.amount)} stated"
    if edge.undisclosed and not math.isnan(edge.amount):
        stated += f" (+{edge.undisclosed} undisclosed)"
    span = f"{pd.Timestamp(edge.start):%b %Y}" if edge.start == edge.end else \
        f"{pd.Timestamp(edge.start):%b %Y} – {pd.Timestamp(edge.end):%b %Y}"
    return (f"<b>{names[edge.from_id]} → {names[edge.to_id]}</b><br>{deal_type_label(edge.deal_type)} · {stated}"
            f"<br>{edge.count} deals · {span}<br><i>click for the payer's deals</i>")


def _edge_hover(atlas: Atlas, edges: pd.DataFrame) -> list[str]:
    names = atlas.dataset.companies["name"]
    return [atlas.deal_hover[e.first_row] if e.count == 1 else _flow_hover(e, names)
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
        usable = max(plot[axis] - pad_lo - pad_hi, plot[axis] * 0.3)
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
                   caption: str = "") -> dict:
    """The network of the deals in view.

    highlight_nodes / highlight_deals (focus neighbourhood or a chosen cycle) stay bright and
    everything else dims; an open company or deal is emphasised and the rest lightly dimmed.
    """
    if deals.empty:
        return empty_figure("No deals match these filters")
    companies = atlas.dataset.companies
    positions = atlas.geometry.positions
    edges = edge_table(atlas, deals, every)

    # Which edges and nodes stay bright.
    soft = False
    if selected_deal or selected_company:
        soft = True
        if selected_deal:
            row = int(np.flatnonzero(atlas.dataset.deals["id"].to_numpy() == selected_deal)[0])
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
    if selected_company and selected_company in positions and selected_company not in node_ids:
        node_ids.append(selected_company)
    through = node_money(deals, counted_amounts(deals)).reindex(node_ids, fill_value=0.0)
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
    dashes = np.where(np.isnan(edges["amount"].to_numpy()), "dot", np.where(edges["up_to"].to_numpy(), "dash", "solid"))

    traces = _edge_traces(edges, curves, widths, dashes, bright_edge, dimming, dim_alpha, big)
    traces.append(_arrow_trace(atlas, edges, curves, curves_px, widths, bright_edge, dimming, dim_alpha, big,
                               straight))
    amount_notes, amount_boxes = _amount_labels(edges, curves, curves_px, bright_edge, node_px, sizes,
                                                (plot[0] - canvas.reserve_right, plot[1]))
    panel = [(plot[0] - canvas.reserve_right, 0.0, plot[0], plot[1])] if canvas.reserve_right else []
    placed = _place_node_labels(companies, node_ids, through, sizes, node_px, plot, [*amount_boxes, *panel],
                                first=[c for c in (selected_company, *(highlight_nodes or ())) if c])
    traces.extend(_node_traces(atlas, node_ids, through, sizes, points, placed, bright_nodes, dim_alpha,
                               selected_company, big))
    layout = _network_layout(x_range, y_range, caption, amount_notes,
                             revision=f"{selected_company or ''}|{selected_deal or ''}")
    layout["meta"] = {"labels": len(placed), "edges": len(edges), "nodes": len(node_ids),
                      "fit": layout["xaxis"]["range"]}
    return {"data": traces, "layout": layout}


def _edge_traces(edges, curves, widths, dashes, bright_edge, dimming, dim_alpha, big) -> list[dict]:
    traces = []
    types = edges["deal_type"].to_numpy()
    width_steps = np.round(widths * 2) / 2  # half-pixel steps keep the number of traces small
    for deal_type in DEAL_TYPES:
        of_type = types == deal_type
        if not of_type.any():
            continue
        color = DEAL_COLORS[deal_type]
        for bright in (False, True):
            for width in np.unique(width_steps[of_type]):
                for dash in ("solid", "dash", "dot"):
                    sel = of_type & (width_steps == width) & (dashes == dash) & (bright_edge == bright)
                    if not sel.any():
                        continue
                    chosen = curves[sel]
                    pts = np.concatenate([chosen, np.full((len(chosen), 1, 2), np.nan)], axis=1).reshape(-1, 2)
                    alpha = 0.8 if bright or not dimming else dim_alpha
                    traces.append({
                        "type": "scattergl" if big else "scatter", "mode": "lines",
                        "x": np.round(pts[:, 0], 4), "y": np.round(pts[:, 1], 4),
                        "line": {"color": rgba(color, alpha), "width": float(width), "dash": dash},
                        "hoverinfo": "skip", "showlegend": False,
                    })
    return traces


def _arrow_trace(atlas, edges, curves, curves_px, widths, bright_edge, dimming, dim_alpha, big, straight) -> dict:
    at = 1 if straight else ARROW_POINT
    tangent = curves_px[:, at + 1] - curves_px[:, at - 1]
    # plotly's marker.angle is clockwise from "up"; px y already grows downwards.
    angles = (np.degrees(np.arctan2(tangent[:, 0], -tangent[:, 1]))) % 360
    alphas = np.where(bright_edge | (not dimming), 0.95, dim_alpha)
    colors = [rgba(DEAL_COLORS[t], a) for t, a in zip(edges["deal_type"], alphas)]
    customdata = [["deal", e.first, e.deal_type] if e.count == 1 else ["company", e.from_id, e.deal_type]
                  for e in edges[["count", "first", "from_id", "deal_type"]].itertuples()]
    marker = {"size": np.round(7 + widths, 1), "color": colors, "line": {"width": 0}}
    if big:
        marker["symbol"] = "circle"
    else:
        marker.update(symbol="arrow", angle=np.round(angles, 1))
    return {
        "type": "scattergl" if big else "scatter", "mode": "markers",
        "x": np.round(curves[:, at, 0], 4), "y": np.round(curves[:, at, 1], 4),
        "marker": marker, "customdata": customdata, "hovertext": _edge_hover(atlas, edges),
        "hoverinfo": "text", "showlegend": False, "name": "deals",
    }


def _amount_labels(edges, curves, curves_px, bright_edge, node_px, sizes, plot) -> tuple[list, list]:
    """Annotations with the amount of the biggest flows in view, placed clear of nodes and each other."""
    stated = edges["amount"].fillna(0.0).to_numpy() * bright_edge
    order = [i for i in np.argsort(-stated, kind="stable")[:AMOUNT_LABELS] if stated[i] > 0]
    node_boxes = [(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for (x, y), d in zip(node_px, sizes)]
    taken: list[tuple] = []
    notes = []
    n_points = curves.shape[1]
    tries = (n_points // 2, n_points // 2 - 1, n_points // 2 + 1) if n_points > 3 else (1,)
    for i in order:
        edge = edges.iloc[i]
        text = f"{'up to ' if edge.up_to else ''}{money(edge.amount)}"
        width, height = text_width(text, AMOUNT_FONT_PX) + 6, AMOUNT_FONT_PX * 1.3 + 4
        for k in tries:
            x, y = curves_px[i, k]
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if box[0] < 0 or box[1] < 0 or box[2] > plot[0] or box[3] > plot[1]:
                continue
            if any(_overlap(box, other) for other in (*taken, *node_boxes)):
                continue
            taken.append(box)
            notes.append({
                "x": round(float(curves[i, k, 0]), 4), "y": round(float(curves[i, k, 1]), 4), "text": text,
                "showarrow": False, "font": {"size": AMOUNT_FONT_PX, "color": INK},
                "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 1, "captureevents": False,
            })
            break
    return notes, taken


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_node_labels(companies, node_ids, through, sizes, node_px, plot, obstacles, first) -> dict[str, str]:
    """Names for every company with ≥ $1B in view, or the top 40 by money (then by deals), ranked."""
    ranked = sorted(node_ids, key=lambda c: (-through[c], node_ids.index(c)))
    wanted = [c for c in ranked if through[c] >= LABEL_MIN_MONEY]
    wanted += [c for c in ranked[:LABEL_MIN_COUNT] if c not in wanted]
    order = [c for c in dict.fromkeys([*first, *wanted]) if c in through.index]
    where = {cid: i for i, cid in enumerate(node_ids)}
    candidates = [Candidate(cid, float(node_px[where[cid], 0]), float(node_px[where[cid], 1]),
                            float(sizes[where[cid]]) / 2, companies.at[cid, "name"], LABEL_FONT_PX)
                  for cid in order]
    markers = [(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for (x, y), d in zip(node_px, sizes)]
    return place_labels(candidates, [*markers, *obstacles], plot)


def _node_traces(atlas, node_ids, through, sizes, points, placed, bright_nodes, dim_alpha, selected, big) -> list[dict]:
    companies = atlas.dataset.companies
    roles = companies["primary_role"].reindex(node_ids).to_numpy()
    deal_counts = atlas.deal_counts
    hover = [
        f"<b>{companies.at[cid, 'name']}</b><br>{', '.join(ROLES[r] for r in companies.at[cid, 'role_list'])}"
        f"<br>{money(through[cid]) if through[cid] else 'no stated $'} in view · {deal_counts.get(cid, 0)} deals in all"
        for cid in node_ids
    ]
    opacity = [1.0 if bright_nodes is None or cid in bright_nodes else max(dim_alpha * 2, 0.25) for cid in node_ids]
    marker = {
        "size": sizes, "color": [ROLE_STYLE[r]["color"] for r in roles],
        "symbol": [ROLE_STYLE[r]["symbol"] for r in roles], "opacity": opacity,
        "line": {"width": [3 if cid == selected else 1 for cid in node_ids],
                 "color": ["#111111" if cid == selected else "#ffffff" for cid in node_ids]},
    }
    common = {"hoverinfo": "text", "showlegend": False, "name": "companies"}
    if not big:
        return [{
            "type": "scatter", "mode": "markers+text", "x": np.round(points[:, 0], 5), "y": np.round(points[:, 1], 5),
            "text": [companies.at[cid, "name"] if cid in placed else "" for cid in node_ids],
            "textposition": [placed.get(cid, "top center") for cid in node_ids],
            "textfont": {"size": LABEL_FONT_PX, "color": INK}, "marker": marker,
            "customdata": [["company", cid] for cid in node_ids], "hovertext": hover, **common,
        }]
    # Many nodes: all markers in WebGL, and only the labelled ones again in SVG to carry their names.
    labelled = [i for i, cid in enumerate(node_ids) if cid in placed]
    pick = np.array(labelled, dtype=int)
    return [
        {"type": "scattergl", "mode": "markers", "x": np.round(points[:, 0], 5), "y": np.round(points[:, 1], 5),
         "marker": marker, "customdata": [["company", cid] for cid in node_ids], "hovertext": hover, **common},
        {"type": "scatter", "mode": "markers+text", "x": np.round(points[pick, 0], 5), "y": np.round(points[pick, 1], 5),
         "text": [companies.at[node_ids[i], "name"] for i in labelled],
         "textposition": [placed[node_ids[i]] for i in labelled],
         "textfont": {"size": LABEL_FONT_PX, "color": INK},
         "marker": {"size": sizes[pick], "color": "rgba(0,0,0,0)", "line": {"width": 0}},
         "hoverinfo": "skip", "showlegend": False},
    ]


def _network_layout(x_range, y_range, caption: str, annotations: list, revision: str) -> dict:
    axis = {"visible": False, "showgrid": False, "zeroline": False, "autorange": False, "fixedrange": False}
    notes = list(annotations)
    if caption:
        notes.append({"text": caption, "xref": "paper", "yref": "paper", "x": 1, "y": 0, "xanchor": "right",
                      "yanchor": "top", "yshift": -3, "showarrow": False, "font": {"size": 11, "color": MUTED}})
    return {
        **LAYOUT,
        "xaxis": {**axis, "range": [round(x_range[0], 5), round(x_range[1], 5)]},
        "yaxis": {**axis, "range": [round(y_range[0], 5), round(y_range[1], 5)]},
        "showlegend": False,
        "margin": dict(MARGIN),
        "hovermode": "closest",
        "dragmode": "pan",
        "annotations": notes,
        "uirevision": revision,
    }
