"""Tests for ssup.metrics against published worked examples.

Expected values come from the cited sources, or from arithmetic written out
in the comments; none is produced by the code under test.
"""

import doctest
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ssup import metrics  # noqa: E402
from ssup.metrics import XmRLimits, control_chart, csat, mape, nps, xmr_limits, xmr_signals  # noqa: E402


def test_docstring_examples_run():
    result = doctest.testmod(metrics)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------- CSAT


def test_csat_delighted_worked_example():
    # Delighted Help Center, "How is CSAT calculated?"
    # (help.delighted.com/article/240-how-is-csat-calculated), worked example:
    # 42 fives, 32 fours, 10 threes, 9 twos, 14 ones -> "(74 / 107) x 100 = 69.16".
    scores = [5] * 42 + [4] * 32 + [3] * 10 + [2] * 9 + [1] * 14
    assert csat(scores) == pytest.approx(69.16, abs=0.005)


def test_csat_intercom_worked_example():
    # Intercom VOC Metrics help, "What is CSAT and how is CSAT score calculated":
    # 10 x 5, 20 x 4, 10 x 3, 5 x 2, 5 x 1 -> "CSAT = (10 + 20) / 50 * 100 = 60%".
    scores = [5] * 10 + [4] * 20 + [3] * 10 + [2] * 5 + [1] * 5
    assert csat(scores) == 60.0


@pytest.mark.parametrize("score, expected", [(1, 0.0), (2, 0.0), (3, 0.0), (4, 100.0), (5, 100.0)])
def test_csat_only_4_and_5_count_as_satisfied(score, expected):
    assert csat([score]) == expected


@pytest.mark.parametrize(
    "make",
    [list, tuple, np.array, pd.Series, lambda v: pd.Series(v, dtype="Int64"), lambda v: np.array(v, dtype=float)],
)
def test_csat_accepts_every_container(make):
    assert csat(make([5, 4, 3, 1])) == 50.0


def test_csat_drops_missing_answers():
    # 2 of the 3 real answers are 4 or 5: the blanks are not responses.
    assert csat([5, float("nan"), 4, None, 1]) == pytest.approx(200 / 3)
    assert csat(pd.Series([5, None, 1], dtype="Int64")) == 50.0
    assert csat(np.array([5.0, np.nan])) == 100.0


# ---------------------------------------------------------------- NPS


def test_nps_sightmill_worked_example():
    # SightMill help centre, "Could you give me a quick and clear summary of how
    # to calculate NPS?": scores 3, 4, 5, 6, 8, 8, 8, 9, 10, 10 -> four detractors
    # (40%), three promoters (30%) -> "the day's NPS = -10".
    assert nps([3, 4, 5, 6, 8, 8, 8, 9, 10, 10]) == -10.0


def test_nps_percentages_example():
    # DELA annual report 2018, glossary "Net Promotor Score": "if research shows
    # that 30% of the responders is a promotor and 20% is a detractor, the NPS is
    # +10". Ten answers with exactly those shares: 3 promoters, 2 detractors.
    assert nps([9, 10, 10, 7, 7, 8, 8, 8, 0, 6]) == 10.0


@pytest.mark.parametrize(
    "score, expected",
    # Bain & Company / NICE Satmetrix definition (netpromoter.com, "How to
    # calculate your score"): promoters 9-10, passives 7-8, detractors 0-6.
    [(0, -100.0), (6, -100.0), (7, 0.0), (8, 0.0), (9, 100.0), (10, 100.0)],
)
def test_nps_categories(score, expected):
    assert nps([score]) == expected


def test_nps_drops_missing_and_accepts_series():
    assert nps(pd.Series([10, np.nan, 0, 9])) == pytest.approx(100 / 3)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
@settings(max_examples=50, deadline=None)
def test_nps_is_promoter_share_minus_detractor_share(scores):
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert nps(scores) == pytest.approx(100 * (promoters - detractors) / len(scores))
    assert -100 <= nps(scores) <= 100


# ---------------------------------------------------------------- MAPE


def test_mape_heizer_render_port_of_baltimore():
    # Heizer & Render, Operations Management, ch. 4 (Forecasting), Port of
    # Baltimore exponential smoothing example with alpha = 0.10: tonnage
    # unloaded vs forecast; the absolute percent errors sum to 44.75%, so
    # "MAPE = 44.75% / 8 = 5.59%".
    actual = [180, 168, 159, 175, 190, 205, 180, 182]
    forecast = [175.00, 175.50, 174.75, 173.18, 173.36, 175.02, 178.02, 178.22]
    assert mape(actual, forecast) == pytest.approx(5.59, abs=0.005)


def test_mape_constant_forecast_textbook_table():
    # Transtutors, "Mean Absolute Measure" (operations management, forecasting),
    # Table 4.1: demand 150, 160, 165, 175, 180 with a forecast of 165 every period,
    # "MAPE = (27.165) / 5 = 5.433%" (percent errors rounded to 3 decimals there;
    # exactly (10 + 3.125 + 0 + 5.714 + 8.333) / 5 = 5.4345).
    assert mape([150, 160, 165, 175, 180], [165] * 5) == pytest.approx(5.433, abs=0.002)


