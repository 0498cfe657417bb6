"""The source standard, provenance dates and Russian texts (issue 18): each rule refuses a
hand-made bad row with file, row, column and reason; the phased-in rules are warnings until
their name leaves schema.LENIENT_RULES."""

from __future__ import annotations

import json

import pytest

from alliance import validate
from alliance.dataset import DatasetError, load_dataset
from alliance.schema import LENIENT_RULES
from alliance.sources import SiteProblem, has_strong_page, is_weak_large, lookup, read_sites, row_problems, site_of
from alliance.stories import load_stories, missing_russian

from .helpers import TINY_COMPANIES, TINY_DEALS, deal_row, write_dataset

STRICT = frozenset()  # no rule lenient


def problems_for(folder, deals=None, companies=None, sites=None, lenient=STRICT) -> list[str]:
    write_dataset(folder, companies=companies, deals=deals)
    if sites is not None:
        (folder / "source_sites.csv").write_text(
            "site,tier,reason\n" + "".join(f"{s}\n" for s in sites), encoding="utf-8"
        )
    try:
        load_dataset(folder, lenient=lenient)
    except DatasetError as error:
        return [str(p) for p in error.problems]
    return []


def rows_with(**changes_by_row) -> list[dict]:
    rows = [deal_row(d) for d in TINY_DEALS]
    for index, changes in changes_by_row.items():
        rows[int(index[1:])].update(changes)
    return rows


# row r1 = CSV line 3 (d2: $30B), r2 = line 4 (d3: undisclosed)
@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"r1": {"source_tier": ""}}, ["deals.csv row 3, column source_tier: required value is empty"]),
        (
            {"r1": {"source_tier": "blog"}},
            ["deals.csv row 3, column source_tier: unknown tier 'blog' (known: primary, major, relay, other)"],
        ),
        (
            {"r1": {"second_source_url": "https://example.org/x"}},
            ["deals.csv row 3, column second_source_tier: required when second_source_url is given"],
        ),
        (
            {"r1": {"second_source_tier": "major"}},
            ["deals.csv row 3, column second_source_tier: must be empty when there is no second_source_url"],
        ),
        ({"r1": {"added_on": ""}}, ["deals.csv row 3, column added_on: required value is empty"]),
        (
            {"r1": {"checked_on": "01/06/2025"}},
            ["deals.csv row 3, column checked_on: '01/06/2025' is not a date in YYYY-MM-DD form"],
        ),
        (
            {"r1": {"added_on": "2024-05-31"}},
            [
                "deals.csv row 3, column added_on: 2024-05-31 is before the deal's date 2024-06-01: no page "
                "could be read, "
                "nor the row added, before then"
            ],
        ),
        (
            {"r1": {"checked_on": "2025-12-02"}},
            ["deals.csv row 3, column checked_on: 2025-12-02 is in the future (today is 2025-12-01)"],
        ),
        (
            {"r1": {"summary_ru": "Test deal d2"}},
            [
                "deals.csv row 3, column summary_ru: holds no Cyrillic letter: write the Russian text here, "
                "not the English one"
            ],
        ),
    ],
)
def test_each_rule_refuses_a_bad_row(tmp_path, changes, expected):
    write_dataset(tmp_path, deals=rows_with(**changes))
    import datetime as dt

    with pytest.raises(DatasetError) as error:
        load_dataset(tmp_path, today=dt.date(2025, 12, 1), lenient=STRICT)
    assert [str(p) for p in error.value.problems] == expected


def test_a_large_deal_on_weak_pages_is_refused_when_strict(tmp_path):
    rows = rows_with(
        r1={"source_tier": "other", "second_source_url": "https://blog.example.org/x", "second_source_tier": "other"}
    )
    assert problems_for(tmp_path, deals=rows) == [
        "deals.csv row 3, column source_tier: 'd2': a deal of $1B or more needs a primary, major or relay page "
        "among its two URLs: re-source it, or write 'single weak source' in notes"
    ]
    # lenient (as shipped): not refused, listed as pending
    dataset = load_dataset(tmp_path, lenient=frozenset({"weak_source"}))
    assert [(p.row, p.rule) for p in dataset.pending] == [(3, "weak_source")]


