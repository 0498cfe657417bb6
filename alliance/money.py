"""Which stated dollars count, and how a round's total is shown once.

A deal's amount enters a total only when it is money that reaches the receiving company: a
money-moving deal type, a stated amount, a one-off flow (not per-year, secondary or a
valuation) and a status that did not stall, fall through or get replaced by a later row.
Funding rounds with a known total (data/rounds.csv) count that total once, whatever their
investors' own shares are; an investor with an undisclosed share is "part of a $65B round".
Pure pandas, no Dash: the map, panels, exports and summary line all call these.
"""

from __future__ import annotations

import pandas as pd

from . import i18n
from .dataset import Dataset
from .ledger import MONEY_TYPES, build_ledger, live_mask


def counted_mask(deals: pd.DataFrame) -> pd.Series:
    """True where the row's own amount enters the totals (aligned with `deals`' index): a live
    row (alliance.ledger.live_mask) with a stated amount.

    A `superseded` deal counts only while the deal replacing it is not among `deals`: a view
    that ends before the replacement shows the money as it stood then, and a view holding both
    counts the chain once. Frames without `amount_kind`, `status` or `supersedes` columns
    (hand-made test frames) count as flows that did not stall.
    """
    return (live_mask(deals) & deals["amount_usd"].notna()).astype(bool)


def counted_amounts(deals: pd.DataFrame) -> pd.Series:
    """amount_usd where it counts, NaN elsewhere: drop-in for summing `amount_usd`."""
    return deals["amount_usd"].where(counted_mask(deals))


def money_by_type(deals: pd.DataFrame, company: str, dataset: Dataset | None = None, ledger=None) -> pd.DataFrame:
    """Per money-moving deal type (legend order): counted dollars into and out of `company`
    (`in_sum`, `out_sum`: the ledger's, so a round with a known total gives its company that
    total once when `dataset` is given), its deals each way (`in_deals`, `out_deals`) and how
    many of those state no amount (`in_undisclosed`, `out_undisclosed`). Model distribution
    and restructuring move no money, so they get no row."""
    deals = deals.assign(undisclosed=deals["amount_usd"].isna())

    def side(rows: pd.DataFrame, prefix: str) -> pd.DataFrame:
        by_type = rows.groupby("deal_type")
        return pd.DataFrame({f"{prefix}_deals": by_type.size(), f"{prefix}_undisclosed": by_type["undisclosed"].sum()})

    table = (
        side(deals[deals["to_id"] == company], "in")
        .join(side(deals[deals["from_id"] == company], "out"), how="outer")
        .fillna(0)
    )
    sums = (ledger if ledger is not None else build_ledger(deals, dataset)).by_type(company)
    table = table.join(sums.rename(columns={"in": "in_sum", "out": "out_sum"}), how="left").fillna(0)
    table = table[["in_sum", "in_deals", "in_undisclosed", "out_sum", "out_deals", "out_undisclosed"]]
    return table.reindex([t for t in MONEY_TYPES if t in table.index])  # legend order, money types only


def _round_of(deal, dataset: Dataset):
    group = deal["group_id"] if "group_id" in deal else ""
    rounds = dataset.rounds
    if not group or rounds is None or group not in rounds.index:
        return None
    return rounds.loc[group]


def round_note(deal_row, dataset: Dataset, lang: str | None = None) -> str | None:
    """'part of a $65B round' for an investor in a round whose total is known, else None.

    `deal_row` is one row of dataset.deals (a Series or a namedtuple from itertuples).
    """
    deal = deal_row._asdict() if hasattr(deal_row, "_asdict") else deal_row
    found = _round_of(deal, dataset)
    if found is None:
        return None
    qualifier = found["qualifier"] if found["qualifier"] in ("up_to", "about") else "exact"
    return i18n.t(lang, f"round.{qualifier}", amount=i18n.money(found["total_usd"], lang))


def stated_total(deals: pd.DataFrame, dataset: Dataset) -> tuple[float, int]:
    """(dollars, deals with no dollars) for a summary line: the ledger's total (each round total
    once, none of its investors' own shares) and the deals in view that add nothing because no
    amount is stated and no round total covers them."""
    ledger = build_ledger(deals, dataset)
    outside = deals[ledger.deals["round_id"] == ""]
    return ledger.total(), int(outside["amount_usd"].isna().sum())


def not_counted(deals: pd.DataFrame) -> int:
    """Deals whose stated amount is left out of totals (replaced, cancelled, secondary, …)."""
    return int((deals["amount_usd"].notna() & ~counted_mask(deals)).sum())


def summary_line(deals: pd.DataFrame, dataset: Dataset, lang: str | None = None, ledger=None) -> str:
    """The map's summary: deals in view, dollars counted once and how much of it is paid,
    contracted or conditional (the ledger's: `ledger` when the caller has it built), and what
    was left out and why."""
    ledger = ledger if ledger is not None else build_ledger(deals, dataset)
    total = ledger.total()
    undisclosed = int(deals.loc[ledger.deals["round_id"] == "", "amount_usd"].isna().sum())
    return i18n.summary_line(total, len(deals), undisclosed, not_counted(deals), lang, ledger.total_by_state())
