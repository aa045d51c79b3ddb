"""ssup.investment: appraising proposals, weighted scoring, the decision record and the project charter."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ssup import finance, investment  # noqa: E402
from ssup.investment import Charter, Decision, InvestmentPolicy  # noqa: E402

PROPOSALS = pd.DataFrame({"proposal_id": ["A", "B", "C"], "title": ["Alpha", "Beta", "Gamma"],
                          "objectives": ["O1;O2", "O3", "O4"], "delivery_months": [6, 3, 12]})


def flows(pid, capital, yearly, years=5, running=10.0):
    rows = [{"proposal_id": pid, "year": 0, "capital_gbp": capital, "running_cost_gbp": 0.0, "benefit_gbp": 0.0}]
    rows += [{"proposal_id": pid, "year": y, "capital_gbp": 0.0, "running_cost_gbp": running,
              "benefit_gbp": yearly + running} for y in range(1, years + 1)]
    return rows


CASHFLOWS = pd.DataFrame(flows("A", 300.0, 100.0) + flows("B", 100.0, 40.0) + flows("C", 200.0, 30.0))
RISKS = pd.DataFrame({"risk_id": ["R1", "R2", "R3"], "proposal_id": ["A", "A", "B"], "risk": ["x", "y", "z"],
                      "probability": [0.5, 0.1, 0.2], "impact_gbp": [20.0, 100.0, 50.0], "mitigation": ["m"] * 3})


def appraisal():
    return investment.appraise(PROPOSALS, CASHFLOWS, RISKS)


def test_net_cashflows_and_gaps_in_years():
    assert investment.net_cashflows(CASHFLOWS)["B"] == [-100.0] + [40.0] * 5
    broken = CASHFLOWS[~((CASHFLOWS.proposal_id == "A") & (CASHFLOWS.year == 2))]
    with pytest.raises(ValueError, match="without gaps"):
        investment.net_cashflows(broken)
    with pytest.raises(ValueError, match="missing"):
        investment.net_cashflows(CASHFLOWS.drop(columns="benefit_gbp"))


def test_strategic_fit_sums_the_weights_of_the_objectives_supported():
    assert investment.strategic_fit("O1;O2") == pytest.approx(0.6)
    assert investment.strategic_fit(["O3", "O3"]) == pytest.approx(0.25)
    assert investment.strategic_fit("") == 0.0
    with pytest.raises(ValueError, match="unknown objective"):
        investment.strategic_fit("O9")


def test_risk_exposure_is_the_emv_of_each_register():
    assert investment.risk_exposure(RISKS).to_dict() == {"A": 20.0, "B": 10.0}


def test_appraise_uses_finance_and_the_gate():
    table = appraisal()
    assert table.index.tolist() == ["A", "B", "C"]
    assert table.loc["A", "npv"] == pytest.approx(finance.npv(0.10, [-300] + [100] * 5))
    assert table.loc["B", "irr"] == pytest.approx(finance.irr([-100] + [40] * 5))
    assert table.loc["A", "discounted_payback"] == pytest.approx(finance.discounted_payback(0.10, [-300] + [100] * 5))
    assert table.loc["A", "risk_adjusted_npv"] == pytest.approx(table.loc["A", "npv"] - 20.0)
    assert table.loc["C", "risk_emv"] == 0.0 and table.loc["C", "capital_gbp"] == 200.0
    assert table["eligible"].tolist() == [True, True, False]
    assert table.loc["C", "gate"].startswith("NPV is not above zero")
    strict = investment.appraise(PROPOSALS, CASHFLOWS, RISKS, InvestmentPolicy(max_discounted_payback=3.5))
    assert strict.loc["A", "gate"] == "pays back after 3.5 years" and strict.loc["B", "eligible"]


def test_weighted_scores_rank_only_eligible_proposals_best_first():
    scores = investment.weighted_scores(appraisal())
    assert scores.index.tolist() == ["A", "B"] and scores["rank"].tolist() == [1, 2]
    # A: best NPV (1) and fit (1), worse payback (0) and risk (0): 0.35 + 0.30
    assert scores.loc["A", "score"] == pytest.approx(0.65) and scores.loc["B", "score"] == pytest.approx(0.35)
    payback_only = {"npv": 0.0, "discounted_payback": 1.0, "risk_emv": 0.0, "strategic_fit": 0.0}
    assert investment.best_proposal(appraisal(), payback_only) == "B"
    with pytest.raises(ValueError, match="unknown criteria"):
        investment.weighted_scores(appraisal(), {"beauty": 1.0})
    with pytest.raises(ValueError, match="nothing to score"):
        investment.weighted_scores(appraisal().assign(eligible=False))


def test_policy_weights_must_add_up_to_one_and_be_known():
    with pytest.raises(ValueError, match="add up to 1"):
        InvestmentPolicy(weights={"npv": 0.5})
    with pytest.raises(ValueError, match="unknown criteria"):
        InvestmentPolicy(weights={"npv": 0.5, "charm": 0.5})
    assert "10% a year" in investment.KESTREL_POLICY.table()["value"].tolist()


def good_decisions():
    return [Decision("A", "approve", "Highest NPV (£79) and best fit; pays back in 3.5 years; first on the score."),
            Decision("B", "reject", "NPV of £52 is positive but it ranks second on the weighted score this year."),
            Decision("C", "reject", "NPV is £86 below zero at the 10% hurdle rate, so it fails the policy's gate.")]


def test_decision_problems_accepts_a_complete_record():
    assert investment.decision_problems(good_decisions(), appraisal()) == []
    as_dict = {d.proposal_id: d for d in good_decisions()}
    assert investment.decision_problems(as_dict, appraisal()) == []


@pytest.mark.parametrize("change,phrase", [
    (lambda d: d[:2], "No decision yet for C"),
    (lambda d: d + [d[1]], "more than one decision"),
    (lambda d: [Decision("A", "maybe", d[0].reasons)] + d[1:], "write 'approve' or 'reject'"),
    (lambda d: d[:1] + [Decision("B", "approve", d[1].reasons)] + d[2:], "the policy allows 1"),
    (lambda d: [Decision("A", "reject", d[0].reasons), Decision("B", "approve", d[1].reasons), d[2]], "scores higher"),
    (lambda d: [Decision("A", "reject", d[0].reasons), d[1], Decision("C", "approve", d[2].reasons)], "fails the"),
    (lambda d: [Decision("A", "reject", d[0].reasons), d[1], d[2]], "Nothing is approved"),
    (lambda d: d[:2] + [Decision("C", "reject", "No.")], "too thin"),
    (lambda d: d[:2] + [Decision("C", "reject", "It does not fit what the board wants this year, so we say no.")],
     "quote no figure"),
    (lambda d: d + [Decision("Z", "reject", "x")], "There is no proposal 'Z'"),
])
def test_decision_problems_names_each_flaw(change, phrase):
    problems = investment.decision_problems(change(good_decisions()), appraisal())
    assert any(phrase in p for p in problems), problems


def test_decision_problems_needs_decision_objects():
    with pytest.raises(TypeError, match="Decision"):
        investment.decision_problems([("A", "approve")], appraisal())


def test_decision_record_carries_the_figures():
    log = investment.decision_record(good_decisions(), appraisal(), "Head of service", "2026-07-06")
    assert log["decision"].tolist() == ["approve", "reject", "reject"]
    assert log.loc[0, "npv"] == pytest.approx(appraisal().loc["A", "npv"])
    assert set(log["decided_by"]) == {"Head of service"}


def charter(**changes):
    values = dict(project="Alpha", proposal_id="A", sponsor="AGT-001", objectives=["O1"], budget_gbp=300.0,
                  start="2026-09-07",
                  milestones=pd.DataFrame({"task": ["Design", "Build", "Pilot", "Go-live"], "duration": [4, 12, 4, 0],
                                           "predecessors": ["", "Design", "Build", "Pilot"]}),
                  success_metrics=pd.DataFrame({"kpi": ["csat_pct", "reopen_pct"], "baseline": [78.0, 6.5],
                                                "target": [85.0, 5.0], "by": ["2027-09-30", "2027-09-30"]}))
    values.update(changes)
    return Charter(**values)


def test_charter_schedule_and_go_live():
    c = charter()
    table = c.schedule()
    assert table.loc["Build", "start_date"] == pd.Timestamp("2026-10-05")
    assert c.go_live() == pd.Timestamp("2026-09-07") + pd.Timedelta(weeks=20)
    assert c.problems(PROPOSALS, CASHFLOWS, baselines={"csat_pct": 78.2, "reopen_pct": 6.4}) == []
    text = c.summary()
    assert "Budget: £300" in text and "csat_pct: 78 -> 85 by 2027-09-30" in text


@pytest.mark.parametrize("changes,phrase", [
    ({"proposal_id": "Z"}, "There is no proposal 'Z'"),
    ({"budget_gbp": 250.0}, "not what the business case invests"),
    ({"objectives": ["O4"]}, "objectives should be ones the proposal supports"),
    ({"milestones": pd.DataFrame({"task": ["Design", "Go-live"], "duration": [4, 0], "predecessors": ["", "Design"]})},
     "at least four milestones"),
    ({"milestones": pd.DataFrame({"task": ["Design", "Build", "Pilot", "Launch"], "duration": [4, 12, 4, 0],
                                  "predecessors": ["", "Design", "Build", "Pilot"]})}, "no go-live task"),
    ({"milestones": pd.DataFrame({"task": ["Design", "Build", "Pilot", "Go-live"], "duration": [4, 30, 4, 0],
                                  "predecessors": ["", "Design", "Build", "Pilot"]})}, "promises it within 6 months"),
    ({"milestones": pd.DataFrame({"task": ["Design", "Build", "Pilot", "Go-live"], "duration": [4, 2, 4, 0],
                                  "predecessors": ["Go-live", "Design", "Build", "Pilot"]})}, "cannot be scheduled"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct"], "baseline": [78.0], "target": [85.0],
                                       "by": ["2027-09-30"]})}, "at least two success metrics"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct", "happiness"], "baseline": [78.0, 1.0],
                                       "target": [85.0, 2.0], "by": ["2027-09-30"] * 2})}, "not a scorecard KPI"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct", "reopen_pct"], "baseline": [78.0, 6.5],
                                       "target": [85.0, 7.0], "by": ["2027-09-30"] * 2})}, "lower is better"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct", "reopen_pct"], "baseline": [78.0, 6.5],
                                       "target": [85.0, 5.0], "by": ["2026-10-01"] * 2})}, "before go-live"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct"]})}, "columns kpi, baseline, target and by"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct", "csat_pct"], "baseline": [78.0, 78.0],
                                       "target": [85.0, 88.0], "by": ["2027-09-30"] * 2})}, "listed more than once"),
    ({"success_metrics": pd.DataFrame({"kpi": ["csat_pct", "csat_pct"], "baseline": [78.0, 78.0],
                                       "target": [85.0, 88.0], "by": ["2027-09-30"] * 2})}, "at least two success"),
    ({"sponsor": " "}, "Name the project and its sponsor"),
])
def test_charter_problems_name_each_flaw(changes, phrase):
    problems = charter(**changes).problems(PROPOSALS, CASHFLOWS)
    assert any(phrase in p for p in problems), problems


def test_charter_baselines_are_checked_against_the_measured_values():
    problems = charter().problems(PROPOSALS, CASHFLOWS, baselines={"csat_pct": 80.0, "reopen_pct": 6.5})
    assert len(problems) == 1 and "baseline of csat_pct" in problems[0]


def test_plot_proposals_marks_the_gate():
    ax = investment.plot_proposals(appraisal())
    assert "NPV" in ax.get_ylabel() and "payback" in ax.get_xlabel()
    assert [t.get_text() for t in ax.texts] == ["A", "B", "C"]
    assert ax.get_xlim()[1] > investment.KESTREL_POLICY.max_discounted_payback
    plt.close(ax.figure)


def test_weeks_per_month():
    assert math.isclose(investment.WEEKS_PER_MONTH * 12, 52)
