"""Service metrics for Level 5-6 sales support: CSAT, NPS, MAPE and XmR charts.

Every function takes a list, tuple, numpy array or pandas Series of numbers.
Bad input raises :class:`ValueError` with a sentence that names the bad value:

- ``csat`` and ``nps`` drop missing answers (``NaN``, ``None``, ``pd.NA``) before
  counting, because a survey question left blank is not a score;
- every other function refuses missing values, since a gap in a series of
  actuals or in a control chart should be dealt with on purpose;
- ``True``/``False``, text and infinite values are never accepted as numbers.

XmR (individuals and moving range) charts follow Donald J. Wheeler,
*Understanding Variation: The Key to Managing Chaos* (SPC Press): the natural
process limits are the average +/- 2.66 x the average moving range, and the
upper range limit is 3.267 x the average moving range (Wheeler prints 3.27).
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import TYPE_CHECKING, NamedTuple, Sequence, Union

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "XmRLimits",
    "csat",
    "nps",
    "mape",
    "xmr_limits",
    "xmr_signals",
    "control_chart",
]

Numbers = Union[Sequence[float], np.ndarray, pd.Series]

#: Scaling factor from the average moving range to the natural process limits.
E2 = 2.66
#: Scaling factor from the average moving range to the upper range limit.
D4 = 3.267
#: Length of a run on one side of the centre line that counts as a signal.
RUN_LENGTH = 8


def _is_missing(x: object) -> bool:
    if x is None or x is pd.NA:
        return True
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return False
    return math.isnan(float(x))


def _numbers(values: Numbers, name: str, *, drop_missing: bool) -> tuple[np.ndarray, list[int]]:
    """Check ``values``; return them as a 1-D float array and their original positions."""
    if not isinstance(values, (list, tuple, np.ndarray, pd.Series)):
        raise ValueError(
            f"{name} must be a list, tuple, numpy array or pandas Series of numbers, "
            f"not {type(values).__name__}."
        )
    items = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values, dtype=object)
    if items.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (a single column of numbers).")
    out, positions = [], []
    for i, x in enumerate(items):
        if _is_missing(x):
            if drop_missing:
                continue
            raise ValueError(f"{name} has a missing value (NaN) at position {i}; remove or fill it first.")
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, decimal.Decimal)):
            raise ValueError(f"{name} must contain only numbers; {x!r} at position {i} is not a number.")
        if not math.isfinite(float(x)):
            raise ValueError(f"{name} must contain only finite numbers; {x!r} at position {i} is not.")
        out.append(float(x))
        positions.append(i)
    return np.array(out, dtype=float), positions


def _scores(scores: Numbers, name: str, low: int, high: int) -> np.ndarray:
    """Survey scores: missing answers dropped, whole numbers from low to high."""
    arr, positions = _numbers(scores, "scores", drop_missing=True)
    if arr.size == 0:
        raise ValueError(f"There are no {name} scores to summarise: the input is empty or only missing values.")
    for i, x in zip(positions, arr):
        if not x.is_integer() or not low <= x <= high:
            raise ValueError(f"{name} scores must be whole numbers from {low} to {high}; got {x:g} at position {i}.")
    return arr


def csat(scores: Numbers) -> float:
    """Customer satisfaction (CSAT): percent of answers scoring 4 or 5 on a 1-5 scale.

    Missing answers (NaN, None, pd.NA) are dropped first; they are not counted
    as responses.

    >>> csat([5, 4, 3, 1, 5])
    60.0
    """
    arr = _scores(scores, "CSAT", 1, 5)
    return float(100.0 * np.count_nonzero(arr >= 4) / arr.size)


def nps(scores: Numbers) -> float:
    """Net Promoter Score: percent promoters (9-10) minus percent detractors (0-6).

    Scores are on the 0-10 "how likely are you to recommend us" scale; 7 and 8
    (passives) count as responses but neither add nor subtract. The result is
    between -100 and +100. Missing answers are dropped first.

    >>> nps([10, 9, 8, 7, 6])
    20.0
    """
    arr = _scores(scores, "NPS", 0, 10)
    promoters = np.count_nonzero(arr >= 9)
    detractors = np.count_nonzero(arr <= 6)
    return float(100.0 * (promoters - detractors) / arr.size)


def mape(actual: Numbers, estimate: Numbers) -> float:
    """Mean absolute percentage error, in percent.

    The mean of ``|actual - estimate| / |actual|`` times 100. An actual of 0
    makes the percentage undefined, so it raises ValueError naming its
    position; the two inputs must have the same length.

    >>> round(mape([100, 200], [110, 190]), 6)
    7.5
    """
    a, _ = _numbers(actual, "actual", drop_missing=False)
    e, _ = _numbers(estimate, "estimate", drop_missing=False)
    if a.size != e.size:
        raise ValueError(f"actual has {a.size} values but estimate has {e.size}; they must be the same length.")
    if a.size == 0:
        raise ValueError("actual and estimate are empty, so there is nothing to compare.")
    zeros = np.flatnonzero(a == 0)
    if zeros.size:
        raise ValueError(f"actual is 0 at position {zeros[0]}; MAPE is undefined when an actual value is zero.")
    return float(np.mean(np.abs(a - e) / np.abs(a)) * 100.0)


class XmRLimits(NamedTuple):
    """Centre line and limits of an XmR chart."""

    centre: float  #: average of the values
    lcl: float  #: lower natural process limit: centre - 2.66 x average moving range
    ucl: float  #: upper natural process limit: centre + 2.66 x average moving range
    mr_ucl: float  #: upper range limit for the moving ranges: 3.267 x average moving range


def _series(values: Numbers) -> np.ndarray:
    arr, _ = _numbers(values, "values", drop_missing=False)
    if arr.size < 2:
        raise ValueError(f"An XmR chart needs at least 2 values (to get one moving range); got {arr.size}.")
    return arr


def _limits(arr: np.ndarray) -> XmRLimits:
    centre = float(arr.mean())
    mr_bar = float(np.abs(np.diff(arr)).mean())
    return XmRLimits(centre, centre - E2 * mr_bar, centre + E2 * mr_bar, D4 * mr_bar)


def xmr_limits(values: Numbers) -> XmRLimits:
    """Wheeler's XmR chart limits from individual values (at least 2).

    centre = mean; lcl/ucl = centre -/+ 2.66 x average moving range;
    mr_ucl = 3.267 x average moving range. Limits are not clipped at zero.

    >>> [round(v, 3) for v in xmr_limits([10, 12, 10, 12])]
    [11.0, 5.68, 16.32, 6.534]
    """
    return _limits(_series(values))


def _runs_of_eight(arr: np.ndarray, centre: float) -> np.ndarray:
    side = np.sign(arr - centre)
    flags = np.zeros(arr.size, dtype=bool)
    start = 0
    for i in range(1, arr.size + 1):
        if i == arr.size or side[i] != side[start]:
            if side[start] != 0 and i - start >= RUN_LENGTH:
                flags[start:i] = True
            start = i
    return flags


def xmr_signals(values: Numbers) -> pd.DataFrame:
    """Table of the values with the two XmR detection rules applied.

    Columns:

    - ``value``: the individual value;
    - ``moving_range``: ``|value - previous value|`` (NaN for the first row);
    - ``out_of_limits``: Wheeler's Detection Rule One, a point outside the
      natural process limits (strictly above ucl or below lcl);
    - ``run_of_eight``: the run rule, the point is part of a run of 8 or more
      successive values on the same side of the centre line. A value exactly
      on the centre line belongs to neither side and ends a run.

    A pandas Series keeps its index; other inputs get 0, 1, 2, ...

    >>> xmr_signals([10, 12, 10, 12, 10, 30]).out_of_limits.tolist()
    [False, False, False, False, False, True]
    """
    arr = _series(values)
    lim = _limits(arr)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(arr.size)
    moving_range = np.concatenate([[np.nan], np.abs(np.diff(arr))])
    return pd.DataFrame(
        {
            "value": arr,
            "moving_range": moving_range,
            "out_of_limits": (arr > lim.ucl) | (arr < lim.lcl),
            "run_of_eight": _runs_of_eight(arr, lim.centre),
        },
        index=index,
    )


def control_chart(
    values: Numbers,
    ax: Axes | None = None,
    title: str = "X chart (individual values)",
    ylabel: str = "Value",
) -> Axes:
    """Draw an X chart: the values, centre line, LCL, UCL, out-of-limit points in red.

    Draws on ``ax`` if given, otherwise on a new figure. Returns the Axes and
    never calls ``plt.show()``, so the caller decides how to display or save it.

    >>> ax = control_chart([10, 12, 11, 13, 30])
    >>> ax.get_ylabel()
    'Value'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    table = xmr_signals(values)
    lim = _limits(table["value"].to_numpy())
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    x = table.index
    ax.plot(x, table["value"], marker="o", color="tab:blue", label="value")
    ax.axhline(lim.centre, color="black", linewidth=1, label=f"centre {lim.centre:.4g}")
    ax.axhline(lim.ucl, color="tab:red", linestyle="--", linewidth=1, label=f"UCL {lim.ucl:.4g}")
    ax.axhline(lim.lcl, color="tab:red", linestyle="--", linewidth=1, label=f"LCL {lim.lcl:.4g}")
    out = table[table["out_of_limits"]]
    if len(out):
        ax.scatter(out.index, out["value"], color="red", s=80, zorder=3, label="outside limits")
    ax.set_title(title)
    ax.set_xlabel(table.index.name or "observation")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax
