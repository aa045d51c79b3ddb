"""Tests for ssup.estimate: three-point estimates, Monte Carlo totals, probabilities.

Expected values come from published worked examples (cited at each test) or from
independent implementations (scipy.stats distributions), never from ssup itself.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import ssup.estimate as estimate
from ssup.estimate import (
    ThreePoint,
    completion_probability,
    monte_carlo,
    percentiles,
    portfolio_three_point,
    summarise_tasks,
    three_point,
)

# Heizer & Render, *Operations Management* (Pearson), Ch. 3 "Project Management":
# the Milwaukee Paper Manufacturing PERT example. Three time estimates (weeks) and
# the published expected times t = (a + 4m + b)/6 and variances ((b - a)/6)^2,
# variances printed to two decimals.
MILWAUKEE_PERT = pd.DataFrame(
    {
        "optimistic": [1, 2, 1, 2, 1, 1, 3, 1],
        "most_likely": [2, 3, 2, 4, 4, 2, 4, 2],
        "pessimistic": [3, 4, 3, 6, 7, 9, 11, 3],
        "published_t": [2, 3, 2, 4, 4, 3, 5, 2],
        "published_variance": [0.11, 0.11, 0.11, 0.44, 1.00, 1.78, 1.78, 0.11],
    },
    index=pd.Index(list("ABCDEFGH"), name="activity"),
)
MILWAUKEE_PREDECESSORS = ["", "", "A", "A,B", "C", "C", "D,E", "F,G"]

fast = settings(max_examples=60, deadline=None)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def ordered_triples(draw):
    values = sorted(draw(st.lists(finite, min_size=3, max_size=3)))
    return tuple(values)


def tasks_frame(rows):
    return pd.DataFrame(rows, columns=["optimistic", "most_likely", "pessimistic"])


# --------------------------------------------------------------------------- three_point


@pytest.mark.parametrize("activity", list("ABCDEFGH"))
def test_pert_matches_heizer_render_milwaukee_paper_table(activity):
    # Heizer & Render, Operations Management, Ch. 3, Milwaukee Paper PERT table.
    row = MILWAUKEE_PERT.loc[activity]
    result = three_point(row.optimistic, row.most_likely, row.pessimistic)
    assert result.mean == pytest.approx(row.published_t)
    assert result.sd**2 == pytest.approx(row.published_variance, abs=0.005)


def test_pert_pmp_practice_question_25_40_50():
    # allPM.com PMP practice question (20 Apr 2009): o=25, m=40, p=50 weeks gives
    # Te = 39.17 and SD = 4.17, and a 95% (2 SD) range of 30.83 to 47.51 weeks.
    mean, sd = three_point(25, 40, 50)
    assert mean == pytest.approx(39.17, abs=0.005)
    assert sd == pytest.approx(4.17, abs=0.005)
    assert mean - 2 * sd == pytest.approx(30.83, abs=0.01)
    assert mean + 2 * sd == pytest.approx(47.51, abs=0.01)


def test_pert_classic_2_4_12():
    # The PERT formulas of Malcolm, Roseboom, Clark & Fazar (1959), "Application of a
    # technique for R&D program evaluation", Operations Research 7(5), as used in
    # OM texts: a=2, m=4, b=12 -> te = (2 + 16 + 12)/6 = 5, sd = 10/6 = 5/3.
    assert three_point(2, 4, 12) == ThreePoint(5.0, 5 / 3)
    assert three_point(2, 4, 12, method="pert") == three_point(2, 4, 12)


def test_triangular_worked_example_2_4_12():
    # Wikipedia "Triangular distribution" (also Vose, Risk Analysis, 3rd ed.):
    # mean (a+b+c)/3 = 18/3 = 6; variance (4+16+144-8-24-48)/18 = 84/18.
    mean, sd = three_point(2, 4, 12, method="triangular")
    assert mean == pytest.approx(6.0)
    assert sd == pytest.approx(math.sqrt(84 / 18))


@fast
@given(ordered_triples())
def test_triangular_moments_agree_with_scipy(triple):
    o, m, p = triple
    if p - o < 1e-6 * max(1.0, abs(o), abs(p)):
        return  # scipy needs a positive scale
    reference = stats.triang(c=(m - o) / (p - o), loc=o, scale=p - o)
    mean, sd = three_point(o, m, p, method="triangular")
    assert mean == pytest.approx(reference.mean(), rel=1e-9, abs=1e-6)
    assert sd == pytest.approx(reference.std(), rel=1e-6, abs=1e-6)


@fast
@given(ordered_triples(), st.sampled_from(["pert", "triangular"]))
def test_mean_lies_within_range_and_sd_non_negative(triple, method):
    o, m, p = triple
    mean, sd = three_point(o, m, p, method=method)
    tol = 1e-9 * max(1.0, abs(o), abs(p))
    assert o - tol <= mean <= p + tol
    assert sd >= 0


@pytest.mark.parametrize("method", ["pert", "triangular"])
def test_certain_estimate_has_zero_sd(method):
    assert three_point(7, 7, 7, method=method) == ThreePoint(7.0, 0.0)


@pytest.mark.parametrize(
    ("o", "m", "p", "named"),
    [(5, 4, 9, ("5", "4")), (1, 10, 9, ("10", "9")), (3, 2, 1, ("3", "2"))],
)
def test_out_of_order_estimates_name_the_values(o, m, p, named):
    with pytest.raises(ValueError) as info:
        three_point(o, m, p)
    message = str(info.value)
    for value in named:
        assert f"({value})" in message
    assert "optimistic <= most likely <= pessimistic" in message


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((math.inf, 2, 3), "optimistic estimate must be a finite number, not inf"),
        ((1, math.nan, 3), "most likely estimate must be a finite number, not nan"),
        ((1, 2, "3"), "pessimistic estimate must be a number, not '3'"),
        ((True, 2, 3), "optimistic estimate must be a number, not True"),
        ((1, None, 3), "most likely estimate must be a number, not None"),
    ],
)
def test_non_numbers_are_rejected_by_name(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        three_point(*args)


def test_unknown_method_lists_the_methods():
    with pytest.raises(ValueError) as info:
        three_point(1, 2, 3, method="beta")
    assert "'beta'" in str(info.value)
    assert "'pert'" in str(info.value) and "'triangular'" in str(info.value)


# --------------------------------------------------------------- tables and portfolio


def test_summarise_tasks_adds_mean_and_sd_and_keeps_the_input():
    table = MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]]
    before = table.copy()
    summary = summarise_tasks(table)
    pd.testing.assert_frame_equal(table, before)  # input not modified
    assert list(summary.columns[-2:]) == ["mean", "sd"]
    assert list(summary.index) == list("ABCDEFGH")
    np.testing.assert_allclose(summary["mean"], MILWAUKEE_PERT["published_t"])
    np.testing.assert_allclose(summary["sd"] ** 2, MILWAUKEE_PERT["published_variance"], atol=0.005)


def test_summarise_tasks_triangular_matches_scipy():
    table = tasks_frame([(1, 2, 4), (10, 10, 30), (0, 5, 5)])
    summary = summarise_tasks(table, method="triangular")
    for (o, m, p), mean, sd in zip(table.to_numpy(), summary["mean"], summary["sd"]):
        ref = stats.triang(c=(m - o) / (p - o), loc=o, scale=p - o)
        assert mean == pytest.approx(ref.mean())
        assert sd == pytest.approx(ref.std())


def test_portfolio_of_milwaukee_critical_path():
    # Heizer & Render, Ch. 3: the critical path A-C-E-G-H has expected time 15 weeks
    # and project variance .11 + .11 + 1.00 + 1.78 + .11 = 3.11, so sigma_p = 1.76.
    total = portfolio_three_point(MILWAUKEE_PERT.loc[list("ACEGH"), ["optimistic", "most_likely", "pessimistic"]])
    assert total.mean == pytest.approx(15.0)
    assert total.sd**2 == pytest.approx(3.11, abs=0.005)
    assert total.sd == pytest.approx(1.76, abs=0.005)


def test_milwaukee_critical_path_found_from_pert_means():
    # Same example end to end: PERT means as durations give the published critical
    # path A-C-E-G-H of 15 weeks (Heizer & Render, Ch. 3).
    from ssup.plan import critical_path

    summary = summarise_tasks(MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]])
    plan = pd.DataFrame(
        {"task": list("ABCDEFGH"), "duration": summary["mean"].to_list(), "predecessors": MILWAUKEE_PREDECESSORS}
    )
    path = critical_path(plan)
    assert path == list("ACEGH")
    total = portfolio_three_point(MILWAUKEE_PERT.loc[path, ["optimistic", "most_likely", "pessimistic"]])
    assert completion_probability(total.mean, total.sd, 16) == pytest.approx(0.7157, abs=0.002)


def test_portfolio_adds_variances_not_sds():
    table = tasks_frame([(0, 3, 6), (0, 4, 8)])  # PERT sd 1 and 4/3 -> total sd 5/3
    total = portfolio_three_point(table)
    assert total.mean == pytest.approx(7.0)
    assert total.sd == pytest.approx(5 / 3)
    assert total.sd < 1 + 4 / 3


def test_portfolio_triangular_method():
    table = tasks_frame([(2, 4, 12), (2, 4, 12)])
    total = portfolio_three_point(table, method="triangular")
    assert total == pytest.approx((12.0, math.sqrt(2 * 84 / 18)))


def test_table_errors_name_the_row_and_column():
    with pytest.raises(ValueError, match="'pessimistic'"):
        summarise_tasks(pd.DataFrame({"optimistic": [1], "most_likely": [2]}))
    bad = pd.DataFrame(
        {"optimistic": [1, 9], "most_likely": [2, 3], "pessimistic": [3, 4]}, index=["survey", "install"]
    )
    with pytest.raises(ValueError) as info:
        summarise_tasks(bad)
    assert "Row 'install'" in str(info.value) and "(9)" in str(info.value)
    with pytest.raises(ValueError, match="no rows"):
        portfolio_three_point(tasks_frame([]))
    with pytest.raises(TypeError):
        summarise_tasks([(1, 2, 3)])


# --------------------------------------------------------------------------- monte_carlo


@pytest.mark.parametrize("distribution", ["triangular", "pert"])
def test_monte_carlo_mean_matches_analytic_mean(distribution):
    table = MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]]
    method = "pert" if distribution == "pert" else "triangular"
    analytic = portfolio_three_point(table, method=method)
    totals = monte_carlo(table, n=100_000, seed=11, distribution=distribution)
    standard_error = totals.std() / math.sqrt(totals.size)
    assert totals.mean() == pytest.approx(analytic.mean, abs=5 * standard_error)
    if distribution == "triangular":  # triangular sd formula is exact
        assert totals.std() == pytest.approx(analytic.sd, rel=0.02)


def test_monte_carlo_pert_draws_follow_vose_beta_pert():
    # Vose, Risk Analysis (3rd ed.), PERT distribution: Beta(alpha, beta) on [a, b]
    # with alpha = 1 + 4(m-a)/(b-a), beta = 1 + 4(b-m)/(b-a). Compare a one-row
    # simulation with scipy's beta distribution by a Kolmogorov-Smirnov test.
    o, m, p = 1.0, 2.0, 9.0
    totals = monte_carlo(tasks_frame([(o, m, p)]), n=20_000, seed=3, distribution="pert")
    reference = stats.beta(1 + 4 * (m - o) / (p - o), 1 + 4 * (p - m) / (p - o), loc=o, scale=p - o)
    assert stats.kstest(totals, reference.cdf).pvalue > 0.001
    assert totals.mean() == pytest.approx((o + 4 * m + p) / 6, abs=0.03)


def test_monte_carlo_triangular_draws_follow_triangular():
    totals = monte_carlo(tasks_frame([(1.0, 2.0, 9.0)]), n=20_000, seed=4)
    reference = stats.triang(c=1 / 8, loc=1, scale=8)
    assert stats.kstest(totals, reference.cdf).pvalue > 0.001


def test_monte_carlo_same_seed_same_array_and_different_seed_differs():
    table = MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]]
    for distribution in ("triangular", "pert"):
        first = monte_carlo(table, n=500, seed=42, distribution=distribution)
        again = monte_carlo(table, n=500, seed=42, distribution=distribution)
        other = monte_carlo(table, n=500, seed=43, distribution=distribution)
        np.testing.assert_array_equal(first, again)
        assert not np.array_equal(first, other)
        assert first.shape == (500,)


@pytest.mark.parametrize("distribution", ["triangular", "pert"])
def test_monte_carlo_totals_stay_within_the_bounds(distribution):
    table = MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]]
    totals = monte_carlo(table, n=2_000, seed=5, distribution=distribution)
    assert totals.min() >= table["optimistic"].sum()
    assert totals.max() <= table["pessimistic"].sum()


@pytest.mark.parametrize("distribution", ["triangular", "pert"])
def test_monte_carlo_degenerate_rows_are_constants(distribution):
    constant = monte_carlo(tasks_frame([(4, 4, 4), (2.5, 2.5, 2.5)]), n=50, distribution=distribution)
    np.testing.assert_array_equal(constant, np.full(50, 6.5))
    mixed = monte_carlo(tasks_frame([(4, 4, 4), (0, 1, 2)]), n=1_000, distribution=distribution)
    assert mixed.min() >= 4 and mixed.max() <= 6 and mixed.std() > 0


def test_monte_carlo_errors_name_the_column_row_and_choice():
    with pytest.raises(ValueError, match="'most_likely'"):
        monte_carlo(pd.DataFrame({"optimistic": [1], "pessimistic": [2]}))
    bad = pd.DataFrame({"optimistic": [1, 2], "most_likely": [2, 3], "pessimistic": [3, "lots"]}, index=["T1", "T2"])
    with pytest.raises(ValueError) as info:
        monte_carlo(bad)
    assert "Row 'T2'" in str(info.value) and "'lots'" in str(info.value)
    nan_row = tasks_frame([(1, 2, 3), (1, np.nan, 3)])
    with pytest.raises(ValueError, match="Row 1 "):
        monte_carlo(nan_row)
    with pytest.raises(ValueError) as info:
        monte_carlo(tasks_frame([(1, 2, 3)]), distribution="normal")
    assert "'triangular'" in str(info.value) and "'pert'" in str(info.value)
    for n in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n "):
            monte_carlo(tasks_frame([(1, 2, 3)]), n=n)


# ------------------------------------------------------------- completion_probability


def test_completion_probability_heizer_render_16_weeks():
    # Heizer & Render, Ch. 3, Milwaukee Paper: expected 15 weeks, sigma_p = 1.76;
    # P(done within 16 weeks) = P(Z <= .57) = .7157 from the normal table.
    assert completion_probability(15, 1.76, 16) == pytest.approx(0.7157, abs=0.001)


def test_completion_probability_heizer_render_99_percent_due_date():
    # Same example: a 99% chance needs a due date of 15 + 2.33 x 1.76 = 19.1 weeks.
    assert completion_probability(15, 1.76, 15 + 2.33 * 1.76) == pytest.approx(0.99, abs=0.0005)
    assert completion_probability(15, 1.76, 19.1) == pytest.approx(0.99, abs=0.001)


@fast
@given(finite, st.floats(min_value=1e-3, max_value=1e4))
def test_completion_probability_is_one_half_at_the_mean(mean, sd):
    assert completion_probability(mean, sd, mean) == pytest.approx(0.5)


@fast
@given(
    st.floats(min_value=-1e3, max_value=1e3),
    st.floats(min_value=1e-2, max_value=1e3),
    st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=2, max_size=10),
)
def test_completion_probability_is_monotone_in_deadline(mean, sd, deadlines):
    values = [completion_probability(mean, sd, d) for d in sorted(deadlines)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(a <= b for a, b in zip(values, values[1:]))


def test_completion_probability_matches_standard_normal_table():
    # Standard normal table values (any statistics text): Phi(1) = .8413, Phi(-2) = .0228.
    assert completion_probability(10, 2, 12) == pytest.approx(0.8413, abs=1e-4)
    assert completion_probability(10, 2, 6) == pytest.approx(0.0228, abs=1e-4)


def test_completion_probability_with_zero_sd_is_certain():
    assert completion_probability(10, 0, 10) == 1.0
    assert completion_probability(10, 0, 11) == 1.0
    assert completion_probability(10, 0, 9.99) == 0.0


def test_completion_probability_rejects_bad_inputs():
    with pytest.raises(ValueError, match="standard deviation must not be negative"):
        completion_probability(10, -1, 12)
    with pytest.raises(ValueError, match="deadline must be a finite number"):
        completion_probability(10, 1, math.nan)
    with pytest.raises(ValueError, match="mean must be a number"):
        completion_probability("ten", 1, 12)


# --------------------------------------------------------------------------- percentiles


def test_percentiles_keys_and_values():
    # Excel PERCENTILE.INC / numpy linear interpolation on 1..101: the k-th percentile is k + 1.
    result = percentiles(np.arange(1, 102))
    assert result == {"P50": 51.0, "P80": 81.0, "P90": 91.0}
    assert percentiles([1, 2, 3, 4], levels=(25, 97.5)) == {"P25": 1.75, "P97.5": pytest.approx(3.925)}


@fast
@given(
    st.lists(finite, min_size=1, max_size=200),
    st.lists(st.floats(min_value=0, max_value=100), min_size=2, max_size=8, unique=True),
)
def test_percentiles_are_monotone_in_the_level(totals, levels):
    levels = sorted(levels)
    result = percentiles(totals, levels)
    values = [result[f"P{level:g}"] for level in levels]
    assert all(a <= b for a, b in zip(values, values[1:]))
    assert min(totals) <= values[0] and values[-1] <= max(totals)


def test_percentiles_of_simulated_totals_are_ordered():
    totals = monte_carlo(MILWAUKEE_PERT[["optimistic", "most_likely", "pessimistic"]], n=5_000, seed=9)
    p = percentiles(totals)
    assert list(p) == ["P50", "P80", "P90"]
    assert p["P50"] < p["P80"] < p["P90"]


def test_percentiles_rejects_bad_inputs():
    with pytest.raises(ValueError, match="non-empty"):
        percentiles([])
    with pytest.raises(ValueError, match="finite"):
        percentiles([1.0, math.nan])
    with pytest.raises(ValueError, match="120"):
        percentiles([1, 2, 3], levels=(50, 120))


# ------------------------------------------------------------------------------ doctests


def test_docstring_examples_run():
    result = doctest.testmod(estimate, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0
