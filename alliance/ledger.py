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

import numpy as np
import pandas as pd

from .dataset import Dataset
from .schema import DEAL_TYPES, MONEY_STATES, UNCOUNTED_STATUSES

MONEY_TYPES = tuple(t for t, spec in DEAL_TYPES.items() if spec["money"])
STATE_RANK = {state: rank for rank, state in enumerate(MONEY_STATES)}  # paid < contracted < conditional
ENTRY_COLUMNS = ("company", "side", "deal_type", "state", "usd", "deal_id", "round_id", "date")

# Words in a row's summary that make an unsplit amount conditional (see implied_state).
CONDITIONAL_WORDS = (
    "letter of intent",
    "memorandum of understanding",
    "non-binding",
    "nonbinding",
    "term sheet",
    "in talks",
    "talks to",
    "plans to",
    "intends to",
    "option to",
    "milestone",
)


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
    can_count = (
        DEAL_TYPES.get(rec.get("deal_type", ""), {}).get("money", False)
        and (rec.get("amount_kind") or "flow") == "flow"
        and rec.get("status") not in ("stalled", "cancelled")
    )
    if not can_count:
        return ""
    return implied_state(
        rec.get("deal_type", ""), rec.get("status", ""), rec.get("amount_qualifier", ""), rec.get("summary", "")
    )


def money_states(deals: pd.DataFrame, where: pd.Series | None = None) -> pd.Series:
    """Each row's `money_state` as recorded (the loader checked it); blank cells and frames
    without the column (hand-made test frames) get the state each row's status, type and
    wording imply, on the rows `where` selects (all rows when None; the ledger asks only for
    the rows that count)."""
    given = deals["money_state"].fillna("") if "money_state" in deals else pd.Series("", index=deals.index)
    blank = ~given.isin(MONEY_STATES)
    if where is not None:
        blank &= where
    if not blank.any():
        return given
    rows = deals[blank]
    col = lambda name, default: rows[name].fillna(default) if name in rows else pd.Series(default, index=rows.index)  # noqa: E731
    implied = pd.Series(
        [
            implied_state(t, s, q, m)
            for t, s, q, m in zip(
                rows["deal_type"],
                col("status", "completed"),
                col("amount_qualifier", "exact"),
                col("summary", ""),
                strict=True,
            )
        ],
        index=rows.index,
        dtype=object,
    )
    return given.where(~blank, implied.reindex(given.index))


