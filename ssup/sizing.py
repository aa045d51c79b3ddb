"""Platform sizing: devices x reporting rate x retention -> Kestrel Cloud tier, gateways, storage (Level 3).

The first technical question in most deals is "how big?". Everything follows from three numbers
the customer can answer: how many sensors, how often each reports, and how long data must be
kept. This module turns them into a platform tier, a gateway count and a storage figure, and
**states its assumptions**, because a sizing without its assumptions cannot be checked or defended.

- :func:`messages_per_day`     messages a day from a device count and a reporting interval
- :func:`tier_table`           the Kestrel Cloud tiers and their limits (from the catalogue)
- :func:`tier_gaps`            why a tier does not fit (empty list: it fits)
- :func:`choose_tier`          the cheapest tier that fits every limit and feature
- :func:`gateways_needed`      gateways for a site: device limit, busiest minute, floor area, at least one
- :func:`storage_gb`           storage for a copy of the raw data (the customer's historian or data lake)
- :func:`api_calls_per_minute` what an integration that polls the REST API needs
- :func:`size`                 all of the above in one :class:`Sizing`, with its assumptions
- :func:`sizing_curve`         messages a day against device count for several intervals (for a plot)
- :func:`bill_of_materials`    list prices of a set of products for the first year
- :func:`option_costs`         first-year list price of several options, by product category (for a chart)
- :func:`integration_route`    how a target system gets Kestrel data, and what that needs

Level 4 reuses these functions to compare solution options; the limits always come from
``products.csv``, so a catalogue change changes every answer.

>>> s = size(devices=300, interval_s=600, retention_days=365, sites=2, gateway="GW-LRW-IN")
>>> s.messages_per_day, s.tier, s.gateways
(43200.0, 'PLT-PRO', 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "FEATURES", "FEATURE_LABELS", "INTEGRATIONS", "SECONDS_PER_DAY", "Sizing", "messages_per_day", "tier_table", "tier_gaps",
    "choose_tier", "gateways_needed", "storage_gb", "api_calls_per_minute", "size", "sizing_curve",
    "bill_of_materials", "option_costs", "integration_route",
]

SECONDS_PER_DAY = 86_400
#: Features that only some tiers have (from the tier descriptions, FAQ-022 and FAQ-042 in the catalogue data).
FEATURES: dict[str, tuple[str, ...]] = {
    "rest_api": ("PLT-PRO", "PLT-ENT"),            # full REST API; Starter has a 60-calls-a-minute read-only API
    "mqtt_forwarding": ("PLT-PRO", "PLT-ENT"),
    "single_sign_on": ("PLT-PRO", "PLT-ENT"),
    "scheduled_reports": ("PLT-PRO", "PLT-ENT"),
    "alert_escalation": ("PLT-PRO", "PLT-ENT"),
    "edge_rules_and_opc_ua": ("PLT-PRO", "PLT-ENT"),  # Edge 500 local rules engine and OPC UA server
    "audit_trail": ("PLT-ENT",),                   # GxP / FDA 21 CFR Part 11
    "multi_site_hierarchy": ("PLT-ENT",),
    "availability_99_9": ("PLT-ENT",),
}

#: How features are named in sentences.
FEATURE_LABELS = {"rest_api": "REST API", "mqtt_forwarding": "MQTT forwarding", "single_sign_on": "single sign-on",
                  "scheduled_reports": "scheduled reports", "alert_escalation": "alert escalation chains",
                  "edge_rules_and_opc_ua": "Edge 500 rules engine and OPC UA", "audit_trail": "GxP audit trail",
                  "multi_site_hierarchy": "multi-site hierarchy", "availability_99_9": "99.9 % availability commitment"}

#: How each kind of target system gets Kestrel data: method, minimum tier, hardware, service product, notes.
INTEGRATIONS: dict[str, dict[str, str]] = {
    "scada": {"method": "OPC UA server on the Edge 500 (or Modbus TCP)", "minimum_tier": "PLT-PRO",
              "hardware": "GW-EDGE-500", "service": "SVC-INT-SCADA",
              "notes": "Data reaches SCADA locally even if the internet link fails; tag lists and a site "
                       "acceptance test are part of the service (KB-0047)."},
    "erp": {"method": "Kestrel Cloud REST API to SAP S/4HANA or Microsoft Dynamics 365", "minimum_tier": "PLT-PRO",
            "hardware": "", "service": "SVC-INT-ERP",
            "notes": "For maintenance orders and asset records; the ERP Integration service configures it."},
    "mqtt": {"method": "MQTT forwarding from Kestrel Cloud to the customer's broker", "minimum_tier": "PLT-PRO",
             "hardware": "", "service": "",
             "notes": "Self-service for standard JSON payloads (KB-0046); above a few thousand messages a minute "
                      "or for payload mapping, sell SVC-INT-MQTT."},
    "bi": {"method": "MQTT forwarding into the customer's database, or batched REST API reads",
           "minimum_tier": "PLT-PRO", "hardware": "", "service": "",
           "notes": "Poll many devices per call (/v2/readings, up to 200 devices a call) or push with MQTT: "
                    "polling every device one by one hits the API rate limit (KB-0027)."},
    "file": {"method": "Scheduled CSV export by email or SFTP", "minimum_tier": "PLT-STARTER",
             "hardware": "", "service": "",
             "notes": "Daily, weekly or monthly (KB-0045); also the way to archive raw data beyond the tier's "
                      "retention (KB-0029)."},
}
_ALIASES = {"historian": "scada", "opc ua": "scada", "opc-ua": "scada", "sap": "erp", "dynamics": "erp",
            "power bi": "bi", "data warehouse": "bi", "database": "bi", "rest": "bi", "api": "bi",
            "broker": "mqtt", "csv": "file", "sftp": "file", "export": "file"}


def _products(products: pd.DataFrame | None) -> pd.DataFrame:
    if products is None:
        from ssup.data import load

        products = load("products")
    return products.set_index("product_id") if "product_id" in products.columns else products


def _positive(value: float, name: str, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, not {value!r}") from None
    if math.isnan(number) or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'zero or more' if allow_zero else 'more than zero'}, not {value!r}")
    return number


def messages_per_day(devices: float, interval_s: float, events_per_device_per_day: float = 0.0) -> float:
    """Messages a day: each device reports once per ``interval_s`` seconds, plus any event messages.

    >>> messages_per_day(240, 300)        # 240 sensors every 5 minutes
    69120.0
    >>> messages_per_day(50, 3600, events_per_device_per_day=20)   # door sensors: heartbeat + openings
    2200.0
    """
    devices = _positive(devices, "devices", allow_zero=True)
    interval_s = _positive(interval_s, "interval_s")
    events = _positive(events_per_device_per_day, "events_per_device_per_day", allow_zero=True)
    return float(devices * (SECONDS_PER_DAY / interval_s + events))


def tier_table(products: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Kestrel Cloud tiers, cheapest first, with their limits and monthly list price.

    >>> tier_table()["product_id"].tolist()
    ['PLT-STARTER', 'PLT-PRO', 'PLT-ENT']
    """
    catalogue = _products(products)
    tiers = catalogue[catalogue["category"] == "platform"].reset_index()
    columns = ["product_id", "name", "list_price_gbp", "max_devices", "messages_per_day", "retention_days",
               "api_calls_per_minute"]
    return tiers[columns].sort_values("list_price_gbp", kind="mergesort").reset_index(drop=True)


