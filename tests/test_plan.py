"""Tests for ssup.plan: CPM forward/backward pass, critical path and Gantt chart.

Expected schedules come from published textbook solutions (cited at each test) or
are derived by hand in the comments; none is produced by ssup itself.
"""

from __future__ import annotations

import doctest
import math

import matplotlib

matplotlib.use("Agg")  # headless: no window, no plt.show()

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import ssup.plan as plan  # noqa: E402
from ssup.plan import critical_path, gantt, project_duration, schedule  # noqa: E402

COLUMNS = ["es", "ef", "ls", "lf", "slack"]

# Heizer & Render, *Operations Management* (Pearson), Ch. 3 "Project Management":
# Milwaukee Paper Manufacturing's air-pollution-control project (weeks).
MILWAUKEE = pd.DataFrame(
    {
        "task": list("ABCDEFGH"),
        "duration": [2, 3, 2, 4, 4, 3, 5, 2],
        "predecessors": ["", "", "A", "A,B", "C", "C", "D,E", "F,G"],
    }
)
# Its published forward/backward pass and slack table: ES, EF, LS, LF, slack.
MILWAUKEE_PUBLISHED = {
    "A": (0, 2, 0, 2, 0),
    "B": (0, 3, 1, 4, 1),
    "C": (2, 4, 2, 4, 0),
    "D": (3, 7, 4, 8, 1),
    "E": (4, 8, 4, 8, 0),
    "F": (4, 7, 10, 13, 6),
    "G": (8, 13, 8, 13, 0),
    "H": (13, 15, 13, 15, 0),
}


def aoa_plan(arcs):
    """Turn an activity-on-arrow network [(i, j, time)] into an activity-on-node plan.

    Activity i-j must wait for every activity that ends at node i.
    """
    rows = []
    for i, j, time in arcs:
        preds = [f"{h}-{k}" for h, k, _ in arcs if k == i]
        rows.append({"task": f"{i}-{j}", "duration": time, "predecessors": preds})
    return pd.DataFrame(rows)


def assert_schedule(result, expected):
    assert list(result.index) == list(expected)
    for task, values in expected.items():
        np.testing.assert_allclose(result.loc[task, COLUMNS].to_numpy(dtype=float), values, err_msg=task)
        assert bool(result.loc[task, "critical"]) == (values[4] == 0), task


def assert_complete_chain(tasks, path):
    """A critical path starts with no predecessors, ends the project and is unbroken."""
    sched = schedule(tasks)
    preds = dict(zip(tasks["task"], tasks["predecessors"]))
    durations = dict(zip(tasks["task"], tasks["duration"]))
    assert sched.loc[path, "critical"].all()
    assert sched.loc[path[0], "es"] == 0
    assert sched.loc[path[-1], "ef"] == pytest.approx(project_duration(tasks))
    for before, after in zip(path, path[1:]):
        listed = preds[after]
        listed = [p.strip() for p in listed.split(",")] if isinstance(listed, str) else list(listed)
        assert before in listed
        assert sched.loc[after, "es"] == pytest.approx(sched.loc[before, "ef"])
    assert sum(durations[t] for t in path) == pytest.approx(project_duration(tasks))


# ------------------------------------------------------------------ published examples


def test_milwaukee_paper_schedule_matches_heizer_render():
    # Heizer & Render, Operations Management, Ch. 3: ES/EF/LS/LF and slack of
    # activities A-H (slack B = 1, D = 1, F = 6, all others 0).
    assert_schedule(schedule(MILWAUKEE), MILWAUKEE_PUBLISHED)


def test_milwaukee_paper_critical_path_and_duration():
    # Heizer & Render, Ch. 3: critical path A-C-E-G-H, project completion 15 weeks.
    assert critical_path(MILWAUKEE) == list("ACEGH")
    assert project_duration(MILWAUKEE) == 15.0
    assert isinstance(project_duration(MILWAUKEE), float)


