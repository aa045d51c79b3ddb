"""ssup.calibration: reference-class calibration, the estimate checklist and plan sanity checks."""

import numpy as np
import pandas as pd
import pytest

from ssup import calibration
from ssup.calibration import DAY_RATE_GBP, TRAVEL_PER_SITE_GBP


def projects(ratios, kind="standard_install", start=0):
    n = len(ratios)
    est = np.full(n, 10.0)
    actual = est * np.asarray(ratios, dtype=float)
    return pd.DataFrame({"project_id": [f"P{start + i}" for i in range(n)], "project_type": kind,
                         "status": "completed", "sites": 1, "estimated_effort_days": est,
                         "actual_effort_days": actual, "actual_cost_gbp": actual * DAY_RATE_GBP + TRAVEL_PER_SITE_GBP})


def test_implausible_actuals_finds_hours_booked_as_days():
    p = projects([1.0, 1.1, 0.9])
    p.loc[1, "actual_effort_days"] *= 8  # 11 days booked as 88 "days"; the cost still says 11
    found = calibration.implausible_actuals(p)
    assert found["project_id"].tolist() == ["P1"] and found["cost_implied_days"].iloc[0] == 11.0


def test_calibrate_bias_mape_uplift_per_class():
    p = pd.concat([projects([0.9, 1.0, 1.0, 1.1, 1.2]), projects([1.2, 1.4, 1.5, 1.6, 2.0], "integration_heavy", 5)])
    cal = calibration.calibrate(p)
    assert cal.loc["standard_install", "bias"] == 1.0
    assert cal.loc["integration_heavy", "bias"] == 1.5
    # P80 of [1.2, 1.4, 1.5, 1.6, 2.0] with linear interpolation: 1.6 + 0.2 x (2.0 - 1.6) = 1.68
    assert cal.loc["integration_heavy", "uplift"] == pytest.approx(1.68)
    assert cal.loc["integration_heavy", "contingency_pct"] == pytest.approx(68.0)
    # MAPE = mean(|a - e| / a): (0.2/1.2 + 0.4/1.4 + 0.5/1.5 + 0.6/1.6 + 1.0/2.0) / 5
    expected = np.mean([0.2 / 1.2, 0.4 / 1.4, 0.5 / 1.5, 0.6 / 1.6, 1.0 / 2.0]) * 100
    assert cal.loc["integration_heavy", "mape"] == pytest.approx(expected)
    assert cal.loc["standard_install", "within_10pct"] == 80.0
    assert cal["thin"].all() and cal["projects"].tolist() == [5, 5]


def test_calibrate_leaves_out_implausible_bookings_and_open_projects():
    p = projects([1.0] * 20 + [8.0])
    p.loc[20, "actual_cost_gbp"] = 10 * DAY_RATE_GBP + TRAVEL_PER_SITE_GBP
    p.loc[21] = p.loc[0].copy()
    p.loc[21, ["project_id", "status", "actual_effort_days", "actual_cost_gbp"]] = ["P21", "planned", np.nan, np.nan]
    cal = calibration.calibrate(p)
    assert cal.loc["standard_install", "projects"] == 20 and cal.loc["standard_install", "uplift"] == 1.0
    assert not cal.loc["standard_install", "thin"]
    assert calibration.calibrate(p, drop_implausible=False).loc["standard_install", "uplift"] == 1.0


def draft(**changes):
    row = dict(estimate_id="E1", opportunity_id="O1", project_type="standard_install", sites=2, devices=50,
               optimistic_days=8.0, most_likely_days=10.0, pessimistic_days=14.0, effort_days=10.0,
               contingency_pct=20.0, cost_gbp=10 * DAY_RATE_GBP + 2 * TRAVEL_PER_SITE_GBP,
               assumptions_recorded=True, risks_recorded=2, start_date=pd.Timestamp("2026-07-06"),
               go_live_date=pd.Timestamp("2026-08-03"))
    row.update(changes)
    return row


