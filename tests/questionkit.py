"""Testing kit for exercise questions (learntools' assert_check_passed/failed/unattempted idea).

A level's test module lists, for every question, right answers, wrong answers (each with a
phrase its feedback must contain) and relies on the kit for the missing answer::

    CASES = {
        "L1.q1": Case(right=[1250.0], wrong=[(125.0, "too low"), ("1250", "should be a number")]),
    }
    test_cases = make_tests(level1, CASES)

Answers that are actions on the database are written as :class:`Action` (the database is reset
before each case); answers computed from the data when the test runs are written as :class:`Lazy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from ssup import db
from ssup.exercise import DATABASE, Question


@dataclass(frozen=True)
class Action:
    """An answer that is something done to the database (an insert through a helper or the form)."""

    run: Callable[[], Any]
    label: str = "action"


@dataclass(frozen=True)
class Lazy:
    """An answer computed when the test runs (from the data, in the test's own trainee folder)."""

    make: Callable[[], Any]


@dataclass
class Case:
    right: list[Any]
    wrong: list[tuple[Any, str]]
    missing: Any = ...
    notes: str = field(default="")


def unimplemented(*_args: Any, **_kwargs: Any) -> Any:
    """The starter body of a function question."""
    raise NotImplementedError


def _evaluate(question: Question, value: Any):
    if isinstance(value, Lazy):
        value = value.make()
    if question.answer == DATABASE or isinstance(value, Action):
        db.reset()
        if isinstance(value, Action):
            value.run()
        return question.evaluate()
    return question.evaluate(value)


def assert_correct(question: Question, value: Any) -> None:
    result = _evaluate(question, value)
    assert result.status == "correct", f"{question.id}: expected correct, got {result}"


def assert_incorrect(question: Question, value: Any, phrase: str) -> None:
    result = _evaluate(question, value)
    assert result.status == "incorrect", f"{question.id}: expected incorrect, got {result}"
    assert phrase.lower() in result.detail.lower(), f"{question.id}: feedback {result.detail!r} lacks {phrase!r}"
    assert result.detail.strip(), "feedback must say what is wrong"


def assert_unattempted(question: Question, value: Any = ...) -> None:
    if question.answer == DATABASE and value is ...:
        db.reset()
        result = question.evaluate()
    else:
        result = _evaluate(question, value)
    assert result.status == "unattempted", f"{question.id}: expected unattempted, got {result}"


def make_tests(module: Any, cases: dict[str, Case]):
    """Parametrised tests: every question has a case with a right, two wrong and a missing answer."""
    questions = {q.id: q for q in module.QUESTIONS}

    def test_every_question_has_cases() -> None:
        assert set(cases) == set(questions), f"cases and questions differ: {set(cases) ^ set(questions)}"
        for qid, case in cases.items():
            assert case.right and len(case.wrong) >= 2, f"{qid} needs a right and at least two wrong answers"

    params = []
    for qid, case in cases.items():
        for i, value in enumerate(case.right):
            params.append(pytest.param(qid, "right", value, "", id=f"{qid}-right{i}"))
        for i, (value, phrase) in enumerate(case.wrong):
            params.append(pytest.param(qid, "wrong", value, phrase, id=f"{qid}-wrong{i}"))
        params.append(pytest.param(qid, "missing", case.missing, "", id=f"{qid}-missing"))

    @pytest.mark.parametrize("qid,kind,value,phrase", params)
    def test_question(qid: str, kind: str, value: Any, phrase: str) -> None:
        question = questions[qid]
        if kind == "right":
            assert_correct(question, value)
        elif kind == "wrong":
            assert_incorrect(question, value, phrase)
        else:
            assert_unattempted(question, value)

    return test_every_question_has_cases, test_question
