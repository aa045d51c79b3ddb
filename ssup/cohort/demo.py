"""A tiny synthetic course and cohort: for tests, the benchmark and the dashboard's demo mode.

:func:`write_course` writes a question module and an exercise notebook built the real way (a
solution notebook through :func:`ssup.build.make_exercise`), so the trainer kit can be exercised
end to end without the curriculum's own notebooks. :func:`submission` writes the kinds of
notebook a real cohort hands in (right, partly right, wrong, untouched, looping, exiting,
crashing, flooding, corrupt, tampered, ...). :func:`write_demo_logs` writes seeded attempts logs
for the live dashboard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

from ssup.cohort.folder import Unit

MODULE = "ssup_demo_questions"
NOTEBOOK = "01_demo_exercise.ipynb"

QUESTION_MODULE = '''\
"""Demo questions for the trainer kit (written by ssup.cohort.demo)."""
from ssup import checks
from ssup.exercise import Question

q1 = Question(
    id="D.q1", title="Sensors in three packs", behaviours=("1.1",), answer="sensor_count",
    prompt="A customer orders 3 packs of 4 sensors. How many sensors is that?",
    grader=checks.number(lambda: 12, mistakes=[(lambda v: v == 7, "You added the numbers; multiply them.")]),
    hints=("Packs times sensors per pack.", "3 * 4"), solution_code="sensor_count = 3 * 4")
q2 = Question(
    id="D.q2", title="Who handles billing", behaviours=("1.2",), answer="billing_team",
    prompt="Which team handles a billing complaint: Sales, Finance or Engineering?",
    grader=checks.choice(lambda: "Finance", ["Sales", "Finance", "Engineering"],
                         mistakes=[(lambda v: str(v).strip().lower() == "sales", "Sales sell; billing is another team's job.")]),
    hints=("Who sends the invoices?", "The team that sends invoices."), solution_code='billing_team = "Finance"')
q3 = Question(
    id="D.q3", title="Price with VAT", behaviours=("1.3",), answer="with_vat",
    prompt="Write with_vat(price) that returns the price plus 20% VAT.",
    grader=checks.function(lambda price: round(price * 1.2, 2), [(10.0,), (99.99,), (0,)], name="with_vat"),
    hints=("Multiply by 1.2.", "return round(price * 1.2, 2)"),
    solution_code="def with_vat(price):\\n    return round(price * 1.2, 2)")
QUESTIONS = [q1, q2, q3]
'''

ANSWERS = {
    "right": ["sensor_count = 3 * 4", 'billing_team = "Finance"',
              "def with_vat(price):\n    return round(price * 1.2, 2)"],
    "partly": ["sensor_count = 3 * 4", 'billing_team = "Sales"', "def with_vat(price):\n    return price"],
    "wrong": ["sensor_count = 3 + 4", 'billing_team = "Engineering"', "def with_vat(price):\n    return price * 20"],
}


def _solution_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    cells = [nbformat.v4.new_markdown_cell("# Demo exercise\n\nThree short questions.", id="intro"),
             nbformat.v4.new_code_cell(f"import {MODULE} as ex", id="setup")]
    for number, answer in enumerate(ANSWERS["right"], start=1):
        cells.append(nbformat.v4.new_markdown_cell(f"**Question {number}.**", id=f"prompt{number}"))
        cells.append(nbformat.v4.new_code_cell(
            f"### BEGIN SOLUTION\n{answer}\n### END SOLUTION", id=f"answer{number}"))
        cells.append(nbformat.v4.new_code_cell(f"ex.q{number}.check()", id=f"check{number}"))
        cells.append(nbformat.v4.new_code_cell(f"# ex.q{number}.hint()\n# ex.q{number}.solution()", id=f"help{number}"))
    nb.cells = cells
    return nb


def write_course(folder: Path | str) -> tuple[Path, list[Unit], list[str]]:
    """Write the demo question module and exercise notebook; return (exercises dir, units, python path)."""
    from ssup.build import make_exercise, render

    folder = Path(folder)
    package = folder / "python"
    package.mkdir(parents=True, exist_ok=True)
    (package / f"{MODULE}.py").write_text(QUESTION_MODULE, encoding="utf-8")
    exercises = folder / "exercises"
    exercises.mkdir(exist_ok=True)
    (exercises / NOTEBOOK).write_text(render(make_exercise(_solution_notebook())), encoding="utf-8")
    unit = Unit(NOTEBOOK, MODULE, 1, "Demo exercise", ("1.1", "1.2", "1.3"))
    return exercises, [unit], [str(package)]


def _set_answers(notebook: dict[str, Any], answers: list[str]) -> None:
    for number, answer in enumerate(answers, start=1):
        for cell in notebook["cells"]:
            if cell.get("id") == f"answer{number}":
                cell["source"] = answer


#: Every kind of submission the end-to-end test grades, with the statuses it must get.
KINDS = ("right", "partly", "wrong", "untouched", "no_checks", "looping", "exiting", "sys_exit", "crashing", "flooding",
         "corrupt", "tampered", "wrong_kernel", "no_cells", "stale_outputs")


def submission(release: Path | str, kind: str) -> str:
    """The text of a submitted notebook of the given ``kind`` (see :data:`KINDS`)."""
    text = Path(release).read_text(encoding="utf-8")
    if kind == "corrupt":
        return text[: len(text) // 2]
    nb = json.loads(text)
    if kind in ("right", "partly", "wrong"):
        _set_answers(nb, ANSWERS[kind])
    elif kind == "looping":  # q1 right, then a loop that never ends; q3 right after it
        _set_answers(nb, ["sensor_count = 12", "while True:\n    pass", ANSWERS["right"][2]])
    elif kind == "exiting":
        _set_answers(nb, ["sensor_count = 12", "import os\nos._exit(3)", ANSWERS["right"][2]])
    elif kind == "sys_exit":
        _set_answers(nb, ["sensor_count = 12", "import sys\nsys.exit('bye')", ANSWERS["right"][2]])
    elif kind == "crashing":
        _set_answers(nb, ["sensor_count = 12", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", ANSWERS["right"][2]])
    elif kind == "flooding":
        _set_answers(nb, ["sensor_count = 12", "while True:\n    print('x' * 10000)", ANSWERS["right"][2]])
    elif kind == "tampered":
        # answers wrong, but the trainee rewrote a given check cell to claim success, deleted
        # another, and wrote their own "result" file: none of it may count
        _set_answers(nb, ANSWERS["wrong"])
        for cell in nb["cells"]:
            if cell.get("id") == "check1":
                cell["source"] = ("import json, os\nopen(os.environ['SSUP_RESULTS'], 'a').write(json.dumps("
                                  "{'question': 'D.q1', 'status': 'correct', 'detail': ''}) + '\\n')\nprint('Correct')")
        nb["cells"] = [cell for cell in nb["cells"] if cell.get("id") != "check2"]
    elif kind == "no_checks":  # right answers, every check call deleted: still graded correct
        _set_answers(nb, ANSWERS["right"])
        nb["cells"] = [cell for cell in nb["cells"] if not str(cell.get("id", "")).startswith("check")]
    elif kind == "wrong_kernel":  # right answers that also warn on stderr, in a notebook saved for R
        _set_answers(nb, ["import sys, warnings\nwarnings.warn('careful')\nprint('oops', file=sys.stderr)\n"
                          "sensor_count = 12", ANSWERS["right"][1], ANSWERS["right"][2]])
        nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    elif kind == "no_cells":
        nb["cells"] = []
    elif kind == "stale_outputs":
        # an untouched notebook carrying stored outputs that claim every question is right
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and str(cell.get("id", "")).startswith("check"):
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "Correct (D.q): Well done.\n"}]
    elif kind != "untouched":
        raise ValueError(f"unknown submission kind {kind!r}")
    return json.dumps(nb, indent=1)


#: The per-question statuses each kind must be graded with (q1, q2, q3).
EXPECTED = {
    "right": ("correct", "correct", "correct"),
    "partly": ("correct", "incorrect", "incorrect"),
    "wrong": ("incorrect", "incorrect", "incorrect"),
    "untouched": ("unattempted", "unattempted", "unattempted"),
    "no_checks": ("correct", "correct", "correct"),
    "looping": ("correct", "unattempted", "correct"),
    "exiting": ("not_run", "not_run", "not_run"),
    "sys_exit": ("correct", "unattempted", "correct"),
    "crashing": ("not_run", "not_run", "not_run"),
    "flooding": ("correct", "unattempted", "correct"),
    "corrupt": ("not_run", "not_run", "not_run"),
    "tampered": ("incorrect", "incorrect", "incorrect"),
    "wrong_kernel": ("correct", "correct", "correct"),
    "no_cells": ("not_run", "not_run", "not_run"),
    "stale_outputs": ("unattempted", "unattempted", "unattempted"),
}

#: The notebook status each kind must get.
NOTEBOOK_STATUS = {
    "right": "graded", "partly": "graded", "wrong": "graded", "untouched": "graded", "no_checks": "tampered",
    "looping": "timeout",
    "exiting": "exited", "sys_exit": "graded", "crashing": "crashed", "flooding": "output_limit",
    "corrupt": "invalid_notebook", "tampered": "tampered", "wrong_kernel": "wrong_kernel",
    "no_cells": "invalid_notebook", "stale_outputs": "graded",
}


def roster_text(trainee_ids: list[str]) -> str:
    lines = ["trainee_id,name,email"]
    for trainee in trainee_ids:
        lines.append(f"{trainee},Trainee {trainee.upper()},{trainee}@example.com")
    return "\n".join(lines) + "\n"


# -- live dashboard demo ----------------------------------------------------------------------
DEMO_NOW = 1_767_000_000.0  # a fixed "now" for the demo logs (seconds since the epoch)

_WRONG = {
    "D.q1": ["You gave 7. You added the numbers; multiply them.", "You gave 16. That is too high."],
    "D.q2": ["You gave 'Sales'. Sales sell; billing is another team's job.",
             "You gave 'Engineering'. That is not the one the question asks for."],
    "D.q3": ["For input (10.0) your with_vat returned 10.0, which is not right.",
             "Your with_vat raised TypeError (unsupported operand) for input (10.0)."],
}


def write_demo_logs(cohort_root: Path | str, trainees: int = 8, seed: int = 7, now: float = DEMO_NOW) -> Path:
    """A demo cohort folder with seeded attempts logs (no notebooks are run).

    Each trainee works through D.q1..D.q3 over the 40 minutes before ``now``: some get each
    question right at once, some after wrong attempts, some are still stuck.
    """
    import numpy as np

    from ssup.cohort.folder import Cohort

    rng = np.random.default_rng(seed)
    root = Path(cohort_root)
    (root / "workspaces").mkdir(parents=True, exist_ok=True)
    ids = [f"t{index:02d}" for index in range(1, trainees + 1)]
    (root / "roster.csv").write_text(roster_text(ids), encoding="utf-8")
    config = {"name": "demo", "mode": "laptop", "skill": "SSUP", "workspace": "workspaces/{trainee}",
              "units": [{"notebook": NOTEBOOK, "questions": MODULE, "level": 1, "title": "Demo exercise",
                         "behaviours": ["1.1", "1.2", "1.3"]}], "python_path": [], "data_dir": None}
    Cohort(root.resolve(), config).save()
    behaviours = {"D.q1": ["1.1"], "D.q2": ["1.2"], "D.q3": ["1.3"]}
    for position, trainee in enumerate(ids):
        clock = now - 45 * 60 + float(rng.integers(0, 300))
        lines = []
        if position == len(ids) - 1:
            continue  # one trainee has not started
        for question in ("D.q1", "D.q2", "D.q3"):
            misses = int(rng.choice([0, 1, 2, 3, 6], p=[0.3, 0.2, 0.2, 0.15, 0.15]))
            for _ in range(misses):
                clock += float(rng.integers(90, 420))
                detail = _WRONG[question][int(rng.integers(0, 2))] if rng.random() < 0.8 else _WRONG[question][0]
                lines.append({"question": question, "behaviours": behaviours[question], "status": "incorrect",
                              "detail": detail, "time": clock, "trainee": trainee})
            clock += float(rng.integers(120, 480))
            if clock > now or misses == 6:
                break  # still working on (stuck on) this question
            lines.append({"question": question, "behaviours": behaviours[question], "status": "correct",
                          "detail": "Well done.", "time": clock, "trainee": trainee})
        lines = [line for line in lines if line["time"] <= now]
        workspace = root / "workspaces" / trainee
        workspace.mkdir(parents=True, exist_ok=True)
        (workspace / "attempts.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return root

