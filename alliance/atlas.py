"""The Atlas: a loaded dataset plus everything derived from it once (positions, curves, texts).

Built once at start-up and never mutated, so gunicorn workers and callbacks can share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n
from .dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from .graph import Geometry, build_geometry
from .layout import node_money
from .money import counted_mask, round_note
from .schema import ROLES
from .stories import Story, load_stories
from .text import deal_hover
from .timeline import months_between
from .viewstate import LANGS, Context, month_end, month_start


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

    def hover_for(self, lang: str | None) -> np.ndarray:
        """Per-deal hover texts in `lang` (English when it has none)."""
        return self.deal_hover_by_lang.get(lang, self.deal_hover)

    def company_hover_for(self, lang: str | None) -> dict | None:
        """company_hover in `lang` (English when it has none)."""
        return self.company_hover_by_lang.get(lang, self.company_hover)


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
    hover = np.array([deal_hover(deal, names, round_note(deal, dataset)) for deal in dataset.deals.itertuples()],
                     dtype=object)
    translated = {lang: np.array([deal_hover(deal, names, round_note(deal, dataset, lang), lang)
                                  for deal in dataset.deals.itertuples()], dtype=object)
                  for lang in LANGS if lang != "en"}
    deals = dataset.deals
    return Atlas(dataset=dataset, geometry=geometry, context=context,
                 months=tuple(months_between(context.first_day, context.last_day)), deal_hover=hover,
                 node_peak=float(node_money(deals, deals["amount_usd"].where(counted_mask(deals))).max() or 1.0),
                 deal_counts=pd.concat([deals["from_id"], deals["to_id"]]).value_counts(), stories=stories,
                 company_hover={cid: f"<b>{row.name}</b><br>{', '.join(ROLES[r] for r in row.role_list)}"
                                for cid, row in zip(dataset.companies.index, dataset.companies.itertuples())},
                 deal_hover_by_lang=translated,
                 company_hover_by_lang={
                     lang: {cid: f"<b>{row.name}</b><br>{', '.join(i18n.role(r, lang) for r in row.role_list)}"
                            for cid, row in zip(dataset.companies.index, dataset.companies.itertuples())}
                     for lang in LANGS if lang != "en"})


def load_atlas(data_dir: Path | str = DEFAULT_DATA_DIR, cache_dir: Path | str | None = None) -> Atlas:
    dataset = load_dataset(data_dir)
    return build_atlas(dataset, cache_dir, load_stories(data_dir, frozenset(dataset.deals["id"])))
