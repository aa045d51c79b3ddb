"""Every notebook follows the course conventions that curriculum.yml and docs/authoring.md set out.

The curriculum file is the one list of notebooks: these tests read it, so a notebook added,
renamed or reordered there is checked here with no other change.
"""

import importlib
import re
import statistics
from pathlib import Path

import nbformat
import pytest

from ssup.config import REPO_ROOT, behaviours, curriculum

UNITS = curriculum()["units"]
STATEMENTS = behaviours()
IDS = [unit["notebook"] for unit in UNITS]


def read(folder, name):
    return nbformat.read(REPO_ROOT / folder / name, as_version=4)


def tags(cell):
    return set(cell.metadata.get("tags", []))


def next_notebook(index):
    return UNITS[index + 1]["notebook"] if index + 1 < len(UNITS) else UNITS[0]["notebook"]


def test_the_folders_hold_exactly_the_curriculum():
    lessons = {unit["notebook"] for unit in UNITS}
    exercises = {unit["notebook"] for unit in UNITS if unit.get("questions")}
    assert {p.name for p in (REPO_ROOT / "notebooks").glob("*.ipynb")} == lessons
    assert {p.name for p in (REPO_ROOT / "solutions").glob("*.ipynb")} == exercises
    assert {p.name for p in (REPO_ROOT / "exercises").glob("*.ipynb")} == exercises
    assert [unit["notebook"] for unit in UNITS] == sorted(lessons), "names sort in curriculum order"


def test_every_behaviour_is_taught_once_and_in_level_order():
    taught = [b for unit in UNITS for b in unit["behaviours"]]
    assert sorted(taught) == sorted(STATEMENTS) and len(taught) == len(set(taught))
    for unit in UNITS:
        assert all(b.split(".")[0] == str(unit["level"]) for b in unit["behaviours"])


@pytest.mark.parametrize("index", range(len(UNITS)), ids=IDS)
def test_lesson_opening_setup_sections_and_closing(index):
    unit = UNITS[index]
    notebook = read("notebooks", unit["notebook"])
    opening = notebook.cells[0]
    assert opening.cell_type == "markdown" and opening.source.startswith("# ")
    text = opening.source
    for behaviour in unit["behaviours"]:
        assert STATEMENTS[behaviour] in " ".join(text.split()), f"opening quotes SFIA {behaviour} exactly"
    assert re.search(r"by the end|objectives", text, re.I)
    minutes = unit["minutes"]
    assert f"{minutes['teaching']} min teaching" in text
    first_code = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    assert "setup()" in notebook.cells[first_code].source
    assert "setup" in notebook.cells[first_code - 1].source.lower(), "the setup cell is labelled"
    for behaviour in unit["behaviours"]:
        headings = [c for c in notebook.cells if f"ssup-{behaviour}" in tags(c)]
        assert headings and headings[0].source.lstrip().startswith("## "), f"a section heading tagged ssup-{behaviour}"
    closing = notebook.cells[-1].source
    assert "Key points" in closing and "Reflection" in closing
    assert f"({next_notebook(index)})" in closing, "the closing links the next notebook in curriculum.yml"


@pytest.mark.parametrize("index", [i for i, u in enumerate(UNITS) if u.get("questions")],
                         ids=[u["notebook"] for u in UNITS if u.get("questions")])
def test_exercise_prompts_checks_hints_and_progress(index):
    unit = UNITS[index]
    solution = read("solutions", unit["notebook"])
    module = importlib.import_module(unit["questions"])
    sources = "\n".join(c.source for c in solution.cells if c.cell_type == "code")
    for number, question in enumerate(module.QUESTIONS, start=1):
        attribute = next(name for name, value in vars(module).items() if value is question)
        assert f"ex.{attribute}.check()" in sources, f"{question.id} is checked in the notebook"
        assert f"# ex.{attribute}.hint()" in sources, f"{question.id} offers a commented-out hint"
        assert len(question.hints) >= 2
    for behaviour in unit["behaviours"]:
        assert any(f"ssup-{behaviour}" in tags(c) for c in solution.cells), f"a prompt tagged ssup-{behaviour}"
        assert any(behaviour in q.behaviours for q in module.QUESTIONS), f"a question assesses {behaviour}"
    assert "progress(ex)" in solution.cells[-2].source or "progress(ex)" in sources
    assert sources.count("### BEGIN SOLUTION") == sources.count("### END SOLUTION") >= len(module.QUESTIONS) - 1


@pytest.mark.parametrize("folder", ["notebooks", "solutions"])
def test_lessons_and_solutions_are_committed_executed_without_errors(folder):
    for path in sorted((REPO_ROOT / folder).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code" and cell.source.strip():
                assert cell.execution_count is not None, f"{path.name}: every cell is executed"
                assert not [o for o in cell.outputs if o.output_type == "error"], f"{path.name}: no errors"
                for output in cell.outputs:
                    text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                    assert not re.search(r"0x[0-9a-f]{6,}", text), f"{path.name}: no memory addresses in outputs"
                    assert str(REPO_ROOT) not in text and "/tmp/" not in text, f"{path.name}: no paths in outputs"
                    assert output.get("name") != "stderr", f"{path.name}: nothing on stderr"


def test_exercises_are_committed_clean():
    for path in sorted((REPO_ROOT / "exercises").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} is committed clean"


def test_no_cruft_in_published_notebooks():
    for path in sorted(REPO_ROOT.glob("*/*.ipynb")):
        assert not path.name.lower().startswith("untitled"), path
        for cell in nbformat.read(path, as_version=4).cells:
            assert not re.search(r"\b(TODO|FIXME)\b", cell.source), f"{path.name} has a TODO"


@pytest.mark.parametrize("index", range(len(UNITS)), ids=IDS)
def test_lessons_read_like_lessons(index):
    notebook = read("notebooks", UNITS[index]["notebook"])
    prose = sum(len(c.source) for c in notebook.cells if c.cell_type == "markdown")
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert prose >= 1.5 * sum(len(s) for s in code), "mostly prose"
    assert statistics.median(len(s.splitlines()) for s in code) <= 6, "short code cells"


def test_relative_links_in_notebooks_resolve():
    for path in sorted(REPO_ROOT.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"\]\(([^)#\s]+)\)", cell.source):
                if "://" in target:
                    continue
                assert (path.parent / target).resolve().exists(), f"{path.name} links to missing {target}"
