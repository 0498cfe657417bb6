"""GET /api/exposure and /api/exposure.csv: the stress test over HTTP, worked by hand on the mini data."""

from __future__ import annotations

import pytest

from components.factory import create_app


@pytest.fixture(scope="module")
def mini_client(mini_atlas):
    return create_app(atlas=mini_atlas).server.test_client()


# fail=lab, by hand (tests/fixtures/mini): lab owes m03 (up to $10B, conditional) to cloud and m16
# ($12B, contracted) to neo; m07 to app is paid. cloud's whole inflow is m03, so s(cloud) = 1 and
# its unpaid m05 ($4B to chips) and m10 ($7.5B to dc) are at risk in full; neo loses 12 of its
# 14.5 in (m02 is paid) and owes only m13, which states no amount. Round 2 changes nothing.
MINI_LAB = {
    "fail": ["lab"],
    "rounds": 2,
    "total_at_risk_usd": 33_500_000_000,
    "companies": [
        {
            "id": "neo",
            "name": "Neo GPU",
            "direct_usd": 12_000_000_000,
            "indirect_usd": 0,
            "share_of_inflow": 0.8276,
            "gw": 1.5,
            "deals": ["m16"],
        },
        {
            "id": "cloud",
            "name": "Hyper Cloud",
            "direct_usd": 10_000_000_000,
            "indirect_usd": 0,
            "share_of_inflow": 1.0,
            "gw": 2.0,
            "deals": ["m03"],
        },
        {
            "id": "dc",
            "name": "Data Center JV",
            "direct_usd": 0,
            "indirect_usd": 7_500_000_000,
            "share_of_inflow": 1.0,
            "gw": 0.0,
            "deals": ["m10"],
        },
        {
            "id": "chips",
            "name": "Chip Works",
            "direct_usd": 0,
            "indirect_usd": 4_000_000_000,
            "share_of_inflow": 1.0,
            "gw": 0.0,
            "deals": ["m05"],
        },
    ],
}


def test_exposure_by_hand(mini_client, mini_atlas):
    names = mini_atlas.dataset.companies["name"]
    expected = {**MINI_LAB, "companies": [{**c, "name": names[c["id"]]} for c in MINI_LAB["companies"]]}
    response = mini_client.get("/api/exposure?fail=lab")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == expected
    assert list(response.get_json()) == ["fail", "rounds", "total_at_risk_usd", "companies"]


def test_exposure_csv_twin(mini_client):
    response = mini_client.get("/api/exposure.csv?fail=lab")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "id,name,direct_usd,indirect_usd,share_of_inflow,gw,deals"
    assert lines[1] == "neo,Neo GPU,12000000000,0,0.8276,1.5,m16"
    assert [line.split(",")[0] for line in lines[1:]] == ["neo", "cloud", "dc", "chips"]


def test_exposure_takes_the_page_filters(mini_client):
    # before m16 (Aug 2025) neo has nothing unpaid from lab: only cloud's chain is left
    body = mini_client.get("/api/exposure?fail=lab&to=2025-06").get_json()
    assert [c["id"] for c in body["companies"]] == ["cloud", "dc", "chips"]
    assert body["total_at_risk_usd"] == 21_500_000_000


@pytest.mark.parametrize("query", ["", "?fail=", "?fail=~", "?fail=nobody", "?fail=lab~nobody", "?fail=lab&money=lots"])
def test_bad_or_missing_fail_is_a_400_naming_the_parameter(mini_client, query):
    for path in ("/api/exposure", "/api/exposure.csv"):
        response = mini_client.get(path + query)
        assert response.status_code == 400 and response.mimetype == "application/json"
        assert response.get_json()["param"] == ("money" if "money" in query else "fail")
    if query == "":
        assert response.get_json()["error"] == (
            "Name one or more failing companies: fail=<company id>, several joined with '~'."
        )


def test_several_failing_companies(mini_client):
    body = mini_client.get("/api/exposure?fail=lab~cloud").get_json()
    assert body["fail"] == ["lab", "cloud"]
    # cloud fails too: its m05 and m10 become direct losses; m03 (to a failing company) is no loss
    assert {c["id"]: c["direct_usd"] for c in body["companies"]} == {
        "neo": 12_000_000_000,
        "dc": 7_500_000_000,
        "chips": 4_000_000_000,
    }


def test_shipped_openai_scenario(shipped_atlas):
    client = create_app(atlas=shipped_atlas).server.test_client()
    body = client.get("/api/exposure?fail=openai").get_json()
    assert body["fail"] == ["openai"] and 1 <= body["rounds"] <= 10
    top = body["companies"][0]
    assert top["id"] == "oracle" and top["direct_usd"] == 300_000_000_000  # the July 2025 4.5 GW deal
    losses = [c["direct_usd"] + c["indirect_usd"] for c in body["companies"]]
    assert losses == sorted(losses, reverse=True)
    assert all(0 <= c["share_of_inflow"] <= 1 for c in body["companies"])
