"""Filter controls and the one callback that keeps URL, controls, view state and map in sync.

The address bar *is* the share link: the canonical query string (defaults omitted) lives in
the STATE store; a change of any control rewrites it, and a new URL (first load, back/forward,
a pasted link) rewrites the controls. The browser redraws the network from the controls at once
(assets/map.js, no round trip); this callback then writes the link, the title and summary, the
Sankey when that view is on, and the open cycle; the panel and sections follow from STATE.
Its texts are memoized per (query, language): Play and back/forward often repeat a view.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from alliance.atlas import Atlas
from alliance.i18n import deal_type, money, notice_message, resolve, role, t
from alliance.sankey import OTHERS
from alliance.schema import DEAL_TYPES, ROLES
from alliance.timeline import month_index, window
from alliance.viewstate import (
    DEPTHS,
    MAX_AMOUNT,
    MAX_LIST,
    MONEY_FILTERS,
    SANKEY_COLUMNS,
    VIEWS,
    ViewState,
    default_state,
    to_query,
)

from . import ids
from .follow import cycle_highlight, render_sankey, render_texts
from .theme import DEAL_COLORS, ROLE_STYLE

AMOUNT_STEPS = (0, 1e8, 1e9, 1e10, 1e11)
EVERY_ON = "every"
STRONG_ON = "strong"  # the sources checklist's one value (sources=strong in the link)


def amount_options(current: float = 0, lang: str | None = "en") -> list[dict]:
    steps = sorted(set(AMOUNT_STEPS) | {current})
    return [
        {
            "label": t(lang, "controls.any_amount") if s == 0 else t(lang, "controls.or_more", amount=money(s, lang)),
            "value": s,
        }
        for s in steps
    ]


def _swatch(color: str, label: str) -> html.Span:
    return html.Span([html.Span(className="swatch", style={"background": color}), label])


def year_marks(months) -> dict:
    """A mark on every other January ("2020", "2022", …) so the labels never collide in the drawer."""
    januaries = [i for i, m in enumerate(months) if m.month == 1]
    step = 2 if len(januaries) > 4 else 1
    return {i: {"label": str(months[i].year)} for i in januaries[::step]}


def _group(legend: str, *children, className: str | None = None, hidden_legend: bool = False) -> html.Fieldset:
    """One labelled group of the drawer: a fieldset whose legend names its controls."""
    legend_class = "visually-hidden" if hidden_legend else None
    return html.Fieldset(className=className, children=[html.Legend(legend, className=legend_class), *children])


def _checklist(id_: str, options: list[dict], value=()) -> dcc.Checklist:
    return dcc.Checklist(id=id_, value=list(value), className="checklist", options=options)


def _company_options(companies) -> list[dict]:
    return [{"label": n, "value": c} for c, n in companies["name"].items()]


def layout(atlas: Atlas, lang: str = "en") -> html.Div:
    state = default_state(atlas.context)
    months = atlas.months
    marks = year_marks(months)
    companies = atlas.dataset.companies.sort_values("name")
    type_options = [{"label": _swatch(DEAL_COLORS[key], deal_type(key, lang)), "value": key} for key in DEAL_TYPES]
    role_options = [{"label": _swatch(ROLE_STYLE[key]["color"], role(key, lang)), "value": key} for key in ROLES]
    return html.Div(
        id=ids.CONTROLS,
        className="controls",
        children=[
            _group(t(lang, "controls.deal_types"), _checklist(ids.TYPES, type_options, state.types)),
            _group(t(lang, "controls.roles"), _checklist(ids.ROLES, role_options, state.roles)),
            _group(
                t(lang, "controls.focus"),
                dcc.Dropdown(
                    id=ids.FOCUS,
                    placeholder=t(lang, "controls.focus_placeholder"),
                    clearable=True,
                    options=_company_options(companies),
                ),
            ),
            _group(  # radios need a group of their own (axe: radiogroup)
                t(lang, "controls.depth"),
                dcc.RadioItems(
                    id=ids.DEPTH,
                    value=1,
                    inline=True,
                    className="radio",
                    options=[
                        {"label": t(lang, "controls.depth.1"), "value": 1},
                        {"label": t(lang, "controls.depth.2"), "value": 2},
                    ],
                ),
                className="depth",
                hidden_legend=True,
            ),
            _group(
                t(lang, "controls.edges"),
                _checklist(ids.EVERY, [{"label": t(lang, "controls.every"), "value": EVERY_ON}]),
            ),
            _group(
                t(lang, "controls.money"),
                dcc.RadioItems(
                    id=ids.MONEY,
                    value="all",
                    className="radio",
                    options=[{"label": t(lang, f"controls.money.{m}"), "value": m} for m in MONEY_FILTERS[::-1]],
                ),
                className="money-filter",
            ),
            _group(
                t(lang, "controls.fail"),
                dcc.Dropdown(
                    id=ids.FAIL,
                    multi=True,
                    placeholder=t(lang, "controls.fail_placeholder"),
                    value=[],
                    options=_company_options(companies),
                ),
                html.P(t(lang, "controls.fail_help"), className="muted small"),
                className="fail-filter",
            ),
            _group(
                t(lang, "controls.sources"),
                _checklist(ids.SOURCES, [{"label": t(lang, "controls.sources_strong"), "value": STRONG_ON}]),
            ),
            _group(
                t(lang, "controls.min_amount"),
                dcc.Dropdown(id=ids.MIN_AMOUNT, value=0, clearable=False, options=amount_options(lang=lang)),
            ),
            html.Fieldset(
                className="timeline",
                children=[
                    html.Legend(t(lang, "controls.timeline")),
                    html.Div(
                        className="timeline-row",
                        children=[
                            html.Div(
                                dcc.RangeSlider(
                                    id=ids.TIMELINE,
                                    min=0,
                                    max=len(months) - 1,
                                    step=1,
                                    value=[0, len(months) - 1],
                                    marks=marks,
                                    allowCross=False,
                                    allow_direct_input=False,
                                    updatemode="drag",
                                ),
                                className="slider",
                            ),
                        ],
                    ),
                    html.Div(
                        className="timeline-play",
                        children=[
                            html.Button(
                                t(lang, "controls.play"),
                                id=ids.PLAY,
                                n_clicks=0,
                                className="button play",
                                title=t(lang, "controls.play_title"),
                            ),
                            html.Span(id=ids.TIMELINE_LABEL, className="muted", **{"aria-live": "off"}),
                        ],
                    ),
                    dcc.Store(id=ids.PLAYING, data=False),  # assets/app.js steps the months while this is true
                ],
            ),
            html.Button(t(lang, "controls.reset"), id=ids.RESET, n_clicks=0, className="button secondary"),
        ],
    )


def _state_from_controls(atlas: Atlas, previous: ViewState, controls: dict) -> ViewState:
    """The state the controls' values ask for (`controls`: name -> value; `sources`, `money` and
    `fail` may be missing), each value checked: anything malformed falls back."""
    months = atlas.months
    types, roles, focus, depth = (controls[name] for name in ("types", "roles", "focus", "depth"))
    timeline, view, sources, money = (
        controls["timeline"],
        controls["view"],
        controls.get("sources"),
        controls.get("money"),
    )
    lo, hi = timeline if _is_pair(timeline) else (0, len(months) - 1)
    date_from, date_to = window(months, lo, hi)
    # Keep a day-precise window from a link until the slider itself moves.
    if (month_index(months, previous.date_from), month_index(months, previous.date_to)) == (lo, hi):
        date_from, date_to = previous.date_from, previous.date_to
    return previous.with_(
        types=tuple(t for t in DEAL_TYPES if t in _strings(types)),
        roles=tuple(r for r in ROLES if r in _strings(roles)),
        focus=focus if isinstance(focus, str) and focus in atlas.context.company_ids else None,
        depth=depth if depth in DEPTHS else DEPTHS[0],
        min_amount=_amount(controls["min_amount"]),
        date_from=date_from,
        date_to=date_to,
        view=view if view in VIEWS else previous.view,
        every=EVERY_ON in _strings(controls["every"]),
        sources=previous.sources if sources is None else "strong" if STRONG_ON in _strings(sources) else "all",
        money=money if money in MONEY_FILTERS else "all",
        fail=tuple(dict.fromkeys(c for c in _strings(controls.get("fail")) if c in atlas.context.company_ids)),
    )


def _strings(values) -> list:
    """A control's list value, or [] for anything that is not a short list of strings."""
    if not isinstance(values, list) or len(values) > MAX_LIST:
        return []
    return [v for v in values if isinstance(v, str)]


