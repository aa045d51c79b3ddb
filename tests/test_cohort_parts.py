"""The trainer kit's parts that need no kernel: roster, cohort folder, collect, restoring given
cells, the live dashboard's data, the hub start-up hook, the CLI's messages, the deploy files."""

from __future__ import annotations

import io
import json
import os
import py_compile
from pathlib import Path

import pytest
import yaml

from ssup.cli import main
from ssup.cohort import demo
from ssup.cohort.folder import Cohort, CohortError, collect, new_cohort
from ssup.cohort.grader import release_imports
from ssup.cohort.hub import start_user
from ssup.cohort.live import snapshot, text
from ssup.cohort.notebooks import InvalidNotebook, load_notebook, prepare
from ssup.cohort.roster import RosterError, parse_roster
from ssup.config import REPO_ROOT

NOW = 1_800_000_000.0


# -- roster ------------------------------------------------------------------------------------
def test_roster_problems_are_all_reported_in_plain_words():
    text_ = ("trainee_id,name,email\nt01,Ann,ann@example.com\n../x,Bob,bob@example.com\nT01,Cy,cy@example.com\n"
             "t04,,not-an-email\nt05,Eve,\n")
    with pytest.raises(RosterError) as caught:
        parse_roster(io.StringIO(text_), "roster.csv")
    problems = caught.value.problems
    assert any("line 3" in p and "'../x' is not safe" in p for p in problems)
    assert any("line 4" in p and "already used on line 2" in p for p in problems)
    assert any("line 5" in p and "name is empty" in p for p in problems)
    assert any("line 5" in p and "'not-an-email' does not look like an email" in p for p in problems)
    assert any("line 6" in p and "(empty)" in p for p in problems)
    assert str(caught.value).startswith("roster.csv has 5 problems:")


def test_roster_header_and_hub_names():
    with pytest.raises(RosterError, match="missing email"):
        parse_roster(io.StringIO("trainee_id,name\nt1,Ann\n"))
    with pytest.raises(RosterError, match="lower case"):
        parse_roster(io.StringIO("trainee_id,name,email\nAnn,Ann,a@example.com\n"), hub=True)
    trainees = parse_roster(io.StringIO("Trainee_ID, Name ,email\n a1 ,Ann Lee,a@example.com\n\n"))
    assert [(t.trainee_id, t.name) for t in trainees] == [("a1", "Ann Lee")]


