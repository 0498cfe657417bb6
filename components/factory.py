"""create_app(settings) -> Dash: a fresh app per call (tests use one each)."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from alliance.atlas import Atlas, load_atlas

from . import controls, network, page, server_routes
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
    app.layout = page.layout(atlas)
    controls.register(app, atlas)
    network.register(app, atlas)
    server_routes.register(app.server, atlas, settings)
    return app
