"""Russian texts on the paths the English tests cannot tell apart (found by mutation testing,
tests/MUTATION.md): a mutant that drops `lang` falls back to English, so only another language shows it."""

from __future__ import annotations

import datetime as dt

from alliance.i18n import flow_hover, summary_line


def test_summary_line_in_russian_with_nothing_stated_and_everything_left_out():
    assert summary_line(0.0, 2, 1, 1, "ru") == (
        "2 сделки в текущем виде · 0 $ названных сумм (+1 без суммы; не учтено 1: заменены, отменены или "
        "оплачены не компании).")


def test_flow_hover_in_russian_without_a_stated_amount_in_one_month():
    nov = dt.date(2025, 11, 3)
    assert flow_hover("A", "B", "chip_supply", float("nan"), False, 2, 5, nov, dt.date(2025, 11, 28), "ru") == (
        "<b>A → B</b><br>Поставка чипов · сумма не названа<br>5 сделок · ноя 2025<br><i>щелчок — сделки плательщика</i>")


import pytest  # noqa: E402

from alliance.i18n import count, grouped, negotiate, plural_form, status  # noqa: E402


@pytest.mark.parametrize("header, lang", [
    ("fr, en, ru", "en"),                        # equal weights: the earlier listed language wins
    ("de, en;q=0.5, ru;q=0.5", "en"),
    ("ru, en", "ru"),
    ("en;q=1, ru", "en"),                        # no weight is q=1, not more
    ("en;q=0.1, ru;foo=1;q=0.5", "ru"),          # parameters before the weight
    ("ru-RU", "ru"),
    ("en;q=0.5, ru;q=0.6, en;q=0.55", "ru"),
    ("de, ru;q=0.5, en;q=0.4", "ru"),
    (", ".join(["de"] * 20 + ["ru"]), "en"),    # only the first 20 entries are read
    (", ".join(["de"] * 19 + ["ru"]), "ru"),
    (None, "en"),
])
def test_accept_language_negotiation(header, lang):
    assert negotiate(header) == lang


@pytest.mark.parametrize("n, form", [(1, "one"), (21, "one"), (11, "many"), (2, "few"), (22, "few"), (12, "many"),
                                     (13, "many"), (14, "many"), (112, "many"), (212, "many"), (5, "many")])
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
