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
from dataclasses import dataclass, replace
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


def _list(values: str, vocabulary, param: str, notices: list[Notice]) -> tuple[str, ...] | None:
    items = [v.strip() for v in values.split(",") if v.strip()]
    known = tuple(v for v in vocabulary if v in items)  # vocabulary order, duplicates dropped
    unknown = [v for v in items if v not in vocabulary]
    if unknown:
        shown = ", ".join(_shown(u) for u in unknown[:5])
        notices.append(
            Notice(
                param,
                f"Ignored unknown {param}: {shown}.",
                "notice.unknown_list",
                (("param", param), ("shown", _safe(*unknown[:5]))),
            )
        )
    if items and not known and unknown:
        return None  # nothing usable: fall back to the default
    return known


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

    if "types" in params:
        types = _list(params["types"], DEAL_TYPES, "types", notices)
        if types is not None:
            changes["types"] = types
    if "roles" in params:
        roles = _list(params["roles"], ROLES, "roles", notices)
        if roles is not None:
            changes["roles"] = roles

    for param, end in (("from", False), ("to", True)):
        if param in params:
            day = parse_date(params[param].strip(), end)
            if day is None:
                notices.append(
                    Notice(
                        param,
                        f"Ignored {param}={_shown(params[param])}: use YYYY-MM or YYYY-MM-DD.",
                        "notice.date",
                        (("param", param), ("shown", _safe(params[param]))),
                    )
                )
            else:
                changes["date_from" if param == "from" else "date_to"] = day
    lo = changes.get("date_from", state.date_from)
    hi = changes.get("date_to", state.date_to)
    if lo > hi:
        param = "from" if "date_from" in changes else "to"
        notices.append(
            Notice(param, "The date range was reversed (from after to); showing the full range.", "notice.reversed")
        )
        changes.pop("date_from", None)
        changes.pop("date_to", None)

    for param in ("focus", "company"):
        if param in params and params[param]:
            if params[param] in ctx.company_ids:
                changes[param] = params[param]
            else:
                notices.append(
                    Notice(
                        param,
                        f"Ignored {param}: unknown company {_shown(params[param])}.",
                        "notice.unknown_company",
                        (("param", param), ("shown", _safe(params[param]))),
                    )
                )
    if "deal" in params and params["deal"]:
        if params["deal"] in ctx.deal_ids:
            changes["deal"] = params["deal"]
        else:
            notices.append(
                Notice(
                    "deal",
                    f"Ignored deal: unknown deal {_shown(params['deal'])}.",
                    "notice.unknown_deal",
                    (("shown", _safe(params["deal"])),),
                )
            )
    if changes.get("deal") and changes.get("company"):
        notices.append(
            Notice("company", "Both a company and a deal panel were asked for; showing the deal.", "notice.both_panels")
        )
        changes.pop("company")

    if "story" in params and params["story"]:
        if params["story"] in ctx.story_ids:
            changes["story"] = params["story"]
        else:
            notices.append(
                Notice(
                    "story",
                    f"Ignored story: unknown story {_shown(params['story'])}.",
                    "notice.unknown_story",
                    (("shown", _safe(params["story"])),),
                )
            )

    if "depth" in params:
        if params["depth"] in {str(d) for d in DEPTHS}:
            changes["depth"] = int(params["depth"])
        else:
            notices.append(
                Notice(
                    "depth",
                    f"Ignored depth={_shown(params['depth'])}: use {' or '.join(str(d) for d in DEPTHS)}.",
                    "notice.depth",
                    (("shown", _safe(params["depth"])),),
                )
            )

    if "min_amount" in params:
        try:
            amount = float(params["min_amount"])
            if not math.isfinite(amount) or amount < 0 or amount > MAX_AMOUNT:
                raise ValueError
            changes["min_amount"] = amount
        except ValueError:
            notices.append(
                Notice(
                    "min_amount",
                    f"Ignored min_amount={_shown(params['min_amount'])}: use a number of US dollars.",
                    "notice.min_amount",
                    (("shown", _safe(params["min_amount"])),),
                )
            )

    if "view" in params:
        if params["view"] in VIEWS:
            changes["view"] = params["view"]
        else:
            notices.append(
                Notice(
                    "view",
                    f"Ignored view={_shown(params['view'])}: use network or sankey.",
                    "notice.view",
                    (("shown", _safe(params["view"])),),
                )
            )
    if "cycle" in params and params["cycle"]:
        if CYCLE_ID.fullmatch(params["cycle"]):
            changes["cycle"] = params["cycle"]
        else:
            notices.append(
                Notice(
                    "cycle",
                    f"Ignored cycle={_shown(params['cycle'])}.",
                    "notice.cycle",
                    (("shown", _safe(params["cycle"])),),
                )
            )
    if "expand" in params:
        columns = _list(params["expand"], SANKEY_COLUMNS, "expand", notices)
        if columns is not None:
            changes["expand"] = tuple(int(c) for c in columns)
    if "fail" in params and params["fail"]:
        asked = [c for c in params["fail"].split("~") if c][:MAX_LIST]
        known = tuple(dict.fromkeys(c for c in asked if c in ctx.company_ids))
        unknown = [c for c in asked if c not in ctx.company_ids]
        if unknown:
            shown = ", ".join(_shown(u) for u in unknown[:5])
            notices.append(
                Notice(
                    "fail",
                    f"Ignored unknown fail: {shown}.",
                    "notice.unknown_list",
                    (("param", "fail"), ("shown", _safe(*unknown[:5]))),
                )
            )
        if known:
            changes["fail"] = known
    for flag in ("every", "embed", "scroll"):
        if flag in params:
            if params[flag] in ("1", "0", "true", "false"):
                changes[flag] = params[flag] in ("1", "true")
            else:
                notices.append(
                    Notice(
                        flag,
                        f"Ignored {flag}={_shown(params[flag])}: use 1 or 0.",
                        "notice.flag",
                        (("param", flag), ("shown", _safe(params[flag]))),
                    )
                )

    if "sources" in params:
        if params["sources"] in SOURCE_FILTERS:
            changes["sources"] = params["sources"]
        else:
            notices.append(
                Notice(
                    "sources",
                    f"Ignored sources={_shown(params['sources'])}: use strong or all.",
                    "notice.sources",
                    (("shown", _safe(params["sources"])),),
                )
            )

    for param, allowed in (("lang", LANGS), ("theme", THEMES), ("money", MONEY_FILTERS)):
        if param in params and params[param]:
            if params[param] in allowed:
                changes[param] = params[param]
            else:
                notices.append(
                    Notice(
                        param,
                        f"Ignored {param}={_shown(params[param])}: use {' or '.join(allowed)}.",
                        "notice.choice",
                        (("param", param), ("shown", _safe(params[param])), ("choices", allowed)),
                    )
                )

    return state.with_(**changes), notices


