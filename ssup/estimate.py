"""Three-point estimates, Monte Carlo totals and completion probabilities (Level 4).

A sales-support bid often rests on estimates with three numbers per task or cost
item: *optimistic* (o), *most likely* (m) and *pessimistic* (p). This module turns
them into the figures a bid needs:

- :func:`three_point`            mean and standard deviation of one estimate
- :func:`summarise_tasks`        the same for every row of a table
- :func:`portfolio_three_point`  the total of a table (means add, variances add)
- :func:`monte_carlo`            simulated totals, for P50/P80 answers
- :func:`percentiles`            ``{"P50": ..., "P80": ...}`` from simulated totals
- :func:`completion_probability` P(total <= deadline) with a normal approximation

Formulas (o <= m <= p):

=============  =================  ==========================================
method         mean               standard deviation
=============  =================  ==========================================
``pert``       (o + 4m + p) / 6   (p - o) / 6
``triangular`` (o + m + p) / 3    sqrt((o² + m² + p² - om - op - mp) / 18)
=============  =================  ==========================================
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "ThreePoint",
    "METHODS",
    "DISTRIBUTIONS",
    "three_point",
    "monte_carlo",
    "completion_probability",
    "percentiles",
    "summarise_tasks",
    "portfolio_three_point",
]

METHODS = ("pert", "triangular")
DISTRIBUTIONS = ("triangular", "pert")
ESTIMATE_COLUMNS = ("optimistic", "most_likely", "pessimistic")


class ThreePoint(NamedTuple):
    """Mean and standard deviation of a three-point estimate."""

    mean: float
    sd: float


def _number(value: object, name: str) -> float:
    """Return ``value`` as a float, or raise ValueError if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"The {name} must be a number, not {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"The {name} must be a finite number, not {value!r}.")
    return float(value)


def _check_triple(optimistic: object, most_likely: object, pessimistic: object) -> tuple[float, float, float]:
    o = _number(optimistic, "optimistic estimate")
    m = _number(most_likely, "most likely estimate")
    p = _number(pessimistic, "pessimistic estimate")
    if o > m:
        raise ValueError(
            f"The optimistic estimate ({o:g}) is larger than the most likely estimate ({m:g}); "
            "a three-point estimate needs optimistic <= most likely <= pessimistic."
        )
    if m > p:
        raise ValueError(
            f"The most likely estimate ({m:g}) is larger than the pessimistic estimate ({p:g}); "
            "a three-point estimate needs optimistic <= most likely <= pessimistic."
        )
    return o, m, p


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"Unknown {what} {value!r}; choose one of: {choices}.")
    return value


def three_point(
    optimistic: float, most_likely: float, pessimistic: float, method: str = "pert"
) -> ThreePoint:
    """Mean and standard deviation of one three-point estimate.

    ``method="pert"`` uses the PERT (beta) approximations, ``"triangular"`` the exact
    moments of a triangular distribution on [optimistic, pessimistic] with its peak
    at most_likely.

    >>> three_point(2, 4, 12)
    ThreePoint(mean=5.0, sd=1.6666666666666667)
    >>> three_point(2, 4, 12, method="triangular").mean
    6.0
    """
    _check_choice(method, METHODS, "method")
    o, m, p = _check_triple(optimistic, most_likely, pessimistic)
    if method == "pert":
        return ThreePoint((o + 4 * m + p) / 6, (p - o) / 6)
    variance = (o * o + m * m + p * p - o * m - o * p - m * p) / 18
    return ThreePoint((o + m + p) / 3, math.sqrt(max(variance, 0.0)))


def _task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """Check ``tasks`` has the three estimate columns, at least one row and valid rows."""
    if not isinstance(tasks, pd.DataFrame):
        raise TypeError(f"tasks must be a pandas DataFrame, not {type(tasks).__name__}.")
    missing = [c for c in ESTIMATE_COLUMNS if c not in tasks.columns]
    if missing:
        raise ValueError(
            f"The tasks table is missing the column(s) {', '.join(map(repr, missing))}; "
            f"it needs {', '.join(map(repr, ESTIMATE_COLUMNS))}."
        )
    if len(tasks) == 0:
        raise ValueError("The tasks table has no rows; add at least one task or cost item.")
    for label, o, m, p in zip(tasks.index, *(tasks[c] for c in ESTIMATE_COLUMNS)):
        try:
            _check_triple(o, m, p)
        except ValueError as err:
            raise ValueError(f"Row {label!r} of the tasks table: {err}") from None
    return tasks