def test_cli_reports_roster_problems_without_a_traceback(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("trainee_id,name,email\n../x,Bob,bob@example.com\n")
    assert main(["cohort", "new", str(tmp_path / "c"), "--roster", str(tmp_path / "roster.csv")]) == 2
    err = capsys.readouterr().err
    assert "is not safe" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


# -- cohort folder and collect -----------------------------------------------------------------
@pytest.fixture
def cohort(tmp_path):
    exercises, units, python_path = demo.write_course(tmp_path / "course")
    (tmp_path / "roster.csv").write_text(demo.roster_text(["ann", "bob", "cy_1"]))
    return new_cohort(tmp_path / "cohort", tmp_path / "roster.csv", units=units, exercises_dir=exercises,
                      python_path=python_path)


def test_new_cohort_has_release_workspaces_and_config(cohort):
    assert (cohort.release_dir / demo.NOTEBOOK).is_file()
    assert (cohort.root / "workspaces" / "bob" / demo.NOTEBOOK).is_file()
    assert Cohort.open(cohort.root).notebooks == [demo.NOTEBOOK]
    env = cohort.environment("bob")
    assert env["SSUP_HOME"] == str(cohort.root / "workspaces" / "bob") and env["SSUP_TRAINEE"] == "bob"
    with pytest.raises(CohortError, match="already a cohort folder"):
        new_cohort(cohort.root, cohort.root / "roster.csv", units=cohort.units,
                   exercises_dir=cohort.release_dir, python_path=cohort.python_path)


def test_new_cohort_needs_the_exercise_notebooks(tmp_path):
    (tmp_path / "roster.csv").write_text(demo.roster_text(["ann"]))
    with pytest.raises(CohortError, match="do not exist"):
        new_cohort(tmp_path / "c", tmp_path / "roster.csv", units=[demo.Unit("missing.ipynb", "x")],
                   exercises_dir=tmp_path)


def test_collect_from_returned_files_takes_the_latest(cohort, tmp_path):
    returned = tmp_path / "returned"
    (returned / "ann").mkdir(parents=True)
    old = returned / "ann" / demo.NOTEBOOK
    old.write_text("old")
    os.utime(old, (1_000_000, 1_000_000))
    (returned / f"ann_{demo.NOTEBOOK}").write_text("new")
    (returned / f"cy_1_{demo.NOTEBOOK}").write_text("cy")
    (returned / "stranger_01_demo_exercise.ipynb").write_text("?")
    summary = collect(cohort, returned)
    assert (cohort.submissions_dir / "ann" / demo.NOTEBOOK).read_text() == "new"
    assert (cohort.submissions_dir / "cy_1" / demo.NOTEBOOK).read_text() == "cy"
    assert summary.missing == [("bob", demo.NOTEBOOK)]
    assert summary.unknown == ["stranger_01_demo_exercise.ipynb"]


def test_lab_dry_run_prints_the_trainee_environment(cohort, capsys):
    assert main(["cohort", "lab", str(cohort.root), "--trainee", "ann", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"SSUP_HOME={cohort.root / 'workspaces' / 'ann'}" in out and "SSUP_TRAINEE=ann" in out
    assert main(["cohort", "lab", str(cohort.root), "--trainee", "zed", "--dry-run"]) == 2


def test_hub_cohort_writes_hub_files_and_the_hook_prepares_a_trainee(tmp_path):
    exercises, units, python_path = demo.write_course(tmp_path / "course")
    (tmp_path / "roster.csv").write_text(demo.roster_text(["ann", "bob"]))
    cohort = new_cohort(tmp_path / "cohort", tmp_path / "roster.csv", hub=True, units=units, exercises_dir=exercises,
                        python_path=python_path, assessed=True)
    hub = cohort.root / "hub"
    settings = json.loads((hub / "hub.json").read_text())
    assert settings["trainees"] == ["ann", "bob"] and "email" not in (hub / "hub.json").read_text()
    assert (hub / "release" / demo.NOTEBOOK).is_file() and (hub / "jupyter_server_config.py").is_file()
    assert not (cohort.root / "workspaces").exists()
    assert cohort.workspace("ann") == Path("/home/jupyter-ann/ssup")
    env = {"JUPYTERHUB_USER": "ann"}
    home = tmp_path / "home-ann"
    workspace = start_user(hub, environ=env, home=home)
    assert workspace == home / "ssup" and (workspace / demo.NOTEBOOK).is_file()
    assert env["SSUP_HOME"] == str(workspace) and env["SSUP_TRAINEE"] == "ann" and env["SSUP_HIDE_SOLUTIONS"] == "1"
    assert oct(workspace.stat().st_mode & 0o777) == "0o700"
    (workspace / demo.NOTEBOOK).write_text("my work")
    start_user(hub, environ=env, home=home)
    assert (workspace / demo.NOTEBOOK).read_text() == "my work"  # never overwritten
    assert start_user(hub, environ={"JUPYTERHUB_USER": "trainer"}, home=tmp_path / "t") is None


# -- restoring given cells ---------------------------------------------------------------------
def _nb(*cells):
    return {"cells": [dict(id=i, cell_type=t, source=s, metadata={"ssup": {"role": r}} if r else {})
                      for i, t, s, r in cells], "metadata": {}}


RELEASE = _nb(("intro", "markdown", "# Title", "given"), ("setup", "code", "import x", "given"),
              ("a1", "code", "# YOUR CODE HERE\nv = ...", "answer"), ("c1", "code", "ex.q1.check()", "given"),
              ("h1", "code", "# ex.q1.hint()", "help"))


def test_trainee_cells_keep_their_place_and_given_cells_are_restored():
    submission = _nb(("intro", "markdown", "# Title", None), ("setup", "code", "import x", None),
                     ("new", "code", "helper = 1", None), ("a1", "code", "v = helper + 1", None),
                     ("c1", "code", "print('Correct')", None))
    prepared = prepare(RELEASE, submission)
    assert [(c.cell_id, c.source, c.role) for c in prepared.cells] == [
        ("intro", "# Title", "given"), ("setup", "import x", "given"), ("new", "helper = 1", "added"),
        ("a1", "v = helper + 1", "answer"), ("c1", "ex.q1.check()", "given")]
    assert [p.kind for p in prepared.problems] == ["tampered"]
    assert "changed (code cell id c1)" in prepared.problems[0].detail


def test_notebooks_without_cell_ids_match_given_cells_by_source():
    submission = {"cells": [{"cell_type": "markdown", "source": ["# Title"]},
                            {"cell_type": "code", "source": "import x"},
                            {"cell_type": "code", "source": "v = 2"},
                            {"cell_type": "code", "source": "ex.q1.check()"}]}
    prepared = prepare(RELEASE, submission)
    assert prepared.problems == []
    assert [c.source for c in prepared.code_cells] == ["import x", "v = 2", "ex.q1.check()"]


def test_deleted_given_cells_and_grading_machinery_are_flagged():
    submission = _nb(("a1", "code", "import ssup.exercise\nv = 1", None))
    prepared = prepare(RELEASE, submission)
    details = " ".join(p.detail for p in prepared.problems)
    assert "3 given cells deleted" in details and "'ssup.exercise'" in details
    assert [c.cell_id for c in prepared.cells] == ["a1", "intro", "setup", "c1"]


def test_invalid_notebooks_are_explained(tmp_path):
    cases = {"empty.ipynb": "", "cut.ipynb": '{"cells": [', "list.ipynb": "[1, 2]",
             "binary.ipynb": b"\xff\xfe\x00\x01"}
    messages = {}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(InvalidNotebook) as caught:
            load_notebook(path)
        messages[name] = str(caught.value)
    assert "empty" in messages["empty.ipynb"] and "not valid notebook JSON" in messages["cut.ipynb"]
    assert "not a Jupyter notebook" in messages["list.ipynb"] and "not text" in messages["binary.ipynb"]
    with pytest.raises(InvalidNotebook, match="no cells"):
        prepare(RELEASE, {"cells": []})


def test_release_imports_are_preloaded():
    release = {"cells": [{"cell_type": "code", "source": "%matplotlib inline\nimport pandas as pd\n"
                                                         "from ssup.questions import level1 as ex",
                          "metadata": {"ssup": {"role": "given"}}},
                         {"cell_type": "code", "source": "import secret_answer_lib", "metadata": {"ssup": {"role": "answer"}}}]}
    assert release_imports(release) == ["pandas", "ssup.questions", "ssup.questions.level1"]


# -- live dashboard data -----------------------------------------------------------------------
def _log(workspace: Path, *attempts):
    workspace.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"question": q, "behaviours": ["1.1"], "status": s, "detail": d, "time": NOW - m * 60,
                         "trainee": workspace.name}) for q, s, d, m in attempts]
    (workspace / "attempts.jsonl").write_text("\n".join(lines) + "\n{half a line")


