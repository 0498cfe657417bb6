"""The stress test (alliance/exposure.py) against hand-computed webs, and its properties.

The toy web is /work/shared/EXPOSURE.md's (F fails; a loop A -> B -> A); every expected number
below was worked out by hand there, in $B. The chain of 3 (F -> P -> Q -> R) is worked here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.exposure import exposure_record, stress_test
from alliance.ledger import build_ledger

B = 1e9


def web(rows) -> pd.DataFrame:
    """(id, from, to, $B, state[, GW]) -> a deals frame the ledger reads (no rounds)."""
    records = []
    for row in rows:
        did, src, dst, usd, state, *gw = row
        records.append(
            {
                "id": did,
                "from_id": src,
                "to_id": dst,
                "deal_type": "compute_commitment",
                "amount_usd": usd * B if usd is not None else float("nan"),
                "status": "announced",
                "amount_kind": "",
                "supersedes": "",
                "group_id": "",
                "money_state": state,
                "compute_gw": gw[0] if gw else float("nan"),
            }
        )
    return pd.DataFrame(records)


TOY = web(
    [
        ("1", "F", "A", 100, "contracted"),
        ("2", "F", "B", 50, "conditional"),
        ("3", "X", "A", 100, "paid"),
        ("4", "A", "B", 40, "contracted"),
        ("5", "A", "C", 20, "paid"),
        ("6", "Y", "B", 10, "paid"),
        ("7", "B", "C", 30, "contracted"),
        ("8", "B", "A", 10, "contracted"),
    ]
)


def run(frame, fail, **kw):
    return stress_test(build_ledger(frame), fail, **kw)


def test_toy_web_fixed_point_by_hand():
    result = run(TOY, ["F"])
    table = result.companies
    assert list(table.index) == ["A", "B", "C"]  # ranked by direct + indirect: 107.0, 70.4, 21.1
    assert table.loc["A", "direct_usd"] == 100 * B
    assert table.loc["B", "direct_usd"] == 50 * B
    assert table.loc["C", "direct_usd"] == 0
    # fixed point: s(A) = 105/206 ≈ 0.5097, s(B) ≈ 0.7039 (EXPOSURE.md); within 1%
    assert table.loc["A", "indirect_usd"] == pytest.approx(7.04 * B, rel=0.01)
    assert table.loc["B", "indirect_usd"] == pytest.approx(20.39 * B, rel=0.01)
    assert table.loc["C", "indirect_usd"] == pytest.approx(21.12 * B, rel=0.01)
    assert table.loc["A", "share_of_inflow"] == pytest.approx(0.510, rel=0.01)
    assert table.loc["B", "share_of_inflow"] == pytest.approx(0.704, rel=0.01)
    assert table.loc["C", "share_of_inflow"] == pytest.approx(0.422, rel=0.01)
    assert table["direct_usd"].sum() == 150 * B  # F's unpaid outflows
    assert "X" not in table.index and "Y" not in table.index  # they lose nothing
    assert 4 <= result.rounds <= 10
    kinds = result.deal_kinds()
    assert kinds == {"1": "lost", "2": "lost", "4": "at_risk", "7": "at_risk", "8": "at_risk"}  # 3, 5, 6 paid


def test_toy_rounds_by_hand():
    # EXPOSURE.md's round-by-round table, from X = 0, all companies updated together
    expected = {1: (5.00, 19.05, 15.00), 2: (6.90, 20.00, 20.71), 3: (7.00, 20.36, 21.00), 4: (7.04, 20.38, 21.11)}
    for rounds, values in expected.items():
        table = run(TOY, ["F"], converged_usd=0, max_rounds=rounds).companies
        got = tuple(round(table.loc[c, "indirect_usd"] / B, 2) for c in ("A", "B", "C"))
        assert got == pytest.approx(values, abs=0.011), rounds


def test_toy_with_f_and_b_failing_by_hand():
    result = run(TOY, ["F", "B"])
    table = result.companies
    # deals 2 (F -> B) and 4 (A -> B) go to a failing company: neither lost nor at risk
    assert result.deal_kinds() == {"1": "lost", "7": "lost", "8": "lost"}
    assert "B" not in table.index  # a failing company's own inflows are not counted (deal 4 is no loss)
    assert (table.loc["A", "direct_usd"], table.loc["A", "indirect_usd"]) == (110 * B, 0)  # deals 1 and 8
    assert (table.loc["C", "direct_usd"], table.loc["C", "indirect_usd"]) == (30 * B, 0)  # deal 7


CHAIN = web(
    [
        ("c1", "F", "P", 100, "contracted", 1.0),
        ("c2", "Z", "P", 100, "paid"),
        ("c3", "P", "Q", 60, "contracted", 0.4),
        ("c4", "Z", "Q", 60, "paid"),
        ("c5", "Q", "R", 40, "conditional"),
    ]
)


def test_chain_of_three_by_hand():
    result = run(CHAIN, ["F"])
    table = result.companies
    # P loses c1 (100 of its 200 in): s(P) = 0.5; Q loses 0.5 x 60 = 30 of its 120: s(Q) = 0.25;
    # R loses 0.25 x 40 = 10 of its 40. Round 1 finds Q's 30, round 2 R's 10, round 3 no change.
    assert table.loc["P"].tolist()[:2] == [100 * B, 0]
    assert table.loc["Q", "indirect_usd"] == pytest.approx(30 * B)
    assert table.loc["R", "indirect_usd"] == pytest.approx(10 * B)
    assert table["share_of_inflow"].round(4).to_dict() == {"P": 0.5, "Q": 0.25, "R": 0.25}
    assert table["gw"].round(4).to_dict() == {"P": 1.0, "Q": 0.2, "R": 0.0}  # c1's 1 GW lost, half of c3's 0.4
    assert result.rounds == 3
    assert result.total_at_risk_usd == pytest.approx(140 * B)


def test_record_shape():
    names = pd.Series({"P": "Papa", "Q": "Quebec", "R": "Romeo"})
    record = exposure_record(run(CHAIN, ["F"]), names)
    assert list(record) == ["fail", "rounds", "total_at_risk_usd", "companies"]
    assert record["fail"] == ["F"] and record["rounds"] == 3 and record["total_at_risk_usd"] == 140_000_000_000
    assert record["companies"][0] == {
        "id": "P",
        "name": "Papa",
        "direct_usd": 100_000_000_000,
        "indirect_usd": 0,
        "share_of_inflow": 0.5,
        "gw": 1.0,
        "deals": ["c1"],
    }
    assert [c["id"] for c in record["companies"]] == ["P", "Q", "R"]
    assert record["companies"][2]["deals"] == ["c5"]


def test_nobody_failing_loses_nothing():
    result = run(TOY, [])
    assert result.companies.empty and result.total_at_risk_usd == 0


# --- properties ------------------------------------------------------------------------------
NAMES = list("abcdef")
deal_rows = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.integers(1, 500),
        st.sampled_from(["paid", "contracted", "conditional"]),
    ),
    min_size=1,
    max_size=14,
)


def frame_of(rows):
    return web([(f"d{i}", a, b, usd / 10, state) for i, (a, b, usd, state) in enumerate(rows) if a != b])


@settings(max_examples=100, deadline=None)
@given(deal_rows, st.sets(st.sampled_from(NAMES), max_size=3), st.sampled_from(NAMES))
def test_adding_a_failing_company_never_lowers_a_loss(rows, fail, extra):
    frame = frame_of(rows)
    if frame.empty:
        return
    # the same number of rounds on both sides (iterates grow with the rounds and with the fail set)
    before = run(frame, sorted(fail), converged_usd=-1, max_rounds=10).companies["loss_usd"]
    after = run(frame, sorted(fail | {extra}), converged_usd=-1, max_rounds=10).companies["loss_usd"]
    for company, loss in before.items():
        if company not in fail | {extra}:
            assert after.get(company, 0.0) >= loss - 1e-3


@settings(max_examples=100, deadline=None)
@given(deal_rows, st.sets(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_direct_losses_sum_to_the_failing_companies_unpaid_outflows(rows, fail):
    frame = frame_of(rows)
    if frame.empty:
        return
    unpaid = frame[
        frame["from_id"].isin(fail)
        & ~frame["to_id"].isin(fail)
        & frame["money_state"].isin(["contracted", "conditional"])
    ]
    assert run(frame, sorted(fail)).companies["direct_usd"].sum() == pytest.approx(unpaid["amount_usd"].sum())


@settings(max_examples=100, deadline=None)
@given(deal_rows, st.sets(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_paid_deals_are_never_at_risk(rows, fail):
    frame = frame_of(rows)
    if frame.empty:
        return
    result = run(frame, sorted(fail))
    paid = set(frame.loc[frame["money_state"] == "paid", "id"])
    assert not paid & set(result.deal_kinds())
    # and no company loses more than its unpaid inflow from others
    for company, loss in result.companies["loss_usd"].items():
        unpaid_in = frame[(frame["to_id"] == company) & (frame["money_state"] != "paid")]["amount_usd"].sum()
        assert loss <= unpaid_in + 1e-3


def test_the_sixth_story_states_the_computed_figures(shipped_atlas):
    """'If OpenAI cannot pay': every figure in its caption is the stress test's, formatted as the page does."""
    from alliance.i18n import money

    story = next(s for s in shipped_atlas.stories if s.id == "if-openai-cannot-pay")
    state, notices = shipped_atlas.parse(story.query)
    assert notices == () and state.fail == ("openai",)
    result = shipped_atlas.exposure(state)
    table = result.companies

    def loss(company, kind):
        return money(table.loc[company, f"{kind}_usd"])

    def share(company):
        return f"{table.loc[company, 'share_of_inflow']:.0%}"

    expected = [
        f"{money(result.total_at_risk_usd)} owed to others would be at risk",
        f"Oracle would lose {loss('oracle', 'direct')} directly, {share('oracle')} of the money",
        f"Microsoft would lose {loss('microsoft', 'direct')} directly",
        f"Amazon {loss('amazon', 'direct')} plus {loss('amazon', 'indirect')} down the chain",
        f"Cerebras {loss('cerebras', 'direct')}, {share('cerebras')} of its counted inflow",
        f"Anthropic loses {loss('anthropic', 'indirect')}",
        f"Google {loss('google', 'indirect')} of Anthropic's compute commitment",
    ]
    for phrase in expected:
        assert phrase in story.caption, phrase
    import re

    assert len(re.findall(r"\$[\d.]+B|\d+%", story.caption)) == 10  # no figure the test does not check
    # the caption's cited deals are the ones behind those losses
    behind = {d for ids in table["deals"] for d in ids}
    assert set(story.deals) <= behind
