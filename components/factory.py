"""create_app(settings) -> Dash: a fresh app per call (tests use one each)."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from alliance.atlas import Atlas, load_atlas

from . import api, controls, flowviews, guard, network, page, server_routes, share
from .settings import Settings

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(settings: Settings | None = None, atlas: Atlas | None = None) -> Dash:
    settings = settings or Settings()
    atlas = atlas or load_atlas(settings.data_dir)
    app = Dash(
        __name__,
        title="AI Alliance Map",
        assets_folder=str(ASSETS),
        compress=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Who funds, supplies and hosts whom in AI: a sourced, interactive map of deals."}],
    )
    app.layout = page.layout(atlas, extra_main=[flowviews.layout()], toolbar=share.toolbar(), dialogs=share.dialogs())
    controls.register(app, atlas)
    network.register(app, atlas, highlight_fn=flowviews.highlight, profile_fn=flowviews.company_profile,
                     sankey_fn=flowviews.sankey_figure)
    flowviews.register(app, atlas)
    share.register(app, atlas)
    server_routes.register(app.server, atlas, settings)
    api.register(app.server, atlas)
    guard.install(app, atlas.dataset.version)
    return app
