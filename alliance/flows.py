"""Money-flow analysis over the deals in view: circular money, round trips, the Sankey and who matters.

Everything here takes a deals frame that is already filtered to the current view and only
counts *stated* dollars: an undisclosed amount adds nothing, but the deal is never hidden
(hops and links keep its id and say that part of the money is unknown).
Only deal types whose `money` flag is set in schema.DEAL_TYPES count; money goes from_id -> to_id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx
import pandas as pd

from .ledger import build_ledger
from .limits import DEFAULT_CYCLE_LENGTH, MAX_CYCLE_LENGTH
from .money import MONEY_TYPES, counted_amounts

CYCLE_ORDERS = ("money", "recent")

STAGE_LABELS = (
    "Investors & acquirers",
    "Labs & funded companies",
    "Clouds & data centers",
    "Chipmakers",
)
# (from stage, to stage) per money type: every type moves money one column to the right, so the
# Sankey is acyclic by construction even when the money itself goes round in circles.
STAGES_BY_TYPE = MappingProxyType(
    {
        "equity_investment": (0, 1),
        "debt_financing": (0, 1),
        "acquisition": (0, 1),
        "acquihire_licensing": (0, 1),
        "joint_venture": (0, 1),
        "compute_commitment": (1, 2),
        "chip_supply": (2, 3),
    }
)
COMPUTE_TYPES = ("compute_commitment", "chip_supply")


def money_deals(deals: pd.DataFrame) -> pd.DataFrame:
    """Only deals where from_id pays to_id; distribution or restructuring deals move no money.

    Every such deal keeps its link (a replaced or secondary deal still ties the two companies),
    but amounts that do not count (replaced, cancelled, stalled, secondary, per-year, valuation)
    read as NaN, so every total here uses counted money only (see alliance.money.counted_mask).
    """
    money = deals[deals["deal_type"].isin(MONEY_TYPES)]
    return money.assign(amount_usd=counted_amounts(money))


# --- circular money -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One step of a loop: every money deal from one company to the next, collapsed."""

    from_id: str
    to_id: str
    deal_ids: tuple[str, ...]  # oldest first
    stated_total: float  # sum of stated amounts (0.0 if none is stated)
    qualifiers: tuple[str, ...]  # one per deal, aligned with deal_ids
    undisclosed: bool  # some deal in the hop has no stated amount
    latest: pd.Timestamp


@dataclass(frozen=True)
class Cycle:
    """A loop of money. `id` is stable: the same loop gets the same id in every view."""

    id: str
    companies: tuple[str, ...]  # flow order, starting with the lexicographically smallest id
    hops: tuple[Hop, ...]
    bottleneck: float  # smallest stated hop: the money that can really go round
    latest: pd.Timestamp


@dataclass(frozen=True)
class CycleSearch:
    cycles: tuple[Cycle, ...]
    capped: bool  # more loops exist than were returned
    cap_reason: str  # e.g. "stopped after 200 cycles"; "" when not capped


def _hops(deals: pd.DataFrame) -> dict[tuple[str, str], Hop]:
    """Parallel money deals between one ordered pair become one hop; self-loops are dropped."""
    money = money_deals(deals)
    money = money[money["from_id"] != money["to_id"]].sort_values(["date", "id"])
    grouped: dict[tuple[str, str], list] = {}
    for deal in money.itertuples(index=False):
        grouped.setdefault((deal.from_id, deal.to_id), []).append(deal)
    hops = {}
    for (src, dst), parts in grouped.items():
        stated = [d.amount_usd for d in parts if pd.notna(d.amount_usd)]
        hops[(src, dst)] = Hop(
            from_id=src,
            to_id=dst,
            deal_ids=tuple(d.id for d in parts),
            stated_total=float(sum(stated)),
            qualifiers=tuple(d.amount_qualifier for d in parts),
            undisclosed=len(stated) < len(parts),
            latest=max(d.date for d in parts),
        )
    return hops