@pytest.fixture
def live_cohort(tmp_path):
    root = tmp_path / "live"
    (root / "workspaces").mkdir(parents=True)
    (root / "roster.csv").write_text(demo.roster_text(["ann", "bob", "cy", "dee"]))
    Cohort(root, {"name": "live", "units": [], "workspace": "workspaces/{trainee}"}).save()
    ws = root / "workspaces"
    _log(ws / "ann", ("D.q1", "incorrect", "You gave 7. You added the numbers; multiply them.", 30),
         ("D.q1", "correct", "12 is right.", 25), ("D.q2", "incorrect", "You gave 'Sales'.  Sales sell.", 12),
         ("D.q2", "incorrect", "You gave 'Sales'. Sales sell.", 2))
    _log(ws / "bob", ("D.q1", "incorrect", "You gave 7. You added the numbers; multiply them.", 22),
         ("D.q1", "incorrect", "You gave 7. You added the numbers; multiply them.", 5))
    _log(ws / "cy", ("D.q1", "correct", "12 is right.", 3), ("D.q2", "correct", "'Finance' is right.", 1),
         ("D.q3", "incorrect", "future attempt", -5))
    return root


def test_snapshot_says_who_is_where_who_is_stuck_and_the_common_wrong_answer(live_cohort):
    view = snapshot(live_cohort, now=NOW)
    rows = view.trainees.set_index("trainee")
    assert rows.loc["ann", "question"] == "D.q2" and rows.loc["ann", "state"] == "trying"
    assert rows.loc["ann", "attempts"] == 2 and rows.loc["ann", "minutes_on_question"] == 12.0
    assert rows.loc["bob", "minutes_on_question"] == 22.0 and rows.loc["bob", "minutes_since_activity"] == 5.0
    assert rows.loc["cy", "question"] == "D.q2" and rows.loc["cy", "state"] == "correct"  # the future is ignored
    assert rows.loc["dee", "state"] == "not started"
    assert list(view.stuck["trainee"]) == ["bob", "ann"]
    # within the last 15 minutes: ann's two D.q2 attempts (same text once whitespace is collapsed)
    # and bob's latest D.q1 attempt; bob's attempt 22 minutes ago is outside the window
    grouped = {(r.question, r.detail): (r.trainees, r.attempts) for r in view.wrong_answers.itertuples()}
    assert grouped == {("D.q2", "You gave 'Sales'. Sales sell."): (1, 2),
                       ("D.q1", "You gave 7. You added the numbers; multiply them."): (1, 1)}
    questions = view.questions.set_index("question")
    assert questions.loc["D.q1", "correct"] == 2 and questions.loc["D.q1", "trying"] == 1
    assert view.active == 3
    assert "bob" in text(view) and "stuck" in text(view).lower()


def test_snapshot_of_the_demo_logs_is_deterministic(tmp_path):
    first = snapshot(demo.write_demo_logs(tmp_path / "a"), now=demo.DEMO_NOW)
    second = snapshot(demo.write_demo_logs(tmp_path / "b"), now=demo.DEMO_NOW)
    assert first.trainees.equals(second.trainees) and first.wrong_answers.equals(second.wrong_answers)
    assert len(first.stuck) >= 1 and first.active == 7


# -- deploy files --------------------------------------------------------------------------------
def test_deploy_files_parse():
    deploy = REPO_ROOT / "deploy"
    for path in deploy.rglob("*.yaml"):
        yaml.safe_load(path.read_text())
    for path in deploy.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    config = yaml.safe_load((deploy / "z2jh" / "config.yaml").read_text())
    assert config["singleuser"]["extraEnv"]["SSUP_HOME"] == "/home/jovyan/ssup"
    timer = (deploy / "tljh" / "ssup-sync-logs.service").read_text()
    assert "ssup cohort sync-logs" in timer
