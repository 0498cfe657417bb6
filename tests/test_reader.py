"""The page in the reader's language and theme: <html lang>, the layout's words, the callbacks'
texts, share links and embeds that keep ?lang and ?theme, and the dark plot colours."""

from __future__ import annotations

import json
import re

import pytest

from alliance.viewstate import parse
from components import ids
from components.factory import create_app
from components.flowviews import render_sections, sankey_figure
from components.follow import render_texts
from components.panels import render_panel
from components.settings import Settings
from components.share import embed_snippet
from components.stories import story_bar, story_href
from components.theme import DEAL_COLORS, figure_theme, themed_layout

ENGLISH_UI = (
    "Filters",
    "Deal types",
    "Company roles",
    "Copy link",
    "Download CSV",
    "Reset filters",
    "Circular deals",
    "Who matters",
    "Deals in view",
    "Stories",
    "Embed this view",
    "Minimum amount",
)


@pytest.fixture(scope="module")
def client(shipped_atlas, tmp_path_factory):
    app = create_app(Settings(preview_cache_dir=tmp_path_factory.mktemp("previews")), atlas=shipped_atlas)
    return app.server.test_client()


def layout_text(client, **kwargs) -> str:
    response = client.get("/_dash-layout", **kwargs)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("path", "headers", "opening"),
    [
        ("/", {}, '<html lang="en">'),
        ("/?lang=ru", {}, '<html lang="ru">'),
        ("/", {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}, '<html lang="ru">'),
        ("/?lang=en", {"Accept-Language": "ru-RU,ru;q=0.9"}, '<html lang="en">'),
        ("/?theme=dark", {}, '<html lang="en" class="theme-dark">'),
        ("/?lang=ru&theme=light", {}, '<html lang="ru" class="theme-light">'),
        ("/?lang=xx&theme=<b>", {}, '<html lang="en">'),  # bad values fall back, never echoed
    ],
)
def test_html_tag_names_language_and_theme(client, path, headers, opening):
    page = client.get(path, headers=headers).get_data(as_text=True)
    assert opening in page
    assert "<b>" not in page.split("<body>")[0].split("<head>")[0]


def test_russian_title_and_share_tags(client):
    page = client.get("/?lang=ru&from=2025-11&to=2025-11").get_data(as_text=True)
    assert "<title>Карта альянсов ИИ</title>" in page
    assert 'property="og:title" content="Кто кого финансирует, снабжает и размещает · ноя 2025"' in page
    assert 'property="og:locale" content="ru_RU"' in page
    assert re.search(r'og:description" content="\d+ сдел[а-я]+ · названо [\d,]+ млрд \$ · ноя 2025"', page)
    assert "preview.png?from=2025-11&amp;to=2025-11&amp;lang=ru" in page


def test_layout_is_built_in_the_readers_language(client):
    russian = layout_text(client, headers={"Referer": "http://localhost/?lang=ru"})
    for english in ENGLISH_UI:
        assert f'"{english}"' not in russian, english
    for word in ("Фильтры", "Типы сделок", "Копировать ссылку", "Сбросить фильтры", "Круговые сделки", "Истории"):
        assert word in russian
    assert "Фильтры" in layout_text(client, headers={"Accept-Language": "ru,en;q=0.5"})
    english = layout_text(client)
    assert '"Filters"' in english and "Фильтры" not in english
    # a Referer from another site is not trusted to pick the language
    assert "Фильтры" not in layout_text(client, headers={"Referer": "http://elsewhere.example/?lang=ru"})


def test_dark_layout_uses_the_dark_grid_and_keeps_the_store(client):
    text = layout_text(client, headers={"Referer": "http://localhost/?theme=dark"})
    assert "ag-theme-alpine-dark" in text
    stores = {
        c["props"]["id"]: c["props"].get("data")
        for c in json.loads(text)["props"]["children"]
        if c.get("type") == "Store"
    }
    assert stores[ids.THEME] == "dark"
    assert stores[ids.LANG] == "en"


def test_map_texts_in_russian(shipped_atlas):
    title, summary, label = render_texts(shipped_atlas, "?from=2025-11&to=2025-11&lang=ru")
    assert title == "Кто кого финансирует, снабжает и размещает · ноя 2025"
    assert re.fullmatch(r"\d+ сдел[а-я]+ в текущем виде · [\d,]+ млрд \$ названных сумм.*\.", summary)
    assert label == "01 ноя 2025 – 30 ноя 2025"
    # no lang in the URL: the page's language (from Accept-Language) is used
    assert render_texts(shipped_atlas, "?from=2025-11&to=2025-11", lang="ru")[0].endswith("ноя 2025")
    assert render_texts(shipped_atlas, "?from=2025-11&to=2025-11")[0].endswith("Nov 2025")


