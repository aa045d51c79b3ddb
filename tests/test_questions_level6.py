"""Level 6 questions: a right answer, wrong answers (with the reason the trainee reads) and a missing one.

Right answers are computed here from the data with pandas and the tested helpers, never through the question
module's own functions, and never typed in.
"""

import numpy as np
import pandas as pd
import pytest

from ssup import finance, staffing, strategy, workforce
from ssup.data import load
from ssup.investment import Charter, Decision, appraise, net_cashflows, weighted_scores
from ssup.questions import level6
from tests.questionkit import Case, Lazy, make_tests

START, END = "2025-07-01", "2026-07-01"


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def resolved_in(start=START, end=END, column="resolved_at"):
    t = load("tickets")
    return t[(t[column] >= start) & (t[column] < end)]


def csat(tickets):
    scores = tickets.csat.dropna()
    return 100 * float((scores >= 4).mean())


def below_policy():
    c = load("customers")
    standard = c.support_plan == "SUP-STANDARD"
    return sorted(c.customer_id[standard & ((c.segment == "Enterprise") | (c.industry == "pharma"))])


def enterprise_only():
    c = load("customers")
    return sorted(c.customer_id[(c.support_plan == "SUP-STANDARD") & (c.segment == "Enterprise")])


def card():
    t, c, p, calls = load("tickets"), load("customers"), load("products"), load("phone_calls")
    return strategy.scorecard(strategy.service_kpis(t, c, p, calls, START, END))


def kpis_with(status):
    table = card()
    return list(table.kpi[table.status == status])


def forecast(month="2026-09", **kwargs):
    return workforce.forecast_month(load("phone_calls"), month, **kwargs)


def aht():
    recent = load("phone_calls").query("interval_start >= '2026-04-01'")
    return float((recent.aht_seconds * recent.calls_answered).sum() / recent.calls_answered.sum())


def plan(month="2026-09"):
    return staffing.staffing_plan(forecast(month), aht(), 20, 0.8, shrinkage=0.3)


def scenarios():
    return workforce.staffing_scenarios(forecast(), {"80": {}, "90": {"service_level_target": 0.9}},
                                        aht_seconds=aht(), shrinkage=0.3)


def comparison(rate=0.10, flows=None):
    return finance.compare_proposals(flows or net_cashflows(load("proposal_cashflows")), rate)


def excel_style():
    table = comparison()
    table["npv"] = table["npv"] / 1.10
    return table


def gross_of_running_costs():
    return comparison(flows=net_cashflows(load("proposal_cashflows").assign(running_cost_gbp=0.0)))


def appraisal():
    return appraise(load("proposals"), load("proposal_cashflows"), load("proposal_risks"))


def best():
    return str(weighted_scores(appraisal()).index[0])


def best_irr():
    return str(appraisal().irr.idxmax())


def failing():
    table = appraisal()
    return str(table.index[~table.eligible][0])


def second():
    return str(weighted_scores(appraisal()).index[1])


def decisions(approve=None, thin=None, no_figures=None, leave_out=None, extra_approve=None):
    table = appraisal()
    approve = approve or best()
    out = []
    for pid, row in table.iterrows():
        if pid == leave_out:
            continue
        verdict = "approve" if pid in (approve, extra_approve) else "reject"
        reasons = (f"{verdict.title()}: NPV {row.npv:,.0f} GBP at the hurdle rate, payback "
                   f"{row.discounted_payback:.1f} years and risk EMV {row.risk_emv:,.0f} GBP.")
        if pid == thin:
            reasons = "Not this year."
        if pid == no_figures:
            reasons = "It does not fit what the board wants from customer service this year, so we say no."
        out.append(Decision(pid, verdict, reasons))
    return out


def baselines():
    t, c, p, calls = load("tickets"), load("customers"), load("products"), load("phone_calls")
    return strategy.service_kpis(t, c, p, calls, START, END)


def charter(proposal=None, budget=None, go_live_weeks=4, metric_target=None, baseline_shift=0.0, start="2026-09-07"):
    pid = proposal or best()
    case = load("proposals").set_index("proposal_id").loc[pid]
    flows = load("proposal_cashflows")
    capital = float(flows[(flows.proposal_id == pid) & (flows.year == 0)].capital_gbp.iloc[0])
    milestones = pd.DataFrame({"task": ["Design", "Build", "Test", "Train", "Go-live"],
                               "duration": [6, 10, 4, go_live_weeks, 0],
                               "predecessors": ["", "Design", "Build", "Test", "Train"]})
    base = baselines()
    metrics = pd.DataFrame({
        "kpi": ["reopen_pct", "csat_pct"],
        "baseline": [round(base["reopen_pct"], 1) + baseline_shift, round(base["csat_pct"], 1)],
        "target": [metric_target if metric_target is not None else round(base["reopen_pct"] * 0.75, 1),
                   round(base["csat_pct"] + 4, 1)],
        "by": ["2027-12-31", "2027-12-31"]})
    return Charter(project=str(case.title), proposal_id=pid, sponsor=str(case.sponsor_agent_id),
                   objectives=str(case.objectives).split(";"), budget_gbp=capital if budget is None else budget,
                   start=start, milestones=milestones, success_metrics=metrics)


