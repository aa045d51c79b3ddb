"""One source: exercise notebooks are written from solution notebooks.

Solution notebooks mark the trainee's part of a code cell with nbgrader's markers::

    ### BEGIN SOLUTION
    gateway_price = products.loc[products.product_id == "GW-LRW-IN", "list_price_gbp"].item()
    ### END SOLUTION

The build replaces each marked block with a starter that runs without error, so an untouched
exercise notebook executes cleanly and its checks say "not attempted":

- at the top level, every name the block assigns becomes ``name = ...`` (Ellipsis is the
  placeholder the checks recognise);
- inside a function body, the block becomes ``raise NotImplementedError``;
- a block may give its own starter on a line ``# STARTER: <code>`` (kept only in the exercise).

Exercise notebooks are written without outputs and with execution counts cleared. Each cell is
marked ``metadata.ssup.role``: ``"answer"`` (a cell the trainee writes in), ``"help"`` (the
commented ``hint()`` / ``solution()`` calls, editable) or ``"given"`` (prompts, setup: locked in
JupyterLab, restored by the trainer's grader if changed).

Commands::

    python -m ssup.build exercises    # write exercises/ from solutions/
    python -m ssup.build check        # fail if a committed exercise differs from the build
    python -m ssup.build execute NB.. # execute lesson/solution notebooks in place

>>> print(starter_for(["answer = 6 * 7"]))
# YOUR CODE HERE
answer = ...
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
import textwrap
from pathlib import Path
from typing import Iterable

import nbformat

from ssup.config import REPO_ROOT

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STARTER = "# STARTER:"
SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"


def starter_for(block: list[str]) -> str:
    """The starter code that replaces one solution block (lines without the markers)."""
    indent = min((len(line) - len(line.lstrip()) for line in block if line.strip()), default=0)
    pad = " " * indent
    explicit = [line.strip()[len(STARTER):].strip() for line in block if line.strip().startswith(STARTER)]
    if explicit:
        return "\n".join([f"{pad}# YOUR CODE HERE"] + [pad + code for code in explicit])
    if indent:
        return f"{pad}# YOUR CODE HERE\n{pad}raise NotImplementedError"
    names = _assigned_names(textwrap.dedent("\n".join(block)))
    lines = [f"{pad}# YOUR CODE HERE"] + [f"{pad}{name} = ..." for name in names]
    return "\n".join(lines)


def _assigned_names(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise ValueError(f"A solution block is not valid Python: {error}") from None
    names: list[str] = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def strip_solutions(source: str) -> str:
    """Replace every marked block in a cell's source with its starter."""
    lines = source.split("\n")
    out: list[str] = []
    block: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise ValueError(f"Line {number}: a solution block starts inside another one.")
            block = []
        elif marker == END:
            if block is None:
                raise ValueError(f"Line {number}: '{END}' without a '{BEGIN}' before it.")
            out.append(starter_for(block))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ValueError(f"A '{BEGIN}' block is never closed with '{END}'.")
    return "\n".join(out)


def make_exercise(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The exercise notebook for a solution notebook: starters in place, no outputs."""
    exercise = copy.deepcopy(solution)
    for cell in exercise.cells:
        is_answer = cell.cell_type == "code" and BEGIN in cell.source
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        # Answer cells are the trainee's to edit; every other cell is locked in JupyterLab and
        # restored by the trainer's grader if it was changed anyway.
        is_help = cell.cell_type == "code" and not is_answer and bool(re.search(r"\.(hint|solution)\(", cell.source))
        role = "answer" if is_answer else "help" if is_help else "given"
        cell.metadata["ssup"] = {"role": role}
        cell.metadata["editable"] = role != "given"
        cell.metadata["deletable"] = role == "answer"
    exercise.metadata.pop("widgets", None)
    return exercise


def render(notebook: nbformat.NotebookNode) -> str:
    """The exact text a notebook is committed as."""
    return nbformat.writes(notebook) + ("" if nbformat.writes(notebook).endswith("\n") else "\n")


def solution_paths() -> list[Path]:
    """Every solution notebook, in curriculum order (file names sort in order)."""
    return sorted(SOLUTIONS_DIR.glob("*.ipynb"))


def write_exercises(paths: Iterable[Path] | None = None) -> list[Path]:
    """Write ``exercises/<name>`` from each ``solutions/<name>``; return the files written."""
    written = []
    for path in paths or solution_paths():
        exercise = make_exercise(nbformat.read(path, as_version=4))
        target = EXERCISES_DIR / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(exercise), encoding="utf-8")
        written.append(target)
    return written


def out_of_sync() -> list[str]:
    """Exercise notebooks that differ from what the build would write (or are missing/extra)."""
    problems = []
    expected_names = set()
    for path in solution_paths():
        expected_names.add(path.name)
        target = EXERCISES_DIR / path.name
        wanted = render(make_exercise(nbformat.read(path, as_version=4)))
        if not target.exists():
            problems.append(f"exercises/{path.name} is missing")
        elif target.read_text(encoding="utf-8") != wanted:
            problems.append(f"exercises/{path.name} differs from the build of solutions/{path.name}")
    for target in sorted(EXERCISES_DIR.glob("*.ipynb")):
        if target.name not in expected_names:
            problems.append(f"exercises/{target.name} has no solution notebook")
    return problems


def execute(path: Path, timeout: int = 300) -> None:
    """Execute a notebook in place from the top, in its own folder, and save it."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    path.write_text(render(notebook), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ssup.build", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("exercises", help="write exercises/ from solutions/")
    sub.add_parser("check", help="fail if exercises/ is out of sync with solutions/")
    run = sub.add_parser("execute", help="execute notebooks in place")
    run.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "exercises":
        for path in write_exercises():
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        return 0
    if args.command == "check":
        problems = out_of_sync()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("Run `make exercises` to rebuild the exercise notebooks.", file=sys.stderr)
            return 1
        print(f"exercises/ is in sync with solutions/ ({len(solution_paths())} notebooks)")
        return 0
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        tqdm = lambda items, **_: items  # noqa: E731
    for path in tqdm(args.notebooks, desc="executing", unit="notebook"):
        execute(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
