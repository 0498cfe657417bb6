"""What the server answers to each new STATE (the sync callback, components/controls.py):
the title, summary line and timeline label, the Sankey figure when that view is on, and the
open loop for the browser's map. Each starts from the one view helper (Atlas.view).
"""

from __future__ import annotations

from alliance.atlas import Atlas
from alliance.i18n import short_date, view_title
from alliance.money import summary_line
from alliance.sankey import named_companies
from alliance.timeline import month_index
from alliance.viewstate import ViewState

from .exposure import sankey_tint, summary_sentence
from .flowviews import sankey_figure


def view_meta(atlas: Atlas, state: ViewState) -> dict:
    """What the page's scripts read from a figure: the window (Play steps it) and the PNG's name."""
    return {
        "window": [f"{state.date_from:%Y-%m}", f"{state.date_to:%Y-%m}"],
        "slider": [month_index(atlas.months, state.date_from), month_index(atlas.months, state.date_to)],
        "slider_max": len(atlas.months) - 1,
        "filename": f"ai-alliance-map_{state.date_from:%Y-%m}_{state.date_to:%Y-%m}",
    }


def render_texts(atlas: Atlas, query: str | None, lang: str | None = None) -> tuple[str, str, str]:
    """STATE query -> (title, summary line, timeline label) in the URL's language, else `lang`."""
    view = atlas.view(query, lang)
    state, lang = view.state, view.lang
    label = f"{short_date(state.date_from, lang)} – {short_date(state.date_to, lang)}"
    summary = summary_line(view.deals, atlas.dataset, lang, view.ledger) + summary_sentence(atlas, state, lang)
    return view_title(state.date_from, state.date_to, lang), summary, label


def render_sankey(atlas: Atlas, query: str | None, lang: str | None = None) -> dict | None:
    """The Sankey figure when the STATE query asks for it, else None (the browser draws the network)."""
    view = atlas.view(query, lang)
    state = view.state
    if state.view != "sankey":
        return None
    deals = view.deals
    extra = {"tint": sankey_tint(view.exposure)} if state.fail else {}
    figure = sankey_figure(
        atlas,
        deals,
        lang=view.lang,
        theme=state.theme,
        expand=state.expand,
        keep=named_companies(deals, state.focus, state.depth, state.company),
        **extra,
    )
    figure["layout"]["meta"] = {**figure["layout"].get("meta", {}), **view_meta(atlas, state)}
    return figure


def cycle_highlight(atlas: Atlas, query: str | None) -> dict | None:
    """The open cycle's companies and deals for the browser's map, or None when none is open."""
    return atlas.view(query).open_loop
