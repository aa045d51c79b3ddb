"""Run a notebook's code cells in this process (fast: no kernel start) and grade its questions.

Used to prove that every solution notebook is all correct (on the committed data and on data
generated with another seed) and that every untouched exercise notebook runs and is all
"not attempted". Real kernels run every notebook in the strict nbval pass and in the trainer's
grader; this is the quick, in-process complement.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import warnings
from pathlib import Path
from typing import Any

import matplotlib
import nbformat

from ssup.config import REPO_ROOT, curriculum
from ssup.exercise import Result, grade_namespace, questions_in


def exercise_units() -> list[dict[str, Any]]:
    return [unit for unit in curriculum()["units"] if unit.get("questions")]


def run_cells(path: Path, results_file: Path | None = None) -> dict[str, Any]:
    """Execute every code cell of ``path`` in a fresh namespace, in the notebook's folder."""
    matplotlib.use("Agg", force=True)
    notebook = nbformat.read(path, as_version=4)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    previous = Path.cwd()
    saved = os.environ.get("SSUP_RESULTS")
    if results_file is not None:
        os.environ["SSUP_RESULTS"] = str(results_file)
    try:
        os.chdir(path.parent)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                try:
                    exec(compile(source, f"{path.name}[{index}]", "exec"), namespace)
                except Exception as error:
                    raise AssertionError(f"{path.name} cell {index} raised {type(error).__name__}: {error}") from error
    finally:
        os.chdir(previous)
        if results_file is not None:
            if saved is None:
                os.environ.pop("SSUP_RESULTS", None)
            else:
                os.environ["SSUP_RESULTS"] = saved
        import matplotlib.pyplot as plt

        plt.close("all")
    return namespace


def grade(unit: dict[str, Any], folder: str, results_file: Path | None = None) -> list[Result]:
    path = REPO_ROOT / folder / unit["notebook"]
    namespace = run_cells(path, results_file)
    return grade_namespace(questions_in(importlib.import_module(unit["questions"])), namespace)


def logged(results_file: Path) -> list[dict[str, Any]]:
    if not results_file.exists():
        return []
    return [json.loads(line) for line in results_file.read_text().splitlines()]