def test_milwaukee_paper_in_any_row_order_and_predecessor_format():
    shuffled = MILWAUKEE.iloc[[7, 3, 0, 5, 1, 6, 2, 4]].reset_index(drop=True)
    shuffled["predecessors"] = [[p.strip() for p in s.split(",") if p] for s in shuffled["predecessors"]]
    result = schedule(shuffled)
    assert list(result.index) == list("HDAFBGCE")  # rows stay in input order
    assert_schedule(result.loc[list("ABCDEFGH")], MILWAUKEE_PUBLISHED)
    assert critical_path(shuffled) == list("ACEGH")


def test_taylor_seven_activity_network():
    # Taylor, Introduction to Management Science (Pearson), Ch. 8 "Project
    # Management", solution to problem 5: activity times and the published
    # ES/EF/LS/LF/slack table; critical path 1-3-4-5-6, 20 weeks.
    tasks = aoa_plan([(1, 2, 7), (1, 3, 10), (2, 4, 6), (3, 4, 5), (3, 5, 4), (4, 5, 3), (5, 6, 2)])
    published = {
        "1-2": (0, 7, 2, 9, 2),
        "1-3": (0, 10, 0, 10, 0),
        "2-4": (7, 13, 9, 15, 2),
        "3-4": (10, 15, 10, 15, 0),
        "3-5": (10, 14, 14, 18, 4),
        "4-5": (15, 18, 15, 18, 0),
        "5-6": (18, 20, 18, 20, 0),
    }
    assert_schedule(schedule(tasks), published)
    assert critical_path(tasks) == ["1-3", "3-4", "4-5", "5-6"]
    assert project_duration(tasks) == 20.0


def test_taylor_network_with_dummy_activity_and_many_predecessors():
    # Taylor, Introduction to Management Science, Ch. 8 solutions: the 13-activity
    # network with a zero-time dummy 4-5; published ES/EF/LS/LF/slack table and
    # critical path 1-3-5-7-8-9 of 38 weeks. Activities 5-7 and 5-8 each wait for
    # three predecessors (2-5, 3-5 and the dummy 4-5).
    tasks = aoa_plan(
        [(1, 2, 8), (1, 3, 10), (1, 4, 9), (2, 5, 6), (2, 6, 4), (3, 5, 5), (4, 5, 0),
         (4, 7, 7), (5, 7, 12), (5, 8, 15), (6, 9, 18), (7, 8, 4), (8, 9, 7)]
    )
    published = {
        "1-2": (0, 8, 1, 9, 1),
        "1-3": (0, 10, 0, 10, 0),
        "1-4": (0, 9, 6, 15, 6),
        "2-5": (8, 14, 9, 15, 1),
        "2-6": (8, 12, 16, 20, 8),
        "3-5": (10, 15, 10, 15, 0),
        "4-5": (9, 9, 15, 15, 6),
        "4-7": (9, 16, 20, 27, 11),
        "5-7": (15, 27, 15, 27, 0),
        "5-8": (15, 30, 16, 31, 1),
        "6-9": (12, 30, 20, 38, 8),
        "7-8": (27, 31, 27, 31, 0),
        "8-9": (31, 38, 31, 38, 0),
    }
    assert len(tasks.loc[tasks["task"] == "5-7", "predecessors"].item()) == 3
    assert_schedule(schedule(tasks), published)
    assert critical_path(tasks) == ["1-3", "3-5", "5-7", "7-8", "8-9"]
    assert project_duration(tasks) == 38.0


# --------------------------------------------------------- hand-derived special cases


def test_two_critical_paths_choose_by_input_order():
    # Milwaukee Paper with B lengthened from 3 to 4 weeks. By hand: paths
    # A-C-E-G-H = 2+2+4+5+2 = 15 and B-D-G-H = 4+4+5+2 = 15 are both critical;
    # D: ES = max(EF A 2, EF B 4) = 4, EF 8 = LF 8; F keeps slack 6.
    tasks = MILWAUKEE.copy()
    tasks.loc[tasks["task"] == "B", "duration"] = 4
    expected = dict(MILWAUKEE_PUBLISHED, B=(0, 4, 0, 4, 0), D=(4, 8, 4, 8, 0))
    assert_schedule(schedule(tasks), expected)
    assert project_duration(tasks) == 15.0
    assert critical_path(tasks) == list("ACEGH")  # A is listed before B
    assert_complete_chain(tasks, critical_path(tasks))

    b_first = tasks.iloc[[1, 0, 3, 2, 4, 5, 6, 7]].reset_index(drop=True)
    assert critical_path(b_first) == list("BDGH")  # B is listed first now
    assert_complete_chain(b_first, critical_path(b_first))
    assert_schedule(schedule(b_first).loc[list("ABCDEFGH")], expected)


