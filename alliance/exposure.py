"""The stress test: "what if … cannot pay?", a what-if over announced deals, not a forecast.

The model (README "Stress test"; /work/shared/EXPOSURE.md works it by hand):

- Inflow I(c): all counted money into c in the view, every money state and round totals, as
  the one ledger (alliance.ledger) reports it.
- Unpaid deal: a counted deal whose money state is contracted or conditional. Paid money has
  moved and is never lost.
- Direct loss D(r): every unpaid deal a failing company owes r in the view (r not failing).
- Indirect loss X(r): each company c that is not failing and loses a share
  s(c) = min(1, (D(c) + X(c)) / I(c)) of its inflow puts the same share of each of its own
  unpaid deals at risk; X(r) sums s(c) × those deals to r.
- Rounds: all companies update together from X = 0, until no company's loss changes by more
  than CONVERGED_USD or MAX_ROUNDS rounds have run.
- A failing company's own inflows are not counted as losses; deals to it are ignored.
- Gigawatts are carried beside dollars: a deal's stated GW go with its dollars (all of them on
  a direct loss, s(c) of them on an indirect one), also when it states no dollar amount.

Pure pandas/numpy, no Dash.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ledger import Ledger

CONVERGED_USD = 100e6  # stop when no company's loss changes by more than this
MAX_ROUNDS = 10
UNPAID = ("contracted", "conditional")
CAVEAT = "a what-if over announced deals, not a forecast"


@dataclass(frozen=True)
class Exposure:
    """The result. `companies`: one row per company hit (index: company id) with direct_usd,
    indirect_usd, loss_usd, inflow_usd, share_of_inflow, gw and deals (ids of the deals behind
    its loss), ranked by loss_usd (then id). `deals`: per unpaid deal in view, `kind`
    ('lost' from a failing payer, 'at_risk' with the payer's share > 0, else 'untouched'),
    `at_risk_usd` and `at_risk_gw`, indexed by deal id."""

    fail: tuple[str, ...]
    rounds: int
    companies: pd.DataFrame
    deals: pd.DataFrame

    @property
    def total_at_risk_usd(self) -> float:
        return float(self.companies["loss_usd"].sum()) if len(self.companies) else 0.0

    @property
    def total_at_risk_gw(self) -> float:
        return float(self.companies["gw"].sum()) if len(self.companies) else 0.0

    def deal_kinds(self) -> dict[str, str]:
        """deal id -> 'lost' | 'at_risk' for the deals the scenario touches."""
        touched = self.deals[self.deals["kind"] != "untouched"]
        return dict(zip(touched.index, touched["kind"]))


def stress_test(ledger: Ledger, fail, converged_usd: float = CONVERGED_USD,
                max_rounds: int = MAX_ROUNDS) -> Exposure:
    """Run the model over a view's ledger with `fail` (company ids) unable to pay."""
    failing = tuple(dict.fromkeys(fail))
    fail_set = set(failing)
    frame = ledger.deals
    inflow = ledger.totals()["in_usd"] if len(ledger.entries) else pd.Series(dtype=float)

    gw = pd.to_numeric(frame["compute_gw"], errors="coerce") if "compute_gw" in frame else pd.Series(np.nan, index=frame.index)
    unpaid_mask = frame["state"].isin(UNPAID) & (frame["counted_usd"].notna() | gw.notna())
    unpaid = pd.DataFrame({
        "id": frame.loc[unpaid_mask, "id"], "from_id": frame.loc[unpaid_mask, "from_id"],
        "to_id": frame.loc[unpaid_mask, "to_id"], "usd": frame.loc[unpaid_mask, "counted_usd"].fillna(0.0),
        "gw": gw[unpaid_mask].fillna(0.0),
    })
    unpaid = unpaid[~unpaid["to_id"].isin(fail_set)]  # a failing company's inflows are not losses
    direct_rows = unpaid[unpaid["from_id"].isin(fail_set)]
    chain_rows = unpaid[~unpaid["from_id"].isin(fail_set)]

    companies = sorted(set(unpaid["from_id"]) | set(unpaid["to_id"]))
    pos = {c: i for i, c in enumerate(companies)}
    n = len(companies)
    direct = np.zeros(n)
    np.add.at(direct, [pos[c] for c in direct_rows["to_id"]], direct_rows["usd"].to_numpy(dtype=float))
    income = np.array([float(inflow.get(c, 0.0)) for c in companies])
    src = np.array([pos[c] for c in chain_rows["from_id"]], dtype=int)
    dst = np.array([pos[c] for c in chain_rows["to_id"]], dtype=int)
    amount = chain_rows["usd"].to_numpy(dtype=float)

    def shares(loss: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(income > 0, np.minimum(1.0, loss / np.where(income > 0, income, 1.0)), 0.0)

    indirect = np.zeros(n)
    rounds = 0
    while rounds < max_rounds:
        rounds += 1
        share = shares(direct + indirect)
        updated = np.zeros(n)
        np.add.at(updated, dst, share[src] * amount)
        change = float(np.max(np.abs(updated - indirect))) if n else 0.0
        indirect = updated
        if change <= converged_usd:
            break
    share = shares(direct + indirect)

    # Per deal: what is lost or at risk, dollars and gigawatts.
    deal_share = np.concatenate([np.ones(len(direct_rows)), share[src] if n else np.zeros(0)])
    rows = pd.concat([direct_rows, chain_rows])
    kind = np.where(np.arange(len(rows)) < len(direct_rows), "lost", np.where(deal_share > 0, "at_risk", "untouched"))
    deals = pd.DataFrame({"from_id": rows["from_id"].to_numpy(), "to_id": rows["to_id"].to_numpy(), "kind": kind,
                          "at_risk_usd": rows["usd"].to_numpy() * deal_share,
                          "at_risk_gw": rows["gw"].to_numpy() * deal_share}, index=rows["id"].to_numpy())

    hit = deals[deals["kind"] != "untouched"]
    gw_by = hit.groupby("to_id")["at_risk_gw"].sum()
    ids_by = hit.groupby("to_id").apply(lambda g: list(g.index), include_groups=False) if len(hit) else pd.Series(dtype=object)
    table = pd.DataFrame({"direct_usd": direct, "indirect_usd": indirect, "inflow_usd": income}, index=companies)
    table = table[~table.index.isin(fail_set)]
    table["loss_usd"] = table["direct_usd"] + table["indirect_usd"]
    table["share_of_inflow"] = np.where(table["inflow_usd"] > 0,
                                        np.minimum(1.0, table["loss_usd"] / table["inflow_usd"].where(table["inflow_usd"] > 0, 1.0)),
                                        0.0)
    table["gw"] = gw_by.reindex(table.index).fillna(0.0)
    table["deals"] = [ids_by.get(c, []) for c in table.index]
    table = table[(table["loss_usd"] > 0) | (table["gw"] > 0)]
    table = table.assign(_id=table.index).sort_values(["loss_usd", "gw", "_id"], ascending=[False, False, True])
    table = table.drop(columns="_id")
    return Exposure(fail=failing, rounds=rounds if n else 0, companies=table, deals=deals)


def exposure_record(result: Exposure, names: pd.Series) -> dict:
    """The /api/exposure answer: {"fail", "rounds", "total_at_risk_usd",
    "companies": [{"id", "name", "direct_usd", "indirect_usd", "share_of_inflow", "gw", "deals"}]}.
    Dollars are rounded to whole dollars, shares to 4 decimals, GW to 3."""
    return {
        "fail": list(result.fail),
        "rounds": result.rounds,
        "total_at_risk_usd": round(result.total_at_risk_usd),
        "companies": [
            {"id": cid, "name": str(names.get(cid, cid)), "direct_usd": round(float(row.direct_usd)),
             "indirect_usd": round(float(row.indirect_usd)), "share_of_inflow": round(float(row.share_of_inflow), 4),
             "gw": round(float(row.gw), 3), "deals": list(row.deals)}
            for cid, row in result.companies.iterrows()
        ],
    }


EXPOSURE_CSV_FIELDS = ("id", "name", "direct_usd", "indirect_usd", "share_of_inflow", "gw", "deals")


def exposure_rows(record: dict) -> list[dict]:
    """exposure_record's companies as CSV rows (deal ids joined by ';')."""
    return [{**c, "deals": ";".join(c["deals"])} for c in record["companies"]]
