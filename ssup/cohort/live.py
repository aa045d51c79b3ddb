"""The live view of a session: what each trainee's attempts log says right now.

Every ``check()`` a trainee runs appends one line to ``SSUP_HOME/attempts.jsonl`` in their own
workspace (question, behaviours, status, detail, time). :func:`snapshot` reads every log of a
cohort and answers the trainer's three questions:

- who is on which question (their latest attempted question, and how it stands);
- who has been stuck longest (on a question they have not got right, time since their first
  attempt at it);
- which wrong answer is most common right now (feedback texts of the last ``window`` minutes,
  grouped).

``now`` is a parameter so the dashboard's demo and the tests are deterministic.

>>> from ssup.cohort.demo import write_demo_logs, DEMO_NOW
>>> import tempfile
>>> view = snapshot(write_demo_logs(tempfile.mkdtemp()), now=DEMO_NOW)
>>> list(view.trainees.columns)
['trainee', 'name', 'question', 'state', 'attempts', 'minutes_on_question', 'minutes_since_activity', 'correct']
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ssup.cohort.folder import Cohort

#: A trainee whose latest attempt is wrong and who has been on the question this long is stuck.
STUCK_MINUTES = 10.0


@dataclass
class Snapshot:
    """The dashboard's data at one moment."""

    now: float
    trainees: pd.DataFrame  # one row per roster trainee
    stuck: pd.DataFrame  # trainees stuck now, longest first
    wrong_answers: pd.DataFrame  # question, detail, trainees, attempts: most common first
    questions: pd.DataFrame  # per question: correct, trying, not started (trainee counts)

    @property
    def active(self) -> int:
        return int((self.trainees["state"] != "not started").sum())


def read_log(path: Path) -> list[dict[str, Any]]:
    """The attempts in one log; unreadable lines (a half-written last line, say) are skipped."""
    if not path.is_file():
        return []
    attempts = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and "question" in entry and "status" in entry:
            try:
                entry["time"] = float(entry.get("time", 0.0))
            except (TypeError, ValueError):
                continue
            attempts.append(entry)
    return sorted(attempts, key=lambda e: e["time"])


def normalise_detail(detail: str) -> str:
    """Group feedback texts: collapse whitespace and trailing punctuation."""
    return re.sub(r"\s+", " ", str(detail)).strip().rstrip(".") + "."


def snapshot(cohort_dir: Path | str, now: float | None = None, window_minutes: float = 15.0,
             stuck_minutes: float = STUCK_MINUTES) -> Snapshot:
    """Read every trainee's attempts log in the cohort and summarise it at time ``now``."""
    now = time.time() if now is None else float(now)
    cohort = Cohort.open(cohort_dir)
    roster = cohort.roster()
    order = [q.id for items in _safe_questions(cohort).values() for q in items]
    rows, recent_wrong = [], []
    seen_questions: list[str] = []
    per_question: dict[str, dict[str, set[str]]] = {}
    for trainee in roster:
        attempts = [a for a in read_log(cohort.attempts_logs()[trainee.trainee_id]) if a["time"] <= now]
        correct = {a["question"] for a in attempts if a["status"] == "correct"}
        for attempt in attempts:
            if attempt["question"] not in seen_questions:
                seen_questions.append(attempt["question"])
            per_question.setdefault(attempt["question"], {"correct": set(), "trying": set()})
            if attempt["status"] == "incorrect" and now - attempt["time"] <= window_minutes * 60:
                recent_wrong.append((attempt["question"], normalise_detail(attempt.get("detail", "")),
                                     trainee.trainee_id))
        for question in correct:
            per_question[question]["correct"].add(trainee.trainee_id)
        if not attempts:
            rows.append({"trainee": trainee.trainee_id, "name": trainee.name, "question": "", "state": "not started",
                         "attempts": 0, "minutes_on_question": 0.0, "minutes_since_activity": float("nan"),
                         "correct": 0})
            continue
        latest = attempts[-1]
        question = latest["question"]
        on_it = [a for a in attempts if a["question"] == question]
        if question in correct:
            state = "correct"
        else:
            state = "trying" if latest["status"] == "incorrect" else "started"
            per_question[question]["trying"].add(trainee.trainee_id)
        rows.append({
            "trainee": trainee.trainee_id, "name": trainee.name, "question": question,
            "state": state, "attempts": len(on_it),
            "minutes_on_question": round((now - on_it[0]["time"]) / 60, 1),
            "minutes_since_activity": round((now - latest["time"]) / 60, 1),
            "correct": len(correct),
        })
    trainees = pd.DataFrame(rows, columns=["trainee", "name", "question", "state", "attempts", "minutes_on_question",
                                           "minutes_since_activity", "correct"])
    stuck = trainees[(trainees["state"] == "trying") & (trainees["minutes_on_question"] >= stuck_minutes)]
    stuck = stuck.sort_values(["minutes_on_question", "trainee"], ascending=[False, True]).reset_index(drop=True)
    if recent_wrong:
        wrong = pd.DataFrame(recent_wrong, columns=["question", "detail", "trainee"])
        wrong_answers = (wrong.groupby(["question", "detail"])
                         .agg(trainees=("trainee", "nunique"), attempts=("trainee", "size")).reset_index()
                         .sort_values(["trainees", "attempts", "question", "detail"], ascending=[False, False, True, True])
                         .reset_index(drop=True))
    else:
        wrong_answers = pd.DataFrame(columns=["question", "detail", "trainees", "attempts"])
    known = order + [q for q in seen_questions if q not in order]
    question_rows = []
    for question in known:
        counts = per_question.get(question, {"correct": set(), "trying": set()})
        question_rows.append({"question": question, "correct": len(counts["correct"]), "trying": len(counts["trying"]),
                              "not_yet": len(roster) - len(counts["correct"]) - len(counts["trying"])})
    questions = pd.DataFrame(question_rows, columns=["question", "correct", "trying", "not_yet"])
    return Snapshot(now, trainees, stuck, wrong_answers, questions)