@pytest.mark.parametrize(
    "changes",
    [
        {"source_tier": "other", "notes": "Single weak source: no wire or company page found."},
        {"source_tier": "other", "second_source_url": "https://x.example.org/", "second_source_tier": "relay"},
        {"source_tier": "relay"},
        {"source_tier": "other", "amount_usd": "999999999"},  # under $1B
    ],
)
def test_a_large_deal_passes_with_a_sound_page_or_the_note(tmp_path, changes):
    assert problems_for(tmp_path, deals=rows_with(r1=changes)) == []


def test_a_rows_tier_agrees_with_its_sites_table_unless_notes_say_why(tmp_path):
    sites = ["example.com,primary,the test parties' own site", "example.org,other,a blog"]
    assert problems_for(tmp_path, sites=sites) == []
    rows = rows_with(r1={"source_tier": "major"}, r2={"source_url": "https://news.example.net/x"})
    assert problems_for(tmp_path / "a", deals=rows, sites=sites) == [
        "deals.csv row 3, column source_tier: 'major', but source_sites.csv rates example.com 'primary': use that, "
        'or say why in notes ("tier: …")',
        "deals.csv row 4, column source_url: site 'news.example.net' is not in source_sites.csv: add it with its "
        "tier and a reason",
    ]
    rows = rows_with(r1={"source_tier": "major", "notes": "Tier major: the page is a wire story hosted here."})
    assert problems_for(tmp_path / "b", deals=rows, sites=sites) == []


def test_the_sites_table_itself_is_checked(tmp_path):
    assert problems_for(
        tmp_path,
        sites=["example.com,primary,own site", "example.com,major,again", "Bad Site,wire,", "www.ok.com,other,x"],
    ) == [
        "source_sites.csv row 3, column site: duplicate site 'example.com' (first on row 2)",
        "source_sites.csv row 4, column site: 'Bad Site' is not a lowercase host name without 'www.'",
        "source_sites.csv row 4, column tier: unknown tier 'wire' (known: primary, major, relay, other)",
        "source_sites.csv row 4, column reason: say in a few words why the site has this tier",
        "source_sites.csv row 5, column site: 'www.ok.com' is not a lowercase host name without 'www.'",
    ]


def test_site_lookup_walks_up_to_the_parent_domain():
    assert site_of("https://WWW.Reuters.com/x?y") == "reuters.com"
    assert site_of("https://markets.businessinsider.com./news") == "markets.businessinsider.com"
    assert site_of("no address") == "" and site_of("https://[bad/x") == ""  # no host; not a URL at all
    table = {"yahoo.com": "relay", "finance.yahoo.com": "major"}
    assert lookup("ca.news.yahoo.com", table) == ("yahoo.com", "relay")
    assert lookup("finance.yahoo.com", table) == ("finance.yahoo.com", "major")
    assert lookup("notyahoo.com", table) is None
    assert lookup("com", {"com": "other"}) is None  # a bare top-level domain never matches


def tiers_row(**changes) -> dict:
    """One deal row's cells as the tier rules read them: a $1B deal on a blog page."""
    rec = {
        "amount_usd": "1000000000",
        "source_url": "https://blog.example.org/x",
        "source_tier": "other",
        "second_source_url": "",
        "second_source_tier": "",
        "notes": "",
    }
    return {**rec, **changes}


def test_the_one_billion_rule_by_hand():
    assert is_weak_large(tiers_row())  # exactly $1B is large
    assert not is_weak_large(tiers_row(amount_usd="999999999.99"))
    assert not is_weak_large(tiers_row(amount_usd=""))  # undisclosed
    assert not is_weak_large(tiers_row(amount_usd="lots"))  # a malformed amount has its own rule
    assert not is_weak_large(tiers_row(source_tier="wire"))  # so has an unknown tier
    assert is_weak_large(tiers_row(second_source_tier="primary"))  # a tier without its page is no page
    assert not is_weak_large(tiers_row(second_source_url="https://example.com/p", second_source_tier="primary"))
    assert not is_weak_large(tiers_row(notes="Single weak source: no wire or company page found."))


