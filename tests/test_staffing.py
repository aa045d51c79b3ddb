"""Tests for ssup.staffing (Erlang C) against published worked examples.

Independent oracle: ``exact_erlang_c`` below evaluates the textbook formula
as printed in the Call Centre Helper article, P(wait) = X / (X + Y) with
X = A^N / N! x N / (N - A) and Y = sum_{i<N} A^i / i!, in exact rational
arithmetic (Python integers and fractions). The code under test uses the
Erlang B recursion instead, so the two share no code and no method.
"""

import doctest
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssup import staffing
from ssup.staffing import ErlangC, agents_needed, erlang_c, scheduled_agents, service_level, staffing_plan


def exact_erlang_c(traffic: Fraction, agents: int) -> Fraction:
    a, n = Fraction(traffic), agents
    x = a**n / math.factorial(n) * Fraction(n) / (n - a)
    y = sum(a**i / math.factorial(i) for i in range(n))
    return x / (x + y)


def exact_service_level(traffic, agents, target, aht):
    c = float(exact_erlang_c(traffic, agents))
    return 1 - c * math.exp(-(agents - float(traffic)) * target / aht)


def test_docstring_examples_run():
    result = doctest.testmod(staffing)
    assert result.attempted > 0
    assert result.failed == 0


# ------------------------------------------------ Call Centre Helper worked example
# Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example"
# (callcentrehelper.com). Inputs: 100 calls in 30 minutes, average handling time
# 180 s, service level 80% within a 20 s target answer time, maximum occupancy
# 85%, shrinkage 30%. Stated results: traffic intensity 10 Erlangs; with 14 agents
# P(wait) = 0.1741, service level 88.8%, ASA 7.8 seconds, 82.6% of calls answered
# immediately, occupancy 71.4%; with 30% shrinkage "14 / 0.7 = 20" agents.

CCH = dict(calls=100, aht_seconds=180, interval_seconds=1800)


def test_cch_traffic_is_10_erlangs():
    assert erlang_c(agents=14, **CCH).traffic == pytest.approx(10.0)


def test_cch_14_agents():
    result = erlang_c(agents=14, **CCH)
    assert isinstance(result, ErlangC)
    assert result.probability_of_waiting == pytest.approx(0.1741, abs=5e-5)
    assert 1 - result.probability_of_waiting == pytest.approx(0.826, abs=5e-4)  # answered immediately
    assert result.occupancy == pytest.approx(0.714, abs=5e-4)
    assert result.asa_seconds == pytest.approx(7.8, abs=0.05)
    assert service_level(agents=14, target_answer_seconds=20, **CCH) == pytest.approx(0.888, abs=5e-4)


def test_cch_14_agents_needed_and_20_scheduled():
    n = agents_needed(target_answer_seconds=20, service_level_target=0.8, max_occupancy=0.85, **CCH)
    assert n == 14
    assert scheduled_agents(n, 0.3) == 20


def test_cch_13_agents_fall_short():
    # Independently: exact Erlang C for A = 10, N = 13 gives SL(20 s) = 0.7956 < 0.8.
    assert exact_service_level(10, 13, 20, 180) < 0.8
    assert service_level(agents=13, target_answer_seconds=20, **CCH) == pytest.approx(
        exact_service_level(10, 13, 20, 180), rel=1e-12
    )


# ------------------------------------------------ other published examples


def test_westbay_what_is_an_erlang():
    # Westbay Engineers (erlang.com), "What is an Erlang?": "if a group of user made
    # 30 calls in one hour, and each call had an average call duration of 5 minutes"
    # then 30 x 5 = 150 minutes = 2.5 hours of traffic -> "Traffic figure = 2.5 Erlangs".
    assert erlang_c(calls=30, aht_seconds=300, agents=3).traffic == pytest.approx(2.5)


