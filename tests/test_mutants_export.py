"""Export records written out by hand: companies, round totals, the view state and circular deals
(found by mutation testing, tests/MUTATION.md)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alliance.export import (
    _number,
    company_records,
    cycle_records,
    deal_records,
    records_to_csv,
    round_records,
    state_dict,
)
from alliance.flows import find_cycles
from alliance.viewstate import ViewState

from .test_flows import deals_frame
from .test_money import round_dataset  # noqa: F401  (fixture)


def test_company_records_in_dataset_order_and_filtered(round_dataset):  # noqa: F811
    assert company_records(round_dataset, ["cloud", "nobody", "fund"]) == [
        {
            "id": "fund",
            "name": "Fund Capital",
            "roles": ["investor"],
            "primary_role": "investor",
            "country": "",
            "website": "",
            "description": "",
            "description_ru": "",  # d1: $1B paid out
            "money_in_usd": {"total": 0, "paid": 0, "contracted": 0, "conditional": 0},
            "money_out_usd": {"total": 1000000000, "paid": 1000000000, "contracted": 0, "conditional": 0},
        },
        {
            "id": "cloud",
            "name": "Cloud Co",
            "roles": ["cloud_provider", "investor"],
            "primary_role": "cloud_provider",
            "country": "",
            "website": "",
            "description": "",
            "description_ru": "",  # d8's $45B in (d2 replaced); d3, d6 state no amount
            "money_in_usd": {"total": 45000000000, "paid": 0, "contracted": 45000000000, "conditional": 0},
            "money_out_usd": {"total": 0, "paid": 0, "contracted": 0, "conditional": 0},
        },
    ]
    assert [c["id"] for c in company_records(round_dataset)] == ["fund", "lab", "cloud", "chips", "app"]
    assert company_records(round_dataset, []) == []


def test_round_records(round_dataset):  # noqa: F811
    assert round_records(round_dataset) == [
        {
            "id": "lab-series-a",
            "company_id": "lab",
            "company_name": "Lab AI",
            "date": "2025-01-15",
            "total_usd": 20000000000,
            "qualifier": "exact",
            "total_as_stated": "$20B",
            "leads": ["Chips Inc"],
            "deal_ids": ["d4", "d6"],
            "source_url": "https://example.com/r",
            "source_name": "Example",
            "second_source_url": "",
            "notes": "",
        }
    ]


def test_round_records_split_leads_and_name_unknown_companies_by_id():
    rounds = pd.DataFrame(
        [
            {
                "id": "r1",
                "company_id": "ghost",
                "date": pd.Timestamp("2024-02-29"),
                "total_usd": 2.5e9,
                "qualifier": "up_to",
                "leads": " A ; ;B;",
                "source_url": "u",
                "source_name": "n",
                "second_source_url": "u2",
                "notes": "x",
            }
        ]
    )
    dataset = type(
        "D",
        (),
        {
            "rounds": rounds,
            "companies": pd.DataFrame({"name": ["Lab"]}, index=["lab"]),
            "deals": pd.DataFrame({"id": ["d1"], "group_id": ["r1"]}),
        },
    )()
    (record,) = round_records(dataset)
    assert (
        record["company_name"],
        record["total_usd"],
        record["total_as_stated"],
        record["leads"],
        record["deal_ids"],
        record["date"],
    ) == ("ghost", 2500000000, "up to $2.5B", ["A", "B"], ["d1"], "2024-02-29")


def test_state_dict_uses_the_url_parameter_names():
    state = ViewState(
        types=("chip_supply",),
        roles=("investor", "neocloud"),
        date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 6, 30),
        focus="nvidia",
        depth=2,
        min_amount=1e9,
        company="openai",
        deal="d1",
        cycle="a~b",
        view="flows",
    )
    assert state_dict(state) == {
        "types": ["chip_supply"],
        "roles": ["investor", "neocloud"],
        "from": "2025-01-01",
        "to": "2025-06-30",
        "focus": "nvidia",
        "depth": 2,
        "min_amount": 1000000000,
        "company": "openai",
        "deal": "d1",
        "cycle": "a~b",
        "view": "flows",
        "sources": "all",
    }


def test_cycle_records():
    deals = deals_frame(
        [
            ("a", "b", 10, None, "2025-01-01"),
            ("b", "a", None, None, "2025-03-01"),
            ("b", "a", 2.5, None, "2025-02-01"),
        ]
    )
    names = pd.Series({"a": "Alpha", "b": "Beta"})
    assert cycle_records(find_cycles(deals), names) == {
        "capped": False,
        "cap_reason": "",
        "count": 1,
        "cycles": [
            {
                "id": "a~b",
                "companies": ["a", "b"],
                "names": ["Alpha", "Beta"],
                "bottleneck_usd": 2.5,
                "latest": "2025-03-01",
                "hops": [
                    {
                        "from_id": "a",
                        "to_id": "b",
                        "deal_ids": ["d1"],
                        "stated_usd": 10,
                        "qualifiers": ["exact"],
                        "undisclosed": False,
                    },
                    {
                        "from_id": "b",
                        "to_id": "a",
                        "deal_ids": ["d3", "d2"],
                        "stated_usd": 2.5,
                        "qualifiers": ["exact", "undisclosed"],
                        "undisclosed": True,
                    },
                ],
            }
        ],
    }


def test_cycle_records_of_a_capped_search():
    deals = deals_frame([("a", "b", 1), ("b", "a", 1), ("c", "d", 1), ("d", "c", 1)])
    record = cycle_records(find_cycles(deals, max_cycles=1), pd.Series({"a": "A", "b": "B", "c": "C", "d": "D"}))
    assert (record["capped"], record["cap_reason"], record["count"]) == (True, "stopped after 1 cycles", 1)


def test_deal_records_of_the_round_dataset(round_dataset):  # noqa: F811
    deals = round_dataset.deals
    records = {r["id"]: r for r in deal_records(round_dataset, deals[deals["id"].isin(["d2", "d3", "d4"])])}
    assert list(records) == ["d2", "d3", "d4"]
    assert records["d2"] == {
        "id": "d2",
        "date": "2024-06-01",
        "from_id": "lab",
        "from_name": "Lab AI",
        "to_id": "cloud",
        "to_name": "Cloud Co",
        "deal_type": "compute_commitment",
        "deal_type_label": "Compute / cloud commitment",
        "amount_usd": 30000000000,
        "amount_qualifier": "exact",
        "amount_as_stated": "$30B",
        "compute_gw": None,
        "status": "superseded",
        "summary": "Test deal d2",
        "source_url": "https://example.com/d2",
        "source_name": "Example",
        "second_source_url": "",
        "group_id": "",
        "notes": "",
        "amount_kind": "flow",  # the loader writes a blank kind as flow
        "counted": True,  # its replacement d8 is not among these deals
        "supersedes": "",
        "source_tier": "primary",
        "second_source_tier": "",
        "added_on": "2025-12-01",
        "checked_on": "2025-12-01",
        "summary_ru": "Тестовая сделка d2",
        "money_state": "contracted",  # a compute commitment, live in this view
    }
    assert (
        records["d3"]["amount_usd"],
        records["d3"]["amount_as_stated"],
        records["d3"]["compute_gw"],
        records["d3"]["counted"],
    ) == (None, "undisclosed", 1.0, False)
    assert (records["d4"]["amount_as_stated"], records["d4"]["group_id"], records["d4"]["counted"]) == (
        "up to $10B",
        "lab-series-a",
        True,
    )
    everything = deal_records(round_dataset, deals)
    assert [r["counted"] for r in everything if r["id"] in ("d2", "d8")] == [False, True]
    # d2 is replaced in this view: no state; d4's "up to" share is conditional; d5 moves no money
    assert {r["id"]: r["money_state"] for r in everything if r["id"] in ("d2", "d4", "d5", "d8")} == {
        "d2": "",
        "d4": "conditional",
        "d5": "",
        "d8": "contracted",
    }


def test_deal_records_name_unknown_companies_by_id(round_dataset):  # noqa: F811
    deals = round_dataset.deals.iloc[:1].assign(from_id="ghost", to_id="spook", amount_usd=1.5, compute_gw=2.25)
    (record,) = deal_records(round_dataset, deals)
    assert (record["from_name"], record["to_name"], record["amount_usd"], record["compute_gw"]) == (
        "ghost",
        "spook",
        1.5,
        2.25,
    )


@pytest.mark.parametrize("value, expected", [(None, None), (float("nan"), None), (2.0, 2), (2.5, 2.5), (7, 7)])
def test_numbers_are_json_native(value, expected):
    result = _number(value)
    assert result == expected and type(result) is type(expected)


def test_csv_cells_and_header():
    records = [
        {"id": "d1", "counted": True, "roles": ["a", "b"], "amount": None, "gw": 1.5},
        {"id": "d2", "counted": False, "roles": (), "amount": 3, "gw": None},
    ]
    assert records_to_csv(records) == "id,counted,roles,amount,gw\r\nd1,true,a;b,,1.5\r\nd2,false,,3,\r\n"
    assert records_to_csv([], ["id", "name"]) == "id,name\r\n"
    assert records_to_csv([]) == ""
    assert records_to_csv(records, ["gw", "id"]) == "gw,id\r\n1.5,d1\r\n,d2\r\n"
    assert records_to_csv([{"text": 'say "hi", then go'}]) == 'text\r\n"say ""hi"", then go"\r\n'
