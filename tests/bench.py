"""Benchmarks: how long the curriculum takes for the people who use it. Figures, not pass/fail.

``make bench`` (``python -m tests.bench``) measures, on this machine:

- every notebook (the Makefile's NOTEBOOK_DIRS) executed in a fresh kernel, split into kernel start,
  the setup cell (imports: the *floor*) and the rest; and the same notebook run again in the now warm
  kernel (what a trainee who re-runs a lesson waits);
- the strict ``pytest --nbval`` run of every notebook (the Makefile's PYTEST_ARGS without ``tests``),
  against the suite targets; then all of ``make test`` (PYTEST_ARGS), with its test time by part;
- ``Question.evaluate`` latency over every question of every level, with each question's right
  answer from its test cases (``tests/test_questions_*.py``), else its unattempted path;
- building the trainee database from the CSV files (cold) and resetting it (a copy);
- grading a cohort of 30 trainees x every exercise notebook with the trainer kit, against
  sequential ``jupyter nbconvert --execute`` of the same files;
- the import cost of each notebook's setup (``python -X importtime``), to explain a slow floor.

It prints a table and writes ``docs/benchmarks.md`` (machine, figures, targets met or missed, and
the causes found). Options: ``--quick`` (fewer repetitions, 4 trainees, no suite), ``--skip-suite``,
``--skip-grading``, ``--trainees N``, ``--sequential-sample N`` (trainees run through nbconvert one
by one; the rest is scaled up, default 3), ``--no-write``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"


def makefile_variable(name: str) -> list[str]:
    """The words of a variable of the Makefile (``NAME := ...`` or ``NAME ?= ...``), with ``$(OTHER)`` expanded:
    the benchmark runs exactly what ``make test`` runs."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{name}\s*[:?]?=\s*(.*)$", text, flags=re.MULTILINE)
    if match is None:
        raise LookupError(f"the Makefile defines no {name}")
    return re.sub(r"\$\((\w+)\)", lambda m: " ".join(makefile_variable(m.group(1))), match.group(1)).split()


NOTEBOOK_DIRS = tuple(makefile_variable("NOTEBOOK_DIRS"))
#: ``make test``: strict nbval over every notebook plus the unit tests.
PYTEST_ARGS = makefile_variable("PYTEST_ARGS")
#: The strict ``pytest --nbval`` run of every notebook alone (the same options, no unit tests).
NBVAL_ARGS = [arg for arg in PYTEST_ARGS if arg != "tests"]
#: The options of that run without its folders (for the floor, run the same way on setup cells only).
NBVAL_OPTIONS = [arg for arg in NBVAL_ARGS if arg not in NOTEBOOK_DIRS]
FLOOR_FOLDER = ROOT / "build" / "bench-floor"

TARGETS = {
    "suite_s": 45.0,  # the strict pytest --nbval run of every notebook, on 2 cores
    "suite_floor_ratio": 2.0,  # and at most twice the floor
    "lesson_warm_s": 3.0,  # every lesson in a warm kernel
    "check_median_ms": 20.0,
    "check_p95_ms": 100.0,
    "db_build_s": 1.0,
    "grading_speedup": 3.0,  # cohort grading vs sequential nbconvert
}


# -- small helpers ---------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = (len(ordered) - 1) * q
    low, high = int(index), min(int(index) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


@contextlib.contextmanager
def environment(**values: str | None) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def machine() -> dict[str, str]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 2**20:.0f} GiB"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": str(cores), "cpu": model or platform.processor() or "unknown", "memory": memory,
            "python": platform.python_version(), "platform": platform.platform(terse=True),
            "load": " / ".join(f"{x:.2f}" for x in os.getloadavg())}


def exercise_units() -> list[dict[str, Any]]:
    from ssup.config import curriculum

    return [unit for unit in curriculum()["units"] if unit.get("questions")]


def notebooks() -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        found += sorted((ROOT / folder).glob("*.ipynb"))
    return found


def say(text: str) -> None:
    print(text, flush=True)


# -- notebooks --------------------------------------------------------------------------------
@dataclass
class NotebookTime:
    path: str
    kernel_start: float = 0.0
    setup: float = 0.0  # first code cell (imports, seed): with the kernel start, the floor
    rest: float = 0.0
    warm: float = 0.0  # every cell again, in the same (warm) kernel
    cells: int = 0
    error: str = ""
    slowest: list[tuple[float, int]] = field(default_factory=list)
    figure_cells: int = 0  # cells that draw a figure, and their time, in the warm run
    figure_time: float = 0.0

    @property
    def cold(self) -> float:
        return self.kernel_start + self.setup + self.rest

    @property
    def floor(self) -> float:
        return self.kernel_start + self.setup