def test_milestones_and_a_task_with_many_predecessors():
    # A bid plan (working days), derived by hand:
    #   Kickoff (0) -> Scope 2 -> Review 2 ->+
    #   Kickoff -> Pricing 5 ------------->+
    #   Kickoff -> Legal 2 --------------->+-> Submit (0, five predecessors) -> Present 1
    #   Kickoff -> Solution 5 ------------>+
    #   Kickoff -> Refs 1 ---------------->+
    # Forward: Submit ES = max(4, 5, 2, 5, 1) = 5; Present 5-6; project 6 days.
    # Backward: Submit LS = LF = 5, so slack Scope/Review 1, Legal 3, Refs 4;
    # Pricing and Solution are both critical; Kickoff LF = min LS = 0.
    tasks = pd.DataFrame(
        {
            "task": ["Kickoff", "Scope", "Review", "Pricing", "Legal", "Solution", "Refs", "Submit", "Present"],
            "duration": [0, 2, 2, 5, 2, 5, 1, 0, 1],
            "predecessors": [None, "Kickoff", ["Scope"], ("Kickoff",), "Kickoff ", "Kickoff",
                             ["Kickoff"], "Review, Pricing,Legal , Solution,Refs", "Submit"],
        }
    )
    expected = {
        "Kickoff": (0, 0, 0, 0, 0),
        "Scope": (0, 2, 1, 3, 1),
        "Review": (2, 4, 3, 5, 1),
        "Pricing": (0, 5, 0, 5, 0),
        "Legal": (0, 2, 3, 5, 3),
        "Solution": (0, 5, 0, 5, 0),
        "Refs": (0, 1, 4, 5, 4),
        "Submit": (5, 5, 5, 5, 0),
        "Present": (5, 6, 5, 6, 0),
    }
    assert_schedule(schedule(tasks), expected)
    assert project_duration(tasks) == 6.0
    assert critical_path(tasks) == ["Kickoff", "Pricing", "Submit", "Present"]


def test_zero_duration_milestones_inside_a_chain():
    # By hand: Start(0) -> Build 3 -> Gate(0) -> Ship 2 -> Done(0); Docs 1 after Start,
    # before Done. All on one 5-day chain except Docs (ES 0, LS 4, slack 4).
    tasks = pd.DataFrame(
        {
            "task": ["Start", "Docs", "Build", "Gate", "Ship", "Done"],
            "duration": [0, 1, 3, 0, 2, 0],
            "predecessors": ["", "Start", "Start", "Build", "Gate", "Ship,Docs"],
        }
    )
    result = schedule(tasks)
    assert result.loc["Docs", "slack"] == 4
    assert critical_path(tasks) == ["Start", "Build", "Gate", "Ship", "Done"]
    assert project_duration(tasks) == 5.0


@pytest.mark.parametrize("empty", ["", None, np.nan, [], (), "  "])
def test_every_way_of_writing_no_predecessors(empty):
    tasks = pd.DataFrame({"task": ["A", "B"], "duration": [2, 3], "predecessors": [empty, "A"]})
    assert project_duration(tasks) == 5.0
    assert critical_path(tasks) == ["A", "B"]


def test_integer_task_ids_with_string_or_list_predecessors():
    tasks = pd.DataFrame({"task": [1, 2, 3], "duration": [1.5, 2.0, 0.5],
                          "predecessors": ["", "1", [1, 2]]})
    result = schedule(tasks)
    assert list(result.index) == [1, 2, 3]
    assert result.loc[3, "es"] == 3.5
    assert critical_path(tasks) == [1, 2, 3]


def test_fractional_durations_keep_slack_exactly_zero():
    # 0.1 + 0.2 != 0.3 in floating point; both paths are 0.3 long, so both critical.
    tasks = pd.DataFrame({"task": ["a", "b", "c", "end"], "duration": [0.1, 0.2, 0.3, 0],
                          "predecessors": ["", "a", "", "b,c"]})
    result = schedule(tasks)
    assert result["critical"].all()
    assert (result["slack"] == 0).all()
    assert critical_path(tasks) == ["a", "b", "end"]


