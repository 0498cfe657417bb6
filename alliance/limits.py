"""Limits the URL codec shares with the domain: each one is defined here once.

The codec (alliance/viewstate.py) refuses what the domain could not honour, and the domain
(cycle search, filters, controls) never accepts more than a link can say, so the two cannot drift.
"""

from __future__ import annotations

MAX_CYCLE_LENGTH = 10  # companies in one money loop: the `cycle` parameter names at most this many
DEFAULT_CYCLE_LENGTH = 6  # loops the page and /api/cycles look for: up to six companies long
DEPTHS = (1, 2)  # focus depths: direct partners, or partners of partners
MAX_AMOUNT = 1e13  # largest minimum amount in US dollars (ten trillion)
MAX_LIST = 50  # longest list a control or a link may carry (the vocabularies are far shorter)
