"""The stress test on the page: the ranked table in the panel and the sentence in the summary.

alliance.exposure computes everything; this module only lays it out. The same numbers come back
from /api/exposure (components/api.py) for the same link.
"""

from __future__ import annotations

from dash import html

from alliance.atlas import Atlas
from alliance.exposure import Exposure
from alliance.i18n import and_list, money, number, percent, t
from alliance.viewstate import ViewState

from . import ids


def names_of(atlas: Atlas, fail, lang: str = "en") -> str:
    """'OpenAI', 'OpenAI and Microsoft', 'OpenAI, Microsoft and Oracle' (in the reader's language)."""
    return and_list((atlas.dataset.companies.at[c, "name"] for c in fail), lang)


def gw_text(gw: float, lang: str = "en") -> str:
    return number(gw, lang) if gw else "–"


def summary_sentence(atlas: Atlas, state: ViewState, lang: str = "en") -> str:
    """' · $829B at risk if OpenAI cannot pay (a what-if over announced deals, not a forecast)', or ''."""
    result = atlas.exposure(state)
    if result is None:
        return ""
    total = t(
        lang,
        "exposure.summary" + ("_many" if len(result.fail) > 1 else ""),
        total=money(result.total_at_risk_usd, lang),
        names=names_of(atlas, result.fail, lang),
    )
    caveat = t(lang, "exposure.caveat").rstrip(".")
    return f" {total} ({caveat[:1].lower() + caveat[1:]})."


def _deal_links(atlas: Atlas, deal_ids, lang: str) -> html.Details:
    deals = atlas.deals_by_id
    names = atlas.dataset.companies["name"]
    items = []
    for did in deal_ids:
        d = deals.loc[did]
        items.append(
            html.Li(
                [
                    html.Button(
                        f"{names[d['from_id']]} → {names[d['to_id']]} · {d['date']:%Y-%m}",
                        id={"type": ids.OPEN_DEAL, "id": did},
                        className="link-button",
                        n_clicks=0,
                    ),
                    " ",
                    html.A(
                        d["source_name"] or t(lang, "panel.source"),
                        href=d["source_url"],
                        target="_blank",
                        rel="noopener noreferrer",
                        className="source-link",
                    ),
                ]
            )
        )
    return html.Details([html.Summary(str(len(deal_ids))), html.Ul(items, className="deal-list")])


def exposure_panel(atlas: Atlas, state: ViewState, lang: str = "en") -> html.Div | None:
    """Title, the caveat, the model in one paragraph, the total and the ranked table."""
    result: Exposure | None = atlas.exposure(state)
    if result is None:
        return None
    names = atlas.dataset.companies["name"]
    rows = [
        html.Tr(
            [
                html.Td(
                    html.Button(
                        names[cid], id={"type": ids.OPEN_COMPANY, "id": cid}, className="link-button", n_clicks=0
                    )
                ),
                html.Td(money(row.direct_usd, lang) if row.direct_usd else "–", className="num direct"),
                html.Td(money(row.indirect_usd, lang) if row.indirect_usd else "–", className="num indirect"),
                html.Td(percent(row.share_of_inflow, lang), className="num"),
                html.Td(gw_text(row.gw, lang), className="num"),
                html.Td(_deal_links(atlas, row.deals, lang)),
            ],
            **{"data-company": cid},
        )
        for cid, row in result.companies.iterrows()
    ]
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(lang, f"exposure.{key}"), scope="col")
                for key in ("company", "direct", "indirect", "share", "gw", "deals")
            ]
        )
    )
    table = (
        html.Table([header, html.Tbody(rows)], className="flow-table exposure-table", id=ids.EXPOSURE_TABLE)
        if rows
        else html.P(t(lang, "exposure.none"), className="muted")
    )
    return html.Div(
        className="exposure",
        children=[
            html.H2(
                t(
                    lang,
                    "exposure.title" + ("_many" if len(result.fail) > 1 else ""),
                    names=names_of(atlas, result.fail, lang),
                )
            ),
            html.P(html.Strong(t(lang, "exposure.caveat")), className="exposure-caveat"),
            html.P(
                t(lang, "exposure.total", total=money(result.total_at_risk_usd, lang), rounds=result.rounds),
                className="exposure-total",
            ),
            html.P(t(lang, "exposure.model"), className="muted small"),
            table,
        ],
    )


def scenario_title(atlas: Atlas, state: ViewState, lang: str | None = "en") -> str | None:
    """'If OpenAI cannot pay' for a link with `fail`, else None (share cards and the preview name it)."""
    if not state.fail:
        return None
    lang = lang or "en"
    return t(lang, "exposure.title" + ("_many" if len(state.fail) > 1 else ""), names=names_of(atlas, state.fail, lang))


def scenario_description(atlas: Atlas, state: ViewState, lang: str | None = "en") -> str | None:
    """'$828.66B at risk if OpenAI cannot pay' for a link with `fail`, else None."""
    result = atlas.exposure(state)
    if result is None:
        return None
    lang = lang or "en"
    return t(
        lang,
        "exposure.summary" + ("_many" if len(result.fail) > 1 else ""),
        total=money(result.total_at_risk_usd, lang),
        names=names_of(atlas, result.fail, lang),
    )


def sankey_tint(result: Exposure):
    """Band colours for the Sankey under a stress test: a band holding a lost deal is red, one
    holding an at-risk deal orange, the rest faint grey (the map's colours)."""
    kinds = result.deal_kinds()

    def tint(deal_ids) -> str:
        found = {kinds.get(d) for d in deal_ids}
        if "lost" in found:
            return "rgba(214,39,40,0.7)"
        if "at_risk" in found:
            return "rgba(255,127,14,0.7)"
        return "rgba(128,128,128,0.15)"

    return tint
