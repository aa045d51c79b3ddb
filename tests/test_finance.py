"""Tests for ssup.finance against published worked examples.

Expected values come from the cited documentation and textbook problems, or
from hand arithmetic written out in the comments.
"""

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ssup import finance
from ssup.finance import compare_proposals, discounted_payback, irr, npv, payback


def test_docstring_examples_run():
    result = doctest.testmod(finance)
    assert result.attempted > 0
    assert result.failed == 0


# ------------------------------------------------ NPV


def test_npv_numpy_financial_docs_example():
    # numpy-financial documentation, numpy_financial.npv, Examples: "a potential
    # project with an initial investment of $40 000 and projected cashflows of
    # $5 000, $8 000, $12 000 and $30 000 at the end of each period discounted at
    # a rate of 8% per period" -> npf.npv(rate, cashflows).round(5) = 3065.22267.
    assert round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 5) == 3065.22267


def test_npv_numpy_docs_irr_cross_check():
    # NumPy 1.17 documentation, numpy.npv, Examples:
    # np.npv(0.281, [-100, 39, 59, 55, 20]) -> -0.0084785916384548798
    # ("Compare with the Example given for numpy.lib.financial.irr").
    assert npv(0.281, [-100, 39, 59, 55, 20]) == pytest.approx(-0.0084785916384548798, rel=1e-9)


def test_npv_does_not_discount_the_time_0_flow():
    # Unlike Excel's NPV(), which would give 3065.22267 / 1.08 = 2838.17 for the
    # numpy-financial example: the first flow is at time 0.
    assert npv(0.08, [-40_000]) == -40_000
    assert npv(0.10, [0, 110]) == pytest.approx(100.0)
    assert npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) != pytest.approx(2838.17, abs=1)


@pytest.mark.parametrize("make", [list, tuple, np.array, pd.Series])
def test_npv_accepts_every_container(make):
    assert npv(0.10, make([-100, 55, 60.5])) == pytest.approx(0.0)  # 55/1.1 + 60.5/1.21 = 50 + 50


# ------------------------------------------------ IRR


@pytest.mark.parametrize(
    "cashflows, expected",
    # numpy-financial documentation, numpy_financial.irr, Examples (rounded to 5 places):
    [
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
    ],
)
def test_irr_numpy_financial_docs_examples(cashflows, expected):
    assert round(irr(cashflows), 5) == expected


def test_irr_returns_the_root_closest_to_zero():
    # -100 + 100/g - 7/g^3 = 0 with g = 1 + r has two positive roots (the flows
    # change sign twice): r = -0.0833 and r = -0.6789. By hand at r = -0.6789,
    # g = 0.3211: -100 + 311.4 - 211.4 = 0 (to rounding). The one nearer 0 is returned.
    assert npv(-0.6788943736, [-100, 100, 0, -7]) == pytest.approx(0.0, abs=1e-6)
    assert irr([-100, 100, 0, -7]) == pytest.approx(-0.0833, abs=5e-5)


def test_irr_simple_two_period_project():
    # -100 + 121 / (1 + r)^2 = 0  ->  r = 1.21^(1/2) - 1 = 0.10 exactly.
    assert irr([-100, 0, 121]) == pytest.approx(0.10, abs=1e-12)


@given(
    st.floats(1e3, 1e6),
    st.lists(st.floats(0, 1e6), min_size=1, max_size=15),
)
@settings(max_examples=60, deadline=None)
def test_irr_makes_npv_zero_for_conventional_projects(outlay, income):
    # Keep the IRR inside the searched range (-99.9% to +999,900%): income of at
    # least a fifth of the outlay gives at worst 0.2 ** (1 / 15) - 1 = -10%, and
    # at most 1,000 x the outlay per period keeps it below 1 + 1,000 (100,000%).
    assume(sum(income) >= 0.2 * outlay)
    flows = [-outlay] + income
    rate = irr(flows)
    assert abs(npv(rate, flows)) <= 1e-6 * (outlay + sum(income))
    # Conventional project: NPV falls as the rate rises, so it is positive below the IRR.
    if rate > -0.98:
        assert npv(rate - 0.01, flows) > npv(rate + 0.01, flows)


# ------------------------------------------------ payback


@pytest.mark.parametrize(
    "initial_cost, expected",
    # Ross, Westerfield & Jordan, Fundamentals of Corporate Finance, ch. 9 problem
    # "Calculating Discounted Payback [LO3]": annual cash inflows of $2,800, $3,700,
    # $5,100 and $4,300, discount rate 14%; worked solution (justaaa.com): cost
    # $5,200 -> 1.96 years, $5,400 -> 2.03 years, $10,400 -> 3.65 years.
    [(5_200, 1.96), (5_400, 2.03), (10_400, 3.65)],
)
def test_discounted_payback_rwj_problem(initial_cost, expected):
    assert round(discounted_payback(0.14, [-initial_cost, 2_800, 3_700, 5_100, 4_300]), 2) == expected


