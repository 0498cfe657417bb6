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
from .schema import DEAL_TYPES, UNCOUNTED_STATUSES
from .text import money

MONEY_TYPES = tuple(t for t, spec in DEAL_TYPES.items() if spec["money"])


def counted_mask(deals: pd.DataFrame) -> pd.Series:
    """True where the row's amount enters the totals (aligned with `deals`' index).

    A `superseded` deal counts only while the deal replacing it is not among `deals`: a view
    that ends before the replacement shows the money as it stood then, and a view holding both
    counts the chain once. Frames without `amount_kind`, `status` or `supersedes` columns
    (hand-made test frames) count as flows that did not stall.
    """
    blank = pd.Series("", index=deals.index)
    kind = deals["amount_kind"].fillna("") if "amount_kind" in deals else blank
    status = deals["status"].fillna("") if "status" in deals else blank
    live = ~status.isin(UNCOUNTED_STATUSES)
    if "supersedes" in deals and "id" in deals:
        replaced_in_view = set(deals["supersedes"].dropna()) - {""}
        live |= status.eq("superseded") & ~deals["id"].isin(replaced_in_view)
    return (deals["deal_type"].isin(MONEY_TYPES)
            & deals["amount_usd"].notna()
            & kind.replace("", "flow").eq("flow")
            & live).astype(bool)


def counted_amounts(deals: pd.DataFrame) -> pd.Series:
    """amount_usd where it counts, NaN elsewhere: drop-in for summing `amount_usd`."""
    return deals["amount_usd"].where(counted_mask(deals))


def money_by_type(deals: pd.DataFrame, company: str) -> pd.DataFrame:
    """Per money-moving deal type (legend order): counted dollars into and out of `company`
    (`in_sum`, `out_sum`), its deals each way (`in_deals`, `out_deals`) and how many of those
    state no amount (`in_undisclosed`, `out_undisclosed`). Model distribution and restructuring
    move no money, so they get no row."""
    deals = deals.assign(counted=counted_amounts(deals), undisclosed=deals["amount_usd"].isna())

    def side(rows: pd.DataFrame, prefix: str) -> pd.DataFrame:
        by_type = rows.groupby("deal_type")
        return pd.DataFrame({f"{prefix}_sum": by_type["counted"].sum(), f"{prefix}_deals": by_type.size(),
                             f"{prefix}_undisclosed": by_type["undisclosed"].sum()})

    table = side(deals[deals["to_id"] == company], "in").join(side(deals[deals["from_id"] == company], "out"),
                                                               how="outer").fillna(0)
    return table.reindex([t for t in MONEY_TYPES if t in table.index])  # legend order, money types only


def _round_of(deal, dataset: Dataset):
    group = deal["group_id"] if "group_id" in deal else ""
    rounds = dataset.rounds
    if not group or rounds is None or group not in rounds.index:
        return None
    return rounds.loc[group]


def round_phrase(total_usd: float, qualifier: str) -> str:
    """'a $65B round', 'a round of up to $40B', 'a round of about $2B'."""
    if qualifier == "up_to":
        return f"a round of up to {money(total_usd)}"
    if qualifier == "about":
        return f"a round of about {money(total_usd)}"
    return f"a {money(total_usd)} round"


def round_note(deal_row, dataset: Dataset, lang: str | None = None) -> str | None:
    """'part of a $65B round' for an investor in a round whose total is known, else None.

    `deal_row` is one row of dataset.deals (a Series or a namedtuple from itertuples).
    """
    deal = deal_row._asdict() if hasattr(deal_row, "_asdict") else deal_row
    found = _round_of(deal, dataset)
    if found is None:
        return None
    if lang:
        qualifier = found["qualifier"] if found["qualifier"] in ("up_to", "about") else "exact"
        return i18n.t(lang, f"round.{qualifier}", amount=i18n.money(found["total_usd"], lang))
    return f"part of {round_phrase(found['total_usd'], found['qualifier'])}"


def stated_total(deals: pd.DataFrame, dataset: Dataset) -> tuple[float, int]:
    """(dollars, deals with no dollars) for a summary line, each round total counted once.

    Deals in a round with a known total add that total once (when any of them is in view) and
    none of their own shares; other deals add their counted amounts. The second number counts
    the deals in view that add nothing because no amount is stated and no round total covers them.
    """
    rounds = dataset.rounds if dataset.rounds is not None else pd.DataFrame()
    in_round = deals["group_id"].isin(rounds.index) if len(rounds) else pd.Series(False, index=deals.index)
    outside = deals[~in_round]
    total = float(counted_amounts(outside).sum())
    round_ids = sorted(set(deals.loc[in_round, "group_id"]))
    total += float(rounds.loc[round_ids, "total_usd"].sum()) if round_ids else 0.0
    undisclosed = int(outside["amount_usd"].isna().sum())
    return total, undisclosed


def not_counted(deals: pd.DataFrame) -> int:
    """Deals whose stated amount is left out of totals (replaced, cancelled, secondary, …)."""
    return int((deals["amount_usd"].notna() & ~counted_mask(deals)).sum())


def summary_line(deals: pd.DataFrame, dataset: Dataset, lang: str | None = None) -> str:
    """The map's summary: deals in view, dollars counted once, and what was left out and why."""
    total, undisclosed = stated_total(deals, dataset)
    if lang:
        return i18n.summary_line(total, len(deals), undisclosed, not_counted(deals), lang)
    text = f"{len(deals)} deals in view · {money(total) if total else '$0'} in stated amounts"
    extras = []
    if undisclosed:
        extras.append(f"+{undisclosed} undisclosed")
    skipped = not_counted(deals)
    if skipped:
        extras.append(f"{skipped} replaced, cancelled or not paid to the company, not counted")
    if extras:
        text += f" ({'; '.join(extras)})"
    return text + "."
