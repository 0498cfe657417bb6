"""The view state and its URL codec: `parse(query) -> (ViewState, notices)` and `to_query(state)`.

The page, the share link, the embed snippet and the /api endpoints all speak this one codec.
Parsing never raises: anything it cannot use falls back to the default and yields a Notice,
which the page shows and the API turns into a 400. Notices never echo raw input unless it is
a harmless slug, so nothing a visitor types ends up in the HTML.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from urllib.parse import parse_qs, urlencode

from .limits import DEPTHS, MAX_AMOUNT, MAX_CYCLE_LENGTH, MAX_LIST  # noqa: F401 (MAX_LIST: controls import it here)
from .schema import DEAL_TYPES, ROLES, SOURCE_FILTERS

VIEWS = ("network", "sankey")
SANKEY_COLUMNS = ("1", "2", "3", "4")  # expand=…: the Sankey columns whose "N others" are opened
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
SAFE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
# A loop's id: its company ids joined by '~', between 2 and MAX_CYCLE_LENGTH of them.
CYCLE_ID = re.compile(r"[a-z0-9\-]+(?:~[a-z0-9\-]+){1,%d}" % (MAX_CYCLE_LENGTH - 1))
LANGS = ("en", "ru")  # the interface languages (alliance/i18n.py has one catalog per language)
THEMES = ("light", "dark")
# `money`: which money states the view keeps: only money that moved, moved plus signed, or all.
MONEY_FILTERS = ("paid", "contracted", "all")


@dataclass(frozen=True)
class Notice:
    """What was ignored: `message` in English (the API's 400s), `key` and `values` for the page
    to say it in the reader's language (alliance.i18n.notice_message)."""

    param: str
    message: str
    key: str = ""
    values: tuple = ()  # (name, value) pairs; a value shown from the link is a tuple of safe slugs or None


@dataclass(frozen=True)
class Context:
    """What parsing needs to know about the dataset: its date range and company ids."""

    first_day: dt.date
    last_day: dt.date
    company_ids: frozenset[str]
    deal_ids: frozenset[str] = frozenset()
    story_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViewState:
    date_from: dt.date
    date_to: dt.date
    types: tuple[str, ...] = tuple(DEAL_TYPES)
    roles: tuple[str, ...] = tuple(ROLES)
    focus: str | None = None
    depth: int = 1
    min_amount: float = 0.0
    company: str | None = None
    deal: str | None = None
    cycle: str | None = None
    money: str = "all"  # MONEY_FILTERS: paid keeps paid deals, contracted keeps paid and contracted
    fail: tuple[str, ...] = ()  # the stress test's failing companies (link: ids joined by '~')
    view: str = "network"
    story: str | None = None  # a guided view's id: shows its caption with Previous/Next
    every: bool = False  # one curve per deal instead of one per (payer, receiver, type)
    expand: tuple[int, ...] = ()  # Sankey columns (1-4) shown company by company, "N others" opened
    sources: str = "all"  # "strong": only deals with a primary or major page (alliance.sources)
    embed: bool = False
    scroll: bool = False
    lang: str | None = None  # None: follow the browser's Accept-Language
    theme: str | None = None  # None: follow the reader's prefers-color-scheme

    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)


def default_state(ctx: Context) -> ViewState:
    return ViewState(date_from=ctx.first_day, date_to=ctx.last_day)


def _shown(value: str) -> str:
    return f"'{value}'" if SAFE.match(value) else "an invalid value"


def _safe(*values: str) -> tuple:
    """Values a notice may repeat: the slug itself, or None for anything else."""
    return tuple(v if SAFE.match(v) else None for v in values)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_date(text: str, end: bool) -> dt.date | None:
    """'YYYY-MM' (start or end of that month) or 'YYYY-MM-DD'; None when malformed."""
    try:
        if m := MONTH.match(text):
            first = dt.date(int(m[1]), int(m[2]), 1)
            return month_end(first) if end else first
        if DAY.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


KEEP = object()  # what a reader returns when the link gave nothing usable: the default stays


def _rejected(text: str) -> tuple[object, tuple[str, ...]]:
    return KEEP, (text,)


def _choice(text, ctx, allowed):
    """Accepts one of `allowed` (strings)."""
    return (text, ()) if text in allowed else _rejected(text)


def _known(text, ctx, ids):
    """Accepts an id of the dataset (`ids`: the Context's field naming them)."""
    return (text, ()) if text in getattr(ctx, ids) else _rejected(text)


def _listed(text, ctx, vocabulary, convert=tuple):
    """A comma list: the known items in vocabulary order; unknown ones rejected, and nothing
    usable (only unknown items) keeps the default. An empty list is a valid value."""
    items = [v.strip() for v in text.split(",") if v.strip()]
    known = tuple(v for v in vocabulary if v in items)  # vocabulary order, duplicates dropped
    unknown = tuple(v for v in items if v not in vocabulary)
    return (KEEP if items and not known and unknown else convert(known)), unknown


