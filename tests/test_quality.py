"""ssup.quality: the advice rubric, sampling plans and the coaching plan, against hand-worked examples."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ssup import quality
from ssup.quality import ADVICE_RUBRIC, Criterion, Rubric

CRITERIA = ADVICE_RUBRIC.names


def reviews(rows):
    return pd.DataFrame(rows, columns=CRITERIA)


def test_rubric_weights_and_critical_criteria():
    table = ADVICE_RUBRIC.table()
    assert list(table.index) == ["accurate", "fits_need", "complete", "next_steps", "recorded"]
    assert table["weight"].sum() == 10
    assert table.loc[["accurate", "fits_need"], "critical"].all() and not table.loc["complete", "critical"]


@pytest.mark.parametrize("row,score,passed", [
    ([1, 1, 1, 1, 1], 100.0, True),
    ([1, 1, 1, 0, 1], 90.0, True),     # one admin slip passes
    ([1, 1, 1, 0, 0], 80.0, False),    # two do not
    ([1, 1, 0, 1, 1], 80.0, False),    # an incomplete answer fails
    ([0, 1, 1, 1, 1], 70.0, False),    # a wrong fact fails
    ([1, 0, 1, 1, 1], 70.0, False),
])
def test_score_and_pass(row, score, passed):
    out = quality.score(reviews([row]))
    assert out.loc[0, "score"] == score and bool(out.loc[0, "passed"]) is passed


def test_critical_criterion_fails_whatever_the_score():
    rubric = Rubric((Criterion("a", "?", 1, critical=True), Criterion("b", "?", 99)), pass_mark=50)
    out = quality.score(pd.DataFrame({"a": [0], "b": [1]}), rubric)
    assert out.loc[0, "score"] == 99.0 and not out.loc[0, "passed"]


def test_score_refuses_missing_columns_and_values():
    with pytest.raises(ValueError, match="no column"):
        quality.score(pd.DataFrame({"accurate": [1]}))
    bad = reviews([[1, 1, 1, 1, 1]]).astype(float)
    bad.loc[0, "complete"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        quality.score(bad)


def test_sample_size_matches_the_textbook_formula():
    # Cochran: n0 = 1.96^2 x 0.5 x 0.5 / 0.05^2 = 384.16 -> 385; with N = 1000: 384.16 / (1 + 383.16/1000) = 277.7
    assert quality.sample_size(0.5, 0.05) == 385
    assert quality.sample_size(0.5, 0.05, population=1000) == 278
    assert quality.sample_size(0.8, 0.05) == 246
    assert quality.sample_size(0.5, 0.05, confidence=0.99) == math.ceil(stats.norm.ppf(0.995) ** 2 * 0.25 / 0.0025)


@pytest.mark.parametrize("args", [(80, 0.05), (0.8, 5), (0.8, 0.05, 1.5), (0.8, 0.05, 0.95, 0)])
def test_sample_size_rejects_percentages_and_bad_inputs(args):
    with pytest.raises(ValueError):
        quality.sample_size(*args)


def test_margin_of_error_is_the_inverse_of_sample_size():
    n = quality.sample_size(0.8, 0.05)
    assert quality.margin_of_error(0.8, n) <= 0.05 < quality.margin_of_error(0.8, n - 1)
    assert quality.margin_of_error(0.8, 100, population=100) == 0.0


def test_allocate_proportional_with_a_floor():
    sizes = pd.Series({"A": 70, "B": 20, "C": 10})
    assert quality.allocate(sizes, 20).tolist() == [14, 4, 2]
    assert quality.allocate(sizes, 20, minimum=4).tolist() == [12, 4, 4]
    small = pd.Series({"A": 50, "B": 2})
    assert quality.allocate(small, 10, minimum=5).tolist() == [8, 2], "a stratum never gets more than it has"
    assert quality.allocate(sizes, 100).tolist() == [70, 20, 10]
    for total in range(9, 101, 7):
        assert quality.allocate(sizes, total, minimum=3).sum() == total


def test_allocate_refuses_impossible_budgets():
    with pytest.raises(ValueError, match="more than"):
        quality.allocate(pd.Series({"A": 5}), 6)
    with pytest.raises(ValueError, match="minimum"):
        quality.allocate(pd.Series({"A": 50, "B": 50, "C": 50}), 5, minimum=2)


def test_draw_sample_is_stratified_and_reproducible():
    records = pd.DataFrame({"ticket_id": [f"T{i:03d}" for i in range(60)], "agent": ["A"] * 40 + ["B"] * 20})
    first = quality.draw_sample(records, "agent", {"A": 5, "B": 3}, seed=3)
    again = quality.draw_sample(records.sample(frac=1, random_state=1), "agent", {"A": 5, "B": 3}, seed=3)
    assert first["ticket_id"].tolist() == again["ticket_id"].tolist(), "input order does not matter"
    assert first["agent"].value_counts().to_dict() == {"A": 5, "B": 3}
    assert first["ticket_id"].is_unique
    assert quality.draw_sample(records, "agent", {"A": 5, "B": 3}, seed=4)["ticket_id"].tolist() != \
        first["ticket_id"].tolist()
    with pytest.raises(ValueError, match="cannot draw"):
        quality.draw_sample(records, "agent", {"B": 21})


def test_not_met_rates_overall_and_by_group():
    r = reviews([[1, 1, 1, 1, 1], [0, 1, 0, 1, 1], [1, 1, 0, 1, 0], [1, 0, 1, 1, 1]])
    r["team"] = ["a", "a", "b", "b"]
    overall = quality.not_met_rates(r)
    assert overall.loc["all", "reviews"] == 4 and overall.loc["all", "complete"] == 50.0
    by = quality.not_met_rates(r, "team")
    assert by.loc["a", "accurate"] == 50.0 and by.loc["b", "recorded"] == 50.0
    assert quality.not_met_rates(r, r["team"] == "a").loc[True, "reviews"] == 2


@pytest.mark.parametrize("k,n,p", [(0, 10, 0.3), (3, 10, 0.1), (10, 10, 0.5), (7, 40, 0.06), (11, 10, 0.5)])
def test_binomial_tail_agrees_with_scipy(k, n, p):
    assert quality.binomial_tail(k, n, p) == pytest.approx(stats.binom.sf(k - 1, n, p), abs=1e-12)


def test_coaching_plan_finds_the_advisor_with_a_habit_and_not_chance():
    rng = np.random.default_rng(5)
    rows, people = [], []
    for person, n in (("A", 60), ("B", 60), ("C", 60), ("D", 8)):
        for _ in range(n):
            missed = rng.random(5) < np.array([0.05, 0.05, 0.45 if person == "A" else 0.08, 0.08, 0.05])
            rows.append((~missed).astype(int).tolist())
            people.append(person)
    r = reviews(rows)
    r["advisor_id"] = people
    r["record_id"] = [f"T{i}" for i in range(len(r))]
    plan = quality.coaching_plan(r, min_reviews=10)
    assert plan[["advisor_id", "criterion"]].values.tolist() == [["A", "complete"]]
    assert plan.loc[0, "chance"] < 1e-6 and plan.loc[0, "examples"].count("T") == 3
    assert plan.loc[0, "action"] == quality.COACHING_ACTIONS["complete"]
    assert "D" not in set(quality.coaching_plan(r, min_reviews=10, alpha=1.0)["advisor_id"]), "too few reviews"


def test_coaching_plan_is_empty_when_nobody_stands_out():
    r = reviews([[1, 1, 1, 1, 1]] * 30)
    r["advisor_id"], r["record_id"] = ["A"] * 15 + ["B"] * 15, range(30)
    plan = quality.coaching_plan(r)
    assert plan.empty and list(plan.columns)[:2] == ["advisor_id", "criterion"]