def summarise_tasks(tasks: pd.DataFrame, method: str = "pert") -> pd.DataFrame:
    """Return a copy of ``tasks`` with ``mean`` and ``sd`` columns added for each row.

    >>> t = pd.DataFrame({"optimistic": [1, 2], "most_likely": [2, 4], "pessimistic": [3, 12]})
    >>> summarise_tasks(t)[["mean", "sd"]].round(3)
       mean     sd
    0   2.0  0.333
    1   5.0  1.667
    """
    _check_choice(method, METHODS, "method")
    out = _task_table(tasks).copy()
    results = [three_point(o, m, p, method) for o, m, p in zip(*(out[c] for c in ESTIMATE_COLUMNS))]
    out["mean"] = [r.mean for r in results]
    out["sd"] = [r.sd for r in results]
    return out


def portfolio_three_point(tasks: pd.DataFrame, method: str = "pert") -> ThreePoint:
    """Total of all rows: the sum of the means and sqrt of the sum of the variances.

    Adding variances assumes the rows are independent (the usual PERT assumption).

    >>> t = pd.DataFrame({"optimistic": [1, 2], "most_likely": [2, 4], "pessimistic": [3, 12]})
    >>> total = portfolio_three_point(t)
    >>> round(total.mean, 2), round(total.sd, 3)
    (7.0, 1.7)
    """
    summary = summarise_tasks(tasks, method)
    return ThreePoint(float(summary["mean"].sum()), float(math.sqrt((summary["sd"] ** 2).sum())))


def monte_carlo(
    tasks: pd.DataFrame,
    n: int = 10_000,
    seed: int | None = 0,
    distribution: str = "triangular",
) -> np.ndarray:
    """Simulate ``n`` totals of all rows of ``tasks`` (one draw per row, summed).

    Each row is drawn independently from a triangular distribution, or from the
    Beta-PERT distribution (alpha = 1 + 4(m-o)/(p-o), beta = 1 + 4(p-m)/(p-o),
    scaled to [o, p]). A row with o == p is a constant. The same ``seed`` always
    gives the same array.

    >>> t = pd.DataFrame({"optimistic": [1, 2], "most_likely": [2, 4], "pessimistic": [3, 12]})
    >>> totals = monte_carlo(t, n=1000, seed=1)
    >>> totals.shape
    (1000,)
    >>> bool(3 <= totals.min() and totals.max() <= 15)
    True
    """
    _check_choice(distribution, DISTRIBUTIONS, "distribution")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n (the number of simulated totals) must be a whole number of 1 or more, not {n!r}.")
    table = _task_table(tasks)
    o, m, p = (table[c].to_numpy(dtype=float) for c in ESTIMATE_COLUMNS)
    rng = np.random.default_rng(seed)
    varies = p > o
    totals = np.full(int(n), o[~varies].sum())
    if varies.any():
        lo, mode, hi = o[varies], m[varies], p[varies]
        size = (int(n), int(varies.sum()))
        if distribution == "triangular":
            draws = rng.triangular(lo, mode, hi, size=size)
        else:
            alpha = 1 + 4 * (mode - lo) / (hi - lo)
            beta = 1 + 4 * (hi - mode) / (hi - lo)
            draws = lo + (hi - lo) * rng.beta(alpha, beta, size=size)
        totals = totals + draws.sum(axis=1)
    return totals


def completion_probability(mean: float, sd: float, deadline: float) -> float:
    """P(total <= deadline) when the total is Normal(mean, sd).

    With ``sd == 0`` the total is certain: 1.0 if ``deadline >= mean``, else 0.0.

    >>> completion_probability(15, 2, 15)
    0.5
    >>> round(completion_probability(15, 2, 19), 4)
    0.9772
    """
    mean = _number(mean, "mean")
    sd = _number(sd, "standard deviation")
    deadline = _number(deadline, "deadline")
    if sd < 0:
        raise ValueError(f"The standard deviation must not be negative, not {sd:g}.")
    if sd == 0:
        return 1.0 if deadline >= mean else 0.0
    from scipy.stats import norm  # imported here: scipy.stats takes about a second to load

    return float(norm.cdf(deadline, loc=mean, scale=sd))


def percentiles(totals: Iterable[float], levels: Iterable[float] = (50, 80, 90)) -> dict[str, float]:
    """P-level summary of simulated totals, e.g. ``{"P50": ..., "P80": ...}``.

    P80 is the value that 80% of the totals do not exceed (numpy's default linear
    interpolation, the same as Excel's PERCENTILE.INC).

    >>> percentiles([1, 2, 3, 4, 5], levels=(50, 100))
    {'P50': 3.0, 'P100': 5.0}
    """
    values = np.asarray(list(totals) if not isinstance(totals, np.ndarray) else totals, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("totals must be a non-empty list or 1-D array of numbers.")
    if not np.isfinite(values).all():
        raise ValueError("totals must contain only finite numbers (no NaN or infinity).")
    result: dict[str, float] = {}
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 <= level <= 100:
            raise ValueError(f"Each percentile level must be a number from 0 to 100, not {level!r}.")
        result[f"P{level:g}"] = float(np.percentile(values, level))
    return result
