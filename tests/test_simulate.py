"""Tests for ssup.simulate: the gateway ingestion model, sweeps, calibration, battery life and the demo.

Expected values are derived by hand from the model's definition (a fluid queue: a burst of s uplinks in
w seconds at a gateway forwarding C a second with a queue of B loses max(0, s - B - C*w)), or are
properties every correct implementation has (monotone in load, repeatable with a seed).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ssup import simulate  # noqa: E402
from ssup.simulate import (  # noqa: E402
    battery_life_years, burst_profile, gateway_profile, largest_meeting_sla, simulate_ingestion, sweep,
)

BASE = dict(sensors=200, interval_s=300, capacity_per_s=10, queue=256, bursts_per_hour=3.0, burst_fraction=0.6,
            network_latency_s=0.25)


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


# -- gateways from the catalogue -------------------------------------------------------------------
def test_gateway_profiles_come_from_the_catalogue():
    indoor = gateway_profile("GW-LRW-IN")
    assert (indoor.capacity_per_s, indoor.queue) == (10.0, 256)  # 600 messages/minute
    assert gateway_profile("GW-LRW-OUT").capacity_per_s == 20.0  # 1,200 messages/minute
    assert gateway_profile("GW-LRW-IN", firmware="3.2.0").queue == simulate.DEFECT_QUEUE["3.2.0"]
    assert gateway_profile("GW-LRW-IN", firmware="3.2.1").queue == 256
    # the 3.2.0 defect is in the LoRaWAN gateways' firmware line only
    assert gateway_profile("GW-EDGE-500", firmware="3.2.0").queue == simulate.QUEUE["GW-EDGE-500"]


@pytest.mark.parametrize("product", ["SNS-TMP-100", "PLT-PRO", "GW-NOPE"])
def test_gateway_profile_rejects_non_gateways(product):
    with pytest.raises(ValueError, match="not a gateway"):
        gateway_profile(product)


# -- the ingestion model -----------------------------------------------------------------------------
def test_without_bursts_nothing_is_lost_and_latency_is_the_network():
    result = simulate_ingestion(100, 60, 10, 256, bursts_per_hour=0, burst_fraction=0.5, network_latency_s=0.4,
                                hours=3, seed=3)
    assert result.lost == 0 and result.loss_pct == 0.0
    assert result.alarms == 0
    # log-normal network latency: median = 0.4 s, P95 = 0.4 * exp(1.645 * 0.5)
    assert result.alarm_p50_s == pytest.approx(0.4, rel=0.05)
    assert result.alarm_p95_s == pytest.approx(0.4 * math.exp(1.645 * simulate.NETWORK_SIGMA), rel=0.08)


def test_routine_traffic_matches_the_reporting_interval():
    hours = 6
    result = simulate_ingestion(300, 300, 10, 256, 0, 0.5, hours=hours, seed=1)
    expected = 300 * 3600 / 300 * hours  # 12 uplinks per sensor-hour
    assert result.uplinks == pytest.approx(expected, rel=0.03)


def _expected_defect_loss(n, fraction, queue, capacity, window=2, spread=simulate.BURST_SPREAD):
    """E[max(0, s - queue - capacity * window)] for s = n * fraction * (1 + spread * Z), by quadrature."""
    z = np.linspace(-6, 6, 4001)
    weights = np.exp(-z * z / 2)
    s = np.round(n * np.clip(fraction * (1 + spread * z), 0, 1))
    return float(np.sum(np.maximum(0, s - queue - capacity * window) * weights) / weights.sum())


def test_burst_loss_matches_the_fluid_queue_formula():
    n, fraction, bursts, hours = 120, 0.6, 2.0, 150
    result = simulate_ingestion(n, 3600, 10, 16, bursts, fraction, hours=hours, seed=11)
    per_burst = _expected_defect_loss(n, fraction, 16, 10)
    expected_lost = per_burst * bursts * hours
    assert result.lost == pytest.approx(expected_lost, rel=0.12)


def test_a_burst_that_fits_the_queue_loses_nothing_but_waits():
    # 150 sensors x 0.6 = 90 uplinks in 2 s against a queue of 256: no loss, a queue of ~70 to drain at 10/s
    result = simulate_ingestion(150, 300, 10, 256, 3, 0.6, hours=10, seed=2)
    assert result.loss_pct == 0.0
    assert 3 < result.alarm_p95_s < 13
    assert result.alarm_p50_s < result.alarm_p95_s <= result.alarm_p99_s


def test_the_defect_loses_uplinks_the_healthy_firmware_keeps():
    healthy = simulate_ingestion(140, 300, 10, 256, 3, 0.6, hours=10, seed=5)
    defect = simulate_ingestion(140, 300, 10, 16, 3, 0.6, hours=10, seed=5)
    assert healthy.loss_pct == 0.0
    assert defect.loss_pct > 3.0
    assert defect.alarm_p95_s < healthy.alarm_p95_s  # a tiny queue drops rather than delays


def test_same_seed_same_result_other_seed_differs():
    a = simulate_ingestion(**BASE, hours=3, seed=9)
    b = simulate_ingestion(**BASE, hours=3, seed=9)
    c = simulate_ingestion(**BASE, hours=3, seed=10)
    assert (a.uplinks, a.lost, a.alarm_p95_s) == (b.uplinks, b.lost, b.alarm_p95_s)
    assert (a.uplinks, a.alarm_p95_s) != (c.uplinks, c.alarm_p95_s)


def test_a_remembered_seeded_run_cannot_be_changed_by_its_caller():
    first = simulate_ingestion(**BASE, hours=3, seed=11)
    kept = first.alarm_latencies_s.copy()
    first.alarm_latencies_s.sort()  # a caller may work on its own copy in place
    first.alarm_latencies_s[:] = -1.0
    again = simulate_ingestion(**BASE, hours=3, seed=11)
    assert np.array_equal(again.alarm_latencies_s, kept)
    assert again.alarm_latencies_s is not first.alarm_latencies_s


@pytest.mark.parametrize("change, message", [
    (dict(sensors=-5), "sensors"), (dict(sensors=0), "sensors"), (dict(burst_fraction=1.5), "burst_fraction"),
    (dict(interval_s="300"), "interval_s"), (dict(bursts_per_hour=-1), "bursts_per_hour"),
])
def test_bad_parameters_raise_a_clear_error(change, message):
    with pytest.raises(ValueError, match=message):
        simulate_ingestion(**dict(BASE, **change), hours=1)


def test_hours_must_be_a_whole_number():
    with pytest.raises(ValueError, match="hours"):
        simulate_ingestion(**BASE, hours=0)


def test_summary_and_meets():
    result = simulate_ingestion(**BASE, hours=2, seed=0)
    assert list(result.summary().index) == ["loss_pct", "alarm_p50_s", "alarm_p95_s", "alarm_p99_s"]
    assert result.meets(100, 1000) and not result.meets(100, 0.01)


# -- sweeps -------------------------------------------------------------------------------------------
def test_sweep_is_monotone_in_load_thanks_to_common_random_numbers():
    table = sweep("sensors", list(range(50, 601, 50)), BASE, max_loss_pct=0.1, alarm_p95_s=15, hours=6)
    assert list(table.columns) == ["value", "loss_pct", "alarm_p95_s", "meets_sla"]
    assert table["alarm_p95_s"].is_monotonic_increasing
    assert table["loss_pct"].is_monotonic_increasing
    assert table["meets_sla"].iloc[0] and not table["meets_sla"].iloc[-1]


def test_a_faster_gateway_carries_more_sensors_within_the_sla():
    values = list(range(100, 601, 50))
    indoor = sweep("sensors", values, BASE, 0.1, 15, hours=6)
    outdoor = sweep("sensors", values, dict(BASE, capacity_per_s=20, queue=512), 0.1, 15, hours=6)
    assert largest_meeting_sla(outdoor) > largest_meeting_sla(indoor)


def test_sweep_rejects_unknown_parameters_and_missing_base():
    with pytest.raises(ValueError, match="Unknown parameter"):
        sweep("colour", [1], BASE, 0.1, 15, hours=1)
    with pytest.raises(ValueError, match="missing"):
        sweep("sensors", [1], {"sensors": 1}, 0.1, 15, hours=1)
    with pytest.raises(ValueError, match="at least one"):
        sweep("sensors", [], BASE, 0.1, 15, hours=1)


def test_largest_meeting_sla_stops_at_the_first_failure():
    table = pd.DataFrame({"value": [300, 100, 200, 400], "meets_sla": [False, True, True, True]})
    assert largest_meeting_sla(table) == 200
    assert largest_meeting_sla(pd.DataFrame({"value": [1, 2], "meets_sla": [False, True]})) is None


def test_sensitivity_plot_has_titles_labels_and_sla_lines():
    table = sweep("sensors", [100, 200, 300], BASE, 0.1, 15, hours=2)
    axes = simulate.sensitivity_plot(table, "Sensors per gateway", 0.1, 15)
    assert [ax.get_xlabel() for ax in axes] == ["Sensors per gateway"] * 2
    assert "seconds" in axes[0].get_ylabel() and "%" in axes[1].get_ylabel()
    assert all(ax.get_title() for ax in axes)
    plt.close("all")


# -- calibration from telemetry ----------------------------------------------------------------------
def test_burst_profile_measures_the_busy_hour_on_healthy_gateways():
    hours = pd.to_datetime(["2026-01-05 07:00", "2026-01-05 08:00", "2026-01-06 08:00", "2026-01-05 08:00"])
    telemetry = pd.DataFrame({
        "hour": hours, "site": ["A", "A", "A", "B"], "sensors": [100, 100, 100, 100],
        "firmware_version": ["3.2.1", "3.2.1", "3.2.1", "3.2.0"],
        # routine = 100 * 12 = 1,200 an hour; bursts of 60 uplinks (60% of 100 sensors)
        "uplinks_expected": [1200, 1200 + 120, 1200 + 240, 5000], "alarm_bursts": [0, 2, 4, 50],
    })
    profile = burst_profile(telemetry, interval_s=300)
    assert profile == {"busy_site": "A", "busy_hour": 8, "bursts_per_hour": 3.0, "burst_fraction": 0.6}


def test_burst_profile_needs_a_healthy_gateway():
    telemetry = pd.DataFrame({"hour": pd.to_datetime(["2026-01-05"]), "site": ["A"], "sensors": [10],
                              "firmware_version": ["3.2.0"], "uplinks_expected": [10], "alarm_bursts": [0]})
    with pytest.raises(ValueError, match="healthy"):
        burst_profile(telemetry, 300)


# -- battery life -------------------------------------------------------------------------------------
def test_battery_life_at_the_default_interval_is_the_catalogue_figure():
    assert battery_life_years(5.0, 600, 600) == pytest.approx(5.0)


def test_battery_life_by_hand():
    # s = 0.25: life(i) = L0 / (0.25 + 0.75 * i0 / i); halving the interval: 5 / (0.25 + 1.5) = 2.857
    assert battery_life_years(5.0, 600, 300) == pytest.approx(5 / 1.75)
    assert battery_life_years(4.0, 300, 60) == pytest.approx(4 / (0.25 + 0.75 * 5))


def test_battery_life_grows_with_the_interval_towards_its_limit():
    lives = [battery_life_years(3.0, 300, i) for i in (60, 120, 300, 900, 3600, 10**7)]
    assert all(a < b for a, b in zip(lives, lives[1:]))
    assert lives[-1] == pytest.approx(3.0 / 0.25, rel=1e-4)


@pytest.mark.parametrize("args", [(0, 300, 300), (5, 300, -1), (5, 300, 300, 1.0)])
def test_battery_life_rejects_impossible_inputs(args):
    with pytest.raises(ValueError):
        battery_life_years(*args)


# -- the live demo ------------------------------------------------------------------------------------
def test_feasibility_demo_updates_when_a_slider_moves():
    import ipywidgets as widgets

    demo = simulate.feasibility_demo(sensors=100, interval_s=300, bursts_per_hour=3, burst_fraction=0.6,
                                     max_loss_pct=0.1, alarm_p95_s=15, hours=2)
    assert isinstance(demo, widgets.VBox)
    sliders = {w.description: w for w in demo.children[0].children + demo.children[1].children
               + (demo.children[2],) if hasattr(w, "description")}
    assert {"Sensors per gateway", "Reporting interval (s)", "Alarm bursts per hour", "Gateway",
            "Gateway firmware"} <= set(sliders)
    verdict, chart = demo.children[3], demo.children[4]
    before, before_chart = verdict.value, chart.value
    assert "MEETS" in before
    assert "<svg" in before_chart and "100 sensors per GW-LRW-IN (3.2.1)" in before_chart  # the title is text
    sliders["Sensors per gateway"].value = 600
    assert verdict.value != before and "MISSES" in verdict.value
    assert "600 sensors per GW-LRW-IN" in chart.value and "misses the SLA" in chart.value
    sliders["Gateway firmware"].value = "3.2.0"
    assert "(3.2.0)" in chart.value
    assert not plt.get_fignums(), "the demo closes its figures"
