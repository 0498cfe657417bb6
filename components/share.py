"""Share, embed, export: copy link, iframe snippet, CSV/JSON downloads, the embed's full-map link."""

from __future__ import annotations

from html import escape

from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html

from alliance.atlas import Atlas
from alliance.export import deals_export
from alliance.i18n import t
from alliance.sharing import PICTURE_FORMATS, PREVIEW_PATH, picture_snippet, preview_query
from alliance.text import view_title
from alliance.viewstate import LANGS, to_query

from . import ids

DEFAULT_ORIGIN = "http://127.0.0.1:8050/"  # when the browser has not told us its address yet
DEFAULT_WIDTH, MAX_WIDTH_CHARS = "100%", 6  # iframe width: digits with an optional %, e.g. 640 or 100%
DEFAULT_HEIGHT, MIN_HEIGHT, MAX_HEIGHT, HEIGHT_STEP = 600, 200, 3000, 10  # iframe height in px
PICTURE_LABELS = ("HTML", "Markdown", "MediaWiki")  # names of markup languages: the same in every language


def toolbar(lang: str = "en") -> list:
    return [
        html.Button(
            t(lang, "share.copy"),
            id=ids.COPY_LINK,
            n_clicks=0,
            className="button",
            title=t(lang, "share.copy_title"),
        ),
        html.Button(
            t(lang, "share.embed"),
            id=ids.EMBED_OPEN,
            n_clicks=0,
            className="button",
            title=t(lang, "share.embed_title"),
            **{"aria-controls": ids.EMBED_DIALOG},
        ),
        html.Button(t(lang, "share.csv"), id=ids.DOWNLOAD_CSV, n_clicks=0, className="button"),
        html.Button(t(lang, "share.json"), id=ids.DOWNLOAD_JSON, n_clicks=0, className="button"),
        dcc.Download(id=ids.DOWNLOAD),
    ]


def dialogs(lang: str = "en") -> html.Div:
    return html.Div(
        [
            html.Div(id=ids.COPY_STATUS, className="notice copy-status", role="status"),
            html.Div(
                id=ids.EMBED_DIALOG,
                className="embed-dialog",
                hidden=True,
                children=[
                    html.H2(t(lang, "share.embed_heading")),
                    html.Label(
                        [
                            t(lang, "share.width"),
                            dcc.Input(id=ids.EMBED_WIDTH, type="text", value=DEFAULT_WIDTH, debounce=True, size="6"),
                        ]
                    ),
                    html.Label(
                        [
                            t(lang, "share.height"),
                            dcc.Input(
                                id=ids.EMBED_HEIGHT,
                                type="number",
                                value=DEFAULT_HEIGHT,
                                min=MIN_HEIGHT,
                                max=MAX_HEIGHT,
                                step=HEIGHT_STEP,
                                debounce=True,
                                autoComplete="",
                            ),
                        ]
                    ),  # axe: "off" does not suit a number field
                    html.Label(
                        [
                            html.Span(t(lang, "share.snippet"), className="visually-hidden"),
                            dcc.Textarea(id=ids.EMBED_SNIPPET, readOnly=True, className="snippet", rows=3),
                        ]
                    ),
                    html.P(t(lang, "share.embed_note"), className="muted"),
                    html.H3(t(lang, "share.picture_heading"), id=ids.PICTURE_FORMAT + "-heading"),
                    html.Div(
                        role="radiogroup",
                        **{"aria-labelledby": ids.PICTURE_FORMAT + "-heading"},
                        children=dcc.RadioItems(
                            id=ids.PICTURE_FORMAT,
                            value=PICTURE_FORMATS[0],
                            inline=True,
                            className="picture-format",
                            options=[
                                {"label": label, "value": fmt}
                                for fmt, label in zip(PICTURE_FORMATS, PICTURE_LABELS, strict=True)
                            ],
                        ),
                    ),
                    html.Label(
                        [
                            html.Span(t(lang, "share.picture_snippet"), className="visually-hidden"),
                            dcc.Textarea(id=ids.PICTURE_SNIPPET, readOnly=True, className="snippet", rows=4),
                        ]
                    ),
                    html.P(t(lang, "share.picture_note"), className="muted"),
                ],
            ),
        ]
    )


def embed_snippet(origin: str, query: str, width, height, title: str = "AI Alliance Map") -> str:
    """An <iframe> for the current view, in embed mode; width/height sanitised."""
    width = str(width or DEFAULT_WIDTH).strip()
    if not (width.rstrip("%").isdigit() and len(width) <= MAX_WIDTH_CHARS):
        width = DEFAULT_WIDTH
    try:
        height = max(MIN_HEIGHT, min(MAX_HEIGHT, int(height)))
    except (TypeError, ValueError):
        height = DEFAULT_HEIGHT
    return iframe_html(origin, query, width, height, title)


