"""The exercise core: verdicts, feedback, logging, hints, hidden solutions, whole-notebook grading."""

import json

import pytest

from ssup import checks
from ssup.exercise import DATABASE, Question, Result, grade_namespace, record


def make_question(**overrides):
    fields = dict(id="T.q1", prompt="How many?", behaviours=("1.3",), answer="count",
                  grader=checks.number(lambda: 42), hints=("Count.", "Count again."),
                  solution_code="count = 42")
    fields.update(overrides)
    return Question(**fields)


def test_right_wrong_missing():
    question = make_question()
    assert question.evaluate(42).status == "correct"
    wrong = question.evaluate(41)
    assert wrong.status == "incorrect" and "41" in wrong.detail and "42" not in wrong.detail
    assert question.evaluate(...).status == "unattempted"


def test_answer_is_read_from_namespace_and_missing_name_is_unattempted():
    question = make_question()
    assert question.evaluate(namespace={"count": 42}).status == "correct"
    result = question.evaluate(namespace={})
    assert result.status == "unattempted" and "`count`" in result.detail


def test_a_grader_error_becomes_feedback_not_a_traceback():
    def broken(value):
        return value["missing key"]

    result = make_question(grader=broken).evaluate({})
    assert result.status == "incorrect"
    assert "KeyError" in result.detail


def test_not_implemented_function_is_unattempted():
    def grader(func):
        return checks.function(lambda x: x, [(1,)])(func)

    def starter(x):
        raise NotImplementedError

    assert make_question(grader=grader).evaluate(starter).status == "unattempted"


def test_question_needs_two_hints_and_a_behaviour():
    with pytest.raises(ValueError, match="two hints"):
        make_question(hints=("only one",))
    with pytest.raises(ValueError, match="behaviour"):
        make_question(behaviours=())


def test_results_file_gets_one_json_line_per_check(tmp_path, monkeypatch, capsys):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv("SSUP_RESULTS", str(results))
    question = make_question()
    question.check(42)
    question.check("x")
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert [line["status"] for line in lines] == ["correct", "incorrect"]
    assert lines[0] == {"question": "T.q1", "behaviours": ["1.3"], "status": "correct", "detail": lines[0]["detail"]}
    assert "Correct" in capsys.readouterr().out


def test_attempts_log_records_each_check(monkeypatch, tmp_path):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))
    monkeypatch.setenv("SSUP_TRAINEE", "t01")
    record(Result("T.q1", ("1.3",), "incorrect", "You gave 3."))
    entry = json.loads((tmp_path / "attempts.jsonl").read_text())
    assert entry["trainee"] == "t01" and entry["status"] == "incorrect" and "time" in entry


def test_hints_are_graded_and_out_of_range_is_explained():
    question = make_question()
    assert question.hint_message(1).body == "Count."
    assert question.hint_message(2).body == "Count again."
    assert "hint(1) to hint(2)" in question.hint_message(5).body


def test_solution_declines_when_hidden(monkeypatch):
    question = make_question()
    assert "count = 42" in question.solution_message().body
    monkeypatch.setenv("SSUP_HIDE_SOLUTIONS", "1")
    message = question.solution_message().body
    assert "hidden" in message and "42" not in message


def test_feedback_has_html_and_text_faces():
    result = make_question().evaluate(7)
    assert "Not yet" in str(result)
    assert "<div" in result._repr_html_() and "Not yet" in result._repr_html_()


def test_grade_namespace_reruns_every_check():
    first = make_question()
    second = make_question(id="T.q2", answer="name", grader=checks.text_value(lambda: "Kestrel"))
    results = grade_namespace([first, second], {"count": 42, "name": "kestrel "})
    assert [r.status for r in results] == ["correct", "correct"]


def test_database_questions_get_no_value():
    seen = []

    def grader(value):
        seen.append(value)
        return checks.correct()

    make_question(answer=DATABASE, grader=grader).evaluate(namespace={})
    assert seen == [None]
