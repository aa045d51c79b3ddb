"""Tests for ssup.risk: expected monetary value, register summary, contingency.

Expected values come from published worked examples (cited at each test) or from an
exact enumeration of every combination of risks, never from ssup itself.
"""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssup.risk as risk
from ssup.risk import contingency, expected_monetary_value, risk_register_summary

# TenStep, "Use Expected Monetary Value (EMV) to Create a Risk Contingency Budget"
# (tenstep.com): six risks, total potential impact $118,000, per-risk P x I of
# 8,000 / 9,000 / 4,000 / 4,000 / 6,000 / 2,500 and a contingency budget of $33,500.
TENSTEP = pd.DataFrame(
    {
        "probability": [0.8, 0.3, 0.5, 0.10, 0.3, 0.25],
        "impact": [10_000, 30_000, 8_000, 40_000, 20_000, 10_000],
    },
    index=pd.Index(list("ABCDEF"), name="risk"),
)
TENSTEP_PUBLISHED_EMV = {"A": 8_000, "B": 9_000, "C": 4_000, "D": 4_000, "E": 6_000, "F": 2_500}


def exact_total_distribution(register):
    """Every combination of risks happening or not: {total cost: probability}."""
    dist: dict[float, float] = {}
    rows = list(zip(register["probability"], register["impact"]))
    for happened in itertools.product([False, True], repeat=len(rows)):
        chance, total = 1.0, 0.0
        for occurs, (p, impact) in zip(happened, rows):
            chance *= p if occurs else 1 - p
            total += impact if occurs else 0
        dist[total] = dist.get(total, 0.0) + chance
    return dict(sorted(dist.items()))


def exact_quantile(dist, level):
    """Smallest total whose cumulative probability reaches level (0..1), with the CDF gap."""
    cumulative = 0.0
    for total, chance in dist.items():
        before = cumulative
        cumulative += chance
        if cumulative >= level:
            return total, level - before, cumulative - level
    raise AssertionError("level above 1")


# ---------------------------------------------------------------- published examples


def test_tenstep_register_emv_total():
    # TenStep: the contingency budget (sum of P x I) is $33,500 out of $118,000 at risk.
    assert expected_monetary_value(TENSTEP) == pytest.approx(33_500)
    assert TENSTEP["impact"].sum() == 118_000  # the article's total, as a data check


def test_tenstep_register_summary_per_risk_and_order():
    summary = risk_register_summary(TENSTEP)
    assert summary["emv"].to_dict() == pytest.approx(TENSTEP_PUBLISHED_EMV)
    # Largest first; C and D tie at 4,000 and keep their register order.
    assert list(summary.index) == ["B", "A", "E", "C", "D", "F"]
    assert list(summary.columns) == ["probability", "impact", "emv"]
    assert "emv" not in TENSTEP.columns  # the input is not modified
    assert summary["emv"].sum() == pytest.approx(expected_monetary_value(TENSTEP))


def test_pmbok_decision_tree_build_or_upgrade():
    # PMI, PMBOK Guide 6th ed., Figure 11-16 (decision tree): build a new plant
    # ($120M) or upgrade ($50M); demand strong 60% / weak 40%. Net outcomes:
    # build +80 / -30 -> EMV $36M; upgrade +70 / +10 -> EMV $46M (the better choice).
    build = pd.DataFrame({"probability": [0.6, 0.4], "impact": [80, -30]}, index=["strong", "weak"])
    upgrade = pd.DataFrame({"probability": [0.6, 0.4], "impact": [70, 10]}, index=["strong", "weak"])
    assert expected_monetary_value(build) == pytest.approx(36)
    assert expected_monetary_value(upgrade) == pytest.approx(46)
    # The same build branch written as a certain investment plus gross revenues.
    gross = pd.DataFrame({"probability": [1.0, 0.6, 0.4], "impact": [-120, 200, 90]})
    assert expected_monetary_value(gross) == pytest.approx(36)


def test_wideman_aggressive_versus_conservative_schedule():
    # R. Max Wideman, maxwideman.com, expected-value slide (issacons1/iac1112e):
    # aggressive schedule .20 x +$100,000 and .80 x -$20,000 -> EV $4,000;
    # conservative .30 x -$20,000 and .70 x +$10,000 -> EV $1,000.
    aggressive = pd.DataFrame({"probability": [0.2, 0.8], "impact": [100_000, -20_000]})
    conservative = pd.DataFrame({"probability": [0.3, 0.7], "impact": [-20_000, 10_000]})
    assert expected_monetary_value(aggressive) == pytest.approx(4_000)
    assert expected_monetary_value(conservative) == pytest.approx(1_000)
    summary = risk_register_summary(aggressive)
    assert list(summary["emv"]) == pytest.approx([20_000, -16_000])


# ----------------------------------------------------------------------- contingency


def test_contingency_matches_exact_distribution_of_tenstep_register():
    # All 2^6 combinations of the TenStep risks give the exact total-cost distribution:
    # P(total <= 48,000) = .7885 and P(total <= 50,000) = .8294, so P80 = $50,000,
    # well above the $33,500 EMV (the article warns risk D alone costs $40,000).
    dist = exact_total_distribution(TENSTEP)
    assert sum(dist.values()) == pytest.approx(1.0)
    assert sum(t * p for t, p in dist.items()) == pytest.approx(33_500)  # EMV = mean
    for level in (50, 80):
        exact, gap_below, gap_above = exact_quantile(dist, level / 100)
        # The CDF jumps well past the level on both sides: far beyond sampling noise.
        assert min(gap_below, gap_above) > 0.01
        assert contingency(TENSTEP, n=100_000, seed=1, percentile=level) == exact
    assert exact_quantile(dist, 0.8)[0] == 50_000
    assert contingency(TENSTEP, n=100_000, seed=1) > expected_monetary_value(TENSTEP)


