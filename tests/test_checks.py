"""Grader factories: each accepts what its question asks for and explains every wrong answer."""

import math

import numpy as np
import pandas as pd
import pytest

from ssup import checks


def status(verdict):
    return verdict.status


class TestNumber:
    grade = staticmethod(checks.number(lambda: 100.0, tolerance=0.01))

    def test_accepts_ints_floats_and_numpy(self):
        assert status(self.grade(100)) == "correct"
        assert status(self.grade(np.float64(100.0))) == "correct"
        assert status(self.grade(pd.Series([100.0]))) == "correct"

    @pytest.mark.parametrize("value,phrase", [("100", "should be a number"), (True, "should be a number"),
                                              (math.nan, "finite"), (math.inf, "finite"), (120, "too high"),
                                              (None, "should be a number"), ([100], "should be a number")])
    def test_wrong(self, value, phrase):
        verdict = self.grade(value)
        assert verdict.status == "incorrect" and phrase in verdict.detail

    def test_mistake_diagnosis_replaces_generic_reason(self):
        grade = checks.number(lambda: 100.0, mistakes=[(lambda v: v == 1200, "That is the yearly price.")])
        assert "yearly" in grade(1200).detail
        assert "100" not in grade(1200).detail.replace("1,200", "")


def test_collection_names_extra_items_and_counts_missing_ones():
    grade = checks.collection(lambda: ["A", "B", "C"], item="product")
    assert grade(["c", "b", "a"]).status == "correct"
    assert "'X'" in grade(["A", "B", "X"]).detail
    assert "1 more" in grade(["A", "B"]).detail
    assert "repeated" in grade(["A", "A", "B", "C"]).detail
    assert "should be a list" in grade("A,B,C").detail


def test_frame_ignores_row_order_dtype_and_named_index():
    expected = pd.DataFrame({"channel": ["email", "phone"], "tickets": [3, 5]})
    grade = checks.frame(lambda: expected)
    shuffled = pd.DataFrame({"Channel": ["phone", "email"], "tickets": [5.0, 3.0]})
    assert grade(shuffled).status == "correct"
    as_series = pd.Series([5, 3], index=pd.Index(["phone", "email"], name="channel"), name="tickets")
    assert grade(as_series).status == "correct"
    assert "missing" in grade(pd.DataFrame({"channel": ["email"]})).detail
    assert "rows" in grade(expected.iloc[:1]).detail
    assert "differ" in grade(expected.assign(tickets=[3, 6])).detail
    assert "DataFrame" in grade([1, 2]).detail


def test_function_reports_the_failing_input_not_the_expected_output():
    grade = checks.function(lambda a, b: a + b, [(1, 2), (0, 0), (-1, 5)], name="add")
    assert grade(lambda a, b: a + b).status == "correct"
    verdict = grade(lambda a, b: a * b)
    assert verdict.status == "incorrect" and "(1, 2)" in verdict.detail and "returned 2" in verdict.detail
    assert "raised ZeroDivisionError" in grade(lambda a, b: a / 0).detail
    assert "should be a function" in grade(3).detail


def test_function_that_never_returns_is_stopped():
    def forever(a, b):
        while True:
            pass

    grade = checks.function(lambda a, b: a + b, [(1, 2)], seconds=0.2)
    assert "did not finish" in grade(forever).detail


def test_writing_checks_facts_present_and_absent():
    price = checks.Fact("the price (£1,250)", checks.money_patterns(1250))
    wrong = checks.Fact("a price of £1,500", checks.money_patterns(1500))
    grade = checks.writing(lambda: [price], lambda: [wrong], min_words=5)
    assert grade("Hello, the gateway costs £1,250 per unit, thanks.").status == "correct"
    assert "does not yet state the price" in grade("Hello, the gateway is very good value.").detail
    assert "1,500" in grade("Hello, it costs £1,250 or £1,500 with mounting.").detail
    assert "too short" in grade("£1,250").detail
    assert grade("").status == "unattempted"


def test_money_patterns_do_not_match_inside_other_numbers():
    patterns = checks.money_patterns(125)
    import re

    assert not any(re.search(p, "costs 1250") for p in patterns)
    assert any(re.search(p, "costs £125.") for p in patterns)


def test_describe_is_short_and_plain():
    assert checks.describe(None).startswith("None")
    assert "table with 2 rows" in checks.describe(pd.DataFrame({"a": [1, 2]}))
    assert len(checks.describe("x" * 500)) < 100
