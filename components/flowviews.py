"""Follow the money: circular deals, the Sankey view, the deal table, "who matters", profiles."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from alliance.atlas import Atlas
from alliance.export import deal_records
from alliance.flows import (
    ROUND_PAYER,
    CycleSearch,
    biggest_partners,
    committed_compute_gw,
    money_by_year,
    round_trip_share,
    sankey_flows,
    who_matters,
)
from alliance.i18n import amount_as_stated, count, money, month_year, number, percent, status, t
from alliance.sankey import OTHERS, Column, Node, anchors, drawn, fold

from . import ids
from .theme import MONEY_AXIS, empty_figure, figure_theme, rgba, themed_layout

STAGES = 4  # Sankey columns (alliance.flows.STAGE_LABELS); their names come from the catalog

STATE_ALPHA = {"paid": 0.7, "contracted": 0.42, "conditional": 0.2, "": 0.3}  # a Sankey band's opacity by money state
HIDDEN = "rgba(0,0,0,0)"  # the Sankey's column anchors (alliance.sankey.anchors)
SANKEY_OTHERS_LISTED = 15  # names listed in an "N others" node's hover
CYCLES_SHOWN = 25
# what the grid shows or uses (its columns, the source link's name, the row id): the rest of a
# deal record (notes, tiers, Russian texts, ...) stays in the downloads, not in every page's data
GRID_FIELDS = (
    "id",
    "date",
    "from_name",
    "to_name",
    "deal_type_label",
    "summary",
    "amount_as_stated",
    "amount_usd",
    "compute_gw",
    "status",
    "source_url",
    "source_name",
)
TABLE_MAX_ROWS = 2000  # the deal table shows at most this many (the downloads have every row)


def grid_class(theme: str | None) -> str:
    """AG Grid's dark variant for ?theme=dark; with no theme, CSS variables follow the device."""
    return "ag-theme-alpine-dark" if theme == "dark" else "ag-theme-alpine"


def layout(lang: str = "en", theme: str | None = None) -> html.Div:
    grid = dag.AgGrid(
        id=ids.TABLE,
        columnDefs=[
            {"field": "date", "headerName": t(lang, "grid.date"), "width": 115, "sort": "desc"},
            {"field": "from_name", "headerName": t(lang, "grid.from"), "flex": 1},
            {"field": "to_name", "headerName": t(lang, "grid.to"), "flex": 1},
            {"field": "deal_type_label", "headerName": t(lang, "grid.type"), "flex": 1},
            {"field": "summary", "headerName": t(lang, "grid.summary"), "flex": 2, "tooltipField": "summary"},
            {"field": "amount_as_stated", "headerName": t(lang, "grid.amount"), "width": 160, "sortable": False},
            {
                "field": "amount_usd",
                "headerName": t(lang, "grid.usd"),
                "width": 140,
                "type": "numericColumn",
                "valueFormatter": {"function": "d3.format('$.3~s')(params.value || 0).replace('G', 'B')"},
            },
            {"field": "compute_gw", "headerName": t(lang, "grid.gw"), "width": 80, "type": "numericColumn"},
            {"field": "status", "headerName": t(lang, "grid.status"), "width": 115},
            {
                "field": "source_url",
                "headerName": t(lang, "grid.source"),
                "flex": 1,
                "cellRenderer": "markdown",
                "valueGetter": {"function": "'[' + params.data.source_name + '](' + params.data.source_url + ')'"},
            },
        ],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={
            "quickFilterText": "",
            "pagination": True,
            "paginationPageSize": 20,
            "paginationPageSizeSelector": False,  # its combobox fails axe (no textbox child)
            "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
            "enableCellTextSelection": True,
            "ensureDomOrder": True,
        },
        getRowId="params.data.id",
        dangerously_allow_code=False,
        className=grid_class(theme),
        style={"height": "520px"},
        rowData=[],
    )
    return html.Div(
        [
            html.Section(
                className="section cycles",
                children=[
                    html.H2(t(lang, "sections.cycles")),
                    html.P(t(lang, "sections.cycles_intro"), className="muted"),
                    html.Div(id=ids.CYCLES_NOTE, className="muted"),
                    html.Ol(id=ids.CYCLES, className="cycle-list"),
                ],
            ),
            html.Section(
                className="section",
                children=[
                    html.H2(t(lang, "sections.who_matters")),
                    html.Div(id=ids.METRICS, className="metrics"),
                ],
            ),
            html.Section(
                className="section",
                children=[
                    html.H2(t(lang, "sections.deals")),
                    html.P(t(lang, "sections.deals_intro"), className="muted"),
                    html.P(id=ids.TABLE_NOTE, className="muted"),
                    grid,
                ],
            ),
        ]
    )


