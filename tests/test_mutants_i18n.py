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