def tier_gaps(tier: str, devices: float, messages_day: float, retention_days: float,
              api_calls_minute: float = 0.0, features: Iterable[str] = (),
              products: pd.DataFrame | None = None) -> list[str]:
    """The reasons tier ``tier`` does not fit (an empty list means it fits).

    >>> tier_gaps("PLT-STARTER", devices=80, messages_day=11_520, retention_days=365)
    ['80 devices > 50 allowed', '365 days of retention > 90 kept']
    """
    return _gaps(tier_table(products).set_index("product_id").loc[tier], devices, messages_day, retention_days,
                 api_calls_minute, tuple(features))


def _gaps(row: pd.Series, devices: float, messages_day: float, retention_days: float, api_calls_minute: float,
          features: tuple[str, ...]) -> list[str]:
    tier = row.name
    gaps = []
    if devices > row["max_devices"]:
        gaps.append(f"{devices:,.0f} devices > {int(row['max_devices']):,} allowed")
    if messages_day > row["messages_per_day"]:
        gaps.append(f"{messages_day:,.0f} messages a day > {int(row['messages_per_day']):,} ingested")
    if retention_days > row["retention_days"]:
        gaps.append(f"{retention_days:,.0f} days of retention > {int(row['retention_days']):,} kept")
    if api_calls_minute > row["api_calls_per_minute"]:
        gaps.append(f"{api_calls_minute:,.0f} API calls a minute > {int(row['api_calls_per_minute']):,} allowed")
    for feature in features:
        if feature not in FEATURES:
            raise ValueError(f"unknown feature {feature!r}; known: {', '.join(FEATURES)}")
        if tier not in FEATURES[feature]:
            gaps.append(f"no {FEATURE_LABELS.get(feature, feature)}")
    return gaps


