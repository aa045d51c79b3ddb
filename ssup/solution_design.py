"""Devise solution options from the catalogue and assess their feasibility and practicality (Level 4).

Presales turns a prospect's requirements into a bill of materials. Rather than start from a favourite
product, :func:`options` *searches*: every sensor that can do the job x every gateway (or none, for
cellular sensors) x every platform tier the account could be on. For each combination it sizes the
gateways, prices everything at list price over the contract, checks the hard constraints and scores the
practicality; :func:`least_cost` then picks the cheapest combination that passes every hard constraint
and :func:`appraisal` lays the options side by side for the account team.

Hard constraints (the ``problems`` column names each one that fails):

==============  ==============================================================================
temperature     the sensor cannot measure or work at the coldest temperature required
compatibility   the sensor-gateway, sensor-platform or gateway-platform pair is not in
                ``compatibility.csv`` (a LoRaWAN, BLE or Modbus sensor always needs a gateway)
environment     gateways must go outdoors but the model is not rated for it (IP65+, -20 C)
backhaul        the gateway cannot reach Kestrel Cloud over the network the site offers
capacity        the tier's device limit (installed + new sensors) or daily message quota is exceeded
retention       the tier keeps raw data for fewer days than required
features        the integration needs the API (Professional+) or the audit trail needs Enterprise
lead_time       order-to-go-live working days exceed the customer's deadline
==============  ==============================================================================

Go-live (working days from order) = kick-off and design + the longest lead time of the hardware and
the site survey + installation by a crew of two + acceptance test + training; integration work runs in
parallel. :mod:`ssup.proposal` refines this first check into a three-point plan.

Design rules (documented so a reviewer can challenge them): a gateway carries at most half its rated
sustained message rate on average (the rest is headroom for bursts), covers the floor area in
:data:`COVERAGE_M2`, and serves at most its catalogue ``max_devices`` - or fewer, when a simulation
(:mod:`ssup.simulate`) shows the SLA needs it (``sensors_per_gateway_limit``).

>>> req = Requirements(opportunity_id="DEMO", sensors=120, sites=1, application="temperature", coldest_c=2,
...                    site_area_m2=8000, gateway_location="indoor", backhaul="ethernet", reporting_interval_s=600,
...                    integration="none", retention_days=365, audit_trail=False, go_live_working_days=40,
...                    sla_max_loss_pct=0.5, sla_alarm_p95_s=30.0, customer_skills="medium")
>>> best = least_cost(options(req))
>>> best["sensor"], best["gateway"], int(best["gateways"]), best["tier"]
('SNS-TMP-150', 'GW-LTE-M', 4, 'PLT-PRO')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import pandas as pd

__all__ = [
    "APPLICATION_SENSORS", "COVERAGE_M2", "Requirements", "options", "least_cost", "appraisal",
    "install_days", "TIERS", "CONTRACT_MONTHS", "CONSTRAINTS",
]

#: Sensors that can do each job (active catalogue products only).
APPLICATION_SENSORS: dict[str, tuple[str, ...]] = {
    "cold_chain": ("SNS-TMP-200", "SNS-TMP-300"),
    "temperature": ("SNS-TMP-100", "SNS-TMP-150", "SNS-HUM-100", "SNS-TMP-300"),
    "humidity": ("SNS-HUM-100",),
    "air_quality": ("SNS-CO2-100",),
    "vibration": ("SNS-VIB-200",),
    "pressure": ("SNS-PRS-100",),
    "tank_level": ("SNS-LVL-100",),
    "energy": ("SNS-NRG-100", "SNS-NRG-200"),
    "door": ("SNS-DOR-100",),
    "leak": ("SNS-LEK-100",),
    "pulse": ("SNS-FLW-100",),
    "asset_tracking": ("SNS-GPS-100",),
}
#: Where a sensor's measuring range differs from its operating range (the T2's external probes,
#: -80 to +150 C, per its catalogue description).
MEASURING_MIN_C = {"SNS-TMP-200": -80}
#: Floor area one gateway covers for a protocol, in m2 (Modbus is wired: no radio limit).
COVERAGE_M2: dict[tuple[str, str], int] = {
    ("GW-LRW-IN", "LoRaWAN"): 15_000, ("GW-LRW-OUT", "LoRaWAN"): 60_000, ("GW-EDGE-500", "LoRaWAN"): 15_000,
    ("GW-EDGE-500", "BLE"): 2_000, ("GW-LTE-M", "BLE"): 2_000,
}
#: How each gateway reaches Kestrel Cloud (from the catalogue descriptions).
GATEWAY_BACKHAUL = {"GW-LRW-IN": ("ethernet", "wifi"), "GW-LRW-OUT": ("ethernet", "cellular_only"),
                    "GW-LTE-M": ("cellular_only",), "GW-EDGE-500": ("ethernet",)}
#: What each site network offers; cellular coverage is always assumed available (roaming SIM).
SITE_OFFERS = {"ethernet": ("ethernet", "wifi", "cellular_only"), "wifi": ("wifi", "cellular_only"),
               "cellular_only": ("cellular_only",)}
TIERS = ("PLT-STARTER", "PLT-PRO", "PLT-ENT")
API_TIERS = ("PLT-PRO", "PLT-ENT")
AUDIT_TIERS = ("PLT-ENT",)
INTEGRATION_SERVICE = {"mqtt": "SVC-INT-MQTT", "scada": "SVC-INT-SCADA", "erp": "SVC-INT-ERP"}
CONSTRAINTS = ("temperature", "compatibility", "environment", "backhaul", "capacity", "retention", "features",
               "lead_time")
LOAD_HEADROOM = 0.5
SENSORS_PER_DAY = {"LTE-M": 40}
DEFAULT_SENSORS_PER_DAY = 35
GATEWAYS_PER_DAY = 3
SITE_SETUP_DAYS = 0.5
CREW = 2
KICKOFF_DAYS = 3
ACCEPTANCE_DAYS = 2
CONTRACT_MONTHS = 36
ALARM_SHARE = 0.1
SURVEY_DAYS_PER_SITE = 1
TRAINING_DAYS = 1

#: Values assumed when discovery has not answered a question yet (each use is listed as an assumption).
DEFAULTS: dict[str, Any] = {
    "sites": 1, "coldest_c": 0, "site_area_m2": 10_000, "gateway_location": "indoor", "backhaul": "ethernet",
    "integration": "none", "retention_days": 365, "audit_trail": False, "go_live_working_days": 60,
    "sla_max_loss_pct": 0.5, "sla_alarm_p95_s": 30.0, "customer_skills": "medium",
}


@dataclass(frozen=True)
class Requirements:
    """A prospect's requirements, as the option search needs them.

    Build it from the data with :meth:`from_discovery`; every requirement discovery has not answered yet is
    filled with a documented default and listed in ``assumptions``.
    """

    opportunity_id: str
    sensors: int
    sites: int
    application: str
    coldest_c: int
    site_area_m2: int
    gateway_location: str
    backhaul: str
    reporting_interval_s: int
    integration: str
    retention_days: int
    audit_trail: bool
    go_live_working_days: int
    sla_max_loss_pct: float
    sla_alarm_p95_s: float
    customer_skills: str
    current_tier: str | None = None
    installed_sensors: int = 0
    assumptions: tuple[str, ...] = field(default=())

    @property
    def sensors_per_site(self) -> int:
        """Sensors at the busiest site (the total shared evenly, rounded up)."""
        return math.ceil(self.sensors / self.sites)

    @classmethod
    def from_discovery(cls, opportunity_id: str, discovery: pd.DataFrame | None = None,
                       opportunities: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
                       installed_base: pd.DataFrame | None = None, products: pd.DataFrame | None = None
                       ) -> "Requirements":
        """The requirements of one opportunity from discovery.csv, the opportunity (sensor count) and the
        customer's current tier and installed sensors. Tables not given are loaded from the data."""
        from ssup.data import load

        discovery = load("discovery") if discovery is None else discovery
        opportunities = load("opportunities") if opportunities is None else opportunities
        customers = load("customers") if customers is None else customers
        installed_base = load("installed_base") if installed_base is None else installed_base
        products = load("products") if products is None else products
        found = discovery.loc[discovery["opportunity_id"] == opportunity_id]
        if found.empty:
            raise ValueError(f"There is no discovery record for {opportunity_id!r}.")
        row = found.iloc[0]
        opp = opportunities.set_index("opportunity_id").loc[opportunity_id]
        customer = customers.set_index("customer_id").loc[opp["customer_id"]]
        product = products.set_index("product_id").loc[opp["primary_product_id"]]
        values: dict[str, Any] = {}
        assumptions: list[str] = []
        fallback = dict(DEFAULTS, application=_application_of(str(opp["primary_product_id"])),
                        reporting_interval_s=int(product["reporting_interval_s"])
                        if pd.notna(product.get("reporting_interval_s")) else 600)
        for name, default in fallback.items():
            value = row.get(name)
            if value is None or pd.isna(value):
                values[name] = default
                assumptions.append(f"{name} not known yet: assumed {default}")
            else:
                values[name] = value.item() if hasattr(value, "item") else value
        mine = installed_base[installed_base["customer_id"] == opp["customer_id"]]
        sensors_installed = int(mine.loc[mine["product_id"].str.startswith("SNS-"), "quantity"].sum())
        new_logo = opp["opportunity_type"] == "new_logo"
        return cls(opportunity_id=opportunity_id, sensors=int(opp["devices"]), sites=int(values["sites"]),
                   application=str(values["application"]), coldest_c=int(values["coldest_c"]),
                   site_area_m2=int(values["site_area_m2"]), gateway_location=str(values["gateway_location"]),
                   backhaul=str(values["backhaul"]), reporting_interval_s=int(values["reporting_interval_s"]),
                   integration=str(values["integration"]), retention_days=int(values["retention_days"]),
                   audit_trail=bool(values["audit_trail"]), go_live_working_days=int(values["go_live_working_days"]),
                   sla_max_loss_pct=float(values["sla_max_loss_pct"]),
                   sla_alarm_p95_s=float(values["sla_alarm_p95_s"]),
                   customer_skills=str(values["customer_skills"]),
                   current_tier=None if new_logo else str(customer["platform_tier"]),
                   installed_sensors=0 if new_logo else sensors_installed, assumptions=tuple(assumptions))

    def to_series(self) -> pd.Series:
        """The requirements as a Series, for display."""
        data = asdict(self)
        data["assumptions"] = "; ".join(self.assumptions) or "none"
        return pd.Series(data, name=self.opportunity_id)


