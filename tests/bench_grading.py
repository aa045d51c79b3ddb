"""Benchmark (not a test): grade a cohort of 30 trainees x every exercise notebook, and compare
with running the same notebooks one after another with ``jupyter nbconvert --execute``.

    python -m tests.bench_grading                   # 30 trainees, the full baseline
    python -m tests.bench_grading --trainees 10 --baseline 5   # baseline on 5 notebooks, scaled up

Submissions are a realistic mix: a third hand in the model solution, a third an untouched
exercise, a third half of each. The exercise notebooks are the curriculum's (exercises/ for
every unit of curriculum.yml that has one); with none yet, the synthetic demo course is used.
The baseline only executes the notebooks (no restoring of given cells, no re-run checks, no
gradebook), so it is a lower bound of what sequential grading costs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ssup.cohort import demo
from ssup.cohort.folder import Unit, collect, curriculum_units, new_cohort
from ssup.cohort.grader import Options
from ssup.cohort.results import grade_cohort
from ssup.config import REPO_ROOT


def course(folder: Path) -> tuple[Path, list[Unit], list[str], Path | None]:
    """(exercises dir, units, python path, solutions dir) for the benchmark."""
    units = [u for u in curriculum_units() if (REPO_ROOT / "exercises" / u.notebook).is_file()
             and (REPO_ROOT / "solutions" / u.notebook).is_file()]
    if units:
        return REPO_ROOT / "exercises", units, [], REPO_ROOT / "solutions"
    exercises, units, python_path = demo.write_course(folder / "course")
    return exercises, units, python_path, None


def half_and_half(solution: dict, exercise: dict) -> dict:
    """The solution with every other answer cell put back to its starter."""
    starters = {c.get("id"): c for c in exercise["cells"]}
    mixed = json.loads(json.dumps(solution))
    answers = [c for c in mixed["cells"] if (c.get("metadata", {}).get("ssup") or {}).get("role") == "answer"
               or "### BEGIN SOLUTION" in "".join(c.get("source", ""))]
    for cell in answers[::2]:
        if cell.get("id") in starters:
            cell["source"] = starters[cell["id"]]["source"]
    return mixed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--baseline", default="all", help="'all', or how many notebooks to run with nbconvert (scaled up)")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ssup-bench-"))
    try:
        exercises, units, python_path, solutions = course(work)
        ids = [f"t{n:02d}" for n in range(1, args.trainees + 1)]
        (work / "roster.csv").write_text(demo.roster_text(ids))
        cohort = new_cohort(work / "cohort", work / "roster.csv", units=units, exercises_dir=exercises,
                            python_path=python_path)
        for index, trainee in enumerate(ids):
            for unit in units:
                release = json.loads((cohort.release_dir / unit.notebook).read_text())
                if solutions is None:
                    kind = ("right", "untouched", "partly")[index % 3]
                    text = demo.submission(cohort.release_dir / unit.notebook, kind)
                else:
                    solution = json.loads((solutions / unit.notebook).read_text())
                    notebook = (solution, release, half_and_half(solution, release))[index % 3]
                    text = json.dumps(notebook)
                (cohort.workspace(trainee) / unit.notebook).write_text(text)
        collect(cohort)
        submissions = sorted(cohort.submissions_dir.glob("*/*.ipynb"))
        print(f"{len(ids)} trainees x {len(units)} notebook(s) = {len(submissions)} notebooks "
              f"({', '.join(u.notebook for u in units)}); {os.cpu_count()} cores")

        started = time.perf_counter()
        outcomes = grade_cohort(cohort, Options(workers=args.workers), progress=True)
        graded = time.perf_counter() - started
        statuses: dict[str, int] = {}
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        print(f"ssup cohort grade: {graded:7.1f} s  ({graded / len(submissions):.2f} s per notebook; {statuses})")

        sample = submissions if args.baseline == "all" else submissions[: int(args.baseline)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(python_path + [os.environ.get("PYTHONPATH", "")]))
        jupyter = shutil.which("jupyter") or str(Path(sys.executable).with_name("jupyter"))
        out = work / "nbconvert"
        started = time.perf_counter()
        for path in sample:
            home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
            subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                            "--ExecutePreprocessor.timeout=300", "--output-dir", str(out / path.parent.name),
                            str(path)], env=dict(env, SSUP_HOME=str(home)), check=True, capture_output=True)
        baseline = (time.perf_counter() - started) * len(submissions) / len(sample)
        scaled = "" if len(sample) == len(submissions) else f" (measured on {len(sample)}, scaled to {len(submissions)})"
        print(f"nbconvert --execute, one after another: {baseline:7.1f} s{scaled}")
        print(f"speed-up: {baseline / graded:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
