"""The one ledger (alliance/ledger.py): counted by hand, and the same numbers on every surface."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from alliance.i18n import money
from alliance.ledger import build_ledger, default_money_state, implied_state, money_states
from components.factory import create_app
from components.follow import render_texts
from components.panels import render_panel


def test_round_total_once_and_states_by_hand(round_dataset):
    ledger = build_ledger(round_dataset.deals, round_dataset)
    # lab receives d1 $1B (paid) + the $20B round once: d4's up-to $10B share (conditional) and the
    # $10B rest in the state of d6, the share with no amount (announced equity: contracted)
    assert ledger.company("lab")["in"] == {"total": 21e9, "paid": 1e9, "contracted": 10e9, "conditional": 10e9}
    # lab pays d7 $650M (paid) and d8 $45B (contracted); d2's $30B is replaced by d8 in view
    assert ledger.company("lab")["out"] == {"total": 45.65e9, "paid": 0.65e9, "contracted": 45e9, "conditional": 0}
    # chips pays its stated d4 share; cloud's d6 share states no amount, so cloud pays nothing known
    assert ledger.company("chips")["out"]["total"] == 10e9
    assert ledger.company("cloud")["out"]["total"] == 0
    assert ledger.total() == 66.65e9
    assert ledger.total_by_state() == {"paid": 1.65e9, "contracted": 55e9, "conditional": 10e9}


def test_a_round_counts_when_only_an_undisclosed_investor_is_in_view(round_dataset):
    deals = round_dataset.deals
    ledger = build_ledger(deals[deals["id"] == "d6"], round_dataset)
    assert ledger.company("lab")["in"] == {"total": 20e9, "paid": 0, "contracted": 20e9, "conditional": 0}


def test_a_rounds_rest_takes_the_least_firm_state_of_its_unsplit_rows(round_dataset):
    """Two investors state no share: d1 (completed equity, paid; made part of the round here) and d6
    (announced: contracted). The $10B that d4's stated share leaves unexplained is booked in the
    less firm of their two states, contracted, never the firmer (paid)."""
    deals = round_dataset.deals.copy()
    d1 = deals["id"] == "d1"
    deals.loc[d1, "group_id"] = "lab-series-a"
    deals.loc[d1, "amount_usd"] = float("nan")
    assert list(deals.loc[deals["group_id"] == "lab-series-a", "money_state"]) == ["paid", "conditional", "contracted"]
    ledger = build_ledger(deals, round_dataset)
    # the $20B round once: d4's up-to $10B (conditional) and the $10B rest (contracted); d1 adds nothing on top
    assert ledger.company("lab")["in"] == {"total": 20e9, "paid": 0, "contracted": 10e9, "conditional": 10e9}


def test_money_states_keep_recorded_states_and_imply_the_blank_ones():
    deals = pd.DataFrame(
        {
            "deal_type": ["equity_investment", "equity_investment", "chip_supply", "equity_investment", "acquisition"],
            "status": ["completed", "announced", "completed", None, "completed"],
            "amount_qualifier": ["exact", "up_to", "exact", "exact", None],
            "summary": ["", "", "", "Plans to invest more", None],
            "money_state": ["", None, "", "contracted", "bogus"],
        },
        index=[10, 11, 12, 13, 14],
    )
    # 10 completed equity: paid; 11 an up-to amount: conditional; 12 a completed chip purchase is
    # still a purchase commitment: contracted; 13 recorded (its "plans to" is not read); 14 an unknown
    # state is implied again: a completed acquisition (missing qualifier: exact), paid
    assert money_states(deals).to_dict() == {
        10: "paid",
        11: "conditional",
        12: "contracted",
        13: "contracted",
        14: "paid",
    }
    # only the rows asked for are filled in; the others keep what they hold
    where = pd.Series([True, False, False, True, False], index=deals.index)
    assert money_states(deals, where).to_dict() == {10: "paid", 11: "", 12: "", 13: "contracted", 14: "bogus"}
    # a hand-made frame with types only: completed and exact by default
    bare = pd.DataFrame({"deal_type": ["equity_investment", "chip_supply"]}, index=[3, 4])
    assert money_states(bare).to_dict() == {3: "paid", 4: "contracted"}
    # the status and the summary's words are read from their columns
    worded = pd.DataFrame(
        {
            "deal_type": ["equity_investment", "equity_investment"],
            "status": ["announced", "completed"],
            "summary": ["", "In talks to buy a stake"],
            "money_state": ["", ""],
        }
    )
    assert money_states(worded).tolist() == ["contracted", "conditional"]


def test_the_ledger_entries_of_a_company_by_hand(round_dataset):
    entries = build_ledger(round_dataset.deals, round_dataset).entries
    lab = entries[entries["company"] == "lab"]
    columns = ["side", "deal_type", "state", "usd", "deal_id", "round_id"]
    assert sorted(lab[columns].itertuples(index=False, name=None)) == [
        ("in", "equity_investment", "conditional", 10e9, "d4", "lab-series-a"),  # d4's up-to share
        ("in", "equity_investment", "contracted", 10e9, "", "lab-series-a"),  # the round's unexplained rest
        ("in", "equity_investment", "paid", 1e9, "d1", ""),
        ("out", "acquisition", "paid", 0.65e9, "d7", ""),
        ("out", "compute_commitment", "contracted", 45e9, "d8", ""),
    ]


def test_a_state_with_no_money_in_view_is_zero(round_dataset):
    deals = round_dataset.deals
    ledger = build_ledger(deals[deals["id"] == "d6"], round_dataset)  # the round alone: all contracted
    assert ledger.total_by_state() == {"paid": 0.0, "contracted": 20e9, "conditional": 0.0}


def test_money_by_type_is_in_legend_order_not_the_order_deals_arrive(round_dataset):
    ledger = build_ledger(round_dataset.deals, round_dataset)
    assert list(ledger.entries.loc[ledger.entries["company"] == "lab", "deal_type"].drop_duplicates()) == [
        "acquisition",
        "compute_commitment",
        "equity_investment",
    ]
    table = ledger.by_type("lab")
    assert list(table.index) == ["equity_investment", "compute_commitment", "acquisition"]
    assert table.to_dict("index") == {
        "equity_investment": {"in": 21e9, "out": 0.0},
        "compute_commitment": {"in": 0.0, "out": 45e9},
        "acquisition": {"in": 0.0, "out": 0.65e9},
    }


def test_stated_shares_above_the_round_total_are_kept(round_dataset):
    deals = round_dataset.deals.copy()
    deals.loc[deals["id"] == "d4", "amount_usd"] = 25e9  # more than the $20B total: the shares win
    assert build_ledger(deals[deals["id"].isin(["d4", "d6"])], round_dataset).company("lab")["in"]["total"] == 25e9


@pytest.mark.parametrize(
    "deal_type, status, qualifier, summary, expected",
    [
        ("equity_investment", "completed", "exact", "", "paid"),
        ("acquisition", "completed", "about", "", "paid"),
        ("compute_commitment", "completed", "exact", "", "contracted"),  # signed, payable over years
        ("chip_supply", "announced", "about", "", "contracted"),
        ("equity_investment", "announced", "exact", "", "contracted"),  # not closed yet
        ("equity_investment", "announced", "up_to", "", "conditional"),
        ("equity_investment", "completed", "exact", "Nvidia letter of intent to invest", "conditional"),
        ("compute_commitment", "reported", "exact", "", "conditional"),
    ],
)
def test_implied_state(deal_type, status, qualifier, summary, expected):
    assert implied_state(deal_type, status, qualifier, summary) == expected


VIEWS = [
    "",
    "from=2025-01&to=2025-12",
    "from=2025-11&to=2025-11",
    "types=compute_commitment,chip_supply",
    "min_amount=1000000000",
    "roles=model_lab,cloud_provider,neocloud",
    "lang=ru&from=2026-01",
]
COMPANIES = ["anthropic", "openai", "nvidia", "microsoft"]


@pytest.fixture(scope="module")
def client(shipped_atlas):
    return create_app(atlas=shipped_atlas).server.test_client()


def _cells(component, cls: str) -> list[str]:
    """Texts of every element with class `cls` in a Dash component tree."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "to_plotly_json"):
            return
        if cls in (getattr(node, "className", None) or "").split():
            found.append(node.children)
        walk(getattr(node, "children", None))

    walk(component)
    return found


