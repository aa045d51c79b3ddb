"""ssup.performance: the metrics catalogue, the dashboard, weekly series and the before/after comparison."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ssup import performance
from ssup.performance import SALES_SUPPORT_METRICS, Metric


def by_name(name):
    return next(m for m in SALES_SUPPORT_METRICS if m.name == name)


def test_catalogue_has_definition_formula_owner_target_for_every_metric():
    table = performance.catalogue()
    assert table.index.is_unique and len(table) == len(SALES_SUPPORT_METRICS) >= 6
    for column in ("definition", "formula", "owner", "target", "direction", "unit"):
        assert table[column].notna().all() and (table[column].astype(str).str.len() > 0).all(), column
    with pytest.raises(ValueError, match="direction"):
        Metric("x", "d", "f", "o", 1.0, "up", "%", "t", "c", len)


def tickets():
    return pd.DataFrame({
        "created_at": pd.to_datetime(["2026-04-06 09:00", "2026-04-07 10:00", "2026-04-14 11:00", "2026-04-15 12:00",
                                      "2026-03-30 09:00"]),
        "resolved_at": pd.to_datetime(["2026-04-06 12:00", "2026-04-08 10:00", "2026-04-14 15:00", None,
                                       "2026-03-30 12:00"]),
        "escalated": [True, False, False, False, True], "reopened": [False, True, False, False, False],
        "csat": pd.array([5, 2, 4, None, 1], dtype="Int64")})


def test_measure_counts_records_in_the_half_open_period():
    t = {"tickets": tickets()}
    assert performance.measure(by_name("escalation_pct"), t, "2026-04-06", "2026-04-20") == 25.0
    assert performance.measure(by_name("csat_pct"), t, "2026-04-06", "2026-04-20") == pytest.approx(200 / 3)
    assert math.isnan(performance.measure(by_name("csat_pct"), t, "2026-05-01", "2026-06-01"))
    with pytest.raises(ValueError, match="needs the table"):
        performance.measure(by_name("bid_win_pct"), t, "2026-04-06", "2026-04-20")


def test_weekly_gives_one_value_per_monday():
    series = performance.weekly(by_name("escalation_pct"), {"tickets": tickets()}, "2026-03-30", "2026-04-20")
    assert series.index.tolist() == list(pd.to_datetime(["2026-03-30", "2026-04-06", "2026-04-13"]))
    assert series.tolist() == [100.0, 50.0, 0.0]


def test_dashboard_status_gap_and_last_period():
    t = {"tickets": tickets()}
    metrics_ = [by_name("escalation_pct"), by_name("reopen_pct")]
    board = performance.dashboard(t, "2026-04-06", "2026-04-20", metrics_)
    assert board.loc["escalation_pct", "value"] == 25.0 and board.loc["escalation_pct", "gap"] == -5.0
    assert board.loc["escalation_pct", "status"] == "off target"  # 25% against a 20% ceiling
    assert board.loc["escalation_pct", "last_period"] == 100.0  # 2026-03-23 to 2026-04-06
    assert board.loc["reopen_pct", "status"] == "off target" and board.loc["reopen_pct", "owner"]


def test_advice_metrics_use_the_rubric():
    reviews = pd.DataFrame({"record_week": pd.to_datetime(["2026-04-06"] * 4),
                            "accurate": [1, 0, 1, 1], "fits_need": [1, 1, 1, 1], "complete": [1, 1, 0, 1],
                            "next_steps": [1, 1, 1, 0], "recorded": [1, 1, 1, 1]})
    t = {"advice_reviews": reviews}
    assert performance.measure(by_name("advice_pass_pct"), t, "2026-04-01", "2026-05-01") == 50.0
    assert performance.measure(by_name("critical_advice_miss_pct"), t, "2026-04-01", "2026-05-01") == 25.0


def test_compare_rates_agrees_with_a_chi_square_test():
    r = performance.compare_rates(30, 200, 12, 200)
    assert (r.before, r.after, r.change) == pytest.approx((15.0, 6.0, -9.0))
    table = np.array([[30, 170], [12, 188]])
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    assert r.p_value == pytest.approx(p, rel=1e-9)
    se = math.sqrt(0.15 * 0.85 / 200 + 0.06 * 0.94 / 200)
    assert (r.low, r.high) == pytest.approx((100 * (-0.09 - 1.959964 * se), 100 * (-0.09 + 1.959964 * se)), abs=1e-4)
    assert performance.compare_rates(5, 50, 5, 50).p_value == pytest.approx(1.0)
    with pytest.raises(ValueError):
        performance.compare_rates(60, 50, 5, 50)
