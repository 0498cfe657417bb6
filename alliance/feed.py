"""An Atom 1.0 feed of the most recently announced deals, built with xml.etree (so it escapes).

Entry ids are urn:uuid values derived from the deal id alone, so they stay the same whatever
host serves the feed, and a reader never shows one deal twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pandas as pd

from . import i18n
from .dataset import Dataset
from .i18n import t
from .schema import DEAL_TYPES
from .sharing import FEED_PATH, SITE_NAME
from .text import deal_headline

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_LANG = "en"  # the feed's words (the catalog's); its deal summaries are the data's English
FEED_LIMIT = 50
FEED_ORDERS = ("announced", "added")  # `order`: newest announcement first, or newest entry into the dataset first
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ai-alliance-map")


def recent_deals(deals: pd.DataFrame, limit: int = FEED_LIMIT) -> pd.DataFrame:
    """The `limit` most recently announced deals, newest first (ties by id, for a stable order)."""
    return deals.sort_values(["date", "id"], ascending=[False, False]).head(limit)


def entry_order(deals: pd.DataFrame, limit: int = FEED_LIMIT) -> pd.DataFrame:
    """The `limit` deals that entered the dataset last, newest entry first: by `added_on`, then by
    CSV line (`entry`: rows are appended, so a later line entered later), so a late-found older
    deal still reaches subscribers."""
    return deals.sort_values(["added_on", "entry"], ascending=[False, False]).head(limit)


def _stamp(day) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def feed_title(types: tuple[str, ...], lang: str = FEED_LANG) -> str:
    if 0 < len(types) <= 3 and len(types) < len(DEAL_TYPES):
        return t(lang, "feed.title_types", site=SITE_NAME, types=", ".join(i18n.deal_type(k, lang) for k in types))
    return t(lang, "feed.title", site=SITE_NAME)


def atom_feed(
    dataset: Dataset,
    deals: pd.DataFrame,
    *,
    base_url: str,
    query: str,
    types: tuple[str, ...] = tuple(DEAL_TYPES),
    limit: int = FEED_LIMIT,
    order: str = "announced",
) -> bytes:
    """The feed document for the deals in view (already filtered); query is the normalized one
    (with `order=added` in it when given). order='added': entries in the order deals entered the
    dataset, each published on its `added_on` day and updated on its `checked_on` day."""
    base = base_url.rstrip("/")
    names = dataset.companies["name"]
    by_entry = order == "added"
    recent = entry_order(deals, limit) if by_entry else recent_deals(deals, limit)
    if by_entry:
        days = pd.to_datetime(pd.concat([recent["added_on"], recent["checked_on"]]), format="%Y-%m-%d")
        newest = days.max() if len(recent) else None
    else:
        newest = recent["date"].max() if len(recent) else None
    checked = pd.Timestamp(dt.date.fromisoformat(dataset.as_of))
    updated = max(newest, checked) if newest is not None else checked

    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(feed, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'feed' + query)}")
    _sub(feed, "title", feed_title(types))
    _sub(
        feed,
        "subtitle",
        "Deals between AI investors, labs, clouds and chipmakers, "
        + ("in the order they entered the dataset, newest first, " if by_entry else "newest announcement first, ")
        + "each with the page it was taken from.",
    )
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", t(FEED_LANG, "feed.author", site=SITE_NAME))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}{FEED_PATH}{query}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/{query}")
    _sub(feed, "generator", SITE_NAME)

    for deal in recent.itertuples():
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'deal/' + deal.id)}")
        _sub(entry, "title", deal_headline(deal, names, FEED_LANG))
        if by_entry:
            _sub(entry, "updated", _stamp(max(deal.added_on, deal.checked_on)))
            _sub(entry, "published", _stamp(deal.added_on))
        else:
            _sub(entry, "updated", _stamp(deal.date))
            _sub(entry, "published", _stamp(deal.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{base}/?deal={quote(deal.id)}")
        _sub(entry, "link", rel="related", href=deal.source_url, title=deal.source_name or None)
        if deal.second_source_url:
            _sub(entry, "link", rel="related", href=deal.second_source_url)
        _sub(entry, "category", term=deal.deal_type, label=i18n.deal_type(deal.deal_type, FEED_LANG))
        state = getattr(deal, "money_state", "") or ""  # paid | contracted | conditional (data/README.md)
        status = i18n.status(deal.status, FEED_LANG)
        words = {"summary": deal.summary, "status": status, "state": state, "source": deal.source_name}
        _sub(entry, "summary", t(FEED_LANG, "feed.summary_state" if state else "feed.summary", **words), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