def _date(text, ctx, end):
    day = parse_date(text.strip(), end)
    return (day, ()) if day is not None else _rejected(text)


def _depth(text, ctx):
    return (int(text), ()) if text in {str(d) for d in DEPTHS} else _rejected(text)


def _amount(text, ctx):
    try:
        amount = float(text)
    except ValueError:
        return _rejected(text)
    return (amount, ()) if math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT else _rejected(text)


def _cycle(text, ctx):
    return (text, ()) if CYCLE_ID.fullmatch(text) else _rejected(text)


def _companies(text, ctx):
    """'~'-joined company ids (the stress test's `fail`): known ones kept once, unknown ones rejected."""
    asked = [c for c in text.split("~") if c][:MAX_LIST]
    known = tuple(dict.fromkeys(c for c in asked if c in ctx.company_ids))
    return (known or KEEP), tuple(c for c in asked if c not in ctx.company_ids)


def _flag(text, ctx):
    return (text in ("1", "true"), ()) if text in ("1", "0", "true", "false") else _rejected(text)


@dataclass(frozen=True)
class Complaint:
    """The notice for ignored values: English `message` with {param}, {shown} (the ignored values,
    quoted when harmless) and {choices}; the catalog `key`; `says`, the values the page's sentence needs."""

    message: str
    key: str
    says: tuple[str, ...] = ("param", "shown")

    def notice(self, param: str, rejected: tuple[str, ...], choices: tuple) -> Notice:
        rejected = rejected[:5]
        shown = ", ".join(_shown(value) for value in rejected)
        values = {"param": param, "shown": _safe(*rejected), "choices": choices}
        message = self.message.format(param=param, shown=shown, choices=" or ".join(str(c) for c in choices))
        return Notice(param, message, self.key, tuple((name, values[name]) for name in self.says))


UNKNOWN_LIST = Complaint("Ignored unknown {param}: {shown}.", "notice.unknown_list")
DATE = Complaint("Ignored {param}={shown}: use YYYY-MM or YYYY-MM-DD.", "notice.date")
COMPANY = Complaint("Ignored {param}: unknown company {shown}.", "notice.unknown_company")
DEAL = Complaint("Ignored {param}: unknown deal {shown}.", "notice.unknown_deal", ("shown",))
STORY = Complaint("Ignored {param}: unknown story {shown}.", "notice.unknown_story", ("shown",))
DEPTH = Complaint("Ignored {param}={shown}: use {choices}.", "notice.depth", ("shown",))
AMOUNT = Complaint("Ignored {param}={shown}: use a number of US dollars.", "notice.min_amount", ("shown",))
VIEW = Complaint("Ignored {param}={shown}: use {choices}.", "notice.view", ("shown",))
CYCLE = Complaint("Ignored {param}={shown}.", "notice.cycle", ("shown",))
FLAG = Complaint("Ignored {param}={shown}: use 1 or 0.", "notice.flag")
SOURCES = Complaint("Ignored {param}={shown}: use strong or all.", "notice.sources", ("shown",))
CHOICE = Complaint("Ignored {param}={shown}: use {choices}.", "notice.choice", ("param", "shown", "choices"))


def _date_param(day: dt.date, end: bool = False) -> str:
    """'YYYY-MM' when the day starts (or, `end`, ends) its month, else 'YYYY-MM-DD'."""
    boundary = month_end(day) if end else month_start(day)
    return day.isoformat()[:7] if day == boundary else day.isoformat()


def _end_param(day: dt.date) -> str:
    return _date_param(day, end=True)