def test_schedule_columns_and_types():
    result = schedule(MILWAUKEE)
    assert list(result.columns) == ["es", "ef", "ls", "lf", "slack", "critical"]
    assert result.index.name == "task"
    assert result["critical"].dtype == bool
    assert all(result[c].dtype == float for c in COLUMNS)


# ------------------------------------------------------------------- property tests


@st.composite
def random_plans(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    durations = draw(st.lists(st.integers(min_value=0, max_value=9), min_size=n, max_size=n))
    preds = [sorted(draw(st.sets(st.integers(min_value=0, max_value=i - 1), max_size=3))) if i else []
             for i in range(n)]
    order = draw(st.permutations(range(n)))
    rows = [{"task": f"T{i}", "duration": durations[i], "predecessors": [f"T{p}" for p in preds[i]]}
            for i in order]
    return pd.DataFrame(rows)


def longest_path_by_enumeration(tasks):
    """Independent check: the length of the longest chain, by trying every chain."""
    preds = dict(zip(tasks["task"], tasks["predecessors"]))
    duration = dict(zip(tasks["task"], tasks["duration"]))
    succs = {t: [s for s in preds if t in preds[s]] for t in preds}
    best = 0.0

    def walk(task, length):
        nonlocal best
        length += duration[task]
        best = max(best, length)
        for s in succs[task]:
            walk(s, length)

    for start in (t for t in preds if not preds[t]):
        walk(start, 0.0)
    return best


@settings(max_examples=50, deadline=None)
@given(random_plans())
def test_cpm_invariants_on_random_networks(tasks):
    result = schedule(tasks)
    total = project_duration(tasks)
    assert total == longest_path_by_enumeration(tasks)
    preds = dict(zip(tasks["task"], tasks["predecessors"]))
    duration = dict(zip(tasks["task"], tasks["duration"]))
    rows = result.to_dict("index")
    for task, row in rows.items():
        assert row["ef"] == row["es"] + duration[task]
        assert row["lf"] == row["ls"] + duration[task]
        assert row["es"] == max((rows[p]["ef"] for p in preds[task]), default=0)
        assert row["slack"] >= 0 and row["lf"] <= total
        assert row["critical"] == (row["slack"] == 0)
        for p in preds[task]:
            assert rows[p]["lf"] <= row["ls"]
    assert max(r["ef"] for r in rows.values()) == total
    assert_complete_chain(tasks, critical_path(tasks))


# --------------------------------------------------------------------------- errors


def plan_of(durations, predecessors, ids=None):
    ids = ids or [chr(ord("A") + i) for i in range(len(durations))]
    return pd.DataFrame({"task": ids, "duration": durations, "predecessors": predecessors})


def test_cycle_is_reported_with_its_tasks():
    tasks = plan_of([1, 2, 3, 4], ["", "A,D", "B", "C"])  # B -> C -> D -> B
    with pytest.raises(ValueError) as info:
        schedule(tasks)
    message = str(info.value)
    assert "cycle" in message
    for task in "BCD":
        assert f"'{task}'" in message
    assert "'A'" not in message


def test_task_depending_on_itself_is_named():
    with pytest.raises(ValueError, match="Task 'X' lists itself as a predecessor"):
        critical_path(plan_of([1, 2], ["", "X"], ids=["W", "X"]))


def test_unknown_predecessor_names_task_and_predecessor():
    with pytest.raises(ValueError) as info:
        project_duration(plan_of([1, 2, 3], ["", "A", "A,Z"]))
    assert "Task 'C'" in str(info.value) and "'Z'" in str(info.value)


def test_duplicate_task_id_is_named():
    with pytest.raises(ValueError, match="Task 'B' appears more than once"):
        schedule(plan_of([1, 2, 3], ["", "A", "A"], ids=["A", "B", "B"]))


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(-1, "a negative duration \\(-1\\)"), ("three", "duration 'three'"), (None, "duration None"),
     (math.nan, "duration nan"), (math.inf, "duration inf"), (True, "duration True")],
)
def test_bad_duration_names_the_task(bad, shown):
    tasks = pd.DataFrame({"task": ["A", "B"], "duration": pd.Series([2, bad], dtype=object),
                          "predecessors": ["", "A"]})
    with pytest.raises(ValueError, match=f"Task 'B' has {shown}"):
        schedule(tasks)