def test_mitan_erlang_c_example_360_calls_per_half_hour():
    # Mitan Ltd (PhoneCalc), "The Erlang-C Formula": worked "example of 360 calls per
    # half hour, with an average call duration of 4 minutes, and 55 agents. The
    # target answer time for service level is 15 seconds." Traffic 0.2 calls/s x
    # 240 s = 48 Erlangs. Results checked against the exact oracle:
    # P(wait) = 0.2387, occupancy 48/55 = 0.8727, ASA = 0.2387 x 240 / 7 = 8.18 s,
    # service level at 15 s = 1 - 0.2387 e^(-7 x 15 / 240) = 0.8459.
    result = erlang_c(calls=360, aht_seconds=240, agents=55, interval_seconds=1800)
    exact = float(exact_erlang_c(48, 55))
    assert exact == pytest.approx(0.2387, abs=5e-5)
    assert result.traffic == pytest.approx(48.0)
    assert result.probability_of_waiting == pytest.approx(exact, rel=1e-12)
    assert result.occupancy == pytest.approx(48 / 55)
    assert result.asa_seconds == pytest.approx(exact * 240 / 7, rel=1e-12)
    sl = service_level(360, 240, 55, 15, interval_seconds=1800)
    assert sl == pytest.approx(1 - exact * math.exp(-7 * 15 / 240), rel=1e-12)
    assert sl == pytest.approx(0.8459, abs=5e-5)
    # 55 is the fewest agents for 80% in 15 s; at 20 s, 54 already give 81.7%.
    assert agents_needed(360, 240, 15, 0.8, interval_seconds=1800) == 55
    assert agents_needed(360, 240, 20, 0.8, interval_seconds=1800) == 54


@pytest.mark.parametrize("traffic, agents", [(0.5, 1), (2.5, 3), (2.5, 6), (10, 11), (48, 60), (90, 95)])
def test_matches_exact_formula(traffic, agents):
    result = erlang_c(calls=traffic * 10, aht_seconds=360, agents=agents)  # 360 s x calls / 3600 s
    assert result.probability_of_waiting == pytest.approx(float(exact_erlang_c(Fraction(traffic), agents)), rel=1e-12)


def test_single_agent_is_mm1():
    # With one agent Erlang C is the M/M/1 queue: P(wait) = utilisation rho and
    # ASA = rho / (1 - rho) x service time. 20 calls/h x 90 s = 0.5 Erlang.
    result = erlang_c(calls=20, aht_seconds=90, agents=1)
    assert result.probability_of_waiting == pytest.approx(0.5)
    assert result.asa_seconds == pytest.approx(0.5 / 0.5 * 90)


def test_large_centre_is_stable_and_exact():
    # 600 agents, 580 Erlangs: A^N and N! overflow floats, the recursion does not.
    traffic, agents = 580, 600
    result = erlang_c(calls=traffic * 12, aht_seconds=300, agents=agents)  # 12 calls/h x 300 s = 1 Erlang
    assert result.probability_of_waiting == pytest.approx(float(exact_erlang_c(traffic, agents)), rel=1e-9)
    assert 0 < result.probability_of_waiting < 1


def test_large_agents_needed_meets_target_and_one_fewer_does_not():
    n = agents_needed(calls=6000, aht_seconds=300, target_answer_seconds=20, service_level_target=0.9)
    assert n > 500
    assert exact_service_level(500, n, 20, 300) >= 0.9
    assert exact_service_level(500, n - 1, 20, 300) < 0.9


# ------------------------------------------------ edge cases


def test_unstable_queue():
    # 200 calls x 180 s / 3600 s = 10 Erlangs: 10 agents or fewer cannot keep up.
    for agents in (0, 5, 10):
        assert erlang_c(200, 180, agents) == ErlangC(10.0, 1.0, 1.0, math.inf)
        assert service_level(200, 180, agents, 20) == 0.0


def test_no_calls():
    assert erlang_c(0, 180, 3) == ErlangC(0.0, 0.0, 0.0, 0.0)
    assert service_level(0, 180, 0, 20) == 1.0
    assert agents_needed(0, 180, 20, 0.8) == 0


def test_target_answer_time_zero_means_answered_immediately():
    # SL(0 s) = 1 - C: the share answered without waiting.
    assert service_level(agents=14, target_answer_seconds=0, **CCH) == pytest.approx(
        1 - float(exact_erlang_c(10, 14)), rel=1e-12
    )


def test_max_occupancy_can_drive_the_answer():
    # 100 calls x 180 s / 3600 s = 5 Erlangs. A very loose service target is met
    # by 6 agents (occupancy 83%); capping occupancy at 70% needs ceil(5 / 0.7) = 8.
    assert agents_needed(100, 180, 60, 0.1) == 6
    assert agents_needed(100, 180, 60, 0.1, max_occupancy=0.7) == 8
    assert agents_needed(100, 180, 60, 0.1, max_occupancy=0.5) == 10  # exactly 50%: allowed


