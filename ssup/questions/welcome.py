"""The welcome notebook's practice question: how checks, hints and solutions work."""

from __future__ import annotations

from ssup import checks
from ssup.data import load
from ssup.exercise import Question


def _sensor_count() -> int:
    products = load("products")
    return int((products.category == "sensor").sum())


q1 = Question(
    id="W.q1", title="How many sensors does Kestrel sell?", behaviours=("1.3",), answer="sensor_count",
    prompt="How many products in the catalogue are sensors?",
    grader=checks.number(_sensor_count, mistakes=[
        (lambda v: v == len(load("products")), "That is every product: count only the rows whose category is 'sensor'.")]),
    hints=("The products table has a column called category.",
           "(products.category == 'sensor').sum() counts the rows where the condition is true."),
    solution_code='sensor_count = (products.category == "sensor").sum()',
)

QUESTIONS = [q1]
