"""Detail panels: a company's profile and a deal's card, built from the deals in view."""

from __future__ import annotations

import pandas as pd
from dash import html

from alliance.atlas import Atlas
from alliance.money import counted_amounts, counted_mask, round_note
from alliance.schema import AMOUNT_KINDS, ROLES
from alliance.text import amount_as_stated, deal_type_label, gigawatts, money

from . import ids


def _source_link(url: str, name: str) -> html.A:
    return html.A(name or "source", href=url, target="_blank", rel="noopener noreferrer", className="source-link")


def _company_button(atlas: Atlas, cid: str) -> html.Button:
    return html.Button(atlas.dataset.companies.at[cid, "name"], id={"type": ids.OPEN_COMPANY, "id": cid},
                       className="link-button", n_clicks=0)


def money_by_type(deals: pd.DataFrame, company: str) -> pd.DataFrame:
    """Counted dollars in and out of `company`, per deal type, with counts of deals that add some."""
    deals = deals.assign(amount_usd=counted_amounts(deals))
    out = deals[deals["from_id"] == company].groupby("deal_type")["amount_usd"].agg(["sum", "count"])
    into = deals[deals["to_id"] == company].groupby("deal_type")["amount_usd"].agg(["sum", "count"])
    table = out.add_prefix("out_").join(into.add_prefix("in_"), how="outer").fillna(0)
    return table


def _amount_text(atlas: Atlas, deal) -> str:
    """The amount as stated, plus 'part of a $65B round' when an undisclosed share has a known round."""
    text = amount_as_stated(deal.amount_usd, deal.amount_qualifier)
    note = round_note(deal, atlas.dataset) if pd.isna(deal.amount_usd) else None
    return f"{text}, {note}" if note else text


def _sentence(text: str | None) -> str:
    return text[:1].upper() + text[1:] if text else ""


def not_counted_reason(deal, all_deals: pd.DataFrame) -> str:
    """Why a stated amount stays out of the full dataset's totals ('' when it counts or nothing
    is stated). `deal` is a row of `all_deals`."""
    if pd.isna(deal["amount_usd"]) or counted_mask(all_deals).at[deal.name]:
        return ""
    if deal["status"] == "superseded":
        return "not counted: replaced or expanded by a later deal"
    if deal["status"] in ("cancelled", "stalled"):
        return f"not counted: {deal['status']}"
    if deal["amount_kind"] in AMOUNT_KINDS and deal["amount_kind"] != "flow":
        return f"not counted: {AMOUNT_KINDS[deal['amount_kind']]}"
    return "not counted: this deal type moves no money"


def company_panel(atlas: Atlas, company: str, deals_in_view: pd.DataFrame, extra: list | None = None) -> html.Div:
    rec = atlas.dataset.companies.loc[company]
    mine = deals_in_view[(deals_in_view["from_id"] == company) | (deals_in_view["to_id"] == company)]
    total = int(((atlas.dataset.deals["from_id"] == company) | (atlas.dataset.deals["to_id"] == company)).sum())
    flows = money_by_type(mine, company)
    flow_rows = [
        html.Tr([html.Td(deal_type_label(t)),
                 html.Td(money(r["in_sum"]) if r["in_sum"] else ("undisclosed" if r["in_count"] else "–")),
                 html.Td(money(r["out_sum"]) if r["out_sum"] else ("undisclosed" if r["out_count"] else "–"))])
        for t, r in flows.iterrows()
    ]
    deal_items = [
        html.Li([
            html.Span(f"{d.date:%Y-%m-%d}", className="deal-date"), " ",
            html.Button(f"{'→ ' + atlas.dataset.companies.at[d.to_id, 'name'] if d.from_id == company else '← ' + atlas.dataset.companies.at[d.from_id, 'name']}"
                        f" · {deal_type_label(d.deal_type)} · {_amount_text(atlas, d)}",
                        id={"type": ids.OPEN_DEAL, "id": d.id}, className="link-button", n_clicks=0),
            " ", _source_link(d.source_url, d.source_name),
        ])
        for d in mine.sort_values("date", ascending=False).itertuples()
    ]
    children = [
        html.H2(rec["name"]),
        html.P(", ".join(ROLES[r] for r in rec["role_list"]), className="roles"),
        html.P(rec["description"]) if rec["description"] else None,
        html.P([rec["country"] + " · " if rec["country"] else "",
                html.A(rec["website"], href=rec["website"], target="_blank", rel="noopener noreferrer")
                if rec["website"] else None], className="muted"),
        html.H3("Money in view, by deal type"),
        html.Table([html.Thead(html.Tr([html.Th("Type"), html.Th("In"), html.Th("Out")])), html.Tbody(flow_rows)],
                   className="flow-table") if flow_rows else html.P("No deals in the current view.", className="muted"),
        *(extra or []),
        html.H3(f"Deals in view ({len(mine)} of {total})"),
        html.Ul(deal_items, className="deal-list"),
    ]
    return html.Div([c for c in children if c is not None])


def deal_card(atlas: Atlas, deal_id: str) -> html.Div:
    deals = atlas.dataset.deals
    d = deals[deals["id"] == deal_id].iloc[0]
    facts = [
        ("Type", deal_type_label(d["deal_type"])),
        ("Amount", amount_as_stated(d["amount_usd"], d["amount_qualifier"])),
        ("Round", _sentence(round_note(d, atlas.dataset))),
        ("Totals", not_counted_reason(d, deals)),
        ("Compute", gigawatts(d["compute_gw"])),
        ("Announced", f"{d['date']:%d %B %Y}"),
        ("Status", d["status"]),
    ]
    children = [
        html.H2([_company_button(atlas, d["from_id"]), " → ", _company_button(atlas, d["to_id"])]),
        html.P(d["summary"], className="summary"),
        html.Dl([item for label, value in facts if value for item in (html.Dt(label), html.Dd(value))]),
        html.P(["Source: ", _source_link(d["source_url"], d["source_name"])]),
    ]
    if d["second_source_url"]:
        children.append(html.P(["Confirmed by: ", _source_link(d["second_source_url"], "second source")]))
    if d["supersedes"]:
        children.append(html.P(["Replaces or expands: ", html.Button(
            d["supersedes"], id={"type": ids.OPEN_DEAL, "id": d["supersedes"]}, className="link-button", n_clicks=0)]))
    if d["notes"]:
        children.append(html.P(["Note: ", d["notes"]], className="notes"))
    if d["group_id"]:
        group = deals[(deals["group_id"] == d["group_id"]) & (deals["id"] != deal_id)]
        if not group.empty:
            children.append(html.H3("Part of the same deal"))
            children.append(html.Ul([
                html.Li(html.Button(f"{atlas.dataset.companies.at[g.from_id, 'name']} → "
                                    f"{atlas.dataset.companies.at[g.to_id, 'name']} · "
                                    f"{amount_as_stated(g.amount_usd, g.amount_qualifier)}",
                                    id={"type": ids.OPEN_DEAL, "id": g.id}, className="link-button", n_clicks=0))
                for g in group.itertuples()
            ], className="deal-list"))
    return html.Div(children)
