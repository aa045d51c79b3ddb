"""The exercise machinery: questions that check a trainee's answer and explain what is wrong.

Each question is a small declarative :class:`Question`: what it asks, which SSUP behaviours it
assesses, which notebook variable (or the database) holds the answer, how to grade it, graded
hints and a model solution. In a notebook a trainee writes the answer and runs::

    ex.q1.check()      # correct / incorrect with a specific reason / not attempted yet
    ex.q1.hint()       # first hint; ex.q1.hint(2) for the second
    ex.q1.solution()   # the model answer (declined politely when SSUP_HIDE_SOLUTIONS=1)

A check never raises for a trainee mistake. When ``SSUP_RESULTS`` names a file, every check
appends one JSON line to it; every check also appends to the trainee's attempts log in
``SSUP_HOME`` (read by the trainer's live dashboard).

>>> from ssup import checks
>>> q = Question(id="demo.q1", prompt="How many sensors are in a pack of four?",
...              behaviours=("1.1",), answer="pack_size",
...              grader=checks.number(lambda: 4), hints=("Count them.", "It is four."),
...              solution_code="pack_size = 4")
>>> q.evaluate(4).status
'correct'
>>> q.evaluate(...).status
'unattempted'
>>> print(q.evaluate("four").detail)
You gave the text 'four'; the answer should be a number, for example 12 or 3.5.
"""

from __future__ import annotations

import getpass
import html
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

Status = Literal["correct", "incorrect", "unattempted"]

#: The answer name of a question whose answer is the state of the trainee's database.
DATABASE = "<database>"

#: Marker for "take the answer from the notebook".
_FROM_NOTEBOOK: Any = object()

_COLOURS = {"correct": "#1b7f3b", "incorrect": "#b3261e", "unattempted": "#8a6d00"}
_LABELS = {"correct": "Correct", "incorrect": "Not yet", "unattempted": "Not attempted yet"}


@dataclass(frozen=True)
class Verdict:
    """What a grader concludes: a status and the sentence the trainee reads."""

    status: Status
    detail: str


def correct(detail: str = "Well done.") -> Verdict:
    """A correct verdict, with an optional word of confirmation."""
    return Verdict("correct", detail)


def incorrect(detail: str) -> Verdict:
    """An incorrect verdict: ``detail`` says what the trainee gave and what is wrong with it."""
    return Verdict("incorrect", detail)


def unattempted(detail: str = "Replace the `...` placeholder with your answer, run that cell, then check again.") -> Verdict:
    """The trainee has not answered yet."""
    return Verdict("unattempted", detail)


class NotAttempted(Exception):
    """Raised inside a grader to say the answer is still the starter placeholder."""


@dataclass(frozen=True)
class Result:
    """The outcome of one check, as shown to the trainee and logged for the trainer."""

    question: str
    behaviours: tuple[str, ...]
    status: Status
    detail: str
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        """The record written to ``SSUP_RESULTS``."""
        return {
            "question": self.question,
            "behaviours": list(self.behaviours),
            "status": self.status,
            "detail": self.detail,
        }

    def __str__(self) -> str:
        return f"{_LABELS[self.status]} ({self.question}): {self.detail}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (
            f'<div style="border-left:6px solid {colour};padding:4px 10px;margin:4px 0">'
            f'<b style="color:{colour}">{_LABELS[self.status]}</b> '
            f'<span style="color:#555">({html.escape(self.question)})</span><br>'
            f"{html.escape(self.detail)}</div>"
        )


@dataclass(frozen=True)
class _Message:
    """A plain message with an HTML face (hints and solutions)."""

    heading: str
    body: str
    code: bool = False

    def __str__(self) -> str:
        return f"{self.heading}\n{self.body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = html.escape(self.body)
        inner = f"<pre style='margin:4px 0'>{body}</pre>" if self.code else f"<div>{body}</div>"
        return (
            '<div style="border-left:6px solid #3b5bdb;padding:4px 10px;margin:4px 0">'
            f'<b style="color:#3b5bdb">{html.escape(self.heading)}</b>{inner}</div>'
        )


