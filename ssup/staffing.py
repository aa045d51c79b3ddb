"""Call-centre staffing with the Erlang C queueing model.

Erlang C assumes calls arrive at random (Poisson), handling times are
exponential, nobody hangs up while waiting and every agent takes any call.
The inputs are per interval (by default one hour = 3600 s):

- traffic ``A = calls x aht_seconds / interval_seconds`` in Erlangs, i.e. the
  number of agents that would be busy all the time;
- with ``N`` agents, Erlang C gives the probability that a caller waits, and
  from it the service level, occupancy ``A / N`` and average speed of answer.

If ``N <= A`` the agents cannot keep up and the queue grows without limit:
the functions then report probability of waiting 1.0, occupancy 1.0, average
speed of answer ``inf`` and service level 0.0 rather than a misleading number.

The formula is computed with the Erlang B recursion
``B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))`` and
``C = B / (1 - (A/N)(1 - B))``, which never forms ``A**N`` or ``N!`` and so
works for thousands of agents.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple, Optional, Sequence, Union

import numpy as np
import pandas as pd

__all__ = [
    "ErlangC",
    "erlang_c",
    "service_level",
    "agents_needed",
    "scheduled_agents",
    "staffing_plan",
]


class ErlangC(NamedTuple):
    """Erlang C results for one interval."""

    traffic: float  #: offered traffic A in Erlangs
    probability_of_waiting: float  #: chance a caller is not answered at once (0-1)
    occupancy: float  #: fraction of agent time spent on calls, A / N (0-1)
    asa_seconds: float  #: average speed of answer over all calls, in seconds


def _number(name: str, value: object) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}.")
    return value


def _calls(calls: object) -> float:
    value = _number("calls", calls)
    if value < 0:
        raise ValueError(f"calls must be 0 or more; got {value:g}.")
    return value


def _positive(name: str, value: object) -> float:
    value = _number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds; got {value:g}.")
    return value


def _whole(name: str, value: object) -> int:
    number = _number(name, value)
    if number < 0 or not number.is_integer():
        raise ValueError(f"{name} must be a whole number of 0 or more; got {value!r}.")
    return int(number)


def _fraction(name: str, value: object, *, low_open: bool, high_open: bool, hint: str = "") -> float:
    number = _number(name, value)
    too_low = number <= 0 if low_open else number < 0
    too_high = number >= 1 if high_open else number > 1
    if too_low or too_high:
        interval = ("(" if low_open else "[") + "0, 1" + (")" if high_open else "]")
        raise ValueError(f"{name} must be a fraction in {interval}{hint}; got {number:g}.")
    return number


def _target_seconds(value: object) -> float:
    number = _number("target_answer_seconds", value)
    if number < 0:
        raise ValueError(f"target_answer_seconds must be 0 or more seconds; got {number:g}.")
    return number


def _erlang_c_from_b(a: float, n: int, b: float) -> float:
    """Erlang C from Erlang B for the same traffic and agents (needs n > a)."""
    return b / (1.0 - (a / n) * (1.0 - b))


def erlang_c(calls: float, aht_seconds: float, agents: int, interval_seconds: float = 3600) -> ErlangC:
    """Erlang C: traffic, probability of waiting, occupancy and ASA for one interval.

    With no calls there is nothing to queue for: probability of waiting,
    occupancy and ASA are all 0. With ``agents <= traffic`` the queue is
    unstable and the result is ``(traffic, 1.0, 1.0, inf)``.

    >>> r = erlang_c(calls=200, aht_seconds=180, agents=14)
    >>> r.traffic, round(r.probability_of_waiting, 4), round(r.occupancy, 3), round(r.asa_seconds, 1)
    (10.0, 0.1741, 0.714, 7.8)
    """
    calls = _calls(calls)
    aht_seconds = _positive("aht_seconds", aht_seconds)
    n = _whole("agents", agents)
    interval_seconds = _positive("interval_seconds", interval_seconds)
    a = calls * aht_seconds / interval_seconds
    if a == 0:
        return ErlangC(0.0, 0.0, 0.0, 0.0)
    if n <= a:
        return ErlangC(a, 1.0, 1.0, math.inf)
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    c = _erlang_c_from_b(a, n, b)
    return ErlangC(a, c, a / n, c * aht_seconds / (n - a))


def _service_level(result: ErlangC, agents: int, aht_seconds: float, target: float) -> float:
    if result.traffic == 0:
        return 1.0
    if math.isinf(result.asa_seconds):
        return 0.0
    return 1.0 - result.probability_of_waiting * math.exp(-(agents - result.traffic) * target / aht_seconds)


def service_level(
    calls: float,
    aht_seconds: float,
    agents: int,
    target_answer_seconds: float,
    interval_seconds: float = 3600,
) -> float:
    """Fraction of calls answered within ``target_answer_seconds`` (0-1).

    ``1 - C x exp(-(N - A) x target / aht)``; 1.0 with no calls, 0.0 when the
    queue is unstable (``agents <= traffic``).

    >>> round(service_level(calls=200, aht_seconds=180, agents=14, target_answer_seconds=20), 3)
    0.888
    """
    target = _target_seconds(target_answer_seconds)
    result = erlang_c(calls, aht_seconds, agents, interval_seconds)
    return _service_level(result, _whole("agents", agents), float(aht_seconds), target)


def agents_needed(
    calls: float,
    aht_seconds: float,
    target_answer_seconds: float,
    service_level_target: float,
    interval_seconds: float = 3600,
    max_occupancy: Optional[float] = None,
) -> int:
    """Smallest whole number of agents meeting the service level (and occupancy cap).

    ``service_level_target`` is a fraction strictly between 0 and 1 (0.8 for
    "80% of calls answered within the target"). If ``max_occupancy`` is
    given (a fraction in (0, 1]), occupancy ``A / N`` must not exceed it
    either. 0 calls need 0 agents. Agents on the phones only: see
    :func:`scheduled_agents` to allow for shrinkage.

    >>> agents_needed(calls=200, aht_seconds=180, target_answer_seconds=20, service_level_target=0.8)
    14
    """
    calls = _calls(calls)
    aht_seconds = _positive("aht_seconds", aht_seconds)
    target = _target_seconds(target_answer_seconds)
    goal = _fraction("service_level_target", service_level_target, low_open=True, high_open=True,
                     hint=" (e.g. 0.8 for 80%)")
    interval_seconds = _positive("interval_seconds", interval_seconds)
    if max_occupancy is not None:
        max_occupancy = _fraction("max_occupancy", max_occupancy, low_open=True, high_open=False,
                                  hint=" (e.g. 0.85 for 85%)")
    a = calls * aht_seconds / interval_seconds
    if a == 0:
        return 0
    # Walk the Erlang B recursion up from 1 agent; check each N once it is above A.
    b, n = 1.0, 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n <= a:
            continue
        c = _erlang_c_from_b(a, n, b)
        sl = 1.0 - c * math.exp(-(n - a) * target / aht_seconds)
        occupancy_ok = max_occupancy is None or a / n <= max_occupancy + 1e-12
        if sl >= goal and occupancy_ok:
            return n


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to schedule so that ``agents`` are on the phones after shrinkage.

    ``ceil(agents / (1 - shrinkage))``; shrinkage (breaks, training,
    absence...) is a fraction in [0, 1). The division is rounded to 9 decimal
    places before the ceiling, because in floating point 21 / (1 - 0.3) is
    30.000000000000004 and would otherwise give 31 instead of 30.

    >>> scheduled_agents(14, 0.3)
    20
    """
    n = _whole("agents", agents)
    s = _fraction("shrinkage", shrinkage, low_open=False, high_open=True, hint=" (e.g. 0.3 for 30%)")
    return math.ceil(round(n / (1.0 - s), 9))


