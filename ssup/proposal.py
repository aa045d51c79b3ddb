"""From a chosen solution to a costed, risk-adjusted, scheduled estimate for a sales proposal (Level 4).

The calculations themselves are the tested reference code in :mod:`ssup.estimate` (three-point
estimates, Monte Carlo totals, percentiles), :mod:`ssup.plan` (critical path, Gantt chart) and
:mod:`ssup.risk` (EMV, contingency). This module builds their inputs for one deal and assembles the
result:

- :func:`overrun_ratios`     how far Kestrel's past estimates were out (actual / estimated effort)
- :func:`work_breakdown`     the tasks of the delivery, with three-point durations and effort
- :func:`plan_table`         the WBS as the plan :func:`ssup.plan.schedule` reads (PERT mean durations)
- :func:`cost_items`         the delivery cost items with three-point costs, for :func:`ssup.estimate.monte_carlo`
- :func:`schedule_simulation` simulated order-to-go-live durations (a forward pass per simulated project)
- :func:`risk_register`      Kestrel's standard delivery risks, sized for this deal
- :func:`estimate_summary`   the one-page summary a bid manager pastes into the proposal
- :func:`percentile_histogram` a histogram of simulated totals with P50 and P80 marked

Three-point estimates are calibrated on history, not guessed: a labour task's most likely value is its
base estimate times the median overrun of past projects of the same type, and its optimistic and
pessimistic values use the 10th and 90th percentiles of that overrun.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["DAY_RATE_GBP", "overrun_ratios", "travel_per_site", "project_type_for", "work_breakdown",
           "plan_table", "cost_items", "schedule_simulation", "risk_register", "EstimateSummary",
           "estimate_summary", "hardware_lead_days", "DeliveryInputs", "delivery_inputs", "percentile_histogram"]

#: Kestrel's internal cost of an engineer day (the rate projects.csv estimates use).
DAY_RATE_GBP = 850.0
#: Ratios above this are data errors (effort booked in hours, not days) and are left out of calibration.
IMPLAUSIBLE_RATIO = 4.0
#: Supplier lead times slip: pessimistic = quoted lead time x this.
LEAD_TIME_SLIP = 1.5
#: Base effort (engineer-days) of the integration work Kestrel delivers, by integration type.
INTEGRATION_EFFORT = {"mqtt": 6.0, "scada": 14.0, "erp": 22.0}
CREW = 2
SENSORS_PER_DAY = 35
GATEWAYS_PER_DAY = 3


def overrun_ratios(projects: pd.DataFrame, project_type: str) -> dict[str, float]:
    """P10, P50 and P90 of actual / estimated effort for completed projects of one type.

    Ratios above :data:`IMPLAUSIBLE_RATIO` are left out (a documented data error books hours as days).
    Falls back to every completed project when the type has fewer than 5.
    """
    done = projects[(projects["status"] == "completed") & projects["actual_effort_days"].notna()]
    ratio = done["actual_effort_days"] / done["estimated_effort_days"]
    ok = ratio <= IMPLAUSIBLE_RATIO
    mine = ratio[ok & (done["project_type"] == project_type)]
    if len(mine) < 5:
        mine = ratio[ok]
    p10, p50, p90 = np.percentile(mine.to_numpy(dtype=float), [10, 50, 90])
    return {"P10": round(float(p10), 3), "P50": round(float(p50), 3), "P90": round(float(p90), 3),
            "projects": int(len(mine))}


def travel_per_site(projects: pd.DataFrame) -> float:
    """Travel cost per site that presales' estimates include (estimated cost minus effort at the day rate,
    per site; the median over all projects, to the pound)."""
    travel = (projects["estimated_cost_gbp"] - projects["estimated_effort_days"] * DAY_RATE_GBP) / projects["sites"]
    return float(round(travel.median()))


def project_type_for(integration: str, sites: int) -> str:
    """The projects.csv type a delivery resembles: heavy integrations, multi-site rollouts (5+ sites) or
    standard installs.

    >>> project_type_for("scada", 2), project_type_for("mqtt", 6), project_type_for("none", 2)
    ('integration_heavy', 'multi_site_rollout', 'standard_install')
    """
    if integration in ("scada", "erp"):
        return "integration_heavy"
    return "multi_site_rollout" if sites >= 5 else "standard_install"


def _task(task: str, name: str, predecessors: Sequence[str], duration: float, effort: float,
          ratios: dict[str, float] | None) -> dict[str, Any]:
    """One WBS row: three-point duration and effort, scaled by the overrun ratios (None: fixed)."""
    if ratios is None:
        low, mid, high = 1.0, 1.0, 1.0
    else:
        low, mid, high = ratios["P10"], ratios["P50"], ratios["P90"]
    r = lambda x: round(x, 1)  # noqa: E731
    return {"task": task, "name": name, "predecessors": list(predecessors),
            "optimistic": r(duration * low), "most_likely": r(duration * mid), "pessimistic": r(duration * high),
            "effort_optimistic": r(effort * low), "effort_most_likely": r(effort * mid),
            "effort_pessimistic": r(effort * high)}


def work_breakdown(sensors: int, gateways: int, sites: int, integration: str, hardware_lead_days: int,
                   projects: pd.DataFrame) -> pd.DataFrame:
    """The delivery's work breakdown: one row per task with ``task``, ``name``, ``predecessors`` (a list),
    three-point durations in working days (``optimistic``, ``most_likely``, ``pessimistic``) and
    three-point effort in engineer-days (``effort_*``).

    Labour tasks are scaled by :func:`overrun_ratios` of the matching project type; the hardware lead time
    runs from the quoted lead to :data:`LEAD_TIME_SLIP` times it; go-live is a zero-length milestone.
    """
    ratios = overrun_ratios(projects, project_type_for(integration, sites))
    gateway_effort = 0.5 * sites + gateways / GATEWAYS_PER_DAY
    sensor_effort = sensors / SENSORS_PER_DAY
    rows = [
        _task("KICK", "Kick-off and detailed design", [], 3, 2, ratios),
        _task("SURV", "Site surveys", ["KICK"], math.ceil(sites / CREW), sites, ratios),
        {"task": "HW", "name": "Hardware lead time (order to delivery)", "predecessors": ["KICK"],
         "optimistic": float(hardware_lead_days), "most_likely": float(hardware_lead_days),
         "pessimistic": round(hardware_lead_days * LEAD_TIME_SLIP, 1), "effort_optimistic": 0.0,
         "effort_most_likely": 0.0, "effort_pessimistic": 0.0},
        _task("PLAT", "Platform set-up (tenant, users, alerts)", ["KICK"], 2, 1, ratios),
        _task("GWI", "Install gateways", ["SURV", "HW"], max(1.0, gateway_effort / CREW), gateway_effort, ratios),
        _task("SNS", "Install and commission sensors", ["GWI"], sensor_effort / CREW, sensor_effort, ratios),
    ]
    acceptance_after = ["SNS"]
    if integration in INTEGRATION_EFFORT:
        effort = INTEGRATION_EFFORT[integration]
        rows.append(_task("INT", f"{integration.upper()} integration", ["PLAT"], effort, effort, ratios))
        acceptance_after.append("INT")
    rows += [
        _task("SAT", "Site acceptance test", acceptance_after, 2, 2, ratios),
        _task("TRN", "Training", ["SAT"], 1, 1, ratios),
        _task("LIVE", "Go-live and handover", ["TRN"], 0, 0, None),
    ]
    return pd.DataFrame(rows)


def plan_table(wbs: pd.DataFrame) -> pd.DataFrame:
    """The WBS as the plan :func:`ssup.plan.schedule` reads: ``task``, ``duration`` (the PERT mean of the
    three-point duration, rounded to the nearest half day: plans are made in half days, and halves add up
    exactly) and ``predecessors``."""
    from ssup.estimate import summarise_tasks

    means = (summarise_tasks(wbs[["optimistic", "most_likely", "pessimistic"]])["mean"] * 2).round() / 2
    return pd.DataFrame({"task": wbs["task"], "duration": means, "predecessors": wbs["predecessors"]})


def cost_items(wbs: pd.DataFrame, sites: int, projects: pd.DataFrame) -> pd.DataFrame:
    """Delivery cost items with three-point costs in GBP: the labour of every task with effort (effort x
    :data:`DAY_RATE_GBP`) and travel (:func:`travel_per_site` per site and survey/install visit, fixed).

    Columns ``item``, ``optimistic``, ``most_likely``, ``pessimistic``, ready for
    :func:`ssup.estimate.monte_carlo`.
    """
    labour = wbs[wbs["effort_pessimistic"] > 0]
    rows = [{"item": f"{t.task}: {t.name}", "optimistic": round(t.effort_optimistic * DAY_RATE_GBP, 2),
             "most_likely": round(t.effort_most_likely * DAY_RATE_GBP, 2),
             "pessimistic": round(t.effort_pessimistic * DAY_RATE_GBP, 2)} for t in labour.itertuples()]
    travel = round(travel_per_site(projects) * sites, 2)
    rows.append({"item": "Travel to sites", "optimistic": travel, "most_likely": travel, "pessimistic": travel})
    return pd.DataFrame(rows)


def schedule_simulation(wbs: pd.DataFrame, n: int = 10_000, seed: int | None = 0,
                        distribution: str = "pert") -> np.ndarray:
    """Simulated project durations (working days): each task's duration drawn from its three-point
    estimate, then a forward pass per simulated project (vectorised over the ``n`` projects).

    ``distribution`` is ``"pert"`` (Beta-PERT, the same draws as :func:`ssup.estimate.monte_carlo`) or
    ``"triangular"``. A task with optimistic == pessimistic is a constant, so with no spread anywhere the
    result equals :func:`ssup.plan.project_duration` of the same plan.
    """
    if distribution not in ("pert", "triangular"):
        raise ValueError(f"Unknown distribution {distribution!r}; choose 'pert' or 'triangular'.")
    rng = np.random.default_rng(seed)
    preds = {row.task: list(row.predecessors) for row in wbs.itertuples()}
    order = list(TopologicalSorter(preds).static_order())
    finish: dict[str, np.ndarray] = {}
    for row in wbs.set_index("task").loc[order].itertuples():
        o, m, p = float(row.optimistic), float(row.most_likely), float(row.pessimistic)
        if p <= o:
            duration = np.full(n, o)
        elif distribution == "triangular":
            duration = rng.triangular(o, m, p, size=n)
        else:
            duration = o + (p - o) * rng.beta(1 + 4 * (m - o) / (p - o), 1 + 4 * (p - m) / (p - o), size=n)
        start = np.zeros(n)
        for pred in preds[row.Index]:
            start = np.maximum(start, finish[pred])
        finish[row.Index] = start + duration
    return np.max(np.vstack(list(finish.values())), axis=0)


def risk_register(sites: int, gateways: int, gateway_price: float, integration: str, customer_skills: str,
                  projects: pd.DataFrame) -> pd.DataFrame:
    """Kestrel's standard delivery risks for a sensor roll-out, sized for one deal (impacts in GBP of
    delivery cost). Indexed by risk id; columns ``risk``, ``probability``, ``impact``, ``owner``, ``response``.

    Probabilities are presales' checklist values, adjusted for the deal (integration type, the customer's
    skills); impacts are the extra engineer-days, visits or hardware each risk would cost.
    """
    day = DAY_RATE_GBP
    travel = travel_per_site(projects)
    skills_p = {"low": 0.5, "medium": 0.25, "high": 0.1}.get(customer_skills, 0.25)
    rows = [
        ("R1", "Hardware delivery slips past the quoted lead time (crew re-booked)", 0.15, 5 * CREW * day,
         "Presales", "Order at contract signature; confirm stock before committing dates"),
        ("R2", "Site access restricted (food-safety induction, cold-store permits)", 0.30, sites * CREW * day,
         "Account manager", "Agree access and inductions at kick-off"),
        ("R3", "Radio coverage worse than surveyed: one extra gateway per site", 0.20,
         sites * (gateway_price + 0.5 * day), "Field Engineering", "Survey every cold room; keep spare gateways"),
        ("R4", "Gateways shipped on old firmware (the pilot's 3.2.0 fault)", 0.10, sites * (day + travel),
         "Field Engineering", "Flash and test every gateway before dispatch"),
        ("R5", "Customer staff need an extra training day", skills_p, day, "Presales",
         "Train the customer's administrators first"),
    ]
    if integration in INTEGRATION_EFFORT:
        rows.append(("R6", f"The customer's {integration.upper()} endpoint is not ready when needed",
                     {"mqtt": 0.3, "scada": 0.4, "erp": 0.45}[integration], 0.5 * INTEGRATION_EFFORT[integration] * day,
                     "Presales", "Test access to the endpoint in week 1"))
    frame = pd.DataFrame(rows, columns=["risk_id", "risk", "probability", "impact", "owner", "response"])
    frame["impact"] = frame["impact"].round(2)
    return frame.set_index("risk_id")


def hardware_lead_days(option: pd.Series | dict, products: pd.DataFrame) -> int:
    """The longest catalogue lead time of the hardware in an option (its sensor and gateway, if any)."""
    catalogue = products.set_index("product_id")["lead_time_days"]
    items = [option["sensor"]] + ([option["gateway"]] if option["gateway"] else [])
    return int(max(catalogue[item] for item in items))


@dataclass(frozen=True)
class DeliveryInputs:
    """Everything the estimate of one option needs: the WBS, its plan, its cost items and its risks."""

    wbs: pd.DataFrame
    plan: pd.DataFrame
    costs: pd.DataFrame
    register: pd.DataFrame


def delivery_inputs(req: Any, option: pd.Series | dict, projects: pd.DataFrame,
                    products: pd.DataFrame) -> DeliveryInputs:
    """The WBS, plan, cost items and risk register of ``option`` (a row of
    :func:`ssup.solution_design.options`) for the requirements ``req``, built with the functions above."""
    wbs = work_breakdown(req.sensors, int(option["gateways"]), req.sites, req.integration,
                         hardware_lead_days(option, products), projects)
    gateway_price = float(products.set_index("product_id").loc[option["gateway"], "list_price_gbp"]) \
        if option["gateway"] else 0.0
    register = risk_register(req.sites, int(option["gateways"]), gateway_price, req.integration,
                             req.customer_skills, projects)
    return DeliveryInputs(wbs, plan_table(wbs), cost_items(wbs, req.sites, projects), register)


@dataclass(frozen=True)
class EstimateSummary:
    """The one-page estimate summary; shows as a Markdown table in a notebook, plain text elsewhere."""

    title: str
    rows: tuple[tuple[str, str], ...]
    critical_path: tuple[str, ...]
    top_risks: tuple[str, ...]
    assumptions: tuple[str, ...]

    def to_markdown(self) -> str:
        lines = [f"**{self.title}**", "", "| | |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in self.rows]
        lines += ["", "**Critical path:** " + " -> ".join(self.critical_path), "", "**Largest risks (EMV):**"]
        lines += [f"- {risk}" for risk in self.top_risks]
        lines += ["", "**Assumptions:**"] + [f"- {a}" for a in self.assumptions]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        width = max(len(label) for label, _ in self.rows)
        lines = [self.title, "=" * len(self.title)]
        lines += [f"{label:<{width}}  {value}" for label, value in self.rows]
        lines += ["Critical path: " + " -> ".join(self.critical_path), "Largest risks (EMV):"]
        lines += [f"  - {risk}" for risk in self.top_risks]
        lines += ["Assumptions:"] + [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)

    __repr__ = __str__


def _money(x: float) -> str:
    return f"£{x:,.0f}"


def estimate_summary(title: str, solution: str, price_gbp: float, cost_totals: np.ndarray,
                     durations: np.ndarray, register: pd.DataFrame, critical_path: Sequence[str],
                     deadline_days: int, assumptions: Sequence[str] = (), seed: int | None = 0) -> EstimateSummary:
    """Assemble the estimate summary from the simulated delivery costs and durations and the risk register.

    Delivery budget = P80 delivery cost + the P80 risk contingency (:func:`ssup.risk.contingency`);
    all P-values come from :func:`ssup.estimate.percentiles`.
    """
    from ssup.estimate import percentiles
    from ssup.risk import contingency, expected_monetary_value, risk_register_summary

    cost = percentiles(cost_totals, levels=(50, 80))
    days = percentiles(durations, levels=(50, 80))
    emv = expected_monetary_value(register)
    reserve = contingency(register, seed=seed, percentile=80)
    on_time = float(np.mean(durations <= deadline_days)) * 100
    rows = (
        ("Solution", solution),
        ("Price to the customer (list, incl. 36-month tier uplift)", _money(price_gbp)),
        ("Delivery cost P50 / P80", f"{_money(cost['P50'])} / {_money(cost['P80'])}"),
        ("Risk EMV / P80 contingency", f"{_money(emv)} / {_money(reserve)}"),
        ("Delivery budget (P80 cost + contingency)", _money(cost["P80"] + reserve)),
        ("Order to go-live P50 / P80", f"{days['P50']:.0f} / {days['P80']:.0f} working days"),
        ("Chance of meeting the customer's date", f"{on_time:.0f}% ({deadline_days} working days)"),
    )
    top = risk_register_summary(register).head(3)
    top_risks = tuple(f"{rid}: {row.risk} ({row.probability:.0%} x {_money(row.impact)} = {_money(row.emv)})"
                      for rid, row in top.iterrows())
    return EstimateSummary(title, rows, tuple(str(t) for t in critical_path), top_risks, tuple(assumptions))


def percentile_histogram(values: np.ndarray, title: str, xlabel: str, levels: Sequence[float] = (50, 80),
                         deadline: float | None = None, ax: Any = None) -> Any:
    """Histogram of simulated values (costs, durations) with vertical lines at the given percentiles and,
    optionally, at a deadline. Returns the Axes; ``plt.show()`` is not called.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = percentile_histogram(np.arange(100.0), "Demo", "Days")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['P50: 50', 'P80: 79']
    """
    import matplotlib.pyplot as plt

    from ssup.estimate import percentiles

    if ax is None:
        _, ax = plt.subplots()
    # 50 bins drawn as one filled outline with white lines between the bins: it looks like ax.hist's 50 bars
    # with white edges, at a fraction of the drawing time.
    counts, edges = np.histogram(values, bins=50)
    ax.stairs(counts, edges, fill=True, color="#9ecae1")
    ax.vlines(edges, 0, np.maximum(np.r_[counts, 0], np.r_[0, counts]), colors="white", linewidth=1)
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    for (label, value), colour in zip(percentiles(values, levels=levels).items(), colours):
        ax.axvline(value, color=colour, linewidth=2, label=f"{label}: {value:,.0f}")
    if deadline is not None:
        ax.axvline(deadline, color="black", linestyle="--", label=f"deadline: {deadline:,.0f}")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Simulated projects")
    ax.legend(loc="upper right")
    return ax
