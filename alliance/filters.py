"""Pure filtering of deals by a ViewState (the page and the API share it)."""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset
from .schema import STRONG_TIERS
from .viewstate import ViewState


def visible_companies(dataset: Dataset, roles: tuple[str, ...]) -> set[str]:
    """Companies holding at least one of the selected roles (Nvidia stays while 'chipmaker' is on)."""
    wanted = set(roles)
    return {cid for cid, rs in dataset.companies["role_list"].items() if wanted.intersection(rs)}


def filter_deals(dataset: Dataset, state: ViewState) -> pd.DataFrame:
    """Deals in view: type, time window, both parties' roles, money state (`money`), minimum amount and source strength.

    The result keeps the dataset's row index, which is also the index into the precomputed
    edge geometry. Focus and cycle highlighting only dim; they never remove deals.
    """
    deals = dataset.deals
    mask = deals["deal_type"].isin(state.types)
    mask &= deals["date"].between(pd.Timestamp(state.date_from), pd.Timestamp(state.date_to))
    if not set(dataset.companies["role_list"].explode()) <= set(state.roles):
        shown = visible_companies(dataset, state.roles)
        mask &= deals["from_id"].isin(shown) & deals["to_id"].isin(shown)
    if state.money != "all" and "money_state" in deals:
        keep = ("paid",) if state.money == "paid" else ("paid", "contracted")
        mask &= deals["money_state"].isin(keep)
    if state.min_amount > 0:
        mask &= deals["amount_usd"].fillna(-1.0) >= state.min_amount
    if state.sources == "strong":  # a primary or major page (alliance.sources.has_strong_page)
        mask &= deals["source_tier"].isin(STRONG_TIERS) | deals["second_source_tier"].isin(STRONG_TIERS)
    return deals[mask]