def time_notebook(path: Path, home: Path) -> NotebookTime:
    """Execute ``path`` in a fresh kernel cell by cell, then all of it again in the warm kernel."""
    import nbformat
    from nbclient import NotebookClient

    result = NotebookTime(str(path.relative_to(ROOT)))
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    code = [(index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    result.cells = len(code)
    with environment(SSUP_HOME=str(home), MPLBACKEND=None, SSUP_RESULTS=None):
        started = time.perf_counter()
        with client.setup_kernel(cwd=str(path.parent), stderr=subprocess.DEVNULL):  # kernel log noise
            result.kernel_start = time.perf_counter() - started
            for position, (index, cell) in enumerate(code):
                began = time.perf_counter()
                client.execute_cell(cell, index)
                spent = time.perf_counter() - began
                if position == 0:
                    result.setup = spent
                else:
                    result.rest += spent
                    result.slowest.append((spent, index))
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                if errors and not result.error:
                    result.error = f"cell {index}: {errors[0].get('ename')}"
            began = time.perf_counter()
            for index, cell in code:
                cell_began = time.perf_counter()
                client.execute_cell(cell, index)
                if any(key in output.get("data", {}) for output in cell.get("outputs", [])
                       for key in ("image/png", "image/svg+xml")):
                    result.figure_cells += 1
                    result.figure_time += time.perf_counter() - cell_began
            result.warm = time.perf_counter() - began
    result.slowest = sorted(result.slowest, reverse=True)[:3]
    return result


def bench_notebooks(paths: list[Path]) -> list[NotebookTime]:
    times = []
    home = Path(tempfile.mkdtemp(prefix="ssup-bench-home-"))
    for path in paths:
        try:
            measured = time_notebook(path, home)
        except Exception as error:  # noqa: BLE001 - a figure we could not take is reported, not fatal
            measured = NotebookTime(str(path.relative_to(ROOT)), error=f"{type(error).__name__}: {error}"[:200])
        times.append(measured)
        say(f"  {measured.path:<70} cold {measured.cold:6.1f} s  floor {measured.floor:5.1f} s  "
            f"warm {measured.warm:5.1f} s{'  ' + measured.error if measured.error else ''}")
    shutil.rmtree(home, ignore_errors=True)
    return times


def import_profile(path: Path, top: int = 6) -> tuple[float, list[tuple[str, float]]]:
    """Wall time of the notebook's setup cell in a fresh interpreter, and its heaviest imports."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    setup = next((cell.source for cell in notebook.cells if cell.cell_type == "code"), "")
    imports = "\n".join(line for line in setup.splitlines() if re.match(r"\s*(from\s+\S+\s+)?import\s", line))
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, SSUP_HOME=home, MPLBACKEND="Agg")
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", imports], cwd=path.parent, env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - began
    heavy: dict[str, float] = {}
    own = 0.0
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not match:
            continue
        name = match.group(4)
        root = name.split(".")[0]
        if root == "ssup":
            own += int(match.group(1)) / 1e6  # the package's own module code, nested imports excluded
        elif name == root:  # a third-party package, where it is first imported (its cumulative time)
            heavy[root] = max(heavy.get(root, 0.0), int(match.group(2)) / 1e6)
    heavy["ssup (own code)"] = own
    return wall, sorted(heavy.items(), key=lambda item: -item[1])[:top]


def bench_figure(repeats: int = 9) -> dict[str, float]:
    """How long one typical lesson figure takes to render as Jupyter's inline backend does it by default (PNG
    with bbox_inches='tight', which draws the figure twice) and as the notebooks render it after
    ``ssup.notebook.setup()`` (ssup.figures' canvas: drawn once, at the figure's own size)."""
    code = """
import io, statistics, time, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt, numpy as np
from ssup.figures import BACKEND
from ssup.notebook import setup
setup()
def figure():
    fig, ax = plt.subplots()
    ax.hist(np.random.default_rng(0).normal(size=10_000), bins=40, label="simulated")
    ax.set_title("Alarm latency"); ax.set_xlabel("seconds"); ax.set_ylabel("alarms"); ax.legend()
    return fig
for options in ({"bbox_inches": "tight"}, {"bbox_inches": None, "backend": BACKEND}):
    times = []
    for _ in range(REPEATS):
        fig = figure(); began = time.perf_counter(); fig.savefig(io.BytesIO(), format="png", **options)
        times.append(time.perf_counter() - began); plt.close(fig)
    print(statistics.median(times))
""".replace("REPEATS", str(repeats))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    try:
        tight, course = (float(x) for x in done.stdout.split())
    except ValueError:
        return {}
    return {"tight_ms": tight * 1000, "course_ms": course * 1000}


# -- the suite --------------------------------------------------------------------------------
def suite_group(classname: str) -> str:
    """Which part of the suite a JUnit test case belongs to: its notebook folder (nbval names a cell's class
    ``folder.notebook.ipynb``) or its test module (``tests.test_x.TestClass``).

    >>> suite_group("notebooks.04_level4_solutions.ipynb"), suite_group("tests.test_db"), suite_group("tests.test_db.TestX")
    ('notebooks/ (nbval)', 'tests/test_db.py', 'tests/test_db.py')
    """
    if classname.endswith(".ipynb"):
        folders = classname[: -len(".ipynb")].split(".")[:-1]
        return (folders[-1] if folders else ".") + "/ (nbval)"
    parts = classname.split(".")
    if parts[0] == "tests" and len(parts) > 1:
        return f"tests/{parts[1]}.py"
    return classname or "(unnamed)"


def floor_notebooks(folder: Path) -> list[str]:
    """Copies of every notebook cut down to its setup cell (imports, seed), in ``folder``/<its folder>: run
    through the same pytest command as the suite, they measure the suite's floor the same way. Returns the
    folders to pass to pytest."""
    import nbformat

    shutil.rmtree(folder, ignore_errors=True)
    for path in notebooks():
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [next(cell for cell in notebook.cells if cell.cell_type == "code")]
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
    return [str((folder / name).relative_to(ROOT)) for name in NOTEBOOK_DIRS if (folder / name).is_dir()]


def bench_suite(args: list[str]) -> dict[str, Any]:
    """Run ``pytest args`` once: wall time, summary, slowest items, and the test time per part of the suite
    (from pytest's JUnit report, summed over both workers)."""
    import xml.etree.ElementTree as ElementTree

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "suite.xml"
        command = [sys.executable, "-m", "pytest", *args, "-q", "-p", "no:cacheprovider", "--durations=12",
                   f"--junitxml={report}"]
        began = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - began
        groups: dict[str, list[float]] = {}
        with contextlib.suppress(OSError, ElementTree.ParseError):
            for case in ElementTree.parse(report).iter("testcase"):
                group = suite_group(case.get("classname", ""))
                spent = groups.setdefault(group, [0, 0.0])
                spent[0] += 1
                spent[1] += float(case.get("time") or 0.0)
    tail = [line for line in done.stdout.splitlines() if line.strip()]
    summary = next((line for line in reversed(tail) if re.search(r"\d+ (passed|failed)", line)), "")
    durations = []
    in_durations = False
    for line in done.stdout.splitlines():
        if "slowest" in line and "durations" in line:
            in_durations = True
            continue
        if in_durations:
            match = re.match(r"([\d.]+)s (call|setup|teardown)\s+(.*)", line.strip())
            if match:
                durations.append((float(match.group(1)), f"{match.group(3)} ({match.group(2)})"))
            elif line.startswith("="):
                in_durations = False
    parts = sorted(((group, int(n), seconds) for group, (n, seconds) in groups.items()), key=lambda row: -row[2])
    return {"args": args, "wall": wall, "returncode": done.returncode, "summary": summary.strip("= "),
            "durations": durations, "parts": parts}


# -- checks -----------------------------------------------------------------------------------
def right_answers(module_name: str) -> dict[str, Any]:
    """Question id -> a right answer from tests/test_questions_<level>.py, where there is one."""
    from tests.questionkit import Case

    test_name = "tests.test_questions_" + module_name.rsplit(".", 1)[-1]
    try:
        tests = importlib.import_module(test_name)
    except ImportError:
        return {}
    answers: dict[str, Any] = {}
    for value in vars(tests).values():
        if isinstance(value, dict) and value and all(isinstance(v, Case) for v in value.values()):
            for qid, case in value.items():
                if case.right:
                    answers[qid] = case.right[0]
    return answers


def bench_checks(repeats: int) -> dict[str, Any]:
    from ssup import db
    from ssup.exercise import DATABASE
    from tests.questionkit import Action, Lazy

    samples: list[float] = []
    per_question: list[tuple[float, str, str]] = []
    modules = ["ssup.questions.welcome"] + [unit["questions"] for unit in exercise_units()]
    home = tempfile.mkdtemp(prefix="ssup-bench-checks-")
    with environment(SSUP_HOME=home, SSUP_RESULTS=None):
        db.reset()
        for name in modules:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            answers = right_answers(name)
            for question in module.QUESTIONS:
                answer = answers.get(question.id, ...)
                path = "right" if question.id in answers else "unattempted"
                times = []
                for _ in range(repeats):
                    value = answer.make() if isinstance(answer, Lazy) else answer
                    if isinstance(value, Action) or question.answer == DATABASE:
                        db.reset()
                        if isinstance(value, Action):
                            value.run()
                        began = time.perf_counter()
                        result = question.evaluate()
                    else:
                        began = time.perf_counter()
                        result = question.evaluate(value)
                    times.append(time.perf_counter() - began)
                if path == "right" and result.status != "correct":
                    path = f"right ({result.status})"
                samples += times
                per_question.append((statistics.median(times), question.id, path))
    shutil.rmtree(home, ignore_errors=True)
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": percentile(samples, 0.95) * 1000,
            "max_ms": max(samples) * 1000, "questions": len(per_question), "samples": len(samples),
            "slowest": sorted(per_question, reverse=True)[:8],
            "right": sum(p.startswith("right") for _, _, p in per_question)}


# -- the database -----------------------------------------------------------------------------
def bench_database(repeats: int) -> dict[str, float]:
    from ssup import db

    cold, reset = [], []
    home = tempfile.mkdtemp(prefix="ssup-bench-db-")
    with environment(SSUP_HOME=home):
        for _ in range(repeats):
            cache = tempfile.mkdtemp(prefix="ssup-bench-cache-")
            with environment(SSUP_CACHE_DIR=cache):
                began = time.perf_counter()
                db.build()
                cold.append(time.perf_counter() - began)
                began = time.perf_counter()
                db.reset()
                reset.append(time.perf_counter() - began)
            shutil.rmtree(cache, ignore_errors=True)
        size = db.database_path().stat().st_size / 1e6
    shutil.rmtree(home, ignore_errors=True)
    return {"cold_s": statistics.median(cold), "cold_max_s": max(cold), "reset_s": statistics.median(reset),
            "reset_max_s": max(reset), "size_mb": size}


# -- cohort grading ---------------------------------------------------------------------------
def bench_grading(trainees: int, sample: int) -> dict[str, Any]:
    try:
        from ssup.cohort.folder import Unit, collect, new_cohort
        from ssup.cohort.grader import Options
        from ssup.cohort.results import grade_cohort
    except ImportError:
        return {"available": False, "why": "not available yet (ssup.cohort does not exist)"}
    units = [Unit(u["notebook"], u["questions"], u.get("level"), u.get("title", ""), tuple(u.get("behaviours") or ()))
             for u in exercise_units()
             if (ROOT / "exercises" / u["notebook"]).exists() and (ROOT / "solutions" / u["notebook"]).exists()]
    if not units:
        return {"available": False, "why": "no exercise notebooks with solutions yet"}
    root = Path(tempfile.mkdtemp(prefix="ssup-bench-cohort-"))
    ids = [f"t{index:02d}" for index in range(1, trainees + 1)]
    (root / "roster.csv").write_text("trainee_id,name,email\n" + "".join(f"{t},Trainee {t},{t}@example.com\n" for t in ids))
    cohort = new_cohort(root / "cohort", root / "roster.csv", units=units, exercises_dir=ROOT / "exercises")
    for trainee in ids:  # every trainee hands in the model answers: every cell does its real work
        for unit in units:
            shutil.copyfile(ROOT / "solutions" / unit.notebook, cohort.workspace(trainee) / unit.notebook)
    collect(cohort)
    options = Options()
    began = time.perf_counter()
    outcomes = grade_cohort(cohort, options)
    grading = time.perf_counter() - began
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    # the same files, one after another, the way a trainer without the kit would
    out = root / "nbconvert"
    out.mkdir()
    sequential = []
    for trainee in ids[:sample]:
        for unit in units:
            source = cohort.submissions_dir / trainee / unit.notebook
            with tempfile.TemporaryDirectory() as home:
                env = dict(os.environ, SSUP_HOME=home)
                env.pop("MPLBACKEND", None)
                began = time.perf_counter()
                subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                                "--ExecutePreprocessor.timeout=600", "--output-dir", str(out / trainee), str(source)],
                               cwd=source.parent, env=env, capture_output=True, check=False)
                sequential.append(time.perf_counter() - began)
    per_trainee = sum(sequential) / max(1, sample)
    sequential_total = per_trainee * trainees
    shutil.rmtree(root, ignore_errors=True)
    return {"available": True, "trainees": trainees, "notebooks": len(units), "grading_s": grading,
            "workers": options.worker_count(), "kernel_mode": options.kernel_mode, "statuses": statuses,
            "sequential_sample": sample, "sequential_measured_s": sum(sequential),
            "sequential_per_notebook_s": statistics.mean(sequential) if sequential else float("nan"),
            "sequential_s": sequential_total, "speedup": sequential_total / grading if grading else float("nan")}


