"""Russian texts: every deal summary, company description and story has a Russian version, and
every number in the English text survives the translation.

The files are read raw (csv module, json) so the check does not depend on which columns the
loader keeps. Numbers are compared as values: English "$1.25B", "10,000" and Russian
"1,25 млрд $", "10 000" (no-break space) are the same numbers 1.25 and 10000.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from alliance.dataset import DEFAULT_DATA_DIR

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# English: "10,000" groups thousands with commas, "1.25" has a decimal point.
EN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
# Russian: "10 000" groups with a (no-break / narrow no-break) space, "1,25" has a decimal comma;
# product names keep their point ("GPT-3.5", "Opus 4.1").
RU_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")


def numbers_en(text: str) -> list[float]:
    return [float(m.replace(",", "")) for m in EN_NUMBER.findall(text)]


def numbers_ru(text: str) -> list[float]:
    return [float(re.sub(r"[ \u00a0\u202f]", "", m).replace(",", ".")) for m in RU_NUMBER.findall(text)]


def translation_problems(key: str, english: str, russian: str) -> list[str]:
    """What is wrong with one Russian text: missing, not Russian, or a number lost on the way."""
    if not russian.strip():
        return [f"{key}: no Russian text"]
    problems = []
    if not CYRILLIC.search(russian):
        problems.append(f"{key}: the Russian text has no Cyrillic letters")
    lost = sorted(set(numbers_en(english)) - set(numbers_ru(russian)))
    if lost:
        problems.append(f"{key}: numbers {lost} of the English text are missing in the Russian")
    return problems


def csv_pairs(name: str, id_column: str, english: str, russian: str) -> list[tuple[str, str, str]]:
    with (Path(DEFAULT_DATA_DIR) / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert russian in reader.fieldnames, f"{name} has no {russian} column"
        return [(f"{name} {row[id_column]}", row[english], row[russian] or "") for row in reader]


def story_pairs() -> list[tuple[str, str, str]]:
    stories = json.loads((Path(DEFAULT_DATA_DIR) / "stories.json").read_text(encoding="utf-8"))["stories"]
    return [(f"story {s['id']} {key}", s[key], s.get(f"{key}_ru", "")) for s in stories for key in ("title", "caption")]


@pytest.mark.parametrize(
    "pairs",
    [
        pytest.param(lambda: csv_pairs("deals.csv", "id", "summary", "summary_ru"), id="deal summaries"),
        pytest.param(
            lambda: csv_pairs("companies.csv", "id", "description", "description_ru"), id="company descriptions"
        ),
        pytest.param(story_pairs, id="story titles and captions"),
    ],
)
def test_every_shipped_text_has_a_faithful_russian_version(pairs):
    rows = pairs()
    assert rows
    problems = [p for key, en, ru in rows for p in translation_problems(key, en, ru)]
    assert problems == []


def test_shipped_counts():
    """Every row is covered, not a sample: the Russian texts count as many as the English ones."""
    for name, english, russian in (
        ("deals.csv", "summary", "summary_ru"),
        ("companies.csv", "description", "description_ru"),
    ):
        rows = csv_pairs(name, "id", english, russian)
        assert sum(1 for _, _, ru in rows if ru.strip()) == len(rows) >= 100
    assert len(story_pairs()) >= 10


# The checker itself, on hand-made texts (expected values written by hand).


def test_numbers_are_read_as_values_in_both_languages():
    assert numbers_en("$1.25B at $87.20/share, 10,000 GPUs in Q1 2026") == [1.25, 87.2, 10000, 1, 2026]
    assert numbers_ru("1,25 млрд $ по 87,20 $ за акцию, 10\u00a0000 GPU в 1-м квартале 2026 года") == [
        1.25,
        87.2,
        10000,
        1,
        2026,
    ]
    assert numbers_ru("до 31 000 GPU, GPT-3.5 и Opus 4.1") == [31000, 3.5, 4.1]
    assert numbers_en("GB200/GB300, 8x7B, Trainium2-4") == [200, 300, 8, 7, 2, 4]


def test_a_faithful_translation_passes():
    assert (
        translation_problems(
            "d1",
            "OpenAI signs five-year cloud contract with CoreWeave worth up to $11.9B",
            "OpenAI заключает с CoreWeave пятилетний облачный контракт стоимостью до 11,9 млрд $",
        )
        == []
    )
    assert (
        translation_problems(
            "d2", "Nscale to deploy ~200,000 Nvidia GB300 GPUs", "Nscale развернёт около 200\u00a0000 GPU Nvidia GB300"
        )
        == []
    )


@pytest.mark.parametrize(
    "english, russian, expected",
    [
        ("Google invests $500M upfront", "", ["d: no Russian text"]),
        ("Google invests $500M upfront", "   ", ["d: no Russian text"]),
        (
            "Google invests $500M upfront",
            "Google invests $500M upfront",
            ["d: the Russian text has no Cyrillic letters"],
        ),
        (
            "up to $22.4B in three contracts",
            "до 22 млрд $ по трём контрактам",
            ["d: numbers [22.4] of the English text are missing in the Russian"],
        ),
        (
            "$1.25B in 2023",
            "1,5 млрд $ в 2024 году",
            ["d: numbers [1.25, 2023.0] of the English text are missing in the Russian"],
        ),
        (
            "10,000 GPU servers",
            "10 GPU-серверов",
            ["d: numbers [10000.0] of the English text are missing in the Russian"],
        ),
    ],
)
def test_a_bad_translation_is_reported(english, russian, expected):
    assert translation_problems("d", english, russian) == expected