def _date_param(day: dt.date, end: bool) -> str:
    boundary = month_end(day) if end else month_start(day)
    return day.isoformat()[:7] if day == boundary else day.isoformat()


def _amount_param(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else repr(amount)


def to_query(state: ViewState, ctx: Context) -> str:
    """Serialize to '?…' with defaults omitted ('' for the default view)."""
    default = default_state(ctx)
    pairs: list[tuple[str, str]] = []
    if state.types != default.types:
        pairs.append(("types", ",".join(state.types)))
    if state.roles != default.roles:
        pairs.append(("roles", ",".join(state.roles)))
    if state.date_from != default.date_from:
        pairs.append(("from", _date_param(state.date_from, end=False)))
    if state.date_to != default.date_to:
        pairs.append(("to", _date_param(state.date_to, end=True)))
    if state.focus:
        pairs.append(("focus", state.focus))
    if state.depth != default.depth:
        pairs.append(("depth", str(state.depth)))
    if state.min_amount:
        pairs.append(("min_amount", _amount_param(state.min_amount)))
    if state.sources != default.sources:
        pairs.append(("sources", state.sources))
    if state.deal:
        pairs.append(("deal", state.deal))
    elif state.company:
        pairs.append(("company", state.company))
    if state.cycle:
        pairs.append(("cycle", state.cycle))
    if state.money != default.money:
        pairs.append(("money", state.money))
    if state.fail:
        pairs.append(("fail", "~".join(state.fail)))
    if state.view != default.view:
        pairs.append(("view", state.view))
    if state.story:
        pairs.append(("story", state.story))
    if state.expand:
        pairs.append(("expand", ",".join(str(c) for c in state.expand)))
    if state.every:
        pairs.append(("every", "1"))
    if state.embed:
        pairs.append(("embed", "1"))
    if state.scroll:
        pairs.append(("scroll", "1"))
    if state.lang:
        pairs.append(("lang", state.lang))
    if state.theme:
        pairs.append(("theme", state.theme))
    return "?" + urlencode(pairs, safe=",~") if pairs else ""
