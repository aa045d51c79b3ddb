"""The cohort roster: a CSV file with the columns ``trainee_id,name,email``.

Every problem is reported at once, one plain sentence per line, so a trainer can fix the file in
one go:

>>> import io
>>> text = "trainee_id,name,email\\nt01,Ann,ann@example.com\\n../x,Bob,bob@example\\nt01,Cy,cy@example.com\\n"
>>> try:
...     parse_roster(io.StringIO(text), "roster.csv")
... except RosterError as error:
...     print(error)
roster.csv has 3 problems:
  line 3: the trainee id '../x' is not safe (it becomes a folder name): use letters, digits, '.', '_' or '-', starting with a letter or digit.
  line 3: the email 'bob@example' does not look like an email address (name@example.com).
  line 4: the trainee id 't01' is already used on line 2; every trainee needs their own id.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

COLUMNS = ("trainee_id", "name", "email")
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
HUB_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
EMAIL = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Trainee:
    """One row of the roster."""

    trainee_id: str
    name: str
    email: str


class RosterError(ValueError):
    """The roster has problems; ``problems`` lists them, one sentence each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{source} has {count}:\n" + "\n".join(f"  {p}" for p in problems))


def is_safe_id(trainee_id: str) -> bool:
    """True when ``trainee_id`` can be used as a folder name on every system."""
    return bool(SAFE_ID.fullmatch(trainee_id)) and trainee_id not in {".", ".."}


def read_roster(path: Path | str, hub: bool = False) -> list[Trainee]:
    """Read and validate a roster file (UTF-8, a byte-order mark is fine)."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(str(path), [f"there is no file {path}; give the roster CSV (columns {', '.join(COLUMNS)})."])
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return parse_roster(handle, path.name, hub=hub)


def parse_roster(handle: IO[str], source: str = "roster", hub: bool = False) -> list[Trainee]:
    """Validate roster rows; raise :class:`RosterError` listing every problem."""
    reader = csv.DictReader(handle)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        found = ", ".join(header) if header else "nothing"
        raise RosterError(source, [f"the first line must name the columns {', '.join(COLUMNS)}; "
                                   f"it is missing {', '.join(missing)} (found: {found})."])
    reader.fieldnames = header
    problems: list[str] = []
    trainees: list[Trainee] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        trainee_id, name, email = values["trainee_id"], values["name"], values["email"]
        if not trainee_id:
            problems.append(f"line {line}: the trainee id is empty.")
        elif not is_safe_id(trainee_id):
            problems.append(f"line {line}: the trainee id {trainee_id!r} is not safe (it becomes a folder name): "
                            "use letters, digits, '.', '_' or '-', starting with a letter or digit.")
        elif hub and not HUB_ID.fullmatch(trainee_id):
            problems.append(f"line {line}: the trainee id {trainee_id!r} must be the trainee's JupyterHub user "
                            "name, which is lower case.")
        if trainee_id:
            key = trainee_id.casefold()
            if key in seen:
                problems.append(f"line {line}: the trainee id {trainee_id!r} is already used on line {seen[key]}; "
                                "every trainee needs their own id.")
            else:
                seen[key] = line
        if not name:
            problems.append(f"line {line}: the name is empty.")
        if not EMAIL.fullmatch(email):
            shown = repr(email) if email else "(empty)"
            problems.append(f"line {line}: the email {shown} does not look like an email address (name@example.com).")
        trainees.append(Trainee(trainee_id, name, email))
    if not trainees and not problems:
        problems.append("the roster has no trainees: add one line per trainee under the header.")
    if problems:
        raise RosterError(source, problems)
    return trainees


def write_roster(path: Path | str, trainees: Iterable[Trainee]) -> None:
    """Write a roster file in the standard form."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for trainee in trainees:
        writer.writerow((trainee.trainee_id, trainee.name, trainee.email))
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")
