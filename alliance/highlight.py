"""What the map keeps bright: the open money loop, else the focus company's neighbourhood.

One rule, pure: a loop the link names (`cycle=`) and the view's search found wins; else, with a
focus, the companies within `depth` deals of it (deals in view, either direction); else nothing
is dimmed. The server sends the open loop to the browser (components/follow.py); assets/map.js
(its `highlight`) applies the same rule to draw, and dims everything else.
"""

from __future__ import annotations

import pandas as pd

from .flows import CycleSearch, cycle_by_id, cycle_deal_ids
from .graph import neighbourhood
from .viewstate import ViewState


def highlight(state: ViewState, deals: pd.DataFrame, cycles: CycleSearch | None) -> tuple[set | None, set | None]:
    """(companies, deal ids) to keep bright, None meaning "all of them". `deals` are the state's
    deals in view; `cycles` their loop search (only read when the state names a cycle)."""
    if state.cycle and cycles is not None:
        cycle = cycle_by_id(cycles, state.cycle)
        if cycle:
            return set(cycle.companies), cycle_deal_ids(cycle)
    if state.focus:
        return neighbourhood(deals, state.focus, state.depth), None
    return None, None


def open_loop(state: ViewState, deals: pd.DataFrame, cycles: CycleSearch | None) -> dict | None:
    """The open loop as the browser's map reads it ({"cycle", "companies", "deals"}, sorted), or
    None when the link names none or the view does not hold it (filtered out, or past the cap)."""
    if not state.cycle:
        return None
    companies, deal_ids = highlight(state, deals, cycles)
    if deal_ids is None:
        return None
    return {"cycle": state.cycle, "companies": sorted(companies), "deals": sorted(deal_ids)}