def _safe_questions(cohort: Cohort) -> dict[str, list[Any]]:
    try:
        return cohort.questions()
    except Exception:  # noqa: BLE001 - the live view works from the logs alone if modules are missing
        return {}


def text(view: Snapshot, limit: int = 5) -> str:
    """A plain-text view for a terminal (``ssup cohort live DIR``)."""
    lines = [f"{view.active} of {len(view.trainees)} trainees active"]
    lines.append("\nWho is on which question:")
    for row in view.trainees.itertuples():
        where = f"{row.question} ({row.state}, {row.attempts} attempts, {row.minutes_on_question:g} min)" \
            if row.question else "not started"
        lines.append(f"  {row.trainee:<12} {where}")
    lines.append("\nStuck longest:")
    lines += [f"  {row.trainee:<12} {row.question}: {row.minutes_on_question:g} min, {row.attempts} attempts"
              for row in view.stuck.head(limit).itertuples()] or ["  nobody"]
    lines.append("\nMost common wrong answers right now:")
    lines += [f"  {row.question}: {row.trainees} trainee(s): {row.detail}"
              for row in view.wrong_answers.head(limit).itertuples()] or ["  none"]
    return "\n".join(lines)


# -- the dashboard's pieces ---------------------------------------------------------------------
def figure(view: Snapshot) -> Any:
    """Left: where the cohort is on each question. Right: who has been stuck longest."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    questions = view.questions
    bottom = [0] * len(questions)
    for column, colour, label in (("correct", "#1b7f3b", "correct"), ("trying", "#b3261e", "trying (not yet right)"),
                                  ("not_yet", "#c8c8c8", "not reached yet")):
        left.bar(questions["question"], questions[column], bottom=bottom, color=colour, label=label)
        bottom = [b + v for b, v in zip(bottom, questions[column])]
    left.set_title("Where the cohort is")
    left.set_xlabel("Question")
    left.set_ylabel("Trainees")
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    stuck = view.stuck.head(8).iloc[::-1]
    right.barh([f"{r.trainee} ({r.question})" for r in stuck.itertuples()], stuck["minutes_on_question"],
               color="#b3261e")
    right.set_title("Stuck longest")
    right.set_xlabel("Minutes on the question")
    if stuck.empty:
        right.text(0.5, 0.5, "nobody is stuck", ha="center", va="center", transform=right.transAxes)
    fig.tight_layout()
    return fig


def panel(cohort_dir: Path | str, now: float | None = None, refresh_seconds: float = 30.0,
          stuck_minutes: float = STUCK_MINUTES) -> Any:
    """An ipywidgets panel: refresh button, automatic refresh, and the three answers.

    ``now`` fixed (the demo) means every refresh shows the same moment.
    """
    import asyncio

    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    button = widgets.Button(description="Refresh now", icon="refresh")
    auto = widgets.Checkbox(value=False, description=f"Refresh every {refresh_seconds:g} s")
    status = widgets.HTML()
    out = widgets.Output()
    state: dict[str, Any] = {"task": None}

    def render(*_args: Any) -> None:
        view = snapshot(cohort_dir, now=now, stuck_minutes=stuck_minutes)
        stamp = time.strftime("%H:%M:%S", time.localtime(view.now))
        status.value = (f"<b>{view.active} of {len(view.trainees)} trainees active</b>, "
                        f"{len(view.stuck)} stuck (as of {stamp})")
        with out:
            out.clear_output(wait=True)
            display(view.trainees)
            fig = figure(view)
            plt.show()
            plt.close(fig)
            display(view.wrong_answers.head(5))

    async def every() -> None:
        while auto.value:
            await asyncio.sleep(refresh_seconds)
            if auto.value:
                render()

    def toggled(change: dict[str, Any]) -> None:
        if change["new"] and state["task"] is None:
            state["task"] = asyncio.ensure_future(every())
            state["task"].add_done_callback(lambda _t: state.update(task=None))

    button.on_click(render)
    auto.observe(toggled, names="value")
    render()
    return widgets.VBox([widgets.HBox([button, auto]), status, out])