def test_mape_divides_by_the_actual():
    # |100 - 50| / 100 = 50%;  |50 - 100| / 50 = 100%.
    assert mape([100], [50]) == 50.0
    assert mape([50], [100]) == 100.0
    assert mape([-100], [-110]) == pytest.approx(10.0)  # |actual| in the denominator


def test_mape_accepts_series_and_arrays():
    assert mape(pd.Series([100.0, 200.0]), np.array([90, 220])) == pytest.approx(10.0)


# ---------------------------------------------------------------- XmR


def test_xmr_limits_use_wheeler_constants_on_a_small_worked_set():
    # Wheeler, Understanding Variation (SPC Press), XmR chart formulas: natural
    # process limits = average +/- 2.66 x average moving range; upper range
    # limit = 3.27 x average moving range (3.267 unrounded, the D4 constant for
    # n = 2 as in the Wikipedia article "Shewhart individuals control chart").
    # Worked by hand: values 39, 41, 40, 44, 36
    #   average = 200 / 5 = 40
    #   moving ranges 2, 1, 4, 8 -> average moving range = 15 / 4 = 3.75
    #   UNPL = 40 + 2.66 x 3.75 = 49.975, LNPL = 30.025, URL = 3.267 x 3.75 = 12.25125
    limits = xmr_limits([39, 41, 40, 44, 36])
    assert isinstance(limits, XmRLimits)
    assert limits.centre == pytest.approx(40.0)
    assert limits.ucl == pytest.approx(49.975)
    assert limits.lcl == pytest.approx(30.025)
    assert limits.mr_ucl == pytest.approx(12.25125)


def test_xmr_limits_sas_jet_engine_data():
    # SAS/QC User's Guide, SHEWHART procedure, "Creating Individual Measurements
    # and Moving Range Charts": inner diameters of 20 jet engines (data set JETS).
    diam = [78.4, 80.1, 84.4, 79.1, 80.4, 83.5, 73.8, 83.5, 75.0, 76.8,
            70.5, 80.3, 82.4, 79.4, 86.4, 90.5, 77.7, 82.5, 79.9, 83.2]
    # Hand arithmetic: sum = 1607.8 -> average 80.39; the 19 moving ranges
    # 1.7 4.3 5.3 1.3 3.1 9.7 9.7 8.5 1.8 6.3 9.8 2.1 3.0 7.0 4.1 12.8 4.8 2.6 3.3
    # sum to 101.2 -> average moving range 101.2 / 19 = 5.3263.
    mr_bar = 101.2 / 19
    limits = xmr_limits(diam)
    assert limits.centre == pytest.approx(80.39)
    assert limits.ucl == pytest.approx(80.39 + 2.66 * mr_bar)
    assert limits.lcl == pytest.approx(80.39 - 2.66 * mr_bar)
    assert limits.mr_ucl == pytest.approx(3.267 * mr_bar)


def test_xmr_signals_rule_one_point_outside_limits():
    # 10, 11, 10, 11, 10, 11, 10, 30: average 103 / 8 = 12.875; moving ranges
    # 1 x 6 and 20 -> 26 / 7 = 3.714; UNPL = 12.875 + 2.66 x 3.714 = 22.755,
    # LNPL = 2.995. Only the last point (30) is outside.
    table = xmr_signals([10, 11, 10, 11, 10, 11, 10, 30])
    assert list(table.columns) == ["value", "moving_range", "out_of_limits", "run_of_eight"]
    assert table["out_of_limits"].tolist() == [False] * 7 + [True]
    assert table["out_of_limits"].dtype == bool and table["run_of_eight"].dtype == bool
    assert math.isnan(table["moving_range"].iloc[0])
    assert table["moving_range"].iloc[1:].tolist() == [1, 1, 1, 1, 1, 1, 20]


def test_xmr_signals_rule_one_point_below_the_lower_limit():
    # Mirror image: 20, 19, 20, 19, 20, 19, 20, 0: average 137 / 8 = 17.125;
    # average moving range 26 / 7 = 3.714; LNPL = 17.125 - 9.88 = 7.245. The 0 is below.
    table = xmr_signals([20, 19, 20, 19, 20, 19, 20, 0])
    assert table["out_of_limits"].tolist() == [False] * 7 + [True]


def test_xmr_signals_run_of_eight_on_one_side():
    # 11, 12 x 4 pairs (8 values), then 8, 9, 8, 9, 8, 9, 8 (7 values), then 12:
    # average = (92 + 59 + 12) / 16 = 10.1875. The first 8 are all above it (a run
    # of eight: a signal); the next 7 are below (a run of seven: no signal).
    values = [11, 12] * 4 + [8, 9, 8, 9, 8, 9, 8] + [12]
    flags = xmr_signals(values)["run_of_eight"].tolist()
    assert flags == [True] * 8 + [False] * 8


