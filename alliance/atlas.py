"""The Atlas: a loaded dataset plus everything derived from it once (positions, curves, texts).

Built once at start-up and never mutated, so gunicorn workers and callbacks can share it.
What every callback would otherwise rebuild per output lives here too: deals indexed by id,
the slider's months, and small per-process memos of the parsed state, the deals in view and
the money loops of a view (one query's map, panel, sections and /api answers share them).
`Atlas.view(query, lang)` is the one way in: every callback, route and export asks it for the
link's View (state, notices, language, deals in view and what they derive) instead of parsing
and filtering by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n
from .dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from .exposure import Exposure, stress_test
from .filters import filter_deals
from .flows import CycleSearch, find_cycles, open_loop
from .graph import Geometry, build_geometry
from .ledger import Ledger, build_ledger
from .money import round_note
from .stories import Story, load_stories
from .text import data_text, deal_hover, wrap
from .timeline import months_between
from .viewstate import LANGS, Context, Notice, ViewState, month_end, month_start, parse, to_query

PARSED_MEMO = 1024  # parsed queries kept per process (a parse is tiny)
VIEW_MEMO = 16  # filtered deal frames and cycle searches kept per process (a frame can be megabytes)
FILTER_FIELDS = ("types", "roles", "date_from", "date_to", "money", "min_amount", "sources")  # all filter_deals reads


def filter_key(state: ViewState) -> tuple:
    """The part of a view state that decides which deals are in view."""
    return tuple(getattr(state, name) for name in FILTER_FIELDS)


@dataclass(frozen=True)
class Atlas:
    dataset: Dataset
    geometry: Geometry
    context: Context
    months: tuple[dt.date, ...]  # the timeline slider's months
    deal_hover: np.ndarray  # hover text per deal row, built once
    node_peak: float  # money through the biggest hub: node sizes are relative to it in every view
    deal_counts: pd.Series  # deals per company, in the whole dataset
    stories: tuple[Story, ...] = ()
    company_hover: dict | None = None  # company id -> "<b>Name</b><br>Roles", built once
    deal_hover_by_lang: dict = field(default_factory=dict)  # lang -> hover texts, for languages other than en
    company_hover_by_lang: dict = field(default_factory=dict)  # lang -> company_hover in that language
    deals_by_id: pd.DataFrame | None = None  # dataset.deals indexed by deal id (built in __post_init__)

    def __post_init__(self):
        if self.deals_by_id is None:
            object.__setattr__(self, "deals_by_id", self.dataset.deals.set_index("id", drop=False))
        # Memos bound to this atlas; a frozen dataclass, so set once here and never replaced.
        object.__setattr__(self, "_parse", functools.lru_cache(maxsize=PARSED_MEMO)(self._parse_uncached))
        object.__setattr__(self, "_in_view", functools.lru_cache(maxsize=VIEW_MEMO)(self._in_view_uncached))
        object.__setattr__(self, "_cycles", functools.lru_cache(maxsize=VIEW_MEMO)(self._cycles_uncached))
        object.__setattr__(self, "_exposure", functools.lru_cache(maxsize=VIEW_MEMO)(self._exposure_uncached))

    __hash__ = object.__hash__  # one atlas per dataset: identity is its equality (DataFrames do not hash)

    def parse(self, query: str | None) -> tuple[ViewState, tuple[Notice, ...]]:
        """viewstate.parse for this dataset, memoized per query string (notices as a tuple)."""
        return self._parse(query if isinstance(query, str) else "")

    def _parse_uncached(self, query: str) -> tuple[ViewState, tuple[Notice, ...]]:
        state, notices = parse(query, self.context)
        return state, tuple(notices)

    def view(self, query: str | None, lang: str | None = None) -> View:
        """The one view helper: a link's parsed state and notices, the reader's language (the
        link's `lang`, else `lang`, else English), and, on demand, what the view derives (its
        deals in view, ledger, loops, stress test, open loop), each memoized on this atlas."""
        state, notices = self.parse(query)
        return View(self, state, notices, state.lang or lang or "en")

    def view_of(self, state: ViewState, lang: str | None = None) -> View:
        """The View of a state built in code (no link, so no notices)."""
        return View(self, state, (), state.lang or lang or "en")

    def deals_in_view(self, state: ViewState) -> pd.DataFrame:
        """filter_deals for `state`, memoized on the filter fields. Shared: read it, never modify it."""
        return self._in_view(filter_key(state))

    def _in_view_uncached(self, key: tuple) -> pd.DataFrame:
        return filter_deals(self.dataset, ViewState(**dict(zip(FILTER_FIELDS, key, strict=True))))

    def cycles(self, state: ViewState) -> CycleSearch:
        """The money loops of the view (find_cycles with its defaults), searched once per view."""
        return self._cycles(filter_key(state))

    def _cycles_uncached(self, key: tuple) -> CycleSearch:
        return find_cycles(self._in_view(key))

    def ledger(self, state: ViewState) -> Ledger:
        """The view's ledger (alliance.ledger), memoized with the view's filters."""
        return self._ledger(filter_key(state))

    @functools.cached_property
    def _ledger(self):
        return functools.lru_cache(maxsize=VIEW_MEMO)(lambda key: build_ledger(self._in_view(key), self.dataset))

    def exposure(self, state: ViewState) -> Exposure | None:
        """The stress test of the view with state.fail unable to pay; None when nobody fails."""
        return self._exposure(filter_key(state), state.fail) if state.fail else None

    def _exposure_uncached(self, key: tuple, fail: tuple[str, ...]) -> Exposure:
        return stress_test(self._ledger(key), fail)

    def hover_for(self, lang: str | None) -> np.ndarray:
        """Per-deal hover texts in `lang` (English when it has none)."""
        return self.deal_hover_by_lang.get(lang, self.deal_hover)

    def company_hover_for(self, lang: str | None) -> dict | None:
        """company_hover in `lang` (English when it has none)."""
        return self.company_hover_by_lang.get(lang, self.company_hover)


@dataclass(frozen=True, eq=False)
class View:
    """One view of the atlas (Atlas.view): every callback, route and export starts from one.
    The derived parts are properties over the atlas's memos: read them, never modify them."""

    atlas: Atlas
    state: ViewState
    notices: tuple[Notice, ...]
    lang: str  # the reader's language: the link's, else the page's, else English

    @property
    def query(self) -> str:
        """The canonical link of the state ('' for the default view)."""
        return to_query(self.state, self.atlas.context)

    @property
    def deals(self) -> pd.DataFrame:
        return self.atlas.deals_in_view(self.state)

    @property
    def ledger(self) -> Ledger:
        return self.atlas.ledger(self.state)

    @property
    def cycles(self) -> CycleSearch:
        return self.atlas.cycles(self.state)

    @property
    def exposure(self) -> Exposure | None:
        return self.atlas.exposure(self.state)

    @property
    def open_loop(self) -> dict | None:
        """The loop the link opens, for the browser's map, or None (alliance.flows.open_loop);
        loops are searched only when the link names one."""
        return open_loop(self.cycles, self.state.cycle) if self.state.cycle else None


