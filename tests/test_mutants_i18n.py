"""Russian texts on the paths the English tests cannot tell apart (found by mutation testing,
tests/MUTATION.md): a mutant that drops `lang` falls back to English, so only another language shows it."""

from __future__ import annotations

import datetime as dt

from alliance.i18n import summary_line


def test_summary_line_in_russian_with_nothing_stated_and_everything_left_out():
    assert summary_line(0.0, 2, 1, 1, "ru") == (
        "2 сделки в текущем виде · 0 $ названных сумм (+1 без суммы; не учтено 1: заменены, отменены или "
        "оплачены не компании)."
    )


import pytest  # noqa: E402

from alliance.i18n import count, grouped, negotiate, plural_form, status  # noqa: E402


@pytest.mark.parametrize(
    "header, lang",
    [
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
        (None, "en"),
    ],
)
def test_accept_language_negotiation(header, lang):
    assert negotiate(header) == lang


@pytest.mark.parametrize(
    "n, form",
    [
        (1, "one"),
        (21, "one"),
        (11, "many"),
        (2, "few"),
        (22, "few"),
        (12, "many"),
        (13, "many"),
        (14, "many"),
        (112, "many"),
        (212, "many"),
        (5, "many"),
    ],
)
def test_russian_plural_forms(n, form):
    assert plural_form("ru", n) == form


def test_english_plural_forms():
    assert (plural_form("en", 1), plural_form("en", 2), plural_form("en", 0)) == ("one", "other", "other")


def test_grouping_and_counts():
    assert grouped(12345, "ru") == "12\u00a0345"
    assert grouped(12345, "en") == "12,345"
    assert count("ru", "share.description", 12345) == "12\u00a0345 сделок"


def test_status_words():
    assert status("completed", "ru") == "завершена"
    assert status("rumoured", "ru") == "rumoured"


from types import SimpleNamespace  # noqa: E402

from alliance import i18n  # noqa: E402
from alliance.i18n import amount_as_stated, deal_type, money, role, t  # noqa: E402
from alliance.text import view_description, view_title  # noqa: E402


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
