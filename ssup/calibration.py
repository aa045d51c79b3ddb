"""Reliable estimates and plans: calibrate against history, then review drafts by checklist (Level 5).

Presales estimates are only as good as the track record behind them. This module compares past estimates
with what the projects really took, per *reference class* (project type), and turns that into checks a
manager applies to every draft before it goes into a proposal:

- :func:`implausible_actuals`  completed projects whose booked effort disagrees with their cost (bad data)
- :func:`calibrate`            bias, accuracy (MAPE) and the P80 uplift of each project type
- :data:`ESTIMATE_CHECKS`, :func:`review_estimates`  the estimate review checklist, applied in code
- :func:`hardware_lead_days`   the lead time each draft's hardware needs
- :data:`PLAN_CHECKS`, :func:`review_plans`          plan sanity checks (with :mod:`ssup.plan`)

The *ratio* of a project is actual effort / estimated effort: 1.0 is a perfect estimate, 1.3 a 30% overrun.
*Bias* is the median ratio of a class; the *P80 uplift* is the ratio that 80% of its projects did not exceed,
so an estimate multiplied by it is a figure the class delivered within four times out of five (the
reference-class forecasting idea of Kahneman and Lovallo, and Flyvbjerg's "uplift").
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ssup.data.generate import DAY_RATE_GBP, TRAVEL_PER_SITE_GBP
from ssup.metrics import mape
from ssup.plan import project_duration

__all__ = [
    "DAY_RATE_GBP", "TRAVEL_PER_SITE_GBP", "THIN_CLASS", "implausible_actuals", "effort_ratios", "calibrate",
    "ESTIMATE_CHECKS", "review_estimates", "hardware_lead_days", "PLAN_CHECKS", "review_plans",
]

#: A reference class with fewer completed projects than this gives a shaky P80: say so.
THIN_CLASS = 20


def _need(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {', '.join(map(repr, missing))}.")


def implausible_actuals(projects: pd.DataFrame, tolerance: float = 0.5) -> pd.DataFrame:
    """Completed projects whose booked effort is implausible next to their actual cost.

    Cost is effort x 850 GBP plus travel (420 GBP a site), so the cost implies an effort; a booking more than
    ``tolerance`` (50%) away from it is probably typed in the wrong unit (hours for days, say).

    >>> p = pd.DataFrame({"project_id": ["A", "B"], "status": ["completed"] * 2, "sites": [1, 1],
    ...                   "actual_effort_days": [3.0, 24.0], "actual_cost_gbp": [2970.0, 2970.0]})
    >>> implausible_actuals(p)[["project_id", "actual_effort_days", "cost_implied_days"]]
      project_id  actual_effort_days  cost_implied_days
    1          B                24.0                3.0
    """
    _need(projects, ("status", "sites", "actual_effort_days", "actual_cost_gbp"), "projects")
    done = projects[projects["status"] == "completed"].copy()
    done["cost_implied_days"] = ((done["actual_cost_gbp"] - done["sites"] * TRAVEL_PER_SITE_GBP)
                                 / DAY_RATE_GBP).round(1)
    off = (done["actual_effort_days"] / done["cost_implied_days"] - 1).abs() > tolerance
    return done[off]


def effort_ratios(projects: pd.DataFrame, drop_implausible: bool = True) -> pd.DataFrame:
    """Completed projects with ``ratio`` = actual / estimated effort (implausible bookings dropped)."""
    _need(projects, ("project_id", "project_type", "estimated_effort_days"), "projects")
    done = projects[projects["status"] == "completed"].copy()
    if drop_implausible:
        done = done[~done["project_id"].isin(implausible_actuals(projects)["project_id"])]
    done["ratio"] = done["actual_effort_days"] / done["estimated_effort_days"]
    return done


def calibrate(projects: pd.DataFrame, by: str = "project_type", percentile: float = 80,
              drop_implausible: bool = True) -> pd.DataFrame:
    """How past estimates turned out, per reference class: one row per value of ``by``.

    Columns: ``projects`` (completed, plausible), ``bias`` (median actual/estimate), ``mape`` (mean absolute
    percentage error of the estimates, %, :func:`ssup.metrics.mape`), ``within_10pct`` (% of projects whose
    actual was within 10% of the estimate), ``uplift`` (the ratio at ``percentile``: multiply an estimate by it
    for P80 confidence), ``contingency_pct`` ((uplift - 1) x 100) and ``thin`` (fewer than 20 projects).

    >>> p = pd.DataFrame({"project_id": list("abcde"), "project_type": ["x"] * 5, "status": ["completed"] * 5,
    ...                   "estimated_effort_days": [10.0] * 5, "actual_effort_days": [9.0, 10, 11, 12, 15]})
    >>> calibrate(p, drop_implausible=False).loc["x", ["projects", "bias", "uplift"]].tolist()
    [5.0, 1.1, 1.26]
    """
    ratios = effort_ratios(projects, drop_implausible)
    rows = {}
    for key, group in ratios.groupby(by, sort=True):
        r = group["ratio"]
        uplift = float(np.percentile(r, percentile))
        rows[key] = {
            "projects": float(len(group)),
            "bias": round(float(r.median()), 6),
            "mape": mape(group["actual_effort_days"], group["estimated_effort_days"]),
            "within_10pct": 100.0 * float(((r - 1).abs() <= 0.10 + 1e-9).mean()),
            "uplift": round(uplift, 6),
            "contingency_pct": round(100.0 * (uplift - 1), 6),
            "thin": len(group) < THIN_CLASS,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by
    table["projects"] = table["projects"].astype(int) if len(table) else table["projects"]
    return table


#: The estimate review checklist: what every draft must satisfy before it goes into a proposal.
ESTIMATE_CHECKS: dict[str, str] = {
    "three_point_ordered": "optimistic <= most likely <= pessimistic",
    "cost_adds_up": "cost = effort x 850 GBP/day + 420 GBP travel per site (to the pound)",
    "covers_p80": "effort plus contingency covers the most likely effort x its class's P80 uplift",
    "assumptions_recorded": "the assumptions are written down",
    "risks_recorded": "the risk register has at least one risk",
}


def review_estimates(drafts: pd.DataFrame, calibration: pd.DataFrame) -> pd.DataFrame:
    """Apply :data:`ESTIMATE_CHECKS` to every draft: one row per ``estimate_id``.

    Columns: one boolean per check (True = passed), ``p80_effort`` (most likely x uplift of the draft's
    project type), ``covered_effort`` (effort x (1 + contingency)), ``passed`` (every check passed) and
    ``problems`` (the failed checks, comma-separated; empty when it passed).
    """
    _need(drafts, ("estimate_id", "project_type", "sites", "optimistic_days", "most_likely_days",
                   "pessimistic_days", "effort_days", "contingency_pct", "cost_gbp", "assumptions_recorded",
                   "risks_recorded"), "drafts")
    _need(calibration, ("uplift",), "calibration")
    d = drafts.set_index("estimate_id")
    uplift = d["project_type"].map(calibration["uplift"])
    if uplift.isna().any():
        kind = d.loc[uplift.isna(), "project_type"].iloc[0]
        raise ValueError(f"The calibration has no row for project type {kind!r}.")
    out = pd.DataFrame(index=d.index)
    out["three_point_ordered"] = (d["optimistic_days"] <= d["most_likely_days"]) & \
        (d["most_likely_days"] <= d["pessimistic_days"])
    expected_cost = d["effort_days"] * DAY_RATE_GBP + d["sites"] * TRAVEL_PER_SITE_GBP
    out["cost_adds_up"] = (d["cost_gbp"] - expected_cost).abs() <= 1.0
    out["p80_effort"] = (d["most_likely_days"] * uplift).round(2)
    out["covered_effort"] = (d["effort_days"] * (1 + d["contingency_pct"] / 100)).round(2)
    out["covers_p80"] = out["covered_effort"] >= out["p80_effort"] - 1e-9
    out["assumptions_recorded"] = d["assumptions_recorded"].astype(bool)
    out["risks_recorded"] = d["risks_recorded"] >= 1
    return _verdict(out, list(ESTIMATE_CHECKS))


def _verdict(out: pd.DataFrame, checks: list[str]) -> pd.DataFrame:
    out["passed"] = out[checks].all(axis=1)
    out["problems"] = [", ".join(c for c in checks if not row[c]) for _, row in out[checks].iterrows()]
    return out


def hardware_lead_days(drafts: pd.DataFrame, opportunities: pd.DataFrame, products: pd.DataFrame) -> pd.Series:
    """Working days each draft's hardware takes to arrive: the lead time of the opportunity's primary product
    (0 when the draft installs no devices). Indexed by ``estimate_id``."""
    _need(drafts, ("estimate_id", "opportunity_id", "devices"), "drafts")
    primary = drafts["opportunity_id"].map(opportunities.set_index("opportunity_id")["primary_product_id"])
    lead = primary.map(products.set_index("product_id")["lead_time_days"]).fillna(0)
    lead = lead.where(drafts["devices"] > 0, 0).astype(int)
    return pd.Series(lead.to_numpy(), index=pd.Index(drafts["estimate_id"], name="estimate_id"), name="lead_days")


#: Plan sanity checks: what every initial project plan must satisfy.
PLAN_CHECKS: dict[str, str] = {
    "schedulable": "every predecessor exists and there are no loops (ssup.plan can schedule it)",
    "effort_adds_up": "the tasks' effort adds up to the estimate's effort (within half a day)",
    "fits_go_live": "the critical path fits in the working days from start to the proposed go-live",
    "lead_time_respected": "hardware delivery takes at least the product's lead time",
    "has_acceptance": "it ends with a customer acceptance milestone (0 days)",
    "owners_named": "every task has an owner",
}


def review_plans(tasks: pd.DataFrame, drafts: pd.DataFrame, lead_days: Mapping[str, int] | pd.Series) -> pd.DataFrame:
    """Apply :data:`PLAN_CHECKS` to the plan of every draft: one row per ``estimate_id``.

    Columns: one boolean per check, ``critical_path_days`` (NaN when the plan cannot be scheduled),
    ``working_days`` (Mon-Fri from start_date to go_live_date), ``passed`` and ``problems``.
    """
    _need(tasks, ("estimate_id", "task", "name", "duration", "effort_days", "predecessors", "owner_id"), "tasks")
    _need(drafts, ("estimate_id", "effort_days", "start_date", "go_live_date"), "drafts")
    lead = pd.Series(lead_days)
    rows = []
    for draft in drafts.sort_values("estimate_id").itertuples(index=False):
        plan = tasks[tasks["estimate_id"] == draft.estimate_id]
        try:
            length = project_duration(plan[["task", "duration", "predecessors"]]) if len(plan) else float("nan")
            schedulable = bool(len(plan))
        except ValueError:
            length, schedulable = float("nan"), False
        working = int(np.busday_count(pd.Timestamp(draft.start_date).date(), pd.Timestamp(draft.go_live_date).date()))
        hardware = plan[plan["name"].str.contains("hardware", case=False)]
        needed = int(lead.get(draft.estimate_id, 0))
        rows.append({
            "estimate_id": draft.estimate_id,
            "schedulable": schedulable,
            "effort_adds_up": abs(float(plan["effort_days"].sum()) - float(draft.effort_days)) <= 0.5,
            "fits_go_live": schedulable and length <= working,
            "lead_time_respected": bool((hardware["duration"] >= needed).all()) and (needed == 0 or len(hardware) > 0),
            "has_acceptance": bool(((plan["duration"] == 0) & plan["name"].str.contains("accept", case=False)).any()),
            "owners_named": bool(plan["owner_id"].notna().all()),
            "critical_path_days": length,
            "working_days": working,
        })
    out = pd.DataFrame(rows).set_index("estimate_id")
    return _verdict(out, list(PLAN_CHECKS))
