"""The page: header, notices, the filter drawer, the map with its overlay panel, sections, footer.

Built per page load in the reader's language (?lang=, else Accept-Language); every word comes
from the message catalog (alliance/i18n.py). Embed mode (?embed=1) hides the chrome via CSS; on
phones the map comes first and the filters open from their button.
"""

from __future__ import annotations

from dash import dcc, html

from alliance.atlas import Atlas
from alliance.i18n import count, t
from alliance.viewstate import LANGS

from . import controls, gates, ids, maproute, mapview, panels, stories


def settings_links(lang: str, theme: str | None) -> html.Span:
    """Language and theme switches: app.js sets the parameter on the current URL and reloads."""
    other = next(code for code in LANGS if code != lang)
    themes = [
        html.A(
            t(lang, f"footer.theme.{name}"),
            href="#",
            className="setting-link",
            **{"data-param": "theme", "data-value": value, "aria-current": "true" if theme == value else None},
        )
        for name, value in (("auto", ""), ("light", "light"), ("dark", "dark"))
    ]
    return html.Span(
        id=ids.SETTINGS_LINKS,
        className="settings-links",
        children=[
            html.A(
                t(lang, "footer.switch_language"),
                href=f"?lang={other}",
                lang=other,
                hrefLang=other,
                className="setting-link",
                title=t(lang, "footer.switch_language_title"),
                **{"data-param": "lang", "data-value": other},
            ),
            " · ",
            t(lang, "footer.theme"),
            " ",
            *[item for link in themes for item in (link, " ")],
        ],
    )


def layout(
    atlas: Atlas,
    extra_main: list | None = None,
    toolbar: list | None = None,
    dialogs=None,
    lang: str = "en",
    theme: str | None = None,
    url_lang: str | None = None,
) -> html.Div:
    dataset = atlas.dataset
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.STATE),
            dcc.Store(id=ids.CONTROLS_SET),
            dcc.Store(id=ids.PICK),
            dcc.Store(id=ids.PAINTED),
            dcc.Store(id=ids.SECTIONS_SEEN),
            dcc.Store(id=ids.VIEWPORT),
            dcc.Store(id=ids.CAMERA),
            dcc.Store(id=ids.LANG, data=lang),
            dcc.Store(id=ids.THEME, data=theme),
            *gates.stores(),
            html.A(t(lang, "page.skip"), href="#" + ids.SUMMARY, className="skip-link"),
            html.Header(
                className="header chrome",
                children=[
                    html.H1(t(lang, "app.name")),
                    html.P(t(lang, "app.tagline"), className="tagline"),
                    # On phones the toolbar folds into a menu behind this button (assets/lightpage.js).
                    html.Button(
                        t(lang, "page.menu"),
                        id=ids.HEADER_MENU,
                        className="button menu-toggle",
                        type="button",
                        **{"aria-expanded": "false", "aria-controls": ids.TOOLBAR},
                    ),
                    html.Div(
                        [stories.menu(atlas, lang, url_lang, theme), *(toolbar or [])],
                        id=ids.TOOLBAR,
                        className="toolbar",
                        role="toolbar",
                        **{"aria-label": t(lang, "page.toolbar")},
                    ),
                ],
            ),
            html.Div(id=ids.NOTICE, className="notice", role="status"),
            dialogs,
            html.Div(
                className="body",
                children=[
                    html.Details(
                        id=ids.CONTROLS_WRAP,
                        className="controls-wrap drawer",
                        open=True,
                        children=[
                            html.Summary(t(lang, "page.filters"), id=ids.CONTROLS_TOGGLE, className="drawer-toggle"),
                            controls.layout(atlas, lang),
                        ],
                    ),
                    html.Main(
                        className="main",
                        children=[
                            stories.bar(),
                            html.Div(
                                role="radiogroup",
                                className="view-switch-group",
                                **{"aria-label": t(lang, "page.view_switch")},
                                children=dcc.RadioItems(
                                    id=ids.VIEW,
                                    value="network",
                                    inline=True,
                                    className="view-switch",
                                    options=[
                                        {"label": t(lang, "page.view.network"), "value": "network"},
                                        {"label": t(lang, "page.view.sankey"), "value": "sankey"},
                                    ],
                                ),
                            ),
                            mapview.layout(
                                panel=panels.panel_layout(lang), lang=lang, data=maproute.data_url(atlas, lang)
                            ),
                            *(extra_main or []),
                        ],
                    ),
                ],
            ),
            html.Footer(
                id=ids.FOOTER,
                className="footer",
                children=[
                    html.Span(
                        t(
                            lang,
                            "footer.coverage",
                            through=dataset.covered_through,
                            compiled=dataset.compiled_on,
                            version=dataset.version,
                            deals=count(lang, "map.deals", len(dataset.deals)),
                            companies=count(lang, "footer.companies", len(dataset.companies)),
                        )
                    ),
                    html.Span(t(lang, "footer.sources")),
                    html.A(
                        t(lang, "footer.full_map"),
                        id=ids.FULL_MAP_LINK,
                        href="/",
                        target="_blank",
                        rel="noopener",
                        className="full-map-link",
                    ),
                    html.Span(t(lang, "page.data_language"), className="data-language chrome"),
                    settings_links(lang, theme),
                ],
            ),
        ],
    )