def _is_pair(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


def _amount(value) -> float:
    try:
        amount = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return amount if 0 <= amount <= MAX_AMOUNT else 0.0


def _controls_from_state(atlas: Atlas, state: ViewState, lang: str | None = "en") -> dict:
    months = atlas.months
    return {
        "types": list(state.types),
        "roles": list(state.roles),
        "focus": state.focus,
        "depth": state.depth,
        "min_amount": state.min_amount,
        "amount_options": amount_options(state.min_amount, state.lang or lang),
        "timeline": [month_index(months, state.date_from), month_index(months, state.date_to)],
        "view": state.view,
        "every": [EVERY_ON] if state.every else [],
        "sources": [STRONG_ON] if state.sources == "strong" else [],
        "money": state.money,
        "fail": list(state.fail),
    }


CONTROL_OUTPUTS = {
    "types": (ids.TYPES, "value"),
    "roles": (ids.ROLES, "value"),
    "focus": (ids.FOCUS, "value"),
    "depth": (ids.DEPTH, "value"),
    "min_amount": (ids.MIN_AMOUNT, "value"),
    "amount_options": (ids.MIN_AMOUNT, "options"),
    "timeline": (ids.TIMELINE, "value"),
    "view": (ids.VIEW, "value"),
    "every": (ids.EVERY, "value"),
    "sources": (ids.SOURCES, "value"),
    "money": (ids.MONEY, "value"),
    "fail": (ids.FAIL, "value"),
}
CONTROL_INPUTS = tuple(name for name in CONTROL_OUTPUTS if name != "amount_options")  # values the sync callback reads
TEXT_OUTPUTS = ("title", "summary", "timeline_label")


def control_settings(values: dict) -> list[dict]:
    """Control values as set_props calls for assets/map.js: [{name, id, prop, value}], options first."""
    order = sorted(values, key=lambda name: CONTROL_OUTPUTS[name][1] != "options")
    return [
        {"name": name, "id": CONTROL_OUTPUTS[name][0], "prop": CONTROL_OUTPUTS[name][1], "value": values[name]}
        for name in order
    ]


OUTPUTS = ("state", "url", "notice", *CONTROL_OUTPUTS, "click", "camera", "figure", "cycle", *TEXT_OUTPUTS)


def _notice_text(notices, lang: str | None = "en") -> list:
    if not notices:
        return []
    return [html.Strong(t(lang, "notice.not_understood")), " ".join(notice_message(n, lang) for n in notices)]


def exposure_store(atlas: Atlas, query: str | None) -> dict | None:
    """The link's stress test as deal ids by kind: {"fail": "a~b", "lost": [deal ids], "at_risk":
    [deal ids]}, or None when nobody fails (alliance.exposure decides every deal). assets/map.js
    computes the same kinds in the browser (its stressKinds); tests compare the two."""
    view = atlas.view(query)
    state, result = view.state, view.exposure
    if result is None:
        return None
    kinds = result.deal_kinds()
    return {
        "fail": "~".join(state.fail),
        "lost": sorted(d for d, k in kinds.items() if k == "lost"),
        "at_risk": sorted(d for d, k in kinds.items() if k == "at_risk"),
    }


def register(app, atlas: Atlas) -> None:
    """The sync callback and Play. The browser draws the network (components/mapview.py); the
    title, summary and label, the Sankey figure and the open loop follow each new STATE
    (components/follow.py, memoized per query and language)."""
    app.clientside_callback(
        ClientsideFunction("alliance", "togglePlay"),
        Output(ids.PLAYING, "data"),
        Output(ids.PLAY, "children"),
        Output(ids.TIMELINE, "value", allow_duplicate=True),
        Input(ids.PLAY, "n_clicks"),
        State(ids.PLAYING, "data"),
        State(ids.TIMELINE, "value"),
        State(ids.TIMELINE, "max"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("alliance", "viewport"), Output(ids.VIEWPORT, "data"), Input(ids.URL, "pathname")
    )
    app.clientside_callback(
        ClientsideFunction("alliance", "camera"),
        Output(ids.CAMERA, "data"),
        Input(ids.GRAPH, "relayoutData"),
        State(ids.GRAPH, "figure"),
        prevent_initial_call=True,
    )

    # The panels' and sections' links relay a real click to the sync callback through one store,
    # in the browser: buttons that merely appear (the sections, every panel) ask the server nothing.
    app.clientside_callback(
        ClientsideFunction("alliance", "pick"),
        Output(ids.PICK, "data"),
        Input({"type": ids.OPEN_DEAL, "id": ALL}, "n_clicks"),
        Input({"type": ids.OPEN_COMPANY, "id": ALL}, "n_clicks"),
        Input({"type": ids.OPEN_CYCLE, "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )

    @functools.lru_cache(maxsize=256)
    def follow(query: str, lang: str | None) -> dict:
        return {
            "figure": render_sankey(atlas, query, lang) or no_update,
            "cycle": cycle_highlight(atlas, query),
            **dict(zip(TEXT_OUTPUTS, render_texts(atlas, query, lang), strict=True)),
        }

    outputs = {
        "state": Output(ids.STATE, "data"),
        "url": Output(ids.URL, "search"),
        "notice": Output(ids.NOTICE, "children"),
        "controls": Output(ids.CONTROLS_SET, "data"),
        "click": Output(ids.GRAPH, "clickData"),
        "camera": Output(ids.CAMERA, "data", allow_duplicate=True),
        "figure": Output(ids.GRAPH, "figure"),
        "cycle": Output(ids.CYCLE, "data"),
        "title": Output(ids.TITLE, "children"),
        "summary": Output(ids.SUMMARY, "children"),
        "timeline_label": Output(ids.TIMELINE_LABEL, "children"),
    }
    # Grouped (Dash's flexible callback signatures); the flat order of the inputs is the same as
    # when each was its own argument: search, the controls, the clicks, Play, the table's cell.
    inputs = {
        "search": Input(ids.URL, "search"),
        "controls": {name: Input(*CONTROL_OUTPUTS[name]) for name in CONTROL_INPUTS},
        "picks": {
            "click": Input(ids.GRAPH, "clickData"),
            "close": Input(ids.PANEL_CLOSE, "n_clicks"),
            "pick": Input(ids.PICK, "data"),  # a panel's or section's link (the pick relay above)
            "reset": Input(ids.RESET, "n_clicks"),
        },
        "playing": Input(ids.PLAYING, "data"),
        "cell": Input(ids.TABLE, "cellClicked"),
    }

    @app.callback(
        output=outputs,
        inputs=inputs,
        state={"stored": State(ids.STATE, "data"), "lang": State(ids.LANG, "data")},
        prevent_initial_call="initial_duplicate",
    )
    def sync(search, controls, picks, playing, cell, stored, lang):
        trigger = ctx.triggered_id
        clicked = bool(ctx.triggered and ctx.triggered[0]["value"])
        if trigger == ids.PICK:
            trigger = picked(picks["pick"]) or trigger  # malformed: a trigger that picks nothing
        click = picks["click"]
        if trigger == ids.TABLE:
            click = {"points": [{"customdata": ["deal", cell.get("rowId") if isinstance(cell, dict) else None]}]}
        lang = resolve(lang)
        result = sync_state(
            atlas, Event(trigger, clicked, click, playing is True), search, dict(controls), stored, lang
        )
        if picks["click"] is None:
            result["click"] = no_update  # nothing to clear (a table click carries its own)
        if result["state"] is not no_update or trigger is None:
            query = stored if result["state"] is no_update else result["state"]
            answer = follow(query or "", lang)
            # What the page shows already (the answer to the stored STATE) is not sent again: each
            # output makes Dash's renderer update its store and run what follows it in the browser.
            shown = follow(stored or "", lang) if trigger is not None and stored is not None else {}
            result.update(unchanged_outputs(answer, shown))
        # New control values (a link, back/forward, Reset) travel in one store; assets/map.js sets
        # them with set_props, so that the controls are no output here and a control change
        # never waits for this callback before the map repaints.
        values = {name: result.pop(name) for name in CONTROL_OUTPUTS}
        changed = {name: value for name, value in values.items() if value is not no_update}
        result["controls"] = control_settings(changed) if changed else no_update
        return result


PICK_TYPES = (ids.OPEN_DEAL, ids.OPEN_COMPANY, ids.OPEN_CYCLE)


def picked(pick) -> dict | None:
    """The button a PICK store names ({"type", "id"}, as Dash's triggered_id for the button
    itself), or None when it is not shaped like one of the panels' or sections' links."""
    if isinstance(pick, dict) and pick.get("type") in PICK_TYPES and isinstance(pick.get("id"), str):
        return {"type": pick["type"], "id": pick["id"]}
    return None


def unchanged_outputs(answer: dict, shown: dict) -> dict:
    """`answer` with no_update for every output equal to what the page shows (`shown`, the
    answer for the stored STATE; empty on the page's first call, when everything is sent)."""
    return {name: no_update if name in shown and shown[name] == value else value for name, value in answer.items()}


def _unchanged() -> dict:
    return dict.fromkeys(OUTPUTS, no_update)


@dataclass(frozen=True)
class Event:
    """What fired the sync callback: `trigger` the component id (None: the page's first call),
    `clicked` whether it was a real click (not a freshly drawn button), `click` the graph's or
    the table's clickData, `playing` whether Play runs."""

    trigger: object = None
    clicked: bool = False
    click: object = None
    playing: bool = False


def sync_state(atlas: Atlas, event: Event, search, controls: dict, stored, lang: str | None = "en") -> dict:
    """The sync callback's state logic, callable without Dash's request context (tests call it).

    `search` is the URL's (read when the URL or nothing fired), `controls` the controls' values
    by name (read for any other trigger), `stored` the STATE query. Returns a dict over OUTPUTS
    (map outputs left as no_update): the new STATE query, the URL search to write, the notice,
    control values, cleared clickData and a camera reset; an output that would not change what
    the page shows (no clickData to clear, the URL already written) is no_update. `lang` is the page's language (the
    link's own `lang` wins).
    """
    context = atlas.context
    trigger, playing = event.trigger, event.playing
    out = _unchanged()
    if trigger in (None, ids.URL):
        view = atlas.view(search)
        state, notices, query = view.state, view.notices, view.query
        if stored is not None and query == stored and not notices:
            return out  # our own write echoing back
        lang = state.lang or lang
        out.update(
            state=query,
            notice=_notice_text(notices, lang),
            click=_cleared(event),
            **_controls_from_state(atlas, state, lang),
        )
        return out

    previous = atlas.view(stored).state
    if trigger == ids.RESET:
        state = default_state(context).with_(embed=previous.embed, scroll=previous.scroll)
        query = to_query(state, context)
        out.update(
            state=query,
            url=_written(query, search),
            notice=[],
            click=_cleared(event),
            camera=None,
            **_controls_from_state(atlas, state, lang),
        )
        return out
    state = _state_from_controls(atlas, previous, controls)
    state = _apply_selection(state, event)
    query = atlas.view(to_query(state, context)).query  # drops unknown ids from clicks
    # While Play runs, the URL is written once, when it stops (no history entry per month).
    url = no_update if playing else _written(query, search)
    if query == stored:
        if trigger == ids.PLAYING and not playing:
            out.update(url=url)
        if trigger == ids.GRAPH:
            out.update(click=_cleared(event))
        return out
    out.update(state=query, url=url, click=_cleared(event))
    return out


def _cleared(event: Event):
    """None to clear the graph's clickData (so that the same point can be clicked again), or
    no_update when there is none: writing None over None makes Dash run what follows it."""
    return None if event.click is not None else no_update


def _written(query: str, search) -> object:
    """The URL search to write for a STATE query, or no_update when the URL already shows it."""
    url = query or "?"
    return no_update if url == search else url


def _apply_selection(state: ViewState, event: Event) -> ViewState:
    """Clicks on the graph, on links inside panels, or on the close button pick the panel."""
    trigger, click, clicked = event.trigger, event.click, event.clicked
    if trigger == ids.PANEL_CLOSE:
        return state.with_(company=None, deal=None)
    if trigger in (ids.GRAPH, ids.TABLE) and _clicked_item(click):
        kind, key = _clicked_item(click)
        if kind == "company":
            return state.with_(company=key, deal=None)
        if kind == "deal" and key:
            return state.with_(deal=key, company=None)
        if kind == OTHERS and key in SANKEY_COLUMNS:  # a Sankey column's "N others" opens it
            return state.with_(expand=tuple(sorted({*state.expand, int(key)})))
        return state
    if isinstance(trigger, dict) and clicked:
        if trigger["type"] == ids.OPEN_DEAL:
            return state.with_(deal=trigger["id"], company=None)
        if trigger["type"] == ids.OPEN_COMPANY:
            return state.with_(company=trigger["id"], deal=None)
        if trigger["type"] == ids.OPEN_CYCLE:
            return state.with_(cycle=None if state.cycle == trigger["id"] else trigger["id"])
    return state


def _clicked_item(click) -> tuple[str, str] | None:
    """(kind, id) from plotly's clickData, or None when it is not shaped like one."""
    try:
        kind, key = click["points"][0]["customdata"][:2]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return (kind, key) if isinstance(kind, str) and isinstance(key, str) else None
