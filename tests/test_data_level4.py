"""The Level 4 tables (discovery.csv, pilot_telemetry.csv): consistent with the company data and carrying
the patterns the lesson finds, on the committed seed and on another seed."""

from __future__ import annotations

import pandas as pd
import pytest

from ssup import rca, simulate
from ssup.config import data_dir
from ssup.data import generate as gen
from ssup.data.discovery import MEDDICC, REQUIREMENTS


@pytest.fixture(scope="module", params=["committed", "seed7"])
def tables(request, tmp_path_factory):
    if request.param == "committed":
        folder = data_dir()
    else:
        folder = tmp_path_factory.mktemp("seed7")
        gen.generate(folder, seed=7, readme=False)
    names = ("opportunities", "customers", "discovery", "pilot_telemetry")
    return {name: gen.read_csv_typed(folder / f"{name}.csv", gen.table(name).columns) for name in names}


def test_discovery_covers_open_and_presales_opportunities(tables):
    discovery, opps = tables["discovery"], tables["opportunities"]
    wanted = opps[(opps.outcome == "open") | opps.presales_agent_id.notna()].opportunity_id
    assert sorted(discovery.opportunity_id) == sorted(wanted)
    assert discovery[list(MEDDICC)].isin([0, 1, 2]).all().all()


def test_deals_without_devices_have_no_technical_requirements(tables):
    merged = tables["discovery"].merge(tables["opportunities"][["opportunity_id", "devices"]], on="opportunity_id")
    assert merged.loc[merged.devices == 0, list(REQUIREMENTS)].isna().all().all()
    assert merged.loc[merged.devices > 0, "application"].notna().mean() > 0.8


def test_meddicc_scores_are_higher_on_won_deals(tables):
    merged = tables["discovery"].merge(tables["opportunities"][["opportunity_id", "outcome"]], on="opportunity_id")
    score = merged[list(MEDDICC)].sum(axis=1)
    assert score[merged.outcome == "won"].mean() > score[merged.outcome == "lost"].mean() + 1.5


def test_exactly_one_pilot_on_an_open_device_deal(tables):
    discovery, opps = tables["discovery"], tables["opportunities"]
    pilots = discovery[discovery.pilot]
    assert len(pilots) == 1
    opp = opps.set_index("opportunity_id").loc[pilots.opportunity_id.iloc[0]]
    assert opp.outcome == "open" and opp.devices > 0
    assert set(tables["pilot_telemetry"].opportunity_id) == {opp.name}
    assert pilots[["sites", "application", "reporting_interval_s", "sla_max_loss_pct"]].notna().all().all()


def test_pilot_telemetry_is_plausible(tables):
    t = tables["pilot_telemetry"]
    assert (t.uplinks_received <= t.uplinks_expected).all() and (t.uplinks_received > 0).all()
    assert not t.duplicated(["gateway_id", "hour"]).any()
    assert t.groupby("gateway_id").hour.nunique().nunique() == 1  # every gateway reports every hour
    assert t.hour.max() < pd.Timestamp(gen.AS_OF)


def test_the_firmware_pattern_is_there_and_the_site_is_a_red_herring(tables):
    t = tables["pilot_telemetry"].assign(hour_of_day=lambda d: d.hour.dt.hour)
    by_firmware = rca.loss_by(t, "firmware_version")
    assert by_firmware.loc[gen.FIRMWARE_BAD, "loss_pct"] > 10 * by_firmware.loc[gen.FIRMWARE_FIX, "loss_pct"]
    assert by_firmware.loc[gen.FIRMWARE_FIX, "loss_pct"] < 0.1
    ranking = rca.factor_ranking(t, ["site", "gateway_id", "product_id", "firmware_version", "backhaul",
                                     "hour_of_day"])
    assert ranking.factor.iloc[0] == "firmware_version"
    changes = rca.firmware_changes(t)
    assert changes[["from_version", "to_version"]].values.tolist() == [[gen.FIRMWARE_BAD, gen.FIRMWARE_FIX]]
    last = t[t.hour == t.hour.max()]
    assert (last.firmware_version == gen.FIRMWARE_BAD).sum() == 1


def test_the_model_reproduces_the_pilot_loss(tables):
    t = tables["pilot_telemetry"]
    interval = int(tables["discovery"].query("pilot").reporting_interval_s.iloc[0])
    profile = simulate.burst_profile(t, interval)
    assert 0.45 < profile["burst_fraction"] < 0.75
    bad = t[t.firmware_version == gen.FIRMWARE_BAD]
    worst = bad.gateway_id.value_counts().index[0]
    mine = bad[(bad.gateway_id == worst) & (bad.hour.dt.hour == profile["busy_hour"])]
    observed = rca.loss_by(mine, "gateway_id")["loss_pct"].iloc[0]
    gateway = simulate.gateway_profile(mine.product_id.iloc[0], gen.FIRMWARE_BAD)
    predicted = simulate.simulate_ingestion(int(mine.sensors.iloc[0]), interval, gateway.capacity_per_s,
                                            gateway.queue, mine.alarm_bursts.mean(), profile["burst_fraction"],
                                            hours=20, seed=0).loss_pct
    assert predicted == pytest.approx(observed, rel=0.4)