@pytest.mark.parametrize("query", VIEWS)
def test_panel_api_and_summary_agree(shipped_atlas, client, query):
    lang = "ru" if "lang=ru" in query else "en"
    records = {c["id"]: c for c in client.get(f"/api/companies?{query}".rstrip("?")).get_json()["companies"]}
    for company in COMPANIES:
        if company not in records:
            continue
        panel, hidden = render_panel(shipped_atlas, f"?{query}&company={company}", lang=lang)
        record = records[company]
        for side, cls in (("money_in_usd", "money-in-total"), ("money_out_usd", "money-out-total")):
            total = record[side]["total"]
            assert sum(record[side][s] for s in ("paid", "contracted", "conditional")) == total
            assert _cells(panel, cls) == ([money(total, lang) if total else "–"] if _cells(panel, cls) else []), (
                query,
                company,
                side,
            )
            if total:
                assert _cells(panel, cls) == [money(total, lang)], (query, company, side)
    _, summary, _ = render_texts(shipped_atlas, f"?{query}", lang)
    received = {
        s: sum(r["money_in_usd"][s] for r in records.values()) for s in ("total", "paid", "contracted", "conditional")
    }
    for key, value in received.items():
        if value:
            assert money(value, lang) in summary, (query, key, summary)


def test_anthropic_counts_its_round_totals(client):
    """The issue's example: the panel said $77.2B while the round totals gave $189.1B. Since the
    Series H counts its $50B of new money (not $65B, which held $15B of April's hyperscaler money,
    counted on April's rows), the round totals give $174.1B."""
    anthropic = next(c for c in client.get("/api/companies").get_json()["companies"] if c["id"] == "anthropic")
    assert anthropic["money_in_usd"]["total"] == 174_100_000_000
    summary = client.get("/api/deals").get_json()
    assert summary["count"] >= 269