@pytest.mark.parametrize(
    "agents, shrinkage, expected",
    # ceil(agents / (1 - shrinkage)) worked by hand. In floating point 21 / (1 - 0.3)
    # is 30.000000000000004, 1 / (1 - 0.8) is 5.000000000000001 and 1 / (1 - 0.9)
    # is 10.000000000000002: a bare ceil() would add an agent nobody needs.
    [(14, 0.3, 20), (10, 0.0, 10), (0, 0.5, 0), (10, 0.35, 16), (7, 0.3, 10), (8, 0.2, 10), (9, 0.25, 12),
     (21, 0.3, 30), (1, 0.8, 5), (1, 0.9, 10)],
)
def test_scheduled_agents(agents, shrinkage, expected):
    assert scheduled_agents(agents, shrinkage) == expected


# ------------------------------------------------ properties


traffic_inputs = st.tuples(
    st.integers(1, 3000),  # calls
    st.integers(20, 900),  # aht_seconds
    st.sampled_from([900, 1800, 3600]),  # interval_seconds
)


@given(traffic_inputs, st.integers(0, 120))
@settings(max_examples=60, deadline=None)
def test_more_agents_less_waiting_and_better_service(inputs, target):
    calls, aht, interval = inputs
    a = calls * aht / interval
    n = math.floor(a) + 1
    p = [erlang_c(calls, aht, k, interval).probability_of_waiting for k in range(n, n + 6)]
    sl = [service_level(calls, aht, k, target, interval) for k in range(n, n + 6)]
    assert all(0 <= x <= 1 for x in p + sl)
    assert all(later < earlier for earlier, later in zip(p, p[1:]) if earlier > 1e-300)
    assert all(later >= earlier for earlier, later in zip(sl, sl[1:]))


small_traffic_inputs = st.tuples(
    st.integers(1, 400),  # calls
    st.integers(20, 600),  # aht_seconds
    st.sampled_from([1800, 3600]),  # interval_seconds: traffic stays below 134 Erlangs
)


@given(
    small_traffic_inputs,
    st.integers(0, 60),
    st.floats(0.5, 0.95),
    st.one_of(st.none(), st.floats(0.6, 0.95)),
)
@settings(max_examples=60, deadline=None)
def test_agents_needed_is_the_smallest_that_works(inputs, target, goal, max_occ):
    calls, aht, interval = inputs
    n = agents_needed(calls, aht, target, goal, interval, max_occupancy=max_occ)
    a = calls * aht / interval

    def works(k):
        if k <= a:
            return False
        ok_sl = exact_service_level(Fraction(calls * aht, interval), k, target, aht) >= goal - 1e-12
        return ok_sl and (max_occ is None or a / k <= max_occ + 1e-12)

    assert works(n)
    assert not works(n - 1)


def test_agents_needed_result_meets_target_via_public_api():
    n = agents_needed(calls=400, aht_seconds=240, target_answer_seconds=30, service_level_target=0.85)
    assert service_level(400, 240, n, 30) >= 0.85
    assert service_level(400, 240, n - 1, 30) < 0.85


# ------------------------------------------------ staffing_plan


