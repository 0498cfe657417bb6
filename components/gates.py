"""Gates: the server callbacks that follow the view state ask the server only when their answer
can change.

The panel, the story bar, the embed links and the sections below the map each showed a new
answer for every new STATE, so every filter change cost five requests. Each now listens to its
own store, which a clientside gate (assets/gates.js) writes from STATE only when the part that
callback reads has changed:

- PANEL_KEY: the query while a company or deal panel (or the stress test's table) is open, "" when
  none is (a closed panel stays closed without asking);
- STORY_KEY: the story and the reader's embed/scroll/lang/theme while a story is on, else "";
- LINKS_KEY: the query while the embed dialog is open or the page is an embed (its "open full
  map" link), else unchanged: opening the dialog brings the snippet up to date;
- SECTIONS_KEY: the query without what the sections do not read (open panel, story, view,
  every, embed, scroll, theme), once the map has painted and the sections have come near the
  screen (SECTIONS_SEEN; never in an embed), and while Play is not running. Their callback
  follows this key alone (once per page load, not once for "seen" and again for the key).

A gate store's value is a query the callback reads exactly as it read STATE.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, dcc

from . import ids

# Query parameters the sections (cycles, metrics, the deal table) never read: components/flowviews.py
# render_sections uses the filters, the window, the open cycle and the language only.
SECTIONS_IGNORE = ("company", "deal", "story", "view", "every", "embed", "scroll", "theme")
STORY_KEEP = ("story", "embed", "scroll", "lang", "theme")


def stores() -> list[dcc.Store]:
    """The gate stores: "" means "nothing to show" for the panel and the story; the links and the
    sections start empty (None) so that their first key, even "", asks the server."""
    return [
        dcc.Store(id=ids.PANEL_KEY, data=""),
        dcc.Store(id=ids.STORY_KEY, data=""),
        dcc.Store(id=ids.LINKS_KEY),
        dcc.Store(id=ids.SECTIONS_KEY),
    ]


# Each gate: its function in assets/gates.js, its store, and what it reads besides STATE.
GATES = (
    ("panel", ids.PANEL_KEY, ()),
    ("story", ids.STORY_KEY, ()),
    ("links", ids.LINKS_KEY, ((ids.EMBED_DIALOG, "hidden"),)),
    ("sections", ids.SECTIONS_KEY, ((ids.PLAYING, "data"), (ids.PAINTED, "data"), (ids.SECTIONS_SEEN, "data"))),
)


def register(app) -> None:
    for name, key, extra in GATES:
        app.clientside_callback(
            ClientsideFunction("allianceGates", name),
            Output(key, "data"),
            Input(ids.STATE, "data"),
            *(Input(component, prop) for component, prop in extra),
            State(key, "data"),
        )