def _application_of(product_id: str) -> str:
    for application, sensors in APPLICATION_SENSORS.items():
        if product_id in sensors:
            return application
    return "temperature"


def install_days(sensors: int, gateways: int, sites: int, protocol: str) -> float:
    """Engineer-days to install and commission, rounded up to half a day.

    >>> install_days(sensors=70, gateways=3, sites=1, protocol="LoRaWAN")
    3.5
    """
    per_day = SENSORS_PER_DAY.get(protocol, DEFAULT_SENSORS_PER_DAY)
    days = SITE_SETUP_DAYS * sites + sensors / per_day + gateways / GATEWAYS_PER_DAY
    return math.ceil(days * 2) / 2


def _pairs(compatibility: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(compatibility["product_id"], compatibility["compatible_with"]))


def _gateways_per_site(req: Requirements, sensor: pd.Series, gateway: pd.Series, limit: int | None) -> int:
    per_site = req.sensors_per_site
    devices = int(gateway["max_devices"])
    if limit is not None:
        devices = min(devices, int(limit))
    load_per_minute = per_site * 60 / req.reporting_interval_s * (1 + ALARM_SHARE)
    coverage = COVERAGE_M2.get((str(gateway["product_id"]), str(sensor["protocol"])))
    needed = [math.ceil(per_site / devices),
              math.ceil(load_per_minute / (float(gateway["max_messages_per_minute"]) * LOAD_HEADROOM)),
              math.ceil(req.site_area_m2 / coverage) if coverage else 1]
    return max(1, *needed)


