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
        return dict(zip(touched.index, touched["kind"], strict=True))


def stress_test(ledger: Ledger, fail, converged_usd: float = CONVERGED_USD, max_rounds: int = MAX_ROUNDS) -> Exposure:
    """Run the model over a view's ledger with `fail` (company ids) unable to pay."""
    failing = tuple(dict.fromkeys(fail))
    fail_set = set(failing)
    frame = ledger.deals
    inflow: dict[str, float] = {}
    e = ledger.entries
    for company, side, usd in zip(e["company"], e["side"], e["usd"], strict=True):
        if side == "in":
            inflow[company] = inflow.get(company, 0.0) + usd

    ids = frame["id"].to_numpy(dtype=object)
    payer = frame["from_id"].to_numpy(dtype=object)
    payee = frame["to_id"].to_numpy(dtype=object)
    usd = frame["counted_usd"].to_numpy(dtype=float)
    state = frame["state"].to_numpy(dtype=object)
    gw = (
        pd.to_numeric(frame["compute_gw"], errors="coerce").to_numpy(dtype=float)
        if "compute_gw" in frame
        else np.full(len(frame), np.nan)
    )
    # unpaid deals in view (with dollars or gigawatts), to companies that still stand
    unpaid = [
        i
        for i in range(len(frame))
        if state[i] in UNPAID and (usd[i] == usd[i] or gw[i] == gw[i]) and payee[i] not in fail_set
    ]
    direct_rows = [i for i in unpaid if payer[i] in fail_set]
    chain_rows = [i for i in unpaid if payer[i] not in fail_set]

    companies = sorted({payer[i] for i in unpaid} | {payee[i] for i in unpaid})
    pos = {c: k for k, c in enumerate(companies)}
    n = len(companies)
    dollars = np.nan_to_num(usd)
    watts = np.nan_to_num(gw)
    direct = (
        np.bincount([pos[payee[i]] for i in direct_rows], weights=dollars[direct_rows], minlength=n)
        if direct_rows
        else np.zeros(n)
    )
    income = np.array([inflow.get(c, 0.0) for c in companies])
    src = np.array([pos[payer[i]] for i in chain_rows], dtype=int)
    dst = np.array([pos[payee[i]] for i in chain_rows], dtype=int)
    amount = dollars[chain_rows] if chain_rows else np.zeros(0)
    safe_income = np.where(income > 0, income, 1.0)

    def shares(loss: np.ndarray) -> np.ndarray:
        return np.where(income > 0, np.minimum(1.0, loss / safe_income), 0.0)

    indirect = np.zeros(n)
    rounds = 0
    while n and rounds < max_rounds:
        rounds += 1
        share = shares(direct + indirect)
        updated = np.bincount(dst, weights=share[src] * amount, minlength=n) if len(src) else np.zeros(n)
        change = float(np.max(np.abs(updated - indirect)))
        indirect = updated
        if change <= converged_usd:
            break
    share = shares(direct + indirect)

    # Per deal: lost (a failing payer), at risk (a payer with a share > 0) or untouched.
    deal_rows, deal_kind, deal_share = [], [], []
    for i in direct_rows:
        deal_rows.append(i)
        deal_kind.append("lost")
        deal_share.append(1.0)
    for i in chain_rows:
        s_i = float(share[pos[payer[i]]])
        deal_rows.append(i)
        deal_kind.append("at_risk" if s_i > 0 else "untouched")
        deal_share.append(s_i)
    weights = np.array(deal_share)
    deals = pd.DataFrame(
        {
            "from_id": payer[deal_rows],
            "to_id": payee[deal_rows],
            "kind": deal_kind,
            "at_risk_usd": dollars[deal_rows] * weights if deal_rows else [],
            "at_risk_gw": watts[deal_rows] * weights if deal_rows else [],
        },
        index=pd.Index(ids[deal_rows], dtype=object),
    )

    gw_by: dict[str, float] = {}
    ids_by: dict[str, list[str]] = {}
    for k, i in enumerate(deal_rows):
        if deal_kind[k] != "untouched":
            gw_by[payee[i]] = gw_by.get(payee[i], 0.0) + watts[i] * deal_share[k]
            ids_by.setdefault(payee[i], []).append(ids[i])
    records = []
    for c in companies:
        if c in fail_set:
            continue
        k = pos[c]
        loss = float(direct[k] + indirect[k])
        if loss <= 0 and gw_by.get(c, 0.0) <= 0:
            continue
        records.append(
            {
                "id": c,
                "direct_usd": float(direct[k]),
                "indirect_usd": float(indirect[k]),
                "inflow_usd": float(income[k]),
                "loss_usd": loss,
                "share_of_inflow": float(share[k]),
                "gw": gw_by.get(c, 0.0),
                "deals": ids_by.get(c, []),
            }
        )
    records.sort(key=lambda r: (-r["loss_usd"], -r["gw"], r["id"]))
    table = pd.DataFrame(
        records,
        columns=["id", "direct_usd", "indirect_usd", "inflow_usd", "loss_usd", "share_of_inflow", "gw", "deals"],
    ).set_index("id")
    table.index.name = None
    return Exposure(fail=failing, rounds=rounds, companies=table, deals=deals)


def exposure_record(result: Exposure, names: pd.Series) -> dict:
    """The /api/exposure answer: {"fail", "rounds", "total_at_risk_usd",
    "companies": [{"id", "name", "direct_usd", "indirect_usd", "share_of_inflow", "gw", "deals"}]}.
    Dollars are rounded to whole dollars, shares to 4 decimals, GW to 3."""
    return {
        "fail": list(result.fail),
        "rounds": result.rounds,
        "total_at_risk_usd": round(result.total_at_risk_usd),
        "companies": [
            {
                "id": cid,
                "name": str(names.get(cid, cid)),
                "direct_usd": round(float(row.direct_usd)),
                "indirect_usd": round(float(row.indirect_usd)),
                "share_of_inflow": round(float(row.share_of_inflow), 4),
                "gw": round(float(row.gw), 3),
                "deals": list(row.deals),
            }
            for cid, row in result.companies.iterrows()
        ],
    }


EXPOSURE_CSV_FIELDS = ("id", "name", "direct_usd", "indirect_usd", "share_of_inflow", "gw", "deals")


def exposure_rows(record: dict) -> list[dict]:
    """exposure_record's companies as CSV rows (deal ids joined by ';')."""
    return [{**c, "deals": ";".join(c["deals"])} for c in record["companies"]]