def test_row_problems_by_hand():
    table = {"example.com": "primary", "blog.example.org": "other"}
    assert row_problems(tiers_row(amount_usd="5"), table) == []
    # an unknown first tier does not stop the checks of the second page
    unknown = tiers_row(amount_usd="5", source_tier="blog", second_source_url="https://example.com/p")
    assert row_problems(unknown, table) == [
        SiteProblem(None, "source_tier", "unknown tier 'blog' (known: primary, major, relay, other)"),
        SiteProblem(None, "second_source_tier", "required when second_source_url is given"),
    ]
    # the two site-table problems belong to the phased-in rule "source_sites"
    disagree = tiers_row(
        source_url="https://news.example.net/x",
        source_tier="major",
        second_source_url="https://www.example.com/p",
        second_source_tier="major",
    )
    assert row_problems(disagree, table) == [
        SiteProblem(
            None,
            "source_url",
            "site 'news.example.net' is not in source_sites.csv: add it with its tier and a reason",
            "source_sites",
        ),
        SiteProblem(
            None,
            "second_source_tier",
            "'major', but source_sites.csv rates example.com 'primary': use that, or say why in notes (\"tier: …\")",
            "source_sites",
        ),
    ]


def test_strong_means_primary_or_major_only():
    assert has_strong_page("primary", "") and has_strong_page("other", "major")
    assert not has_strong_page("relay", "other") and not has_strong_page("relay", "relay")


def test_missing_russian_is_pending_when_lenient_and_refused_when_strict(tmp_path):
    companies = [dict(c) for c in TINY_COMPANIES]
    companies[1]["description"] = "A lab."  # no description_ru
    rows = rows_with(r1={"summary_ru": ""})
    assert problems_for(tmp_path, deals=rows, companies=companies) == [
        "companies.csv row 3, column description_ru: Russian text missing: translate description (names and figures "
        "kept exactly)",
        "deals.csv row 3, column summary_ru: Russian text missing: translate summary (names and figures kept exactly)",
    ]
    dataset = load_dataset(tmp_path, lenient=frozenset({"russian_text"}))
    assert [(p.file, p.row, p.column) for p in dataset.pending] == [
        ("companies.csv", 3, "description_ru"),
        ("deals.csv", 3, "summary_ru"),
    ]


def _stories(folder, **extra):
    story = {"id": "s1", "title": "One", "caption": "A caption.", "query": "?from=2024-06", "deals": ["d2"], **extra}
    (folder / "stories.json").write_text(json.dumps({"stories": [story]}), encoding="utf-8")


def test_story_russian_texts(tmp_path, monkeypatch):
    write_dataset(tmp_path)
    _stories(tmp_path)
    with pytest.raises(DatasetError) as error:
        load_stories(tmp_path, frozenset({"d2"}), strict=True)
    assert [str(p) for p in error.value.problems] == [
        "stories.json row 1, column title_ru: Russian text missing: translate title",
        "stories.json row 1, column caption_ru: Russian text missing: translate caption",
    ]
    with pytest.raises(DatasetError):  # strict unless "russian_text" is phased in (schema.LENIENT_RULES)
        load_stories(tmp_path, frozenset({"d2"}))
    with monkeypatch.context() as patch:  # phased in: an untranslated story loads, and is reported
        patch.setattr("alliance.stories.LENIENT_RULES", frozenset({"russian_text"}))
        assert [s.id for s in load_stories(tmp_path, frozenset({"d2"}))] == ["s1"]
    stories = load_stories(tmp_path, frozenset({"d2"}), strict=False)
    # a Russian reader of a story not yet translated gets the English text, marked as English
    assert [stories[0].text_lang(lang, "title") for lang in ("ru", "en", None)] == ["en", "en", "en"]
    assert [str(p) for p in missing_russian(stories)] == [
        "stories.json row 1, column title_ru: story 's1': Russian text missing: translate title",
        "stories.json row 1, column caption_ru: story 's1': Russian text missing: translate caption",
    ]
    _stories(tmp_path, title_ru="Первая", caption_ru="The caption in English")
    with pytest.raises(DatasetError) as error:
        load_stories(tmp_path, frozenset({"d2"}), strict=False)
    assert [str(p) for p in error.value.problems] == [
        "stories.json row 1, column caption_ru: must be Russian text (at least one Cyrillic letter)"
    ]
    _stories(tmp_path, title_ru="Первая", caption_ru="Подпись.")
    (story,) = load_stories(tmp_path, frozenset({"d2"}), strict=True)
    assert (story.title_in("ru"), story.caption_in("ru"), story.caption_in("en")) == (
        "Первая",
        "Подпись.",
        "A caption.",
    )
    assert [story.text_lang(lang, "caption") for lang in ("ru", "en", None)] == ["ru", "en", "en"]