CAL = pd.DataFrame({"uplift": [1.15, 1.6]}, index=pd.Index(["standard_install", "integration_heavy"],
                                                           name="project_type"))


@pytest.mark.parametrize("changes,problem", [
    ({}, ""),
    ({"optimistic_days": 11.0}, "three_point_ordered"),
    ({"cost_gbp": 10 * 750 + 2 * TRAVEL_PER_SITE_GBP}, "cost_adds_up"),
    ({"contingency_pct": 10.0}, "covers_p80"),
    ({"project_type": "integration_heavy"}, "covers_p80"),
    ({"assumptions_recorded": False}, "assumptions_recorded"),
    ({"risks_recorded": 0}, "risks_recorded"),
])
def test_review_estimates_applies_each_check(changes, problem):
    review = calibration.review_estimates(pd.DataFrame([draft(**changes)]), CAL)
    assert review.loc["E1", "problems"] == problem
    assert bool(review.loc["E1", "passed"]) is (problem == "")


def test_review_estimates_covers_p80_boundary_and_unknown_class():
    exact = draft(contingency_pct=15.0)  # 10 x 1.15 = 11.5 covered exactly
    assert calibration.review_estimates(pd.DataFrame([exact]), CAL).loc["E1", "covers_p80"]
    with pytest.raises(ValueError, match="pilot"):
        calibration.review_estimates(pd.DataFrame([draft(project_type="pilot")]), CAL)


def plan(edits=None):
    tasks = pd.DataFrame({
        "estimate_id": "E1", "task": ["T1", "T2", "T3", "T5", "T7"],
        "name": ["Kick-off and site survey", "Order and deliver hardware", "Install sensors and gateways",
                 "Commission and test", "Customer acceptance sign-off"],
        "duration": [1.0, 7.0, 5.0, 3.0, 0.0], "effort_days": [1.0, 0.0, 6.0, 3.0, 0.0],
        "predecessors": [None, "T1", "T1, T2", "T3", "T5"], "owner_id": ["A1"] * 5})
    for (row, column), value in (edits or {}).items():
        tasks.loc[row, column] = value
    return tasks


LEAD = pd.Series({"E1": 7})


@pytest.mark.parametrize("edits,problems", [
    ({}, ""),
    ({(4, "predecessors"): "T9"}, "schedulable, fits_go_live"),
    ({(2, "effort_days"): 3.0}, "effort_adds_up"),
    ({(1, "duration"): 2.0}, "lead_time_respected"),
    ({(4, "name"): "Go live"}, "has_acceptance"),
    ({(3, "owner_id"): None}, "owners_named"),
    ({(2, "duration"): 15.0}, "fits_go_live"),
])
def test_review_plans_applies_each_check(edits, problems):
    review = calibration.review_plans(plan(edits), pd.DataFrame([draft()]), LEAD)
    assert review.loc["E1", "problems"] == problems


def test_review_plans_critical_path_and_working_days():
    review = calibration.review_plans(plan(), pd.DataFrame([draft()]), LEAD)
    # T1 (1) -> T2 (7) -> T3 (5) -> T5 (3) -> T7 (0) = 16 working days; 2026-07-06 to 2026-08-03 is 20 weekdays
    assert review.loc["E1", "critical_path_days"] == 16.0 and review.loc["E1", "working_days"] == 20


def test_hardware_lead_days_from_the_primary_product():
    drafts = pd.DataFrame([draft(), draft(estimate_id="E2", opportunity_id="O2", devices=0)])
    opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "primary_product_id": ["SNS-X", "SVC-INT"]})
    products = pd.DataFrame({"product_id": ["SNS-X", "SVC-INT"], "lead_time_days": [14, 10]})
    assert calibration.hardware_lead_days(drafts, opps, products).to_dict() == {"E1": 14, "E2": 0}