def _hop_text(atlas: Atlas, hop, lang: str = "en") -> str:
    deals = atlas.deals_by_id.loc[list(hop.deal_ids)]
    parts = [amount_as_stated(a, q, lang) for a, q in zip(deals["amount_usd"], deals["amount_qualifier"], strict=True)]
    return " + ".join(parts)


def cycle_items(atlas: Atlas, search: CycleSearch, selected: str | None, lang: str = "en") -> tuple[list, str]:
    """The loops list (at most CYCLES_SHOWN, the selected one opened up) and its note."""
    names = atlas.dataset.companies["name"]
    items = []
    for cycle in search.cycles[:CYCLES_SHOWN]:
        route = " → ".join(names[c] for c in (*cycle.companies, cycle.companies[0]))
        hops = [html.Li(f"{names[h.from_id]} → {names[h.to_id]}: {_hop_text(atlas, h, lang)}") for h in cycle.hops]
        bottleneck = money(cycle.bottleneck, lang) if cycle.bottleneck else t(lang, "amount.undisclosed")
        items.append(
            html.Li(
                className="cycle selected" if cycle.id == selected else "cycle",
                children=[
                    html.Button(
                        route, id={"type": ids.OPEN_CYCLE, "id": cycle.id}, n_clicks=0, className="link-button"
                    ),
                    html.Span(
                        t(lang, "cycles.hop", amount=bottleneck, month=month_year(cycle.latest, lang)),
                        className="muted",
                    ),
                    html.Ul(hops, className="hops") if cycle.id == selected else None,
                ],
            )
        )
    note = count(lang, "cycles.count", len(search.cycles))
    if search.capped:
        note += t(lang, "cycles.capped")
    elif len(search.cycles) > CYCLES_SHOWN:
        note += t(lang, "cycles.top", n=CYCLES_SHOWN)
    return items or [html.Li(t(lang, "cycles.none"), className="muted")], note


def metrics_view(atlas: Atlas, deals: pd.DataFrame, lang: str = "en") -> html.Div:
    names = atlas.dataset.companies["name"]
    ranks = who_matters(deals, n=6, dataset=atlas.dataset)  # the one ledger's money in and out

    def column(title, rows, fmt):
        return html.Div(
            [
                html.H3(title),
                html.Ol([html.Li(f"{names[c]} · {fmt(v)}") for c, v in rows])
                if rows
                else html.P("–", className="muted"),
            ]
        )

    return html.Div(
        className="metric-columns",
        children=[
            column(t(lang, "metrics.received"), ranks["received"], lambda v: money(v, lang)),
            column(t(lang, "metrics.paid"), ranks["paid"], lambda v: money(v, lang)),
            column(
                t(lang, "metrics.brokers"),
                ranks["betweenness"],
                lambda v: number(v, lang, trim=False),
            ),
        ],
    )


def _column_total(column: Column, last: int, lang: str | None) -> list[str]:
    """What a Sankey column moved, a line each: paid on the left, received on the right, both between."""
    received = t(lang, "sankey.column_in", money=money(column.money_in, lang))
    paid = t(lang, "sankey.column_out", money=money(column.money_out, lang))
    return [paid] if column.stage == 0 else [received] if column.stage == last else [received, paid]


def _name(atlas: Atlas, key: str, lang: str | None) -> str:
    """A Sankey node's name: the company's, or for a round's unknown investors the round's."""
    if key.startswith(ROUND_PAYER):
        row = atlas.dataset.rounds.loc[key[len(ROUND_PAYER) :]]
        return t(
            lang,
            "sankey.round_payer",
            company=atlas.dataset.companies["name"][row["company_id"]],
            month=month_year(row["date"], lang),
        )
    return atlas.dataset.companies["name"][key]


def _node_hover(atlas: Atlas, node: Node, stage_label: str, lang: str | None) -> str:
    lines = [stage_label]
    if node.key.startswith(ROUND_PAYER):
        leads = atlas.dataset.rounds.loc[node.key[len(ROUND_PAYER) :], "leads"]
        lines.append(t(lang, "sankey.round_help") + (f" ({leads})" if isinstance(leads, str) and leads else ""))
    if node.money_in:
        lines.append(t(lang, "sankey.node_in", money=money(node.money_in, lang)))
    if node.money_out:
        lines.append(t(lang, "sankey.node_out", money=money(node.money_out, lang)))
    if node.folded:
        shown = [_name(atlas, c, lang) for c in node.members[:SANKEY_OTHERS_LISTED]]
        more = len(node.members) - len(shown)
        lines += [", ".join(shown) + (f" … (+{more})" if more else ""), t(lang, "sankey.others_open")]
    return "<br>".join(lines)