def test_validate_prints_warnings_and_strict_refuses(tmp_path, capsys, monkeypatch):
    from alliance import schema

    monkeypatch.setattr(schema, "LENIENT_RULES", frozenset({"russian_text"}))  # a rule being phased in
    write_dataset(tmp_path, deals=rows_with(r1={"summary_ru": ""}))
    assert validate.main([str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "warning (russian_text): deals.csv row 3, column summary_ru: Russian text missing" in err
    assert "1 warning(s) of rules being phased in (russian_text: 1); --strict refuses them" in err
    assert validate.main([str(tmp_path), "--strict"]) == 1
    assert "deals.csv row 3, column summary_ru: Russian text missing" in capsys.readouterr().err
    monkeypatch.setattr(schema, "LENIENT_RULES", frozenset())  # as shipped: every rule refuses
    assert validate.main([str(tmp_path)]) == 1


# --- the shipped data --------------------------------------------------------------------------

# Deals of $1B or more that still rest on weak pages only (source_sites.csv's tiers), as of the
# datacode branch. The research helper re-sources them: after merging, the lead empties this
# list (and deletes "weak_source" from schema.LENIENT_RULES) once the data has none left.
EXPECTED_WEAK: list[str] = []  # every $1B+ deal has a sound page or says single weak source


@pytest.fixture(scope="module")
def shipped():
    return load_dataset()


def test_shipped_weak_large_deals_are_exactly_the_expected_list(shipped):
    weak = sorted(p.reason.split("'")[1] for p in shipped.pending if p.rule == "weak_source")
    assert weak == sorted(EXPECTED_WEAK)


def test_shipped_tiers_agree_with_the_sites_table(shipped):
    assert [str(p) for p in shipped.pending if p.rule == "source_sites"] == []


def test_shipped_sites_table_reads_cleanly():
    from alliance.dataset import DEFAULT_DATA_DIR

    table, problems = read_sites(DEFAULT_DATA_DIR / "source_sites.csv")
    assert problems == [] and table["reuters.com" if "reuters.com" in table else "sec.gov"] in ("major", "primary")
    assert table["americanfaith.com"] == "other" and table["openai.com"] == "primary"


@pytest.mark.skipif("russian_text" in LENIENT_RULES, reason="phased in: strict once the translations are merged")
def test_shipped_russian_texts_present_for_every_row(shipped):
    assert [str(p) for p in shipped.pending if p.rule == "russian_text"] == []
    assert (shipped.deals["summary_ru"] != "").all()
    described = shipped.companies[shipped.companies["description"] != ""]
    assert (described["description_ru"] != "").all()


def test_validate_story_russian_follows_the_phase_in_and_strict(tmp_path, capsys, monkeypatch):
    """A story without Russian text: refused as shipped and under --strict (wherever the flag
    stands), a warning counted with the deals' while "russian_text" is being phased in."""
    from alliance import schema

    write_dataset(tmp_path)
    assert validate.main(["--strict", str(tmp_path)]) == 0  # the flag first: the folder is still read
    _stories(tmp_path)  # no title_ru, no caption_ru
    assert validate.main([str(tmp_path)]) == 1
    assert "stories.json row 1, column title_ru: Russian text missing" in capsys.readouterr().err
    monkeypatch.setattr(schema, "LENIENT_RULES", frozenset({"russian_text"}))
    assert validate.main(["--strict", str(tmp_path)]) == 1
    capsys.readouterr()
    write_dataset(tmp_path, deals=rows_with(r1={"summary_ru": ""}))
    _stories(tmp_path)
    assert validate.main([str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "warning (russian_text): stories.json row 1, column caption_ru: story 's1': Russian text missing" in err
    assert "3 warning(s) of rules being phased in (russian_text: 3); --strict refuses them" in err