def _amount_param(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else repr(amount)


def _on(flag: bool) -> str:
    return "1"


def _numbers(items: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(int(item) for item in items)


def _joined(values, separator: str) -> str:
    return separator.join(str(v) for v in values)


_commas = partial(_joined, separator=",")


@dataclass(frozen=True)
class Param:
    """One link parameter. `read(text, ctx) -> (value or KEEP, rejected values)`; rejected values
    make one notice (`complaint`). The default is ViewState's `field` (the dataset's range for the
    dates); `to_query` writes the field when it differs from it, with `write`. `blank`: an empty
    value is read (False: `?focus=` is ignored, and an empty field is never written); `unless`:
    not written when that field is set (a deal's card replaces the company's panel)."""

    name: str
    read: Callable[[str, Context], tuple[object, tuple[str, ...]]]
    complaint: Complaint
    field: str = ""  # the ViewState field, when it is not `name`
    choices: tuple = ()  # named by the notice
    blank: bool = True
    write: Callable[[object], str] = str
    unless: str = ""

    @property
    def attr(self) -> str:
        return self.field or self.name


# The link's parameters, one row each, in the order their notices are given. Readers that need
# an argument are module-level functions bound with `partial`, not closures: mutation testing
# switches functions at call time, and a closure made at import would never see a mutant.
PARAMS = (
    Param("types", partial(_listed, vocabulary=DEAL_TYPES), UNKNOWN_LIST, write=_commas),
    Param("roles", partial(_listed, vocabulary=ROLES), UNKNOWN_LIST, write=_commas),
    Param("from", partial(_date, end=False), DATE, "date_from", write=_date_param),
    Param("to", partial(_date, end=True), DATE, "date_to", write=_end_param),
    Param("focus", partial(_known, ids="company_ids"), COMPANY, blank=False),
    Param("company", partial(_known, ids="company_ids"), COMPANY, blank=False, unless="deal"),
    Param("deal", partial(_known, ids="deal_ids"), DEAL, blank=False),
    Param("story", partial(_known, ids="story_ids"), STORY, blank=False),
    Param("depth", _depth, DEPTH, choices=DEPTHS),
    Param("min_amount", _amount, AMOUNT, write=_amount_param),
    Param("view", partial(_choice, allowed=VIEWS), VIEW, choices=VIEWS),
    Param("cycle", _cycle, CYCLE, blank=False),
    Param("expand", partial(_listed, vocabulary=SANKEY_COLUMNS, convert=_numbers), UNKNOWN_LIST, write=_commas),
    Param("fail", _companies, UNKNOWN_LIST, blank=False, write=partial(_joined, separator="~")),
    Param("every", _flag, FLAG, write=_on),
    Param("embed", _flag, FLAG, write=_on),
    Param("scroll", _flag, FLAG, write=_on),
    Param("sources", partial(_choice, allowed=SOURCE_FILTERS), SOURCES),
    Param("lang", partial(_choice, allowed=LANGS), CHOICE, choices=LANGS, blank=False),
    Param("theme", partial(_choice, allowed=THEMES), CHOICE, choices=THEMES, blank=False),
    Param("money", partial(_choice, allowed=MONEY_FILTERS), CHOICE, choices=MONEY_FILTERS, blank=False),
)
# The order to_query writes them in (links made before the table keep their form); a row
# missing here is written after these.
LINK_ORDER = (
    "types", "roles", "from", "to", "focus", "depth", "min_amount", "sources", "deal", "company", "cycle",
    "money", "fail", "view", "story", "expand", "every", "embed", "scroll", "lang", "theme",
)  # fmt: skip


def _whole_range(state: ViewState, changes: dict, notices: list[Notice]) -> None:
    """A reversed date range falls back to the whole range."""
    if changes.get("date_from", state.date_from) > changes.get("date_to", state.date_to):
        param = "from" if "date_from" in changes else "to"
        notices.append(
            Notice(param, "The date range was reversed (from after to); showing the full range.", "notice.reversed")
        )
        changes.pop("date_from", None)
        changes.pop("date_to", None)


def _one_panel(state: ViewState, changes: dict, notices: list[Notice]) -> None:
    """A deal's card and a company's panel asked for together: the deal's card wins."""
    if changes.get("deal") and changes.get("company"):
        notices.append(
            Notice("company", "Both a company and a deal panel were asked for; showing the deal.", "notice.both_panels")
        )
        changes.pop("company")


# Rules across parameters, each run after the row it names.
RULES = {"to": (_whole_range,), "deal": (_one_panel,)}


def parse(query: str, ctx: Context) -> tuple[ViewState, list[Notice]]:
    """Parse a query string ('?a=b&…' or 'a=b&…'); never raises."""
    state = default_state(ctx)
    notices: list[Notice] = []
    try:
        raw = parse_qs(
            (query if isinstance(query, str) else "").lstrip("?"), keep_blank_values=True, max_num_fields=100
        )
    except ValueError:
        return state, [
            Notice("query", "The link's query string could not be read; showing the default view.", "notice.query")
        ]
    params = {k: v[-1] for k, v in raw.items()}
    changes: dict = {}
    for param in PARAMS:
        text = params.get(param.name)
        if text is not None and (text or param.blank):
            value, rejected = param.read(text, ctx)
            if rejected:
                notices.append(param.complaint.notice(param.name, rejected, param.choices))
            if value is not KEEP:
                changes[param.attr] = value
        for rule in RULES.get(param.name, ()):
            rule(state, changes, notices)
    return state.with_(**changes), notices


def to_query(state: ViewState, ctx: Context) -> str:
    """Serialize to '?…' with defaults omitted ('' for the default view)."""
    default = default_state(ctx)
    pairs: list[tuple[str, str]] = []
    for param in sorted(PARAMS, key=_link_rank):
        value = getattr(state, param.attr)
        if value == getattr(default, param.attr) or (not value and not param.blank):
            continue
        if not (param.unless and getattr(state, param.unless)):
            pairs.append((param.name, param.write(value)))
    return "?" + urlencode(pairs, safe=",~") if pairs else ""


def _link_rank(param: Param) -> int:
    return LINK_ORDER.index(param.name) if param.name in LINK_ORDER else len(LINK_ORDER)
