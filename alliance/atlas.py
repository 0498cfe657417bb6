"""The Atlas: a loaded dataset plus everything derived from it once (positions, URL context).

Built once at start-up and never mutated, so gunicorn workers and callbacks can share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from .graph import Geometry, edge_geometry, role_aware_positions
from .viewstate import Context, month_end, month_start


@dataclass(frozen=True)
class Atlas:
    dataset: Dataset
    geometry: Geometry
    context: Context


def build_atlas(dataset: Dataset) -> Atlas:
    positions = role_aware_positions(dataset.companies, dataset.deals)
    geometry = edge_geometry(dataset.deals, positions)
    context = Context(
        first_day=month_start(dataset.deals["date"].min().date()),
        last_day=month_end(dataset.deals["date"].max().date()),
        company_ids=frozenset(dataset.companies.index),
        deal_ids=frozenset(dataset.deals["id"]),
    )
    return Atlas(dataset=dataset, geometry=geometry, context=context)


def load_atlas(data_dir: Path | str = DEFAULT_DATA_DIR) -> Atlas:
    return build_atlas(load_dataset(data_dir))