# -- report -----------------------------------------------------------------------------------
def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def render(figures: dict[str, Any]) -> str:
    m = figures["machine"]
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`python -m tests.bench`): figures measured on the machine below, not "
             "pass/fail. Re-run it after a change that could make notebooks, checks or grading slower.", "",
             f"Measured {figures['when']} on: {m['nproc']} cores ({m['cpu']}), {m['memory']} memory, Python "
             f"{m['python']}, {m['platform']}. Load average (1/5/15 min) at the start: {m['load']}; at the end: "
             f"{figures['load_end']}. The machine is shared: a load above the core count means other work was "
             "running and every figure is slower than on a quiet machine.", ""]
    rows = figures["targets"]
    lines += ["## Targets", "", "| what | target | measured | |", "| --- | --- | --- | --- |"]
    for what, target, measured, ok in rows:
        lines.append(f"| {what} | {target} | {measured} | {verdict(ok)} |")
    nb = figures.get("notebooks") or []
    if nb:
        lines += ["", "## Notebooks", "",
                  "Fresh kernel per notebook (nbclient, cell by cell): kernel start, setup cell (imports and seed), "
                  "the other cells; *floor* = kernel start + setup; *warm* = every cell again in the same kernel.", "",
                  "| notebook | cells | kernel start s | setup s | floor s | rest s | cold total s | warm s | "
                  "of which figures (cells) | slowest cells, cold (s) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for t in nb:
            slow = ", ".join(f"#{i}: {s:.1f}" for s, i in t.slowest) if t.slowest else ""
            flag = f" ({t.error})" if t.error else ""
            lines.append(f"| {t.path}{flag} | {t.cells} | {t.kernel_start:.2f} | {t.setup:.2f} | {t.floor:.2f} | "
                         f"{t.rest:.2f} | {t.cold:.2f} | {t.warm:.2f} | {t.figure_time:.2f} ({t.figure_cells}) | {slow} |")
        lines += ["", f"Sum of cold runs {sum(t.cold for t in nb):.1f} s; sum of floors {sum(t.floor for t in nb):.1f} s "
                  f"(the least a 2-worker suite can take for the notebooks is about half of it: "
                  f"{sum(t.floor for t in nb) / 2:.1f} s)."]
    imports = figures.get("imports") or []
    if imports:
        lines += ["", "## What the floor is made of", "",
                  "Each notebook's setup-cell imports in a fresh interpreter (`python -X importtime`); the heaviest "
                  "top-level imports (cumulative seconds, nested imports included):", "",
                  "| notebook | import wall s | heaviest imports |", "| --- | ---: | --- |"]
        for path, wall, heavy in imports:
            lines.append(f"| {path} | {wall:.2f} | {', '.join(f'{n} {s:.2f}' for n, s in heavy)} |")
    for key, title in (("nbval", "The strict nbval run of every notebook"),
                       ("floor_suite", "Its floor: the same run on every notebook's setup cell alone"),
                       ("suite", "All of `make test`")):
        run = figures.get(key)
        if not run:
            continue
        lines += ["", f"## {title}", "", f"`python -m pytest {' '.join(run['args'])}`: {run['wall']:.1f} s wall, exit "
                  f"code {run['returncode']}, `{run['summary']}`."]
        if run["parts"]:
            total = sum(seconds for _, _, seconds in run["parts"])
            lines += ["", f"Test time by part (summed over both workers: {total:.0f} s, about {total / 2:.0f} s of wall "
                      "time on 2 workers; set-up shared by a module's tests counts once):", "",
                      "| part | items | seconds | share |", "| --- | ---: | ---: | ---: |"]
            lines += [f"| {group} | {count} | {seconds:.1f} | {100 * seconds / total:.0f}% |"
                      for group, count, seconds in run["parts"][:15]]
            rest = run["parts"][15:]
            if rest:
                lines.append(f"| {len(rest)} other parts | {sum(c for _, c, _ in rest)} | "
                             f"{sum(s for _, _, s in rest):.1f} | {100 * sum(s for _, _, s in rest) / total:.0f}% |")
        lines += ["", "Slowest items:", ""] + [f"- {seconds:.1f} s {item}" for seconds, item in run["durations"]]
    checks = figures.get("checks")
    if checks:
        lines += ["", "## Checks", "",
                  f"`Question.evaluate` over {checks['questions']} questions ({checks['right']} with a right answer from "
                  f"their tests, the rest on the unattempted path), {checks['samples']} timed calls: median "
                  f"{checks['median_ms']:.1f} ms, p95 {checks['p95_ms']:.1f} ms, slowest {checks['max_ms']:.0f} ms.", "",
                  "Slowest questions (median of their calls):", ""]
        lines += [f"- {qid} ({path}): {seconds * 1000:.0f} ms" for seconds, qid, path in checks["slowest"]]
    database = figures.get("database")
    if database:
        lines += ["", "## Database", "", f"A {database['size_mb']:.1f} MB SQLite file. Cold build from the CSV files: "
                  f"median {database['cold_s']:.2f} s "
                  f"(slowest {database['cold_max_s']:.2f} s); reset (a copy of the pristine file): median "
                  f"{database['reset_s'] * 1000:.0f} ms (slowest {database['reset_max_s'] * 1000:.0f} ms)."]
    grading = figures.get("grading")
    if grading:
        lines += ["", "## Cohort grading", ""]
        if not grading.get("available"):
            lines.append(grading["why"])
        else:
            lines.append(
                f"{grading['trainees']} trainees x {grading['notebooks']} exercise notebooks (each the model "
                f"answers), `ssup.cohort.results.grade_cohort` with default options ({grading['workers']} workers, "
                f"{grading['kernel_mode']} kernels): {grading['grading_s']:.1f} s; statuses {grading['statuses']}. "
                f"Sequential `jupyter nbconvert --execute` of the same files: {grading['sequential_per_notebook_s']:.1f} s "
                f"a notebook, measured on {grading['sequential_sample']} trainee(s) "
                f"({grading['sequential_measured_s']:.1f} s) and scaled to {grading['trainees']}: "
                f"{grading['sequential_s']:.0f} s. Speed-up {grading['speedup']:.1f}x.")
    fig = figures.get("figure")
    if fig:
        lines += ["", "## One figure", "", f"A typical lesson figure (a 40-bin histogram with title, labels and legend, "
                  f"the setup's 80 dpi) renders to PNG in {fig['tight_ms']:.0f} ms as Jupyter's inline backend does it "
                  f"by default (`bbox_inches='tight'`, which draws it twice) and in {fig['course_ms']:.0f} ms as the "
                  "notebooks render it after `ssup.notebook.setup()` (`ssup.figures`: drawn once at its own size, "
                  "again only when something would be cut off)."]
    lines += ["", "## Findings", ""] + (figures.get("findings") or ["Every target was met."])
    return "\n".join(lines) + "\n"


def findings(figures: dict[str, Any]) -> list[str]:
    """Why a target was missed, from what was measured."""
    out: list[str] = []
    m = figures["machine"]
    try:
        loaded = float(m["load"].split("/")[0]) > float(m["nproc"])
    except ValueError:
        loaded = False
    if loaded:
        out.append(f"- The machine was loaded (load {m['load']} on {m['nproc']} cores) while measuring: other "
                   "engineers' test runs shared the two cores, so wall-clock figures here are upper bounds. "
                   "Re-run on a quiet machine before acting on a near miss.")
    nb = figures.get("notebooks") or []
    slow_warm = [t for t in nb if t.path.startswith("notebooks/") and t.warm > TARGETS["lesson_warm_s"]]
    for t in slow_warm:
        cells = ", ".join(f"cell {i} ({s:.1f} s)" for s, i in t.slowest)
        out.append(f"- {t.path} takes {t.warm:.1f} s in a warm kernel (target {TARGETS['lesson_warm_s']:g} s): "
                   f"{t.figure_time:.1f} s of it in the {t.figure_cells} cells that draw a figure (already drawn once "
                   f"each, by `ssup.figures`); its slowest cells on the cold run: {cells}. Fix: profile those cells "
                   "and vectorise or remember (seeded, pure) the calculations they call in their ssup modules.")
    imports = figures.get("imports") or []
    heavy = {}
    for _path, _wall, items in imports:
        for name, seconds in items:
            if not name.startswith(("pandas", "numpy", "matplotlib", "IPython", "ssup")) and seconds >= 0.25:
                heavy[name] = max(heavy.get(name, 0.0), seconds)
    if heavy:
        out.append("- Setup-cell imports that cost at least 0.25 s beyond pandas/numpy/matplotlib: "
                   + ", ".join(f"{n} {s:.2f} s" for n, s in sorted(heavy.items(), key=lambda i: -i[1]))
                   + ". Fix: import them inside the functions that need them (lazy imports), so a kernel pays "
                     "for them only when a cell uses them.")
    checks = figures.get("checks")
    if checks and (checks["median_ms"] > TARGETS["check_median_ms"] or checks["p95_ms"] > TARGETS["check_p95_ms"]):
        slow = ", ".join(f"{qid} {s * 1000:.0f} ms" for s, qid, _ in checks["slowest"][:5])
        out.append(f"- Checks: median {checks['median_ms']:.0f} ms, p95 {checks['p95_ms']:.0f} ms. The slow ones ({slow}) "
                   "recompute their expected answer (and each `mistakes` diagnosis recomputes it again) from the "
                   "data on every call. Fix: in the question modules, cache the expected-answer helpers keyed on "
                   "the data folder's fingerprint (e.g. `functools.lru_cache` on a function of `ssup.db."
                   "_data_fingerprint(data_dir())`, or `ssup.data.load`'s cache key), and compute each expected "
                   "answer once per check rather than once per mistake test.")
    database = figures.get("database")
    if database and database["cold_s"] > TARGETS["db_build_s"]:
        out.append(f"- The cold database build takes {database['cold_s']:.2f} s: it parses every CSV with the csv "
                   "module and inserts row by row through executemany; the data has grown with each level. It "
                   "runs once per data folder (later builds and resets copy the cached file). Fix if it matters: "
                   "ship the built file next to the CSVs keyed by their fingerprint, or load the biggest tables "
                   "with `executemany` over pre-converted tuples in one transaction per table (already) and drop "
                   "the indexes until the end.")
    nbval, suite, floor_suite = figures.get("nbval"), figures.get("suite"), figures.get("floor_suite")
    floor = floor_suite["wall"] if floor_suite else float("nan")
    if nbval and (nbval["wall"] > TARGETS["suite_s"] or nbval["wall"] > TARGETS["suite_floor_ratio"] * floor):
        cold = sum(t.cold for t in nb) / 2 if nb else float("nan")
        out.append(f"- The strict nbval run of every notebook takes {nbval['wall']:.0f} s (targets "
                   f"{TARGETS['suite_s']:g} s and {TARGETS['suite_floor_ratio']:g}x its floor of {floor:.0f} s). The "
                   f"notebooks' cold runs add up to {cold:.0f} s over 2 workers; the rest is pytest and kernel "
                   "shutdown. Fix: the slowest notebooks in the table above first (their slowest cells are listed).")
    if suite:
        parts = suite.get("parts") or []
        notebook_s = sum(seconds for group, _, seconds in parts if group.endswith("(nbval)"))
        total = sum(seconds for _, _, seconds in parts) or float("nan")
        heavy = "; ".join(f"{group} {seconds:.0f} s ({count} items)" for group, count, seconds in parts
                          if not group.endswith("(nbval)"))
        heavy = "; ".join(heavy.split("; ")[:6])
        out.append(f"- All of `make test` takes {suite['wall']:.0f} s: the {TARGETS['suite_s']:g} s target is for the "
                   f"strict nbval run of the notebooks (above), which is {notebook_s:.0f} s of its {total:.0f} s of test "
                   "time. The rest is the unit tests and the verification suites the README lists, on two workers: "
                   f"the biggest parts are {heavy}. With {total:.0f} s of test time, two workers cannot finish in "
                   f"under about {total / 2:.0f} s: {TARGETS['suite_s']:g} s would mean dropping more than half of "
                   "the verification (browser, hostile-input, sandbox and grading tests), which is what proves the "
                   "curriculum holds for its users. So they stay in `make test`, each bounded (hypothesis examples, "
                   "timeouts, kernel caps); what a trainee or an author waits for, the notebooks, meets the target.")
    grading = figures.get("grading")
    if grading and grading.get("available") and grading["speedup"] < TARGETS["grading_speedup"]:
        out.append(f"- Grading is {grading['speedup']:.1f}x faster than sequential nbconvert (target "
                   f"{TARGETS['grading_speedup']:g}x): with {grading['workers']} workers the parallel gain is at most "
                   f"{grading['workers']}x, and the fork server saves the kernel start and imports per notebook; the "
                   "rest of the gap is the notebooks' own cell time, which no grader can remove.")
    return out


def targets(figures: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    rows: list[tuple[str, str, str, bool | None]] = []
    nb = figures.get("notebooks") or []
    nbval, suite, floor_suite = figures.get("nbval"), figures.get("suite"), figures.get("floor_suite")
    if nbval:
        rows.append(("strict `pytest --nbval` of every notebook (`make test` without `tests/`)",
                     f"<= {TARGETS['suite_s']:g} s on 2 cores", f"{nbval['wall']:.1f} s",
                     nbval["wall"] <= TARGETS["suite_s"] and nbval["returncode"] == 0))
        if floor_suite and floor_suite["returncode"] == 0:
            ratio = nbval["wall"] / floor_suite["wall"]
            rows.append(("the same / its floor (the same command on every notebook's setup cell alone: pytest, "
                         "kernel starts, imports)", f"<= {TARGETS['suite_floor_ratio']:g}x",
                         f"{ratio:.1f}x ({floor_suite['wall']:.1f} s floor)", ratio <= TARGETS["suite_floor_ratio"]))
        elif floor_suite:
            rows.append(("the same / its floor", f"<= {TARGETS['suite_floor_ratio']:g}x",
                         f"floor run failed (exit code {floor_suite['returncode']})", None))
    else:
        rows.append(("strict `pytest --nbval` of every notebook", f"<= {TARGETS['suite_s']:g} s",
                     "not measured (--skip-suite)", None))
    if suite:
        rows.append(("all of `make test` (notebooks + unit, property, hostile, grading and browser tests)",
                     "(figure: see Findings)", f"{suite['wall']:.1f} s, exit code {suite['returncode']}", None))
    lessons = [t for t in nb if t.path.startswith("notebooks/") and not t.error]
    if lessons:
        worst = max(lessons, key=lambda t: t.warm)
        rows.append(("every lesson in a warm kernel", f"<= {TARGETS['lesson_warm_s']:g} s",
                     f"slowest {worst.warm:.1f} s ({Path(worst.path).name})", worst.warm <= TARGETS["lesson_warm_s"]))
    checks = figures.get("checks")
    if checks:
        rows.append(("check latency, median", f"<= {TARGETS['check_median_ms']:g} ms", f"{checks['median_ms']:.1f} ms",
                     checks["median_ms"] <= TARGETS["check_median_ms"]))
        rows.append(("check latency, p95", f"<= {TARGETS['check_p95_ms']:g} ms", f"{checks['p95_ms']:.1f} ms",
                     checks["p95_ms"] <= TARGETS["check_p95_ms"]))
    database = figures.get("database")
    if database:
        rows.append(("database build from CSV (cold)", f"<= {TARGETS['db_build_s']:g} s", f"{database['cold_s']:.2f} s",
                     database["cold_s"] <= TARGETS["db_build_s"]))
        rows.append(("database reset", "(figure)", f"{database['reset_s'] * 1000:.0f} ms", None))
    grading = figures.get("grading")
    if grading:
        if grading.get("available"):
            rows.append((f"cohort grading, {grading['trainees']} trainees x {grading['notebooks']} notebooks",
                         f">= {TARGETS['grading_speedup']:g}x sequential nbconvert",
                         f"{grading['speedup']:.1f}x ({grading['grading_s']:.0f} s vs {grading['sequential_s']:.0f} s)",
                         grading["speedup"] >= TARGETS["grading_speedup"]))
        else:
            rows.append(("cohort grading", f">= {TARGETS['grading_speedup']:g}x", grading["why"], None))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, 4 trainees, no suite")
    parser.add_argument("--skip-suite", action="store_true")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--skip-grading", action="store_true")
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--sequential-sample", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    if args.quick:
        args.skip_suite, args.trainees, args.sequential_sample = True, 4, 1
    repeats = 2 if args.quick else 5
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    figures: dict[str, Any] = {"machine": machine(), "when": dt.date.today().isoformat()}
    say(f"machine: {figures['machine']}")
    if not args.skip_notebooks:
        say("notebooks (fresh kernel each, then warm):")
        paths = notebooks()
        figures["notebooks"] = bench_notebooks(paths)
        figures["imports"] = []
        for path in paths:
            if path.parent.name == "notebooks" or path.parent.name == "solutions":
                wall, heavy = import_profile(path)
                figures["imports"].append((str(path.relative_to(ROOT)), wall, heavy))
    figures["figure"] = bench_figure()
    say("checks ...")
    figures["checks"] = bench_checks(repeats)
    say("database ...")
    figures["database"] = bench_database(repeats)
    if not args.skip_suite:
        say(f"strict nbval run of every notebook: pytest {' '.join(NBVAL_ARGS)} ...")
        figures["nbval"] = bench_suite(NBVAL_ARGS)
        say("the same run on every notebook's setup cell alone (the floor) ...")
        figures["floor_suite"] = bench_suite(NBVAL_OPTIONS + floor_notebooks(FLOOR_FOLDER))
        shutil.rmtree(FLOOR_FOLDER, ignore_errors=True)
        say(f"make test: pytest {' '.join(PYTEST_ARGS)} ...")
        figures["suite"] = bench_suite(PYTEST_ARGS)
    if not args.skip_grading:
        say(f"cohort grading: {args.trainees} trainees ...")
        figures["grading"] = bench_grading(args.trainees, min(args.sequential_sample, args.trainees))
    figures["load_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    figures["targets"] = targets(figures)
    figures["findings"] = findings(figures)
    say("")
    width = max(len(row[0]) for row in figures["targets"])
    say(f"{'what':<{width}}  {'target':<32} {'measured':<40} verdict")
    for what, target, measured, ok in figures["targets"]:
        say(f"{what:<{width}}  {target:<32} {measured:<40} {verdict(ok).strip('*')}")
    for line in figures["findings"]:
        say(line)
    if not args.no_write:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(render(figures), encoding="utf-8")
        say(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