def sankey_figure(
    atlas: Atlas,
    deals: pd.DataFrame,
    lang: str | None = "en",
    theme: str | None = None,
    keep: frozenset[str] = frozenset(),
    expand: tuple[int, ...] = (),
    tint=None,
) -> dict:
    """The money-flow view: columns from investors to chipmakers, each column's small companies
    folded into "N others" (clicking it opens the column: `expand`), the companies in `keep`
    (focus neighbourhood, open company) always named, and each column's total above it.
    assets/sankey.js then fits the labels on screen so that no two of them overlap.
    `tint(deal_ids) -> colour or None` recolours bands (the stress test: components/exposure.py)."""
    data = fold(sankey_flows(deals, atlas.dataset), keep=keep, expand={c - 1 for c in expand})
    colors = figure_theme(theme)
    if not data.links:
        figure = empty_figure(t(lang, "sankey.none"))
        figure["layout"].update({key: value for key, value in themed_layout(theme).items() if key != "hoverlabel"})
        return figure
    stage_labels = [t(lang, f"sankey.stage.{i}") for i in range(STAGES)]
    names = atlas.dataset.companies["name"]
    by_id = atlas.deals_by_id
    stages = [column.stage for column in data.columns]
    x = {s: i / max(len(stages) - 1, 1) for i, s in enumerate(stages)}
    hidden, anchor_links = anchors(data)
    link_colors, hovers = [], []
    for (_, _, value, deal_ids), state in zip(data.links, data.states, strict=True):
        first = by_id.loc[deal_ids[0]]
        # money states as band styles: money that moved is drawn solid, signed money lighter,
        # promises faintest (the hover names the state)
        alpha = STATE_ALPHA.get(state, STATE_ALPHA[""]) + (0.15 if theme == "dark" else 0.0)
        link_colors.append((tint and tint(deal_ids)) or rgba(colors["deal_colors"][first["deal_type"]], alpha))
        rows = by_id.loc[list(deal_ids)].sort_values("date")
        lines = [
            f"{d:%Y-%m-%d} · {names[a]} → {names[b]} · {amount_as_stated(v, q, lang)}"
            for d, a, b, v, q in zip(
                rows["date"], rows["from_id"], rows["to_id"], rows["amount_usd"], rows["amount_qualifier"], strict=True
            )
        ]
        head = [f"{money(value, lang)} · {t(lang, f'state.{state}')}"] if state else []
        hovers.append("<br>".join(head + lines[:12]) + ("<br>…" if len(lines) > 12 else ""))
    labels = [
        count(lang, "sankey.others", len(n.members)) if n.folded else _name(atlas, n.key, lang) for n in data.nodes
    ]
    return {
        "data": [
            {
                "type": "sankey",
                "arrangement": "snap",
                "valueformat": "$.3~s",
                "node": {
                    "label": labels + [""] * hidden,
                    "pad": 10,
                    "thickness": 12,
                    "align": "left",
                    "line": {"color": colors["paper"], "width": 0.5},
                    # [kind, key] is what a click opens (components/controls.py), then the hover text
                    "customdata": [
                        [OTHERS, str(n.stage + 1), _node_hover(atlas, n, stage_labels[n.stage], lang)]
                        if n.folded
                        else [
                            "round" if n.key.startswith(ROUND_PAYER) else "company",
                            n.key,
                            _node_hover(atlas, n, stage_labels[n.stage], lang),
                        ]
                        for n in data.nodes
                    ],
                    "color": [rgba(colors["muted"], 0.5) if n.folded else rgba(colors["ink"], 0.8) for n in data.nodes]
                    + [HIDDEN] * hidden,
                    "hovertemplate": "<b>%{label}</b><br>%{customdata[2]}<extra></extra>",
                },
                "link": {
                    "source": [link[0] for link in data.links] + [a for a, _ in anchor_links],
                    "target": [link[1] for link in data.links] + [b for _, b in anchor_links],
                    # undisclosed links keep a sliver so the relation stays visible
                    "value": [drawn(link[2]) for link in data.links] + [0] * len(anchor_links),
                    "color": link_colors + [HIDDEN] * len(anchor_links),
                    "customdata": hovers + [""] * len(anchor_links),
                    "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
                },
            }
        ],
        "layout": {
            **themed_layout(theme),
            "margin": {"l": 10, "r": 10, "t": 62, "b": 10},
            # assets/sankey.js shortens the headers when the columns are narrow (a phone)
            "meta": {
                "sankey_headers": [
                    {
                        "name": stage_labels[c.stage],
                        "short": t(lang, f"sankey.short.{c.stage}"),
                        "total": _column_total(c, STAGES - 1, lang),
                    }
                    for c in data.columns
                ]
            },
            # each header starts above its column's bars; the last one ends at the right edge
            "annotations": [
                {
                    "text": "<br>".join([f"<b>{stage_labels[c.stage]}</b>", *_column_total(c, STAGES - 1, lang)]),
                    "x": x[c.stage],
                    "y": 1.0,
                    "yanchor": "bottom",
                    "xref": "paper",
                    "yref": "paper",
                    "showarrow": False,
                    "align": "right" if c.stage == stages[-1] else "left",
                    "xanchor": "right" if c.stage == stages[-1] else "left",
                }
                for c in data.columns
            ],
        },
    }


