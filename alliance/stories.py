"""Stories: guided views (a share link, a title and a caption) read from data/stories.json.

Words are data: the texts live beside the dataset, and a story that names an unknown deal, or
whose link the URL codec does not understand, stops start-up like a bad dataset row would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .dataset import DatasetError, Problem

STORIES_FILE = "stories.json"


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    caption: str
    query: str  # the view, as a share-link query string ("?types=…")
    deals: tuple[str, ...]  # the deals the caption's claims rest on


def load_stories(data_dir: Path | str, deal_ids: frozenset[str]) -> tuple[Story, ...]:
    """Stories in file order; () when the file is absent. Raises DatasetError on a bad entry."""
    path = Path(data_dir) / STORIES_FILE
    if not path.exists():
        return ()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["stories"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DatasetError([Problem(STORIES_FILE, None, None, f"cannot be read: {error}")]) from None
    if not isinstance(raw, list):
        raise DatasetError([Problem(STORIES_FILE, None, "stories", "must be a list of stories")])
    stories, problems, seen = [], [], set()
    for number, entry in enumerate(raw, start=1):
        def problem(column, reason):
            problems.append(Problem(STORIES_FILE, number, column, reason))
        if not isinstance(entry, dict):
            problem(None, "each story must be an object")
            continue
        for key in ("id", "title", "caption", "query"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problem(key, "required text is missing")
        deals = entry.get("deals")
        if not isinstance(deals, list) or not deals or not all(isinstance(d, str) for d in deals):
            problem("deals", "list the ids of the deals the caption rests on")
            deals = []
        for deal in deals:
            if deal not in deal_ids:
                problem("deals", f"unknown deal id '{deal}'")
        if entry.get("id") in seen:
            problem("id", f"duplicate story id '{entry['id']}'")
        seen.add(entry.get("id"))
        if isinstance(entry.get("query"), str) and not entry["query"].startswith("?"):
            problem("query", "must start with '?'")
        if not problems:
            stories.append(Story(entry["id"], entry["title"], entry["caption"], entry["query"], tuple(deals)))
    if problems:
        raise DatasetError(problems)
    return tuple(stories)