def test_missing_columns_empty_plan_and_missing_id():
    with pytest.raises(ValueError, match="'predecessors'"):
        schedule(pd.DataFrame({"task": ["A"], "duration": [1]}))
    with pytest.raises(ValueError, match="no tasks"):
        schedule(pd.DataFrame({"task": [], "duration": [], "predecessors": []}))
    with pytest.raises(ValueError, match="no id"):
        schedule(plan_of([1, 2], ["", ""], ids=["A", None]))
    with pytest.raises(TypeError):
        schedule([("A", 1, "")])


# ---------------------------------------------------------------------------- gantt


@pytest.fixture
def milwaukee_chart(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("gantt() must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    sched = schedule(MILWAUKEE)
    ax = gantt(sched)
    yield sched, ax
    plt.close("all")


def test_gantt_labels_title_and_legend(milwaukee_chart):
    _, ax = milwaukee_chart
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_xlabel() == "Working days from start"
    assert ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Critical task", "Non-critical task", "Slack (float)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list("ABCDEFGH")


def test_gantt_bars_match_the_schedule(milwaukee_chart):
    sched, ax = milwaukee_chart
    task_bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.6)]
    slack_bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.3)]
    assert len(task_bars) == 8
    assert len(slack_bars) == 3  # only B, D and F have slack
    by_task = {}
    for bar in task_bars:
        row = round(bar.get_y() + bar.get_height() / 2)
        by_task[sched.index[row]] = bar
    for task, bar in by_task.items():
        assert bar.get_x() == sched.loc[task, "es"]
        assert bar.get_width() == sched.loc[task, "ef"] - sched.loc[task, "es"]
    critical_colours = {by_task[t].get_facecolor() for t in "ACEGH"}
    other_colours = {by_task[t].get_facecolor() for t in "BDF"}
    assert len(critical_colours) == 1 and len(other_colours) == 1
    assert critical_colours != other_colours
    slack_by_task = {sched.index[round(b.get_y() + b.get_height() / 2)]: b for b in slack_bars}
    assert sorted(slack_by_task) == list("BDF")
    for task, bar in slack_by_task.items():
        assert bar.get_x() == sched.loc[task, "ef"]
        assert bar.get_width() == sched.loc[task, "slack"]


def test_gantt_draws_on_a_given_axes_and_marks_milestones():
    fig, ax = plt.subplots()
    tasks = pd.DataFrame({"task": ["Start", "Work", "Done"], "duration": [0, 3, 0],
                          "predecessors": ["", "Start", "Work"]})
    returned = gantt(schedule(tasks), ax=ax, title="Bid plan")
    assert returned is ax
    assert ax.get_title() == "Bid plan"
    assert "Milestone (0 days)" in [t.get_text() for t in ax.get_legend().get_texts()]
    markers = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert len(markers) == 2
    plt.close(fig)


def test_gantt_rejects_a_table_that_is_not_a_schedule():
    with pytest.raises(ValueError, match="'es'"):
        gantt(MILWAUKEE)
    plt.close("all")


# ------------------------------------------------------------------------- doctests


def test_docstring_examples_run():
    result = doctest.testmod(plan, optionflags=doctest.NORMALIZE_WHITESPACE)
    plt.close("all")
    assert result.attempted >= 5
    assert result.failed == 0


def test_enumeration_helper_on_known_networks():
    # Guard the independent checker used by the property test: chains A-C (2+4) and
    # B-C (5+4) give 9; Milwaukee Paper gives Heizer & Render's 15 weeks.
    assert longest_path_by_enumeration(plan_of([2, 5, 4], [[], [], ["A", "B"]])) == 9
    milwaukee = MILWAUKEE.assign(predecessors=[[p for p in s.split(",") if p] for s in MILWAUKEE["predecessors"]])
    assert longest_path_by_enumeration(milwaukee) == 15
