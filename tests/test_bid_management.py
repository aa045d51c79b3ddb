"""ssup.bid_management: weighted bid/no-bid scoring, the presales plan and the technical quality gate."""

import pandas as pd
import pytest

from ssup import bid_management as bm


def pipeline(rows):
    columns = ["opportunity_id", "presales_days", "due_date", "strategic_fit", "win_chance", "technical_fit",
               "deal_size", "delivery_confidence"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    return frame


def capacity(days):
    weeks = pd.date_range("2026-07-06", periods=len(next(iter(days.values()))), freq="7D")
    return pd.DataFrame([{"agent_id": a, "week_start": w, "available_days": d}
                         for a, per_week in days.items() for w, d in zip(weeks, per_week)])


def test_weights_add_up_and_the_score_is_the_weighted_mean():
    assert sum(bm.BID_WEIGHTS.values()) == pytest.approx(1.0)
    p = pipeline([["A", 1, "2026-07-10", 5, 4, 3, 2, 1]])
    # 0.25 x 5 + 0.25 x 4 + 0.20 x 3 + 0.15 x 2 + 0.15 x 1 = 3.3
    assert bm.bid_scores(p).loc[0, "score"] == pytest.approx(3.3)


def test_threshold_and_knock_out():
    p = pipeline([["A", 1, "2026-07-10", 3, 3, 3, 3, 3],   # exactly 3.0: bid
                  ["B", 1, "2026-07-10", 3, 3, 3, 2, 2],   # 2.7: no bid
                  ["C", 1, "2026-07-10", 5, 5, 2, 5, 5]])  # 4.4 but technical fit 2: knock-out
    scored = bm.bid_scores(p)
    assert scored["decision"].tolist() == ["bid", "no_bid", "no_bid"]
    assert "knock-out" in scored.loc[2, "reason"] and "below 3" in scored.loc[1, "reason"]


def test_weights_must_add_up_to_one():
    with pytest.raises(ValueError, match="add up"):
        bm.bid_scores(pipeline([["A", 1, "2026-07-10", 3, 3, 3, 3, 3]]), weights={"strategic_fit": 0.5})


def test_plan_presales_best_first_preferred_consultant_and_declines():
    p = pipeline([["A", 5, "2026-07-20", 5, 5, 5, 5, 5],    # best: needs two weeks
                  ["B", 4, "2026-07-10", 4, 4, 4, 4, 4],    # due in week 1
                  ["C", 3, "2026-07-10", 3, 3, 3, 3, 3],    # due in week 1, lowest score: no room left
                  ["D", 2, "2026-07-20", 1, 1, 3, 1, 1]])   # no bid
    cap = capacity({"X": [4, 4], "Y": [4, 0]})
    result = bm.plan_presales(p, cap, preferred={"A": "Y"})
    a = result.assignments.set_index("opportunity_id")
    assert a["decision"].to_dict() == {"A": "assigned", "B": "assigned", "C": "declined", "D": "no_bid"}
    # Y has only 4 days before A's due date, so A goes to X (most free days); B then takes Y's week 1
    assert a.loc["A", "agent_id"] == "X" and a.loc["B", "agent_id"] == "Y"
    assert list(a.index) == ["A", "B", "C", "D"], "highest score first"
    assert result.load.loc["X"].tolist() == [4.0, 1.0] and result.load.loc["Y"].tolist() == [4.0, 0.0]
    assert ((result.capacity - result.load) >= 0).all().all(), "never more than the capacity"


def test_plan_presales_keeps_the_preferred_consultant_when_they_have_time():
    p = pipeline([["A", 3, "2026-07-20", 5, 5, 5, 5, 5]])
    result = bm.plan_presales(p, capacity({"X": [4, 4], "Y": [2, 2]}), preferred=pd.Series({"A": "Y"}))
    row = result.assignments.iloc[0]
    assert row["agent_id"] == "Y" and row["reason"] == "preferred consultant"
    assert row["first_week"] == pd.Timestamp("2026-07-06") and row["last_week"] == pd.Timestamp("2026-07-13")


def gate_tables():
    reqs = pd.DataFrame({"opportunity_id": ["B1"] * 3 + ["B2"] * 2, "requirement_id": ["R01", "R02", "R03", "R01", "R02"],
                         "mandatory": [True, False, True, True, True],
                         "compliance": ["full", None, "none", "full", "partial"],
                         "response": ["ok", None, "alternative", "ok", "ok"]})
    secs = pd.DataFrame({
        "opportunity_id": ["B1"] * 3 + ["B2"] * 2,
        "section": ["Executive summary", "Technical solution", "Commercial", "Technical solution", "Commercial"],
        "author_id": ["AM", "PS", "AM", "PS", "AM"],
        "devices_stated": [100, 100, 90, 40, 40], "gateways_stated": [None, 2, 2, 1, 1],
        "effort_days_stated": [None, None, 12.0, None, 6.0], "price_gbp_stated": [50_000.0, None, 50_000.0, None, 9_000.0],
        "signed_off_by": ["AL", "PS", None, "PL", "AL"],
        "signed_off_date": ["2026-06-25", "2026-06-25", None, "2026-06-25", "2026-06-26"]})
    return reqs, secs


def test_quality_gate_lists_every_problem():
    issues = bm.quality_gate(*gate_tables())
    assert issues.values.tolist() == [
        ["B1", "requirements_answered", "unanswered: R02"],
        ["B1", "mandatory_met", "mandatory requirement not met: R03"],
        ["B1", "figures_consistent", "devices: 100 in Executive summary, Technical solution; 90 in Commercial"],
        ["B1", "signed_off", "Commercial is not signed off"],
        ["B1", "signed_off", "Technical solution is signed off by its own author"],
    ]


def test_gate_summary_one_row_per_bid():
    summary = bm.gate_summary(*gate_tables())
    assert summary["passed"].to_dict() == {"B1": False, "B2": True}
    assert summary.loc["B1", "problems"] == "requirements_answered, mandatory_met, figures_consistent, signed_off"
