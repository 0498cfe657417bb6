"""The interface's words, in English and Russian: one catalog per language (locales/*.json), and
the one formatter of plurals, numbers, money and dates ("$10B" / "10 млрд $", "1.5" / "1,5",
"Nov 2025" / "ноя 2025"), whose separators, units and plural rule are the catalog's too.

A small JSON catalog rather than gettext: the texts are few, keys are explicit so a test can
check that both languages hold the same ones, and there is no compile step or new dependency.
Values are str.format templates; a plural entry is an object of CLDR forms ("one", "few",
"many", "other"). Pure: no Dash; the page, panels, previews and tests all call these.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from .drawing import MONEY_DIGITS, money_parts, round_half_up
from .viewstate import LANGS

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LANG = "en"


class CatalogError(ValueError):
    """A catalog file is missing, unreadable or not shaped as expected."""


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    """The messages of one language, read once (immutable afterwards by convention)."""
    path = LOCALES_DIR / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogError(f"{path}: {error}") from None
    data.pop("_about", None)
    return data


def resolve(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def _east_slavic(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


# CLDR plural rules by name; a catalog names its language's rule (`plural.rule`), so a new
# language with one of these rules needs no code (assets/map.js pluralForm holds the same).
PLURAL_RULES = {
    "one_other": lambda n: "one" if n == 1 else "other",  # English, German, Italian…
    "east_slavic": _east_slavic,  # Russian, Ukrainian, Belarusian
}


def plural_form(lang: str | None, n: int) -> str:
    """CLDR plural category for an integer count, by the rule the language's catalog names."""
    return PLURAL_RULES[catalog(resolve(lang))["plural.rule"]](abs(int(n)))


def t(lang: str | None, key: str, **values) -> str:
    """The message `key` in `lang`, formatted with `values`; `n=` picks the plural form."""
    lang = resolve(lang)
    message = catalog(lang)[key]
    if isinstance(message, dict):
        form = plural_form(lang, values.get("n", 0))
        message = message.get(form, message.get("other", message.get("many", "")))
    return message.format(**values) if values else message


def negotiate(accept_language: str | None) -> str:
    """The best supported language for an Accept-Language header ('en' when none fits)."""
    best, best_q = DEFAULT_LANG, -1.0
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        if "q=" in params:  # a malformed weight counts as "not wanted"
            m = re.search(r"q=([01](?:\.[0-9]{0,3})?)\s*$", params)
            q = float(m[1]) if m else 0.0
        ranked = q - position * 1e-6  # ties: the earlier tag wins
        if primary in LANGS and q > 0 and ranked > best_q:
            best, best_q = primary, ranked
    return best


MISSING_NUMBER = "–"  # what a table shows for no number (the same in every language)


def _fixed(scaled: int, digits: int, lang: str | None, trim: bool = True, group: bool = True) -> str:
    """A number given in units of 10**-digits, written with the catalog's separators: 125 with 2
    digits -> 1.25 / 1,25; 125000 with 0 -> 125,000 / 125 000; trailing zeros dropped if `trim`,
    thousands grouped if `group` (assets/map.js `fixed` does the same)."""
    messages = catalog(resolve(lang))
    whole, fraction = divmod(abs(scaled), 10**digits)
    text = ("-" if scaled < 0 else "") + (f"{whole:,d}".replace(",", messages["number.group"]) if group else str(whole))
    tail = f"{fraction:0{digits}d}" if digits else ""
    tail = tail.rstrip("0") if trim else tail
    return f"{text}{messages['number.decimal']}{tail}" if tail else text


def grouped(value: float, lang: str | None) -> str:
    """1,250 / 1 250 (a no-break space groups thousands in Russian); an exact half rounds up."""
    return _fixed(round_half_up(value), 0, lang)


def number(value: float, lang: str | None = DEFAULT_LANG, digits: int = 2, trim: bool = True) -> str:
    """1.25 / 1,25, 0.5 / 0,5, 1,250 / 1 250: at most `digits` decimals (all of them with
    trim=False), the value as written rounded with an exact half up (2.675 -> 2.68); a missing or
    infinite value reads "–"."""
    if not math.isfinite(value):
        return MISSING_NUMBER
    exact = Decimal(repr(float(value))).scaleb(digits).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _fixed(int(exact), digits, lang, trim)


def percent(share: float, lang: str | None = DEFAULT_LANG) -> str:
    """0.42 -> '42%' / '42 %' (a whole percent, an exact half up; "–" for a missing share)."""
    if not math.isfinite(share):
        return MISSING_NUMBER
    return t(lang, "number.percent", value=number(share * 100, lang, digits=0))