CASES = {
    "L6.q1": Case(right=[Lazy(lambda: csat(resolved_in()))],
                  wrong=[(Lazy(lambda: float(resolved_in().csat.mean())), "average score"),
                         (Lazy(lambda: csat(resolved_in()) / 100), "fraction"),
                         (Lazy(lambda: csat(resolved_in(column="created_at"))), "resolved in it"),
                         (Lazy(lambda: csat(load("tickets"))), "both years"),
                         (Lazy(lambda: csat(resolved_in("2024-07-01", "2025-07-01"))), "twelve months before"),
                         (1.0, "too low"), ("78%", "should be a number")]),
    "L6.q2": Case(right=[Lazy(below_policy), Lazy(lambda: set(below_policy())),
                         Lazy(lambda: [x.lower() for x in below_policy()])],
                  wrong=[(Lazy(enterprise_only), "segment rule only"),
                         (Lazy(lambda: below_policy() + ["CUS-0001"] if "CUS-0001" not in below_policy()
                               else below_policy()[1:]), "CUS-0001"),
                         (Lazy(lambda: below_policy()[:-1]), "more belong"),
                         ("CUS-0001", "should be a list")]),
    "L6.q3": Case(right=[Lazy(lambda: kpis_with("off target")), Lazy(lambda: tuple(kpis_with("off target")))],
                  wrong=[(Lazy(lambda: kpis_with("off target") + kpis_with("near target")), "near target"),
                         (Lazy(lambda: kpis_with("off target")[:1]), "more belong"),
                         ("csat_pct", "should be a list")]),
    "L6.q4": Case(right=[Lazy(forecast)],
                  wrong=[(Lazy(lambda: forecast("2026-07")), "July"),
                         (Lazy(lambda: forecast(growth=0.0)), "no growth"),
                         (Lazy(lambda: forecast(profile_weeks=8)), "differ"),
                         (5, "DataFrame")]),
    "L6.q5": Case(right=[Lazy(lambda: plan().agents), Lazy(lambda: plan().agents.tolist()), Lazy(plan)],
                  wrong=[(Lazy(lambda: plan().scheduled), "after shrinkage"),
                         (Lazy(lambda: plan("2026-07").agents), "July"),
                         (Lazy(lambda: [1] * 50), "below 80%"),
                         (Lazy(lambda: (plan().agents + 1).tolist()), "one agent fewer"),
                         ([2] * 10, "50 intervals"),
                         ("three", "one number of agents per interval")]),
    "L6.q6": Case(right=[Lazy(lambda: float(scenarios().scheduled_hours.diff().iloc[1]))],
                  wrong=[(Lazy(lambda: float(scenarios().agent_hours.diff().iloc[1])), "scheduled hours"),
                         (Lazy(lambda: float(scenarios().scheduled_hours.iloc[1])), "whole week"),
                         ("43", "should be a number")]),
    "L6.q7": Case(right=[Lazy(comparison),
                         Lazy(lambda: comparison().reset_index().rename(columns={"proposal": "proposal_id"}))],
                  wrong=[(Lazy(excel_style), "Excel"),
                         (Lazy(gross_of_running_costs), "running costs"),
                         (Lazy(lambda: comparison(0.08)), "hurdle rate"),
                         (Lazy(lambda: comparison()[["npv", "irr"]]), "missing"),
                         (5, "table")]),
    "L6.q8": Case(right=[Lazy(best), Lazy(lambda: best().lower())],
                  wrong=[(Lazy(failing), "gate"), (Lazy(best_irr), "best IRR"),
                         (Lazy(second), "not the one"), ("PRP-99", "choose one of")]),
    "L6.q9": Case(right=[Lazy(decisions), Lazy(lambda: {d.proposal_id: d for d in decisions()})],
                  wrong=[(Lazy(lambda: decisions(extra_approve=second())), "allows"),
                         (Lazy(lambda: decisions(approve=second())), "scores higher"),
                         (Lazy(lambda: decisions(approve=failing())), "gate"),
                         (Lazy(lambda: decisions(thin=second())), "too thin"),
                         (Lazy(lambda: decisions(no_figures=failing())), "no figure"),
                         (Lazy(lambda: decisions(leave_out=failing())), "No decision yet"),
                         ("approve PRP-03", "list of Decision")]),
    "L6.q10": Case(right=[Lazy(charter)],
                   wrong=[(Lazy(lambda: charter(budget=1.0)), "budget"),
                          (Lazy(lambda: charter(go_live_weeks=40)), "promises"),
                          (Lazy(lambda: charter(metric_target=99.0)), "not better"),
                          (Lazy(lambda: charter(baseline_shift=3.0)), "data says otherwise"),
                          (Lazy(lambda: charter(proposal=second())), "not the proposal"),
                          (Lazy(lambda: charter(start="2026-10-01")), "starts on"),
                          ({"project": "CRM"}, "Charter(")]),
}

test_every_question_has_cases, test_question = make_tests(level6, CASES)


def test_staffing_check_is_about_every_interval():
    """The right plan meets the target in every interval, and each interval is tight (one fewer agent fails)."""
    right = plan()
    checked = workforce.check_plan(forecast(), right.agents, aht())
    assert checked.meets.all()
    fewer = workforce.check_plan(forecast(), np.maximum(right.agents - 1, 0), aht())
    assert not fewer.meets.any()
