"""Critical path method (CPM) scheduling and a Gantt chart (Level 4).

A plan is a table with one row per task: ``task`` (an id), ``duration`` (working
days, 0 for a milestone) and ``predecessors`` (the tasks that must finish first:
a list such as ``["A", "B"]``, a comma-separated string such as ``"A, B"``, or
``""``/``None``/``NaN``/``[]`` for none). All dependencies are finish-to-start.

- :func:`schedule`          forward and backward pass: ES, EF, LS, LF, slack
- :func:`project_duration`  earliest finish of the whole project
- :func:`critical_path`     one complete chain of zero-slack tasks
- :func:`gantt`             a Gantt chart of a schedule
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["schedule", "critical_path", "project_duration", "gantt", "TOLERANCE"]

#: Slack within this distance of zero counts as zero (the task is critical).
TOLERANCE = 1e-9
PLAN_COLUMNS = ("task", "duration", "predecessors")


class _Network(NamedTuple):
    ids: list[Hashable]  # input order
    duration: dict[Hashable, float]
    preds: dict[Hashable, list[Hashable]]
    succs: dict[Hashable, list[Hashable]]  # in input order
    order: list[Hashable]  # a topological order


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers
        return False


def _predecessor_tokens(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        return [t.strip() if isinstance(t, str) else t for t in value if not _is_missing(t)]
    if _is_missing(value):
        return []
    return [value]  # a single id written as a number, e.g. 3


def _network(tasks: pd.DataFrame) -> _Network:
    """Validate the plan table and return its dependency network."""
    if not isinstance(tasks, pd.DataFrame):
        raise TypeError(f"tasks must be a pandas DataFrame, not {type(tasks).__name__}.")
    missing = [c for c in PLAN_COLUMNS if c not in tasks.columns]
    if missing:
        raise ValueError(
            f"The plan is missing the column(s) {', '.join(map(repr, missing))}; "
            f"it needs {', '.join(map(repr, PLAN_COLUMNS))}."
        )
    if len(tasks) == 0:
        raise ValueError("The plan has no tasks.")

    ids: list[Hashable] = []
    duration: dict[Hashable, float] = {}
    for task, d in zip(tasks["task"], tasks["duration"]):
        if _is_missing(task):
            raise ValueError(f"A task has no id (row {len(ids) + 1} of the plan); give every task an id.")
        if task in duration:
            raise ValueError(f"Task {task!r} appears more than once in the plan; task ids must be unique.")
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d):
            raise ValueError(f"Task {task!r} has duration {d!r}; a duration must be a number of working days.")
        if d < 0:
            raise ValueError(f"Task {task!r} has a negative duration ({d:g}); use 0 or more working days.")
        ids.append(task)
        duration[task] = float(d)

    by_text = {str(t).strip(): t for t in ids}
    preds: dict[Hashable, list[Hashable]] = {}
    for task, raw in zip(ids, tasks["predecessors"]):
        resolved: list[Hashable] = []
        for token in _predecessor_tokens(raw):
            found = token if token in duration else by_text.get(str(token).strip())
            if found is None:
                raise ValueError(f"Task {task!r} lists predecessor {token!r}, which is not a task in the plan.")
            if found not in resolved:
                resolved.append(found)
        preds[task] = resolved

    try:
        order = list(TopologicalSorter(preds).static_order())
    except CycleError as err:
        cycle = err.args[1]
        if len(cycle) == 2:
            raise ValueError(f"Task {cycle[0]!r} lists itself as a predecessor.") from None
        loop = " -> ".join(repr(t) for t in cycle)  # each must finish before the next
        raise ValueError(
            f"Tasks {loop} depend on each other in a cycle, so they cannot be scheduled; "
            "remove one of these dependencies."
        ) from None

    succs: dict[Hashable, list[Hashable]] = {t: [] for t in ids}
    for task in ids:
        for p in preds[task]:
            succs[p].append(task)
    return _Network(ids, duration, preds, succs, order)


def _passes(net: _Network) -> dict[str, dict[Hashable, float]]:
    """Forward pass (ES, EF) then backward pass (LS, LF)."""
    es: dict[Hashable, float] = {}
    ef: dict[Hashable, float] = {}
    for t in net.order:
        es[t] = max((ef[p] for p in net.preds[t]), default=0.0)
        ef[t] = es[t] + net.duration[t]
    finish = max(ef.values())
    ls: dict[Hashable, float] = {}
    lf: dict[Hashable, float] = {}
    for t in reversed(net.order):
        lf[t] = min((ls[s] for s in net.succs[t]), default=finish)
        ls[t] = lf[t] - net.duration[t]
    return {"es": es, "ef": ef, "ls": ls, "lf": lf}


def schedule(tasks: pd.DataFrame) -> pd.DataFrame:
    """Critical path schedule: one row per task, in the order of the input table.

    Columns: ``es``/``ef`` (earliest start/finish), ``ls``/``lf`` (latest start/finish),
    ``slack`` (ls - es; values within 1e-9 of zero are set to 0) and ``critical``
    (slack is zero). Times are working days from the project start (time 0).

    Raises ValueError, naming the task, for a duplicate id, an unknown predecessor,
    a cycle, or a negative or non-numeric duration.

    >>> plan = pd.DataFrame({"task": ["A", "B", "C"], "duration": [1, 3, 1],
    ...                      "predecessors": ["", "", "A"]})
    >>> schedule(plan)  # doctest: +NORMALIZE_WHITESPACE
           es   ef   ls   lf  slack  critical
    task
    A     0.0  1.0  1.0  2.0    1.0     False
    B     0.0  3.0  0.0  3.0    0.0      True
    C     1.0  2.0  2.0  3.0    1.0     False
    """
    net = _network(tasks)
    times = _passes(net)
    out = pd.DataFrame({k: [v[t] for t in net.ids] for k, v in times.items()},
                       index=pd.Index(net.ids, name="task"))
    slack = out["ls"] - out["es"]
    out["critical"] = slack.abs() <= TOLERANCE
    out.insert(4, "slack", slack.where(~out["critical"], 0.0))
    return out


def project_duration(tasks: pd.DataFrame) -> float:
    """Earliest finish of the whole project (the length of the critical path).

    >>> plan = pd.DataFrame({"task": ["A", "B", "C"], "duration": [1, 3, 1],
    ...                      "predecessors": ["", "", "A"]})
    >>> project_duration(plan)
    3.0
    """
    return float(max(_passes(_network(tasks))["ef"].values()))


def critical_path(tasks: pd.DataFrame) -> list[Hashable]:
    """Task ids along one complete critical path, from a start task to an end task.

    The chain starts at the first zero-slack task without predecessors (in input
    order) and repeatedly moves to a zero-slack successor that starts exactly when
    the current task finishes; when several qualify, the one listed first in the
    input is taken. So when there are several critical paths, the result is the one
    that follows the input order; every critical task is still flagged by
    :func:`schedule`.

    >>> plan = pd.DataFrame({"task": ["A", "B", "C"], "duration": [1, 3, 1],
    ...                      "predecessors": ["", "", "A"]})
    >>> critical_path(plan)
    ['B']
    """
    net = _network(tasks)
    times = _passes(net)
    es, ef = times["es"], times["ef"]

    def critical(t: Hashable) -> bool:
        return abs(times["ls"][t] - es[t]) <= TOLERANCE

    # A zero-slack start task always exists, and every zero-slack task either ends
    # the project or has a zero-slack successor starting when it finishes.
    current = next(t for t in net.ids if not net.preds[t] and critical(t))
    path = [current]
    while True:
        nxt = next((s for s in net.succs[current]
                    if critical(s) and abs(es[s] - ef[current]) <= TOLERANCE), None)
        if nxt is None:
            return path
        path.append(nxt)
        current = nxt


def gantt(
    schedule_df: pd.DataFrame,
    ax: Axes | None = None,
    title: str = "Project schedule (critical path highlighted)",
) -> Axes:
    """Draw a Gantt chart of a :func:`schedule` result and return the matplotlib Axes.

    Bars run from ES to EF; critical tasks are red, others blue, and each task's
    slack is a light grey bar from EF to LF. Zero-duration tasks (milestones) are
    diamonds. The first task is at the top; the legend sits to the right of the
    chart. ``plt.show()`` is not called.

    >>> plan = pd.DataFrame({"task": ["A", "B", "C"], "duration": [1, 3, 1],
    ...                      "predecessors": ["", "", "A"]})
    >>> ax = gantt(schedule(plan))
    >>> ax.get_xlabel()
    'Working days from start'
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    needed = ("es", "ef", "slack", "critical")
    missing = [c for c in needed if c not in schedule_df.columns]
    if missing:
        raise ValueError(
            f"The schedule is missing the column(s) {', '.join(map(repr, missing))}; "
            "pass the table returned by schedule()."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.45 * len(schedule_df) + 1.5))

    colours = {True: "#d62728", False: "#1f77b4"}
    slack_colour = "#d9d9d9"
    rows = range(len(schedule_df))
    es = schedule_df["es"].astype(float).to_numpy()
    ef = schedule_df["ef"].astype(float).to_numpy()
    slack = schedule_df["slack"].astype(float).to_numpy()
    crit = schedule_df["critical"].astype(bool).to_numpy()
    milestone = (ef - es) <= TOLERANCE

    has_slack = slack > TOLERANCE
    ax.barh([y for y, s in zip(rows, has_slack) if s], slack[has_slack], left=ef[has_slack],
            height=0.3, color=slack_colour, edgecolor="#a0a0a0")
    task = ~milestone
    if task.any():  # one call for every task bar (in row order), coloured by criticality
        ax.barh(np.flatnonzero(task), (ef - es)[task], left=es[task], height=0.6,
                color=[colours[bool(c)] for c in crit[task]])
    for y in np.flatnonzero(milestone):
        ax.plot([es[y]], [y], marker="D", markersize=9, color=colours[bool(crit[y])], linestyle="none", zorder=3)

    ax.set_yticks(list(rows), [str(t) for t in schedule_df.index])
    ax.invert_yaxis()
    ax.set_xlim(0, max(float((ef + slack).max()), 1.0) * 1.05)
    ax.set_xlabel("Working days from start")
    ax.set_ylabel("Task")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=colours[True], label="Critical task"),
               Patch(color=colours[False], label="Non-critical task"),
               Patch(facecolor=slack_colour, edgecolor="#a0a0a0", label="Slack (float)")]
    if milestone.any():
        handles.append(Line2D([], [], marker="D", color="grey", linestyle="none",
                              label="Milestone (0 days)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax
