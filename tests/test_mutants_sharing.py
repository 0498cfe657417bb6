"""The <head> tags of a shared link, written out whole, in English and Russian
(found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

from alliance.sharing import head_tags

VALUES = {
    "title": "Deals & more",
    "description": "3 deals",
    "page_url": "https://m.example/?a=1&b=2",
    "image_url": "https://m.example/preview.png?a=1",
    "feed_url": "https://m.example/feed.atom?t=<x>",
}


def expected(site: str, locale: list[str], alt: str) -> str:
    return "\n      ".join(
        [
            '<meta property="og:type" content="website">',
            f'<meta property="og:site_name" content="{site}">',
            *locale,
            '<meta property="og:title" content="Deals &amp; more">',
            '<meta property="og:description" content="3 deals">',
            '<meta property="og:url" content="https://m.example/?a=1&amp;b=2">',
            '<meta property="og:image" content="https://m.example/preview.png?a=1">',
            '<meta property="og:image:type" content="image/png">',
            '<meta property="og:image:width" content="1200">',
            '<meta property="og:image:height" content="630">',
            f'<meta property="og:image:alt" content="{alt}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<meta name="twitter:title" content="Deals &amp; more">',
            '<meta name="twitter:description" content="3 deals">',
            '<meta name="twitter:image" content="https://m.example/preview.png?a=1">',
            '<link rel="canonical" href="https://m.example/?a=1&amp;b=2">',
            '<link rel="alternate" type="application/atom+xml" title="AI Alliance Map: new deals" '
            'href="https://m.example/feed.atom?t=&lt;x&gt;">',
        ]
    )


def test_head_tags_without_a_language():
    assert head_tags(**VALUES) == expected("AI Alliance Map", [], "Network map of AI deals: Deals &amp; more")


def test_head_tags_in_english():
    assert head_tags(**VALUES, lang="en") == expected(
        "AI Alliance Map", ['<meta property="og:locale" content="en_US">'], "Network map of AI deals: Deals &amp; more"
    )


def test_head_tags_in_russian():
    assert head_tags(**VALUES, lang="ru") == expected(
        "Карта альянсов ИИ",
        ['<meta property="og:locale" content="ru_RU">'],
        "Сетевая карта сделок в ИИ: Deals &amp; more",
    )
