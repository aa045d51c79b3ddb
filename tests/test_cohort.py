"""The trainer kit end to end: a cohort of generated submissions graded, exported, reported.

One cohort of tiny synthetic notebooks (ssup.cohort.demo: right, partly right, wrong, untouched,
checks deleted, looping, exiting, crashing, flooding, corrupt, tampered, ...) is graded once per
module with short timeouts; every row of the export must have the expected status.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from ssup.cli import main
from ssup.cohort import demo
from ssup.cohort.folder import Cohort, CohortError, collect, new_cohort
from ssup.cohort.grader import Options
from ssup.cohort.gradebook import Gradebook
from ssup.cohort.portfolio import evidence, write_portfolio
from ssup.cohort.report import build_report
from ssup.cohort.results import EXPORT_COLUMNS, export_csv, grade_cohort, table

FAST = dict(workers=2, cell_timeout=3.0, interrupt_grace=3.0, check_timeout=5.0, max_output_bytes=100_000)
QUESTIONS = ("D.q1", "D.q2", "D.q3")


def make_cohort(root: Path, trainees: list[str], **kwargs) -> Cohort:
    exercises, units, python_path = demo.write_course(root / "course")
    roster = root / "roster.csv"
    roster.write_text(demo.roster_text(trainees))
    return new_cohort(root / "cohort", roster, units=units, exercises_dir=exercises, python_path=python_path, **kwargs)


def hand_in(cohort: Cohort, trainee: str, kind: str) -> None:
    target = cohort.workspace(trainee) / demo.NOTEBOOK
    target.write_text(demo.submission(cohort.release_dir / demo.NOTEBOOK, kind))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every kind of submission (trainee id = kind), plus one trainee who handed nothing in."""
    root = tmp_path_factory.mktemp("cohort")
    ids = [kind.replace("_", "-") for kind in demo.KINDS] + ["absent"]
    cohort = make_cohort(root, ids)
    for kind in demo.KINDS:
        hand_in(cohort, kind.replace("_", "-"), kind)
    (cohort.workspace("absent") / demo.NOTEBOOK).unlink()
    summary = collect(cohort)
    assert len(summary.collected) == len(demo.KINDS) and summary.missing == [("absent", demo.NOTEBOOK)]
    outcomes = grade_cohort(cohort, Options(**FAST))
    return cohort, {o.trainee: o for o in outcomes}


def test_every_submission_gets_the_expected_status(graded):
    cohort, outcomes = graded
    frame = table(cohort)
    for kind in demo.KINDS:
        trainee = kind.replace("_", "-")
        rows = frame[frame["trainee"] == trainee].sort_values("position")
        assert tuple(rows["status"]) == demo.EXPECTED[kind], (kind, list(rows["detail"]))
        assert outcomes[trainee].status == demo.NOTEBOOK_STATUS[kind], (kind, outcomes[trainee].problem_text)
    absent = frame[frame["trainee"] == "absent"]
    assert set(absent["status"]) == {"unattempted"} and outcomes["absent"].status == "missing"


def test_nothing_the_trainee_wrote_about_results_counts(graded):
    cohort, outcomes = graded
    frame = table(cohort).set_index(["trainee", "question"])
    # the tampered notebook rewrote a check cell to print "Correct" and wrote its own result file
    assert frame.loc[("tampered", "D.q1"), "status"] == "incorrect"
    assert "check1" in outcomes["tampered"].problem_text and "check2" in outcomes["tampered"].problem_text
    # stored outputs claiming success are ignored; deleting every check call changes nothing
    assert frame.loc[("stale-outputs", "D.q1"), "status"] == "unattempted"
    assert frame.loc[("no-checks", "D.q3"), "status"] == "correct"


def test_notebook_problems_are_explained(graded):
    _cohort, outcomes = graded
    assert "cell 8 ran longer than 3 s and was interrupted" in outcomes["looping"].problem_text
    assert "exited with code 3" in outcomes["exiting"].problem_text
    assert "SIGSEGV" in outcomes["crashing"].problem_text
    assert "printed more than" in outcomes["flooding"].problem_text
    assert "not valid notebook JSON" in outcomes["corrupt"].problem_text
    assert "no cells" in outcomes["no-cells"].problem_text
    assert "'ir'" in outcomes["wrong-kernel"].problem_text
    assert outcomes["sys-exit"].errors == ["cell 8: SystemExit: bye"]
    # warnings on stderr cost nothing: the only note on that notebook is its kernel name
    assert [p.kind for p in outcomes["wrong-kernel"].problems] == ["wrong_kernel"]


