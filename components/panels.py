"""The detail panel lying over the map's right side: its frame, what it shows for a link (a deal's
card, a company's profile built from the deals in view, or the stress test's table) and its callback."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, html

from alliance.atlas import Atlas
from alliance.i18n import amount_as_stated, deal_type, is_missing, long_date, money, number, role, status, t
from alliance.ledger import build_ledger
from alliance.money import counted_mask, money_by_type, round_note
from alliance.schema import AMOUNT_KINDS, MONEY_STATES, WEAK_SOURCE_NOTE
from alliance.text import data_text

from . import ids
from .exposure import exposure_panel
from .flowviews import company_profile

DATA_LANG = "en"  # deal summaries, notes and descriptions stay in the data's language


def _source_link(url: str, name: str, lang: str = "en") -> html.A:
    return html.A(
        name or t(lang, "panel.source"), href=url, target="_blank", rel="noopener noreferrer", className="source-link"
    )


def _tier(tier: str, lang: str) -> list:
    """' (wire service or national business press)' after a link: its source tier, in words."""
    if not tier:
        return []
    return [" ", html.Span(f"({t(lang, f'panel.tier.{tier}')})", className=f"source-tier tier-{tier}", title=tier)]


def _day(text: str, lang: str) -> str:
    return long_date(pd.Timestamp(text), lang) if text else ""


def _company_button(atlas: Atlas, cid: str) -> html.Button:
    return html.Button(
        atlas.dataset.companies.at[cid, "name"],
        id={"type": ids.OPEN_COMPANY, "id": cid},
        className="link-button",
        n_clicks=0,
    )


def money_cell(total: float, deals: int, undisclosed: int, lang: str = "en") -> str:
    """One cell of "Money in view": the counted dollars; else "undisclosed" when some deal states
    no amount; else "not counted" (amounts stated, none counts); "–" when no deal goes that way."""
    if total:
        return money(total, lang)
    if undisclosed:
        return t(lang, "panel.undisclosed")
    return t(lang, "panel.not_counted") if deals else "–"


def state_table(states: dict, lang: str = "en") -> html.Table:
    """Money in and out split by money state, with the totals (the ledger's company())."""

    def cell(value: float) -> str:
        return money(value, lang) if value else "–"

    rows = [
        html.Tr(
            [
                html.Td(t(lang, f"state.{s}"), title=t(lang, f"state.{s}_help")),
                html.Td(cell(states["in"][s])),
                html.Td(cell(states["out"][s])),
            ],
            className=f"state-{s}",
        )
        for s in MONEY_STATES
    ]
    rows.append(
        html.Tr(
            [
                html.Th(t(lang, "panel.total")),
                html.Td(cell(states["in"]["total"]), className="money-in-total"),
                html.Td(cell(states["out"]["total"]), className="money-out-total"),
            ]
        )
    )
    return html.Table(
        [
            html.Caption(t(lang, "panel.money_by_state")),
            html.Thead(
                html.Tr([html.Th(t(lang, "panel.state")), html.Th(t(lang, "panel.in")), html.Th(t(lang, "panel.out"))])
            ),
            html.Tbody(rows),
        ],
        className="flow-table state-table",
    )


def _gigawatts(gw, lang: str) -> str:
    return "" if is_missing(gw) else t(lang, "gw", value=number(gw, lang))


def _amount_text(atlas: Atlas, deal, lang: str = "en") -> str:
    """The amount as stated, plus 'part of a $65B round' when an undisclosed share has a known round."""
    text = amount_as_stated(deal.amount_usd, deal.amount_qualifier, lang)
    note = round_note(deal, atlas.dataset, lang) if pd.isna(deal.amount_usd) else None
    return f"{text}, {note}" if note else text


def _sentence(text: str | None) -> str:
    return text[:1].upper() + text[1:] if text else ""


def not_counted_reason(deal, all_deals: pd.DataFrame, lang: str = "en") -> str:
    """Why a stated amount stays out of the full dataset's totals ('' when it counts or nothing
    is stated). `deal` is a row of `all_deals`."""
    if pd.isna(deal["amount_usd"]) or counted_mask(all_deals).at[deal.name]:
        return ""
    if deal["status"] == "superseded":
        return t(lang, "not_counted.superseded")
    if deal["status"] in ("cancelled", "stalled"):
        return t(lang, "not_counted.status", status=status(deal["status"], lang))
    if deal["amount_kind"] in AMOUNT_KINDS and deal["amount_kind"] != "flow":
        return t(lang, f"not_counted.kind.{deal['amount_kind']}")
    return t(lang, "not_counted.no_money")


def company_panel(
    atlas: Atlas, company: str, deals_in_view: pd.DataFrame, extra: list | None = None, lang: str = "en", ledger=None
) -> html.Div:
    rec = atlas.dataset.companies.loc[company]
    names = atlas.dataset.companies["name"]
    mine = deals_in_view[(deals_in_view["from_id"] == company) | (deals_in_view["to_id"] == company)]
    total = int(((atlas.dataset.deals["from_id"] == company) | (atlas.dataset.deals["to_id"] == company)).sum())
    ledger = ledger if ledger is not None else build_ledger(deals_in_view, atlas.dataset)  # the view's one ledger
    flows = money_by_type(deals_in_view, company, atlas.dataset, ledger)  # its sums: round totals once
    if len(mine) == 0:
        flows = flows.iloc[:0]
    states = ledger.company(company)
    flow_rows = [
        html.Tr(
            [
                html.Td(deal_type(kind, lang)),
                html.Td(money_cell(r["in_sum"], r["in_deals"], r["in_undisclosed"], lang)),
                html.Td(money_cell(r["out_sum"], r["out_deals"], r["out_undisclosed"], lang)),
            ]
        )
        for kind, r in flows.iterrows()
    ]
    no_table = t(lang, "panel.no_money_deals" if len(mine) else "panel.no_deals")
    deal_items = [
        html.Li(
            [
                html.Span(f"{d.date:%Y-%m-%d}", className="deal-date"),
                " ",
                html.Button(
                    f"{'→ ' + names[d.to_id] if d.from_id == company else '← ' + names[d.from_id]}"
                    f" · {deal_type(d.deal_type, lang)} · {_amount_text(atlas, d, lang)}",
                    id={"type": ids.OPEN_DEAL, "id": d.id},
                    className="link-button",
                    n_clicks=0,
                ),
                " ",
                _source_link(d.source_url, d.source_name, lang),
            ]
        )
        for d in mine.sort_values("date", ascending=False).itertuples()
    ]
    description, description_lang = data_text(rec["description"], rec.get("description_ru", ""), lang)
    children = [
        html.H2(rec["name"]),
        html.P(", ".join(role(r, lang) for r in rec["role_list"]), className="roles"),
        html.P(description, lang=description_lang) if description else None,
        html.P(
            [
                rec["country"] + " · " if rec["country"] else "",
                html.A(rec["website"], href=rec["website"], target="_blank", rel="noopener noreferrer")
                if rec["website"]
                else None,
            ],
            className="muted",
        ),
        html.H3(t(lang, "panel.money_by_type")),
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [html.Th(t(lang, "panel.type")), html.Th(t(lang, "panel.in")), html.Th(t(lang, "panel.out"))]
                    )
                ),
                html.Tbody(flow_rows),
            ],
            className="flow-table",
        )
        if flow_rows
        else html.P(no_table, className="muted"),
        state_table(states, lang) if flow_rows else None,
        *(extra or []),
        html.H3(t(lang, "panel.deals_in_view", shown=len(mine), total=total)),
        html.Ul(deal_items, className="deal-list"),
    ]
    return html.Div([c for c in children if c is not None])