def _all_gaps(devices: float, messages_day: float, retention_days: float, api_calls_minute: float,
              features: Iterable[str], products: pd.DataFrame | None) -> dict[str, list[str]]:
    """Gaps of every tier, cheapest first (one catalogue read)."""
    features = tuple(features)
    table = tier_table(products).set_index("product_id")
    return {str(tier): _gaps(row, devices, messages_day, retention_days, api_calls_minute, features)
            for tier, row in table.iterrows()}


def choose_tier(devices: float, messages_day: float, retention_days: float, api_calls_minute: float = 0.0,
                features: Iterable[str] = (), products: pd.DataFrame | None = None) -> str | None:
    """The cheapest tier with no gaps (see :func:`tier_gaps`), or None when no tier fits.

    >>> choose_tier(devices=300, messages_day=43_200, retention_days=365)
    'PLT-PRO'
    >>> choose_tier(devices=300, messages_day=43_200, retention_days=365, features=["audit_trail"])
    'PLT-ENT'
    """
    gaps = _all_gaps(devices, messages_day, retention_days, api_calls_minute, features, products)
    return next((tier for tier, reasons in gaps.items() if not reasons), None)


def gateways_needed(devices_per_site: float, interval_s: float, gateway: str = "GW-LRW-IN",
                    area_m2_per_site: float | None = None, m2_per_gateway: float = 5_000.0,
                    peak_factor: float = 2.0, products: pd.DataFrame | None = None) -> int:
    """Gateways one site needs: the largest of four floors, rounded up.

    1. the device limit: ``devices_per_site / max_devices``;
    2. the busiest minute: ``peak_factor`` x the average messages a minute / ``max_messages_per_minute``;
    3. radio coverage, when the floor area is known: ``area_m2_per_site / m2_per_gateway``
       (KB-0043: one indoor gateway per 5,000-10,000 m2 of open space, fewer m2 with steel or concrete);
    4. at least one gateway at every site that has sensors.

    >>> gateways_needed(1_200, 600, "GW-LRW-IN")              # device limit: 1,200 / 500
    3
    >>> gateways_needed(200, 600, "GW-LRW-IN", area_m2_per_site=18_000)   # coverage: 18,000 / 5,000
    4
    """
    devices = _positive(devices_per_site, "devices_per_site", allow_zero=True)
    if devices == 0:
        return 0
    row = _products(products).loc[gateway]
    if row["category"] != "gateway":
        raise ValueError(f"{gateway} is not a gateway")
    per_minute = messages_per_day(devices, interval_s) / (24 * 60) * _positive(peak_factor, "peak_factor")
    floors = [devices / float(row["max_devices"]), per_minute / float(row["max_messages_per_minute"]), 1.0]
    if area_m2_per_site:
        floors.append(_positive(area_m2_per_site, "area_m2_per_site") / _positive(m2_per_gateway, "m2_per_gateway"))
    return int(math.ceil(max(floors) - 1e-9))


