"""Grading a whole cohort, and the trainee x question table everything else reads.

:func:`grade_cohort` turns ``DIR/submissions/<trainee>/*.ipynb`` into grader jobs, grades them
and stores each outcome in the gradebook as it finishes. :func:`table` is one row per trainee x
question of the cohort (a trainee who handed nothing in is ``unattempted``); :func:`export_csv`
writes its six public columns.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ssup.cohort.folder import Cohort
from ssup.cohort.grader import Job, Options, Outcome, QuestionInfo, grade, release_imports
from ssup.cohort.gradebook import Gradebook

EXPORT_COLUMNS = ["trainee", "notebook", "question", "behaviours", "status", "detail"]

#: Notebook problems named in the ``detail`` column (and the report).
REPORTED = ("timeout", "crashed", "exited", "invalid_notebook", "tampered", "output_limit", "wrong_kernel")


def jobs_for(cohort: Cohort, trainees: list[str] | None = None) -> list[Job]:
    """One job per roster trainee x cohort notebook (``path`` None when nothing was collected)."""
    questions = cohort.questions()
    jobs = []
    for trainee in cohort.roster():
        if trainees and trainee.trainee_id not in trainees:
            continue
        for unit in cohort.units:
            release = json.loads((cohort.release_dir / unit.notebook).read_text(encoding="utf-8"))
            path = cohort.submissions_dir / trainee.trainee_id / unit.notebook
            jobs.append(Job(trainee.trainee_id, unit.notebook, path if path.is_file() else None, release,
                            unit.questions, [QuestionInfo.of(q) for q in questions[unit.notebook]]))
    return jobs


def grade_cohort(cohort: Cohort, options: Options | None = None, db_url: str | None = None,
                 trainees: list[str] | None = None, progress: bool = False,
                 on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Grade every collected notebook of the cohort into its gradebook; return the outcomes."""
    options = options or Options()
    options.python_path = list(dict.fromkeys(list(options.python_path) + cohort.python_path))
    if options.data_dir is None:
        options.data_dir = cohort.data_dir
    if options.graded_dir is None:
        options.graded_dir = cohort.graded_dir
    jobs = jobs_for(cohort, trainees)
    imported = [name for unit in cohort.units
                for name in release_imports(json.loads((cohort.release_dir / unit.notebook).read_text(encoding="utf-8")))]
    options.preload = list(dict.fromkeys(list(options.preload) + imported + [unit.questions for unit in cohort.units]))
    with Gradebook(cohort.gradebook_url(db_url)) as book:
        book.sync_roster((t.trainee_id, t.name, t.email) for t in cohort.roster())
        book.sync_questions({notebook: [QuestionInfo.of(q) for q in items] for notebook, items in cohort.questions().items()})

        def done(outcome: Outcome) -> None:
            book.save(outcome)
            if on_done is not None:
                on_done(outcome)

        return grade(jobs, options, progress=progress, on_done=done)


def problem_note(problems: list[dict[str, Any]]) -> str:
    """The notebook-level problems, as appended to ``detail``."""
    shown = [p for p in problems if p.get("kind") in REPORTED]
    if not shown:
        return ""
    return "notebook " + "; ".join(f"{p['kind']}: {p['detail']}" for p in shown)


def table(cohort: Cohort, db_url: str | None = None) -> pd.DataFrame:
    """One row per roster trainee x cohort question, in roster and notebook order.

    Columns: the export columns plus ``name``, ``title``, ``level``, ``position``,
    ``notebook_status``, ``problems`` (the notebook's problem note) and ``graded_at``.
    """
    questions = cohort.questions()
    with Gradebook(cohort.gradebook_url(db_url)) as book:
        stored = {(r["trainee"], r["notebook"], r["question"]): r for r in book.results()}
        submissions = {(s["trainee"], s["notebook"]): s for s in book.submissions()}
    units = {unit.notebook: unit for unit in cohort.units}
    rows = []
    for trainee in cohort.roster():
        for notebook, items in questions.items():
            submission = submissions.get((trainee.trainee_id, notebook))
            for position, question in enumerate(items):
                result = stored.get((trainee.trainee_id, notebook, question.id))
                if result is None:
                    status = "unattempted"
                    detail = ("No notebook was collected for this trainee." if submission is None
                              else "This question was not graded (the notebook was graded before it was added).")
                    note, notebook_status, graded_at = "", (submission or {}).get("status", "missing"), None
                else:
                    status, detail = result["status"], result["detail"]
                    note = problem_note(result["problems"])
                    notebook_status, graded_at = result["notebook_status"], result["graded_at"]
                rows.append({
                    "trainee": trainee.trainee_id, "notebook": notebook, "question": question.id,
                    "behaviours": ";".join(question.behaviours), "status": status,
                    "detail": f"{detail} [{note}]" if note else detail,
                    "name": trainee.name, "title": question.title or question.id,
                    "level": units[notebook].level, "position": position,
                    "notebook_status": notebook_status, "problems": note, "graded_at": graded_at,
                })
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS + ["name", "title", "level", "position", "notebook_status",
                                                        "problems", "graded_at"])


def export_csv(cohort: Cohort, path: Path | str, db_url: str | None = None) -> int:
    """Write the six public columns, one row per trainee x question; return the row count."""
    frame = table(cohort, db_url)[EXPORT_COLUMNS]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return len(frame)