def deal_card(atlas: Atlas, deal_id: str, lang: str = "en") -> html.Div:
    deals = atlas.dataset.deals
    names = atlas.dataset.companies["name"]
    d = deals[deals["id"] == deal_id].iloc[0]
    facts = [
        ("panel.type", deal_type(d["deal_type"], lang)),
        ("panel.amount", amount_as_stated(d["amount_usd"], d["amount_qualifier"], lang)),
        ("panel.round", _sentence(round_note(d, atlas.dataset, lang))),
        ("panel.totals", not_counted_reason(d, deals, lang)),
        ("panel.compute", _gigawatts(d["compute_gw"], lang)),
        ("panel.announced", long_date(d["date"], lang)),
        ("panel.status", status(d["status"], lang)),
        ("panel.added_on", _day(d.get("added_on", ""), lang)),
        ("panel.checked_on", _day(d.get("checked_on", ""), lang)),
    ]
    summary, summary_lang = data_text(d["summary"], d.get("summary_ru", ""), lang)
    children = [
        html.H2([_company_button(atlas, d["from_id"]), " → ", _company_button(atlas, d["to_id"])]),
        html.P(t(lang, "panel.summary_fallback"), className="muted data-language")
        if lang != DATA_LANG and summary_lang == DATA_LANG
        else None,
        html.P(summary, className="summary", lang=summary_lang),
        html.Dl([item for key, value in facts if value for item in (html.Dt(t(lang, key)), html.Dd(value))]),
        html.P(
            [
                t(lang, "panel.source_label"),
                _source_link(d["source_url"], d["source_name"], lang),
                *_tier(d.get("source_tier", ""), lang),
            ]
        ),
    ]
    if d["second_source_url"]:
        children.append(
            html.P(
                [
                    t(lang, "panel.confirmed_by"),
                    _source_link(d["second_source_url"], t(lang, "panel.second_source"), lang),
                    *_tier(d.get("second_source_tier", ""), lang),
                ]
            )
        )
    if WEAK_SOURCE_NOTE in str(d["notes"]).lower():
        children.append(html.P(t(lang, "panel.weak_source"), className="weak-source"))
    if d["supersedes"]:
        children.append(
            html.P(
                [
                    t(lang, "panel.replaces"),
                    html.Button(
                        d["supersedes"],
                        id={"type": ids.OPEN_DEAL, "id": d["supersedes"]},
                        className="link-button",
                        n_clicks=0,
                    ),
                ]
            )
        )
    if d["notes"]:
        children.append(html.P([t(lang, "panel.note"), html.Span(d["notes"], lang=DATA_LANG)], className="notes"))
    if d["group_id"]:
        group = deals[(deals["group_id"] == d["group_id"]) & (deals["id"] != deal_id)]
        if not group.empty:
            children.append(html.H3(t(lang, "panel.same_deal")))
            children.append(
                html.Ul(
                    [
                        html.Li(
                            html.Button(
                                f"{names[g.from_id]} → {names[g.to_id]} · "
                                f"{amount_as_stated(g.amount_usd, g.amount_qualifier, lang)}",
                                id={"type": ids.OPEN_DEAL, "id": g.id},
                                className="link-button",
                                n_clicks=0,
                            )
                        )
                        for g in group.itertuples()
                    ],
                    className="deal-list",
                )
            )
    return html.Div([c for c in children if c is not None])


