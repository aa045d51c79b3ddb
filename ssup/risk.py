"""Risk register calculations: EMV and a Monte Carlo contingency (Level 4).

A risk register here is a table with one row per risk and (at least) the columns
``probability`` (a chance from 0 to 1, so 25% is 0.25) and ``impact`` (the cost if
the risk happens; a negative impact is a saving, i.e. an opportunity). The row
index labels name the risks in error messages, so a register indexed by risk id
gives the clearest messages.

- :func:`expected_monetary_value`  sum of probability x impact
- :func:`risk_register_summary`    the register with an ``emv`` column, largest first
- :func:`contingency`              a P80 (or other) reserve from simulation

EMV versus a simulated contingency
----------------------------------
EMV is the *average* total risk cost over many imagined repeats of the project. No
single project pays the average: each risk either happens (full impact) or not
(nothing). :func:`contingency` simulates that all-or-nothing behaviour and returns
the amount that covers the total risk cost in, say, 80% of simulated projects. A
lone 10% chance of a 100,000 loss has EMV 10,000, yet its P80 contingency is 0 and
its P95 contingency is the full 100,000. With many independent risks the simulated
P50 comes close to EMV and P80 sits above it.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

__all__ = ["expected_monetary_value", "risk_register_summary", "contingency"]

REGISTER_COLUMNS = ("probability", "impact")


def _is_number(value: object) -> bool:
    return (not isinstance(value, bool) and isinstance(value, numbers.Real)
            and math.isfinite(value))


def _checked(register: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Validate the register; return its probabilities and impacts as float arrays."""
    if not isinstance(register, pd.DataFrame):
        raise TypeError(f"The risk register must be a pandas DataFrame, not {type(register).__name__}.")
    missing = [c for c in REGISTER_COLUMNS if c not in register.columns]
    if missing:
        raise ValueError(
            f"The risk register is missing the column(s) {', '.join(map(repr, missing))}; "
            "it needs 'probability' (0 to 1) and 'impact'."
        )
    for label, p, impact in zip(register.index, register["probability"], register["impact"]):
        if not _is_number(p):
            raise ValueError(f"Risk {label!r} has probability {p!r}, which is not a number from 0 to 1.")
        if not 0 <= p <= 1:
            raise ValueError(
                f"Risk {label!r} has probability {p!r}, outside 0 to 1 (write 25% as 0.25)."
            )
        if not _is_number(impact):
            raise ValueError(f"Risk {label!r} has impact {impact!r}, which is not a finite number.")
    return (register["probability"].to_numpy(dtype=float),
            register["impact"].to_numpy(dtype=float))


def expected_monetary_value(register: pd.DataFrame) -> float:
    """Expected monetary value: the sum over all risks of probability x impact.

    >>> reg = pd.DataFrame({"probability": [0.25, 0.1], "impact": [80_000, -100_000]},
    ...                    index=["weather", "material price"])
    >>> expected_monetary_value(reg)
    10000.0
    """
    p, impact = _checked(register)
    return float(math.fsum(p * impact))


def risk_register_summary(register: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the register with an ``emv`` column, sorted by EMV, largest first.

    Ties keep their original order; the index labels are kept.

    >>> reg = pd.DataFrame({"probability": [0.5, 0.3], "impact": [8_000, 30_000]},
    ...                    index=["C", "B"])
    >>> risk_register_summary(reg)["emv"].to_dict()
    {'B': 9000.0, 'C': 4000.0}
    """
    p, impact = _checked(register)
    out = register.copy()
    out["emv"] = p * impact
    return out.sort_values("emv", ascending=False, kind="stable")


def contingency(
    register: pd.DataFrame, n: int = 10_000, seed: int | None = 0, percentile: float = 80
) -> float:
    """Monte Carlo contingency: the ``percentile`` of simulated total risk cost.

    In each of ``n`` simulated projects every risk happens independently with its
    probability and then costs its full impact. The result is the smallest simulated
    total that at least ``percentile`` % of the simulations do not exceed (numpy's
    ``inverted_cdf`` method, so it is a total that actually occurred). Unlike EMV,
    the average, this answers "how much reserve covers us in 80% of cases?".

    >>> reg = pd.DataFrame({"probability": [0.1], "impact": [100_000]})
    >>> expected_monetary_value(reg)
    10000.0
    >>> contingency(reg, percentile=80), contingency(reg, percentile=95)
    (0.0, 100000.0)
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n (the number of simulations) must be a whole number of 1 or more, not {n!r}.")
    if not _is_number(percentile) or not 0 <= percentile <= 100:
        raise ValueError(f"percentile must be a number from 0 to 100, not {percentile!r}.")
    p, impact = _checked(register)
    rng = np.random.default_rng(seed)
    happens = rng.random((int(n), p.size)) < p
    totals = happens @ impact
    return float(np.percentile(totals, percentile, method="inverted_cdf"))
