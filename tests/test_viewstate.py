"""The URL codec: round trips, canonical form, defaults omitted, bad input, and properties.

A small hand-built Context keeps these independent of the curated dataset.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance import viewstate
from alliance.schema import DEAL_TYPES, ROLES
from alliance.viewstate import (
    LINK_ORDER,
    MAX_AMOUNT,
    PARAMS,
    Context,
    Notice,
    ViewState,
    default_state,
    parse,
    to_query,
)

CTX = Context(
    first_day=dt.date(2019, 7, 1),
    last_day=dt.date(2026, 6, 30),
    company_ids=frozenset({"openai", "microsoft", "nvidia", "oracle", "coreweave", "x.ai"}),
    deal_ids=frozenset({"2025-09-22-openai-nvidia-chips", "d-1"}),
)
DEFAULT = default_state(CTX)
TYPES = tuple(DEAL_TYPES)
ROLE_IDS = tuple(ROLES)

# Hypothesis writes no example database into the repo and never times out on a slow CI box.
PROPERTY = settings(database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


def state(**changes) -> ViewState:
    return DEFAULT.with_(**changes)


def parsed(query: str) -> ViewState:
    result, notices = parse(query, CTX)
    assert notices == [], notices
    return result


# --- round trips ---------------------------------------------------------------------------

ROUND_TRIP_STATES = [
    DEFAULT,
    state(types=("chip_supply",)),
    state(types=("equity_investment", "compute_commitment", "chip_supply")),
    state(types=()),
    state(roles=("model_lab", "chipmaker")),
    state(roles=()),
    state(date_from=dt.date(2025, 11, 1)),
    state(date_from=dt.date(2025, 11, 18)),
    state(date_to=dt.date(2025, 11, 30)),
    state(date_to=dt.date(2025, 11, 18)),
    state(date_to=dt.date(2024, 2, 29)),
    state(date_from=dt.date(2024, 1, 31), date_to=dt.date(2024, 2, 1)),
    state(date_from=dt.date(2025, 3, 3), date_to=dt.date(2025, 3, 3)),
    state(date_from=dt.date(2015, 1, 1), date_to=dt.date(2030, 12, 31)),  # wider than the data
    state(focus="openai"),
    state(focus="nvidia", depth=2),
    state(depth=2),
    state(min_amount=1e9),
    state(min_amount=2.5e9),
    state(min_amount=0.5),
    state(min_amount=MAX_AMOUNT),
    state(company="oracle"),
    state(company="x.ai"),
    state(deal="2025-09-22-openai-nvidia-chips"),
    state(cycle="openai~nvidia~oracle"),
    state(view="sankey"),
    state(embed=True),
    state(scroll=True),
    state(lang="ru"),
    state(theme="dark"),
    state(lang="en", theme="light", embed=True),
    state(
        embed=True,
        scroll=True,
        view="sankey",
        types=("acquisition",),
        focus="microsoft",
        depth=2,
        min_amount=1e8,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2024, 6, 30),
        company="openai",
    ),
]


@pytest.mark.parametrize("original", ROUND_TRIP_STATES, ids=lambda s: to_query(s, CTX) or "default")
def test_state_round_trips(original):
    query = to_query(original, CTX)
    result, notices = parse(query, CTX)
    assert notices == []
    assert result == original


CANONICAL = [
    ("", ""),
    ("?", ""),
    ("types=chip_supply,equity_investment", "?types=equity_investment,chip_supply"),
    ("types=chip_supply,chip_supply", "?types=chip_supply"),
    ("types= chip_supply , acquisition ", "?types=chip_supply,acquisition"),
    ("types=" + ",".join(reversed(TYPES)), ""),  # every type is the default
    ("roles=model_lab,investor", "?roles=investor,model_lab"),
    ("roles=" + ",".join(ROLE_IDS), ""),
    ("view=sankey&types=acquisition", "?types=acquisition&view=sankey"),
    ("from=2025-11-01", "?from=2025-11"),
    ("to=2025-11-30", "?to=2025-11"),
    ("from=2025-11-18", "?from=2025-11-18"),
    ("to=2025-11-18", "?to=2025-11-18"),
    ("from=2019-07", ""),  # the dataset's first month is the default
    ("to=2026-06-30", ""),
    ("depth=1", ""),
    ("depth=2", "?depth=2"),
    ("min_amount=0", ""),
    ("min_amount=1e9", "?min_amount=1000000000"),
    ("min_amount=1000000000.0", "?min_amount=1000000000"),
    ("min_amount=2.5", "?min_amount=2.5"),
    ("view=network", ""),
    ("embed=true", "?embed=1"),
    ("embed=0&scroll=false", ""),
    ("theme=dark&lang=ru&embed=1", "?embed=1&lang=ru&theme=dark"),
    ("lang=&theme=", ""),  # blank: follow the browser
    ("company=openai&focus=nvidia", "?focus=nvidia&company=openai"),
    ("types=acquisition&types=chip_supply", "?types=chip_supply"),  # a repeated param: the last wins
    ("?utm_source=newsletter&view=sankey", "?view=sankey"),  # unknown params are ignored
]


@pytest.mark.parametrize(("query", "canonical"), CANONICAL)
def test_canonical_form(query, canonical):
    assert to_query(parsed(query), CTX) == canonical


def test_default_state_serializes_to_empty_string():
    assert to_query(DEFAULT, CTX) == ""
    assert parse("", CTX) == (DEFAULT, [])
    assert parse(None, CTX) == (DEFAULT, [])


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "date_from", "date_to"),
    [
        ("from=2025-11", dt.date(2025, 11, 1), CTX.last_day),
        ("to=2025-11", CTX.first_day, dt.date(2025, 11, 30)),
        ("to=2024-02", CTX.first_day, dt.date(2024, 2, 29)),
        ("to=2025-02", CTX.first_day, dt.date(2025, 2, 28)),
        ("from=2025-11-18", dt.date(2025, 11, 18), CTX.last_day),
        ("from=2025-11&to=2025-11", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        ("from=2025-11-18&to=2025-11-18", dt.date(2025, 11, 18), dt.date(2025, 11, 18)),
        ("from=%202025-11%20", dt.date(2025, 11, 1), CTX.last_day),  # surrounding spaces are trimmed
    ],
)
def test_month_and_day_dates(query, date_from, date_to):
    result = parsed(query)
    assert (result.date_from, result.date_to) == (date_from, date_to)


# --- bad input -----------------------------------------------------------------------------

BAD = [
    # (query, params named by the notices, the state parse falls back to)
    ("types=chip_supply,warp_drive", ["types"], state(types=("chip_supply",))),
    ("types=warp_drive,teleport", ["types"], DEFAULT),
    ("roles=alien", ["roles"], DEFAULT),
    ("roles=chipmaker,alien", ["roles"], state(roles=("chipmaker",))),
    ("from=2025-13", ["from"], DEFAULT),
    ("from=yesterday", ["from"], DEFAULT),
    ("from=2025-11-31", ["from"], DEFAULT),
    ("to=2025-02-30", ["to"], DEFAULT),
    ("to=25-11", ["to"], DEFAULT),
    ("from=2025-11&to=2025-10", ["from"], DEFAULT),
    ("from=2025-11-18&to=2025-11-17", ["from"], DEFAULT),
    ("from=2030-01", ["from"], DEFAULT),  # after the dataset's last day, so reversed
    ("to=2019-01", ["to"], DEFAULT),  # before the dataset's first day: reversed, and `to` is named
    ("from=bad&to=2025-11", ["from"], state(date_to=dt.date(2025, 11, 30))),
    ("company=nobody", ["company"], DEFAULT),
    ("focus=nobody&depth=2", ["focus"], state(depth=2)),
    ("deal=no-such-deal", ["deal"], DEFAULT),
    ("company=openai&deal=d-1", ["company"], state(deal="d-1")),
    ("depth=7", ["depth"], DEFAULT),
    ("depth=0", ["depth"], DEFAULT),
    ("depth=1.0", ["depth"], DEFAULT),
    ("min_amount=-5", ["min_amount"], DEFAULT),
    ("min_amount=abc", ["min_amount"], DEFAULT),
    ("min_amount=inf", ["min_amount"], DEFAULT),
    ("min_amount=-inf", ["min_amount"], DEFAULT),
    ("min_amount=nan", ["min_amount"], DEFAULT),
    ("min_amount=1e14", ["min_amount"], DEFAULT),
    ("min_amount=", ["min_amount"], DEFAULT),
    ("view=foo", ["view"], DEFAULT),
    ("embed=maybe", ["embed"], DEFAULT),
    ("scroll=2", ["scroll"], DEFAULT),
    ("cycle=Bad!", ["cycle"], DEFAULT),
    ("lang=de", ["lang"], DEFAULT),
    ("lang=RU", ["lang"], DEFAULT),
    ("theme=sepia", ["theme"], DEFAULT),
    ("cycle=openai", ["cycle"], DEFAULT),  # a cycle needs at least two companies
    ("depth=9&view=map&embed=yes", ["depth", "view", "embed"], DEFAULT),
    ("&".join(f"p{i}=1" for i in range(150)), ["query"], DEFAULT),
]


@pytest.mark.parametrize(("query", "params", "expected"), BAD, ids=[b[0][:40] for b in BAD])
def test_bad_input_falls_back_with_notices(query, params, expected):
    result, notices = parse(query, CTX)
    assert result == expected
    assert [n.param for n in notices] == params


def test_blank_panels_are_ignored_silently():
    assert parse("company=&deal=&focus=&cycle=", CTX) == (DEFAULT, [])


@pytest.mark.parametrize(
    "param",
    [
        "types",
        "roles",
        "from",
        "to",
        "focus",
        "company",
        "deal",
        "depth",
        "min_amount",
        "view",
        "cycle",
        "embed",
        "scroll",
        "lang",
        "theme",
    ],
)
@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "chip_supply,<script>", '"><img src=x>'])
def test_raw_input_is_never_echoed(param, value):
    _, notices = parse(urlencode({param: value}), CTX)
    assert notices, "every one of these values is invalid"
    for notice in notices:
        assert "<" not in notice.message and ">" not in notice.message
        assert "script" not in notice.message and "img" not in notice.message


def test_safe_slugs_are_quoted_in_notices():
    _, notices = parse("view=map", CTX)
    assert "'map'" in notices[0].message


EVERY_BAD = (
    "types=bogus&roles=lab,alien&from=2025-13&to=x&focus=nobody&company=ghost&deal=zz&story=none&depth=7"
    "&min_amount=lots&view=map&cycle=Bad!&expand=9&fail=ghost~openai&every=2&embed=maybe&scroll=x&sources=weak"
    "&lang=de&theme=sepia&money=none"
)


def test_every_notice_text_in_the_table_order():
    """One bad value per parameter: each notice's English text, in the parameter table's order
    (the page shows them in this order), and the one good value among them (fail=openai) kept."""
    result, notices = parse("?" + EVERY_BAD, CTX)
    assert result == state(fail=("openai",))
    assert [(n.param, n.message) for n in notices] == [
        ("types", "Ignored unknown types: 'bogus'."),
        ("roles", "Ignored unknown roles: 'lab', 'alien'."),
        ("from", "Ignored from='2025-13': use YYYY-MM or YYYY-MM-DD."),
        ("to", "Ignored to='x': use YYYY-MM or YYYY-MM-DD."),
        ("focus", "Ignored focus: unknown company 'nobody'."),
        ("company", "Ignored company: unknown company 'ghost'."),
        ("deal", "Ignored deal: unknown deal 'zz'."),
        ("story", "Ignored story: unknown story 'none'."),
        ("depth", "Ignored depth='7': use 1 or 2."),
        ("min_amount", "Ignored min_amount='lots': use a number of US dollars."),
        ("view", "Ignored view='map': use network or sankey."),
        ("cycle", "Ignored cycle=an invalid value."),
        ("expand", "Ignored unknown expand: '9'."),
        ("fail", "Ignored unknown fail: 'ghost'."),
        ("every", "Ignored every='2': use 1 or 0."),
        ("embed", "Ignored embed='maybe': use 1 or 0."),
        ("scroll", "Ignored scroll='x': use 1 or 0."),
        ("sources", "Ignored sources='weak': use strong or all."),
        ("lang", "Ignored lang='de': use en or ru."),
        ("theme", "Ignored theme='sepia': use light or dark."),
        ("money", "Ignored money='none': use paid or contracted or all."),
    ]
    by_param = {n.param: n for n in notices}
    assert by_param["roles"].values == (("param", "roles"), ("shown", ("lab", "alien")))
    assert by_param["depth"].values == (("shown", ("7",)),)
    assert by_param["lang"].values == (("param", "lang"), ("shown", ("de",)), ("choices", ("en", "ru")))
    assert [n.key for n in notices][:4] == ["notice.unknown_list", "notice.unknown_list", "notice.date", "notice.date"]


def test_rules_across_parameters_speak_after_their_row():
    """A reversed range is reported right after `to`, the two panels right after `deal`."""
    _, notices = parse("focus=nobody&to=2025-10&from=2025-11&types=bogus", CTX)
    assert [(n.param, n.key) for n in notices] == [
        ("types", "notice.unknown_list"),
        ("from", "notice.reversed"),
        ("focus", "notice.unknown_company"),
    ]
    _, notices = parse("story=x&deal=d-1&company=openai", CTX)
    assert [(n.param, n.key) for n in notices] == [("company", "notice.both_panels"), ("story", "notice.unknown_story")]


def test_every_view_state_field_has_one_row_and_a_place_in_links():
    """A new ViewState field without a row in PARAMS (or a row without a field) fails here; the
    parameters links had before the table keep their written order."""
    rows = [param.attr for param in PARAMS]
    assert sorted(rows) == sorted(field.name for field in dataclasses.fields(ViewState))
    assert len({param.name for param in PARAMS}) == len(PARAMS)
    assert set(LINK_ORDER) <= {param.name for param in PARAMS}  # no stale names (new rows go after these)
    assert len(set(LINK_ORDER)) == len(LINK_ORDER) == 21


def test_a_new_row_is_read_and_written(monkeypatch):
    """Adding a parameter is one row: parse reads it, its notice follows the table, to_query writes
    it after the parameters that have a fixed place (an existing field stands in for a new one)."""
    row = viewstate.Param(
        "pane",
        functools.partial(viewstate._choice, allowed=("sankey",)),
        viewstate.VIEW,
        field="view",
        choices=("sankey",),
    )
    kept = tuple(param for param in PARAMS if param.name != "view")
    monkeypatch.setattr(viewstate, "PARAMS", (*kept[:-1], row, kept[-1]))
    monkeypatch.setattr(viewstate, "LINK_ORDER", tuple(name for name in LINK_ORDER if name != "view"))
    assert parse("pane=sankey&lang=ru", CTX) == (state(view="sankey", lang="ru"), [])
    assert [n.message for n in parse("pane=pie&money=x", CTX)[1]] == [
        "Ignored pane='pie': use sankey.",
        "Ignored money='x': use paid or contracted or all.",
    ]
    assert to_query(state(view="sankey", lang="ru", focus="openai"), CTX) == "?focus=openai&lang=ru&pane=sankey"


# --- properties ----------------------------------------------------------------------------

QUERY_CHARS = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cc"))
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def assert_usable(state: ViewState) -> None:
    """What every parsed state guarantees whatever the input (parse always returns a ViewState)."""
    assert state.date_from <= state.date_to
    assert set(state.types) <= set(TYPES) and set(state.roles) <= set(ROLE_IDS)
    assert state.depth in (1, 2) and 0 <= state.min_amount <= 1e13
    assert state.focus in (None, *CTX.company_ids) and state.view in ("network", "sankey")


@given(st.text(alphabet=QUERY_CHARS, max_size=300))
@PROPERTY
def test_any_text_parses_without_raising(query):
    result, notices = parse(query, CTX)
    assert_usable(result)
    assert all("<" not in n.message for n in notices)


@given(st.binary(max_size=200))
@PROPERTY
def test_any_bytes_decoded_leniently_parse_without_raising(raw):
    result, _ = parse(raw.decode("utf-8", errors="replace"), CTX)
    assert_usable(result)


def _subset(vocabulary):
    return st.lists(st.sampled_from(vocabulary), unique=True).map(lambda xs: ",".join(xs))


@st.composite
def valid_queries(draw) -> str:
    """Queries made only of valid parts, so parsing must yield no notices."""
    pairs: dict[str, str] = {}
    ids = sorted(CTX.company_ids)
    if draw(st.booleans()):
        pairs["types"] = draw(_subset(TYPES))
    if draw(st.booleans()):
        pairs["roles"] = draw(_subset(ROLE_IDS))
    lo, hi = sorted([draw(dates), draw(dates)])
    month = draw(st.booleans())
    if draw(st.booleans()):
        pairs["from"] = lo.isoformat()[:7] if month else lo.isoformat()
    if draw(st.booleans()):
        pairs["to"] = hi.isoformat()[:7] if month else hi.isoformat()
    # A lone bound past the other end of the data would be a reversed range (CTX's ends are
    # month-aligned, so the month spelling of lo/hi falls on the same side as the day).
    if "to" not in pairs and lo > CTX.last_day:
        pairs.pop("from", None)
    if "from" not in pairs and hi < CTX.first_day:
        pairs.pop("to", None)
    for param in ("focus", "company"):
        if draw(st.booleans()):
            pairs[param] = draw(st.sampled_from(ids))
    if "company" not in pairs and draw(st.booleans()):
        pairs["deal"] = draw(st.sampled_from(sorted(CTX.deal_ids)))
    if draw(st.booleans()):
        pairs["depth"] = draw(st.sampled_from(["1", "2"]))
    if draw(st.booleans()):
        amount = draw(st.floats(min_value=0, max_value=MAX_AMOUNT, allow_nan=False))
        pairs["min_amount"] = draw(st.sampled_from([repr(amount), str(int(amount)), f"{amount:e}"]))
    if draw(st.booleans()):
        pairs["cycle"] = "~".join(
            draw(st.lists(st.sampled_from(["openai", "nvidia", "oracle"]), min_size=2, max_size=10))
        )
    if draw(st.booleans()):
        pairs["view"] = draw(st.sampled_from(["network", "sankey"]))
    for flag in ("embed", "scroll"):
        if draw(st.booleans()):
            pairs[flag] = draw(st.sampled_from(["1", "0", "true", "false"]))
    order = draw(st.permutations(list(pairs)))
    return urlencode([(k, pairs[k]) for k in order], safe=",~")


@given(valid_queries())
@PROPERTY
def test_valid_queries_round_trip(query):
    result, notices = parse(query, CTX)
    assert notices == []
    canonical = to_query(result, CTX)
    assert parse(canonical, CTX) == (result, [])
    assert to_query(parse(canonical, CTX)[0], CTX) == canonical  # canonical form is a fixed point


@st.composite
def states(draw) -> ViewState:
    """Any ViewState whose fields hold valid values (the codec's whole domain)."""
    lo, hi = sorted([draw(dates), draw(dates)])
    company = draw(st.none() | st.sampled_from(sorted(CTX.company_ids)))
    deal = None if company else draw(st.none() | st.sampled_from(sorted(CTX.deal_ids)))
    return ViewState(
        date_from=lo,
        date_to=hi,
        types=tuple(t for t in TYPES if draw(st.booleans())),
        roles=tuple(r for r in ROLE_IDS if draw(st.booleans())),
        focus=draw(st.none() | st.sampled_from(sorted(CTX.company_ids))),
        depth=draw(st.sampled_from([1, 2])),
        min_amount=draw(st.floats(min_value=0, max_value=MAX_AMOUNT, allow_nan=False)),
        company=company,
        deal=deal,
        cycle=draw(st.none() | st.just("openai~nvidia")),
        view=draw(st.sampled_from(["network", "sankey"])),
        embed=draw(st.booleans()),
        scroll=draw(st.booleans()),
        lang=draw(st.sampled_from([None, "en", "ru"])),
        theme=draw(st.sampled_from([None, "light", "dark"])),
    )


@given(states())
@PROPERTY
def test_any_valid_state_round_trips(original):
    assert parse(to_query(original, CTX), CTX) == (original, [])


FRAGMENT = st.one_of(
    st.sampled_from(
        [
            "types=chip_supply",
            "types=",
            "roles=chipmaker,bogus",
            "from=2025-11",
            "to=2025-11-18",
            "from=2026-07",
            "focus=openai",
            "company=x.ai",
            "deal=d-1",
            "depth=2",
            "min_amount=1e9",
            "min_amount=-0",
            "cycle=a~b",
            "view=sankey",
            "embed=true",
            "scroll=0",
            "=",
            "&",
            "%",
            "%E2%9C%93",
            "types=%00",
        ]
    ),
    st.text(alphabet=QUERY_CHARS, max_size=20),
)


@given(st.lists(FRAGMENT, max_size=12).map("&".join))
@PROPERTY
def test_serialized_parsed_state_reparses_to_same_state(query):
    result, _ = parse(query, CTX)
    canonical = to_query(result, CTX)
    assert parse(canonical, CTX) == (result, [])


def test_years_before_1000_round_trip():
    original = state(date_from=dt.date(999, 1, 1))
    assert parse(to_query(original, CTX), CTX) == (original, [])


# --- URL codec corners: the story and every-deal parameters both ways, and the notices that carry the ignored value
# for the page's language. (From mutation testing, tests/MUTATION.md.)


SMALL_CTX = Context(
    first_day=dt.date(2023, 1, 1),
    last_day=dt.date(2025, 12, 31),
    company_ids=frozenset({"lab"}),
    deal_ids=frozenset({"d1"}),
    story_ids=("pact",),
)


def test_story_and_every_deal_round_trip():
    state, notices = parse("?story=pact&every=1", SMALL_CTX)
    assert (state.story, state.every, notices) == ("pact", True, [])
    assert to_query(state, SMALL_CTX) == "?story=pact&every=1"
    assert parse("?every=true", SMALL_CTX)[0].every is True and parse("?every=0", SMALL_CTX)[0].every is False


def test_notices_carry_the_ignored_value():
    assert parse("?story=nope", SMALL_CTX)[1] == [
        Notice("story", "Ignored story: unknown story 'nope'.", "notice.unknown_story", (("shown", ("nope",)),))
    ]
    assert parse("?cycle=A~B", SMALL_CTX)[1] == [
        Notice("cycle", "Ignored cycle=an invalid value.", "notice.cycle", (("shown", (None,)),))
    ]  # not a safe slug: not shown
    assert parse("?deal=zzz", SMALL_CTX)[1][0].values == (("shown", ("zzz",)),)
    assert parse("?min_amount=lots", SMALL_CTX)[1][0].values == (("shown", ("lots",)),)
    assert parse("?every=2", SMALL_CTX)[1] == [
        Notice("every", "Ignored every='2': use 1 or 0.", "notice.flag", (("param", "every"), ("shown", ("2",))))
    ]


def test_a_deal_and_a_company_panel_together_keep_the_deal():
    state, notices = parse("?company=lab&deal=d1", SMALL_CTX)
    assert (state.company, state.deal) == (None, "d1")
    assert notices == [
        Notice("company", "Both a company and a deal panel were asked for; showing the deal.", "notice.both_panels")
    ]


def test_a_query_of_more_than_a_hundred_fields_is_not_read():
    """parse_qs's field cap: 100 fields are read, 101 give the default view and one notice."""
    hundred = "&".join(["types=chip_supply"] * 99 + ["focus=openai"])
    assert parse(hundred, CTX) == (state(types=("chip_supply",), focus="openai"), [])
    assert parse(hundred + "&depth=2", CTX) == (
        DEFAULT,
        [
            Notice(
                "query",
                "The link's query string could not be read; showing the default view.",
                "notice.query",
            )
        ],
    )


def test_a_notice_quotes_at_most_five_ignored_values():
    _, notices = parse("?types=a1,a2,a3,a4,a5,a6", CTX)
    assert [n.message for n in notices] == ["Ignored unknown types: 'a1', 'a2', 'a3', 'a4', 'a5'."]
    assert dict(notices[0].values)["shown"] == ("a1", "a2", "a3", "a4", "a5")
