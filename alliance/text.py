"""Hover texts, headlines, titles and share descriptions of deals and views, shared by the map,
panels, feed and link previews. Every word, amount and date in them comes from alliance/i18n.py
(the catalog), in the reader's language."""

from __future__ import annotations

from . import i18n
from .schema import DEAL_TYPES


def data_text(english: str, russian: str, lang: str | None) -> tuple[str, str]:
    """A data text in the reader's language and the language it is in: the Russian version for
    `ru` when there is one, else the English (the data's own language) — never an empty text."""
    if lang == "ru" and isinstance(russian, str) and russian.strip():
        return russian, "ru"
    return english, "en"


def wrap(text: str, width: int = 60, lines: int = 3) -> str:
    """Hover text on at most `lines` lines of about `width` characters, joined by <br> (… when cut)."""
    out, line = [], ""
    for word in (text or "").split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(".,;:") + "…"
    return "<br>".join(out)


def deal_hover(deal, names, note: str | None = None, lang: str = "en") -> str:
    """Hover text of one deal (a row from DataFrame.itertuples), built once per dataset and language.

    `note` qualifies the amount, e.g. "part of a $65B round" for an undisclosed share.
    """
    amount = i18n.amount_as_stated(deal.amount_usd, deal.amount_qualifier, lang)
    parts = [
        f"<b>{names[deal.from_id]} → {names[deal.to_id]}</b>",
        f"{i18n.deal_type(deal.deal_type, lang)} · {amount}{f', {note}' if note else ''}",
    ]
    if not i18n.is_missing(deal.compute_gw):
        parts.append(i18n.t(lang, "gw", value=i18n.number(deal.compute_gw, lang)))
    parts.append(f"{i18n.short_date(deal.date, lang)} · {i18n.status(deal.status, lang)}")
    return "<br>".join(parts)


def deal_headline(deal, names, lang: str | None = None) -> str:
    """'Microsoft → IREN: Compute / cloud commitment, $9.7B' (a feed entry, a shared deal link)."""
    amount = i18n.amount_as_stated(deal.amount_usd, deal.amount_qualifier, lang)
    return f"{names[deal.from_id]} → {names[deal.to_id]}: {i18n.deal_type(deal.deal_type, lang)}, {amount}"


def view_title(state) -> str:
    """The map's heading for a view; also the share card's og:title (in the link's language)."""
    return i18n.view_title(state.date_from, state.date_to, getattr(state, "lang", None))


def view_description(deals, state, total_usd: float) -> str:
    """One line for link previews: '13 deals · $152.5B stated · Nov 2025' (in the link's language).

    `total_usd` is the view's money counted once (alliance.money.stated_total).
    """
    lang = i18n.resolve(getattr(state, "lang", None))
    parts = [
        i18n.count(lang, "share.description", len(deals)),
        i18n.t(lang, "share.stated", total=i18n.money(total_usd or 0, lang)),
        i18n.date_range(state.date_from, state.date_to, lang),
    ]
    if 0 < len(state.types) <= 3 and len(state.types) < len(DEAL_TYPES):
        parts.append(", ".join(i18n.deal_type(t, lang) for t in state.types))
    return " · ".join(parts)