@dataclass(frozen=True)
class Ledger:
    """The view's counted money. `entries` has one row per side of each counted amount
    (ENTRY_COLUMNS); `deals` has one row per deal in view (same index): id, from_id, to_id,
    deal_type, compute_gw, `counted_usd` (NaN where the row's own amount does not count),
    `state` ('' where it cannot count) and `round_id` ('' outside a round with a known total)."""

    entries: pd.DataFrame
    deals: pd.DataFrame

    def totals(self) -> pd.DataFrame:
        """Per company (index) with any counted money: in_usd, out_usd and each side per state
        (in_paid, in_contracted, in_conditional, out_paid, …), in dollars."""
        columns = [f"{side}_{s}" for side in ("in", "out") for s in ("usd",) + MONEY_STATES]
        e = self.entries
        if e.empty:
            return pd.DataFrame(columns=columns, dtype=float)
        codes, companies = pd.factorize(e["company"], sort=False)
        side = (e["side"].to_numpy() == "out").astype(int)
        state = e["state"].map(STATE_RANK).fillna(0).to_numpy(dtype=int)
        usd = e["usd"].to_numpy(dtype=float)
        table = np.zeros((len(companies), 8))
        np.add.at(table, (codes, side * 4), usd)  # in_usd / out_usd
        np.add.at(table, (codes, side * 4 + 1 + state), usd)  # per state
        return pd.DataFrame(table, index=pd.Index(companies, dtype=object), columns=columns)

    def company(self, company: str) -> dict:
        """{"in": {"total", "paid", "contracted", "conditional"}, "out": {...}} in dollars."""
        mine = self.entries[self.entries["company"] == company]
        result = {}
        for side in ("in", "out"):
            rows = mine[mine["side"] == side]
            by_state = rows.groupby("state")["usd"].sum()
            result[side] = {"total": float(rows["usd"].sum()), **{s: float(by_state.get(s, 0.0)) for s in MONEY_STATES}}
        return result

    def by_type(self, company: str) -> pd.DataFrame:
        """Per money-moving deal type (legend order): the company's counted dollars in and out."""
        mine = self.entries[self.entries["company"] == company]
        sums: dict[str, dict[str, float]] = {}
        for kind, side, usd in zip(mine["deal_type"], mine["side"], mine["usd"], strict=True):
            sums.setdefault(kind, {"in": 0.0, "out": 0.0})[side] += usd
        table = pd.DataFrame.from_dict(sums, orient="index", columns=["in", "out"], dtype=float)
        return table.reindex([t for t in MONEY_TYPES if t in table.index])

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
    totals = dict(zip(rounds.index, rounds["total_usd"], strict=True)) if len(rounds) else {}
    receivers = dict(zip(rounds.index, rounds["company_id"], strict=True)) if len(rounds) else {}
    live_rows = live_mask(deals)
    live = live_rows.to_numpy(dtype=bool)
    amount = deals["amount_usd"].to_numpy(dtype=float)
    counted = np.where(live & ~np.isnan(amount), amount, np.nan)
    states = np.where(live, money_states(deals, live_rows).to_numpy(dtype=object), "")
    group = (
        deals["group_id"].fillna("").to_numpy(dtype=object) if "group_id" in deals else np.full(len(deals), "", object)
    )
    round_id = np.array([g if g in totals else "" for g in group], dtype=object)
    frame = pd.DataFrame({c: deals[c] for c in ("id", "from_id", "to_id", "deal_type", "compute_gw") if c in deals})
    frame = frame.assign(counted_usd=counted, state=states, round_id=round_id)

    payers, receivers_, kinds, ids = (deals[c].to_numpy(dtype=object) for c in ("from_id", "to_id", "deal_type", "id"))
    dates = deals["date"].to_numpy() if "date" in deals else np.full(len(deals), np.datetime64("NaT", "ns"))
    has = ~np.isnan(counted)
    plain = has & (round_id == "")
    parts = [
        # every counted row: its payer pays its own amount
        pd.DataFrame(
            {
                "company": payers[has],
                "side": "out",
                "deal_type": kinds[has],
                "state": states[has],
                "usd": counted[has],
                "deal_id": ids[has],
                "round_id": round_id[has],
                "date": dates[has],
            }
        ),
        # outside a round with a known total, its receiver gets it
        pd.DataFrame(
            {
                "company": receivers_[plain],
                "side": "in",
                "deal_type": kinds[plain],
                "state": states[plain],
                "usd": counted[plain],
                "deal_id": ids[plain],
                "round_id": "",
                "date": dates[plain],
            }
        ),
    ]
    rows: list[tuple] = []
    members: dict[str, list[int]] = {}
    for i in np.flatnonzero((round_id != "") & live):
        members.setdefault(round_id[i], []).append(int(i))
    for rid in sorted(members):
        at = members[rid]
        receiver = receivers[rid]
        shares = [i for i in at if counted[i] == counted[i]]
        for i in shares:
            rows.append((receiver, "in", kinds[i], states[i], float(counted[i]), ids[i], rid, dates[i]))
        rest = float(totals[rid]) - sum(float(counted[i]) for i in shares)
        if rest > 0:
            pool = [i for i in at if counted[i] != counted[i]] or at
            state = max((states[i] for i in pool), key=lambda s: STATE_RANK.get(s, 0))
            kind = "equity_investment" if any(kinds[i] == "equity_investment" for i in at) else kinds[at[0]]
            rows.append((receiver, "in", kind, state, rest, "", rid, min(dates[i] for i in at)))  # its first row's day
    parts.append(pd.DataFrame(rows, columns=list(ENTRY_COLUMNS)))
    entries = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(columns=list(ENTRY_COLUMNS))
    )
    entries["usd"] = entries["usd"].astype(float)
    entries["date"] = pd.to_datetime(entries["date"])
    return Ledger(entries=entries, deals=frame)
