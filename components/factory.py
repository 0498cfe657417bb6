"""create_app(settings) -> Dash: a fresh app per call (tests use one each)."""

from __future__ import annotations

import functools
from pathlib import Path

from alliance.atlas import Atlas, load_atlas
from alliance.i18n import t

from . import (
    api,
    controls,
    flowviews,
    gates,
    guard,
    lightpage,
    maproute,
    mapview,
    page,
    panels,
    replay,
    server_routes,
    share,
    sharing,
    stories,
)
from .reader import reader
from .reader import register as register_reader
from .settings import Settings, effective_hosts, setting

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(settings: Settings | None = None, atlas: Atlas | None = None) -> sharing.SharingDash:
    settings = settings or Settings()
    atlas = atlas or load_atlas(settings.data_dir, settings.cache_dir)
    app = sharing.SharingDash(
        __name__,
        title=t("en", "app.name"),  # SharingDash says it in the reader's language per request
        assets_folder=str(ASSETS),
        assets_path_ignore=["vendor"],  # the plotly.js bundle: the page loads it itself (components/lightpage.py)
        compress=True,
        update_title=None,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": t("en", "app.description")},
        ],
    )

    @functools.lru_cache(maxsize=32)  # few combinations (2 languages × 3 URL languages × 3 themes); read-only trees
    def page_in(lang: str, url_lang: str | None, theme: str | None):
        return page.layout(
            atlas,
            extra_main=[flowviews.layout(lang, theme)],
            toolbar=share.toolbar(lang),
            dialogs=share.dialogs(lang),
            lang=lang,
            theme=theme,
            url_lang=url_lang,
        )

    def page_for_reader():
        """Dash calls this per page load: the whole page in the reader's language and theme."""
        r = reader(atlas)
        return page_in(r.lang, r.url_lang, r.theme)

    app.layout = page_for_reader
    app.static_files = lightpage.static_files()
    lightpage.register(app.server, app.static_files, settings.cache_dir, app.config.requests_pathname_prefix)
    app.map_data_url = functools.lru_cache(maxsize=8)(functools.partial(maproute.data_url, atlas))  # per page load
    controls.register(app, atlas)
    mapview.register(app)
    maproute.register(app, atlas, settings.cache_dir)
    panels.register(app, atlas)
    gates.register(app)
    stories.register(app, atlas)
    flowviews.register(app, atlas)
    share.register(app, atlas, settings.public_url)
    server_routes.register(app.server, atlas, settings)
    api.register(app.server, atlas)
    sharing.register(app, atlas, settings)
    app.server.wsgi_app = guard.HostCheck(app.server.wsgi_app, effective_hosts(settings))  # inside guard's body limit
    guard.install(app, atlas.dataset.version)
    replay.install(app, atlas.dataset.version, int(float(setting("CALLBACK_MEMO_MB")) * 1024 * 1024))
    register_reader(app.server, app.config.routes_pathname_prefix)
    return app