def and_list(items, lang: str | None = DEFAULT_LANG) -> str:
    """'A', 'A and B', 'A, B and C' / 'A, B и C'."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return t(lang, "list.and", first=", ".join(items[:-1]), last=items[-1])


def money(amount: float, lang: str | None = DEFAULT_LANG) -> str:
    """$10B, $650M, $1.25B, $1.4T — or 10 млрд $, 650 млн $, 1,25 млрд $, 1,4 трлн $.

    Rounded by alliance/drawing.py `money_parts` (an exact half up: $1.125B reads $1.13B), the
    rule assets/map.js follows too; words and separators from the catalog (map.js gets them too).
    """
    unit, whole, hundredths = money_parts(amount)
    if unit is None:
        return t(lang, "money.plain", value=grouped(whole, lang))
    return t(
        lang, f"money.{unit}", value=_fixed(whole * 10**MONEY_DIGITS + hundredths, MONEY_DIGITS, lang, group=False)
    )


# The catalog's number and money formats: what a formatter in the browser needs (assets/map.js
# receives them in its map data, assets/*.js in the page's config: components/clientconfig.py).
FORMAT_KEYS = (
    "plural.rule",
    "number.decimal",
    "number.group",
    "number.percent",
    "money.trillion",
    "money.billion",
    "money.million",
    "money.thousand",
    "money.plain",
    "amount.up_to",
    "amount.about",
    "amount.undisclosed",
)


def formats(lang: str | None) -> dict:
    """The catalog entries of FORMAT_KEYS and the short month names, in `lang`."""
    messages = catalog(resolve(lang))
    return {
        **{key: messages[key] for key in FORMAT_KEYS},
        "month.short": [messages[f"month.short.{m}"] for m in range(1, 13)],
    }


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def amount_as_stated(amount, qualifier: str, lang: str | None = DEFAULT_LANG) -> str:
    """'up to $10B' / 'до 10 млрд $', 'about …', 'undisclosed' — the qualifier always kept."""
    if is_missing(amount):
        return t(lang, "amount.undisclosed")
    if qualifier in ("up_to", "about"):
        return t(lang, f"amount.{qualifier}", amount=money(amount, lang))
    return money(amount, lang)


def month_year(day: dt.date, lang: str | None = DEFAULT_LANG) -> str:
    """'Nov 2025' / 'ноя 2025'."""
    return f"{t(lang, f'month.short.{day.month}')} {day.year}"


def short_date(day: dt.date, lang: str | None = DEFAULT_LANG) -> str:
    """'18 Nov 2025' / '18 ноя 2025'."""
    return f"{day.day:02d} {month_year(day, lang)}"


def long_date(day: dt.date, lang: str | None = DEFAULT_LANG) -> str:
    """'18 November 2025' / '18 ноября 2025' (the genitive month, as Russian dates need)."""
    return f"{day.day:02d} {t(lang, f'month.long.{day.month}')} {day.year}"


def date_range(date_from: dt.date, date_to: dt.date, lang: str | None = DEFAULT_LANG) -> str:
    """'Nov 2025' for one month, 'Jan 2025 – Jun 2026' otherwise."""
    first, last = month_year(date_from, lang), month_year(date_to, lang)
    return first if first == last else f"{first} – {last}"


def deal_type(key: str, lang: str | None = DEFAULT_LANG) -> str:
    messages = catalog(resolve(lang))
    return messages.get(f"deal_type.{key}", key)


def role(key: str, lang: str | None = DEFAULT_LANG) -> str:
    return catalog(resolve(lang)).get(f"role.{key}", key)


def status(key: str, lang: str | None = DEFAULT_LANG) -> str:
    return catalog(resolve(lang)).get(f"status.{key}", key)


def count(lang: str | None, key: str, n: int) -> str:
    """'13 deals' / '13 сделок': a plural message whose template holds {n}."""
    return t(lang, key, n=n, count=grouped(n, lang))


def summary_line(
    total: float,
    n_deals: int,
    undisclosed: int,
    skipped: int,
    lang: str | None = DEFAULT_LANG,
    by_state: dict | None = None,
) -> str:
    """The map's summary sentence (also its text alternative, with the deal table); `by_state`
    ({"paid", "contracted", "conditional"} in dollars) adds how much of the total has moved."""
    text = t(
        lang,
        "summary.main",
        deals=count(lang, "summary.deals", n_deals),
        total=money(total, lang) if total else money(0, lang),
    )
    if by_state and total:
        text += " · " + t(lang, "summary.states", **{s: money(v, lang) for s, v in by_state.items()})
    extras = []
    if undisclosed:
        extras.append(t(lang, "summary.undisclosed", n=undisclosed))
    if skipped:
        extras.append(t(lang, "summary.skipped", n=skipped))
    if extras:
        text += f" ({'; '.join(extras)})"
    return text + "."


def view_title(date_from: dt.date, date_to: dt.date, lang: str | None = DEFAULT_LANG) -> str:
    return t(lang, "view.title", range=date_range(date_from, date_to, lang))


def notice_message(notice, lang: str | None = DEFAULT_LANG) -> str:
    """A viewstate.Notice in the reader's language; values from the link only as safe slugs."""
    if not notice.key:
        return notice.message
    values = {}
    for name, value in notice.values:
        if name == "shown":
            value = ", ".join(f"'{v}'" if v else t(lang, "notice.invalid_value") for v in value)
        elif name == "choices":
            value = t(lang, "notice.or").join(value)
        values[name] = value
    return t(lang, notice.key, **values)
