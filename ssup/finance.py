"""Investment appraisal for sales proposals: NPV, IRR and payback.

Cash flows are one per period (usually a year), and ``cashflows[0]`` happens
now, at time 0, so it is not discounted. This is numpy-financial's convention
for ``npf.npv``. Excel's ``NPV()`` is different: it discounts its first value
by one period, so in Excel write ``=C0 + NPV(rate, C1:Cn)``.

Rates are fractions per period: 0.08 means 8%.
"""

from __future__ import annotations

import math
import numbers
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

__all__ = ["npv", "irr", "discounted_payback", "payback", "compare_proposals"]

Cashflows = Union[Sequence[float], np.ndarray, pd.Series]

#: IRR search grid, as growth factors 1 + rate: from -99.9% to +999,900% per period.
_IRR_GROWTH = np.geomspace(1e-3, 1e4, 4001)


def _cashflows(cashflows: Cashflows) -> np.ndarray:
    if not isinstance(cashflows, (list, tuple, np.ndarray, pd.Series)):
        raise ValueError(
            f"cashflows must be a list, tuple, array or Series of numbers, not {type(cashflows).__name__}."
        )
    items = list(cashflows.to_numpy() if isinstance(cashflows, pd.Series) else cashflows)
    if len(items) == 0:
        raise ValueError("cashflows is empty: give at least the time-0 cash flow.")
    for i, x in enumerate(items):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) or not math.isfinite(float(x)):
            raise ValueError(f"cashflows must be finite numbers; {x!r} at period {i} is not.")
    return np.array(items, dtype=float)


def _rate(rate: object) -> float:
    if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, numbers.Real) or not math.isfinite(float(rate)):
        raise ValueError(f"rate must be a finite number such as 0.08 for 8%; got {rate!r}.")
    if rate <= -1:
        raise ValueError(f"rate must be greater than -1 (that is, -100%); got {rate!r}.")
    return float(rate)


def _npv(growth: float, flows: np.ndarray) -> float:
    return float(np.sum(flows / growth ** np.arange(flows.size)))


def npv(rate: float, cashflows: Cashflows) -> float:
    """Net present value, with ``cashflows[0]`` at time 0 (not discounted).

    ``sum(cashflows[t] / (1 + rate) ** t)`` -- numpy-financial's ``npv``, not
    Excel's ``NPV()`` (which would discount the first flow too).

    >>> round(npv(0.10, [-100, 60, 60]), 2)
    4.13
    """
    return _npv(1.0 + _rate(rate), _cashflows(cashflows))


def irr(cashflows: Cashflows) -> float:
    """Internal rate of return: the rate per period at which the NPV is 0.

    The cash flows must change sign (an outlay and some income) or there is no
    IRR. This function looks for every IRR between -99.9% and +999,900% per
    period: it finds where the NPV changes sign on a fine grid of rates and
    refines each bracket with ``scipy.optimize.brentq``. A rate where the NPV
    only touches 0 without crossing it is not found.

    Cash flows that change sign more than once (say an outlay, income, then a
    closing cost) can have several IRRs (Descartes' rule of signs). Then the
    IRR closest to 0 is returned -- the same choice numpy-financial's ``irr``
    makes -- and the project is better judged by :func:`npv` at your own rate.

    >>> round(irr([-100, 60, 60]), 4)
    0.1307
    """
    flows = _cashflows(cashflows)
    if not (flows > 0).any() or not (flows < 0).any():
        raise ValueError(
            f"cashflows {flows.tolist()} never change sign (they need both an outlay and some income), "
            "so there is no IRR."
        )
    from scipy.optimize import brentq  # imported here: scipy.optimize takes over half a second to load

    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        values = np.polyval(flows[::-1], 1.0 / _IRR_GROWTH)  # NPV at every grid rate
        sign = np.where(np.isfinite(values), np.sign(values), np.nan)
        roots = list(_IRR_GROWTH[sign == 0] - 1.0)
        for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):
            g = brentq(_npv, _IRR_GROWTH[i], _IRR_GROWTH[i + 1], args=(flows,), xtol=1e-14, rtol=1e-14)
            roots.append(g - 1.0)
    if not roots:
        raise ValueError(
            f"No IRR found: the NPV of cashflows {flows.tolist()} does not cross 0 "
            "at any rate from -99.9% to +999,900%."
        )
    return float(min(roots, key=abs))


def _payback(discounted: np.ndarray) -> Optional[float]:
    cumulative = np.cumsum(discounted)
    if cumulative[-1] < 0:
        return None
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    t = int(negative[-1]) + 1  # the period in which the cumulative total turns >= 0 for good
    return float(t - 1 + -cumulative[t - 1] / discounted[t])


def discounted_payback(rate: float, cashflows: Cashflows) -> Optional[float]:
    """Periods until the discounted cash flows add up to 0 or more, or None if never.

    Each flow is discounted to time 0 (``cashflows[0]`` is not discounted) and
    added up. Within the period where the running total turns non-negative the
    result is interpolated linearly: ``(t - 1) + shortfall / discounted flow of t``.
    If later outlays push the total below 0 again, the payback is when it turns
    non-negative for the last time; None if the total ends below 0.

    >>> round(discounted_payback(0.10, [-100, 60, 60]), 3)
    1.917
    """
    flows = _cashflows(cashflows)
    growth = 1.0 + _rate(rate)
    return _payback(flows / growth ** np.arange(flows.size))


def payback(cashflows: Cashflows) -> Optional[float]:
    """Undiscounted payback in periods, interpolated within the period; None if never.

    The same rule as :func:`discounted_payback` with a rate of 0.

    >>> round(payback([-100, 60, 60]), 4)
    1.6667
    """
    return _payback(_cashflows(cashflows))


def compare_proposals(proposals: Mapping[str, Cashflows], rate: float) -> pd.DataFrame:
    """One row per proposal, in the order given: npv, irr and discounted_payback.

    ``proposals`` maps a name to its cash flows (time 0 first). Where a
    proposal has no IRR or never pays back, the cell is NaN. Sort the result
    yourself, e.g. ``.sort_values("npv", ascending=False)``.

    >>> table = compare_proposals({"A": [-100, 60, 60], "B": [-100, 0, 130]}, 0.10)
    >>> table.round(3).values.tolist()
    [[4.132, 0.131, 1.917], [7.438, 0.14, 1.931]]
    """
    if not isinstance(proposals, Mapping) or len(proposals) == 0:
        raise ValueError("proposals must be a non-empty dict of name -> cashflows.")
    rate = _rate(rate)
    rows = {}
    for name, cashflows in proposals.items():
        try:
            flows = _cashflows(cashflows)
        except ValueError as err:
            raise ValueError(f"proposal {name!r}: {err}") from None
        try:
            irr_value = irr(flows)
        except ValueError:  # no sign change, or no IRR in the searched range
            irr_value = math.nan
        dpb = discounted_payback(rate, flows)
        rows[name] = {"npv": npv(rate, flows), "irr": irr_value,
                      "discounted_payback": math.nan if dpb is None else dpb}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["npv", "irr", "discounted_payback"])
    table.index.name = "proposal"
    return table
