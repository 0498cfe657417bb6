"""Stories: every shipped story's link parses cleanly and shows the deals its caption rests on;
the loader refuses a story that cites an unknown deal or lacks its texts."""

from __future__ import annotations

import json
import re

import pytest

from alliance.atlas import load_atlas
from alliance.dataset import DatasetError, Problem
from alliance.filters import filter_deals
from alliance.layout import LAYOUT_VERSION
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


def write(folder, stories):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stories.json").write_text(json.dumps({"stories": stories}, ensure_ascii=False), encoding="utf-8")
    return folder


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


# --- The stories loader's messages, and load_atlas wiring stories and the layout cache. (From mutation testing,
# tests/MUTATION.md.)


def problems(folder, deal_ids=frozenset({"d3"})):
    with pytest.raises(DatasetError) as error:
        load_stories(folder, deal_ids)
    return error.value.problems


def test_non_ascii_texts_are_read_as_utf8(tmp_path):
    (story,) = load_stories(write(tmp_path, [{**GOOD, "title": "Сделки — ноябрь"}]), frozenset({"d3"}))
    assert (story.id, story.title, story.caption, story.query, story.deals) == (
        "s1",
        "Сделки — ноябрь",
        "One. Two.",
        "?types=chip_supply",
        ("d3",),
    )
    assert story.caption_in("ru") == "Раз. Два."


@pytest.mark.parametrize("text", ["{not json", '{"no_stories": []}', "[1, 2]"])
def test_an_unreadable_file_is_one_problem_for_the_file(tmp_path, text):
    (tmp_path / "stories.json").write_text(text, encoding="utf-8")
    (problem,) = problems(tmp_path)
    assert (problem.file, problem.row, problem.column) == ("stories.json", None, None)
    assert problem.reason.startswith("cannot be read: ")


def test_stories_that_are_not_a_list_are_refused(tmp_path):
    (tmp_path / "stories.json").write_text('{"stories": {"id": "s1"}}', encoding="utf-8")
    assert problems(tmp_path) == [Problem("stories.json", None, "stories", "must be a list of stories")]


def test_every_bad_entry_is_reported_with_its_row_and_column(tmp_path):
    entries = [
        "just text",
        {**GOOD, "id": "s2", "title": " "},
        {**GOOD, "id": "s3", "deals": "d3"},
        {**GOOD, "id": "s3"},
        {**GOOD, "id": "s4", "query": "types=x", "deals": ["d3", "gone"]},
    ]
    assert [str(p) for p in problems(write(tmp_path, entries))] == [
        "stories.json row 1: each story must be an object",
        "stories.json row 2, column title: required text is missing",
        "stories.json row 3, column deals: list the ids of the deals the caption rests on",
        "stories.json row 4, column id: duplicate story id 's3'",
        "stories.json row 5, column deals: unknown deal id 'gone'",
        "stories.json row 5, column query: must start with '?'",
    ]


def test_a_missing_text_names_its_column(tmp_path):
    entry = {key: value for key, value in GOOD.items() if key != "caption"}
    assert problems(write(tmp_path, [entry])) == [Problem("stories.json", 1, "caption", "required text is missing")]


def test_deals_must_be_a_list_of_ids(tmp_path):
    assert problems(write(tmp_path, [{**GOOD, "deals": ["d3", 4]}])) == [
        Problem("stories.json", 1, "deals", "list the ids of the deals the caption rests on")
    ]


def test_load_atlas_reads_the_stories_beside_the_data_and_uses_the_layout_cache(tiny_dir, tmp_path):
    write(tiny_dir, [GOOD])
    atlas = load_atlas(tiny_dir, cache_dir=tmp_path / "cache")
    assert [story.id for story in atlas.stories] == ["s1"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        f"positions-{LAYOUT_VERSION}-{atlas.dataset.version}.json"
    ]
