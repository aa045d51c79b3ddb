"""The grader on the real curriculum, as a trainer runs it: default limits (memory cap included),
every kernel confined to its own folder. One trainee hands in every model solution, another every
untouched exercise: the first must be all correct, the second all unattempted, with no cell error
(so the confined kernels can build their databases, plot and import everything the levels use)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssup.cohort import demo, sandbox
from ssup.cohort.folder import collect, curriculum_units, new_cohort
from ssup.cohort.grader import Options
from ssup.cohort.results import grade_cohort
from ssup.config import REPO_ROOT

UNITS = [u for u in curriculum_units() if (REPO_ROOT / "exercises" / u.notebook).is_file()]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    root: Path = tmp_path_factory.mktemp("curriculum-cohort")
    (root / "roster.csv").write_text(demo.roster_text(["model", "untouched"]))
    cohort = new_cohort(root / "cohort", root / "roster.csv", units=UNITS, exercises_dir=REPO_ROOT / "exercises")
    for unit in UNITS:
        (cohort.workspace("model") / unit.notebook).write_text((REPO_ROOT / "solutions" / unit.notebook).read_text())
        (cohort.workspace("untouched") / unit.notebook).write_text((REPO_ROOT / "exercises" / unit.notebook).read_text())
    collect(cohort)
    mode = "required" if sandbox.abi_version() >= 1 else "auto"
    return {(o.trainee, o.notebook): o for o in grade_cohort(cohort, Options(workers=2, sandbox=mode))}


def test_every_level_has_an_exercise_to_grade():
    assert len(UNITS) == 6


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.notebook[:2])
def test_model_solutions_are_graded_all_correct(outcomes, unit):
    outcome = outcomes[("model", unit.notebook)]
    assert (outcome.status, outcome.errors) == ("graded", []), outcome.problem_text
    wrong = [(r["question"], r["status"], r["detail"]) for r in outcome.results if r["status"] != "correct"]
    assert outcome.results and not wrong


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.notebook[:2])
def test_untouched_exercises_are_graded_all_unattempted(outcomes, unit):
    outcome = outcomes[("untouched", unit.notebook)]
    assert (outcome.status, outcome.errors) == ("graded", []), outcome.problem_text
    assert {r["status"] for r in outcome.results} == {"unattempted"}
