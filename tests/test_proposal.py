"""Tests for ssup.proposal: calibration on history, the work breakdown, cost items, the schedule simulation,
the risk register and the estimate summary.

The schedule simulation is checked against a published CPM example (Heizer & Render's Milwaukee Paper
network, project length 15 weeks) and against ssup.plan; the other figures against plain pandas
calculations on projects.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ssup import estimate, plan, proposal, risk
from ssup.data import load


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


@pytest.fixture(scope="module")
def projects():
    return load("projects")


def test_overrun_ratios_match_a_plain_percentile(projects):
    done = projects[(projects.status == "completed")]
    ratio = done.actual_effort_days / done.estimated_effort_days
    mine = ratio[(done.project_type == "integration_heavy") & (ratio <= 4)]
    got = proposal.overrun_ratios(projects, "integration_heavy")
    assert got["projects"] == len(mine)
    assert got["P50"] == pytest.approx(np.percentile(mine, 50), abs=0.001)
    assert got["P10"] <= got["P50"] <= got["P90"]


def test_overrun_ratios_leave_out_the_hours_booked_as_days(projects):
    assert proposal.overrun_ratios(projects, "standard_install")["P90"] < proposal.IMPLAUSIBLE_RATIO


def test_overrun_ratios_fall_back_to_all_projects_for_rare_types(projects):
    assert proposal.overrun_ratios(projects, "no_such_type")["projects"] > 100


def test_travel_per_site_is_what_the_estimates_include(projects):
    travel = (projects.estimated_cost_gbp - projects.estimated_effort_days * 850) / projects.sites
    assert proposal.travel_per_site(projects) == pytest.approx(round(travel.median()))


@pytest.fixture(scope="module")
def wbs(projects):
    return proposal.work_breakdown(sensors=726, gateways=2, sites=2, integration="mqtt", hardware_lead_days=21,
                                   projects=projects)


def test_work_breakdown_is_a_valid_plan(wbs):
    assert wbs["task"].tolist() == ["KICK", "SURV", "HW", "PLAT", "GWI", "SNS", "INT", "SAT", "TRN", "LIVE"]
    assert (wbs.optimistic <= wbs.most_likely).all() and (wbs.most_likely <= wbs.pessimistic).all()
    table = proposal.plan_table(wbs)
    schedule = plan.schedule(table)
    assert schedule.loc["LIVE", "ef"] == pytest.approx(plan.project_duration(table))
    assert plan.critical_path(table)[-1] == "LIVE"


def test_work_breakdown_without_integration_has_no_int_task(projects):
    wbs = proposal.work_breakdown(100, 1, 1, "none", 7, projects)
    assert "INT" not in set(wbs.task)
    assert wbs.set_index("task").loc["SAT", "predecessors"] == ["SNS"]


def test_hardware_lead_time_slips_but_never_shrinks(wbs):
    hw = wbs.set_index("task").loc["HW"]
    assert (hw.optimistic, hw.most_likely, hw.pessimistic) == (21, 21, 21 * proposal.LEAD_TIME_SLIP)
    assert hw.effort_pessimistic == 0


def test_labour_tasks_are_scaled_by_history(wbs, projects):
    ratios = proposal.overrun_ratios(projects, "standard_install")
    sns = wbs.set_index("task").loc["SNS"]
    assert sns.effort_most_likely == pytest.approx(round(726 / 35 * ratios["P50"], 1))
    assert sns.effort_pessimistic == pytest.approx(round(726 / 35 * ratios["P90"], 1))


def test_cost_items_are_effort_at_the_day_rate_plus_travel(wbs, projects):
    items = proposal.cost_items(wbs, sites=2, projects=projects)
    labour = wbs[wbs.effort_pessimistic > 0]
    assert items["most_likely"].sum() == pytest.approx(labour.effort_most_likely.sum() * 850
                                                       + 2 * proposal.travel_per_site(projects))
    totals = estimate.monte_carlo(items, n=2000, seed=1)
    assert items.optimistic.sum() <= totals.min() and totals.max() <= items.pessimistic.sum()


# Heizer & Render, Operations Management, Ch. 3: Milwaukee Paper (weeks); project length 15.
MILWAUKEE = pd.DataFrame({"task": list("ABCDEFGH"), "predecessors": [[], [], ["A"], ["A", "B"], ["C"], ["C"],
                                                                     ["D", "E"], ["F", "G"]]})
DURATIONS = [2, 3, 2, 4, 4, 3, 5, 2]


def test_schedule_simulation_without_spread_is_the_cpm_length():
    wbs = MILWAUKEE.assign(optimistic=DURATIONS, most_likely=DURATIONS, pessimistic=DURATIONS)
    durations = proposal.schedule_simulation(wbs, n=50, seed=0)
    assert np.all(durations == 15)
    as_plan = MILWAUKEE.assign(duration=DURATIONS)
    assert plan.project_duration(as_plan) == 15


def test_schedule_simulation_stays_between_the_all_optimistic_and_all_pessimistic_plans():
    low = [d * 0.8 for d in DURATIONS]
    high = [d * 1.5 for d in DURATIONS]
    wbs = MILWAUKEE.assign(optimistic=low, most_likely=DURATIONS, pessimistic=high)
    durations = proposal.schedule_simulation(wbs, n=5000, seed=2)
    shortest = plan.project_duration(MILWAUKEE.assign(duration=low))
    longest = plan.project_duration(MILWAUKEE.assign(duration=high))
    assert shortest <= durations.min() and durations.max() <= longest
    # parallel paths: the simulated mean exceeds the length of the plan of mean durations (merge bias)
    means = [(o + 4 * m + p) / 6 for o, m, p in zip(low, DURATIONS, high)]  # PERT means
    assert durations.mean() > plan.project_duration(MILWAUKEE.assign(duration=means)) - 1e-9
    again = proposal.schedule_simulation(wbs, n=5000, seed=2)
    assert np.array_equal(durations, again)


def test_risk_register_is_valid_for_ssup_risk(projects):
    register = proposal.risk_register(2, 2, 899.0, "mqtt", "medium", projects)
    assert register.index.tolist() == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert register["probability"].between(0, 1).all()
    emv = risk.expected_monetary_value(register)
    assert emv == pytest.approx((register.probability * register.impact).sum())
    assert "R6" not in proposal.risk_register(2, 2, 899.0, "none", "medium", projects).index
    low = proposal.risk_register(2, 2, 899.0, "none", "low", projects)
    assert low.loc["R5", "probability"] > register.loc["R5", "probability"]


def test_estimate_summary_reports_the_simulated_figures(wbs, projects):
    items = proposal.cost_items(wbs, 2, projects)
    totals = estimate.monte_carlo(items, n=5000, seed=3)
    durations = proposal.schedule_simulation(wbs, n=5000, seed=3)
    register = proposal.risk_register(2, 2, 899.0, "mqtt", "medium", projects)
    table = proposal.plan_table(wbs)
    summary = proposal.estimate_summary("Estimate for T", "T2 + outdoor gateways", 136_697.0, totals, durations,
                                        register, plan.critical_path(table), 45, ("retention assumed 365 days",))
    text, markdown = str(summary), summary.to_markdown()
    cost = estimate.percentiles(totals, levels=(50, 80))
    reserve = risk.contingency(register, percentile=80)
    assert f"£{cost['P80']:,.0f}" in text and f"£{reserve:,.0f}" in text
    assert f"£{cost['P80'] + reserve:,.0f}" in text
    days = estimate.percentiles(durations, levels=(80,))["P80"]
    assert f"/ {days:.0f} working days" in text
    assert markdown.startswith("**Estimate for T**") and "| Solution | T2 + outdoor gateways |" in markdown
    assert "KICK -> " in markdown and "retention assumed 365 days" in markdown
    assert summary._repr_markdown_() == markdown