def test_export_has_exactly_the_public_columns_and_one_row_per_trainee_and_question(graded, tmp_path):
    cohort, _ = graded
    path = tmp_path / "results.csv"
    rows = export_csv(cohort, path)
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == EXPORT_COLUMNS
        records = list(reader)
    assert rows == len(records) == (len(demo.KINDS) + 1) * len(QUESTIONS)
    assert {r["status"] for r in records} == {"correct", "incorrect", "unattempted", "not_run"}
    by_key = {(r["trainee"], r["question"]): r for r in records}
    assert by_key[("crashing", "D.q1")]["status"] == "not_run"
    assert "notebook crashed" in by_key[("crashing", "D.q1")]["detail"]
    assert "notebook timeout" in by_key[("looping", "D.q1")]["detail"]
    assert "notebook invalid_notebook" in by_key[("corrupt", "D.q2")]["detail"]
    assert "notebook tampered" in by_key[("tampered", "D.q3")]["detail"]
    assert by_key[("right", "D.q2")]["behaviours"] == "1.2"
    assert by_key[("right", "D.q1")]["detail"] == "12 is right."


def test_regrading_replaces_results_and_never_duplicates(graded):
    """Also: kernels spawned one by one through jupyter_client grade the same as forked ones."""
    cohort, _ = graded
    with Gradebook(cohort.gradebook_url()) as book:
        before = book.counts()
    outcomes = grade_cohort(cohort, Options(kernel_mode="spawn", **FAST), trainees=["right", "corrupt"])
    assert [r["status"] for r in outcomes[0].results + outcomes[1].results].count("correct") == 3
    assert {o.trainee: o.status for o in outcomes} == {"right": "graded", "corrupt": "invalid_notebook"}
    with Gradebook(cohort.gradebook_url()) as book:
        assert book.counts() == before
        assert before == {"submissions": len(demo.KINDS) + 1, "results": (len(demo.KINDS) + 1) * len(QUESTIONS)}


def test_graded_copies_show_what_ran(graded):
    cohort, _ = graded
    copy = json.loads((cohort.graded_dir / "tampered" / demo.NOTEBOOK).read_text())
    sources = ["".join(c["source"]) for c in copy["cells"]]
    assert "ex.q1.check()" in sources and "ex.q2.check()" in sources  # the released check cells ran


def test_report_is_self_contained_and_has_every_section(graded):
    cohort, _ = graded
    page = build_report(cohort)
    for heading in ("Who needs help now", "Trainee x question", "Mastery per SFIA behaviour",
                    "Most common wrong answers", "Notebook problems", "Scores per trainee"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("src='data:image/png;base64,") == 3
    assert not re.search(r"""(src|href)=['"](?!data:)""", page), "no external files"
    assert "You added the numbers; multiply them." in page  # a grouped wrong answer
    assert "Sales sell; billing is another team" in page
    assert "Communicates effectively with customers" in page  # behaviour statements from curriculum.yml
    help_section = page.split("<h2>Who needs help now</h2>")[1].split("<h2>")[0]
    assert ">crashing<" in help_section and ">absent<" in help_section and ">right<" not in help_section


def test_portfolio_quotes_the_sfia_statements_with_evidence_and_sign_off(graded, tmp_path):
    cohort, _ = graded
    data = evidence(cohort, "partly")
    level1 = data["levels"][0]
    assert data["skill_code"] == "SSUP" and level1["level"] == 1
    outcome = {item["code"]: item for item in level1["behaviours"]}
    assert outcome["1.1"]["demonstrated"] and not outcome["1.2"]["demonstrated"]
    assert outcome["1.1"]["evidence"][0]["question"] == "D.q1"
    markdown, page = write_portfolio(cohort, "partly", tmp_path / "partly")
    text = markdown.read_text()
    assert "Seeks assistance from colleagues for the resolution of more complex customer service queries" in text
    assert "SSUP level 1" in text and "Assessor name:" in text and "Date graded" in text
    assert "Demonstrated (1 of 1 exercise questions correct)" in text
    assert "Not yet demonstrated (0 of 1" in text
    assert "<h1>SFIA evidence summary: Sales support (SSUP)</h1>" in page.read_text()
    with pytest.raises(CohortError, match="no trainee 'nobody'"):
        evidence(cohort, "nobody")


def test_cli_export_report_portfolio(graded, tmp_path, capsys):
    cohort, _ = graded
    assert main(["cohort", "export", str(cohort.root), "--csv", str(tmp_path / "out.csv")]) == 0
    assert main(["cohort", "report", str(cohort.root), "--out", str(tmp_path / "report.html")]) == 0
    assert main(["portfolio", str(cohort.root), "--trainee", "right", "--out", str(tmp_path / "right")]) == 0
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "right.md").exists() and (tmp_path / "right.html").exists()
    assert "wrote" in capsys.readouterr().out
