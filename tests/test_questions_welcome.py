"""The welcome notebook's practice question."""

from ssup import db
from ssup.questions import welcome
from tests.questionkit import Case, Lazy, make_tests


def sensors_by_sql():
    return int(db.query("SELECT COUNT(*) AS n FROM products WHERE category = 'sensor'")["n"][0])


CASES = {
    "W.q1": Case(right=[Lazy(sensors_by_sql)],
                 wrong=[(Lazy(lambda: int(db.query("SELECT COUNT(*) AS n FROM products")["n"][0])), "every product"),
                        ("sixteen", "should be a number"), (Lazy(lambda: sensors_by_sql() + 1), "too high")]),
}

test_every_question_has_cases, test_question = make_tests(welcome, CASES)