def test_panels_sections_and_stories_in_russian(shipped_atlas):
    children, hidden = render_panel(shipped_atlas, "?company=anthropic", lang="ru")
    text = str(children)
    assert not hidden
    assert "Деньги в текущем виде, по типам сделок" in text and "Money in view" not in text
    deal = sorted(shipped_atlas.context.deal_ids)[0]
    card = str(render_panel(shipped_atlas, f"?deal={deal}&lang=ru")[0])
    summary_ru = shipped_atlas.deals_by_id.at[deal, "summary_ru"]
    if summary_ru:  # translated: the Russian summary, marked as Russian
        assert summary_ru in card and "lang='ru'" in card and "Перевода пока нет" not in card
    else:  # not yet: the English one, said so and marked as English
        assert "Перевода пока нет; описание на английском:" in card and "lang='en'" in card
    items, note, metrics, rows, _ = render_sections(shipped_atlas, "?from=2025-11&to=2025-11&lang=ru")
    assert re.fullmatch(r"\d+ пет(ля|ли|ель) в этом виде\.", note)
    assert {row["status"] for row in rows} <= {
        "объявлена",
        "завершена",
        "по сообщениям СМИ",
        "приостановлена",
        "отменена",
        "заменена",
    }
    story = shipped_atlas.stories[0]
    bar, _ = story_bar(shipped_atlas, f"?story={story.id}&lang=ru")
    assert "История 1 из" in str(bar)


def test_share_links_and_embeds_keep_language_and_theme(shipped_atlas):
    state, _ = parse("?lang=ru&theme=dark&embed=1", shipped_atlas.context)
    story = shipped_atlas.stories[1]
    href = story_href(story, state)
    assert href.endswith("&embed=1&lang=ru&theme=dark")
    snippet = embed_snippet("https://map.example.com", "?lang=ru&theme=dark", "100%", 600)
    assert 'src="https://map.example.com/?lang=ru&amp;theme=dark&amp;embed=1"' in snippet


def test_figure_theme_colours():
    dark, light = figure_theme("dark"), figure_theme(None)
    assert light["paper"] == "#ffffff" and dark["paper"] == "#16202b"
    assert figure_theme("sepia") == light
    for key in ("equity_investment", "compute_commitment", "chip_supply", "joint_venture", "acquisition"):
        assert dark["deal_colors"][key] == DEAL_COLORS[key]  # Okabe–Ito hues stay in the dark
    assert themed_layout("dark")["font"]["color"] == "#e4e7eb"
    assert "bgcolor" not in themed_layout("light").get("hoverlabel", {})


def test_sankey_dark_and_russian(shipped_atlas):
    from alliance.filters import filter_deals

    state, _ = parse("?from=2025-01", shipped_atlas.context)
    figure = sankey_figure(shipped_atlas, filter_deals(shipped_atlas.dataset, state), lang="ru", theme="dark")
    assert figure["layout"]["paper_bgcolor"] == "#16202b"
    first = [a["text"] for a in figure["layout"]["annotations"]][0]
    assert first.startswith("<b>Инвесторы и покупатели</b><br>выплачено ") and first.endswith(" млрд $")


def test_dash_scripts_are_not_a_second_footer(client):
    page = client.get("/").get_data(as_text=True)
    assert "<footer" not in page  # the page's own footer comes from the layout; Dash's scripts sit in a div
    assert '<div class="dash-scripts">' in page and "new DashRenderer()" in page


def test_caches_are_told_the_page_varies_by_reader(client):
    assert "Accept-Language" in client.get("/").headers["Vary"]
    vary = client.get("/_dash-layout").headers["Vary"]
    assert "Accept-Language" in vary and "Referer" in vary


def test_nginx_does_not_cache_the_layout_by_url_alone():
    from pathlib import Path

    for name in ("nginx.conf.template", "nginx.compose.conf.template"):
        conf = (Path(__file__).resolve().parent.parent / "deploy" / name).read_text()
        block = conf.split("location = /_dash-layout {", 1)[1].split("}", 1)[0]
        assert "proxy_cache" not in block
        assert "_dash-(layout" not in conf