def _forecast_calls(forecast: Union[pd.DataFrame, pd.Series, Sequence[float]]) -> pd.Series:
    if isinstance(forecast, pd.DataFrame):
        if "calls" in forecast.columns:
            return forecast["calls"]
        if forecast.shape[1] == 1:
            return forecast.iloc[:, 0]
        raise ValueError("forecast must have a 'calls' column (or be a single column of calls per interval).")
    if isinstance(forecast, pd.Series):
        return forecast
    if isinstance(forecast, (list, tuple, np.ndarray)):
        return pd.Series(forecast)
    raise ValueError(f"forecast must be a DataFrame or Series of calls per interval, not {type(forecast).__name__}.")


def staffing_plan(
    forecast: Union[pd.DataFrame, pd.Series, Sequence[float]],
    aht_seconds: float,
    target_answer_seconds: float,
    service_level_target: float,
    interval_seconds: float = 3600,
    max_occupancy: Optional[float] = None,
    shrinkage: float = 0.0,
) -> pd.DataFrame:
    """One row per forecast interval: calls, agents, scheduled, service_level, occupancy, asa_seconds.

    ``forecast`` is a Series of calls per interval, or a DataFrame with a
    ``calls`` column (or a single column); its index (e.g. interval start
    times) is kept. ``agents`` comes from :func:`agents_needed`, ``scheduled``
    from :func:`scheduled_agents`, and the other columns describe the
    interval when ``agents`` are on the phones.

    >>> plan = staffing_plan(pd.Series([100, 200]), aht_seconds=180,
    ...                      target_answer_seconds=20, service_level_target=0.8, shrinkage=0.3)
    >>> plan[["calls", "agents", "scheduled"]].values.tolist()
    [[100.0, 8.0, 12.0], [200.0, 14.0, 20.0]]
    """
    _fraction("shrinkage", shrinkage, low_open=False, high_open=True, hint=" (e.g. 0.3 for 30%)")
    calls = _forecast_calls(forecast)
    if len(calls) == 0:
        raise ValueError("forecast is empty: give at least one interval of calls.")
    rows = []
    for label, value in calls.items():
        try:
            n_calls = _calls(value)
        except ValueError as err:
            raise ValueError(f"forecast interval {label!r}: {err}") from None
        agents = agents_needed(n_calls, aht_seconds, target_answer_seconds, service_level_target,
                               interval_seconds, max_occupancy)
        result = erlang_c(n_calls, aht_seconds, agents, interval_seconds)
        rows.append({
            "calls": n_calls,
            "agents": agents,
            "scheduled": scheduled_agents(agents, shrinkage),
            "service_level": _service_level(result, agents, float(aht_seconds), float(target_answer_seconds)),
            "occupancy": result.occupancy,
            "asa_seconds": result.asa_seconds,
        })
    return pd.DataFrame(rows, index=calls.index)