def _battery_years(sensor: pd.Series, interval_s: int) -> float | None:
    from ssup.simulate import battery_life_years

    if pd.isna(sensor.get("battery_life_years")):
        return None
    return battery_life_years(float(sensor["battery_life_years"]), float(sensor["reporting_interval_s"]), interval_s)


def _practicality(req: Requirements, sensor: pd.Series, gateway_id: str, per_site: int, margin: int,
                  battery: float | None) -> tuple[int, list[str]]:
    """Practicality from 1 (hard to live with) to 5 (easy), and the reasons points were taken off."""
    notes: list[tuple[int, str]] = []
    if gateway_id == "GW-EDGE-500" and req.customer_skills in ("low", "medium"):
        notes.append((2 if req.customer_skills == "low" else 1,
                      f"Edge 500 rules engine and OPC UA server to run with {req.customer_skills} in-house skills"))
    if req.customer_skills == "low" and req.integration != "none":
        notes.append((1, f"{req.integration} integration with low in-house skills"))
    if req.integration == "scada" and gateway_id != "GW-EDGE-500":
        notes.append((1, "SCADA link over Modbus TCP mapped by hand (no OPC UA server)"))
    if sensor["protocol"] == "LTE-M":
        notes.append((1, "a SIM in every sensor; cellular coverage inside buildings is uncertain"))
    if sensor["protocol"] == "BLE":
        notes.append((1, "coin-cell beacons with about 30 m range"))
    if per_site > 3:
        notes.append((1, f"{per_site} gateways per site to maintain"))
    if 0 <= margin < 5:
        notes.append((1, f"only {margin} working days of margin on the go-live date"))
    if battery is not None and battery < 2:
        notes.append((1, f"batteries last about {battery:.1f} years at this reporting interval"))
    score = max(1, 5 - sum(points for points, _ in notes))
    return score, [text for _, text in notes]