def test_summary_line_names_the_three_states(shipped_atlas):
    _, summary, _ = render_texts(shipped_atlas, "?")
    assert re.search(r"\$[\d.]+[BT] paid · \$[\d.]+[BT] contracted · \$[\d.]+[BT] conditional", summary), summary


def test_every_counted_row_of_the_shipped_data_has_a_state(shipped_atlas):
    ledger = build_ledger(shipped_atlas.dataset.deals, shipped_atlas.dataset)
    counted = ledger.deals[ledger.deals["counted_usd"].notna()]
    assert counted["state"].isin(["paid", "contracted", "conditional"]).all()
    assert not pd.isna(ledger.entries["usd"]).any()


MUST_BE_BLANK = (
    "must be blank: this row's amount never counts (its type moves no money, it is not a one-off flow, or it "
    "stalled or was cancelled)"
)


@pytest.mark.parametrize(
    "row, problem",
    [
        (
            dict(deal_type="equity_investment", status="completed", amount_kind="", money_state=""),
            "required for a equity_investment flow that is completed (paid, contracted, conditional): see "
            "data/README.md, Money states",
        ),
        (
            dict(deal_type="model_distribution", status="completed", amount_kind="", money_state="paid"),
            MUST_BE_BLANK,
        ),
        (
            dict(deal_type="equity_investment", status="cancelled", amount_kind="", money_state="paid"),
            MUST_BE_BLANK,
        ),
        (
            dict(deal_type="equity_investment", status="completed", amount_kind="secondary", money_state="paid"),
            MUST_BE_BLANK,
        ),
        (
            dict(deal_type="equity_investment", status="announced", amount_kind="", money_state="paid"),
            "'paid' needs status 'completed' (this deal is announced)",
        ),
        (
            dict(deal_type="equity_investment", status="reported", amount_kind="", money_state="contracted"),
            "a reported (unconfirmed) deal is 'conditional'",
        ),
        (
            dict(deal_type="equity_investment", status="completed", amount_kind="", money_state="promised"),
            "unknown money state 'promised' (known: paid, contracted, conditional; blank where nothing counts)",
        ),
        (dict(deal_type="equity_investment", status="completed", amount_kind="", money_state="paid"), None),
        (dict(deal_type="compute_commitment", status="superseded", amount_kind="", money_state="conditional"), None),
    ],
)
def test_loader_checks_money_state(row, problem):
    from alliance.dataset import _money_state_problems

    found = _money_state_problems(pd.Series(row))
    assert found == ([] if problem is None else [problem])  # the whole message, as the editor reads it


def test_money_by_year_and_who_matters_read_the_ledger(shipped_atlas, client):
    from alliance.flows import money_by_year, who_matters

    state, _ = shipped_atlas.parse("")
    deals = shipped_atlas.deals_in_view(state)
    years = money_by_year(deals, "anthropic", shipped_atlas.dataset)
    assert years["in_usd"].sum() == pytest.approx(174.1e9)  # the panel's and /api/companies' figure
    assert years.loc[2026, "in_usd"] >= 50e9  # the Series H total lands in May 2026's year
    received = dict(who_matters(deals, dataset=shipped_atlas.dataset)["received"])
    records = {c["id"]: c for c in client.get("/api/companies").get_json()["companies"]}
    for company, usd in received.items():
        assert usd == records[company]["money_in_usd"]["total"]


EQUITY = {"deal_type": "equity_investment", "status": "completed", "amount_qualifier": "exact"}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (EQUITY, "paid"),
        ({**EQUITY, "amount_kind": "flow"}, "paid"),
        ({**EQUITY, "amount_kind": ""}, "paid"),  # a blank kind is a flow
        ({**EQUITY, "deal_type": "chip_supply"}, "contracted"),  # bought chips are owed, not paid
        ({**EQUITY, "deal_type": "compute_commitment"}, "contracted"),
        ({**EQUITY, "status": "announced"}, "contracted"),
        ({"deal_type": "equity_investment", "amount_qualifier": "exact"}, "contracted"),  # no status: not completed
        ({**EQUITY, "summary": "A Letter of Intent to invest."}, "conditional"),
        ({**EQUITY, "amount_qualifier": "up_to"}, "conditional"),
        # amounts that can never count get no state
        ({**EQUITY, "status": "stalled"}, ""),
        ({**EQUITY, "status": "cancelled"}, ""),
        ({**EQUITY, "amount_kind": "valuation"}, ""),
        ({**EQUITY, "amount_kind": "per_year"}, ""),
        ({**EQUITY, "deal_type": "model_distribution"}, ""),
        ({**EQUITY, "deal_type": "restructuring"}, ""),
        ({"status": "completed"}, ""),  # no type
    ],
)
def test_default_money_state_of_a_raw_row(row, expected):
    assert default_money_state(row) == expected
