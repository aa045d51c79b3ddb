"""Grading hostile submissions with the trainer kit's grader (``ssup.cohort``).

``tests/test_cohort.py`` already grades loops, ``sys.exit``, ``os._exit``, a crash, a printing loop,
corrupt JSON, edited and deleted check cells and a wrong kernel name; this module covers the rest:
a memory bomb, 100 MB of output in one call and through the file descriptor, notebooks that try
to write into the gradebook, into other trainees' folders and the release, and a process left
running after its kernel. Honest trainees are graded before and after each hostile one (two
workers, so they also run side by side): their results must be exactly what they are when graded
alone, every result must be in the gradebook, and each hostile notebook gets the right status.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

cohort_kit = pytest.importorskip("ssup.cohort.grader", reason="the trainer kit (ssup.cohort) does not exist yet")

from ssup.cohort import demo  # noqa: E402
from ssup.cohort.folder import Cohort, collect, new_cohort  # noqa: E402
from ssup.cohort.gradebook import Gradebook  # noqa: E402
from ssup.cohort.grader import Options  # noqa: E402
from ssup.cohort.results import grade_cohort, table  # noqa: E402

QUESTIONS = ("D.q1", "D.q2", "D.q3")
RIGHT = demo.ANSWERS["right"]
#: Short limits, and 768 MB of address space per kernel (the kit's default is 1536 MB), so the memory
#: bomb is stopped well before it can hurt a shared machine.
FAST = dict(workers=2, cell_timeout=10.0, interrupt_grace=3.0, check_timeout=10.0, max_output_bytes=2_000_000,
            memory_mb=768)


def hostile_answer(kind: str, cohort: Cohort) -> str:
    """The code of answer cell 2 for each kind (answers 1 and 3 are right)."""
    root = cohort.root
    if kind == "membomb":
        return "hoard = []\nwhile True:\n    hoard.append(b'x' * (64 * 2**20))"
    if kind == "bigalloc":
        return "blob = bytearray(50 * 2**30)"
    if kind == "bigprint":
        return "print('x' * 100_000_000)"
    if kind == "fdflood":
        return "import os\nfor _ in range(100):\n    os.write(1, b'y' * 1_000_000)\n    os.write(2, b'z' * 1_000_000)"
    if kind == "gradebook-sql":
        return (f"import sqlite3\nbook = sqlite3.connect({str(root / 'gradebook.sqlite')!r})\n"
                "book.execute(\"UPDATE results SET status = 'correct', detail = 'hacked'\")\n"
                "book.execute(\"DELETE FROM submissions WHERE trainee_id != 'gradebook-sql'\")\nbook.commit()\n"
                "billing_team = 'Finance'")
    if kind == "gradebook-garbage":
        return (f"open({str(root / 'gradebook.sqlite')!r}, 'wb').write(b'not a database' * 1000)\n"
                "billing_team = 'Finance'")
    if kind == "neighbour":
        wrong = json.dumps(demo.submission(cohort.release_dir / demo.NOTEBOOK, "wrong"))
        targets = [root / "submissions" / "good-c" / demo.NOTEBOOK, root / "workspaces" / "good-c" / demo.NOTEBOOK,
                   root / "graded" / "good-a" / demo.NOTEBOOK, root / "release" / demo.NOTEBOOK]
        return (f"import os\nfor path in {[str(t) for t in targets]!r}:\n"
                "    os.makedirs(os.path.dirname(path), exist_ok=True)\n"
                f"    open(path, 'w').write({wrong})\n"
                f"open({str(root / 'cohort.json')!r}, 'a').write('garbage')\n"
                "billing_team = 'Finance'")
    if kind == "detached":
        return ("import subprocess\n"
                "child = subprocess.Popen(['sleep', '120'], start_new_session=True)\n"
                "print('detached pid', child.pid)\nbilling_team = 'Finance'")
    raise ValueError(kind)


#: Two grading runs, (trainee, kind) in roster order, honest trainees before, between and after the
#: hostile ones. The first throws resource attacks at the grader, the second attacks on files (kept
#: apart so a finding in one does not hide the results of the other).
RESOURCES = [("good-a", "right"), ("membomb", "membomb"), ("bigalloc", "bigalloc"), ("good-b", "right"),
             ("bigprint", "bigprint"), ("fdflood", "fdflood"), ("good-c", "right"), ("detached", "detached"),
             ("good-d", "right")]
FILES = [("good-a", "right"), ("gradebook-sql", "gradebook-sql"), ("neighbour", "neighbour"), ("good-c", "right"),
         ("gradebook-garbage", "gradebook-garbage"), ("good-d", "right")]

#: What each hostile notebook's questions must be graded (q1, q2, q3): q1 and q3 are right; q2 is
#: the hostile cell, which either never set billing_team (unattempted) or set it right.
EXPECTED = {
    "membomb": ("correct", "unattempted", "correct"),
    "bigalloc": ("correct", "unattempted", "correct"),
    "bigprint": ("correct", "unattempted", "correct"),
    "fdflood": ("correct", "unattempted", "correct"),
    "detached": ("correct", "correct", "correct"),
    # the file attacks are refused with an error before the cell sets billing_team
    "gradebook-sql": ("correct", "unattempted", "correct"),
    "gradebook-garbage": ("correct", "unattempted", "correct"),
    "neighbour": ("correct", "unattempted", "correct"),
}
EXPECTED_STATUS = {
    "membomb": {"graded"},  # MemoryError is an error in a cell: the run goes on
    "bigalloc": {"graded"},
    "bigprint": {"output_limit"},
    "fdflood": {"graded", "output_limit"},  # fd output is dropped (graded) or counted (output_limit)
    "detached": {"graded"},
    "gradebook-sql": {"graded"},
    "gradebook-garbage": {"graded"},
    "neighbour": {"graded"},
}

#: How each file attack's cell must fail: grading kernels are confined to their own folder
#: (ssup/cohort/sandbox.py), so the write is refused and the rest of the notebook runs on.
REFUSED = {
    "gradebook-sql": "OperationalError: attempt to write a readonly database",
    "gradebook-garbage": "PermissionError",
    "neighbour": "PermissionError",
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_submission(cohort: Cohort, trainee: str, answers: list[str]) -> None:
    notebook = json.loads((cohort.release_dir / demo.NOTEBOOK).read_text())
    for number, answer in enumerate(answers, start=1):
        for cell in notebook["cells"]:
            if cell.get("id") == f"answer{number}":
                cell["source"] = answer
    (cohort.workspace(trainee) / demo.NOTEBOOK).write_text(json.dumps(notebook))


def grade_run(root: Path, roster_kinds: list[tuple[str, str]]) -> dict[str, Any]:
    exercises, units, python_path = demo.write_course(root / "course")
    roster = root / "roster.csv"
    roster.write_text(demo.roster_text([trainee for trainee, _ in roster_kinds]))
    cohort = new_cohort(root / "cohort", roster, units=units, exercises_dir=exercises, python_path=python_path)
    for trainee, kind in roster_kinds:
        answers = RIGHT if kind == "right" else [RIGHT[0], hostile_answer(kind, cohort), RIGHT[2]]
        write_submission(cohort, trainee, answers)
    collect(cohort)
    collected = {trainee: sha(cohort.submissions_dir / trainee / demo.NOTEBOOK) for trainee, _ in roster_kinds}
    release = sha(cohort.release_dir / demo.NOTEBOOK)
    saved: dict[str, list[dict[str, Any]]] = {}
    error: BaseException | None = None
    started = time.monotonic()
    try:
        outcomes = grade_cohort(cohort, Options(**FAST), on_done=lambda o: saved.setdefault(o.trainee, o.results))
    except Exception as problem:  # noqa: BLE001 - a grading run that dies is itself a finding
        outcomes, error = [], problem
    return {"cohort": cohort, "outcomes": {o.trainee: o for o in outcomes}, "saved": saved, "error": error,
            "collected": collected, "release": release, "elapsed": time.monotonic() - started,
            "roster": roster_kinds}


def detached_pid(run: dict[str, Any]) -> int | None:
    """The pid the detached notebook printed, read from its graded copy (it may write nowhere else)."""
    graded = run["cohort"].graded_dir / "detached" / demo.NOTEBOOK
    if not graded.exists():
        return None
    for cell in json.loads(graded.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            for line in ("".join(text) if isinstance(text, list) else str(text)).splitlines():
                if line.startswith("detached pid "):
                    return int(line.split()[-1])
    return None


def end_detached(run: dict[str, Any]) -> None:
    """Never leave the detached child behind, whatever the grader did."""
    pid = detached_pid(run) if any(kind == "detached" for _, kind in run["roster"]) else None
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    run = grade_run(tmp_path_factory.mktemp("resource-attacks"), RESOURCES)
    yield run
    end_detached(run)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    run = grade_run(tmp_path_factory.mktemp("file-attacks"), FILES)
    yield run
    end_detached(run)


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The honest notebook graded on its own: the reference every honest trainee must match."""
    root = tmp_path_factory.mktemp("alone-cohort")
    exercises, units, python_path = demo.write_course(root / "course")
    roster = root / "roster.csv"
    roster.write_text(demo.roster_text(["solo"]))
    cohort = new_cohort(root / "cohort", roster, units=units, exercises_dir=exercises, python_path=python_path)
    write_submission(cohort, "solo", RIGHT)
    collect(cohort)
    [outcome] = grade_cohort(cohort, Options(**FAST))
    return [(r["question"], r["status"], r["detail"]) for r in outcome.results]


