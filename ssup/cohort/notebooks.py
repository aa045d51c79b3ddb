"""What the grader runs: the release's "given" cells plus the trainee's own cells.

The grader trusts nothing in a submitted notebook except the code the trainee wrote in their
own cells:

- stored outputs are ignored (the notebook is run afresh);
- every "given" cell (prompts, setup, check calls: ``metadata.ssup.role == "given"`` in the
  release) is taken from the release, matched by cell id; a changed or deleted given cell is
  recorded as tampering and the original runs instead;
- the trainee's cells (answers, help cells and any cell they added) run in the place they put
  them, between the given cells around them;
- the notebook's kernel name is ignored (the grader always runs Python 3); a different one is
  recorded.

>>> release = {"cells": [
...     {"id": "a", "cell_type": "code", "source": "setup()", "metadata": {"ssup": {"role": "given"}}},
...     {"id": "b", "cell_type": "code", "source": "x = ...", "metadata": {"ssup": {"role": "answer"}}}]}
>>> submission = {"cells": [
...     {"id": "a", "cell_type": "code", "source": "pass", "metadata": {}},
...     {"id": "b", "cell_type": "code", "source": "x = 4", "metadata": {}}]}
>>> prepared = prepare(release, submission)
>>> [cell.source for cell in prepared.cells]
['setup()', 'x = 4']
>>> prepared.problems[0].kind
'tampered'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Largest notebook file the grader reads (outputs are ignored, but the JSON must be parsed).
MAX_NOTEBOOK_BYTES = 64 * 2**20

#: Trainee code that reaches into the grading machinery is flagged for the trainer to look at.
SUSPICIOUS = re.compile(
    r"\bssup\s*\.\s*(?:exercise|checks|cohort)\b|\bfrom\s+ssup\s+import\s+(?:exercise|checks|cohort)\b"
    r"|\bgrade_namespace\b|\bSSUP_RESULTS\b|\bsys\s*\.\s*modules\b|\bbuiltins\b|\.\s*evaluate\s*="
    r"|\.\s*grader\b|\b_ssup_\w+|\bVerdict\b")


class InvalidNotebook(Exception):
    """The submission cannot be graded at all; the message says why in plain words."""


@dataclass(frozen=True)
class Problem:
    """A notebook-level problem: ``kind`` is a status word, ``detail`` a plain sentence."""

    kind: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class Cell:
    """A cell as the grader runs it."""

    cell_type: str
    source: str
    role: str  # given | answer | help | added
    cell_id: str = ""
    number: int = 0  # 1-based position in the prepared notebook


@dataclass
class Prepared:
    cells: list[Cell]
    problems: list[Problem] = field(default_factory=list)

    @property
    def code_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.cell_type == "code"]


def _source(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else ""


def cell_role(cell: dict[str, Any]) -> str:
    """A release cell's role: from ``metadata.ssup.role``, else guessed like the build does."""
    metadata = cell.get("metadata") or {}
    role = (metadata.get("ssup") or {}).get("role") if isinstance(metadata.get("ssup"), dict) else None
    if role in ("given", "answer", "help"):
        return role
    source = _source(cell.get("source"))
    if cell.get("cell_type") == "code" and "# YOUR CODE HERE" in source:
        return "answer"
    if cell.get("cell_type") == "code" and re.search(r"\.(hint|solution)\(", source):
        return "help"
    return "given"


