"""The /api endpoints against the real dataset, in-process through Flask's test client."""

from __future__ import annotations

import csv
import io

import pytest

from alliance.export import COMPANY_FIELDS, DEAL_FIELDS
from alliance.filters import filter_deals
from alliance.schema import DEAL_TYPES
from alliance.viewstate import parse
from components import api
from components.factory import create_app


@pytest.fixture(scope="module")
def atlas(shipped_atlas):
    return shipped_atlas


@pytest.fixture(scope="module")
def server(atlas):
    app = create_app(atlas=atlas)  # the shipped dataset, i.e. load_atlas()
    api.register(app.server, atlas)  # a no-op once the factory registers the API itself
    return app.server


@pytest.fixture()
def client(server):
    return server.test_client()


def expected_ids(atlas, query: str) -> list[str]:
    state, notices = parse(query, atlas.context)
    assert notices == []
    return list(filter_deals(atlas.dataset, state)["id"])


FILTER_QUERIES = [
    "",
    "types=chip_supply",
    "types=chip_supply,equity_investment",
    "types=",
    "roles=chipmaker,model_lab",
    "roles=investor",
    "from=2025-01&to=2025-06",
    "from=2024-03-15&to=2024-09-02",
    "to=2023-12",
    "min_amount=1e9",
    "min_amount=1e13",
    "types=compute_commitment&roles=cloud_provider,model_lab&from=2025-01&to=2026-03",
    "view=sankey&focus=openai&depth=2",  # layout and highlighting never remove deals
    "company=openai",
]


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_deals_match_filter_deals(client, atlas, query):
    response = client.get(f"/api/deals?{query}")
    assert response.status_code == 200
    body = response.get_json()
    ids = expected_ids(atlas, query)
    assert [d["id"] for d in body["deals"]] == ids
    assert body["count"] == len(ids) == len(body["deals"])


def test_unfiltered_view_has_every_deal(client, atlas):
    assert client.get("/api/deals").get_json()["count"] == len(atlas.dataset.deals)


def test_deals_json_shape(client):
    response = client.get("/api/deals?types=chip_supply,equity_investment&from=2025-01")
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["view", "query", "count", "deals"]
    assert body["query"] == "?types=equity_investment,chip_supply&from=2025-01"  # canonical form
    assert body["view"] == {
        "types": ["equity_investment", "chip_supply"],
        "roles": body["view"]["roles"], "from": "2025-01-01", "to": body["view"]["to"],
        "focus": None, "depth": 1, "min_amount": 0, "company": None, "deal": None, "cycle": None,
        "view": "network",
    }
    for deal in body["deals"]:
        assert list(deal) == list(DEAL_FIELDS)
        assert deal["deal_type"] in ("equity_investment", "chip_supply")
        assert deal["date"] >= "2025-01-01" and len(deal["date"]) == 10
        assert deal["amount_usd"] is None or isinstance(deal["amount_usd"], (int, float))
        assert deal["compute_gw"] is None or isinstance(deal["compute_gw"], float)
        if deal["amount_usd"] is None:
            assert deal["amount_as_stated"] == "undisclosed"
        assert deal["from_name"] and deal["to_name"]


def test_key_order_survives_json(client):
    raw = client.get("/api/deals?types=acquisition").get_data(as_text=True)
    assert raw.index('"view"') < raw.index('"query"') < raw.index('"count"') < raw.index('"deals"')
    assert raw.index('"id"') < raw.index('"date"') < raw.index('"notes"')


def test_deals_csv(client, atlas):
    query = "types=chip_supply,compute_commitment&from=2024-01"
    response = client.get(f"/api/deals.csv?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ai-alliance-deals.csv"'
    text = response.get_data(as_text=True)
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(DEAL_FIELDS)
    assert [r[0] for r in rows[1:]] == expected_ids(atlas, query)


def test_empty_csv_still_has_header(client):
    rows = list(csv.reader(io.StringIO(client.get("/api/deals.csv?min_amount=1e13").get_data(as_text=True))))
    assert rows == [list(DEAL_FIELDS)]


def test_csv_matches_json(client):
    deals = client.get("/api/deals?roles=chipmaker").get_json()["deals"]
    text = client.get("/api/deals.csv?roles=chipmaker").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(deals)
    for row, deal in zip(rows, deals):
        assert row["summary"] == deal["summary"] and row["notes"] == deal["notes"]
        assert row["amount_usd"] == ("" if deal["amount_usd"] is None else str(deal["amount_usd"]))


BAD_QUERIES = [
    ("types=warp_drive", "types"),
    ("types=chip_supply,warp_drive", "types"),
    ("roles=alien", "roles"),
    ("depth=7", "depth"),
    ("from=2025-13", "from"),
    ("to=yesterday", "to"),
    ("from=2025-11&to=2025-10", "from"),
    ("min_amount=abc", "min_amount"),
    ("min_amount=-5", "min_amount"),
    ("min_amount=nan", "min_amount"),
    ("view=foo", "view"),
    ("embed=maybe", "embed"),
    ("company=nobody", "company"),
    ("deal=nope", "deal"),
    ("cycle=%3Cscript%3E", "cycle"),
    ("types=%3Cscript%3Ealert(1)%3C/script%3E", "types"),
    ("&".join(f"p{i}=1" for i in range(150)), "query"),
]


@pytest.mark.parametrize(("query", "param"), BAD_QUERIES, ids=[q[:40] for q, _ in BAD_QUERIES])
@pytest.mark.parametrize("path", ["/api/deals", "/api/deals.csv", "/api/companies"])
def test_bad_params_are_a_400(client, path, query, param):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "param"}
    assert body["param"] == param
    assert body["error"]
    assert b"<" not in response.data and b"script" not in response.data


