"""The Sankey as a reader can read it: small companies of each column folded into "N others".

`alliance.flows.sankey_flows` gives every company its own node per column (stage). A view of
all deals has about 130 of them, and 40 investor names stacked in one column cannot be read.
`fold` keeps, in each column, the companies that carry at least `min_share` of that column's
money (at most `max_per_column` of them, the biggest first) and folds the rest into one node;
companies in `keep` (the focus and its partners, the open company) and columns in `expand`
(the reader clicked their "N others") are never folded. Pure: no Dash, no plotly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .flows import SankeyData
from .graph import neighbourhood

MIN_SHARE = 0.03  # of the column's money: below this a company joins its column's "N others"
MAX_PER_COLUMN = 12  # named companies per column, so their labels fit one above the other
SLIVER = 5e7  # an undisclosed link's drawn value, so the relation stays visible
OTHERS = "others"  # the key of a folded node (company ids are slugs, so never this with members)


@dataclass(frozen=True)
class Node:
    key: str  # a company id, or OTHERS
    stage: int
    members: tuple[str, ...]  # the companies behind the node, biggest first (one for a company)
    money_in: float
    money_out: float

    @property
    def folded(self) -> bool:
        return self.key == OTHERS


@dataclass(frozen=True)
class Column:
    stage: int
    money_in: float  # into the column's companies from the column before
    money_out: float  # from the column's companies to the column after
    companies: int  # distinct companies in the column, folded or not


@dataclass(frozen=True)
class FoldedSankey:
    nodes: tuple[Node, ...]  # by stage, then biggest first; a column's "N others" comes last
    links: tuple[tuple[int, int, float, tuple[str, ...]], ...]  # (source, target, stated_usd, deal_ids)
    columns: tuple[Column, ...]  # the stages present, in order
    states: tuple[str, ...] = ()  # each link's money state ('' where nothing counts)


def _throughputs(data: SankeyData) -> tuple[dict[int, float], dict[int, float]]:
    money_in: dict[int, float] = {}
    money_out: dict[int, float] = {}
    for source, target, value, _ in data.links:
        money_out[source] = money_out.get(source, 0.0) + value
        money_in[target] = money_in.get(target, 0.0) + value
    return money_in, money_out


def fold(
    data: SankeyData,
    keep: frozenset[str] | set[str] = frozenset(),
    expand: frozenset[int] | set[int] = frozenset(),
    min_share: float = MIN_SHARE,
    max_per_column: int = MAX_PER_COLUMN,
) -> FoldedSankey:
    """Fold each column's small companies into one "N others" node (see the module docstring).

    A company's size in a column is the larger of its money in and out there. A lone small
    company is never folded (a node named "1 other" hides a name for nothing), and undisclosed
    links (0 dollars) keep their deals on the folded links, so nothing in view disappears.
    """
    money_in, money_out = _throughputs(data)
    size = {i: max(money_in.get(i, 0.0), money_out.get(i, 0.0)) for i in range(len(data.nodes))}
    by_stage: dict[int, list[int]] = {}
    for i, (_, stage) in enumerate(data.nodes):
        by_stage.setdefault(stage, []).append(i)

    nodes: list[Node] = []
    new_index: dict[int, int] = {}
    columns: list[Column] = []
    for stage in sorted(by_stage):
        members = sorted(by_stage[stage], key=lambda i: (-size[i], data.nodes[i][0]))
        total = sum(size[i] for i in members)
        named, folded = [], []
        for i in members:
            company = data.nodes[i][0]
            big = size[i] > 0 and size[i] >= min_share * total
            if stage in expand or company in keep or (big and len(named) < max_per_column):
                named.append(i)
            else:
                folded.append(i)
        if len(folded) == 1:
            named, folded = named + folded, []
        for i in named:
            new_index[i] = len(nodes)
            nodes.append(
                Node(data.nodes[i][0], stage, (data.nodes[i][0],), money_in.get(i, 0.0), money_out.get(i, 0.0))
            )
        if folded:
            for i in folded:
                new_index[i] = len(nodes)
            nodes.append(
                Node(
                    OTHERS,
                    stage,
                    tuple(data.nodes[i][0] for i in folded),
                    sum(money_in.get(i, 0.0) for i in folded),
                    sum(money_out.get(i, 0.0) for i in folded),
                )
            )
        columns.append(
            Column(
                stage,
                sum(money_in.get(i, 0.0) for i in members),
                sum(money_out.get(i, 0.0) for i in members),
                len(members),
            )
        )

    merged: dict[tuple[int, int, str], tuple[float, list[str]]] = {}
    states = data.states or ("",) * len(data.links)
    for (source, target, value, deal_ids), state in zip(data.links, states, strict=True):
        key = (new_index[source], new_index[target], state)
        total, ids = merged.get(key, (0.0, []))
        merged[key] = (total + value, ids + list(deal_ids))
    ordered = sorted(merged.items())
    links = tuple((s, t, value, tuple(ids)) for (s, t, _), (value, ids) in ordered)
    link_states = tuple(state for (_, _, state), _ in ordered)
    return FoldedSankey(nodes=tuple(nodes), links=links, columns=tuple(columns), states=link_states)


def named_companies(deals: pd.DataFrame, focus: str | None, depth: int, company: str | None) -> frozenset[str]:
    """Companies the Sankey never folds: the focus and its partners (to `depth`), the open company."""
    keep = set(neighbourhood(deals, focus, depth)) if focus else set()
    if company:
        keep.add(company)
    return frozenset(keep)


def drawn(value: float) -> float:
    """The value a link is drawn with: undisclosed (0) links keep a sliver."""
    return max(value, SLIVER)


def anchors(data: FoldedSankey) -> tuple[int, list[tuple[int, int]]]:
    """Invisible helpers that keep every node in its own stage's column.

    plotly lays a Sankey out with d3-sankey, whose columns count links from the left: a lab that
    pays a cloud but has no investor in view would sit among the investors. With `node.align`
    "left", one hidden node per stage chained left to right, and a zero-valued link from the
    previous stage's hidden node into every node that has no inflow, put each company at its
    stage's depth. (Giving plotly node x and y instead places nodes, but their heights come from
    d3's own columns, so a full column runs off the plot.) Returns the number of hidden nodes,
    which come after `data.nodes` (hidden node k stands in stage k), and the extra links."""
    stages = [c.stage for c in data.columns]
    first = stages[0]
    hidden = {stage: len(data.nodes) + k for k, stage in enumerate(range(first, stages[-1]))}
    links = [(hidden[stage], hidden[stage + 1]) for stage in range(first, stages[-1] - 1)]
    fed = {target for _, target, _, _ in data.links}
    links += [(hidden[node.stage - 1], i) for i, node in enumerate(data.nodes) if node.stage > first and i not in fed]
    return len(hidden), links