def panel_layout(lang: str = "en") -> html.Aside:
    return html.Aside(
        id=ids.PANEL,
        className="panel",
        hidden=True,
        **{"aria-label": t(lang, "panel.label")},
        children=[
            html.Button(
                "×",
                id=ids.PANEL_CLOSE,
                n_clicks=0,
                className="panel-close",
                title=t(lang, "panel.close_title"),
                **{"aria-label": t(lang, "panel.close")},
            ),
            html.Div(id=ids.PANEL_BODY),
        ],
    )


def render_panel(atlas: Atlas, query: str | None, lang: str | None = None, theme: str | None = None) -> tuple:
    """STATE query -> (panel children, panel hidden?); the URL's lang and theme win over the page's."""
    view = atlas.view(query, lang)
    state, lang = view.state, view.lang
    if state.deal:
        return deal_card(atlas, state.deal, lang), False
    if state.company:
        extra = company_profile(atlas, view.deals, state.company, lang=lang, theme=state.theme or theme)
        return company_panel(atlas, state.company, view.deals, extra, lang, view.ledger), False
    if state.fail:  # the stress test's ranked table, until a company or deal is opened
        return exposure_panel(atlas, state, lang), False
    return [], True


def register(app, atlas: Atlas) -> None:
    @app.callback(
        Output(ids.PANEL_BODY, "children"),
        Output(ids.PANEL, "hidden"),
        Input(ids.PANEL_KEY, "data"),
        State(ids.LANG, "data"),
        State(ids.THEME, "data"),
        prevent_initial_call=True,
    )  # gated: components/gates.py
    def update_panel(query, lang, theme):
        return render_panel(atlas, query, lang, theme)