def test_xmr_signals_value_on_centre_line_breaks_a_run():
    # 12 x 4, 10, 12 x 4, 8 x 8: average = (96 + 10 + 64) / 17 = 10 exactly.
    # The 10 sits on the centre line, so the 12s form two runs of four; the
    # eight 8s form a run of eight below.
    values = [12] * 4 + [10] + [12] * 4 + [8] * 8
    flags = xmr_signals(values)["run_of_eight"].tolist()
    assert flags == [False] * 9 + [True] * 8


def test_xmr_signals_keeps_a_series_index():
    index = pd.date_range("2025-01-06", periods=5, freq="W-MON", name="week")
    table = xmr_signals(pd.Series([39, 41, 40, 44, 36], index=index))
    assert table.index.equals(index)
    assert table["value"].tolist() == [39, 41, 40, 44, 36]


# ---------------------------------------------------------------- chart


@pytest.fixture
def no_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("control_chart must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def test_control_chart_draws_limits_and_marks_outliers_in_red(no_show):
    values = [10, 11, 10, 11, 10, 11, 10, 30]  # limits worked out above
    ax = control_chart(values, title="Weekly orders", ylabel="orders")
    assert ax.get_title() == "Weekly orders"
    assert ax.get_ylabel() == "orders"
    assert ax.get_xlabel() != ""
    horizontal = sorted(
        line.get_ydata()[0] for line in ax.lines if len(set(np.asarray(line.get_ydata(), dtype=float))) == 1
    )
    assert horizontal == pytest.approx([2.995, 12.875, 22.755], abs=0.001)
    red = [c for c in ax.collections if np.allclose(c.get_facecolor()[0][:3], (1.0, 0.0, 0.0))]
    assert len(red) == 1
    assert red[0].get_offsets().tolist() == [[7.0, 30.0]]


def test_control_chart_uses_given_axes_and_has_no_red_points_when_in_control(no_show):
    fig, ax = plt.subplots()
    assert control_chart([39, 41, 40, 44, 36], ax=ax) is ax
    assert ax.get_ylabel() == "Value"
    assert len(ax.collections) == 0


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "func, scores, pattern",
    [
        (csat, [5, 6], r"got 6 at position 1"),
        (csat, [0], r"got 0 at position 0"),
        (csat, [4.5], r"got 4\.5"),
        (csat, [5, "5"], r"'5' at position 1 is not a number"),
        (csat, [True], r"True at position 0 is not a number"),
        (csat, [float("inf")], r"inf"),
        (nps, [11], r"got 11"),
        (nps, [-1], r"got -1"),
        (nps, [7.5], r"got 7\.5"),
        (nps, ["ten"], r"'ten'"),
    ],
)
def test_bad_scores_name_the_bad_value(func, scores, pattern):
    with pytest.raises(ValueError, match=pattern):
        func(scores)


@pytest.mark.parametrize("func, name", [(csat, "CSAT"), (nps, "NPS")])
@pytest.mark.parametrize("scores", [[], [float("nan"), None], pd.Series([], dtype=float)])
def test_no_scores_is_a_plain_error(func, name, scores):
    with pytest.raises(ValueError, match=rf"There are no {name} scores"):
        func(scores)


@pytest.mark.parametrize(
    "bad, pattern",
    [("4455", r"scores must be a list.*not str"), (5, r"not int"), (np.array([[5, 4], [3, 2]]), r"one-dimensional")],
)
def test_scores_must_be_a_single_column(bad, pattern):
    with pytest.raises(ValueError, match=pattern):
        csat(bad)


@pytest.mark.parametrize(
    "actual, estimate, pattern",
    [
        ([100, 50, 0], [90, 40, 5], r"actual is 0 at position 2"),
        ([1, 2, 3], [1, 2, 3, 4], r"actual has 3 values but estimate has 4"),
        ([], [], r"empty"),
        ([100, float("nan")], [90, 80], r"actual has a missing value \(NaN\) at position 1"),
        ([100, 200], [90, None], r"estimate has a missing value \(NaN\) at position 1"),
        ([100, "200"], [90, 80], r"actual.*'200' at position 1 is not a number"),
    ],
)
def test_mape_errors_name_the_problem(actual, estimate, pattern):
    with pytest.raises(ValueError, match=pattern):
        mape(actual, estimate)


@pytest.mark.parametrize("func", [xmr_limits, xmr_signals, control_chart])
@pytest.mark.parametrize(
    "values, pattern",
    [
        ([5], r"at least 2 values.*got 1"),
        ([], r"at least 2 values.*got 0"),
        ([1, float("nan"), 3], r"missing value \(NaN\) at position 1"),
        ([1, "x", 3], r"'x' at position 1 is not a number"),
    ],
)
def test_xmr_errors_name_the_problem(func, values, pattern, no_show):
    with pytest.raises(ValueError, match=pattern):
        func(values)
