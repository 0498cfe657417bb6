"""The stories loader's messages, and load_atlas wiring stories and the layout cache
(found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import json

import pytest

from alliance.atlas import load_atlas
from alliance.dataset import DatasetError, Problem
from alliance.layout import LAYOUT_VERSION
from alliance.stories import load_stories

GOOD = {
    "id": "s1",
    "title": "T",
    "caption": "One. Two.",
    "query": "?types=chip_supply",
    "deals": ["d3"],
    "title_ru": "Т",
    "caption_ru": "Раз. Два.",
}


def write(folder, stories):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stories.json").write_text(json.dumps({"stories": stories}, ensure_ascii=False), encoding="utf-8")
    return folder


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
