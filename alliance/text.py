"""Human wording for amounts, dates and deals, shared by hover text, panels and exports."""

from __future__ import annotations

import math

from .schema import DEAL_TYPES, QUALIFIERS


def money(amount: float) -> str:
    """$10B, $650M, $1.25B, $1.4T."""
    for divisor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if amount >= divisor:
            value = amount / divisor
            text = f"{value:.2f}".rstrip("0").rstrip(".")
            return f"${text}{suffix}"
    return f"${amount:,.0f}"


def amount_as_stated(amount: float | None, qualifier: str) -> str:
    """'up to $10B', 'about $2.7B', '$38B' or 'undisclosed' — the qualifier always kept."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "undisclosed"
    return f"{QUALIFIERS.get(qualifier, '')}{money(amount)}"


def gigawatts(gw: float | None) -> str:
    if gw is None or (isinstance(gw, float) and math.isnan(gw)):
        return ""
    return f"{gw:g} GW"


def deal_type_label(deal_type: str) -> str:
    return DEAL_TYPES.get(deal_type, {"label": deal_type})["label"]


def deal_hover(deal, names, note: str | None = None) -> str:
    """Hover text of one deal (a row from DataFrame.itertuples), built once per dataset.

    `note` qualifies the amount, e.g. "part of a $65B round" for an undisclosed share.
    """
    amount = amount_as_stated(deal.amount_usd, deal.amount_qualifier)
    parts = [
        f"<b>{names[deal.from_id]} → {names[deal.to_id]}</b>",
        f"{deal_type_label(deal.deal_type)} · {amount}{f', {note}' if note else ''}",
    ]
    if gw := gigawatts(deal.compute_gw):
        parts.append(gw)
    parts.append(f"{deal.date:%d %b %Y} · {deal.status}")
    return "<br>".join(parts)


def deal_headline(deal, names) -> str:
    """'Microsoft → IREN: Compute / cloud commitment, $9.7B' (a feed entry, a shared deal link)."""
    amount = amount_as_stated(deal.amount_usd, deal.amount_qualifier)
    return f"{names[deal.from_id]} → {names[deal.to_id]}: {deal_type_label(deal.deal_type)}, {amount}"


def date_range_label(date_from, date_to) -> str:
    """'Nov 2025' for one month, 'Jan 2025 – Jun 2026' otherwise (the view's window)."""
    first, last = f"{date_from:%b %Y}", f"{date_to:%b %Y}"
    return first if first == last else f"{first} – {last}"


def view_title(state) -> str:
    """The map's heading for a view; also the share card's og:title."""
    return f"Who funds, supplies and hosts whom · {date_range_label(state.date_from, state.date_to)}"


def view_description(deals, state, total_usd: float) -> str:
    """One line for link previews: '13 deals · $152.5B stated · Nov 2025'.

    `total_usd` is the view's money counted once (alliance.money.stated_total).
    """
    count = f"{len(deals)} deal" + ("" if len(deals) == 1 else "s")
    total = money(total_usd) if total_usd else "$0"
    parts = [count, f"{total} stated", date_range_label(state.date_from, state.date_to)]
    if 0 < len(state.types) <= 3 and len(state.types) < len(DEAL_TYPES):
        parts.append(", ".join(deal_type_label(t) for t in state.types))
    return " · ".join(parts)
