"""Stories: the header menu of guided views, and the caption bar with Previous / Next.

Each story is a share link, so stepping through them is ordinary navigation (dcc.Link): the
URL changes and the one sync callback redraws the map, exactly as for a pasted link.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from alliance.atlas import Atlas
from alliance.i18n import t
from alliance.stories import Story
from alliance.viewstate import ViewState

from . import ids


def _reader_params(state: ViewState | None, lang: str | None = None, theme: str | None = None) -> str:
    """Embed, language and theme follow the reader from story to story."""
    params = ""
    if state is not None and state.embed:
        params += "&embed=1" + ("&scroll=1" if state.scroll else "")
    lang = state.lang if state is not None and state.lang else lang
    theme = state.theme if state is not None and state.theme else theme
    return params + (f"&lang={lang}" if lang else "") + (f"&theme={theme}" if theme else "")


def story_href(story: Story, state: ViewState | None = None, lang: str | None = None, theme: str | None = None) -> str:
    """The story's link; an embed stays an embed, a language and a theme stay, while the reader steps through."""
    query = story.query + ("&" if story.query != "?" else "") + f"story={story.id}"
    return "/" + query + _reader_params(state, lang, theme)


def menu(atlas: Atlas, lang: str = "en", url_lang: str | None = None, url_theme: str | None = None) -> html.Details:
    """The header's Stories menu; titles in the reader's language (English where not translated)."""
    return html.Details(
        id=ids.STORIES_MENU,
        className="stories-menu",
        children=[
            html.Summary(t(lang, "stories.menu"), className="button"),
            html.Ol(
                [
                    html.Li(
                        dcc.Link(
                            story.title_in(lang),
                            href=story_href(story, None, url_lang, url_theme),
                            className="story-link",
                        ),
                        lang=story.text_lang(lang, "title"),
                    )
                    for story in atlas.stories
                ],
                className="stories-list",
            ),
        ],
    )


def bar() -> html.Section:
    return html.Section(id=ids.STORY_BAR, className="story-bar", hidden=True, **{"aria-live": "polite"})


def story_bar(atlas: Atlas, query: str | None, lang: str | None = None) -> tuple[list, bool]:
    """STATE query -> (bar children, hidden?)."""
    view = atlas.view(query, lang)
    state, lang = view.state, view.lang
    stories = atlas.stories
    position = next((i for i, s in enumerate(stories) if s.id == state.story), None)
    if position is None:
        return [], True
    story = stories[position]
    nav = []
    if position > 0:
        nav.append(
            dcc.Link(
                t(lang, "stories.previous"),
                href=story_href(stories[position - 1], state),
                className="button secondary",
                id=ids.STORY_PREV,
            )
        )
    if position < len(stories) - 1:
        nav.append(
            dcc.Link(
                t(lang, "stories.next"),
                href=story_href(stories[position + 1], state),
                className="button",
                id=ids.STORY_NEXT,
            )
        )
    close = "/?" + _reader_params(state).lstrip("&")
    return [
        html.Div(
            className="story-head",
            children=[
                html.Span(
                    t(lang, "stories.position", position=position + 1, total=len(stories)), className="story-count"
                ),
                html.H2(story.title_in(lang), className="story-title", lang=story.text_lang(lang, "title")),
                dcc.Link(
                    ["×", html.Span(" " + t(lang, "stories.leave"), className="visually-hidden")],
                    href=close,
                    className="story-close",
                    title=t(lang, "stories.leave"),
                ),
            ],
        ),
        html.P(story.caption_in(lang), className="story-caption", lang=story.text_lang(lang, "caption")),
        html.Div(nav, className="story-nav"),
    ], False


def register(app, atlas: Atlas) -> None:
    @app.callback(
        Output(ids.STORY_BAR, "children"),
        Output(ids.STORY_BAR, "hidden"),
        Input(ids.STORY_KEY, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )  # gated: components/gates.py
    def update_story(query, lang):
        return story_bar(atlas, query, lang)
