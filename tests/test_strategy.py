"""ssup.strategy: objectives, the service strategy and its scorecard, the service policy and the KPIs."""

import math

import numpy as np
import pandas as pd
import pytest

from ssup import metrics, strategy
from ssup.data import load


# -- objectives and strategy --------------------------------------------------------------------------
def test_objective_weights_add_up_to_one_and_every_objective_has_a_goal_and_a_kpi():
    table = strategy.objectives_table()
    assert math.isclose(table["weight"].sum(), 1.0)
    plan = strategy.strategy_table()
    assert set(plan["objective"]) == set(table.index)
    assert set(plan["kpi"]) <= set(strategy.KPIS)
    assert plan["kpi"].is_unique
    assert (plan["direction"] == plan["kpi"].map(lambda k: strategy.KPIS[k].direction)).all()


def test_strategy_table_refuses_an_unknown_kpi():
    with pytest.raises(ValueError, match="unknown KPI 'smiles'"):
        strategy.strategy_table([("O1", "goal", "smiles", 1.0)])


def test_kpi_direction_is_checked():
    with pytest.raises(ValueError, match="direction"):
        strategy.KPI("x", "meaning", "up")


# -- scorecard --------------------------------------------------------------------------------------------
PLAN = pd.DataFrame({"objective": ["O1", "O2", "O2", "O3"], "kpi": ["a", "b", "c", "d"],
                     "direction": ["higher", "higher", "lower", "lower"], "target": [80.0, 50.0, 5.0, 10.0]})


def test_scorecard_gap_is_signed_so_positive_is_better():
    card = strategy.scorecard({"a": 90.0, "b": 48.0, "c": 4.0, "d": 12.0}, PLAN)
    assert card["gap"].tolist() == [10.0, -2.0, 1.0, -2.0]
    assert card["status"].tolist() == ["on target", "near target", "on target", "off target"]


def test_scorecard_tolerance_and_exact_target():
    card = strategy.scorecard({"a": 80.0, "b": 47.5, "c": 5.25, "d": 10.0}, PLAN, tolerance=0.05)
    assert card["status"].tolist() == ["on target", "near target", "near target", "on target"]
    strict = strategy.scorecard({"a": 79.9, "b": 50, "c": 5, "d": 10}, PLAN, tolerance=0.0)
    assert strict["status"].tolist()[0] == "off target"


def test_scorecard_needs_every_kpi_and_the_columns():
    with pytest.raises(ValueError, match="no measured value for b"):
        strategy.scorecard({"a": 1.0, "c": 1.0, "d": 1.0}, PLAN)
    with pytest.raises(ValueError, match="direction"):
        strategy.scorecard({"a": 1.0}, PLAN[["kpi", "target"]])


def test_scorecard_missing_value_is_off_target():
    card = strategy.scorecard({"a": float("nan"), "b": 50, "c": 5, "d": 10}, PLAN)
    assert card.loc[0, "status"] == "off target"


# -- the service policy ---------------------------------------------------------------------------------
def test_required_plan_takes_the_higher_minimum():
    assert strategy.required_plan("SMB", "mining") == "SUP-STANDARD"
    assert strategy.required_plan("Enterprise", "mining") == "SUP-PREMIUM"
    assert strategy.required_plan("SMB", "pharma") == "SUP-PREMIUM"
    with pytest.raises(ValueError, match="unknown segment"):
        strategy.required_plan("Huge", "pharma")


def test_policy_gaps_lists_only_accounts_below_their_minimum():
    customers = pd.DataFrame({
        "customer_id": ["C3", "C1", "C2", "C4", "C5"], "name": list("abcde"),
        "segment": ["Enterprise", "SMB", "SMB", "Enterprise", "Mid-market"],
        "industry": ["mining", "pharma", "pharma", "mining", "water"],
        "support_plan": ["SUP-STANDARD", "SUP-STANDARD", "SUP-CRITICAL", "SUP-PREMIUM", "SUP-STANDARD"]})
    gaps = strategy.policy_gaps(customers)
    assert gaps["customer_id"].tolist() == ["C1", "C3"]
    assert gaps["required_plan"].tolist() == ["SUP-PREMIUM", "SUP-PREMIUM"]
    with pytest.raises(ValueError, match="unknown support plan"):
        strategy.policy_gaps(customers.assign(support_plan="SUP-GOLD"))


def test_policy_table_shows_every_rule_with_its_attainment_target():
    table = strategy.policy_table()
    assert len(table) == len(strategy.SEGMENT_MINIMUM) + len(strategy.INDUSTRY_MINIMUM)
    assert set(table["attainment_target_pct"]) <= {100 * v for v in strategy.ATTAINMENT_TARGET.values()}