def test_staffing_plan_callcentrehelper_interval():
    index = pd.to_datetime(["2025-03-03 09:00", "2025-03-03 09:30", "2025-03-03 10:00"])
    forecast = pd.Series([100, 0, 100], index=index, name="calls")
    plan = staffing_plan(forecast, aht_seconds=180, target_answer_seconds=20, service_level_target=0.8,
                         interval_seconds=1800, max_occupancy=0.85, shrinkage=0.3)
    assert list(plan.columns) == ["calls", "agents", "scheduled", "service_level", "occupancy", "asa_seconds"]
    assert plan.index.equals(index)
    row = plan.iloc[0]
    # Call Centre Helper example (above): 14 agents, 20 scheduled, SL 88.8%, 71.4%, 7.8 s.
    assert (row["calls"], row["agents"], row["scheduled"]) == (100, 14, 20)
    assert row["service_level"] == pytest.approx(0.888, abs=5e-4)
    assert row["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert row["asa_seconds"] == pytest.approx(7.8, abs=0.05)
    quiet = plan.iloc[1]
    assert (quiet["agents"], quiet["scheduled"], quiet["service_level"], quiet["occupancy"]) == (0, 0, 1.0, 0.0)


def test_staffing_plan_reads_a_calls_column_or_a_single_column():
    frame = pd.DataFrame({"interval": ["09:00", "09:30"], "calls": [100, 200]}).set_index("interval")
    by_column = staffing_plan(frame.reset_index(), 180, 20, 0.8, interval_seconds=1800)
    single = staffing_plan(frame, 180, 20, 0.8, interval_seconds=1800)
    assert by_column["agents"].tolist() == single["agents"].tolist()
    assert single.index.tolist() == ["09:00", "09:30"]
    # 200 calls per half hour x 180 s = 20 Erlangs; each row agrees with agents_needed.
    assert single["agents"].tolist() == [agents_needed(100, 180, 20, 0.8, 1800), agents_needed(200, 180, 20, 0.8, 1800)]


# ------------------------------------------------ validation


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(calls=-5), r"calls must be 0 or more; got -5"),
        (dict(calls="100"), r"calls must be a number; got '100'"),
        (dict(calls=float("nan")), r"calls must be a finite number; got nan"),
        (dict(aht_seconds=0), r"aht_seconds must be a positive number of seconds; got 0"),
        (dict(aht_seconds=-180), r"aht_seconds.*got -180"),
        (dict(interval_seconds=0), r"interval_seconds must be a positive number of seconds; got 0"),
        (dict(agents=2.5), r"agents must be a whole number of 0 or more; got 2\.5"),
        (dict(agents=-1), r"agents must be a whole number of 0 or more; got -1"),
        (dict(agents=True), r"agents must be a number; got True"),
    ],
)
def test_erlang_c_validation(kwargs, pattern):
    args = dict(calls=100, aht_seconds=180, agents=14, interval_seconds=1800) | kwargs
    with pytest.raises(ValueError, match=pattern):
        erlang_c(**args)


def test_service_level_validation():
    with pytest.raises(ValueError, match=r"target_answer_seconds must be 0 or more seconds; got -1"):
        service_level(100, 180, 14, -1)


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(service_level_target=80), r"service_level_target must be a fraction in \(0, 1\).*got 80"),
        (dict(service_level_target=1), r"service_level_target.*got 1"),
        (dict(service_level_target=0), r"service_level_target.*got 0"),
        (dict(max_occupancy=0), r"max_occupancy must be a fraction in \(0, 1\].*got 0"),
        (dict(max_occupancy=85), r"max_occupancy.*got 85"),
        (dict(target_answer_seconds=-20), r"target_answer_seconds.*got -20"),
        (dict(calls=-1), r"calls must be 0 or more; got -1"),
        (dict(aht_seconds=0), r"aht_seconds.*got 0"),
    ],
)
def test_agents_needed_validation(kwargs, pattern):
    args = dict(calls=100, aht_seconds=180, target_answer_seconds=20, service_level_target=0.8) | kwargs
    with pytest.raises(ValueError, match=pattern):
        agents_needed(**args)


@pytest.mark.parametrize(
    "agents, shrinkage, pattern",
    [
        (14, 1.0, r"shrinkage must be a fraction in \[0, 1\).*got 1"),
        (14, -0.1, r"shrinkage.*got -0\.1"),
        (14, 30, r"shrinkage.*got 30"),
        (14.5, 0.3, r"agents must be a whole number of 0 or more; got 14\.5"),
        (-2, 0.3, r"agents.*got -2"),
    ],
)
def test_scheduled_agents_validation(agents, shrinkage, pattern):
    with pytest.raises(ValueError, match=pattern):
        scheduled_agents(agents, shrinkage)


@pytest.mark.parametrize(
    "forecast, kwargs, pattern",
    [
        (pd.Series([100, -3], index=["09:00", "09:30"]), {},
         r"forecast interval '09:30': calls must be 0 or more; got -3"),
        (pd.Series([100, np.nan]), {}, r"forecast interval 1: calls must be a finite number; got nan"),
        (pd.DataFrame({"a": [1], "b": [2]}), {}, r"forecast must have a 'calls' column"),
        (pd.Series([], dtype=float), {}, r"forecast is empty"),
        ("100", {}, r"forecast must be a DataFrame or Series.*not str"),
        (pd.Series([100]), dict(shrinkage=1.5), r"shrinkage.*got 1\.5"),
        (pd.Series([100]), dict(aht_seconds=0), r"aht_seconds.*got 0"),
    ],
)
def test_staffing_plan_validation(forecast, kwargs, pattern):
    args = dict(aht_seconds=180, target_answer_seconds=20, service_level_target=0.8) | kwargs
    with pytest.raises(ValueError, match=pattern):
        staffing_plan(forecast, **args)
