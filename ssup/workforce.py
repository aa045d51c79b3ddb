"""Workforce planning for the Service Desk phone queue: forecast the calls per hour, staff every hour with
Erlang C, check a rota against the service level, and compare what-if scenarios.

The data is the hourly telephony report (``phone_calls.csv``: one row per open hour, Mon-Fri 08:00-18:00).
Forecasting is deliberately simple and explainable (a head of service must defend it to the board):

    calls(weekday, hour) = calls on an average day  x  share of a day's calls in that weekday and hour

* the **level** is the same month last year (so the season is built in), grown by the year-on-year growth;
* the **shape** is the last ``profile_weeks`` weeks' average for each weekday and hour (so it is recent).

Days with fewer than half the calls of a typical day of the same weekday (bank holidays, the Christmas week)
are left out of both, because they say nothing about an ordinary week.

Staffing uses :func:`ssup.staffing.staffing_plan` (Erlang C); :func:`staffing_scenarios` runs it for several
what-ifs at once and :func:`plot_staffing` draws agents against demand, hour by hour.

>>> calls = pd.DataFrame({"interval_start": pd.date_range("2026-06-01 08:00", periods=3, freq="h"),
...                       "calls_offered": [4, 10, 6]})
>>> weekly_profile(calls).loc["Mon"].tolist()
[4.0, 10.0, 6.0]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ssup import staffing

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "WEEKDAYS", "AGENT_COST_PER_HOUR_GBP", "SCENARIO_KEYS", "weekly_profile", "daily_calls", "monthly_calls",
    "year_on_year_growth", "forecast_month", "check_plan", "staffing_scenarios", "plot_staffing",
]

#: The days the phone line is open, Monday first.
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
#: Fully loaded cost of one scheduled agent-hour (salary, employer's costs, equipment), in GBP.
AGENT_COST_PER_HOUR_GBP = 24.0
#: What a what-if scenario may change (see :func:`staffing_scenarios`).
SCENARIO_KEYS: tuple[str, ...] = ("volume", "aht_seconds", "target_answer_seconds", "service_level_target",
                                  "shrinkage", "max_occupancy")


def _slots(calls: pd.DataFrame, time_col: str, value: str) -> pd.DataFrame:
    for column in (time_col, value):
        if column not in calls.columns:
            raise ValueError(f"the calls table has no column {column!r}; columns are {list(calls.columns)}")
    times = pd.to_datetime(calls[time_col])
    return pd.DataFrame({"time": times, "day": times.dt.normalize(), "weekday": times.dt.day_of_week,
                         "hour": times.dt.hour, "value": calls[value].astype(float)})


def _ordinary_days(slots: pd.DataFrame) -> pd.DataFrame:
    """Open weekdays only, without days far quieter than a typical day of the same weekday (holidays)."""
    slots = slots[slots["weekday"] < 5]
    totals = slots.groupby("day")["value"].sum()
    weekday = pd.Series(totals.index.day_of_week, index=totals.index)
    typical = totals.groupby(weekday).transform("median")
    keep = totals.index[totals >= 0.5 * typical]
    return slots[slots["day"].isin(keep)]


def weekly_profile(calls: pd.DataFrame, value: str = "calls_offered", start: Optional[str] = None,
                   end: Optional[str] = None, time_col: str = "interval_start") -> pd.DataFrame:
    """Average ``value`` per weekday (rows Mon-Fri) and hour (columns), over [start, end) if given.

    Holidays (days with under half a typical day's calls) are left out.
    """
    slots = _slots(calls, time_col, value)
    if start is not None:
        slots = slots[slots["time"] >= pd.Timestamp(start)]
    if end is not None:
        slots = slots[slots["time"] < pd.Timestamp(end)]
    slots = _ordinary_days(slots)
    if slots.empty:
        raise ValueError("there are no weekday calls in the period asked for")
    table = slots.pivot_table(index="weekday", columns="hour", values="value", aggfunc="mean")
    table.index = [WEEKDAYS[i] for i in table.index]
    table.index.name = "weekday"
    return table


def daily_calls(calls: pd.DataFrame, value: str = "calls_offered", time_col: str = "interval_start") -> pd.Series:
    """Total ``value`` per open day (every weekday in the table, holidays included)."""
    slots = _slots(calls, time_col, value)
    slots = slots[slots["weekday"] < 5]
    return slots.groupby("day")["value"].sum().rename(value)


def monthly_calls(calls: pd.DataFrame, value: str = "calls_offered", time_col: str = "interval_start") -> pd.Series:
    """Average ``value`` per ordinary open day, by calendar month (a Series indexed by month periods)."""
    slots = _ordinary_days(_slots(calls, time_col, value))
    per_day = slots.groupby("day")["value"].sum()
    return per_day.groupby(per_day.index.to_period("M")).mean().rename(f"{value}_per_day")


def year_on_year_growth(calls: pd.DataFrame, value: str = "calls_offered", end: Optional[str] = None,
                        time_col: str = "interval_start") -> float:
    """Growth of the last twelve months over the twelve before: ``total(last 12) / total(previous 12) - 1``.

    ``end`` (exclusive) defaults to the day after the last interval in the table. 0.12 means 12% growth.
    """
    slots = _slots(calls, time_col, value)
    stop = pd.Timestamp(end) if end is not None else slots["day"].max() + pd.Timedelta(days=1)
    middle, first = stop - pd.DateOffset(years=1), stop - pd.DateOffset(years=2)
    if slots["day"].min() > first:
        raise ValueError(f"year-on-year growth needs two full years of data before {stop.date()}; "
                         f"the table starts on {slots['time'].min().date()}")
    last = slots.loc[(slots["time"] >= middle) & (slots["time"] < stop), "value"].sum()
    previous = slots.loc[(slots["time"] >= first) & (slots["time"] < middle), "value"].sum()
    if previous == 0:
        raise ValueError("the earlier twelve months have no calls, so growth is undefined")
    return float(last / previous - 1.0)


def forecast_month(calls: pd.DataFrame, month: str, value: str = "calls_offered", growth: Optional[float] = None,
                   profile_weeks: int = 26, time_col: str = "interval_start") -> pd.DataFrame:
    """Forecast ``value`` for each weekday and hour of a typical week in ``month`` (e.g. ``"2026-07"``).

    ``calls on an average day`` = the average ordinary day of the same month a year earlier x (1 + growth);
    ``growth`` defaults to :func:`year_on_year_growth` of the whole table. The weekday-and-hour shape comes from
    the last ``profile_weeks`` weeks of the table. Returns one row per interval, indexed ``"Mon 08:00"`` ...,
    with columns weekday, hour and calls: ready for :func:`ssup.staffing.staffing_plan`.

    The five days add up to five average days: ``forecast.calls.sum() == 5 x level``.
    """
    target = pd.Period(month, freq="M")
    slots = _ordinary_days(_slots(calls, time_col, value))
    base = slots[slots["time"].dt.to_period("M") == target - 12]
    if base.empty:
        raise ValueError(f"there is no data for {target - 12}, the same month a year before {target}")
    if growth is None:
        growth = year_on_year_growth(calls, value, time_col=time_col)
    level = base.groupby("day")["value"].sum().mean() * (1.0 + float(growth))
    recent = slots[slots["time"] >= slots["day"].max() + pd.Timedelta(days=1) - pd.Timedelta(weeks=profile_weeks)]
    mean = recent.groupby(["weekday", "hour"])["value"].mean()
    day_mean = mean.groupby(level="weekday").sum().mean()
    shape = mean / day_mean
    table = shape.mul(level).rename("calls").reset_index()
    table.insert(0, "weekday", [WEEKDAYS[w] for w in table.pop("weekday")])
    table.index = [f"{w} {h:02d}:00" for w, h in zip(table["weekday"], table["hour"])]
    table.index.name = "interval"
    return table


def _agents_for(forecast: pd.DataFrame, agents: Any) -> np.ndarray:
    if isinstance(agents, pd.DataFrame):
        if "agents" not in agents.columns:
            raise ValueError("the staffing table needs an 'agents' column (agents on the phones per interval)")
        agents = agents["agents"]
    if isinstance(agents, pd.Series) and not agents.index.equals(pd.RangeIndex(len(agents))):
        missing = [i for i in forecast.index if i not in agents.index]
        if missing:
            raise ValueError(f"no agents given for interval(s) {', '.join(map(str, missing[:3]))}")
        agents = agents.reindex(forecast.index)
    values = np.asarray(agents, dtype=float).reshape(-1)
    if len(values) != len(forecast):
        raise ValueError(f"{len(values)} agent numbers for {len(forecast)} intervals: give one per interval")
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ValueError("agents must be whole numbers of 0 or more in every interval")
    return values.astype(int)


def check_plan(forecast: pd.DataFrame, agents: Union[pd.Series, pd.DataFrame, Sequence[int]], aht_seconds: float,
               target_answer_seconds: float = 20, service_level_target: float = 0.8,
               interval_seconds: float = 3600) -> pd.DataFrame:
    """Service level that ``agents`` give in each interval of ``forecast``, and whether it meets the target.

    ``agents`` is one whole number per interval (a list, or a Series / staffing table indexed like the forecast).
    Columns: calls, agents, service_level (0-1), meets (service_level >= service_level_target).
    """
    numbers = _agents_for(forecast, agents)
    calls = forecast["calls"].astype(float).to_numpy()
    levels = [staffing.service_level(float(c), aht_seconds, int(n), target_answer_seconds, interval_seconds)
              for c, n in zip(calls, numbers)]
    table = pd.DataFrame({"calls": calls, "agents": numbers, "service_level": levels}, index=forecast.index)
    table["meets"] = table["service_level"] >= service_level_target - 1e-12
    return table


def staffing_scenarios(forecast: pd.DataFrame, scenarios: Mapping[str, Mapping[str, float]], aht_seconds: float,
                       target_answer_seconds: float = 20, service_level_target: float = 0.8,
                       shrinkage: float = 0.0, max_occupancy: Optional[float] = None,
                       cost_per_hour: float = AGENT_COST_PER_HOUR_GBP) -> pd.DataFrame:
    """A week's staffing under several what-ifs, one row per scenario.

    Each scenario is a dict of changes to the base assumptions (the keyword arguments): ``volume`` multiplies the
    forecast calls (1.15 = 15% more), and ``aht_seconds``, ``target_answer_seconds``, ``service_level_target``,
    ``shrinkage`` or ``max_occupancy`` replace the base value. ``{}`` is the base case. Columns: calls
    (per week), agent_hours (agents on the phones), scheduled_hours (after shrinkage), peak_scheduled,
    occupancy (workload / agent hours) and weekly_cost_gbp (scheduled hours x ``cost_per_hour``).

    >>> week = pd.DataFrame({"calls": [100.0, 200.0]})
    >>> staffing_scenarios(week, {"base": {}, "busier": {"volume": 1.5}}, aht_seconds=180,
    ...                    shrinkage=0.3)["scheduled_hours"].tolist()
    [32, 44]
    """
    base = {"volume": 1.0, "aht_seconds": aht_seconds, "target_answer_seconds": target_answer_seconds,
            "service_level_target": service_level_target, "shrinkage": shrinkage, "max_occupancy": max_occupancy}
    rows = {}
    for name, changes in scenarios.items():
        unknown = [k for k in changes if k not in SCENARIO_KEYS]
        if unknown:
            raise ValueError(f"scenario {name!r} changes {unknown}; a scenario may change {', '.join(SCENARIO_KEYS)}")
        p = {**base, **changes}
        calls = forecast["calls"].astype(float) * float(p["volume"])
        plan = staffing.staffing_plan(calls, p["aht_seconds"], p["target_answer_seconds"],
                                      p["service_level_target"], max_occupancy=p["max_occupancy"],
                                      shrinkage=p["shrinkage"])
        hours = int(plan["agents"].sum())
        workload = float(calls.sum()) * float(p["aht_seconds"]) / 3600.0
        rows[name] = {"calls": float(calls.sum()), "agent_hours": hours,
                      "scheduled_hours": int(plan["scheduled"].sum()),
                      "peak_scheduled": int(plan["scheduled"].max()),
                      "occupancy": workload / hours if hours else math.nan,
                      "weekly_cost_gbp": float(plan["scheduled"].sum()) * cost_per_hour}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "scenario"
    return table


def plot_staffing(plan: pd.DataFrame, aht_seconds: float, rota: Optional[Sequence[int]] = None,
                  ax: Optional["Axes"] = None,
                  title: str = "Agents on the phones against demand, hour by hour") -> "Axes":
    """Bars: agents needed on the phones per interval (``plan["agents"]``, from a staffing plan). Line: the
    workload in the same unit, ``calls x aht / 3600`` (agents that would be busy all hour). The gap between them
    is what keeps callers from waiting. ``rota`` (optional) draws the agents actually rostered, as a step line.

    The plan's index should be the forecast's interval labels (``"Mon 08:00"`` ...); days are separated by
    vertical lines. Returns the Axes; call ``plt.show()`` yourself.
    """
    import matplotlib.pyplot as plt

    for column in ("calls", "agents"):
        if column not in plan.columns:
            raise ValueError(f"the plan needs a {column!r} column, as ssup.staffing.staffing_plan returns")
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(plan))
    workload = plan["calls"].astype(float).to_numpy() * aht_seconds / 3600.0
    ax.bar(x, plan["agents"], width=0.8, color="#9bb3f0", label="agents needed (Erlang C)")
    ax.plot(x, workload, color="#b3261e", marker="o", markersize=3, linewidth=1.5,
            label="workload (calls x AHT / 3600)")
    if rota is not None:
        ax.step(x, np.asarray(rota, dtype=float), where="mid", color="black", linewidth=1.2, label="current rota")
    labels = [str(i) for i in plan.index]
    days = [label.split()[0] for label in labels]
    starts = [i for i in range(len(days)) if i == 0 or days[i] != days[i - 1]]
    for s in starts[1:]:
        ax.axvline(s - 0.5, color="grey", linewidth=0.8)
    ends = starts[1:] + [len(days)]
    ax.set_xticks([(s + e - 1) / 2 for s, e in zip(starts, ends)], [days[s] for s in starts])
    ax.set_xlim(-0.6, len(plan) - 0.4)
    ax.set_ylim(0, max(float(plan["agents"].max()), float(np.max(rota)) if rota is not None else 0.0) + 1.6)
    ax.set_xlabel("Interval (one bar per hour, 08:00-18:00)")
    ax.set_ylabel("Agents")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small", ncol=3)
    return ax
