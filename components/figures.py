"""Pure figure builders: filtered deals + precomputed geometry -> plotly figure dicts.

Figures are plain dicts, not go.Figure objects: plotly's per-property validation was ~45% of a
callback in our prototypes, and Dash serialises dicts directly. Edges are batched into a few
line traces (one per type × width × dash × dimmed), arrowheads double as hover/click targets.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from alliance.atlas import Atlas
from alliance.graph import money_through
from alliance.schema import DEAL_TYPES, ROLES
from alliance.text import amount_as_stated, deal_type_label, gigawatts, money

from .theme import DEAL_COLORS, DIM_ALPHA, LAYOUT, MUTED, ROLE_STYLE, rgba

LABELS_SHOWN = 28  # the biggest nodes get a permanent label; all others on hover


def edge_width(amount: float) -> int:
    """Log scale: up to $100M → 1, $1B → 3, $10B → 4, $100B → 6 (the maximum)."""
    if amount is None or math.isnan(amount) or amount <= 0:
        return 1
    return int(min(6, max(1, round(1 + 1.6 * math.log10(max(amount, 1e8) / 1e8)))))


def edge_dash(qualifier: str, amount: float) -> str:
    if amount is None or math.isnan(amount):
        return "dot"  # undisclosed
    return "dash" if qualifier == "up_to" else "solid"


def _deal_hover(deal, names) -> str:
    parts = [
        f"<b>{names[deal.from_id]} → {names[deal.to_id]}</b>",
        f"{deal_type_label(deal.deal_type)} · {amount_as_stated(deal.amount_usd, deal.amount_qualifier)}",
    ]
    if gw := gigawatts(deal.compute_gw):
        parts.append(gw)
    parts.append(f"{deal.date:%d %b %Y} · {deal.status}")
    return "<br>".join(parts)


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


def network_figure(atlas: Atlas, deals: pd.DataFrame, highlight_nodes: set[str] | None = None,
                   highlight_deals: set[str] | None = None, selected: str | None = None) -> dict:
    """The network of the deals in view.

    highlight_nodes / highlight_deals (focus neighbourhood or a chosen cycle) stay bright and
    everything else dims; None means nothing is dimmed.
    """
    if deals.empty:
        return empty_figure("No deals match these filters")
    companies = atlas.dataset.companies
    names = companies["name"]
    geometry = atlas.geometry
    dimming = highlight_nodes is not None or highlight_deals is not None
    bright_nodes = highlight_nodes or set()
    if highlight_deals is not None:
        bright_deal = deals["id"].isin(highlight_deals).to_numpy()
    elif highlight_nodes is not None:
        bright_deal = (deals["from_id"].isin(bright_nodes) & deals["to_id"].isin(bright_nodes)).to_numpy()
    else:
        bright_deal = np.ones(len(deals), dtype=bool)

    traces: list[dict] = []
    rows = deals.index.to_numpy()
    widths = np.array([edge_width(a) for a in deals["amount_usd"]])
    dashes = np.array([edge_dash(q, a) for q, a in zip(deals["amount_qualifier"], deals["amount_usd"])])
    types = deals["deal_type"].to_numpy()
    for deal_type in DEAL_TYPES:
        of_type = types == deal_type
        if not of_type.any():
            continue
        color = DEAL_COLORS[deal_type]
        for bright in (False, True):
            for width in np.unique(widths[of_type]):
                for dash in ("solid", "dash", "dot"):
                    sel = of_type & (widths == width) & (dashes == dash) & (bright_deal == bright)
                    if not sel.any():
                        continue
                    curves = geometry.curves[rows[sel]]
                    pts = np.concatenate([curves, np.full((len(curves), 1, 2), np.nan)], axis=1).reshape(-1, 2)
                    alpha = 0.85 if bright or not dimming else DIM_ALPHA
                    traces.append({
                        "type": "scattergl" if len(curves) > 400 else "scatter",
                        "mode": "lines", "x": np.round(pts[:, 0], 4).tolist(), "y": np.round(pts[:, 1], 4).tolist(),
                        "line": {"color": rgba(color, alpha), "width": int(width), "dash": dash},
                        "hoverinfo": "skip", "legendgroup": deal_type, "showlegend": False,
                        "name": deal_type_label(deal_type),
                    })
        # Arrowheads: direction of money, and the hover/click target for each deal.
        sub = deals[of_type]
        arrows = geometry.arrows[rows[of_type]]
        alphas = np.where(bright_deal[of_type] | (not dimming), 0.95, DIM_ALPHA)
        traces.append({
            "type": "scatter", "mode": "markers", "name": deal_type_label(deal_type),
            "legendgroup": deal_type, "showlegend": False,
            "x": np.round(arrows[:, 0], 4).tolist(), "y": np.round(arrows[:, 1], 4).tolist(),
            "marker": {"symbol": "arrow", "size": 11, "angle": np.round(geometry.arrow_angles[rows[of_type]], 1).tolist(),
                       "color": [rgba(color, a) for a in alphas], "line": {"width": 0}},
            "customdata": [["deal", d] for d in sub["id"]],
            "hovertext": [_deal_hover(d, names) for d in sub.itertuples()],
            "hoverinfo": "text",
        })
        traces.append(_legend_entry(deal_type_label(deal_type), deal_type, "arrow-right", color))

    traces.extend(_node_traces(atlas, deals, bright_nodes if dimming else None, selected))
    return {"data": traces, "layout": _network_layout()}


def _node_traces(atlas: Atlas, deals: pd.DataFrame, bright: set[str] | None, selected: str | None) -> list[dict]:
    companies = atlas.dataset.companies
    involved = pd.Index(pd.unique(np.concatenate([deals["from_id"].to_numpy(), deals["to_id"].to_numpy()])))
    through = money_through(deals).reindex(involved, fill_value=0.0)
    peak = float(through.max()) or 1.0
    labelled = set(through.sort_values(ascending=False).index[:LABELS_SHOWN])
    deal_count = pd.concat([deals["from_id"], deals["to_id"]]).value_counts()
    traces = []
    for role in ROLES:
        ids = [cid for cid in involved if companies.at[cid, "primary_role"] == role]
        if not ids:
            continue
        style = ROLE_STYLE[role]
        x, y = zip(*(atlas.geometry.positions[cid] for cid in ids))
        sizes = [round(9 + 26 * math.sqrt(through[cid] / peak), 1) for cid in ids]
        opacity = [1.0 if bright is None or cid in bright else 0.2 for cid in ids]
        hover = [
            f"<b>{companies.at[cid, 'name']}</b><br>{', '.join(ROLES[r] for r in companies.at[cid, 'role_list'])}"
            f"<br>{deal_count.get(cid, 0)} deals in view · {money(through[cid]) if through[cid] else 'no stated $'} through it"
            for cid in ids
        ]
        labels = [companies.at[cid, "name"] if (cid in labelled or cid == selected or (bright and cid in bright)) else ""
                  for cid in ids]
        traces.append(_legend_entry(ROLES[role], "legend-role-" + role, style["symbol"], style["color"]))
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": ROLES[role], "legendgroup": "role-" + role,
            "showlegend": False,
            "x": list(x), "y": list(y), "text": labels, "textposition": "top center",
            "textfont": {"size": 11, "color": "#1f2933"},
            "marker": {"size": sizes, "color": style["color"], "symbol": style["symbol"], "opacity": opacity,
                       "line": {"width": [3 if cid == selected else 1 for cid in ids],
                                "color": ["#111111" if cid == selected else "#ffffff" for cid in ids]}},
            "customdata": [["company", cid] for cid in ids],
            "hovertext": hover, "hoverinfo": "text",
        })
    return traces


def _legend_entry(name: str, group: str, symbol: str, color: str) -> dict:
    """A point-less trace that only draws a full-colour legend item (dimmed data would grey it)."""
    return {"type": "scatter", "mode": "markers", "x": [None], "y": [None], "name": name, "legendgroup": group,
            "showlegend": True, "hoverinfo": "skip", "marker": {"symbol": symbol, "size": 11, "color": color}}


def _network_layout() -> dict:
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return {
        **LAYOUT,
        "xaxis": {**axis},
        "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": 11},
                   "itemclick": False, "itemdoubleclick": False},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "hovermode": "closest",
        "dragmode": "pan",
        "uirevision": "network",  # keep the user's zoom/pan across filter changes
    }
