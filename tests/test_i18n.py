"""The message catalogs and the Russian number and date formats."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from types import SimpleNamespace

import pytest

from alliance import i18n
from alliance.i18n import (
    LOCALES_DIR,
    amount_as_stated,
    count,
    date_range,
    deal_type,
    grouped,
    long_date,
    money,
    month_year,
    negotiate,
    plural_form,
    role,
    short_date,
    status,
    summary_line,
    t,
)
from alliance.schema import DEAL_TYPES, ROLES, STATUSES
from alliance.text import view_description, view_title

PLURAL_FORMS = {"en": {"one", "other"}, "ru": {"one", "few", "many"}}


def raw(lang):
    data = json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    data.pop("_about")
    return data


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_both_languages():
    assert sorted(set(raw("en")) - set(raw("ru"))) == []
    assert sorted(set(raw("ru")) - set(raw("en"))) == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_plural_entries_hold_each_form_of_their_language(lang):
    for key, value in raw(lang).items():
        if isinstance(value, dict):
            assert set(value) == PLURAL_FORMS[lang], key
        else:
            assert isinstance(value, str) and (value.strip() or (key == "number.group" and value)), key


def test_both_languages_use_the_same_placeholders():
    en, ru = raw("en"), raw("ru")
    for key in en:
        en_fields = set().union(*map(fields, en[key].values())) if isinstance(en[key], dict) else fields(en[key])
        ru_fields = set().union(*map(fields, ru[key].values())) if isinstance(ru[key], dict) else fields(ru[key])
        assert en_fields == ru_fields, key


def test_every_vocabulary_word_has_a_translation():
    for lang in ("en", "ru"):
        messages = raw(lang)
        for key in (
            [f"deal_type.{k}" for k in DEAL_TYPES] + [f"role.{k}" for k in ROLES] + [f"status.{k}" for k in STATUSES]
        ):
            assert key in messages, (lang, key)
    assert i18n.deal_type("chip_supply", "ru") == "Поставка чипов"
    assert i18n.role("chipmaker", "en") == "Chipmaker"


@pytest.mark.parametrize(
    ("amount", "en", "ru"),
    [
        (10e9, "$10B", "10 млрд $"),
        (1.25e9, "$1.25B", "1,25 млрд $"),
        (650e6, "$650M", "650 млн $"),
        (1.4e12, "$1.4T", "1,4 трлн $"),
        (5e3, "$5K", "5 тыс. $"),
        (0, "$0", "0 $"),
    ],
)
def test_money(amount, en, ru):
    assert money(amount, "en") == en
    assert money(amount, "ru") == ru


def test_amount_keeps_its_qualifier():
    assert amount_as_stated(10e9, "up_to", "ru") == "до 10 млрд $"
    assert amount_as_stated(2.7e9, "about", "en") == "about $2.7B"
    assert amount_as_stated(float("nan"), "undisclosed", "ru") == "не раскрыта"


def test_dates():
    day = dt.date(2025, 11, 18)
    assert month_year(day, "ru") == "ноя 2025"
    assert month_year(day, "en") == "Nov 2025"
    assert short_date(day, "ru") == "18 ноя 2025"
    assert long_date(day, "ru") == "18 ноября 2025"
    assert long_date(dt.date(2025, 5, 1), "en") == "01 May 2025"
    assert date_range(dt.date(2025, 1, 1), dt.date(2026, 6, 30), "ru") == "янв 2025 – июн 2026"
    assert date_range(day, dt.date(2025, 11, 30), "en") == "Nov 2025"


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "one"),
        (21, "one"),
        (11, "many"),
        (2, "few"),
        (4, "few"),
        (14, "many"),
        (22, "few"),
        (5, "many"),
        (0, "many"),
        (111, "many"),
        (101, "one"),
        (12, "many"),
        (13, "many"),
        (112, "many"),
        (212, "many"),
    ],
)
def test_russian_plurals(n, form):
    assert plural_form("ru", n) == form


def test_counts_read_naturally():
    assert t("ru", "map.deals", n=1, count="1") == "1 сделка"
    assert t("ru", "map.deals", n=3, count="3") == "3 сделки"
    assert t("ru", "map.deals", n=13, count="13") == "13 сделок"
    assert t("en", "map.deals", n=1, count="1") == "1 deal"


def test_summary_sentence():
    assert summary_line(152.5e9, 13, 2, 1, "en") == (
        "13 deals in view · $152.5B in stated amounts (+2 undisclosed; 1 replaced, cancelled or not paid to the "
        "company, not counted)."
    )
    assert summary_line(152.5e9, 13, 0, 0, "ru") == "13 сделок в текущем виде · 152,5 млрд $ названных сумм."


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        ("en-US,en;q=0.9,ru;q=0.8", "en"),
        ("de-DE,de;q=0.9", "en"),
        ("de-DE,ru;q=0.5", "ru"),
        ("en;q=0.3,ru;q=0.6", "ru"),
        ("ru;q=0", "en"),
        ("", "en"),
        (None, "en"),
        ("ru;q=abc", "en"),
        (";;,,=", "en"),
        ("fr, en, ru", "en"),  # equal weights: the earlier listed language wins
        ("de, en;q=0.5, ru;q=0.5", "en"),
        ("ru, en", "ru"),
        ("en;q=1, ru", "en"),  # no weight is q=1, not more
        ("en;q=0.1, ru;foo=1;q=0.5", "ru"),  # parameters before the weight
        ("ru-RU", "ru"),
        ("en;q=0.5, ru;q=0.6, en;q=0.55", "ru"),
        ("de, ru;q=0.5, en;q=0.4", "ru"),
        (", ".join(["de"] * 20 + ["ru"]), "en"),  # only the first 20 entries are read
        (", ".join(["de"] * 19 + ["ru"]), "ru"),
    ],
)
def test_accept_language(header, lang):
    assert negotiate(header) == lang


def test_unknown_language_falls_back_to_english():
    assert t("xx", "page.filters") == "Filters"
    assert t(None, "page.filters") == "Filters"


@pytest.mark.parametrize(
    "query",
    [
        "depth=7",
        "types=foo,<b>",
        "from=2025-13",
        "lang=de",
        "embed=maybe",
        "company=nobody",
        "from=2026-01&to=2025-01",
        "view=<script>",
    ],
)
def test_notices_read_the_same_in_english_and_are_translated(shipped_atlas, query):
    from alliance.i18n import notice_message
    from alliance.viewstate import parse

    _, notices = parse(query, shipped_atlas.context)
    assert notices
    for notice in notices:
        assert notice_message(notice, "en") == notice.message  # the catalog says what the codec says
        russian = notice_message(notice, "ru")
        assert russian != notice.message and "<" not in russian


def test_notice_in_russian(shipped_atlas):
    from alliance.i18n import notice_message
    from alliance.viewstate import parse

    _, notices = parse("lang=de&types=foo,<b>", shipped_atlas.context)
    assert [notice_message(n, "ru") for n in notices] == [
        "Пропущены неизвестные значения types: 'foo', недопустимое значение.",
        "Пропущено lang='de': укажите en или ru.",
    ]


@pytest.mark.parametrize(
    ("amount", "en", "ru"),
    [
        (1.125e9, "$1.13B", "1,13 млрд $"),  # an exact half rounds up (tests/js/map.test.js: the same in map.js)
        (1.115e9, "$1.12B", "1,12 млрд $"),  # and up from an odd digit too: not half-to-even
        (2.675e9, "$2.68B", "2,68 млрд $"),  # exact for whole dollars (2.675 itself is not a binary number)
        (1.1249e9, "$1.12B", "1,12 млрд $"),
        (999_999_999, "$1B", "1 млрд $"),  # rounds into the next unit rather than "$1000M"
        (999_990_000, "$999.99M", "999,99 млн $"),
        (999_999_999_999, "$1T", "1 трлн $"),
        (1e15, "$1000T", "1000 трлн $"),  # no unit above trillions
        (41.2e9, "$41.2B", "41,2 млрд $"),
        (1.4e12, "$1.4T", "1,4 трлн $"),
        (650e6, "$650M", "650 млн $"),
        (2500, "$2.5K", "2,5 тыс. $"),
        (999.5, "$1K", "1 тыс. $"),
        (2.5, "$3", "3 $"),
        (0, "$0", "0 $"),
    ],
)
def test_money_rounds_an_exact_half_up(amount, en, ru):
    assert (money(amount, "en"), money(amount, "ru")) == (en, ru)


def test_grouped_thousands_round_an_exact_half_up():
    assert grouped(1_234_567.5, "en") == "1,234,568" and grouped(2.5, "en") == "3"
    assert grouped(1_234_567, "ru") == "1\u00a0234\u00a0567"


@pytest.mark.parametrize(
    ("value", "digits", "trim", "en", "ru"),
    [
        (1.5, 2, True, "1.5", "1,5"),  # gigawatts
        (0.75, 2, True, "0.75", "0,75"),
        (10, 2, True, "10", "10"),
        (2.675, 2, True, "2.68", "2,68"),  # the value as written: an exact half up (f"{2.675:.2f}" reads 2.67)
        (0.125, 2, True, "0.13", "0,13"),  # and not half-to-even (f"{0.125:.2f}" reads 0.12)
        (0.5, 2, False, "0.50", "0,50"),  # the metrics' two fixed decimals
        (1234.5, 0, True, "1,235", "1\u00a0235"),
        (-3.25, 1, True, "-3.3", "-3,3"),
    ],
)
def test_numbers_take_their_separators_from_the_catalog(value, digits, trim, en, ru):
    assert (i18n.number(value, "en", digits, trim), i18n.number(value, "ru", digits, trim)) == (en, ru)


def test_a_missing_number_reads_as_a_dash():
    assert i18n.number(float("nan"), "ru") == "–" and i18n.percent(float("nan"), "en") == "–"


def test_percent_and_lists_read_the_same_way_everywhere():
    # one percent format for the company panel and the stress test's table (the table used to
    # print "42%" in Russian while the panel printed "42 %")
    assert (i18n.percent(0.42, "en"), i18n.percent(0.42, "ru")) == ("42%", "42\u00a0%")
    assert (i18n.percent(0.125, "en"), i18n.percent(0.005, "ru")) == ("13%", "1\u00a0%")  # an exact half up
    assert (i18n.percent(0.5), i18n.percent(1.0), i18n.percent(12.5)) == ("50%", "100%", "1,250%")  # English by default
    assert i18n.percent(12.5, "ru") == "1\u00a0250\u00a0%"  # the number inside in the catalog's own format
    assert i18n.number(2.675) == "2.68"  # by default: English, two decimals at most
    assert i18n.and_list(["OpenAI"], "ru") == "OpenAI" and i18n.and_list([], "en") == ""
    assert i18n.and_list(["OpenAI", "Microsoft"], "en") == "OpenAI and Microsoft"
    assert i18n.and_list(["OpenAI", "Microsoft", "Oracle"], "ru") == "OpenAI, Microsoft и Oracle"


def test_each_catalog_names_a_plural_rule_python_and_map_js_both_know():
    assert (raw("en")["plural.rule"], raw("ru")["plural.rule"]) == ("one_other", "east_slavic")
    map_js = (LOCALES_DIR.parent / "assets" / "map.js").read_text(encoding="utf-8")
    block = map_js[map_js.index("var PLURAL_RULES = {") : map_js.index("function pluralForm")]
    assert set(re.findall(r"^    ([a-z_]+): function", block, flags=re.M)) == set(i18n.PLURAL_RULES)
    # a third language with Russian's rule needs no code: the rule is the catalog's, not the code's
    assert [i18n.PLURAL_RULES["east_slavic"](n) for n in (1, 2, 5, 11, 21, 22, 25, 111)] == [
        "one",
        "few",
        "many",
        "many",
        "one",
        "few",
        "many",
        "many",
    ]


# --- Russian texts on the paths the English tests cannot tell apart: a mutant that drops `lang` falls back to
# English, so only another language shows it. (From mutation testing, tests/MUTATION.md.)


def test_summary_line_in_russian_with_nothing_stated_and_everything_left_out():
    assert summary_line(0.0, 2, 1, 1, "ru") == (
        "2 сделки в текущем виде · 0 $ названных сумм (+1 без суммы; не учтено 1: заменены, отменены или "
        "оплачены не компании)."
    )


def test_english_plural_forms():
    assert (plural_form("en", 1), plural_form("en", 2), plural_form("en", 0)) == ("one", "other", "other")


def test_grouping_and_counts():
    assert grouped(12345, "ru") == "12\u00a0345"
    assert grouped(12345, "en") == "12,345"
    assert count("ru", "share.description", 12345) == "12\u00a0345 сделок"


def test_status_words():
    assert status("completed", "ru") == "завершена"
    assert status("rumoured", "ru") == "rumoured"


@pytest.mark.parametrize(
    "amount, english, russian",
    [
        (1e12, "$1T", "1 трлн $"),
        (1e9, "$1B", "1 млрд $"),
        (1e6, "$1M", "1 млн $"),
        (1e3, "$1K", "1 тыс. $"),
        (1.234e9, "$1.23B", "1,23 млрд $"),
        (999, "$999", "999 $"),
    ],
)
def test_money_units_and_two_decimals(amount, english, russian):
    assert (money(amount, "en"), money(amount, "ru")) == (english, russian)


def test_unknown_keys_fall_back_to_the_key_and_amounts_keep_the_language():
    assert (deal_type("space_elevator", "ru"), role("wizard", "ru")) == ("space_elevator", "wizard")
    assert amount_as_stated(5e9, "exact", "ru") == "5 млрд $"


def test_plural_messages_fall_back_to_other_then_many_then_nothing(monkeypatch):
    messages = {
        "only_one": {"one": "{n} item"},
        "no_other": {"one": "{n} item", "many": "{n} items (many)"},
        "counted": {"one": "one item", "other": "{n} items"},
        "braces": "{kept}",
        "plural.rule": "one_other",
    }
    monkeypatch.setattr(i18n, "catalog", lambda lang: messages)
    assert t("en", "only_one", n=5) == ""
    assert t("en", "no_other", n=5) == "5 items (many)"
    assert t("en", "counted", n=3) == "3 items"
    assert t("en", "counted") == "{n} items"  # no values: nothing is formatted (and n counts as 0)
    assert t("en", "braces") == "{kept}"


def test_titles_of_a_state_without_a_language_are_english():
    bare = SimpleNamespace(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31), types=())
    assert view_title(bare) == "Who funds, supplies and hosts whom · Jan 2025"
    assert view_description([1, 2], bare, 3e9) == "2 deals · $3B stated · Jan 2025"
