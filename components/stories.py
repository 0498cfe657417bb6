"""Stories: the header menu of guided views, and the caption bar with Previous / Next.

Each story is a share link, so stepping through them is ordinary navigation (dcc.Link): the
URL changes and the one sync callback redraws the map, exactly as for a pasted link.
"""

from __future__ import annotations

from dash import Input, Output, dcc, html

from alliance.atlas import Atlas
from alliance.stories import Story
from alliance.viewstate import ViewState, parse

from . import ids


def story_href(story: Story, state: ViewState | None = None) -> str:
    """The story's link; an embed stays an embed while the reader steps through."""
    query = story.query + ("&" if story.query != "?" else "") + f"story={story.id}"
    if state is not None and state.embed:
        query += "&embed=1" + ("&scroll=1" if state.scroll else "")
    return "/" + query


def menu(atlas: Atlas) -> html.Details:
    return html.Details(id=ids.STORIES_MENU, className="stories-menu", children=[
        html.Summary("Stories", className="button"),
        html.Ol([html.Li(dcc.Link(story.title, href=story_href(story), className="story-link"))
                 for story in atlas.stories], className="stories-list"),
    ])


def bar() -> html.Section:
    return html.Section(id=ids.STORY_BAR, className="story-bar", hidden=True, **{"aria-live": "polite"})


def story_bar(atlas: Atlas, query: str | None) -> tuple[list, bool]:
    """STATE query -> (bar children, hidden?)."""
    state, _ = parse(query or "", atlas.context)
    stories = atlas.stories
    position = next((i for i, s in enumerate(stories) if s.id == state.story), None)
    if position is None:
        return [], True
    story = stories[position]
    nav = []
    if position > 0:
        nav.append(dcc.Link("← Previous", href=story_href(stories[position - 1], state), className="button secondary",
                            id=ids.STORY_PREV))
    if position < len(stories) - 1:
        nav.append(dcc.Link("Next →", href=story_href(stories[position + 1], state), className="button",
                            id=ids.STORY_NEXT))
    close = "/?embed=1" if state.embed else "/"
    return [
        html.Div(className="story-head", children=[
            html.Span(f"Story {position + 1} of {len(stories)}", className="story-count"),
            html.H2(story.title, className="story-title"),
            dcc.Link(["×", html.Span(" Leave the story", className="visually-hidden")], href=close,
                     className="story-close", title="Leave the story"),
        ]),
        html.P(story.caption, className="story-caption"),
        html.Div(nav, className="story-nav"),
    ], False


def register(app, atlas: Atlas) -> None:
    @app.callback(Output(ids.STORY_BAR, "children"), Output(ids.STORY_BAR, "hidden"), Input(ids.STATE, "data"))
    def update_story(query):
        return story_bar(atlas, query)
