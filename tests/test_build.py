"""One source: the build writes exercises from solutions, and committed exercises are in sync."""

import nbformat
import pytest

from ssup import build


def test_top_level_block_becomes_placeholder_assignments():
    source = "x = 1\n### BEGIN SOLUTION\nprice = 5\nname, unit = 'a', 'b'\n### END SOLUTION\nq.check()"
    assert build.strip_solutions(source) == "x = 1\n# YOUR CODE HERE\nprice = ...\nname = ...\nunit = ...\nq.check()"


def test_function_body_becomes_not_implemented():
    source = "def f(a):\n    ### BEGIN SOLUTION\n    return a * 2\n    ### END SOLUTION\n"
    stripped = build.strip_solutions(source)
    assert stripped == "def f(a):\n    # YOUR CODE HERE\n    raise NotImplementedError\n"
    namespace = {}
    exec(stripped, namespace)  # the starter runs without error
    with pytest.raises(NotImplementedError):
        namespace["f"](1)


def test_explicit_starter_and_action_blocks():
    assert build.strip_solutions("### BEGIN SOLUTION\n# STARTER: form = make()\nform = make(); form.save()\n"
                                 "### END SOLUTION") == "# YOUR CODE HERE\nform = make()"
    assert build.strip_solutions("### BEGIN SOLUTION\ndb.insert('t', a=1)\n### END SOLUTION") == "# YOUR CODE HERE"


@pytest.mark.parametrize("source,phrase", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
    ("### BEGIN SOLUTION\nx = = 1\n### END SOLUTION", "not valid Python"),
])
def test_malformed_markers_are_explained(source, phrase):
    with pytest.raises(ValueError, match=phrase):
        build.strip_solutions(source)


def test_exercise_has_no_outputs_and_keeps_tags():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("stream", text="42\n")]
    cell.metadata["tags"] = ["ssup-1.3"]
    notebook.cells.append(cell)
    exercise = build.make_exercise(notebook)
    assert exercise.cells[0].outputs == [] and exercise.cells[0].execution_count is None
    assert exercise.cells[0].metadata["tags"] == ["ssup-1.3"]
    assert notebook.cells[0].execution_count == 3  # the solution is untouched


def test_committed_exercises_are_in_sync_with_solutions():
    assert build.solution_paths(), "there are solution notebooks"
    assert build.out_of_sync() == []
