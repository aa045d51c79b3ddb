"""device_telemetry.csv: the device data behind five real tickets, for diagnosing straightforward faults.

When a customer reports gaps, offline sensors or battery trouble, the Service Desk opens the
devices' daily figures in Kestrel Cloud: how many readings (uplinks) each device sent against how
many it should have, the radio link (RSSI, SNR, spreading factor), the battery voltage and the
firmware. This table is that view for the sensors named in five tickets and the gateway that
serves them, for the 14 days before each ticket was raised.

The five cases always have the same ids and symptoms; which ticket, customer and devices they
are, and every figure, come from the seed:

==========  ====================================================================  ===============
case_id     symptom (the ticket)                                                  cause built in
==========  ====================================================================  ===============
DX-1        gaps from every sensor on a LoRaWAN gateway (firmware 3.2.0 ticket)    firmware_320
DX-2        one sensor offline / intermittent                                      weak_signal
DX-3        low-battery warning on one sensor                                      low_battery
DX-4        battery draining faster than expected                                  weak_signal
DX-5        every sensor at a site offline                                         gateway_offline
==========  ====================================================================  ===============

The causes are the trainers' answer key (``CASES``); ``ssup.troubleshoot.diagnose`` finds them
from the figures alone, and the tests check that it does for every seed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ssup.data.generate import (FIRMWARE_BAD, FIRMWARE_BAD_RELEASED, FIRMWARE_FIX, FIRMWARE_GOOD_OLD,
                                LORAWAN_BATTERY_SENSORS, LORAWAN_GATEWAYS, LORAWAN_SENSORS, PRODUCT_BY_ID, Column,
                                Frames, Table, installed_quantities)

#: case id -> (what the customer reports, the tree the Service Desk walks, the cause built into the data)
CASES: dict[str, tuple[str, str, str]] = {
    "DX-1": ("gaps from every sensor on one gateway", "missing_data", "firmware_320"),
    "DX-2": ("one sensor offline or intermittent", "missing_data", "weak_signal"),
    "DX-3": ("low-battery warning on one sensor", "battery", "low_battery"),
    "DX-4": ("battery draining faster than expected", "battery", "weak_signal"),
    "DX-5": ("every sensor at a site offline", "missing_data", "gateway_offline"),
}
DAYS = 14
#: Tickets for the cases other than the firmware one are taken after the 3.2.0 episode was over.
QUIET_FROM = date(2025, 9, 1)

COLUMNS = (
    Column("case_id", "str", "Diagnosis case (DX-1 ... DX-5); the same five symptoms for every seed."),
    Column("ticket_id", "str", "The ticket the extract was pulled for (tickets.ticket_id)."),
    Column("customer_id", "str", "customers.customer_id (the ticket's customer)."),
    Column("device_id", "str", "Serial number of the device, e.g. T2-40817 (model code and five digits)."),
    Column("product_id", "str", "products.product_id of the device (one of the customer's installed products)."),
    Column("role", "str", "sensor or gateway.", allowed="sensor, gateway"),
    Column("gateway_id", "str", "device_id of the gateway that serves the sensor (empty on gateway rows).",
           nullable=True),
    Column("date", "date", "The day the figures are for (UK time); the 14 days before the ticket was raised."),
    Column("firmware_version", "str", "Firmware the device ran that day."),
    Column("uplinks_expected", "int", "Readings the device should have sent that day (86,400 s / reporting "
           "interval); for a gateway, the sum over its sensors in this extract.", units="messages/day"),
    Column("uplinks_received", "int", "Readings that reached Kestrel Cloud that day; for a gateway, the sum "
           "over its sensors in this extract.", units="messages/day"),
    Column("rssi_dbm", "float", "Median received signal strength of the day's uplinks at the gateway; better "
           "than -110 is healthy, below -120 is weak (sensors only; empty on a day nothing arrived).", nullable=True,
           units="dBm", decimals=1),
    Column("snr_db", "float", "Median signal-to-noise ratio; below -15 dB is weak (sensors only; empty on a day "
           "nothing "
           "arrived).", nullable=True,
           units="dB", decimals=1),
    Column("spreading_factor", "int", "Highest LoRaWAN spreading factor used that day, 7-12; SF11-12 means the "
           "network struggles to hear the device (sensors only; empty on a day nothing arrived).", nullable=True,
           allowed="7-12"),
    Column("battery_v", "float", "Lowest battery cell voltage reported that day; the platform warns below 3.3 V "
           "(battery sensors only; empty on a day nothing arrived).", nullable=True, units="V", decimals=2),
)

_GATEWAY_CODES = {"GW-LRW-IN": "GI", "GW-LRW-OUT": "GO", "GW-EDGE-500": "GE"}
#: Gateways a diagnosis site may have: the LoRaWAN ones and the Edge 500 (which also speaks LoRaWAN).
_SITE_GATEWAYS = (*LORAWAN_GATEWAYS, "GW-EDGE-500")


def _code(product_id: str) -> str:
    return _GATEWAY_CODES.get(product_id) or PRODUCT_BY_ID[product_id]["_short"].split()[0]


def _gateway_firmware(product_id: str, day: date) -> str:
    if product_id not in LORAWAN_GATEWAYS:
        return PRODUCT_BY_ID[product_id]["firmware_version"]
    return FIRMWARE_GOOD_OLD if day < FIRMWARE_BAD_RELEASED else FIRMWARE_FIX


def _pick_ticket(rng: np.random.Generator, tickets: pd.DataFrame, owned: dict[str, dict[str, int]],
                 used: set[str], rules: list[dict[str, Any]]) -> pd.Series:
    """The ticket for a case: the first rule (strictest first) that finds any, chosen at random."""
    for rule in rules:
        chosen = tickets[tickets["category"].isin(rule["categories"])
                         & tickets["product_id"].isin(rule["products"])
                         & ~tickets["customer_id"].isin(used)]
        pattern = re.compile(rule["subject"], flags=re.IGNORECASE)
        chosen = chosen[[bool(pattern.search(subject)) for subject in chosen["subject"]]]
        if "firmware" in rule:
            chosen = chosen[chosen["firmware_version"] == rule["firmware"]]
        if "after" in rule:
            chosen = chosen[chosen["created_at"] >= pd.Timestamp(rule["after"])]
        chosen = chosen[[_has_site(owned.get(c, {})) for c in chosen["customer_id"]]]
        if len(chosen):
            return chosen.iloc[int(rng.integers(len(chosen)))]
    raise RuntimeError("no ticket fits a diagnosis case")  # pragma: no cover - the ticket data always has some


def _has_site(products: dict[str, int]) -> bool:
    """A customer whose site has a LoRaWAN gateway and at least three LoRaWAN sensors."""
    gateways = any(p in products for p in _SITE_GATEWAYS)
    return gateways and sum(q for p, q in products.items() if p in LORAWAN_SENSORS) >= 3


def _quiet_then_any(categories: list[str], products: Sequence[str], quiet_subject: str,
                    any_subject: str) -> list[dict[str, Any]]:
    """The ticket rules of a case other than the firmware one, strictest first (for :func:`_pick_ticket`).

    First a ticket raised from :data:`QUIET_FROM` on (after the 3.2.0 episode) whose subject matches
    ``quiet_subject``; failing that, a ticket of any date whose subject matches ``any_subject``.
    """
    return [dict(categories=categories, products=products, after=QUIET_FROM, subject=quiet_subject),
            dict(categories=categories, products=products, subject=any_subject)]


def write_device_telemetry(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    tickets = frames["tickets"]
    owned = installed_quantities(frames["installed_base"])
    rules: dict[str, list[dict[str, Any]]] = {
        "DX-1": [dict(categories=["connectivity", "data_quality"], products=LORAWAN_GATEWAYS, firmware=FIRMWARE_BAD,
                      subject=r"gaps|missing|dropping|data loss")],
        "DX-2": _quiet_then_any(["connectivity"], LORAWAN_SENSORS, r"weak signal|dropping offline|intermittent",
                                r"offline|not reporting"),
        "DX-3": _quiet_then_any(["battery"], LORAWAN_BATTERY_SENSORS, r"^low battery warning", r"battery"),
        "DX-4": _quiet_then_any(["battery"], LORAWAN_BATTERY_SENSORS, r"draining faster", r"draining|battery at"),
        "DX-5": _quiet_then_any(["connectivity"], LORAWAN_GATEWAYS, r"all sensors|network change|offline at",
                                r"offline|not connecting"),
    }
    used: set[str] = set()
    serials = iter(rng.choice(np.arange(10_000, 100_000), size=200, replace=False).tolist())
    rows: list[dict[str, Any]] = []
    for case_id, (_, _, cause) in CASES.items():
        ticket = _pick_ticket(rng, tickets, owned, used, rules[case_id])
        used.add(ticket.customer_id)
        rows += _case_rows(rng, case_id, cause, ticket, owned[ticket.customer_id], serials)
    return pd.DataFrame(rows)


def _case_rows(rng: np.random.Generator, case_id: str, cause: str, ticket: pd.Series,
               products: dict[str, int], serials: Any) -> list[dict[str, Any]]:
    raised = ticket.created_at.date()
    days = [raised - timedelta(days=DAYS - k) for k in range(DAYS)]
    # the gateway: the ticket's own gateway, else the customer's LoRaWAN gateway
    gateway_pid = ticket.product_id if ticket.product_id in _SITE_GATEWAYS else \
        next(p for p in _SITE_GATEWAYS if p in products)
    gateway_id = f"{_code(gateway_pid)}-{next(serials)}"
    # the sensors: the ticket's sensor first (the device in question), then others from the site
    pool = [p for p in sorted(products) if p in LORAWAN_SENSORS for _ in range(min(products[p], 4))]
    focus = ticket.product_id if ticket.product_id in LORAWAN_SENSORS else None
    count = int(rng.integers(5, 8))
    others = [pool[i] for i in rng.permutation(len(pool))]
    if focus is not None and focus in others:
        others.remove(focus)
    chosen = ([focus] if focus else []) + others[: count - (1 if focus else 0)]
    sensors = [(f"{_code(p)}-{next(serials)}", p) for p in chosen]

    # what goes wrong, and when
    upgrade_day = max(FIRMWARE_BAD_RELEASED, raised - timedelta(days=int(rng.integers(4, 9))))
    outage_from = days[-1] - timedelta(days=int(rng.integers(0, 2)))
    outage_share = float(rng.uniform(0.3, 0.8))  # share of the first outage day already lost
    gw_firmware = [(FIRMWARE_BAD if d >= upgrade_day else FIRMWARE_GOOD_OLD) if cause == "firmware_320"
                   else _gateway_firmware(gateway_pid, d) for d in days]

    rows: list[dict[str, Any]] = []
    totals = np.zeros((DAYS, 2), dtype=np.int64)
    for index, (device_id, pid) in enumerate(sensors):
        spec = PRODUCT_BY_ID[pid]
        expected = int(round(86_400 / spec["reporting_interval_s"]))
        is_focus = index == 0 and focus is not None
        weak = is_focus and cause == "weak_signal"
        rssi_mean = float(rng.uniform(-125.5, -121.5)) if weak else float(rng.uniform(-104, -76))
        snr_mean = float(rng.uniform(-18.5, -15.8)) if weak else float(rng.uniform(-3.5, 8.5))
        has_battery = spec["battery_life_years"] is not None
        if is_focus and case_id == "DX-3":
            volts = np.linspace(float(rng.uniform(3.35, 3.37)), float(rng.uniform(3.24, 3.28)), DAYS)
        elif weak:
            volts = np.linspace(float(rng.uniform(3.45, 3.5)), float(rng.uniform(3.33, 3.38)), DAYS)
        else:
            start = float(rng.uniform(3.52, 3.66))
            volts = start - 0.0008 * np.arange(DAYS) + rng.normal(0, 0.004, DAYS)
        base_loss = float(rng.uniform(0.002, 0.012))
        weak_loss = float(rng.uniform(0.12, 0.3)) if case_id == "DX-2" else float(rng.uniform(0.05, 0.1))
        for k, day in enumerate(days):
            loss = base_loss
            if weak:
                loss = weak_loss
            if cause == "firmware_320" and day >= upgrade_day:
                loss = float(rng.uniform(0.12, 0.25))
            received = expected - int(rng.binomial(expected, min(loss, 1.0)))
            if cause == "gateway_offline" and day >= outage_from:
                received = int(received * (1 - outage_share)) if day == outage_from and day != days[-1] else 0
            rssi = rssi_mean + float(rng.normal(0, 1.5))
            snr = snr_mean + float(rng.normal(0, 0.8))
            if weak:
                sf = 12 if rng.random() < 0.8 else 11
            else:
                sf = 7 if rssi > -92 else (8 if rssi > -100 else 9)
            reporting = received > 0
            rows.append(dict(case_id=case_id, ticket_id=ticket.ticket_id, customer_id=ticket.customer_id,
                             device_id=device_id, product_id=pid, role="sensor", gateway_id=gateway_id, date=day,
                             firmware_version=spec["firmware_version"], uplinks_expected=expected,
                             uplinks_received=received,
                             rssi_dbm=round(rssi, 1) if reporting else None,
                             snr_db=round(snr, 1) if reporting else None,
                             spreading_factor=sf if reporting else None,
                             battery_v=round(float(volts[k]), 2) if has_battery and reporting else None))
            totals[k] += (expected, received)
    for k, day in enumerate(days):
        rows.append(dict(case_id=case_id, ticket_id=ticket.ticket_id, customer_id=ticket.customer_id,
                         device_id=gateway_id, product_id=gateway_pid, role="gateway", gateway_id=None, date=day,
                         firmware_version=gw_firmware[k], uplinks_expected=int(totals[k, 0]),
                         uplinks_received=int(totals[k, 1]), rssi_dbm=None, snr_db=None, spreading_factor=None,
                         battery_v=None))
    return rows


TABLE = Table(
    "device_telemetry", write_device_telemetry, COLUMNS, key="(case_id, device_id, date)",
    doc="Daily device figures (readings expected and received, signal, battery, firmware) for the sensors and "
        "gateway behind five tickets, over the 14 days before each was raised: the Level 2 data for diagnosing "
        "straightforward faults. Cases DX-1 ... DX-5 always have the same symptoms (gaps on every sensor of a "
        "gateway; one sensor offline; a low-battery warning; a battery draining fast; every sensor at a site "
        "offline); the tickets, devices and figures depend on the seed.",
)