def check_run(run: dict[str, Any], alone: list[tuple[str, str, str]]) -> None:
    """Grading finished, every notebook has its outcome, honest trainees got what they get alone,
    each hostile notebook its status, and the gradebook holds every result the grader decided."""
    assert run["error"] is None, f"grading stopped: {type(run['error']).__name__}: {str(run['error'])[:300]}"
    assert sorted(run["outcomes"]) == sorted(trainee for trainee, _ in run["roster"])
    for trainee, kind in run["roster"]:
        outcome = run["outcomes"][trainee]
        statuses = tuple(r["status"] for r in outcome.results)
        if kind == "right":
            assert outcome.status == "graded", (trainee, outcome.problem_text)
            assert [(r["question"], r["status"], r["detail"]) for r in outcome.results] == alone, trainee
        else:
            assert outcome.status in EXPECTED_STATUS[kind], (kind, outcome.status, outcome.problem_text, outcome.errors)
            assert statuses == EXPECTED[kind], (kind, outcome.results)
    cohort = run["cohort"]
    with Gradebook(cohort.gradebook_url()) as book:
        stored = {(r["trainee"], r["question"]): (r["status"], r["detail"]) for r in book.results()}
        submissions = {s["trainee"]: s for s in book.submissions()}
    assert len(stored) == len(run["roster"]) * len(QUESTIONS), "results are missing from the gradebook"
    for trainee, results in run["saved"].items():
        for result in results:
            assert stored[(trainee, result["question"])] == (result["status"], result["detail"]), \
                f"the gradebook's result for {trainee} {result['question']} is not what the grader decided"
    assert set(submissions) == {trainee for trainee, _ in run["roster"]}
    for trainee, _ in run["roster"]:
        assert submissions[trainee]["sha256"] == run["collected"][trainee], \
            f"the fingerprint stored for {trainee} is not of the notebook collected"
    assert len(table(cohort)) == len(run["roster"]) * len(QUESTIONS)


