"""pilot_telemetry.csv: hourly gateway telemetry from the Level 4 case study's pilot.

Before its proposal, the case-study opportunity (``discovery.pilot = 1``) ran a six-week pilot: the first
sensors of the deal at its sites, connected through LoRaWAN gateways lent from Kestrel's pilot pool. Each
row is one gateway-hour: how many uplinks the sensors sent (from the LoRaWAN frame counters), how many
reached Kestrel Cloud, how many alarm bursts the gateway logged and the busiest second.

Built in (the Level 4 root-cause analysis finds it; the data README does not say it):

* Two pool gateways still ran firmware 3.2.0 (the message-drop defect, see tickets.csv and the KB): their
  forwarding queue holds only a few uplinks, so they drop messages when an alarm burst (a defrost cycle, a
  door left open, a power blip that makes every sensor rejoin) arrives faster than they forward.
  One of them was upgraded to 3.2.1 part-way through the pilot; the other ran 3.2.0 to the end.
* Site 1 is the busiest site (more bursts), which makes the site look guilty at first sight; it also has
  a healthy gateway that loses nothing. Site 2 uses Wi-Fi backhaul and has a slightly higher background
  loss (radio and network), far smaller than the firmware effect.
* Every other gateway's loss is background loss of a few in ten thousand.

The loss mechanism is the one :mod:`ssup.simulate` models: a burst of ``s`` uplinks arriving within
``BURST_WINDOW_S`` seconds at a gateway that forwards ``C`` per second with a queue of ``B`` loses about
``max(0, s - B - C * BURST_WINDOW_S)`` of them.

Registered in :data:`ssup.data.generate.REGISTRY` as ``"ssup.data.pilot:TABLE"`` (after ``discovery``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from ssup.data.generate import AS_OF, FIRMWARE_BAD, FIRMWARE_FIX, PRODUCT_BY_ID, Column, Frames, Table

PILOT_DAYS = 42
BURST_WINDOW_S = 2
#: Queue (uplinks) of the packet forwarder: healthy firmware, and 3.2.0 with the defect.
HEALTHY_QUEUE = {"GW-LRW-IN": 256, "GW-LRW-OUT": 512}
DEFECT_QUEUE = 16
#: Mean alarm bursts per hour: background, and extra in the defrost/door hours and the delivery hours.
BURSTS_BACKGROUND = 0.15
BURSTS_DEFROST = 1.4
DEFROST_HOURS = (2, 8, 14, 20)
BURSTS_DELIVERY = 0.5
DELIVERY_HOURS = (5, 6, 7, 8, 9)
#: Background loss (radio collisions, weak links) per uplink, by backhaul.
BACKGROUND_LOSS = {"ethernet": 0.0002, "wifi": 0.0006}

COLUMNS = (
    Column("opportunity_id", "str", "discovery.opportunity_id of the opportunity that ran the pilot."),
    Column("site", "str", "Pilot site (Site 1, Site 2, ...)."),
    Column("gateway_id", "str", "Pilot gateway (PGW-01 ...); unique across sites."),
    Column("product_id", "str", "products.product_id of the gateway model."),
    Column("firmware_version", "str", "Gateway firmware during that hour."),
    Column("backhaul", "str", "How the gateway reaches Kestrel Cloud.", allowed="ethernet, wifi"),
    Column("sensors", "int", "Pilot sensors served by the gateway.", units="devices"),
    Column("hour", "datetime", "Start of the hour (UK local time)."),
    Column("uplinks_expected", "int", "Uplinks the sensors sent in the hour (from the LoRaWAN frame counters).",
           units="messages"),
    Column("uplinks_received", "int", "Uplinks that reached Kestrel Cloud.", units="messages"),
    Column("alarm_bursts", "int", "Bursts the gateway logged: 10 or more uplinks within 2 seconds.",
           units="bursts"),
    Column("peak_uplinks_per_second", "int", "Uplinks in the busiest second of the hour.",
           units="messages/second"),
)


def _gateways(rng: np.random.Generator, sites: int) -> list[dict]:
    """The pilot gateways: Site 1 has an outdoor yard gateway and indoor ones; later sites indoor only."""
    layout = [["GW-LRW-IN", "GW-LRW-IN", "GW-LRW-OUT"]] + [["GW-LRW-IN", "GW-LRW-IN"]] * (min(max(sites, 1), 2) - 1)
    if sites <= 1:
        layout = [["GW-LRW-IN", "GW-LRW-IN", "GW-LRW-OUT", "GW-LRW-IN"]]
    gateways = []
    for s, models in enumerate(layout, start=1):
        for model in models:
            gateways.append(dict(site=f"Site {s}", product_id=model, backhaul="ethernet" if s != 2 else "wifi",
                                 sensors=int(rng.integers(80, 151)) if model == "GW-LRW-IN" else
                                 int(rng.integers(40, 71))))
    for i, g in enumerate(gateways, start=1):
        g["gateway_id"] = f"PGW-{i:02d}"
    return gateways


def write(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    discovery = frames["discovery"]
    case = discovery[discovery["pilot"]].iloc[0]
    opp = frames["opportunities"].set_index("opportunity_id").loc[case["opportunity_id"]]
    sensor = PRODUCT_BY_ID[opp["primary_product_id"]]
    interval = int(case["reporting_interval_s"]) if pd.notna(case["reporting_interval_s"]) else \
        int(sensor.get("reporting_interval_s") or 300)
    sites = int(case["sites"]) if pd.notna(case["sites"]) else 1
    # six weeks on Mondays, ending at least a week before the extract and after the opportunity was created
    latest_end = AS_OF - timedelta(days=7)
    start = max(opp["created_date"].to_pydatetime() + timedelta(days=14), latest_end - timedelta(days=PILOT_DAYS + 35))
    start = datetime(start.year, start.month, start.day) + timedelta(days=(7 - start.weekday()) % 7)
    days = max(14, min(PILOT_DAYS, (latest_end - start).days))
    hours = pd.date_range(start, periods=days * 24, freq="h")

    gateways = _gateways(rng, sites)
    indoor = [i for i, g in enumerate(gateways) if g["product_id"] == "GW-LRW-IN"]
    site1_indoor = [i for i in indoor if gateways[i]["site"] == "Site 1"]
    stays_bad = site1_indoor[int(rng.integers(len(site1_indoor)))]
    others = [i for i in indoor if gateways[i]["site"] != "Site 1"] or [i for i in site1_indoor if i != stays_bad]
    upgraded = others[int(rng.integers(len(others)))]
    upgrade_at = hours[0] + pd.Timedelta(days=int(rng.integers(days // 2 - 3, days // 2 + 4)), hours=10)

    hour_of_day = hours.hour.to_numpy()
    rate = np.full(len(hours), BURSTS_BACKGROUND)
    rate += np.isin(hour_of_day, DEFROST_HOURS) * BURSTS_DEFROST
    rate += np.isin(hour_of_day, DELIVERY_HOURS) * BURSTS_DELIVERY
    frames_out = []
    for i, g in enumerate(gateways):
        n = g["sensors"]
        busy = 1.35 if g["site"] == "Site 1" else 1.0
        bursts = rng.poisson(rate * busy)
        total = int(bursts.sum())
        fractions = rng.beta(6, 4, size=total)
        sizes = rng.binomial(n, fractions)
        owner = np.repeat(np.arange(len(hours)), bursts)
        if i == stays_bad:
            firmware = np.full(len(hours), FIRMWARE_BAD, dtype=object)
        elif i == upgraded:
            firmware = np.where(hours < upgrade_at, FIRMWARE_BAD, FIRMWARE_FIX).astype(object)
        else:
            firmware = np.full(len(hours), FIRMWARE_FIX, dtype=object)
        capacity = PRODUCT_BY_ID[g["product_id"]]["max_messages_per_minute"] / 60
        queue = np.where(firmware[owner] == FIRMWARE_BAD, DEFECT_QUEUE, HEALTHY_QUEUE[g["product_id"]])
        lost_each = np.maximum(0, sizes - queue - np.floor(capacity * BURST_WINDOW_S)).astype(int)
        burst_uplinks = np.bincount(owner, weights=sizes, minlength=len(hours)).astype(int)
        burst_lost = np.bincount(owner, weights=lost_each, minlength=len(hours)).astype(int)
        biggest = np.zeros(len(hours), dtype=int)
        np.maximum.at(biggest, owner, sizes)
        base = n * 3600 // interval
        expected = base + burst_uplinks
        background = rng.binomial(expected - burst_lost, BACKGROUND_LOSS[g["backhaul"]] * rng.uniform(0.7, 1.3))
        base_peak = 1 + rng.poisson(max(0.5, 3 * n / interval), size=len(hours))
        peak = np.maximum(base_peak, np.ceil(biggest / BURST_WINDOW_S).astype(int) + 1)
        frames_out.append(pd.DataFrame(dict(
            opportunity_id=case["opportunity_id"], site=g["site"], gateway_id=g["gateway_id"],
            product_id=g["product_id"], firmware_version=firmware, backhaul=g["backhaul"], sensors=n,
            hour=hours, uplinks_expected=expected, uplinks_received=expected - burst_lost - background,
            alarm_bursts=bursts, peak_uplinks_per_second=peak)))
    return pd.concat(frames_out, ignore_index=True)


TABLE = Table(
    "pilot_telemetry", write, COLUMNS, key="(gateway_id, hour)",
    doc="Hourly telemetry of every gateway in the six-week pilot of the Level 4 case study (the opportunity "
        "with `discovery.pilot = 1`): uplinks sent and received, alarm bursts and the busiest second. The "
        "customer saw gaps in the pilot data; Level 4 finds out why.",
)