def iframe_html(origin: str, query: str, width, height, title: str) -> str:
    """The <iframe> markup of a view in embed mode (the dialog's snippet and oEmbed's html);
    every value escaped, sizes as given."""
    params = (query.lstrip("?") + "&" if query else "") + "embed=1"
    src = f"{origin.rstrip('/')}/?{params}"
    return (
        f'<iframe src="{escape(src)}" width="{escape(str(width))}" height="{escape(str(height))}" '
        f'style="border:0" loading="lazy" title="{escape(title)}"></iframe>'
    )


def page_origin(href, public_url: str = "") -> str:
    """The origin snippets name: PUBLIC_URL when set, else the page's own address (the browser's)."""
    if public_url:
        return public_url
    return "/".join((href if isinstance(href, str) and href else DEFAULT_ORIGIN).split("/")[:3])


def embed_links(
    atlas: Atlas, query: str | None, width, height, href, lang: str | None, public_url: str = ""
) -> tuple[str, str]:
    """(iframe snippet, the embed's "full map" link) for the STATE query, both without embed/scroll."""
    context = atlas.context
    state = atlas.view(query).state
    page_query = to_query(state.with_(embed=False, scroll=False), context)
    title = t(state.lang or lang, "app.name")
    return embed_snippet(page_origin(href, public_url), page_query, width, height, title), "/" + page_query


def picture_links(atlas: Atlas, query: str | None, fmt, href, lang: str | None, public_url: str = "") -> str:
    """The picture-and-link snippet of the STATE query's view: its preview image linked to its
    share link (embed flags dropped), in `fmt` (HTML when unknown). A picture's words cannot
    follow the wiki reader's language the way the live map does, so the snippet is in the
    language the editor reads (the link's, else the page's), and names it in both URLs unless
    it is the default."""
    context = atlas.context
    state = atlas.view(query).state
    if not state.lang and lang in LANGS and lang != LANGS[0]:
        state = state.with_(lang=lang)
    origin = page_origin(href, public_url).rstrip("/")
    page_url = f"{origin}/{to_query(state.with_(embed=False, scroll=False), context)}"
    image_url = f"{origin}{PREVIEW_PATH}{preview_query(state, context)}"
    title = view_title(state)
    reader_lang = state.lang or "en"
    return picture_snippet(
        fmt if fmt in PICTURE_FORMATS else PICTURE_FORMATS[0],
        page_url,
        image_url,
        t(reader_lang, "share.image_alt", title=title),
        t(reader_lang, "share.picture_caption", title=title),
    )


def register(app, atlas: Atlas, public_url: str = "") -> None:
    app.clientside_callback(
        ClientsideFunction("alliance", "controlsOpen"),
        Output(ids.CONTROLS_WRAP, "open"),
        Input(ids.URL, "search"),
        State(ids.CONTROLS_WRAP, "open"),  # unchanged: no_update, so a change's URL write costs no re-render
    )
    app.clientside_callback(
        ClientsideFunction("alliance", "copyLink"),
        Output(ids.COPY_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.EMBED_DIALOG, "hidden"),
        Input(ids.EMBED_OPEN, "n_clicks"),
        State(ids.EMBED_DIALOG, "hidden"),
        prevent_initial_call=True,
    )
    def toggle_embed(_n, hidden):
        return not hidden

    # The dialog's two snippets and the embed's "open full map" link: one request, and only while
    # the dialog is open or the page is an embed (gated: components/gates.py). The picture snippet
    # used to follow STATE itself: one more request on every change, with the dialog shut.
    @app.callback(
        Output(ids.EMBED_SNIPPET, "value"),
        Output(ids.FULL_MAP_LINK, "href"),
        Output(ids.PICTURE_SNIPPET, "value"),
        Input(ids.LINKS_KEY, "data"),
        Input(ids.EMBED_WIDTH, "value"),
        Input(ids.EMBED_HEIGHT, "value"),
        Input(ids.PICTURE_FORMAT, "value"),
        State(ids.URL, "href"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def update_links(query, width, height, fmt, href, lang):
        return (
            *embed_links(atlas, query, width, height, href, lang, public_url),
            picture_links(atlas, query, fmt, href, lang, public_url),
        )

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_JSON, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def download(csv_clicks, json_clicks, query):
        return export_download(atlas, query, "json" if ctx.triggered_id == ids.DOWNLOAD_JSON else "csv")


def export_download(atlas: Atlas, query: str | None, fmt: str) -> dict:
    """dcc.Download payload of the deals in view: the very file /api/deals(.csv) sends for this query."""
    view = atlas.view(query)
    export = deals_export(atlas.dataset, view.state, view.query, fmt, view.deals)
    return {"content": export.content, "filename": export.filename, "type": export.mimetype}
