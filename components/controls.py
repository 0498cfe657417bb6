"""Filter controls and the one callback that keeps URL, controls and view state in sync.

The address bar *is* the share link: the canonical query string (defaults omitted) lives in
the STATE store; a change of any control rewrites it, and a new URL (first load, back/forward,
a pasted link) rewrites the controls. Everything downstream reads only STATE.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from alliance.atlas import Atlas
from alliance.schema import DEAL_TYPES, ROLES
from alliance.text import money
from alliance.timeline import month_index, months_between, window
from alliance.viewstate import ViewState, default_state, parse, to_query

from . import ids
from .theme import DEAL_COLORS, ROLE_STYLE

AMOUNT_STEPS = (0, 1e8, 1e9, 1e10, 1e11)


def amount_options(current: float = 0) -> list[dict]:
    steps = sorted(set(AMOUNT_STEPS) | {current})
    return [{"label": "Any amount" if s == 0 else f"{money(s)} or more", "value": s} for s in steps]


def _swatch(color: str, label: str) -> html.Span:
    return html.Span([html.Span(className="swatch", style={"background": color}), label])


def layout(atlas: Atlas) -> html.Div:
    state = default_state(atlas.context)
    months = months_between(atlas.context.first_day, atlas.context.last_day)
    marks = {i: {"label": str(m.year)} for i, m in enumerate(months) if m.month == 1}
    companies = atlas.dataset.companies.sort_values("name")
    return html.Div(id=ids.CONTROLS, className="controls", children=[
        html.Fieldset([
            html.Legend("Deal types"),
            dcc.Checklist(id=ids.TYPES, value=list(state.types), className="checklist",
                          options=[{"label": _swatch(DEAL_COLORS[t], meta["label"]), "value": t}
                                   for t, meta in DEAL_TYPES.items()]),
        ]),
        html.Fieldset([
            html.Legend("Company roles"),
            dcc.Checklist(id=ids.ROLES, value=list(state.roles), className="checklist",
                          options=[{"label": _swatch(ROLE_STYLE[r]["color"], label), "value": r}
                                   for r, label in ROLES.items()]),
        ]),
        html.Fieldset([
            html.Legend("Focus on a company"),
            dcc.Dropdown(id=ids.FOCUS, placeholder="Search a company…", clearable=True,
                         options=[{"label": n, "value": c} for c, n in companies["name"].items()]),
            dcc.RadioItems(id=ids.DEPTH, value=1, inline=True, className="radio",
                           options=[{"label": "direct partners", "value": 1},
                                    {"label": "partners of partners", "value": 2}]),
        ]),
        html.Fieldset([
            html.Legend("Minimum amount"),
            dcc.Dropdown(id=ids.MIN_AMOUNT, value=0, clearable=False, options=amount_options()),
        ]),
        html.Fieldset(className="timeline", children=[
            html.Legend("Timeline (announcement month)"),
            html.Div(className="timeline-row", children=[
                html.Button("▶ Play", id=ids.PLAY, n_clicks=0, className="button play",
                            title="Animate month by month"),
                html.Div(dcc.RangeSlider(id=ids.TIMELINE, min=0, max=len(months) - 1, step=1,
                                         value=[0, len(months) - 1], marks=marks, allowCross=False, allow_direct_input=False,
                                         updatemode="mouseup"), className="slider"),
            ]),
            html.Div(id=ids.TIMELINE_LABEL, className="muted"),
            dcc.Interval(id=ids.TICK, interval=700, disabled=True),
        ]),
        html.Button("Reset filters", id=ids.RESET, n_clicks=0, className="button secondary"),
    ])


def _state_from_controls(atlas: Atlas, previous: ViewState, types, roles, focus, depth, min_amount,
                         timeline, view) -> ViewState:
    months = months_between(atlas.context.first_day, atlas.context.last_day)
    lo, hi = timeline or (0, len(months) - 1)
    date_from, date_to = window(months, lo, hi)
    # Keep a day-precise window from a link until the slider itself moves.
    if (month_index(months, previous.date_from), month_index(months, previous.date_to)) == (lo, hi):
        date_from, date_to = previous.date_from, previous.date_to
    return previous.with_(
        types=tuple(t for t in DEAL_TYPES if t in (types or [])),
        roles=tuple(r for r in ROLES if r in (roles or [])),
        focus=focus or None, depth=depth if depth in (1, 2) else 1,
        min_amount=float(min_amount or 0), date_from=date_from, date_to=date_to,
        view=view or previous.view,
    )


def _controls_from_state(atlas: Atlas, state: ViewState) -> tuple:
    months = months_between(atlas.context.first_day, atlas.context.last_day)
    return (list(state.types), list(state.roles), state.focus, state.depth, state.min_amount,
            amount_options(state.min_amount),
            [month_index(months, state.date_from), month_index(months, state.date_to)], state.view)


def _notice_text(notices) -> list:
    if not notices:
        return []
    return [html.Strong("Some of the link was not understood: "), " ".join(n.message for n in notices)]


def register(app, atlas: Atlas) -> None:
    app.clientside_callback(
        ClientsideFunction("alliance", "togglePlay"),
        Output(ids.TICK, "disabled"), Output(ids.PLAY, "children"), Output(ids.TIMELINE, "value", allow_duplicate=True),
        Input(ids.PLAY, "n_clicks"), State(ids.TICK, "disabled"), State(ids.TIMELINE, "value"),
        State(ids.TIMELINE, "max"), prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("alliance", "tick"),
        Output(ids.TIMELINE, "value", allow_duplicate=True), Output(ids.TICK, "disabled", allow_duplicate=True),
        Output(ids.PLAY, "children", allow_duplicate=True),
        Input(ids.TICK, "n_intervals"), State(ids.TIMELINE, "value"), State(ids.TIMELINE, "max"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.STATE, "data"), Output(ids.URL, "search"), Output(ids.NOTICE, "children"),
        Output(ids.TYPES, "value"), Output(ids.ROLES, "value"), Output(ids.FOCUS, "value"),
        Output(ids.DEPTH, "value"), Output(ids.MIN_AMOUNT, "value"), Output(ids.MIN_AMOUNT, "options"),
        Output(ids.TIMELINE, "value"), Output(ids.VIEW, "value"), Output(ids.GRAPH, "clickData"),
        Input(ids.URL, "search"),
        Input(ids.TYPES, "value"), Input(ids.ROLES, "value"), Input(ids.FOCUS, "value"),
        Input(ids.DEPTH, "value"), Input(ids.MIN_AMOUNT, "value"), Input(ids.TIMELINE, "value"),
        Input(ids.VIEW, "value"), Input(ids.GRAPH, "clickData"), Input(ids.PANEL_CLOSE, "n_clicks"),
        Input({"type": ids.OPEN_DEAL, "id": ALL}, "n_clicks"),
        Input({"type": ids.OPEN_COMPANY, "id": ALL}, "n_clicks"),
        Input({"type": ids.OPEN_CYCLE, "id": ALL}, "n_clicks"),
        Input(ids.RESET, "n_clicks"), Input(ids.TICK, "disabled"), Input(ids.TABLE, "cellClicked"),
        State(ids.STATE, "data"),
    )
    def sync(search, types, roles, focus, depth, min_amount, timeline, view, click, _close,
             _open_deal, _open_company, _open_cycle, _reset, paused, cell, stored):
        clicked = bool(ctx.triggered and ctx.triggered[0]["value"])
        if ctx.triggered_id == ids.TABLE:
            click = {"points": [{"customdata": ["deal", (cell or {}).get("rowId")]}]}
        return sync_state(atlas, ctx.triggered_id, clicked, search, types, roles, focus, depth, min_amount,
                          timeline, view, click, paused, stored)


NO_CHANGE = (no_update,) * 12


def sync_state(atlas: Atlas, trigger, clicked: bool, search, types, roles, focus, depth, min_amount,
               timeline, view, click, paused, stored) -> tuple:
    """The sync callback's logic, callable without Dash's request context (tests call it).

    Returns (state query, URL search, notice, *control values, graph clickData).
    """
    context = atlas.context
    if trigger in (None, ids.URL):
        state, notices = parse(search, context)
        query = to_query(state, context)
        if stored is not None and query == stored and not notices:
            return NO_CHANGE  # our own write echoing back
        return (query, no_update, _notice_text(notices), *_controls_from_state(atlas, state), None)

    previous, _ = parse(stored or "", context)
    if trigger == ids.RESET:
        state = default_state(context).with_(embed=previous.embed, scroll=previous.scroll)
        return (to_query(state, context), to_query(state, context) or "?", [],
                *_controls_from_state(atlas, state), None)
    state = _state_from_controls(atlas, previous, types, roles, focus, depth, min_amount, timeline, view)
    state = _apply_selection(state, trigger, click, clicked)
    query = to_query(state, context)
    playing = paused is False
    if trigger == ids.TICK:  # the animation started or stopped: write the URL once it stops
        return NO_CHANGE if playing else (no_update, query or "?", *NO_CHANGE[2:])
    if query == stored:
        return NO_CHANGE[:-1] + (None,) if trigger == ids.GRAPH else NO_CHANGE
    url = no_update if playing else (query or "?")  # no history entry per animation frame
    return (query, url, no_update, *(no_update,) * 8, None)


def _apply_selection(state: ViewState, trigger, click, clicked: bool) -> ViewState:
    """Clicks on the graph, on links inside panels, or on the close button pick the panel."""
    if trigger == ids.PANEL_CLOSE:
        return state.with_(company=None, deal=None)
    if trigger in (ids.GRAPH, ids.TABLE) and click and click.get("points"):
        kind, key = (click["points"][0].get("customdata") or [None, None])[:2]
        if kind == "company":
            return state.with_(company=key, deal=None)
        if kind == "deal" and key:
            return state.with_(deal=key, company=None)
        return state
    if isinstance(trigger, dict) and clicked:
        if trigger["type"] == ids.OPEN_DEAL:
            return state.with_(deal=trigger["id"], company=None)
        if trigger["type"] == ids.OPEN_COMPANY:
            return state.with_(company=trigger["id"], deal=None)
        if trigger["type"] == ids.OPEN_CYCLE:
            return state.with_(cycle=None if state.cycle == trigger["id"] else trigger["id"])
    return state
