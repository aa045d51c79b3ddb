"""Tests for ssup.solution_design: the option search, its hard constraints, sizing, prices and appraisal.

Expected figures are worked out by hand from the catalogue (products.csv, the same for every seed) and the
design rules written in the module docstring.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from ssup import solution_design as sd
from ssup.data import load
from ssup.solution_design import Requirements, appraisal, install_days, least_cost, options

BASE = Requirements(opportunity_id="T", sensors=120, sites=1, application="temperature", coldest_c=2,
                    site_area_m2=8000, gateway_location="indoor", backhaul="ethernet", reporting_interval_s=600,
                    integration="none", retention_days=365, audit_trail=False, go_live_working_days=40,
                    sla_max_loss_pct=0.5, sla_alarm_p95_s=30.0, customer_skills="medium")


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def row(table, sensor, gateway, tier):
    found = table[(table.sensor == sensor) & (table.gateway == gateway) & (table.tier == tier)]
    assert len(found) == 1, (sensor, gateway, tier)
    return found.iloc[0]


def problems(table, sensor, gateway, tier):
    text = row(table, sensor, gateway, tier)["problems"]
    return set(text.split(", ")) if text else set()


def test_install_days_by_hand():
    # 0.5 day site set-up + 70 / 35 sensors a day + 3 / 3 gateways a day = 3.5
    assert install_days(70, 3, 1, "LoRaWAN") == 3.5
    # LTE-M sensors install faster (40 a day) and need no gateway: 0.5 * 2 + 100 / 40 = 3.5
    assert install_days(100, 0, 2, "LTE-M") == 3.5
    # rounded UP to half a day: 0.5 + 10 / 35 = 0.79 -> 1.0
    assert install_days(10, 0, 1, "LoRaWAN") == 1.0


def test_every_candidate_sensor_gateway_and_tier_is_searched():
    table = options(BASE)
    cellular = {"SNS-TMP-300"}
    gateways = 4
    candidates = sd.APPLICATION_SENSORS["temperature"]
    expected_rows = sum(1 if s in cellular else gateways for s in candidates) * len(sd.TIERS)
    assert len(table) == expected_rows
    assert set(table.columns) >= {"option", "sensor", "gateway", "tier", "total_gbp", "feasible", "problems",
                                  "practicality", "go_live_days"}
    assert table["feasible"].iloc[0]
    feasible = table[table.feasible]
    assert feasible["total_gbp"].is_monotonic_increasing  # feasible first, cheapest first


def test_least_cost_by_hand():
    best = least_cost(options(BASE))
    # The cheapest sensor that does the job is the B1 BLE beacon (39) read by LTE-M gateways (459): 50 beacons
    # per gateway would need 3, but BLE covers only 2,000 m2 per gateway, so 8,000 m2 needs 4.
    # Starter allows only 50 devices, so Professional.
    assert (best.sensor, best.gateway, best.tier) == ("SNS-TMP-150", "GW-LTE-M", "PLT-PRO")
    assert best.gateways == 4
    assert best.hardware_gbp == pytest.approx(120 * 39 + 4 * 459)
    days = install_days(120, 4, 1, "BLE")  # 0.5 + 3.43 + 1.33 = 5.26 -> 5.5
    assert days == 5.5
    assert best.services_gbp == pytest.approx(950 + days * 850 + 1200)  # survey, install, training
    assert best.subscription_gbp == pytest.approx(590 * 36)  # a new customer pays the whole tier
    assert best.total_gbp == pytest.approx(best.hardware_gbp + best.services_gbp + best.subscription_gbp)
    # go-live: kick-off 3 + longest lead (survey 10 days) + ceil(5.5 / 2) + acceptance 2 + training 1
    assert best.go_live_days == 3 + 10 + 3 + 2 + 1
    # the T1 with one indoor gateway does the same job for more money
    t1 = row(options(BASE), "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")
    assert t1.feasible and t1.hardware_gbp == pytest.approx(120 * 89 + 399) and t1.total_gbp > best.total_gbp


def test_existing_customers_pay_only_the_tier_uplift_and_cannot_go_below_their_tier():
    req = replace(BASE, current_tier="PLT-PRO", installed_sensors=100)
    table = options(req)
    assert set(table.tier) == {"PLT-PRO", "PLT-ENT"}
    assert row(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO").subscription_gbp == 0
    assert row(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT").subscription_gbp == pytest.approx((2450 - 590) * 36)


def test_temperature_constraint_uses_the_probe_range_of_the_t2():
    req = replace(BASE, application="cold_chain", coldest_c=-60)
    table = options(req)
    assert "temperature" in problems(table, "SNS-TMP-300", "", "PLT-PRO")  # logger works down to -30 C
    assert "temperature" not in problems(table, "SNS-TMP-200", "GW-LRW-IN", "PLT-PRO")  # probes to -80 C


def test_compatibility_comes_from_the_compatibility_table():
    table = options(BASE)
    assert "compatibility" in problems(table, "SNS-TMP-150", "GW-LRW-IN", "PLT-PRO")  # BLE beacon, LoRaWAN gw
    assert "compatibility" in problems(table, "SNS-TMP-100", "GW-LTE-M", "PLT-PRO")
    assert "compatibility" in problems(table, "SNS-TMP-100", "GW-EDGE-500", "PLT-STARTER")  # Edge needs Pro+
    assert "compatibility" not in problems(table, "SNS-TMP-150", "GW-LTE-M", "PLT-PRO")


def test_discontinued_sensors_are_never_offered():
    table = options(replace(BASE, application="vibration"))
    assert set(table.sensor) == {"SNS-VIB-200"}  # the V1 is sold only as a replacement


def test_outdoor_gateways_must_be_rated_for_it():
    table = options(replace(BASE, gateway_location="outdoor"))
    assert "environment" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")  # IP40
    assert "environment" in problems(table, "SNS-TMP-100", "GW-EDGE-500", "PLT-PRO")  # IP54
    assert "environment" not in problems(table, "SNS-TMP-100", "GW-LRW-OUT", "PLT-PRO")  # IP67, -40 C


def test_backhaul_cellular_only_rules_out_wired_gateways():
    table = options(replace(BASE, backhaul="cellular_only"))
    assert "backhaul" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")
    assert "backhaul" in problems(table, "SNS-TMP-100", "GW-EDGE-500", "PLT-PRO")
    assert "backhaul" not in problems(table, "SNS-TMP-100", "GW-LRW-OUT", "PLT-PRO")  # LTE-M backhaul
    assert "backhaul" not in problems(options(replace(BASE, backhaul="wifi")), "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")


def test_capacity_of_the_tier_counts_installed_and_new_sensors():
    table = options(replace(BASE, sensors=40))
    assert "capacity" not in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-STARTER")  # 40 <= 50
    table = options(replace(BASE, sensors=40, installed_sensors=480, current_tier="PLT-STARTER"))
    assert "capacity" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")  # 520 > 500
    assert "capacity" not in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT")


def test_messages_per_day_quota_is_a_capacity_limit():
    # 45 sensors every 60 s: 45 * 1,440 * 1.1 = 71,280 messages a day > Starter's 50,000
    table = options(replace(BASE, sensors=45, reporting_interval_s=60))
    assert "capacity" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-STARTER")


def test_retention_and_features_need_higher_tiers():
    table = options(replace(BASE, retention_days=1000))
    assert "retention" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")  # 365 days
    assert "retention" not in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT")  # 1,095 days
    table = options(replace(BASE, sensors=20, integration="mqtt"))
    assert "features" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-STARTER")  # no API
    table = options(replace(BASE, audit_trail=True))
    assert "features" in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")
    assert "features" not in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT")


def test_lead_time_against_the_deadline():
    table = options(replace(BASE, go_live_working_days=25))
    # Edge 500: 3 + 28 days lead + install + 3 > 25; indoor: 3 + 10 + 3 + 3 = 19
    assert "lead_time" in problems(table, "SNS-TMP-100", "GW-EDGE-500", "PLT-PRO")
    assert "lead_time" not in problems(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")


def test_least_cost_raises_when_nothing_is_feasible():
    with pytest.raises(ValueError, match="No option"):
        least_cost(options(replace(BASE, go_live_working_days=5)))


def test_gateway_count_is_set_by_devices_load_or_coverage():
    big = replace(BASE, sensors=900, sites=1, site_area_m2=5000)
    # devices: 900 / 500 per indoor gateway -> 2
    assert row(options(big), "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT").gateways_per_site == 2
    # coverage: 40,000 m2 / 15,000 m2 per indoor gateway -> 3
    wide = replace(BASE, site_area_m2=40_000)
    assert row(options(wide), "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO").gateways_per_site == 3
    # load: 480 sensors every 60 s = 528 a minute with alarms; half of 600 -> 2 gateways
    busy = replace(BASE, sensors=480, reporting_interval_s=60, site_area_m2=5000)
    assert row(options(busy), "SNS-TMP-100", "GW-LRW-IN", "PLT-ENT").gateways_per_site == 2
    # a simulated limit tightens the device count: 120 / 50 -> 3
    limited = options(BASE, sensors_per_gateway_limit={"GW-LRW-IN": 50})
    assert row(limited, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO").gateways_per_site == 3


def test_sites_multiply_gateways_and_surveys():
    two = replace(BASE, sensors=240, sites=2)
    option = row(options(two), "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")
    assert (option.gateways_per_site, option.gateways) == (1, 2)
    days = install_days(240, 2, 2, "LoRaWAN")
    assert option.services_gbp == pytest.approx(2 * 950 + days * 850 + 1200)


def test_practicality_penalises_what_is_hard_to_live_with():
    table = options(replace(BASE, customer_skills="low", integration="scada", sensors=40))
    edge = row(table, "SNS-TMP-100", "GW-EDGE-500", "PLT-PRO")
    indoor = row(table, "SNS-TMP-100", "GW-LRW-IN", "PLT-PRO")
    # Edge with low skills -2, scada with low skills -1 -> 2; indoor: -1 (skills) -1 (Modbus TCP by hand) -> 3
    assert edge.practicality == 2 and "Edge 500" in edge.notes
    assert indoor.practicality == 3 and "Modbus TCP" in indoor.notes
    logger = row(options(replace(BASE, reporting_interval_s=60)), "SNS-TMP-300", "", "PLT-PRO")
    assert "SIM" in logger.notes and "batteries" in logger.notes


def test_appraisal_recommends_one_option_and_explains_rejections():
    table = options(replace(BASE, go_live_working_days=25))
    view = appraisal(table)
    assert (view["verdict"] == "recommended").sum() == 1
    assert view.index[0] == least_cost(table, min_practicality=3)["option"]
    rejected = view[view["verdict"].str.startswith("rejected")]
    assert {"lead_time", "compatibility"} <= {v.split(": ")[1].split(", ")[0] for v in rejected["verdict"]}


def test_requirements_from_the_discovery_record_of_the_case_study():
    discovery = load("discovery")
    case = discovery[discovery.pilot].iloc[0]
    req = Requirements.from_discovery(case.opportunity_id)
    opp = load("opportunities").set_index("opportunity_id").loc[case.opportunity_id]
    assert req.sensors == opp.devices and req.sites == case.sites
    unknown = [c for c in sd.DEFAULTS if pd.isna(case[c])]
    assert unknown and len(req.assumptions) == len(unknown)
    assert all(any(c in a for a in req.assumptions) for c in unknown)
    assert req.sensors_per_site == math.ceil(req.sensors / req.sites)
    assert req.to_series()["assumptions"].count(";") == len(unknown) - 1
    if opp.opportunity_type != "new_logo":
        customer = load("customers").set_index("customer_id").loc[opp.customer_id]
        assert req.current_tier == customer.platform_tier


def test_requirements_for_an_unknown_opportunity():
    with pytest.raises(ValueError, match="no discovery record"):
        Requirements.from_discovery("OPP-9999")