def storage_gb(messages_day: float, retention_days: float, bytes_per_message: float = 200.0) -> float:
    """Storage, in GB (10^9 bytes), for ``retention_days`` of raw messages at ``bytes_per_message`` each.

    200 bytes per stored reading (value, timestamp, device id, unit and index) is a planning figure:
    use the customer's own figure for their historian when they have one.

    >>> round(storage_gb(69_120, 3 * 365), 1)
    15.1
    """
    return float(_positive(messages_day, "messages_day", True) * _positive(retention_days, "retention_days", True)
                 * _positive(bytes_per_message, "bytes_per_message") / 1e9)


def api_calls_per_minute(devices: float, poll_interval_s: float, devices_per_call: int = 1) -> float:
    """REST API calls a minute for an integration that reads every device every ``poll_interval_s`` seconds.

    ``devices_per_call`` is 1 for a script that asks device by device; /v2/readings accepts up to 200.

    >>> api_calls_per_minute(800, 60)                       # one call per device every minute
    800.0
    >>> api_calls_per_minute(800, 60, devices_per_call=200)  # batched: 4 calls a minute
    4.0
    """
    devices = _positive(devices, "devices", allow_zero=True)
    per_call = int(_positive(devices_per_call, "devices_per_call"))
    calls_per_poll = math.ceil(devices / per_call)
    return float(calls_per_poll * 60.0 / _positive(poll_interval_s, "poll_interval_s"))


@dataclass(frozen=True)
class Sizing:
    """The result of :func:`size`: the numbers, the recommendation and the assumptions behind them."""

    devices: int
    sites: int
    interval_s: float
    retention_days: float
    messages_per_day: float
    peak_messages_per_minute_per_site: float
    tier: str | None
    tier_gaps: dict[str, list[str]]
    gateway: str | None
    gateways_per_site: int
    gateways: int
    storage_gb: float
    assumptions: tuple[str, ...] = field(default=())

    def table(self) -> pd.DataFrame:
        """The sizing as a two-column table (item, value) for a proposal or a notebook."""
        rows = [
            ("sensors", f"{self.devices:,}"),
            ("sites", f"{self.sites:,}"),
            ("reporting interval", f"{self.interval_s / 60:g} min"),
            ("messages a day", f"{self.messages_per_day:,.0f}"),
            ("busiest minute per site", f"{self.peak_messages_per_minute_per_site:,.0f} messages"),
            ("retention needed", f"{self.retention_days:,.0f} days"),
            ("platform tier", self.tier or "none fits: needs a custom agreement"),
            ("gateways", f"{self.gateways:,} x {self.gateway} ({self.gateways_per_site} per site)"
             if self.gateway else "none (devices connect directly)"),
            ("storage for a raw copy", f"{self.storage_gb:,.1f} GB"),
        ]
        return pd.DataFrame(rows, columns=["item", "value"])

    def __str__(self) -> str:
        lines = [f"{item:<24} {value}" for item, value in self.table().itertuples(index=False)]
        lines.append("Assumptions:")
        lines += [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)