def test_undecodable_query_bytes_are_a_400(client):
    response = client.get("/api/deals", environ_overrides={"QUERY_STRING": "types=\xff\xfe"})  # raw bytes
    assert response.status_code == 400
    assert response.get_json() == {"error": "The query string is not valid UTF-8.", "param": "query"}


GARBAGE = [
    "%ff%fe%00",
    "%",
    "%%%25%zz",
    "&&&&",
    "=",
    "==&==&=x",
    "types",
    "types=%E2%80%AE%F0%9F%92%A5",
    "from=%00&to=%0a",
    "min_amount=1e999999",
    "min_amount=" + "9" * 5000,
    "from=0001-01&to=9999-12",
    "from=1500-01",
    "a" * 20000,
    "types=" + "chip_supply," * 3000,
    "&".join(["types=chip_supply"] * 99),
    "&".join(["types=chip_supply"] * 500),
    "focus=" + "%C3%A9" * 1000,
    "cycle=" + "~".join(["openai"] * 500),
]


@pytest.mark.parametrize("query", GARBAGE, ids=range(len(GARBAGE)))
@pytest.mark.parametrize("path", ["/api/deals", "/api/deals.csv", "/api/companies"])
def test_garbage_never_500s(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.get_json()) == {"error", "param"}


def test_repeated_param_last_wins(client, atlas):
    body = client.get("/api/deals?types=acquisition&types=chip_supply").get_json()
    assert body["view"]["types"] == ["chip_supply"]
    assert [d["id"] for d in body["deals"]] == expected_ids(atlas, "types=chip_supply")


def test_cache_headers_and_etag(client):
    first = client.get("/api/deals?types=chip_supply,equity_investment")
    same_view = client.get("/api/deals?types=equity_investment,chip_supply")
    other = client.get("/api/deals?types=chip_supply")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] and first.headers["ETag"] == same_view.headers["ETag"]
    assert first.headers["ETag"] != other.headers["ETag"]
    assert first.headers["ETag"] != client.get("/api/deals.csv?types=chip_supply,equity_investment").headers["ETag"]
    again = client.get("/api/deals?types=chip_supply,equity_investment",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_companies_unfiltered_is_everyone(client, atlas):
    for query in ("", "view=sankey&focus=openai", "types=" + ",".join(DEAL_TYPES)):  # all types = no filter
        body = client.get(f"/api/companies?{query}").get_json()
        assert body["count"] == len(atlas.dataset.companies) == len(body["companies"])
        assert [c["id"] for c in body["companies"]] == list(atlas.dataset.companies.index)


@pytest.mark.parametrize("query", ["types=chip_supply", "roles=neocloud", "from=2025-06&to=2025-09", "min_amount=1e13"])
def test_companies_in_filtered_view(client, atlas, query):
    deals = filter_deals(atlas.dataset, parse(query, atlas.context)[0])
    body = client.get(f"/api/companies?{query}").get_json()
    ids = [c["id"] for c in body["companies"]]
    assert set(ids) == set(deals["from_id"]) | set(deals["to_id"])
    assert body["count"] == len(ids)


def test_company_record_shape(client, atlas):
    company = client.get("/api/companies").get_json()["companies"][0]
    assert list(company) == list(COMPANY_FIELDS)
    assert isinstance(company["roles"], list) and company["primary_role"] in company["roles"]


def test_register_is_idempotent(server, atlas):
    rules = sorted(str(r) for r in server.url_map.iter_rules())
    api.register(server, atlas)
    assert sorted(str(r) for r in server.url_map.iter_rules()) == rules
    assert {"api_deals", "api_deals_csv", "api_companies"} <= set(server.view_functions)


def test_deals_carry_counted_and_supersedes(client):
    deals = {d["id"]: d for d in client.get("/api/deals").get_json()["deals"]}
    loi, stake = deals["2025-09-22-nvidia-openai-equity"], deals["2026-02-27-nvidia-openai-equity"]
    assert (loi["counted"], loi["status"], loi["supersedes"]) == (False, "superseded", "")
    assert (stake["counted"], stake["supersedes"]) == (True, "2025-09-22-nvidia-openai-equity")
    assert deals["2024-11-27-softbank-openai-equity"]["counted"] is False  # secondary purchase
    assert deals["2024-11-27-softbank-openai-equity"]["amount_kind"] == "secondary"


def test_csv_carries_counted_and_supersedes(client):
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(client.get("/api/deals.csv").get_data(as_text=True)))}
    assert rows["2026-02-27-nvidia-openai-equity"]["counted"] == "true"
    assert rows["2026-02-27-nvidia-openai-equity"]["supersedes"] == "2025-09-22-nvidia-openai-equity"
    assert rows["2025-09-22-nvidia-openai-equity"]["counted"] == "false"


def test_rounds_endpoint(client, atlas):
    response = client.get("/api/rounds")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["count"] == len(body["rounds"]) == len(atlas.dataset.rounds)
    series_h = next(r for r in body["rounds"] if r["id"] == "anthropic-2026-05-series-h")
    assert {k: series_h[k] for k in ("company_id", "date", "total_usd", "qualifier", "total_as_stated")} == {
        "company_id": "anthropic", "date": "2026-05-28", "total_usd": 65000000000, "qualifier": "exact",
        "total_as_stated": "$65B"}
    assert len(series_h["deal_ids"]) == 4 and "Coatue" in series_h["leads"]
    assert response.headers["Cache-Control"] and response.headers["ETag"]


def test_healthz_reports_freshness(client, atlas):
    body = client.get("/healthz").get_json()
    assert body["covered_through"] == atlas.dataset.covered_through
    assert body["covered_through"] >= atlas.dataset.deals["date"].max().strftime("%Y-%m-%d")
    assert body["compiled_on"] == atlas.dataset.compiled_on