def load_notebook(path: Path | str, max_bytes: int = MAX_NOTEBOOK_BYTES) -> dict[str, Any]:
    """Read a submitted notebook as plain JSON; raise :class:`InvalidNotebook` with the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidNotebook(f"the file could not be read ({error.strerror or error}).") from None
    if size > max_bytes:
        raise InvalidNotebook(f"the file is {size / 2**20:.0f} MB, more than the {max_bytes / 2**20:.0f} MB a "
                              "notebook may be.")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidNotebook("the file is not text (it may be a different file renamed to .ipynb).") from None
    except json.JSONDecodeError as error:
        if not raw.strip():
            raise InvalidNotebook("the file is empty (0 bytes of notebook): it was probably saved while the "
                                  "disk was full or copied before it was written.") from None
        raise InvalidNotebook(f"the file is not valid notebook JSON ({error.msg} at line {error.lineno}, "
                              f"column {error.colno}): it was probably cut short or edited as text.") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise InvalidNotebook("the file is JSON but not a Jupyter notebook (it has no list of cells).")
    if int(data.get("nbformat", 4) or 4) < 4:
        raise InvalidNotebook(f"the notebook is in the old format version {data.get('nbformat')}: open it in "
                              "JupyterLab and save it again.")
    return data


def _cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    cells = []
    for raw in notebook.get("cells") or []:
        if not isinstance(raw, dict) or raw.get("cell_type") not in ("code", "markdown", "raw"):
            continue
        cells.append({"id": str(raw.get("id") or ""), "cell_type": raw["cell_type"],
                      "source": _source(raw.get("source")), "metadata": raw.get("metadata") or {}})
    return cells


def kernel_problem(notebook: dict[str, Any]) -> Problem | None:
    """A note when the notebook says it is for another kernel (graded with Python 3 anyway)."""
    metadata = notebook.get("metadata") or {}
    spec = metadata.get("kernelspec") or {}
    name = spec.get("name") if isinstance(spec, dict) else None
    language = (spec.get("language") if isinstance(spec, dict) else None) or \
        ((metadata.get("language_info") or {}).get("name") if isinstance(metadata.get("language_info"), dict) else None)
    if name in (None, "", "python3", "python") and language in (None, "", "python"):
        return None
    shown = f"{name!r}" + (f" ({language})" if language and language != "python" else "")
    return Problem("wrong_kernel", f"the notebook names the kernel {shown}; it was graded with Python 3 as released.")


def _same(a: str, b: str) -> bool:
    return a.rstrip() == b.rstrip()


def prepare(release: dict[str, Any], submission: dict[str, Any]) -> Prepared:
    """The cells to run for ``submission``: given cells from ``release``, the trainee's cells kept.

    Raises :class:`InvalidNotebook` when the submission has no cells at all.
    """
    sub_cells = _cells(submission)
    if not sub_cells:
        raise InvalidNotebook("the notebook has no cells: it was saved empty or overwritten.")
    release_cells = _cells(release)
    given = [cell for cell in release_cells if cell_role(cell) == "given"]
    given_ids = {cell["id"] for cell in given if cell["id"]}

    # Match submission cells to given release cells: by id, then (for notebooks whose ids were
    # lost) by identical source.
    matched: dict[int, str] = {}  # submission index -> release given id
    used: set[str] = set()
    for index, cell in enumerate(sub_cells):
        if cell["id"] in given_ids and cell["id"] not in used:
            matched[index] = cell["id"]
            used.add(cell["id"])
    for release_cell in given:
        if release_cell["id"] in used:
            continue
        for index, cell in enumerate(sub_cells):
            if index not in matched and cell["cell_type"] == release_cell["cell_type"] \
                    and _same(cell["source"], release_cell["source"]) and cell["source"].strip():
                matched[index] = release_cell["id"]
                used.add(release_cell["id"])
                break

    changed: list[tuple[str, str]] = []
    by_id = {cell["id"]: cell for cell in given}
    for index, release_id in matched.items():
        original, theirs = by_id[release_id], sub_cells[index]
        if original["cell_type"] != theirs["cell_type"] or not _same(original["source"], theirs["source"]):
            changed.append((release_id, original["cell_type"]))
    deleted = [(cell["id"], cell["cell_type"]) for cell in given if cell["id"] not in used]

    # The trainee's cells, grouped under the given cell they follow in the submission.
    segments: dict[str | None, list[dict[str, Any]]] = {None: []}
    anchor: str | None = None
    for index, cell in enumerate(sub_cells):
        if index in matched:
            anchor = matched[index]
            segments.setdefault(anchor, [])
        else:
            segments.setdefault(anchor, []).append(cell)
    release_roles = {cell["id"]: cell_role(cell) for cell in release_cells if cell["id"]}

    cells: list[Cell] = []

    def add(cell: dict[str, Any], role: str) -> None:
        cells.append(Cell(cell["cell_type"], cell["source"], role, cell["id"], len(cells) + 1))

    for cell in segments[None]:
        add(cell, release_roles.get(cell["id"], "added"))
    for release_cell in given:
        add(release_cell, "given")
        for cell in segments.get(release_cell["id"], []):
            add(cell, release_roles.get(cell["id"], "added"))

    problems: list[Problem] = []
    kernel = kernel_problem(submission)
    if kernel:
        problems.append(kernel)
    if changed or deleted:
        parts = []
        if changed:
            parts.append(f"{len(changed)} given cell{'s' if len(changed) > 1 else ''} changed "
                         f"({_describe(changed)})")
        if deleted:
            parts.append(f"{len(deleted)} given cell{'s' if len(deleted) > 1 else ''} deleted "
                         f"({_describe(deleted)})")
        problems.append(Problem("tampered", " and ".join(parts) + "; the released cells were run instead."))
    flagged = []
    for cell in cells:
        if cell.role != "given" and cell.cell_type == "code":
            found = SUSPICIOUS.search(cell.source)
            if found:
                flagged.append(f"cell {cell.number} uses {found.group(0).strip()!r}")
    if flagged:
        problems.append(Problem("tampered", "the trainee's code reaches into the grading machinery ("
                                + "; ".join(flagged[:3]) + "): check these results by hand."))
    return Prepared(cells, problems)


def _describe(items: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{kind} cell id {cell_id}" for cell_id, kind in items[:4])
    return shown + (f" and {len(items) - 4} more" if len(items) > 4 else "")