def size(devices: int, interval_s: float, retention_days: float, sites: int = 1, gateway: str | None = "GW-LRW-IN",
         area_m2_per_site: float | None = None, m2_per_gateway: float = 5_000.0, features: Sequence[str] = (),
         api_calls_minute: float = 0.0, events_per_device_per_day: float = 0.0, bytes_per_message: float = 200.0,
         peak_factor: float = 2.0, products: pd.DataFrame | None = None) -> Sizing:
    """Size a deployment: messages, tier, gateways and storage, with every assumption written out.

    Devices are spread evenly over ``sites``; ``gateway=None`` for devices that connect directly (LTE-M).

    >>> s = size(devices=900, interval_s=300, retention_days=730, sites=3, gateway="GW-LRW-IN")
    >>> s.tier, s.gateways_per_site, s.gateways
    ('PLT-ENT', 1, 3)
    >>> s.tier_gaps["PLT-PRO"]
    ['900 devices > 500 allowed', '730 days of retention > 365 kept']
    """
    devices = int(_positive(devices, "devices", allow_zero=True))
    sites = int(_positive(sites, "sites"))
    per_day = messages_per_day(devices, interval_s, events_per_device_per_day)
    gaps = _all_gaps(devices, per_day, retention_days, api_calls_minute, features, products)
    tier = next((t for t, reasons in gaps.items() if not reasons), None)
    per_site = math.ceil(devices / sites)
    peak = per_day / sites / (24 * 60) * peak_factor
    if gateway:
        per_site_gateways = gateways_needed(per_site, interval_s, gateway, area_m2_per_site, m2_per_gateway,
                                            peak_factor, products)
    else:
        per_site_gateways = 0
    assumptions = [
        f"Each sensor reports once every {interval_s / 60:g} minutes ({SECONDS_PER_DAY / interval_s:,.0f} messages "
        "a day)" + (f", plus {events_per_device_per_day:g} event messages a day" if events_per_device_per_day else "")
        + ".",
        f"Sensors are spread evenly: {per_site:,} per site at {sites:,} site{'s' if sites != 1 else ''}.",
        "Gateways do not count towards the tier's device limit (FAQ-039).",
        f"A gateway must carry the busiest minute, taken as {peak_factor:g} x the average message rate.",
        (f"Radio coverage: one gateway per {m2_per_gateway:,.0f} m2 of floor area (KB-0043), at least one per site; "
         "a site survey confirms positions." if area_m2_per_site else
         "Radio coverage is not sized here: at least one gateway per site, and a site survey decides the final "
         "number and positions."),
        f"Raw data must stay online for {retention_days:,.0f} days; daily aggregates are kept on every tier.",
        f"Storage for a raw copy: {bytes_per_message:g} bytes per stored reading (a planning figure).",
    ]
    if features:
        assumptions.append("Features needed: " + ", ".join(FEATURE_LABELS.get(f, f) for f in features) + ".")
    if api_calls_minute:
        assumptions.append(f"Integrations use up to {api_calls_minute:,.0f} REST API calls a minute.")
    return Sizing(devices=devices, sites=sites, interval_s=float(interval_s), retention_days=float(retention_days),
                  messages_per_day=per_day, peak_messages_per_minute_per_site=peak, tier=tier, tier_gaps=gaps,
                  gateway=gateway, gateways_per_site=per_site_gateways, gateways=per_site_gateways * sites,
                  storage_gb=storage_gb(per_day, retention_days, bytes_per_message), assumptions=tuple(assumptions))


