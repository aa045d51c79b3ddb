"""Leading customer service: corporate objectives, the service strategy and its KPI scorecard, and the service policy.

The chain a head of customer service keeps straight is

    corporate objective  ->  service goal  ->  KPI with a target  ->  measured baseline  ->  status

Kestrel's board set four objectives for FY2026/27 (:data:`OBJECTIVES`, each with a weight that says how much it
matters). The customer-service strategy (:data:`SERVICE_STRATEGY`) answers each one with a service goal and the KPIs
that show progress, with targets. :func:`service_kpis` measures every KPI from the company's data for a period, and
:func:`scorecard` puts baseline and target side by side with a status.

The **service policy** says which support plan (SLA tier) each kind of customer must be on
(:data:`SEGMENT_MINIMUM`, :data:`INDUSTRY_MINIMUM`) and how often each plan's first-response target must be met
(:data:`ATTAINMENT_TARGET`). :func:`policy_gaps` lists the accounts below their required plan;
:func:`sla_attainment` measures each plan against its target (with the SLA clocks of :mod:`ssup.support`).

>>> required_plan("Enterprise", "manufacturing"), required_plan("SMB", "pharma"), required_plan("SMB", "mining")
('SUP-PREMIUM', 'SUP-PREMIUM', 'SUP-STANDARD')
>>> objectives_table().loc["O2", "weight"]
np.float64(0.3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ssup import metrics, support

__all__ = [
    "Objective", "OBJECTIVES", "objectives_table", "KPI", "KPIS", "SERVICE_STRATEGY", "strategy_table",
    "PLAN_ORDER", "SEGMENT_MINIMUM", "INDUSTRY_MINIMUM", "COLD_CHAIN_INDUSTRIES", "ATTAINMENT_TARGET",
    "PHONE_SERVICE_LEVEL", "PHONE_ANSWER_SECONDS", "policy_table", "required_plan", "policy_gaps",
    "sla_attainment", "service_kpis", "scorecard", "STATUSES",
]


# -- corporate objectives -------------------------------------------------------------------------
@dataclass(frozen=True)
class Objective:
    """One corporate objective: an id, what the board wants, how it is measured, and its weight (0-1)."""

    id: str
    title: str
    measure: str
    weight: float


#: Kestrel's corporate objectives for FY2026/27, as the board set them. The weights add up to 1 and say how much
#: each objective counts when the board judges whether a proposal fits the strategy.
OBJECTIVES: tuple[Objective, ...] = (
    Objective("O1", "Grow recurring revenue by 20%",
              "platform subscriptions and support plans, FY2026/27 against FY2025/26", 0.30),
    Objective("O2", "Keep our customers", "gross revenue retention of 95% or more", 0.30),
    Objective("O3", "Scale efficiently",
              "30% more devices under management with no more than 10% more support staff", 0.25),
    Objective("O4", "Be the trusted partner for regulated cold chain",
              "pharma, food and logistics customers: every first response on time", 0.15),
)


def objectives_table(objectives: Iterable[Objective] = OBJECTIVES) -> pd.DataFrame:
    """The objectives as a table indexed by id: title, measure, weight."""
    table = pd.DataFrame([{"objective": o.id, "title": o.title, "measure": o.measure, "weight": o.weight}
                          for o in objectives])
    return table.set_index("objective")


# -- KPIs and the service strategy ------------------------------------------------------------------
@dataclass(frozen=True)
class KPI:
    """A key performance indicator: its name, what it measures, and whether higher or lower is better."""

    name: str
    meaning: str
    direction: str  # "higher" or "lower"
    unit: str = "%"

    def __post_init__(self) -> None:
        if self.direction not in ("higher", "lower"):
            raise ValueError(f"KPI {self.name}: direction must be 'higher' or 'lower', not {self.direction!r}")


#: Every KPI :func:`service_kpis` can measure.
KPIS: dict[str, KPI] = {k.name: k for k in (
    KPI("nps", "Net Promoter Score of the survey answers for tickets resolved in the period (-100 to +100)",
        "higher", "points"),
    KPI("plan_compliance_pct", "accounts on at least the support plan the service policy requires", "higher"),
    KPI("sla_met_pct", "tickets whose first response met the plan's target (support hours only)", "higher"),
    KPI("csat_pct", "survey answers scoring 4 or 5 out of 5, for tickets resolved in the period", "higher"),
    KPI("reopen_pct", "tickets resolved in the period that the customer had to reopen", "lower"),
    KPI("first_line_resolution_pct", "tickets the Service Desk resolved without escalating", "higher"),
    KPI("phone_service_level_pct", "calls offered that were answered within 20 seconds", "higher"),
    KPI("abandon_pct", "calls offered where the caller hung up before an answer", "lower"),
    KPI("cold_chain_sla_met_pct", "pharma, food and logistics tickets whose first response met the target",
        "higher"),
)}

#: Kestrel's customer-service strategy for FY2026/27: for each corporate objective, the service goal that serves it
#: and the KPIs (with targets) that show whether it is being reached.
SERVICE_STRATEGY: tuple[tuple[str, str, str, float], ...] = (
    ("O1", "Customers recommend us and buy the cover they need", "nps", 35.0),
    ("O1", "Customers recommend us and buy the cover they need", "plan_compliance_pct", 100.0),
    ("O2", "Keep every promise and fix it the first time", "sla_met_pct", 95.0),
    ("O2", "Keep every promise and fix it the first time", "csat_pct", 85.0),
    ("O2", "Keep every promise and fix it the first time", "reopen_pct", 5.0),
    ("O3", "Resolve more at the first contact, with no queue", "first_line_resolution_pct", 80.0),
    ("O3", "Resolve more at the first contact, with no queue", "phone_service_level_pct", 80.0),
    ("O4", "Never keep a regulated cold-chain customer waiting", "cold_chain_sla_met_pct", 98.0),
)


def strategy_table(strategy: Iterable[tuple[str, str, str, float]] = SERVICE_STRATEGY) -> pd.DataFrame:
    """The strategy as a table: objective, objective title, service goal, kpi, direction, target.

    >>> strategy_table().loc[0, ["objective", "kpi"]].tolist()
    ['O1', 'nps']
    """
    titles = objectives_table()["title"]
    rows = []
    for objective, goal, kpi, target in strategy:
        if kpi not in KPIS:
            raise ValueError(f"unknown KPI {kpi!r}; known KPIs: {', '.join(KPIS)}")
        rows.append({"objective": objective, "objective_title": titles.get(objective, ""), "service_goal": goal,
                     "kpi": kpi, "direction": KPIS[kpi].direction, "target": float(target)})
    return pd.DataFrame(rows)


# -- the service policy ---------------------------------------------------------------------------
#: Support plans from the lowest tier to the highest.
PLAN_ORDER: tuple[str, ...] = ("SUP-STANDARD", "SUP-PREMIUM", "SUP-CRITICAL")
#: The lowest support plan each customer segment may be on.
SEGMENT_MINIMUM: dict[str, str] = {"SMB": "SUP-STANDARD", "Mid-market": "SUP-STANDARD", "Enterprise": "SUP-PREMIUM"}
#: Industries with a higher minimum, whatever the segment (GDP-regulated 2-8 C pharma stores need fast answers).
INDUSTRY_MINIMUM: dict[str, str] = {"pharma": "SUP-PREMIUM"}
#: The regulated cold-chain industries of objective O4.
COLD_CHAIN_INDUSTRIES: tuple[str, ...] = ("pharma", "food_beverage", "logistics")
#: Share of tickets whose first response must meet the plan's target, per plan.
ATTAINMENT_TARGET: dict[str, float] = {"SUP-STANDARD": 0.90, "SUP-PREMIUM": 0.95, "SUP-CRITICAL": 0.98}
#: The phone queue's service level: this share of calls answered within PHONE_ANSWER_SECONDS.
PHONE_SERVICE_LEVEL = 0.80
PHONE_ANSWER_SECONDS = 20


def policy_table() -> pd.DataFrame:
    """The service policy as a table: who must be on which plan, and how often each plan's target must be met."""
    rows = [{"applies_to": f"segment {segment}", "minimum_plan": plan} for segment, plan in SEGMENT_MINIMUM.items()]
    rows += [{"applies_to": f"industry {industry} (any segment)", "minimum_plan": plan}
             for industry, plan in INDUSTRY_MINIMUM.items()]
    table = pd.DataFrame(rows)
    table["attainment_target_pct"] = [100 * ATTAINMENT_TARGET[p] for p in table["minimum_plan"]]
    return table


