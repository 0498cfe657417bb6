"""Stories: every shipped story's link parses cleanly and shows the deals its caption rests on;
the loader refuses a story that cites an unknown deal or lacks its texts."""

from __future__ import annotations

import json
import re

import pytest

from alliance.dataset import DatasetError
from alliance.filters import filter_deals
from alliance.stories import load_stories
from alliance.viewstate import parse
from components.stories import story_bar, story_href


def test_there_are_at_least_five_stories(shipped_atlas):
    assert len(shipped_atlas.stories) >= 5
    assert [s.id for s in shipped_atlas.stories][:2] == ["nov-2025-pact", "openai-compute-2025"]


@pytest.mark.parametrize("index", range(6))
def test_each_story_link_parses_and_shows_its_deals(shipped_atlas, index):
    story = shipped_atlas.stories[index]
    state, notices = parse(story.query + f"&story={story.id}", shipped_atlas.context)
    assert notices == [] and state.story == story.id
    shown = set(filter_deals(shipped_atlas.dataset, state)["id"])
    assert shown, "a story must show deals"
    assert set(story.deals) <= shown, f"deals cited but not in view: {set(story.deals) - shown}"
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", story.caption.strip()) if s]
    assert 2 <= len(sentences) <= 4


def test_story_bar_steps_and_keeps_embeds(shipped_atlas):
    first, second = shipped_atlas.stories[:2]
    children, hidden = story_bar(shipped_atlas, f"?story={first.id}&embed=1")
    text = str(children)
    assert hidden is False and "Story 1 of" in text and first.title in text
    assert (
        story_href(second, parse("?embed=1", shipped_atlas.context)[0]) == f"/{second.query}&story={second.id}&embed=1"
    )
    assert story_bar(shipped_atlas, "?types=equity_investment") == ([], True)


def write(tmp_path, stories):
    (tmp_path / "stories.json").write_text(json.dumps({"stories": stories}), encoding="utf-8")
    return tmp_path


GOOD = {
    "id": "s1",
    "title": "T",
    "caption": "One. Two.",
    "query": "?types=chip_supply",
    "deals": ["d3"],
    "title_ru": "Т",
    "caption_ru": "Раз. Два.",
}


def test_loader_reads_good_stories(tmp_path):
    (story,) = load_stories(write(tmp_path, [GOOD]), frozenset({"d3"}))
    assert story.id == "s1" and story.deals == ("d3",)


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"deals": ["nope"]}, "unknown deal id 'nope'"),
        ({"deals": []}, "list the ids of the deals"),
        ({"caption": ""}, "required text is missing"),
        ({"query": "types=chip_supply"}, "must start with '?'"),
    ],
)
def test_loader_refuses_bad_stories(tmp_path, change, reason):
    with pytest.raises(DatasetError) as error:
        load_stories(write(tmp_path, [{**GOOD, **change}]), frozenset({"d3"}))
    assert reason in str(error.value) and "stories.json row 1" in str(error.value)


def test_no_stories_file_means_no_stories(tmp_path):
    assert load_stories(tmp_path, frozenset()) == ()