def test_discounted_payback_rwj_level_cash_flows():
    # Ross, Westerfield & Jordan, "Calculating Discounted Payback": a project costs
    # $10,000 and has annual cash flows of $2,600 for six years. Solution
    # (transtutors.com): at 0% "10,000 / 2,600 = 3.8 years"; at 15% the discounted
    # flows add to 9,839.66, so "the full 10,000 is never recovered".
    flows = [-10_000] + [2_600] * 6
    assert discounted_payback(0.0, flows) == pytest.approx(10_000 / 2_600)  # 3.846
    assert discounted_payback(0.15, flows) is None
    # At 10% (worked here by hand, as the online solution slips): discounted flows
    # 2,363.64 2,148.76 1,953.42 1,775.83 1,614.40 1,467.63; after 5 years the
    # total is 9,856.05, short by 143.95, so payback = 5 + 143.95 / 1,467.63 = 5.098.
    assert discounted_payback(0.10, flows) == pytest.approx(5.098, abs=5e-4)


def test_payback_rwj_problem():
    # Ross, Westerfield & Jordan, Essentials of Corporate Finance, Problem 8-1
    # "Calculating Payback": cash flows -$6,800, 1,950, 4,100, 1,750, 1,450;
    # "Payback = 2 + ($750 / $1,750) = 2.43 years".
    assert round(payback([-6_800, 1_950, 4_100, 1_750, 1_450]), 2) == 2.43


def test_payback_edge_cases():
    assert payback([-100, 50]) is None  # never recovered
    assert payback([-100, 100]) == 1.0  # recovered exactly at the end of year 1
    assert payback([0, 10]) == 0.0  # nothing to recover
    assert payback([50, 10]) == 0.0
    # Later outlay: cumulative -100, 50, -50, 50 -> recovered for good in year 3:
    # 2 + 50 / 100 = 2.5.
    assert payback([-100, 150, -100, 100]) == pytest.approx(2.5)
    assert payback([-100, 150, -100]) is None


@given(
    st.floats(0.001, 0.5),
    st.floats(10, 1e5),
    st.lists(st.floats(1, 1e5), min_size=1, max_size=12),
)
@settings(max_examples=60, deadline=None)
def test_discounting_never_pays_back_sooner(rate, outlay, income):
    flows = [-outlay] + income
    plain, discounted = payback(flows), discounted_payback(rate, flows)
    if discounted is not None:
        assert plain is not None and plain <= discounted + 1e-9
    assert discounted_payback(0.0, flows) == plain


# ------------------------------------------------ compare_proposals


def test_compare_proposals_table():
    proposals = {
        "numpy docs": [-40_000, 5_000, 8_000, 12_000, 30_000],
        "RWJ 5,200": [-5_200, 2_800, 3_700, 5_100, 4_300],
        "no income": [-1_000, 0, 0],
        "level 2,600": [-10_000] + [2_600] * 6,
    }
    table = compare_proposals(proposals, rate=0.08)
    assert list(table.columns) == ["npv", "irr", "discounted_payback"]
    assert table.index.tolist() == list(proposals)
    assert table.index.name == "proposal"
    assert round(table.loc["numpy docs", "npv"], 5) == 3065.22267
    assert math.isnan(table.loc["no income", "irr"])
    assert math.isnan(table.loc["no income", "discounted_payback"])
    # 2,600 x 6 at 8% (annuity factor 4.6229) = 12,019.5 > 10,000: pays back at 8%.
    assert table.loc["level 2,600", "discounted_payback"] == pytest.approx(
        discounted_payback(0.08, proposals["level 2,600"])
    )
    for name, flows in proposals.items():
        assert table.loc[name, "npv"] == pytest.approx(npv(0.08, flows))


def test_compare_proposals_rate_drives_discounted_payback():
    table = compare_proposals({"RWJ": [-10_000] + [2_600] * 6}, rate=0.15)
    assert math.isnan(table.loc["RWJ", "discounted_payback"])  # never recovered at 15% (RWJ, above)


# ------------------------------------------------ validation


@pytest.mark.parametrize(
    "call, pattern",
    [
        (lambda: npv(-1.0, [-100, 110]), r"rate must be greater than -1.*got -1\.0"),
        (lambda: npv(-1.5, [-100, 110]), r"rate.*got -1\.5"),
        (lambda: npv("0.08", [-100, 110]), r"rate must be a finite number.*got '0\.08'"),
        (lambda: npv(float("nan"), [-100, 110]), r"rate.*got nan"),
        (lambda: npv(0.08, []), r"cashflows is empty"),
        (lambda: npv(0.08, [-100, "110"]), r"cashflows must be finite numbers; '110' at period 1"),
        (lambda: npv(0.08, [-100, float("nan")]), r"nan at period 1"),
        (lambda: npv(0.08, "-100,110"), r"cashflows must be a list.*not str"),
        (lambda: irr([100, 50, 10]), r"cashflows \[100\.0, 50\.0, 10\.0\] never change sign"),
        (lambda: irr([-100, -50]), r"never change sign"),
        (lambda: irr([-100, 50, -100]),
         r"No IRR found: the NPV of cashflows \[-100\.0, 50\.0, -100\.0\] does not cross 0"),
        (lambda: irr([]), r"cashflows is empty"),
        (lambda: discounted_payback(-2, [-100, 110]), r"rate.*got -2"),
        (lambda: payback([-100, None]), r"None at period 1"),
        (lambda: compare_proposals({}, 0.08), r"proposals must be a non-empty dict"),
        (lambda: compare_proposals({"A": [-100, "x"]}, 0.08), r"proposal 'A': cashflows must be finite numbers; 'x'"),
        (lambda: compare_proposals({"A": [-100, 110]}, -1), r"rate.*got -1"),
    ],
)
def test_errors_name_the_bad_argument(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