def company_profile(
    atlas: Atlas, deals: pd.DataFrame, company: str, lang: str = "en", theme: str | None = None
) -> list:
    """Extra panel sections: round-trip share, compute, partners, money by year."""
    names = atlas.dataset.companies["name"]
    share = round_trip_share(deals, company)
    gw = committed_compute_gw(deals, company)
    partners = biggest_partners(deals, company, n=5)
    years = money_by_year(deals, company, atlas.dataset)  # the one ledger's, like the money tables above
    facts = [
        html.Dt(t(lang, "panel.round_trip")),
        html.Dd(t(lang, "panel.round_trip_value", share=percent(share, lang)) if share is not None else "–"),
        html.Dt(t(lang, "panel.compute_committed")),
        html.Dd(t(lang, "gw", value=number(gw, lang)) if gw else "–"),
    ]
    children = [html.Dl(facts)]
    if partners:
        children += [
            html.H3(t(lang, "panel.partners")),
            html.Ol([html.Li(f"{names[c]} · {money(v, lang)}") for c, v in partners], className="deal-list"),
        ]
    if not years.empty:
        colors = figure_theme(theme)
        children += [
            html.H3(t(lang, "panel.by_year")),
            dcc.Graph(
                config={"displayModeBar": False, "staticPlot": True},
                style={"height": "170px"},
                figure={
                    "data": [
                        {
                            "type": "bar",
                            "name": t(lang, "panel.year_in"),
                            "x": [str(y) for y in years.index],
                            "y": list(years["in_usd"]),
                            "marker": {"color": "#0072B2"},
                        },
                        {
                            "type": "bar",
                            "name": t(lang, "panel.year_out"),
                            "x": [str(y) for y in years.index],
                            "y": list(years["out_usd"]),
                            "marker": {"color": "#E69F00"},
                        },
                    ],
                    "layout": {
                        **themed_layout(theme),
                        "barmode": "group",
                        "margin": {"l": 40, "r": 5, "t": 5, "b": 25},
                        "yaxis": {**MONEY_AXIS, "gridcolor": colors["grid"]},
                        "legend": {"orientation": "h", "y": 1.15},
                        "height": 170,
                    },
                },
            ),
        ]
    return children


def localized_records(records: list[dict], lang: str) -> list[dict]:
    """The grid's rows with their status in the reader's language too (deal_records words the type
    and amount in it already; the exports keep the status's data value)."""
    return [{**r, "status": status(r["status"], lang)} for r in records]


def render_sections(atlas: Atlas, query: str | None, lang: str | None = None) -> tuple:
    view = atlas.view(query, lang)
    lang, deals = view.lang, view.deals
    items, note = cycle_items(atlas, view.cycles, view.state.cycle, lang)
    shown = deals.iloc[-TABLE_MAX_ROWS:]  # the most recent: a browser table of 50,000 rows is no use to anyone
    records = [
        {key: r[key] for key in GRID_FIELDS} for r in localized_records(deal_records(atlas.dataset, shown, lang), lang)
    ]
    table_note = t(lang, "sections.table_capped", shown=len(shown), total=len(deals)) if len(shown) < len(deals) else ""
    return items, note, metrics_view(atlas, deals, lang), records, table_note


def register(app, atlas: Atlas) -> None:
    @app.callback(
        Output(ids.CYCLES, "children"),
        Output(ids.CYCLES_NOTE, "children"),
        Output(ids.METRICS, "children"),
        Output(ids.TABLE, "rowData"),
        Output(ids.TABLE_NOTE, "children"),
        Input(ids.SECTIONS_KEY, "data"),
        State(ids.SECTIONS_SEEN, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_sections(query, seen, lang):
        # Gated (components/gates.py): the page's first moments belong to the map, so the sections
        # (and the grid's rendering) wait for its first paint; during Play only the map moves, the
        # sections catch up when it stops; a change they do not read (panel, view) asks nothing.
        # And they are asked for only once they come near the screen (assets/lightpage.js), never
        # in an embed, where they are hidden.
        if not seen or query is None:
            return (no_update,) * 5
        return render_sections(atlas, query, lang)