# -- measuring on a small hand-made world ------------------------------------------------------------------
def tiny_world():
    products = load("products")
    customers = pd.DataFrame({"customer_id": ["A", "B"], "name": ["a", "b"], "segment": ["SMB", "Enterprise"],
                              "industry": ["pharma", "water"], "support_plan": ["SUP-PREMIUM", "SUP-STANDARD"]})
    ts = pd.to_datetime
    tickets = pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3", "T4"], "customer_id": ["A", "A", "B", "B"],
        "priority": ["P2", "P3", "P2", "P4"], "channel": ["email", "phone", "portal", "email"],
        "status": ["closed"] * 4,
        # Premium P2 target 4 h: T1 answered after 5 support hours (late); T2 at once; Standard P2 8 h: T3 on time.
        "created_at": ts(["2026-03-02 09:00", "2026-03-03 10:00", "2026-03-04 09:00", "2025-01-06 09:00"]),
        "first_response_at": ts(["2026-03-02 14:00", "2026-03-03 10:01", "2026-03-04 10:00", "2025-01-06 10:00"]),
        "resolved_at": ts(["2026-03-03 09:00", "2026-03-03 12:00", "2026-03-05 09:00", "2025-01-07 09:00"]),
        "escalated": [True, False, False, False], "reopened": [True, False, False, False],
        "csat": pd.array([2, 5, 4, 1], dtype="Int64"), "nps": pd.array([3, 10, pd.NA, 0], dtype="Int64")})
    calls = pd.DataFrame({"interval_start": ts(["2026-03-02 09:00", "2026-03-02 10:00", "2025-03-03 09:00"]),
                          "calls_offered": [10, 10, 5], "abandoned": [1, 0, 0], "answered_within_20s": [8, 9, 5]})
    return tickets, customers, products, calls


def test_service_kpis_on_a_hand_made_world():
    tickets, customers, products, calls = tiny_world()
    kpis = strategy.service_kpis(tickets, customers, products, calls, "2026-01-01", "2026-07-01")
    assert kpis["sla_met_pct"] == pytest.approx(200 / 3)  # T1 late, T2 and T3 on time
    assert kpis["csat_pct"] == pytest.approx(200 / 3)  # resolved in the period: 2, 5, 4
    assert kpis["nps"] == 0.0  # 3 (detractor) and 10 (promoter)
    assert kpis["reopen_pct"] == pytest.approx(100 / 3)
    assert kpis["first_line_resolution_pct"] == pytest.approx(200 / 3)
    assert kpis["phone_service_level_pct"] == 85.0 and kpis["abandon_pct"] == 5.0
    assert kpis["plan_compliance_pct"] == 50.0  # B is Enterprise on Standard
    assert kpis["cold_chain_sla_met_pct"] == 50.0  # A is pharma: T1 late, T2 on time
    assert set(kpis.index) == set(strategy.KPIS)


def test_sla_attainment_per_plan_on_a_hand_made_world():
    tickets, customers, products, _ = tiny_world()
    table = strategy.sla_attainment(tickets, customers, products, "2026-01-01", "2026-07-01")
    assert table.index.tolist() == ["SUP-STANDARD", "SUP-PREMIUM"]
    assert table["tickets"].tolist() == [1, 2] and table["met"].tolist() == [1, 1]
    assert table["meets_policy"].tolist() == [True, False]


def test_service_kpis_agree_with_plain_pandas_on_the_company_data():
    tickets, customers, products, calls = load("tickets"), load("customers"), load("products"), load("phone_calls")
    kpis = strategy.service_kpis(tickets, customers, products, calls, "2025-07-01", "2026-07-01")
    resolved = tickets[(tickets.resolved_at >= "2025-07-01") & (tickets.resolved_at < "2026-07-01")]
    created = tickets[(tickets.created_at >= "2025-07-01") & (tickets.created_at < "2026-07-01")]
    scores = resolved.csat.dropna()
    assert kpis["csat_pct"] == pytest.approx(100 * (scores >= 4).mean())
    assert kpis["nps"] == pytest.approx(metrics.nps(resolved.nps))
    assert kpis["first_line_resolution_pct"] == pytest.approx(100 * (1 - created.escalated.mean()))
    recent = calls[calls.interval_start >= "2025-07-01"]
    assert kpis["phone_service_level_pct"] == pytest.approx(
        100 * recent.answered_within_20s.sum() / recent.calls_offered.sum())
    assert all(0 <= v <= 100 for k, v in kpis.items() if k != "nps")


def test_sla_attainment_covers_every_plan_on_the_company_data():
    table = strategy.sla_attainment(load("tickets"), load("customers"), load("products"), "2025-07-01", "2026-07-01")
    assert table.index.tolist() == list(strategy.PLAN_ORDER)
    assert np.all((table["attainment_pct"] > 80) & (table["attainment_pct"] <= 100))
