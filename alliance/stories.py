"""Stories: guided views (a share link, a title and a caption) read from data/stories.json.

Words are data: the texts live beside the dataset, and a story that names an unknown deal, or
whose link the URL codec does not understand, stops start-up like a bad dataset row would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .dataset import CYRILLIC, DatasetError, Problem
from .schema import LENIENT_RULES

STORIES_FILE = "stories.json"


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    caption: str
    query: str  # the view, as a share-link query string ("?types=…")
    deals: tuple[str, ...]  # the deals the caption's claims rest on
    title_ru: str = ""  # Russian title and caption ("" = not translated yet: the English is shown)
    caption_ru: str = ""

    def title_in(self, lang: str | None) -> str:
        return self.title_ru if lang == "ru" and self.title_ru else self.title

    def caption_in(self, lang: str | None) -> str:
        return self.caption_ru if lang == "ru" and self.caption_ru else self.caption

    def text_lang(self, lang: str | None, field: str) -> str:
        """The language the shown text is in (for the element's lang attribute)."""
        return "ru" if lang == "ru" and getattr(self, field + "_ru") else "en"


RUSSIAN_KEYS = (("title", "title_ru"), ("caption", "caption_ru"))


def missing_russian(stories) -> list[Problem]:
    """A warning per story text still without its Russian version (rule russian_text)."""
    return [
        Problem(
            STORIES_FILE,
            number,
            russian,
            f"story '{story.id}': Russian text missing: translate {english}",
            "russian_text",
        )
        for number, story in enumerate(stories, start=1)
        for english, russian in RUSSIAN_KEYS
        if not getattr(story, russian)
    ]


def load_stories(data_dir: Path | str, deal_ids: frozenset[str], strict: bool | None = None) -> tuple[Story, ...]:
    """Stories in file order; () when the file is absent. Raises DatasetError on a bad entry.

    `title_ru` / `caption_ru` are optional while the rule russian_text is lenient (strict=None
    follows schema.LENIENT_RULES); when present they must be Russian text."""
    strict = "russian_text" not in LENIENT_RULES if strict is None else strict
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

        def problem(column, reason, number=number):
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
        for english, russian in RUSSIAN_KEYS:
            value = entry.get(russian)
            if value is None or value == "":
                if strict:
                    problem(russian, f"Russian text missing: translate {english}")
            elif not isinstance(value, str) or not CYRILLIC.search(value):
                problem(russian, "must be Russian text (at least one Cyrillic letter)")
        if not problems:
            stories.append(
                Story(
                    entry["id"],
                    entry["title"],
                    entry["caption"],
                    entry["query"],
                    tuple(deals),
                    entry.get("title_ru") or "",
                    entry.get("caption_ru") or "",
                )
            )
    if problems:
        raise DatasetError(problems)
    return tuple(stories)
