"""ssup.workforce: the call forecast, checking a rota, what-if scenarios and the staffing chart."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ssup import staffing, workforce  # noqa: E402
from ssup.data import load  # noqa: E402


def hourly(start, end, calls_at):
    """One row per weekday hour 08:00-17:00 from start to end (inclusive); calls_at(timestamp) gives the calls."""
    days = pd.bdate_range(start, end)
    times = [day + pd.Timedelta(hours=h) for day in days for h in range(8, 18)]
    return pd.DataFrame({"interval_start": times, "calls_offered": [calls_at(t) for t in times]})


def test_weekly_profile_is_the_mean_per_weekday_and_hour():
    table = hourly("2026-06-01", "2026-06-12", lambda t: t.hour + (10 if t.day_of_week == 0 else 0))
    profile = workforce.weekly_profile(table)
    assert profile.index.tolist() == list(workforce.WEEKDAYS)
    assert profile.columns.tolist() == list(range(8, 18))
    assert profile.loc["Mon", 9] == 19 and profile.loc["Tue", 9] == 9


def test_holidays_are_left_out_of_the_profile():
    # 2026-06-08 is a Monday with hardly any calls: a bank holiday, not an ordinary Monday.
    table = hourly("2026-06-01", "2026-06-26", lambda t: 1 if t.date() == pd.Timestamp("2026-06-08").date() else 10)
    assert workforce.weekly_profile(table).loc["Mon"].eq(10).all()
    assert workforce.daily_calls(table).min() == 10


def test_weekly_profile_window_and_missing_columns():
    table = hourly("2026-06-01", "2026-06-12", lambda t: 5 if t.day < 8 else 7)
    assert workforce.weekly_profile(table, start="2026-06-08").loc["Mon", 8] == 7
    assert workforce.weekly_profile(table, end="2026-06-08").loc["Mon", 8] == 5
    with pytest.raises(ValueError, match="no column 'calls'"):
        workforce.weekly_profile(table, value="calls")
    with pytest.raises(ValueError, match="no weekday calls"):
        workforce.weekly_profile(table, start="2027-01-01")


def two_years(growth=0.25):
    """Two years of calls: 5 an hour in the first year, 5 x (1 + growth) in the second; Mondays busier."""
    def calls(t):
        year_two = t >= pd.Timestamp("2025-07-01")
        base = 5 * (1 + growth) if year_two else 5
        return base * (2 if t.day_of_week == 0 else 1)
    return hourly("2024-07-01", "2026-06-30", calls)


def test_year_on_year_growth():
    assert workforce.year_on_year_growth(two_years(0.25)) == pytest.approx(0.25, abs=0.01)
    with pytest.raises(ValueError, match="two full years"):
        workforce.year_on_year_growth(hourly("2025-07-01", "2026-06-30", lambda t: 1))


def test_forecast_is_last_years_month_grown_in_the_recent_shape():
    table = two_years(0.25)
    forecast = workforce.forecast_month(table, "2026-07", growth=0.10)
    assert len(forecast) == 50 and forecast.index[0] == "Mon 08:00"
    assert forecast.columns.tolist() == ["weekday", "hour", "calls"]
    july_2025 = table[(table.interval_start >= "2025-07-01") & (table.interval_start < "2025-08-01")]
    level = july_2025.groupby(july_2025.interval_start.dt.normalize()).calls_offered.sum().mean() * 1.10
    assert forecast.calls.sum() == pytest.approx(5 * level)
    assert forecast.loc["Mon 10:00", "calls"] == pytest.approx(2 * forecast.loc["Tue 10:00", "calls"])


def test_forecast_uses_the_growth_of_the_data_by_default_and_needs_last_years_month():
    table = two_years(0.25)
    grown = workforce.forecast_month(table, "2026-07")
    flat = workforce.forecast_month(table, "2026-07", growth=0.0)
    assert grown.calls.sum() / flat.calls.sum() == pytest.approx(1 + workforce.year_on_year_growth(table))
    with pytest.raises(ValueError, match="no data for 2023-07"):
        workforce.forecast_month(table, "2024-07")


def test_monthly_calls_is_per_ordinary_day():
    monthly = workforce.monthly_calls(two_years(0.0))
    assert str(monthly.index[0]) == "2024-07" and len(monthly) == 24
    assert monthly.between(55, 65).all()  # 50 a day, 100 on Mondays: one day in five


def test_check_plan_agrees_with_erlang_c_in_every_interval():
    forecast = pd.DataFrame({"calls": [6.0, 12.0, 20.0]}, index=["Mon 08:00", "Mon 09:00", "Mon 10:00"])
    checked = workforce.check_plan(forecast, [2, 2, 3], aht_seconds=330)
    for (label, row), n in zip(checked.iterrows(), [2, 2, 3]):
        assert row.service_level == pytest.approx(staffing.service_level(row.calls, 330, n, 20))
    assert checked["meets"].tolist() == [row.service_level >= 0.8 for row in checked.itertuples()]
    plan = staffing.staffing_plan(forecast, 330, 20, 0.8)
    assert workforce.check_plan(forecast, plan, 330)["meets"].all()
    assert workforce.check_plan(forecast, plan.agents.iloc[::-1], 330)["agents"].tolist() == plan.agents.tolist()


def test_check_plan_refuses_bad_agents():
    forecast = pd.DataFrame({"calls": [6.0, 12.0]}, index=["Mon 08:00", "Mon 09:00"])
    with pytest.raises(ValueError, match="2 intervals"):
        workforce.check_plan(forecast, [2, 2, 2], 300)
    with pytest.raises(ValueError, match="whole numbers"):
        workforce.check_plan(forecast, [2, 1.5], 300)
    with pytest.raises(ValueError, match="Mon 09:00"):
        workforce.check_plan(forecast, pd.Series([2], index=["Mon 08:00"]), 300)


def test_staffing_scenarios_match_the_staffing_plan():
    forecast = pd.DataFrame({"calls": [6.0, 12.0, 20.0]})
    table = workforce.staffing_scenarios(
        forecast, {"base": {}, "busy": {"volume": 1.5}, "strict": {"service_level_target": 0.9},
                   "short": {"aht_seconds": 200}}, aht_seconds=330, shrinkage=0.3)
    base = staffing.staffing_plan(forecast, 330, 20, 0.8, shrinkage=0.3)
    assert table.loc["base", "agent_hours"] == base.agents.sum()
    assert table.loc["base", "scheduled_hours"] == base.scheduled.sum()
    assert table.loc["base", "weekly_cost_gbp"] == base.scheduled.sum() * workforce.AGENT_COST_PER_HOUR_GBP
    assert table.loc["base", "occupancy"] == pytest.approx(38 * 330 / 3600 / base.agents.sum())
    assert table.loc["busy", "calls"] == 57.0
    assert table.loc["strict", "agent_hours"] >= table.loc["base", "agent_hours"] >= table.loc["short", "agent_hours"]
    with pytest.raises(ValueError, match="may change"):
        workforce.staffing_scenarios(forecast, {"odd": {"weather": 1}}, aht_seconds=300)


def test_plot_staffing_draws_agents_workload_and_rota():
    forecast = workforce.forecast_month(load("phone_calls"), "2026-07")
    plan = staffing.staffing_plan(forecast, 330, 20, 0.8)
    ax = workforce.plot_staffing(plan, 330, rota=[2] * len(plan))
    assert ax.get_ylabel() == "Agents" and "hour" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == list(workforce.WEEKDAYS)
    assert len(ax.patches) == len(plan) and len(ax.get_legend().get_texts()) == 3
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="'agents'"):
        workforce.plot_staffing(plan.drop(columns="agents"), 330)


def test_company_forecast_has_the_daily_peaks():
    forecast = workforce.forecast_month(load("phone_calls"), "2026-07")
    by_hour = forecast.groupby("hour").calls.mean()
    assert by_hour.idxmax() == 10 and by_hour[15] > by_hour[13]
    assert forecast.groupby("weekday").calls.sum().idxmin() == "Fri"