def _node_peak(through: pd.Series) -> float:
    """Money through the biggest hub (the ledger's), at least $1 so node sizes stay defined."""
    peak = float(through.max()) if len(through) else 0.0
    return peak if peak >= 1.0 else 1.0


def build_atlas(dataset: Dataset, cache_dir: Path | str | None = None, stories: tuple[Story, ...] = ()) -> Atlas:
    geometry = build_geometry(dataset.companies, dataset.deals, dataset.version, cache_dir)
    context = Context(
        first_day=month_start(dataset.deals["date"].min().date()),
        last_day=month_end(dataset.deals["date"].max().date()),
        company_ids=frozenset(dataset.companies.index),
        deal_ids=frozenset(dataset.deals["id"]),
        story_ids=tuple(story.id for story in stories),
    )
    names = dataset.companies["name"]
    # Deal hovers hold facts only (the card, one click away, has the summary: summaries in every
    # hover would double the map data); company hovers carry the one-line description. Every
    # language goes the same way: the first is the default, the others are kept by language.
    deal_hovers = {
        lang: np.array(
            [deal_hover(deal, names, round_note(deal, dataset, lang), lang) for deal in dataset.deals.itertuples()],
            dtype=object,
        )
        for lang in LANGS
    }
    company_hovers = {
        lang: {
            cid: f"<b>{row.name}</b><br>{', '.join(i18n.role(r, lang) for r in row.role_list)}"
            + _hover_text(row.description, getattr(row, "description_ru", ""), lang)
            for cid, row in zip(dataset.companies.index, dataset.companies.itertuples(), strict=True)
        }
        for lang in LANGS
    }
    first, *others = LANGS
    deals = dataset.deals
    return Atlas(
        dataset=dataset,
        geometry=geometry,
        context=context,
        months=tuple(months_between(context.first_day, context.last_day)),
        deal_hover=deal_hovers[first],
        node_peak=_node_peak(build_ledger(deals, dataset).through()),  # the one ledger
        deal_counts=pd.concat([deals["from_id"], deals["to_id"]]).value_counts(),
        stories=stories,
        company_hover=company_hovers[first],
        deal_hover_by_lang={lang: deal_hovers[lang] for lang in others},
        company_hover_by_lang={lang: company_hovers[lang] for lang in others},
    )


def _hover_text(english, russian, lang: str) -> str:
    """A data text under a hover's facts, in the reader's language, wrapped ('' when there is none)."""
    text, _ = data_text(english if isinstance(english, str) else "", russian if isinstance(russian, str) else "", lang)
    return f"<br><i>{wrap(text)}</i>" if text else ""


def load_atlas(data_dir: Path | str = DEFAULT_DATA_DIR, cache_dir: Path | str | None = None) -> Atlas:
    dataset = load_dataset(data_dir)
    return build_atlas(dataset, cache_dir, load_stories(data_dir, frozenset(dataset.deals["id"])))