def sizing_curve(devices: Iterable[float], intervals_s: Iterable[float], retention_days: float = 0.0,
                 products: pd.DataFrame | None = None) -> pd.DataFrame:
    """Messages a day for every (device count, interval) pair, and the cheapest tier that carries it.

    Columns: ``devices``, ``interval_s``, ``messages_per_day``, ``tier`` (None beyond every tier).

    >>> curve = sizing_curve([40, 400, 4000], [600])
    >>> curve["tier"].tolist()
    ['PLT-STARTER', 'PLT-PRO', 'PLT-ENT']
    """
    tiers = tier_table(products)
    counts = np.asarray(list(devices), dtype=float)
    frames = []
    for interval in intervals_s:
        per_day = counts * (SECONDS_PER_DAY / _positive(interval, "interval_s"))
        tier = np.full(len(counts), None, dtype=object)
        for row in tiers[::-1].itertuples(index=False):   # most expensive first, so the cheapest fit wins
            fits = (counts <= row.max_devices) & (per_day <= row.messages_per_day) & (retention_days <= row.retention_days)
            tier[fits] = row.product_id
        frames.append(pd.DataFrame({"devices": counts, "interval_s": float(interval), "messages_per_day": per_day,
                                    "tier": tier}))
    return pd.concat(frames, ignore_index=True)[["devices", "interval_s", "messages_per_day", "tier"]]


def bill_of_materials(items: Mapping[str, float], months: int = 12, products: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-year list prices of ``items`` (product id -> quantity).

    Monthly subscriptions are charged for ``months`` months, yearly plans once, everything else per unit
    (or per day for services sold by the day). Columns: ``product_id``, ``name``, ``quantity``,
    ``unit_price_gbp``, ``price_unit``, ``first_year_gbp``.

    >>> bom = bill_of_materials({"GW-LRW-IN": 2, "PLT-PRO": 1})
    >>> bom["first_year_gbp"].tolist()
    [798.0, 7080.0]
    """
    catalogue = _products(products)
    unknown = [p for p in items if p not in catalogue.index]
    if unknown:
        raise ValueError(f"not in the catalogue: {', '.join(unknown)}")
    rows = []
    for product_id, quantity in items.items():
        row = catalogue.loc[product_id]
        factor = months if row["price_unit"] == "month" else 1
        rows.append({"product_id": product_id, "name": row["name"], "quantity": quantity,
                     "unit_price_gbp": float(row["list_price_gbp"]), "price_unit": row["price_unit"],
                     "first_year_gbp": round(float(row["list_price_gbp"]) * quantity * factor, 2)})
    return pd.DataFrame(rows, columns=["product_id", "name", "quantity", "unit_price_gbp", "price_unit",
                                       "first_year_gbp"])


def option_costs(options: Mapping[str, Mapping[str, float]], months: int = 12,
                 products: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-year list price of each option (name -> {product id: quantity}), split by product category.

    One row per option, one column per category present (sensor, gateway, platform, support, service)
    and a ``total`` column, in GBP.

    >>> option_costs({"A": {"GW-LRW-IN": 2, "PLT-PRO": 1}, "B": {"GW-EDGE-500": 1, "PLT-PRO": 1}}).values.tolist()
    [[798.0, 7080.0, 7878.0], [1950.0, 7080.0, 9030.0]]
    """
    catalogue = _products(products)
    order = ["sensor", "gateway", "platform", "support", "service"]
    rows = {}
    for name, items in options.items():
        bom = bill_of_materials(items, months, products)
        rows[name] = bom.groupby(bom["product_id"].map(catalogue["category"]))["first_year_gbp"].sum()
    table = pd.DataFrame(rows).T.fillna(0.0)
    table = table[[c for c in order if c in table.columns]]
    table["total"] = table.sum(axis=1)
    table.index.name = "option"
    table.columns.name = "category"
    return table


def integration_route(target: str) -> dict[str, str]:
    """How a target system gets Kestrel data: method, minimum tier, hardware, service and notes.

    ``target`` is one of scada, erp, mqtt, bi, file (or a common name such as "SAP", "historian",
    "Power BI", "CSV").

    >>> integration_route("historian")["hardware"]
    'GW-EDGE-500'
    >>> integration_route("Power BI")["minimum_tier"]
    'PLT-PRO'
    """
    key = str(target).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in INTEGRATIONS:
        raise ValueError(f"no integration route for {target!r}; known: {', '.join(INTEGRATIONS)} "
                         f"(or {', '.join(_ALIASES)})")
    return dict(INTEGRATIONS[key], target=key)