def _rank(plan: str) -> int:
    try:
        return PLAN_ORDER.index(plan)
    except ValueError:
        raise ValueError(f"unknown support plan {plan!r}; plans are {', '.join(PLAN_ORDER)}") from None


def required_plan(segment: str, industry: str) -> str:
    """The lowest plan the policy allows for a customer: the higher of its segment's and its industry's minimum."""
    if segment not in SEGMENT_MINIMUM:
        raise ValueError(f"unknown segment {segment!r}; segments are {', '.join(SEGMENT_MINIMUM)}")
    plans = [SEGMENT_MINIMUM[segment], INDUSTRY_MINIMUM.get(industry, PLAN_ORDER[0])]
    return max(plans, key=_rank)


def policy_gaps(customers: pd.DataFrame) -> pd.DataFrame:
    """Accounts on a lower plan than the policy requires: customer_id, name, segment, industry, support_plan,
    required_plan, in customer_id order."""
    required = [required_plan(s, i) for s, i in zip(customers["segment"], customers["industry"])]
    below = np.array([_rank(p) < _rank(r) for p, r in zip(customers["support_plan"], required)], dtype=bool)
    out = customers[["customer_id", "name", "segment", "industry", "support_plan"]].copy()
    out["required_plan"] = required
    return out[below].sort_values("customer_id").reset_index(drop=True)


