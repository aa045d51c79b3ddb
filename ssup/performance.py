"""Metrics for sales-support performance and continual improvement (Level 5).

A metric is only useful when everybody reads it the same way, so each one in the catalogue says what it means,
how it is calculated, who owns it and what the target is. The same definitions then feed a dashboard (one value
per metric for a period, with its status), weekly series for XmR control charts (:mod:`ssup.metrics`), and the
before/after comparison of an improvement experiment.

- :class:`Metric`, :data:`SALES_SUPPORT_METRICS`   the catalogue; :func:`catalogue` prints it
- :func:`measure`                                 one metric for one period
- :func:`dashboard`                               every metric for a period, with target, gap and status
                                                  (status as in :func:`ssup.strategy.scorecard`)
- :func:`weekly`                                  one metric week by week, ready for an XmR chart
- :func:`compare_rates`                           before/after: the change in a rate, its confidence
                                                  interval and how likely chance alone would give it
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Callable, Mapping, NamedTuple, Sequence

import pandas as pd

from ssup import metrics
from ssup.calibration import effort_ratios
from ssup.quality import ADVICE_RUBRIC, score

__all__ = ["Metric", "Share", "SALES_SUPPORT_METRICS", "catalogue", "measure", "dashboard", "weekly", "RateComparison",
           "compare_rates"]


@dataclass(frozen=True)
class Metric:
    """One entry of the metrics catalogue.

    ``source`` names the table the metric is computed from and ``date_column`` the column that places a record
    in a period; ``compute`` turns that period's records into the value.
    """

    name: str
    definition: str
    formula: str
    owner: str
    target: float
    direction: str
    unit: str
    source: str
    date_column: str
    compute: Callable[[pd.DataFrame], float]

    def __post_init__(self) -> None:
        if self.direction not in ("higher", "lower"):
            raise ValueError(f"Metric {self.name}: direction must be 'higher' or 'lower', not {self.direction!r}.")


@dataclass(frozen=True)
class Share:
    """``compute`` for a metric that is a percentage of records: 100 x the share of records that ``flags``
    marks True (records it marks NaN do not count); NaN when no record counts.

    :func:`weekly` computes such a metric for every week in one grouped pass.

    >>> Share(lambda t: t["escalated"].astype(bool))(pd.DataFrame({"escalated": [1, 0, 0, 1]}))
    50.0
    """

    flags: Callable[[pd.DataFrame], pd.Series]

    def __call__(self, records: pd.DataFrame) -> float:
        return 100.0 * float(self.flags(records).astype(float).mean()) if len(records) else math.nan


def _advice_passed(reviews: pd.DataFrame) -> pd.Series:
    return score(reviews, ADVICE_RUBRIC)["passed"]


def _critical_missed(reviews: pd.DataFrame) -> pd.Series:
    critical = [c.name for c in ADVICE_RUBRIC.criteria if c.critical]
    return ~reviews[critical].astype(bool).all(axis=1)


def _csat(tickets: pd.DataFrame) -> float:
    answers = tickets["csat"].dropna()
    return metrics.csat(answers) if len(answers) else math.nan


def _estimate_mape(projects: pd.DataFrame) -> float:
    done = effort_ratios(projects)
    return metrics.mape(done["actual_effort_days"], done["estimated_effort_days"]) if len(done) else math.nan


def _bid_won(opportunities: pd.DataFrame) -> pd.Series:
    """True for a formal bid won, False for one lost, NaN for an open opportunity or one without a bid."""
    decided = opportunities["bid_required"].astype(bool) & (opportunities["outcome"] != "open")
    return (opportunities["outcome"] == "won").where(decided)


#: Kestrel's sales-support metrics catalogue.
SALES_SUPPORT_METRICS: tuple[Metric, ...] = (
    Metric("advice_pass_pct", "Reviewed tickets and bids whose advice passed the advice rubric",
           "passed reviews / reviews x 100 (ssup.quality.score)", "Sales-support manager", 90.0, "higher", "%",
           "advice_reviews", "record_week", Share(_advice_passed)),
    Metric("critical_advice_miss_pct", "Reviews where the facts were wrong or the advice did not fit the need",
           "reviews with accurate = 0 or fits_need = 0 / reviews x 100", "Sales-support manager", 5.0, "lower",
           "%", "advice_reviews", "record_week", Share(_critical_missed)),
    Metric("csat_pct", "Survey answers scoring 4 or 5 out of 5, for tickets resolved in the period",
           "answers of 4-5 / answers x 100 (ssup.metrics.csat)", "Service Desk lead", 85.0, "higher", "%",
           "tickets", "resolved_at", _csat),
    Metric("escalation_pct", "Tickets the Service Desk had to hand to another team",
           "escalated tickets / tickets created x 100", "Service Desk lead", 20.0, "lower", "%",
           "tickets", "created_at", Share(lambda t: t["escalated"].astype(bool))),
    Metric("reopen_pct", "Resolved tickets the customer had to reopen",
           "reopened tickets / tickets resolved x 100", "Technical Support lead", 5.0, "lower", "%",
           "tickets", "resolved_at", Share(lambda t: t["reopened"].astype(bool))),
    Metric("estimate_mape", "How far effort estimates were from the actual effort, for projects completed in "
           "the period", "mean of |actual - estimate| / actual x 100 (ssup.metrics.mape; implausible bookings "
           "left out)", "Presales lead", 15.0, "lower", "%", "projects", "end_date", _estimate_mape),
    Metric("bid_win_pct", "Formal bids won, of the bids decided in the period",
           "bids won / bids won or lost x 100", "Presales lead", 35.0, "higher", "%",
           "opportunities", "closed_date", Share(_bid_won)),
)


def catalogue(metrics_: Sequence[Metric] = SALES_SUPPORT_METRICS) -> pd.DataFrame:
    """The catalogue as a table indexed by metric name: definition, formula, owner, target, direction, unit,
    source.

    >>> catalogue().loc["csat_pct", "owner"]
    'Service Desk lead'
    """
    rows = [{"metric": m.name, "definition": m.definition, "formula": m.formula, "owner": m.owner,
             "target": m.target, "direction": m.direction, "unit": m.unit,
             "source": f"{m.source}.{m.date_column}"} for m in metrics_]
    return pd.DataFrame(rows).set_index("metric")


def _records(metric: Metric, tables: Mapping[str, pd.DataFrame], start: str | pd.Timestamp,
             end: str | pd.Timestamp) -> pd.DataFrame:
    if metric.source not in tables:
        raise ValueError(f"Metric {metric.name} needs the table {metric.source!r}; pass it in tables.")
    frame = tables[metric.source]
    when = frame[metric.date_column]
    return frame[(when >= pd.Timestamp(start)) & (when < pd.Timestamp(end))]


def measure(metric: Metric, tables: Mapping[str, pd.DataFrame], start: str | pd.Timestamp,
            end: str | pd.Timestamp) -> float:
    """The value of ``metric`` over the records dated in [start, end) (NaN when there are none)."""
    return float(metric.compute(_records(metric, tables, start, end)))


def dashboard(tables: Mapping[str, pd.DataFrame], start: str | pd.Timestamp, end: str | pd.Timestamp,
              metrics_: Sequence[Metric] = SALES_SUPPORT_METRICS, previous: bool = True,
              tolerance: float = 0.05) -> pd.DataFrame:
    """Every metric for [start, end): value, target, gap (positive = better than target), status and owner.

    Status: ``on target``, ``near target`` (short by at most ``tolerance`` of the target) or ``off target``, as in
    :func:`ssup.strategy.scorecard`. With ``previous``, ``last_period`` holds the value for the period of the
    same length just before, so a trend shows next to the status.
    """
    from ssup.strategy import scorecard

    values = {m.name: measure(m, tables, start, end) for m in metrics_}
    plan = pd.DataFrame({"kpi": [m.name for m in metrics_], "direction": [m.direction for m in metrics_],
                         "target": [m.target for m in metrics_]})
    card = scorecard(values, plan, tolerance=tolerance).set_index("kpi")
    card.index.name = "metric"
    out = card[["value", "target", "gap", "status"]].copy()
    if previous:
        length = pd.Timestamp(end) - pd.Timestamp(start)
        out["last_period"] = [measure(m, tables, pd.Timestamp(start) - length, start) for m in metrics_]
    out["owner"] = [m.owner for m in metrics_]
    return out


def weekly(metric: Metric, tables: Mapping[str, pd.DataFrame], start: str | pd.Timestamp,
           end: str | pd.Timestamp) -> pd.Series:
    """``metric`` week by week (weeks start on Monday) for records dated in [start, end).

    The index holds each week's Monday; a week without records is left out. ``start`` should be a Monday and
    ``end`` a Monday too, so that every week is complete.
    """
    records = _records(metric, tables, start, end)
    when = records[metric.date_column]
    week = (when.dt.normalize() - pd.to_timedelta(when.dt.day_of_week, unit="D")).rename("week")
    if isinstance(metric.compute, Share) and len(records):
        # the share of flagged records, every week at once: the same arithmetic as Share's 100 x mean
        series = 100.0 * metric.compute.flags(records).astype(float).groupby(week).mean()
    else:
        series = records.groupby(week).apply(metric.compute)
    return series.astype(float).rename(metric.name)


class RateComparison(NamedTuple):
    """A before/after comparison of a rate (all rates in percent)."""

    before: float
    after: float
    change: float  #: after - before, in percentage points
    low: float  #: lower end of the confidence interval of the change
    high: float  #: upper end of the confidence interval of the change
    p_value: float  #: chance of a change at least this large (either way) if nothing had really changed


def compare_rates(hits_before: int, n_before: int, hits_after: int, n_after: int,
                  confidence: float = 0.95) -> RateComparison:
    """Compare a rate before and after a change: hits out of n in each period.

    The interval is the normal approximation for a difference of two proportions; the p-value is the pooled
    two-proportion z-test. Both are fair for samples of 30 or more with a few hits in each.

    >>> r = compare_rates(75, 390, 27, 390)
    >>> round(r.change, 1), round(r.low, 1), round(r.high, 1), r.p_value < 0.001
    (-12.3, -17.0, -7.7, True)
    """
    for name, hits, n in (("before", hits_before, n_before), ("after", hits_after, n_after)):
        if n < 1 or not 0 <= hits <= n:
            raise ValueError(f"{name}: hits ({hits}) must be between 0 and n ({n}), and n at least 1.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, like 0.95, not {confidence!r}.")
    p1, p2 = hits_before / n_before, hits_after / n_after
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    se = math.sqrt(p1 * (1 - p1) / n_before + p2 * (1 - p2) / n_after)
    pooled = (hits_before + hits_after) / (n_before + n_after)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_after))
    p_value = 1.0 if se0 == 0 else 2 * (1 - NormalDist().cdf(abs(p2 - p1) / se0))
    change = p2 - p1
    return RateComparison(100 * p1, 100 * p2, 100 * change, 100 * (change - z * se), 100 * (change + z * se),
                          p_value)
