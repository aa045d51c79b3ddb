"""Every solution notebook is all correct; every untouched exercise runs and is all unattempted.

The notebooks' own check calls are recorded through SSUP_RESULTS, and the questions are also
re-checked after the run (as the trainer's grader does). The solutions must stay correct on a
dataset generated with another seed, because expected answers are computed from the data.
"""

import pytest

from ssup import db
from ssup.data.generate import generate
from tests.notebook_runner import exercise_units, grade, logged

UNITS = exercise_units()
IDS = [unit["notebook"] for unit in UNITS]


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path / "home"))


@pytest.mark.parametrize("unit", UNITS, ids=IDS)
def test_solution_checks_all_report_correct(unit, tmp_path):
    results_file = tmp_path / "results.jsonl"
    regraded = grade(unit, "solutions", results_file)
    assert [r.question for r in regraded if r.status != "correct"] == [], [str(r) for r in regraded]
    statuses = {line["question"]: line["status"] for line in logged(results_file)}
    assert statuses and set(statuses.values()) == {"correct"}, statuses
    assert set(statuses) == {r.question for r in regraded}, "every question has a check call in the notebook"


@pytest.mark.parametrize("unit", UNITS, ids=IDS)
def test_untouched_exercise_runs_and_every_check_is_unattempted(unit, tmp_path):
    results_file = tmp_path / "results.jsonl"
    regraded = grade(unit, "exercises", results_file)
    assert {r.status for r in regraded} == {"unattempted"}, [str(r) for r in regraded]
    assert {line["status"] for line in logged(results_file)} == {"unattempted"}


@pytest.fixture(scope="module")
def other_seed_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed7")
    generate(folder, seed=7)
    return folder


@pytest.mark.parametrize("unit", UNITS, ids=IDS)
def test_solutions_stay_correct_on_another_seed(unit, other_seed_data, monkeypatch):
    monkeypatch.setenv("SSUP_DATA_DIR", str(other_seed_data))
    regraded = grade(unit, "solutions")
    assert [str(r) for r in regraded if r.status != "correct"] == []
    assert db.query("SELECT COUNT(*) AS n FROM customers")["n"][0] > 0