def test_single_unlikely_risk_contingency_differs_from_emv():
    # One 10% chance of losing 100,000: EMV is 10,000 (never an actual outcome);
    # the total is 0 with probability .9, so P80 is 0 and P95 is 100,000.
    lone = pd.DataFrame({"probability": [0.1], "impact": [100_000]}, index=["key supplier fails"])
    assert expected_monetary_value(lone) == pytest.approx(10_000)
    assert contingency(lone, percentile=80) == 0.0
    assert contingency(lone, percentile=95) == 100_000.0


def test_certain_and_impossible_risks():
    register = pd.DataFrame({"probability": [1.0, 0.0, 1], "impact": [5_000, 1e9, 250]})
    for level in (0, 50, 80, 100):
        assert contingency(register, n=200, percentile=level) == 5_250.0
    assert expected_monetary_value(register) == 5_250.0


def test_contingency_same_seed_same_answer_and_monotone_in_percentile():
    first = [contingency(TENSTEP, n=5_000, seed=7, percentile=q) for q in (0, 10, 50, 80, 90, 99, 100)]
    again = [contingency(TENSTEP, n=5_000, seed=7, percentile=q) for q in (0, 10, 50, 80, 90, 99, 100)]
    assert first == again
    assert all(a <= b for a, b in zip(first, first[1:]))
    assert 0 <= first[0] and first[-1] <= TENSTEP["impact"].sum()
    assert isinstance(first[3], float)


def test_contingency_of_empty_register_is_zero():
    empty = pd.DataFrame({"probability": [], "impact": []})
    assert contingency(empty) == 0.0
    assert expected_monetary_value(empty) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.floats(min_value=-1e5, max_value=1e6)),
        min_size=1,
        max_size=8,
    )
)
def test_emv_equals_mean_of_exact_distribution(rows):
    register = pd.DataFrame(rows, columns=["probability", "impact"])
    dist = exact_total_distribution(register)
    exact_mean = math.fsum(t * p for t, p in dist.items())
    assert expected_monetary_value(register) == pytest.approx(exact_mean, rel=1e-9, abs=1e-6)
    summary = risk_register_summary(register)
    assert list(summary["emv"]) == sorted(summary["emv"], reverse=True)
    assert summary["emv"].sum() == pytest.approx(expected_monetary_value(register), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (1.5, "Risk 'scope creep' has probability 1.5, outside 0 to 1"),
        (-0.1, "Risk 'scope creep' has probability -0.1, outside 0 to 1"),
        (25, "Risk 'scope creep' has probability 25, outside 0 to 1 \\(write 25% as 0.25\\)"),
        ("high", "Risk 'scope creep' has probability 'high', which is not a number"),
        (math.nan, "Risk 'scope creep' has probability nan, which is not a number"),
        (None, "Risk 'scope creep' has probability None, which is not a number"),
        (True, "Risk 'scope creep' has probability True, which is not a number"),
    ],
)
@pytest.mark.parametrize("function", [expected_monetary_value, risk_register_summary, contingency])
def test_bad_probability_names_the_row_and_value(function, bad, fragment):
    labels = ["late delivery", "scope creep"]
    register = pd.DataFrame(
        {"probability": pd.Series([0.2, bad], index=labels, dtype=object), "impact": [1_000, 2_000]},
        index=labels,
    )
    with pytest.raises(ValueError, match=fragment):
        function(register)


def test_bad_impact_names_the_row():
    labels = ["R1", "R2"]
    register = pd.DataFrame(
        {"probability": [0.2, 0.3], "impact": pd.Series([1_000, "lots"], index=labels, dtype=object)},
        index=labels,
    )
    with pytest.raises(ValueError, match="Risk 'R2' has impact 'lots'"):
        expected_monetary_value(register)


def test_default_integer_index_is_named_too():
    register = pd.DataFrame({"probability": [0.2, 0.3, 2.0], "impact": [1, 2, 3]})
    with pytest.raises(ValueError, match="Risk 2 has probability 2.0"):
        expected_monetary_value(register)


@pytest.mark.parametrize(
    ("columns", "named"),
    [(["impact"], "'probability'"), (["probability"], "'impact'"), (["chance", "cost"], "'probability', 'impact'")],
)
def test_missing_columns_are_named(columns, named):
    register = pd.DataFrame({c: [0.5] for c in columns})
    with pytest.raises(ValueError, match=named):
        expected_monetary_value(register)


def test_contingency_rejects_bad_settings():
    with pytest.raises(ValueError, match="percentile must be a number from 0 to 100, not 120"):
        contingency(TENSTEP, percentile=120)
    for n in (0, -1, 10.5):
        with pytest.raises(ValueError, match="n \\(the number of simulations\\)"):
            contingency(TENSTEP, n=n)
    with pytest.raises(TypeError):
        expected_monetary_value([(0.5, 100)])


# ------------------------------------------------------------------------- doctests


def test_docstring_examples_run():
    result = doctest.testmod(risk, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5
    assert result.failed == 0


def test_exact_helpers_on_a_coin_flip():
    # Guard the independent enumeration helpers: one 50% risk of 10 -> {0: .5, 10: .5}.
    dist = exact_total_distribution(pd.DataFrame({"probability": [0.5], "impact": [10]}))
    assert dist == {0.0: 0.5, 10.0: 0.5}
    assert exact_quantile(dist, 0.5)[0] == 0.0 and exact_quantile(dist, 0.51)[0] == 10.0
    assert np.isclose(sum(dist.values()), 1.0)