def money_graph(deals: pd.DataFrame) -> nx.DiGraph:
    """Directed graph of who pays whom (one edge per ordered pair, no self-loops).

    Edges are added in sorted order so cycle enumeration, and hence capping, is deterministic.
    """
    return _graph(_hops(deals))


def _graph(hops: dict[tuple[str, str], Hop]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_edges_from(sorted(hops))
    return graph


def _cycle(loop: list[str], hops: dict[tuple[str, str], Hop]) -> Cycle:
    start = loop.index(min(loop))
    companies = tuple(loop[start:] + loop[:start])
    steps = tuple(hops[(a, b)] for a, b in zip(companies, companies[1:] + companies[:1], strict=True))
    return Cycle(
        id="~".join(companies),
        companies=companies,
        hops=steps,
        bottleneck=min(h.stated_total for h in steps),
        latest=max(h.latest for h in steps),
    )


def _money_first(cycle: Cycle) -> tuple:
    return (-cycle.bottleneck, -cycle.latest.value, cycle.id)


def _recent_first(cycle: Cycle) -> tuple:
    return (-cycle.latest.value, -cycle.bottleneck, cycle.id)


def sort_cycles(cycles: Iterable[Cycle], by: str = "money") -> tuple[Cycle, ...]:
    """'money': biggest bottleneck first (then most recent); 'recent': most recent first."""
    if by not in CYCLE_ORDERS:
        raise ValueError(f"unknown cycle order {by!r} (known: {', '.join(CYCLE_ORDERS)})")
    return tuple(sorted(cycles, key=_money_first if by == "money" else _recent_first))


def find_cycles(
    deals: pd.DataFrame,
    max_length: int = DEFAULT_CYCLE_LENGTH,
    max_cycles: int = 200,
    max_seconds: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
) -> CycleSearch:
    """Loops where money paid out comes back, sorted by bottleneck (see sort_cycles).

    Dense views hold exponentially many loops, so the search stops at `max_cycles` or after
    `max_seconds` (checked after each loop found) and says so. When capped, the loops returned
    are the first ones enumerated, not necessarily the biggest. `clock` is injectable for tests.
    """
    if not 2 <= max_length <= MAX_CYCLE_LENGTH:
        raise ValueError(f"max_length must be between 2 and {MAX_CYCLE_LENGTH}, not {max_length}")
    if max_cycles < 1:
        raise ValueError(f"max_cycles must be at least 1, not {max_cycles}")
    hops = _hops(deals)
    graph = _graph(hops)
    started = clock()
    loops = nx.simple_cycles(graph, length_bound=max_length)
    found: list[Cycle] = []
    cap_reason = ""
    for loop in loops:
        found.append(_cycle(loop, hops))
        if len(found) >= max_cycles:
            reason = f"stopped after {max_cycles} cycles"
        elif clock() - started >= max_seconds:
            reason = f"stopped after {max_seconds:g} s"
        else:
            continue
        if next(loops, None) is not None:  # only claim a cap when something was really left out
            cap_reason = reason
        break
    return CycleSearch(cycles=sort_cycles(found), capped=bool(cap_reason), cap_reason=cap_reason)


def cycle_deal_ids(cycle: Cycle) -> set[str]:
    """Every deal on the loop (for highlighting)."""
    return {deal_id for hop in cycle.hops for deal_id in hop.deal_ids}


def cycle_by_id(search: CycleSearch, cycle_id: str) -> Cycle | None:
    """The loop a URL names, or None when it is not in this view (filtered out or capped)."""
    return next((c for c in search.cycles if c.id == cycle_id), None)


def open_loop(search: CycleSearch, cycle_id: str) -> dict | None:
    """The loop a link opens (`cycle=`), as the browser's map reads it to keep it bright:
    {"cycle", "companies", "deals"}, sorted; None when the link names none or the view does not
    hold it (filtered out, or past the search's cap). The rest of the map's highlight rule (the
    focus's neighbourhood, an open deal) is assets/map.js's own: it needs no loop search."""
    cycle = cycle_by_id(search, cycle_id) if cycle_id else None
    if cycle is None:
        return None
    return {"cycle": cycle_id, "companies": sorted(cycle.companies), "deals": sorted(cycle_deal_ids(cycle))}


# --- company profile ------------------------------------------------------------------------


def round_trip_share(deals: pd.DataFrame, company: str) -> float | None:
    """Share of the stated dollars flowing into `company` that come from companies it also pays.

    A high share means much of the money it raises is circular. None when nothing stated flows in.
    """
    money = money_deals(deals)
    inflow = money[(money["to_id"] == company) & money["amount_usd"].notna()]
    total = float(inflow["amount_usd"].sum())
    if total <= 0:
        return None
    payees = set(money.loc[money["from_id"] == company, "to_id"])
    returning = float(inflow.loc[inflow["from_id"].isin(payees), "amount_usd"].sum())
    return returning / total


def money_by_year(deals: pd.DataFrame, company: str, dataset=None) -> pd.DataFrame:
    """The ledger's dollars into and out of `company` per year (columns in_usd, out_usd): round
    totals once, in the year of their first row in view, when `dataset` is given.

    Every year from its first to its last money deal appears, so quiet years show as zeros
    instead of silently vanishing from a bar chart.
    """
    money = money_deals(deals)
    into = money[money["to_id"] == company]
    out = money[money["from_id"] == company]
    mine = build_ledger(deals, dataset).entries
    mine = mine[mine["company"] == company]
    years = pd.concat([into["date"], out["date"], mine["date"]]).dropna().dt.year
    if years.empty:
        return pd.DataFrame({"in_usd": [], "out_usd": []}, index=pd.Index([], name="year", dtype=int))
    index = pd.Index(range(int(years.min()), int(years.max()) + 1), name="year")
    table = pd.DataFrame(
        {
            f"{side}_usd": mine.loc[mine["side"] == side, "usd"]
            .groupby(mine.loc[mine["side"] == side, "date"].dt.year)
            .sum()
            for side in ("in", "out")
        }
    ).reindex(index, fill_value=0.0)
    return table.fillna(0.0).astype(float)


def committed_compute_gw(deals: pd.DataFrame, company: str) -> float:
    """Gigawatts of compute or chips `company` has committed to buy (stated capacities only;
    cancelled and replaced deals left out)."""
    mine = deals[(deals["from_id"] == company) & deals["deal_type"].isin(COMPUTE_TYPES)]
    if "status" in mine:
        mine = mine[~mine["status"].isin(("cancelled", "superseded"))]
    return float(mine["compute_gw"].sum())


def biggest_partners(deals: pd.DataFrame, company: str, n: int = 5) -> list[tuple[str, float]]:
    """Counterparties ranked by stated dollars in both directions (partners with none stated
    are left out: a ranking by zero says nothing)."""
    money = money_deals(deals)
    out = money[money["from_id"] == company]
    into = money[money["to_id"] == company]
    amounts = pd.concat([out["amount_usd"], into["amount_usd"]]).fillna(0.0)
    partners = pd.concat([out["to_id"], into["from_id"]])
    totals = amounts.groupby(partners).sum()
    return _ranked(totals.drop(company, errors="ignore"), n)


def _ranked(totals: pd.Series, n: int) -> list[tuple[str, float]]:
    """Top n positive values, biggest first; ties by id so the order never flickers."""
    positive = [(str(k), float(v)) for k, v in totals.items() if v > 0]
    return sorted(positive, key=lambda kv: (-kv[1], kv[0]))[:n]


# --- Sankey ---------------------------------------------------------------------------------


ROUND_PAYER = "round:"  # + a round's id: the Sankey's payer for a round's money whose investors are unknown


@dataclass(frozen=True)
class SankeyData:
    nodes: tuple[tuple[str, int], ...]  # (company_id, stage), sorted by stage then id
    links: tuple[tuple[int, int, float, tuple[str, ...]], ...]  # (source, target, counted_usd, deal_ids)
    states: tuple[str, ...] = ()  # each link's money state ('' where nothing counts), aligned with links


def sankey_flows(deals: pd.DataFrame, dataset=None) -> SankeyData:
    """Money by stage: a company appears once per stage it acts in (Microsoft can be both an
    investor and a cloud), which keeps the diagram acyclic. One band per payer, receiver and
    money state. Undisclosed deals add 0 dollars but keep their link, so nothing in view disappears.

    With `dataset`, the money is the one ledger's (alliance/ledger.py): a funding round with a
    known total gives its company that total once, and the part of it that no listed investor's
    stated share explains comes from a payer standing for the round (ROUND_PAYER + its id), so
    the receiver's band adds up to the same money as its panel and /api/companies."""
    money = deals[deals["deal_type"].isin(STAGES_BY_TYPE)]
    if dataset is not None:
        ledger = build_ledger(money, dataset)
        amounts = pd.Series(ledger.deals["counted_usd"].to_numpy(), index=money.index)
        states = pd.Series(ledger.deals["state"].to_numpy(), index=money.index)
    else:
        amounts = counted_amounts(money)
        states = pd.Series("", index=money.index)
    money = money.assign(amount_usd=amounts, money_state=states).sort_values(["date", "id"])
    grouped: dict[tuple[tuple[str, int], tuple[str, int], str], list] = {}
    for deal in money.itertuples(index=False):
        src_stage, dst_stage = STAGES_BY_TYPE[deal.deal_type]
        key = ((deal.from_id, src_stage), (deal.to_id, dst_stage), deal.money_state)
        grouped.setdefault(key, []).append((deal.id, deal.amount_usd))
    if dataset is not None:
        rest = ledger.entries[(ledger.entries["side"] == "in") & (ledger.entries["deal_id"] == "")]
        for entry in rest.itertuples(index=False):
            src_stage, dst_stage = STAGES_BY_TYPE.get(entry.deal_type, (0, 1))
            members = tuple(money.loc[money["group_id"] == entry.round_id, "id"]) if "group_id" in money else ()
            key = ((ROUND_PAYER + entry.round_id, src_stage), (entry.company, dst_stage), entry.state)
            grouped.setdefault(key, []).append((members, float(entry.usd)))
    nodes = tuple(sorted({node for src, dst, _ in grouped for node in (src, dst)}, key=lambda n: (n[1], n[0])))
    position = {node: i for i, node in enumerate(nodes)}
    rows = sorted(
        (
            position[src],
            position[dst],
            float(sum(a for _, a in parts if pd.notna(a))),
            tuple(i for ids, _ in parts for i in ((ids,) if isinstance(ids, str) else ids)),
            state,
        )
        for (src, dst, state), parts in grouped.items()
    )
    return SankeyData(nodes=nodes, links=tuple(r[:4] for r in rows), states=tuple(r[4] for r in rows))


# --- who matters ----------------------------------------------------------------------------


BETWEENNESS_EXACT_MAX = 400  # companies; above this betweenness is estimated
BETWEENNESS_SAMPLES = 60


def who_matters(deals: pd.DataFrame, n: int = 8, dataset=None) -> dict[str, list[tuple[str, float]]]:
    """Top n by dollars received and paid (the one ledger's: round totals once when `dataset`
    is given), and by betweenness in the money graph (the companies most money paths run
    through). Zero values are dropped."""
    totals = build_ledger(deals, dataset).totals()
    graph = money_graph(deals)
    # Exact betweenness is O(nodes × edges): past a few hundred companies, estimate it from a fixed
    # sample of source nodes (same seed, same answer) so the view stays responsive at 10,000.
    sample = BETWEENNESS_SAMPLES if graph.number_of_nodes() > BETWEENNESS_EXACT_MAX else None
    betweenness = pd.Series(nx.betweenness_centrality(graph, k=sample, seed=0), dtype=float)
    return {
        "received": _ranked(totals["in_usd"], n),
        "paid": _ranked(totals["out_usd"], n),
        "betweenness": _ranked(betweenness, n),
    }
