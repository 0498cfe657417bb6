"""create_app(settings) -> Dash: a fresh app per call (tests use one each)."""

from __future__ import annotations

import functools
from pathlib import Path

from alliance.atlas import Atlas, load_atlas

from . import api, controls, flowviews, guard, network, page, server_routes, share, sharing, stories
from .settings import Settings

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(settings: Settings | None = None, atlas: Atlas | None = None) -> sharing.SharingDash:
    settings = settings or Settings()
    atlas = atlas or load_atlas(settings.data_dir, settings.cache_dir)
    app = sharing.SharingDash(
        __name__,
        title="AI Alliance Map",
        assets_folder=str(ASSETS),
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Who funds, supplies and hosts whom in AI: a sourced, interactive map of deals."}],
    )
    app.layout = page.layout(atlas, extra_main=[flowviews.layout()], toolbar=share.toolbar(), dialogs=share.dialogs())
    render = functools.partial(network.render_map, atlas, highlight_fn=flowviews.highlight,
                               sankey_fn=flowviews.sankey_figure)
    controls.register(app, atlas, render)
    network.register(app, atlas, profile_fn=flowviews.company_profile)
    stories.register(app, atlas)
    flowviews.register(app, atlas)
    share.register(app, atlas)
    server_routes.register(app.server, atlas, settings)
    api.register(app.server, atlas)
    sharing.register(app, atlas, settings)
    guard.install(app, atlas.dataset.version)
    return app