def options(req: Requirements, products: pd.DataFrame | None = None, compatibility: pd.DataFrame | None = None,
            sensors_per_gateway_limit: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Every candidate configuration for ``req``: sized, priced, checked and scored (one row each).

    Columns: ``option``, ``sensor``, ``gateway`` (empty for cellular sensors), ``gateways_per_site``,
    ``gateways``, ``tier``, ``hardware_gbp``, ``services_gbp``, ``subscription_gbp`` (tier uplift over
    :data:`CONTRACT_MONTHS`), ``total_gbp`` (all at list price), ``install_days``, ``go_live_days``,
    ``feasible``, ``problems`` (the failed hard constraints, comma-separated; empty when feasible),
    ``practicality`` (1-5) and ``notes``. Sorted feasible first, then by total cost.
    """
    from ssup.data import load

    products = load("products") if products is None else products
    compatibility = load("compatibility") if compatibility is None else compatibility
    limits = dict(sensors_per_gateway_limit or {})
    catalogue = products.set_index("product_id", drop=False)
    pairs = _pairs(compatibility)
    sensors = [s for s in APPLICATION_SENSORS.get(req.application, ())
               if s in catalogue.index and bool(catalogue.loc[s, "active"])]
    if not sensors:
        raise ValueError(f"No active sensor in the catalogue does the job {req.application!r}.")
    gateways = [g for g in catalogue.index if catalogue.loc[g, "category"] == "gateway"]
    current = TIERS.index(req.current_tier) if req.current_tier in TIERS else 0
    rows = []
    for sensor_id in sensors:
        sensor = catalogue.loc[sensor_id]
        cellular = sensor["protocol"] == "LTE-M"
        for gateway_id in ([""] if cellular else gateways):
            gateway = catalogue.loc[gateway_id] if gateway_id else None
            for tier in TIERS[current:]:
                rows.append(_assess(req, sensor, gateway, catalogue.loc[tier], pairs, catalogue, limits))
    table = pd.DataFrame(rows)
    return table.sort_values(["feasible", "total_gbp", "option"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def _assess(req: Requirements, sensor: pd.Series, gateway: pd.Series | None, tier: pd.Series,
            pairs: set[tuple[str, str]], catalogue: pd.DataFrame, limits: dict[str, int]) -> dict[str, Any]:
    """Size, price, check and score one configuration."""
    price = catalogue["list_price_gbp"].astype(float)
    sensor_id, tier_id = str(sensor["product_id"]), str(tier["product_id"])
    gateway_id = "" if gateway is None else str(gateway["product_id"])
    problems: list[str] = []
    measuring_min = MEASURING_MIN_C.get(sensor_id, sensor["operating_temp_min_c"])
    if pd.notna(measuring_min) and req.coldest_c < int(measuring_min):
        problems.append("temperature")
    if gateway is None:
        compatible = (sensor_id, tier_id) in pairs
        per_site, count = 0, 0
    else:
        compatible = (sensor_id, gateway_id) in pairs and (gateway_id, tier_id) in pairs
        per_site = _gateways_per_site(req, sensor, gateway, limits.get(gateway_id))
        count = per_site * req.sites
        if req.gateway_location == "outdoor" and not (str(gateway["ip_rating"]) >= "IP65"
                                                      and int(gateway["operating_temp_min_c"]) <= -20):
            problems.append("environment")
        if not set(GATEWAY_BACKHAUL.get(gateway_id, ())) & set(SITE_OFFERS.get(req.backhaul, (req.backhaul,))):
            problems.append("backhaul")
    if not compatible:
        problems.insert(1 if problems[:1] == ["temperature"] else 0, "compatibility")
    messages_per_day = (req.installed_sensors + req.sensors) * 86_400 / req.reporting_interval_s * (1 + ALARM_SHARE)
    devices = req.installed_sensors + req.sensors
    if devices > int(tier["max_devices"]) or messages_per_day > int(tier["messages_per_day"]):
        problems.append("capacity")
    if int(tier["retention_days"]) < req.retention_days:
        problems.append("retention")
    if (req.integration != "none" and tier_id not in API_TIERS) or (req.audit_trail and tier_id not in AUDIT_TIERS):
        problems.append("features")
    days = install_days(req.sensors, count, req.sites, str(sensor["protocol"]))
    service = INTEGRATION_SERVICE.get(req.integration)
    lead_items = [sensor_id, "SVC-SURVEY"] + ([gateway_id] if gateway_id else [])
    lead = max(int(catalogue.loc[item, "lead_time_days"]) for item in lead_items)
    go_live = KICKOFF_DAYS + lead + math.ceil(days / CREW) + ACCEPTANCE_DAYS + TRAINING_DAYS
    if go_live > req.go_live_working_days:
        problems.append("lead_time")
    hardware = req.sensors * price[sensor_id] + count * (price[gateway_id] if gateway_id else 0.0)
    services = (req.sites * SURVEY_DAYS_PER_SITE * price["SVC-SURVEY"] + days * price["SVC-INSTALL-DAY"]
                + (price[service] if service else 0.0) + TRAINING_DAYS * price["SVC-TRAIN"])
    current_price = price[req.current_tier] if req.current_tier in price.index else 0.0
    subscription = max(0.0, price[tier_id] - current_price) * CONTRACT_MONTHS
    battery = _battery_years(sensor, req.reporting_interval_s)
    practicality, notes = _practicality(req, sensor, gateway_id, per_site, req.go_live_working_days - go_live, battery)
    label = f"{sensor_id} + " + (f"{per_site}x {gateway_id} per site" if gateway_id else "no gateway") + f" + {tier_id}"
    return dict(option=label, sensor=sensor_id, gateway=gateway_id, gateways_per_site=per_site, gateways=count,
                tier=tier_id, hardware_gbp=round(hardware, 2), services_gbp=round(services, 2),
                subscription_gbp=round(subscription, 2), total_gbp=round(hardware + services + subscription, 2),
                install_days=days, go_live_days=go_live, feasible=not problems, problems=", ".join(problems),
                practicality=practicality, notes="; ".join(notes))


def least_cost(table: pd.DataFrame, min_practicality: int = 1) -> pd.Series:
    """The cheapest option that passes every hard constraint (and has at least ``min_practicality``).

    Ties go to the more practical option, then to the option name. Raises ValueError when none qualifies.
    """
    ok = table[table["feasible"] & (table["practicality"] >= min_practicality)]
    if ok.empty:
        raise ValueError("No option passes every hard constraint: relax a requirement or widen the catalogue.")
    ordered = ok.assign(_neg=-ok["practicality"]).sort_values(["total_gbp", "_neg", "option"], kind="stable")
    return ordered.drop(columns="_neg").iloc[0]


def appraisal(table: pd.DataFrame, top: int = 4) -> pd.DataFrame:
    """An options appraisal for the account team: the ``top`` cheapest feasible options, plus the cheapest
    option rejected for each hard constraint, with cost, go-live, practicality and a verdict.

    The recommended option is the cheapest feasible one with practicality 3 or more (or simply the cheapest
    feasible one when none scores 3).
    """
    feasible = table[table["feasible"]].sort_values("total_gbp", kind="stable")
    practical = feasible[feasible["practicality"] >= 3]
    recommended = (practical if not practical.empty else feasible).head(1)["option"].tolist()
    shown = [feasible.head(top)]
    rejected = table[~table["feasible"]].sort_values("total_gbp", kind="stable")
    first_problem = rejected["problems"].str.split(", ").str[0]
    shown.append(rejected.loc[~first_problem.duplicated()])
    out = pd.concat(shown).drop_duplicates("option")
    verdict = []
    for row in out.itertuples():
        if row.option in recommended:
            verdict.append("recommended")
        elif row.feasible:
            verdict.append("feasible")
        else:
            verdict.append(f"rejected: {row.problems}")
    out = out.assign(verdict=verdict)
    columns = ["option", "total_gbp", "go_live_days", "practicality", "verdict", "notes"]
    return out[columns].set_index("option")
