"""The Atom feed document, byte for byte, on hand-made deals (found by mutation testing,
tests/MUTATION.md). Entry ids follow the documented scheme: uuid5 of 'deal/<id>' in the
project's namespace, uuid5(NAMESPACE_URL, 'https://github.com/ai-alliance-map')."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pandas as pd
import pytest

from alliance.feed import atom_feed, feed_title, recent_deals
from alliance.schema import DEAL_COLUMNS

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ai-alliance-map")
COMPANIES = pd.DataFrame({"name": ["Alpha", "Beta & Co", "Gamma"]}, index=["a", "b", "c"])


def deals() -> pd.DataFrame:
    rows = [
        (
            "d1",
            "2025-01-05",
            "a",
            "b",
            "equity_investment",
            1e9,
            "exact",
            "https://s.example/1",
            "Src",
            "",
            "Alpha invests",
            "completed",
        ),
        (
            "d2",
            "2025-03-01",
            "b",
            "c",
            "chip_supply",
            float("nan"),
            "undisclosed",
            "https://s.example/2",
            "",
            "https://s2.example/2",
            "Beta buys <fast> chips",
            "reported",
        ),
        (
            "d0",
            "2025-03-01",
            "c",
            "a",
            "compute_commitment",
            2.5e9,
            "up_to",
            "https://s.example/0",
            "Wire",
            "",
            "Gamma rents",
            "announced",
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            *DEAL_COLUMNS[:7],  # id, date, from_id, to_id, deal_type, amount_usd, amount_qualifier
            "source_url",
            "source_name",
            "second_source_url",
            "summary",
            "status",
        ],
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_the_feed_document_exactly():
    dataset = SimpleNamespace(companies=COMPANIES, as_of="2025-02-01")
    body = atom_feed(
        dataset,
        deals(),
        base_url="https://example.org/",
        query="?types=chip_supply",
        types=("chip_supply", "compute_commitment"),
        limit=2,
    )
    feed_id = uuid.uuid5(NAMESPACE, "feed?types=chip_supply")
    assert body.decode("utf-8") == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>urn:uuid:{feed_id}</id>"
        "<title>AI Alliance Map: new deals (Chip supply, Compute / cloud commitment)</title>"
        "<subtitle>Deals between AI investors, labs, clouds and chipmakers, newest announcement first, "
        "each with the page it was taken from.</subtitle>"
        "<updated>2025-03-01T00:00:00Z</updated>"  # the newest deal is newer than the data's as_of
        "<author><name>AI Alliance Map curators</name></author>"
        '<link rel="self" type="application/atom+xml" href="https://example.org/feed.atom?types=chip_supply" />'
        '<link rel="alternate" type="text/html" href="https://example.org/?types=chip_supply" />'
        "<generator>AI Alliance Map</generator>"
        "<entry>"
        f"<id>urn:uuid:{uuid.uuid5(NAMESPACE, 'deal/d2')}</id>"
        "<title>Beta &amp; Co → Gamma: Chip supply, undisclosed</title>"
        "<updated>2025-03-01T00:00:00Z</updated><published>2025-03-01T00:00:00Z</published>"
        '<link rel="alternate" type="text/html" href="https://example.org/?deal=d2" />'
        '<link rel="related" href="https://s.example/2" />'  # no source name: no title attribute
        '<link rel="related" href="https://s2.example/2" />'
        '<category term="chip_supply" label="Chip supply" />'
        '<summary type="text">Beta buys &lt;fast&gt; chips (reported; source: )</summary>'
        "</entry>"
        "<entry>"
        f"<id>urn:uuid:{uuid.uuid5(NAMESPACE, 'deal/d0')}</id>"
        "<title>Gamma → Alpha: Compute / cloud commitment, up to $2.5B</title>"
        "<updated>2025-03-01T00:00:00Z</updated><published>2025-03-01T00:00:00Z</published>"
        '<link rel="alternate" type="text/html" href="https://example.org/?deal=d0" />'
        '<link rel="related" href="https://s.example/0" title="Wire" />'
        '<category term="compute_commitment" label="Compute / cloud commitment" />'
        '<summary type="text">Gamma rents (announced; source: Wire)</summary>'
        "</entry>"
        "</feed>"
    )


def test_an_empty_feed_is_as_of_the_data():
    dataset = SimpleNamespace(companies=COMPANIES, as_of="2025-02-01")
    body = atom_feed(dataset, deals().iloc[:0], base_url="https://example.org", query="")
    assert b"<updated>2025-02-01T00:00:00Z</updated>" in body and b"<entry>" not in body
    assert b"<title>AI Alliance Map: new deals</title>" in body


def test_recent_deals_newest_first_ties_by_id_descending():
    assert recent_deals(deals())["id"].tolist() == ["d2", "d0", "d1"]
    assert recent_deals(deals(), 1)["id"].tolist() == ["d2"]


def test_more_deals_than_the_limit_keep_fifty():
    many = pd.concat([deals().assign(id=f"x{i:02}") for i in range(20)])
    assert len(recent_deals(many)) == 50


@pytest.mark.parametrize(
    "types, expected",
    [
        ((), "AI Alliance Map: new deals"),
        (("chip_supply",), "AI Alliance Map: new deals (Chip supply)"),
        (
            ("chip_supply", "joint_venture", "acquisition"),
            "AI Alliance Map: new deals (Chip supply, Joint venture, Acquisition)",
        ),
        (("chip_supply", "joint_venture", "acquisition", "debt_financing"), "AI Alliance Map: new deals"),
    ],
)
def test_feed_title_names_up_to_three_kinds(types, expected):
    assert feed_title(types) == expected


def test_feed_title_in_russian():
    expected = "AI Alliance Map: новые сделки (Поставка чипов, Поглощение)"
    assert feed_title(("chip_supply", "acquisition"), "ru") == expected
    assert feed_title((), "ru") == "AI Alliance Map: новые сделки"


def test_only_trailing_slashes_leave_the_base_url():
    dataset = SimpleNamespace(companies=COMPANIES, as_of="2025-02-01")
    body = atom_feed(dataset, deals().iloc[:0], base_url="https://example.org/maX//", query="")
    assert b'href="https://example.org/maX/feed.atom"' in body


def test_the_feed_in_entry_order():
    """order='added': the deals that entered the dataset last (by added_on, then CSV line), at most
    `limit`; each published on its added_on day and updated on its checked_on day; the feed updated
    on the newest of those days (here later than the data's as_of)."""
    dataset = SimpleNamespace(companies=COMPANIES, as_of="2025-02-01")
    entered = deals().assign(
        added_on=["2025-04-10", "2025-04-10", "2025-03-05"],  # d1, d2, d0
        checked_on=["2025-06-01", "2025-04-10", "2025-03-05"],
        entry=[1, 2, 0],
    )
    body = atom_feed(dataset, entered, base_url="https://example.org", query="?order=added", limit=2, order="added")
    text = body.decode("utf-8")
    assert (
        "<subtitle>Deals between AI investors, labs, clouds and chipmakers, in the order they entered the "
        "dataset, newest first, each with the page it was taken from.</subtitle><updated>2025-06-01T00:00:00Z</updated>"
    ) in text
    entries = text.split("<entry>")[1:]
    assert [e.split("?deal=")[1].split('"')[0] for e in entries] == ["d2", "d1"]  # same day: the later line first
    assert "<updated>2025-04-10T00:00:00Z</updated><published>2025-04-10T00:00:00Z</published>" in entries[0]
    assert "<updated>2025-06-01T00:00:00Z</updated><published>2025-04-10T00:00:00Z</published>" in entries[1]


def test_an_empty_feed_in_entry_order_is_as_of_the_data():
    dataset = SimpleNamespace(companies=COMPANIES, as_of="2025-02-01")
    entered = deals().assign(added_on="2025-04-10", checked_on="2025-04-10", entry=0).iloc[:0]
    body = atom_feed(dataset, entered, base_url="https://example.org", query="?order=added", order="added")
    assert b"<updated>2025-02-01T00:00:00Z</updated>" in body and b"<entry>" not in body
