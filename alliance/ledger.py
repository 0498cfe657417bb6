"""The one ledger: what each company receives and pays in a view, split by money state.

Every surface that shows a company's money reads this module: the map's node sizes (through
the map data), the panel, the summary line, /api/companies, the exports, the feed and preview
cards and the stress test (alliance.exposure). The rules are data/README.md's:

- a deal's own amount counts when alliance.money.counted_mask says so (money-moving type, a
  stated one-off flow, not stalled, cancelled or replaced by a later row in view);
- a funding round with a known total (data/rounds.csv) gives its company that total once,
  whenever any of its investors' rows is live in view, and none of its investors' shares on
  top. Investors still pay their own stated shares (an undisclosed share pays nothing known),
  so a round's receiver can show more money in than its listed investors show out;
- each counted amount carries one money state (`paid`, `contracted`, `conditional`; the
  deals.csv column `money_state`). A round's total takes its investors' stated shares in their
  own states and the rest (investors off the map or undisclosed shares) in the state of its
  rows without a stated share, the least firm of them (else of all its live rows).

Entries are signed per side: every counted dollar appears once as "in" for its receiver and,
when a payer is known, once as "out" for its payer. Pure pandas, no Dash.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .dataset import Dataset
from .schema import DEAL_TYPES, MONEY_STATES, UNCOUNTED_STATUSES

MONEY_TYPES = tuple(t for t, spec in DEAL_TYPES.items() if spec["money"])
STATE_RANK = {state: rank for rank, state in enumerate(MONEY_STATES)}  # paid < contracted < conditional
ENTRY_COLUMNS = ("company", "side", "deal_type", "state", "usd", "deal_id", "round_id")

# Words in a row's summary that make an unsplit amount conditional (see implied_state).
CONDITIONAL_WORDS = ("letter of intent", "memorandum of understanding", "non-binding", "nonbinding",
                     "term sheet", "in talks", "talks to", "plans to", "intends to", "option to", "milestone")


def live_mask(deals: pd.DataFrame) -> pd.Series:
    """True where a row may enter totals apart from its amount: money-moving type, a one-off
    flow, and a status that did not stall, fall through or get replaced by a row in view.

    A `superseded` row stays live while the row replacing it is not among `deals`. Frames
    without `amount_kind`, `status` or `supersedes` (hand-made test frames) count as live flows.
    """
    blank = pd.Series("", index=deals.index)
    kind = deals["amount_kind"].fillna("") if "amount_kind" in deals else blank
    status = deals["status"].fillna("") if "status" in deals else blank
    live = ~status.isin(UNCOUNTED_STATUSES)
    if "supersedes" in deals and "id" in deals:
        replaced_in_view = set(deals["supersedes"].dropna()) - {""}
        live |= status.eq("superseded") & ~deals["id"].isin(replaced_in_view)
    return (deals["deal_type"].isin(MONEY_TYPES) & kind.replace("", "flow").eq("flow") & live).astype(bool)


def implied_state(deal_type: str, status: str, qualifier: str, summary: str = "") -> str:
    """The money state a row's status, type and wording imply when no source splits it:

    - reported (unconfirmed), "up to" amounts, and letters of intent, talks, options or
      milestones in the summary: conditional;
    - completed equity, acquisitions, licensing, loans and joint-venture stakes: paid;
    - everything else signed (compute, cloud and chip purchases; deals announced, not closed):
      contracted.
    """
    text = (summary or "").lower()
    if status == "reported" or qualifier == "up_to" or any(w in text for w in CONDITIONAL_WORDS):
        return "conditional"
    if status == "completed" and deal_type not in ("compute_commitment", "chip_supply"):
        return "paid"
    return "contracted"


def default_money_state(rec) -> str:
    """The state a raw CSV row (a dict of strings) gets when none is recorded: blank where its
    amount can never count (alliance.dataset's rule), else implied_state. For tools and tests."""
    can_count = (DEAL_TYPES.get(rec.get("deal_type", ""), {}).get("money", False)
                 and (rec.get("amount_kind") or "flow") == "flow" and rec.get("status") not in ("stalled", "cancelled"))
    if not can_count:
        return ""
    return implied_state(rec.get("deal_type", ""), rec.get("status", ""), rec.get("amount_qualifier", ""),
                         rec.get("summary", ""))


def money_states(deals: pd.DataFrame) -> pd.Series:
    """Each row's `money_state` as recorded (the loader checked it); frames without the column
    (hand-made test frames) get the state each row's status, type and wording imply."""
    if "money_state" in deals:
        return deals["money_state"].fillna("")
    col = lambda name, default: deals[name].fillna(default) if name in deals else pd.Series(default, index=deals.index)  # noqa: E731
    implied = [implied_state(t, s, q, m) for t, s, q, m in zip(deals["deal_type"], col("status", "completed"),
                                                                col("amount_qualifier", "exact"), col("summary", ""))]
    return pd.Series(implied, index=deals.index, dtype=object)


@dataclass(frozen=True)
class Ledger:
    """The view's counted money. `entries` has one row per side of each counted amount
    (ENTRY_COLUMNS); `deals` is the view's deal rows with `counted_usd` (NaN where the row's
    own amount does not count), `state` ('' where it cannot count) and `round_id` ('' outside a
    round with a known total)."""

    entries: pd.DataFrame
    deals: pd.DataFrame

    def totals(self) -> pd.DataFrame:
        """Per company (index) with any counted money: in_usd, out_usd and each side per state
        (in_paid, in_contracted, in_conditional, out_paid, …), in dollars."""
        columns = [f"{side}_{s}" for side in ("in", "out") for s in ("usd",) + MONEY_STATES]
        if self.entries.empty:
            return pd.DataFrame(columns=columns, dtype=float)
        table = self.entries.pivot_table(index="company", columns=["side", "state"], values="usd",
                                         aggfunc="sum", fill_value=0.0)
        out = pd.DataFrame(index=table.index)
        for side in ("in", "out"):
            for s in MONEY_STATES:
                out[f"{side}_{s}"] = table[(side, s)] if (side, s) in table.columns else 0.0
            out[f"{side}_usd"] = sum(out[f"{side}_{s}"] for s in MONEY_STATES)
        return out[columns].astype(float)

    def company(self, company: str) -> dict:
        """{"in": {"total", "paid", "contracted", "conditional"}, "out": {...}} in dollars."""
        mine = self.entries[self.entries["company"] == company]
        result = {}
        for side in ("in", "out"):
            rows = mine[mine["side"] == side]
            by_state = rows.groupby("state")["usd"].sum()
            result[side] = {"total": float(rows["usd"].sum()),
                            **{s: float(by_state.get(s, 0.0)) for s in MONEY_STATES}}
        return result

    def by_type(self, company: str) -> pd.DataFrame:
        """Per money-moving deal type (legend order): the company's counted dollars in and out."""
        mine = self.entries[self.entries["company"] == company]
        table = mine.pivot_table(index="deal_type", columns="side", values="usd", aggfunc="sum", fill_value=0.0)
        for side in ("in", "out"):
            if side not in table:
                table[side] = 0.0
        return table.reindex([t for t in MONEY_TYPES if t in table.index])[["in", "out"]]

    def through(self) -> pd.Series:
        """Dollars each company receives plus pays (node size on the map), by company id."""
        return self.entries.groupby("company")["usd"].sum().astype(float)

    def total(self) -> float:
        """All counted money in view (every dollar once, on its receiving side)."""
        return float(self.entries.loc[self.entries["side"] == "in", "usd"].sum())

    def total_by_state(self) -> dict[str, float]:
        received = self.entries[self.entries["side"] == "in"]
        by_state = received.groupby("state")["usd"].sum()
        return {s: float(by_state.get(s, 0.0)) for s in MONEY_STATES}


def build_ledger(deals: pd.DataFrame, dataset: Dataset | None = None) -> Ledger:
    """The ledger of `deals` (rows of dataset.deals in view); `dataset` supplies round totals."""
    rounds = dataset.rounds if dataset is not None and dataset.rounds is not None else pd.DataFrame()
    live = live_mask(deals)
    counted = deals["amount_usd"].where(live & deals["amount_usd"].notna())
    states = money_states(deals).where(live, "")
    group = deals["group_id"].fillna("") if "group_id" in deals else pd.Series("", index=deals.index)
    in_round = group.isin(rounds.index) if len(rounds) else pd.Series(False, index=deals.index)
    round_id = group.where(in_round, "")
    frame = deals.assign(counted_usd=counted, state=states, round_id=round_id)

    has = frame[frame["counted_usd"].notna()]
    parts = [
        # every counted row: its payer's outflow
        pd.DataFrame({"company": has["from_id"], "side": "out", "deal_type": has["deal_type"], "state": has["state"],
                      "usd": has["counted_usd"], "deal_id": has["id"], "round_id": has["round_id"]}),
    ]
    plain = has[has["round_id"] == ""]
    parts.append(pd.DataFrame({"company": plain["to_id"], "side": "in", "deal_type": plain["deal_type"],
                               "state": plain["state"], "usd": plain["counted_usd"], "deal_id": plain["id"],
                               "round_id": ""}))
    rows = []
    for rid, members in frame[(frame["round_id"] != "") & live].groupby("round_id", sort=True):
        total = float(rounds.at[rid, "total_usd"])
        receiver = rounds.at[rid, "company_id"]
        shares = members[members["counted_usd"].notna()]
        for share in shares.itertuples(index=False):
            rows.append((receiver, "in", share.deal_type, share.state, float(share.counted_usd), share.id, rid))
        rest = total - float(shares["counted_usd"].sum())
        if rest > 0:
            unstated = members[members["counted_usd"].isna()]
            pool = unstated if len(unstated) else members
            state = max(pool["state"], key=lambda s: STATE_RANK.get(s, 0))
            rows.append((receiver, "in", "equity_investment" if "equity_investment" in set(members["deal_type"])
                         else members["deal_type"].iloc[0], state, rest, "", rid))
    if rows:
        parts.append(pd.DataFrame(rows, columns=list(ENTRY_COLUMNS)))
    entries = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame(columns=list(ENTRY_COLUMNS))
    entries["usd"] = entries["usd"].astype(float)
    return Ledger(entries=entries.reset_index(drop=True), deals=frame)