def test_resource_attacks_are_contained_and_change_no_one_elses_result(resources, alone):
    check_run(resources, alone)
    assert resources["elapsed"] < 300


def test_the_memory_bomb_is_stopped_by_the_kernels_memory_cap(resources):
    for kind in ("membomb", "bigalloc"):
        outcome = resources["outcomes"][kind]
        assert any("MemoryError" in error for error in outcome.errors), (kind, outcome.errors, outcome.problem_text)


def test_a_hundred_megabytes_of_output_is_cut_short(resources):
    outcome = resources["outcomes"]["bigprint"]
    assert "printed more than" in outcome.problem_text
    for kind in ("bigprint", "fdflood"):
        graded = resources["cohort"].graded_dir / kind / demo.NOTEBOOK
        assert graded.stat().st_size < 1_000_000, f"the graded copy of {kind} kept the flood"


def test_no_process_started_by_a_notebook_outlives_grading(resources):
    """The fork server adopts the process started in a session of its own and kills it."""
    pid = detached_pid(resources)
    assert pid is not None, "the detached notebook did not run"
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.2)
    raise AssertionError(f"process {pid} started by a graded notebook is still running")


def test_file_attacks_change_no_one_elses_result_and_lose_nothing(files, alone):
    check_run(files, alone)


def test_each_file_attack_is_refused_inside_the_notebook(files):
    for kind, error in REFUSED.items():
        outcome = files["outcomes"][kind]
        assert any(error in line for line in outcome.errors), (kind, outcome.errors)


def test_no_notebook_can_change_other_trainees_files_or_the_release(files):
    cohort = files["cohort"]
    for trainee, _ in files["roster"]:
        assert sha(cohort.submissions_dir / trainee / demo.NOTEBOOK) == files["collected"][trainee], trainee
    assert sha(cohort.release_dir / demo.NOTEBOOK) == files["release"]
    json.loads((cohort.root / "cohort.json").read_text())