# -- measuring ------------------------------------------------------------------------------------
def _period(frame: pd.DataFrame, column: str, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.Series:
    """Rows whose ``column`` falls in [start, end)."""
    return (frame[column] >= pd.Timestamp(start)) & (frame[column] < pd.Timestamp(end))


def _judged(status: pd.DataFrame) -> pd.DataFrame:
    """Tickets whose SLA can be judged: answered, or already overdue without an answer."""
    return status[status["responded"] | status["breached"]]


def sla_attainment(tickets: pd.DataFrame, customers: pd.DataFrame, products: pd.DataFrame,
                   start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
    """First-response SLA met per support plan, for tickets created in [start, end), against the policy.

    One row per plan (in :data:`PLAN_ORDER`): ``tickets`` judged (answered, or already overdue), ``met``,
    ``attainment_pct``, ``target_pct`` (:data:`ATTAINMENT_TARGET`) and ``meets_policy``. Phone and on-site tickets
    are answered at once, so they count as met.
    """
    status = _judged(support.sla_status(tickets[_period(tickets, "created_at", start, end)], customers, products))
    grouped = status.groupby("support_plan")["breached"]
    table = pd.DataFrame({"tickets": grouped.size(), "met": grouped.size() - grouped.sum()})
    table = table.reindex([p for p in PLAN_ORDER if p in table.index])
    table["attainment_pct"] = 100.0 * table["met"] / table["tickets"]
    table["target_pct"] = [100.0 * ATTAINMENT_TARGET[p] for p in table.index]
    table["meets_policy"] = table["attainment_pct"] >= table["target_pct"]
    return table


def service_kpis(tickets: pd.DataFrame, customers: pd.DataFrame, products: pd.DataFrame, calls: pd.DataFrame,
                 start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.Series:
    """Every KPI of :data:`KPIS` for [start, end); percentages are 0-100.

    Tickets count in the period they were created in, except for the survey and reopen KPIs, which count the tickets
    *resolved* in it (the survey is sent at resolution): ``csat_pct`` and ``reopen_pct`` are measured with the
    Level 5 metric definitions of :mod:`ssup.performance`, so both levels report the same numbers. Calls count in the
    hour they were offered; ``plan_compliance_pct`` is measured on the customer accounts as they are now.
    """
    from ssup import performance  # the Level 5 metrics catalogue: one definition of CSAT and reopen rate

    catalogue = {m.name: m for m in performance.SALES_SUPPORT_METRICS}
    resolved = {"tickets": tickets}
    t = tickets[_period(tickets, "created_at", start, end)]
    answered = tickets[_period(tickets, "resolved_at", start, end)]  # unresolved tickets (NaT) fall outside
    c = calls[_period(calls, "interval_start", start, end)]
    status = _judged(support.sla_status(t, customers, products))
    industry = status["customer_id"].map(customers.set_index("customer_id")["industry"])
    cold = status[industry.isin(COLD_CHAIN_INDUSTRIES).to_numpy()]
    offered = float(c["calls_offered"].sum())
    values = {
        "nps": metrics.nps(answered["nps"]),
        "plan_compliance_pct": 100.0 * (1 - len(policy_gaps(customers)) / len(customers)),
        "sla_met_pct": 100.0 * (1 - status["breached"].mean()),
        "csat_pct": performance.measure(catalogue["csat_pct"], resolved, start, end),
        "reopen_pct": performance.measure(catalogue["reopen_pct"], resolved, start, end),
        "first_line_resolution_pct": 100.0 * (1 - t["escalated"].mean()),
        "phone_service_level_pct": 100.0 * c["answered_within_20s"].sum() / offered if offered else math.nan,
        "abandon_pct": 100.0 * c["abandoned"].sum() / offered if offered else math.nan,
        "cold_chain_sla_met_pct": 100.0 * (1 - cold["breached"].mean()) if len(cold) else math.nan,
    }
    return pd.Series(values, name="value", dtype=float).rename_axis("kpi")


# -- the scorecard --------------------------------------------------------------------------------
#: Scorecard statuses, best first.
STATUSES: tuple[str, ...] = ("on target", "near target", "off target")


def scorecard(baselines: Mapping[str, float] | pd.Series, strategy: pd.DataFrame | None = None,
              tolerance: float = 0.05) -> pd.DataFrame:
    """The strategy's KPIs with their measured value, target, gap and status.

    ``baselines`` maps KPI name -> measured value (e.g. :func:`service_kpis`). ``strategy`` is a table like
    :func:`strategy_table` (columns objective, kpi, direction, target); default Kestrel's. ``gap`` is value minus
    target, signed so that a positive gap is better than target. Status: ``on target`` when the gap is 0 or more,
    ``near target`` when the shortfall is within ``tolerance`` (a fraction) of the target, ``off target`` otherwise.

    >>> card = scorecard({"csat_pct": 82.0, "reopen_pct": 4.0}, pd.DataFrame(
    ...     {"objective": ["O2", "O2"], "kpi": ["csat_pct", "reopen_pct"], "direction": ["higher", "lower"],
    ...      "target": [85.0, 5.0]}))
    >>> card[["kpi", "gap", "status"]].values.tolist()
    [['csat_pct', -3.0, 'near target'], ['reopen_pct', 1.0, 'on target']]
    """
    table = (strategy_table() if strategy is None else strategy).copy().reset_index(drop=True)
    missing = [c for c in ("kpi", "direction", "target") if c not in table.columns]
    if missing:
        raise ValueError(f"the strategy table needs the columns kpi, direction and target; missing {missing}")
    values = pd.Series(baselines, dtype=float)
    absent = [k for k in table["kpi"] if k not in values.index]
    if absent:
        raise ValueError(f"no measured value for {', '.join(absent)}")
    table["value"] = table["kpi"].map(values).astype(float)
    sign = np.where(table["direction"] == "lower", -1.0, 1.0)
    table["gap"] = sign * (table["value"] - table["target"])
    allowed = tolerance * table["target"].abs()
    table["status"] = np.select([table["gap"] >= 0, -table["gap"] <= allowed], list(STATUSES[:2]), STATUSES[2])
    return table