@dataclass(frozen=True)
class Question:
    """One exercise question.

    Parameters
    ----------
    id: unique across the curriculum, e.g. ``"L1.q3"``.
    prompt: one sentence saying what to produce.
    behaviours: the SSUP behaviour ids it assesses, e.g. ``("1.3",)``.
    answer: the notebook variable (or function) name the answer is read from, or :data:`DATABASE`.
    grader: called with the answer (``None`` for :data:`DATABASE`); returns a :class:`Verdict`.
    hints: at least two, from a gentle nudge to nearly the answer.
    solution_code: the model answer, shown by :meth:`solution`.
    """

    id: str
    prompt: str
    behaviours: tuple[str, ...]
    answer: str
    grader: Callable[[Any], Verdict]
    hints: tuple[str, ...]
    solution_code: str
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if len(self.hints) < 2:
            raise ValueError(f"Question {self.id} needs at least two hints.")
        if not self.behaviours:
            raise ValueError(f"Question {self.id} must name the SSUP behaviour(s) it assesses.")

    # -- grading -------------------------------------------------------------------------
    def evaluate(self, value: Any = _FROM_NOTEBOOK, namespace: dict[str, Any] | None = None) -> Result:
        """Grade an answer without showing or logging anything.

        With no ``value``, the answer is read from ``namespace`` (default: the notebook's).
        """
        if self.answer == DATABASE:
            value = None
        elif value is _FROM_NOTEBOOK:
            scope = namespace if namespace is not None else _notebook_namespace()
            if self.answer not in scope:
                return self._result(unattempted(
                    f"There is no `{self.answer}` yet: write your answer in the cell above and run it."))
            value = scope[self.answer]
        if value is Ellipsis:
            return self._result(unattempted())
        try:
            verdict = self.grader(value)
        except (NotAttempted, NotImplementedError):
            verdict = unattempted("Your code still has the starter placeholder: replace it with your answer.")
        except SystemExit:
            verdict = incorrect("Your answer called sys.exit() (or exit()) while it was being checked: return a "
                                "value instead.")
        except Exception as error:  # a trainee's answer must never produce a traceback
            verdict = incorrect(f"Checking your answer ran into {_describe_error(error)}. "
                                "Look at the type and shape of what you gave.")
        return self._result(verdict)

    def _result(self, verdict: Verdict) -> Result:
        return Result(self.id, self.behaviours, verdict.status, verdict.detail, self.title)

    def check(self, value: Any = _FROM_NOTEBOOK) -> None:
        """Grade the trainee's answer, record it, and show the feedback."""
        result = self.evaluate(value)
        record(result)
        show(result)

    def hint(self, number: int = 1) -> None:
        """Show hint ``number`` (1 is a gentle nudge; the last nearly gives the answer)."""
        show(self.hint_message(number))

    def hint_message(self, number: int = 1) -> _Message:
        """The text of hint ``number``, or a note on how many hints there are."""
        count = len(self.hints)
        if not isinstance(number, int) or not 1 <= number <= count:
            return _Message(f"Hints for {self.id}", f"There are {count} hints: ask for hint(1) to hint({count}).")
        return _Message(f"Hint {number} of {count} ({self.id})", self.hints[number - 1])

    def solution(self) -> None:
        """Show the model answer, unless solutions are hidden for an assessed cohort."""
        show(self.solution_message())

    def solution_message(self) -> _Message:
        """The model answer, or a polite refusal when ``SSUP_HIDE_SOLUTIONS`` is set."""
        if os.environ.get("SSUP_HIDE_SOLUTIONS", "") not in ("", "0"):
            return _Message(f"Solution ({self.id})",
                            "Solutions are hidden for this assessed cohort. Try the hints, or ask your trainer.")
        return _Message(f"Solution ({self.id})", self.solution_code.strip(), code=True)


def show(message: Any) -> None:
    """Display a result or message: rich HTML in Jupyter, plain text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        print(message)
        return
    if get_ipython() is not None:
        display(message)
    else:
        print(message)


def _describe_error(error: BaseException) -> str:
    try:
        message = str(error).strip()
    except Exception:  # an exception whose message itself fails
        message = ""
    message = message.splitlines()[0] if message else ""
    message = message[:200]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _notebook_namespace() -> dict[str, Any]:
    """The namespace the trainee's code runs in: IPython's user namespace, else the caller's globals."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython always present with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns
    frame = sys._getframe(1)
    package = __name__.split(".")[0]
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == package:
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


# -- recording ---------------------------------------------------------------------------
def attempts_log_path() -> Path:
    """The trainee's own attempts log (``SSUP_HOME/attempts.jsonl``)."""
    from ssup.config import home_dir

    return home_dir() / "attempts.jsonl"


def record(result: Result) -> None:
    """Append the result to ``SSUP_RESULTS`` (if set) and to the trainee's attempts log.

    Logging problems (a read-only folder, say) never interrupt the trainee.
    """
    line = result.to_json()
    results_file = os.environ.get("SSUP_RESULTS")
    if results_file:
        _append_json(Path(results_file), line)
    attempt = dict(line, time=time.time(), trainee=os.environ.get("SSUP_TRAINEE") or _user())
    try:
        _append_json(attempts_log_path(), attempt)
    except OSError:
        pass


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database in some containers
        return "trainee"


def _append_json(path: Path, record_: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record_, default=str) + "\n")


# -- whole-notebook grading ---------------------------------------------------------------
def questions_in(module: Any) -> list[Question]:
    """The questions a level module defines, in the order they are declared (``QUESTIONS``)."""
    return list(getattr(module, "QUESTIONS"))


def grade_namespace(questions: Iterable[Question], namespace: dict[str, Any]) -> list[Result]:
    """Re-run every question's check against the answers in ``namespace``.

    Graders use this after a trainee's notebook has run, so a deleted or edited check call
    changes nothing.
    """
    return [question.evaluate(namespace=namespace) for question in questions]


@dataclass(frozen=True)
class Progress:
    """Where a trainee stands on every question of a notebook (shown by :func:`progress`)."""

    results: tuple[Result, ...]

    def counts(self) -> dict[str, int]:
        return {status: sum(r.status == status for r in self.results) for status in _LABELS}

    def __str__(self) -> str:
        counts = self.counts()
        lines = [f"{counts['correct']} of {len(self.results)} questions correct, "
                 f"{counts['incorrect']} not yet right, {counts['unattempted']} not attempted."]
        lines += [f"  {r.question:<8} {_LABELS[r.status]:<18} {r.title}" for r in self.results]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(r.question)}</td><td>{html.escape(r.title)}</td>"
            f"<td>{', '.join(r.behaviours)}</td>"
            f'<td style="color:{_COLOURS[r.status]}"><b>{_LABELS[r.status]}</b></td></tr>' for r in self.results)
        head = html.escape(str(self).splitlines()[0])
        return (f"<p><b>{head}</b></p><table><thead><tr><th>Question</th><th>Topic</th><th>SSUP</th>"
                f"<th>Status</th></tr></thead><tbody>{rows}</tbody></table>")


def progress(module: Any, namespace: dict[str, Any] | None = None) -> Progress:
    """Re-check every question of a level module against the notebook's answers and summarise.

    Nothing is logged: this is the trainee's own overview, not an attempt.
    """
    scope = namespace if namespace is not None else _notebook_namespace()
    return Progress(tuple(grade_namespace(questions_in(module), scope)))
