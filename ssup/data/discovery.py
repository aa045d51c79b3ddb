"""discovery.csv: what presales knows about each opportunity (Level 4 qualification and requirements).

One row per opportunity that is still open or that had a presales consultant: the MEDDICC evidence
the account team has gathered (each element scored 0 = nothing known, 1 = partly known or unconfirmed,
2 = confirmed with the customer) and the technical requirements captured in discovery. An empty
requirement cell means nobody has asked yet: those are the questions of the discovery plan
(:func:`ssup.qualify.discovery_plan`). Upgrades and services have no device scope, so their technical
columns are empty.

Built in:

* MEDDICC evidence is stronger on won than on lost opportunities, and grows with the stage of open ones,
  so a qualification score can be tested against outcomes.
* Early-stage open opportunities have more unknown requirements than late-stage ones.
* Exactly one open opportunity (``pilot = 1``) ran a pilot before its proposal: the Level 4 case
  study. Its pilot telemetry is ``pilot_telemetry.csv`` (:mod:`ssup.data.pilot`).

Registered in :data:`ssup.data.generate.REGISTRY` as ``"ssup.data.discovery:TABLE"``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from ssup.data.generate import AS_OF, LORAWAN_BATTERY_SENSORS, PRODUCT_BY_ID, Column, Frames, Table

#: The seven MEDDICC elements, in the order the columns appear.
MEDDICC = ("metrics", "economic_buyer", "decision_criteria", "decision_process", "identify_pain", "champion",
           "competition")

#: What each sensor is bought to measure (the ``application`` column).
APPLICATION_OF = {
    "SNS-TMP-100": "temperature", "SNS-TMP-150": "temperature", "SNS-TMP-200": "cold_chain",
    "SNS-TMP-300": "cold_chain", "SNS-HUM-100": "humidity", "SNS-CO2-100": "air_quality",
    "SNS-VIB-100": "vibration", "SNS-VIB-200": "vibration", "SNS-PRS-100": "pressure",
    "SNS-LVL-100": "tank_level", "SNS-NRG-100": "energy", "SNS-NRG-200": "energy", "SNS-DOR-100": "door",
    "SNS-LEK-100": "leak", "SNS-FLW-100": "pulse", "SNS-GPS-100": "asset_tracking",
}
APPLICATIONS = tuple(sorted(set(APPLICATION_OF.values())))
GATEWAY_LOCATIONS = ("indoor", "outdoor")
BACKHAULS = ("ethernet", "wifi", "cellular_only")
INTEGRATIONS = ("none", "mqtt", "scada", "erp")
SKILLS = ("low", "medium", "high")
OUTDOOR_INDUSTRIES = ("utilities", "water", "mining", "agriculture")

#: The technical requirement columns (all may be empty: not asked yet).
REQUIREMENTS = ("sites", "application", "coldest_c", "site_area_m2", "gateway_location", "backhaul",
                "reporting_interval_s", "integration", "retention_days", "audit_trail", "go_live_working_days",
                "sla_max_loss_pct", "sla_alarm_p95_s", "customer_skills")

_SCORE_DOC = " 0 = nothing known, 1 = partly known or unconfirmed, 2 = confirmed with the customer."

COLUMNS = (
    Column("opportunity_id", "str", "opportunities.opportunity_id the record belongs to.", allowed="unique"),
    Column("updated_date", "date", "When presales last updated the record."),
    Column("metrics", "int", "M - the measurable business outcome the customer expects (e.g. fewer spoiled "
           "batches) is agreed." + _SCORE_DOC, allowed="0-2"),
    Column("economic_buyer", "int", "E - the person who signs off the money is known and has been met."
           + _SCORE_DOC, allowed="0-2"),
    Column("decision_criteria", "int", "D - the criteria the customer will judge proposals on are known."
           + _SCORE_DOC, allowed="0-2"),
    Column("decision_process", "int", "D - the steps, people and dates to a signed order are known." + _SCORE_DOC,
           allowed="0-2"),
    Column("identify_pain", "int", "I - the problem that makes the customer act now is identified." + _SCORE_DOC,
           allowed="0-2"),
    Column("champion", "int", "C - someone inside the customer sells for us when we are not there." + _SCORE_DOC,
           allowed="0-2"),
    Column("competition", "int", "C - the competing offers (including doing nothing or building in-house) are "
           "known and we know why we are better." + _SCORE_DOC, allowed="0-2"),
    Column("sites", "int", "Sites in scope of the deal.", nullable=True, units="sites"),
    Column("application", "str", "What the sensors must measure.", nullable=True, allowed=", ".join(APPLICATIONS)),
    Column("coldest_c", "int", "Lowest temperature the sensors must measure or work at.", nullable=True,
           units="deg C"),
    Column("site_area_m2", "int", "Floor area of a typical site to cover with radio.", nullable=True, units="m2"),
    Column("gateway_location", "str", "Where gateways can be mounted.", nullable=True,
           allowed=", ".join(GATEWAY_LOCATIONS)),
    Column("backhaul", "str", "Network the site offers gateways: wired Ethernet, Wi-Fi only, or none "
           "(cellular only).", nullable=True, allowed=", ".join(BACKHAULS)),
    Column("reporting_interval_s", "int", "How often each sensor must report.", nullable=True, units="seconds"),
    Column("integration", "str", "System the data must flow into, if any.", nullable=True,
           allowed=", ".join(INTEGRATIONS)),
    Column("retention_days", "int", "Days of raw data the customer must be able to look back on.", nullable=True,
           units="days"),
    Column("audit_trail", "bool", "1 if an audit trail is mandatory (GxP / FDA 21 CFR Part 11).", nullable=True,
           allowed="0, 1"),
    Column("go_live_working_days", "int", "Working days from order to go-live the customer needs.", nullable=True,
           units="working days"),
    Column("sla_max_loss_pct", "float", "Most uplinks the customer accepts losing.", nullable=True, units="%",
           decimals=2),
    Column("sla_alarm_p95_s", "float", "95% of alarm uplinks must reach Kestrel Cloud within this time.",
           nullable=True, units="seconds", decimals=1),
    Column("customer_skills", "str", "The customer's own IT/OT skills to run the solution.", nullable=True,
           allowed=", ".join(SKILLS)),
    Column("pilot", "bool", "1 for the opportunity that ran a pilot (its telemetry is pilot_telemetry.csv).",
           allowed="0, 1"),
)

_UNKNOWN_RATE = {"qualify": 0.45, "discover": 0.3, "propose": 0.12, "negotiate": 0.05}
_LATENT_MEAN = {"qualify": -0.6, "discover": -0.25, "propose": 0.2, "negotiate": 0.55}
#: Elements that are usually known later (negative) or earlier (positive) than the others.
_ELEMENT_OFFSET = {"metrics": 0.0, "economic_buyer": -0.35, "decision_criteria": 0.1, "decision_process": -0.3,
                   "identify_pain": 0.35, "champion": -0.1, "competition": -0.2}
#: MEDDICC evidence of the case study: strong, with gaps a discovery plan must close.
CASE_STUDY_EVIDENCE = {"metrics": 2, "economic_buyer": 1, "decision_criteria": 2, "decision_process": 1,
                       "identify_pain": 2, "champion": 2, "competition": 1}


def choose_case_study(opportunities: pd.DataFrame) -> str:
    """The open opportunity that ran a pilot: the largest open LoRaWAN sensor deal a presales consultant
    is proposing (created at least 70 days before the extract), relaxing the rules if no deal fits."""
    open_ = opportunities[(opportunities["outcome"] == "open")
                          & opportunities["opportunity_type"].isin(["new_logo", "expansion"])]
    lorawan = open_[open_["primary_product_id"].isin(LORAWAN_BATTERY_SENSORS)]
    rules = [
        lorawan[lorawan["presales_agent_id"].notna() & lorawan["stage"].isin(["propose", "negotiate"])
                & lorawan["devices"].between(150, 1500)
                & (lorawan["created_date"] <= pd.Timestamp(AS_OF - timedelta(days=70)))],
        lorawan[lorawan["devices"].between(50, 3000)],
        lorawan[lorawan["devices"] > 0],
        open_[open_["devices"] > 0],
    ]
    for candidates in rules:
        if len(candidates):
            best = candidates.sort_values(["devices", "opportunity_id"], ascending=[False, True]).iloc[0]
            return str(best["opportunity_id"])
    raise ValueError("no open device opportunity to use as the Level 4 case study")


def _requirements(rng: np.random.Generator, opp: dict, customer: dict) -> dict:
    """Plausible technical requirements of one device deal (before any are blanked as unknown)."""
    product = PRODUCT_BY_ID[opp["primary_product_id"]]
    application = APPLICATION_OF[opp["primary_product_id"]]
    industry = customer["industry"]
    devices = int(opp["devices"])
    outdoor = industry in OUTDOOR_INDUSTRIES and rng.random() < 0.6
    if application == "cold_chain":
        coldest = int(rng.choice([-30, -28, -25, -22, 0, 2]))
    elif outdoor:
        coldest = max(int(rng.choice([-25, -20, -15, -10])), int(product["operating_temp_min_c"]))
    else:
        coldest = max(int(rng.choice([-5, 0, 5, 10])), int(product["operating_temp_min_c"]))
    sites = int(max(1, min(int(customer["sites"]) + 2, round(devices / rng.uniform(120, 320)))))
    area_scale = {"logistics": 18000, "food_beverage": 12000, "pharma": 9000, "manufacturing": 15000,
                  "building_management": 7000}.get(industry, 25000)
    area = int(round(area_scale * rng.lognormal(0, 0.35), -2))
    interval = int(product["reporting_interval_s"])
    if rng.random() < 0.25:
        interval = int(rng.choice([60, 120, 300, 600, 900]))
    integration = str(rng.choice(INTEGRATIONS, p=[0.45, 0.3, 0.15, 0.1]))
    if integration == "scada" and industry not in ("manufacturing", "utilities", "water", "mining"):
        integration = "mqtt"
    return dict(
        sites=sites, application=application, coldest_c=coldest, site_area_m2=area,
        gateway_location="outdoor" if outdoor else "indoor",
        backhaul=str(rng.choice(BACKHAULS, p=[0.65, 0.2, 0.15])),
        reporting_interval_s=interval, integration=integration,
        retention_days=int(rng.choice([90, 365, 730, 1095], p=[0.2, 0.45, 0.2, 0.15])),
        audit_trail=bool(industry == "pharma" and rng.random() < 0.8),
        go_live_working_days=int(rng.choice([30, 40, 45, 60, 80])),
        sla_max_loss_pct=float(rng.choice([0.1, 0.5, 1.0], p=[0.4, 0.4, 0.2])),
        sla_alarm_p95_s=float(rng.choice([10.0, 15.0, 30.0, 60.0])),
        customer_skills=str(rng.choice(SKILLS, p=[0.3, 0.45, 0.25])),
    )


def _case_study_requirements(opp: dict, customer: dict) -> dict:
    """The case study's requirements: fixed values that make its design, simulation and plan instructive."""
    product = PRODUCT_BY_ID[opp["primary_product_id"]]
    application = APPLICATION_OF.get(opp["primary_product_id"], "temperature")
    devices = int(opp["devices"])
    coldest = -28 if application == "cold_chain" else max(-5, int(product.get("operating_temp_min_c") or -5))
    return dict(
        sites=2 if devices >= 300 else 1, application=application, coldest_c=coldest, site_area_m2=12000,
        gateway_location="indoor", backhaul="ethernet",
        reporting_interval_s=int(product.get("reporting_interval_s") or 300), integration="mqtt",
        retention_days=None, audit_trail=bool(customer["industry"] == "pharma"), go_live_working_days=45,
        sla_max_loss_pct=0.1, sla_alarm_p95_s=15.0, customer_skills=None,
    )


def write(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    opps = frames["opportunities"]
    customers = frames["customers"].set_index("customer_id")[["industry", "sites"]].to_dict("index")
    case_study = choose_case_study(opps)
    chosen = opps[(opps["outcome"] == "open") | opps["presales_agent_id"].notna()].sort_values("opportunity_id")
    last_day = (AS_OF - timedelta(days=1)).date()
    rows = []
    for o in chosen.to_dict("records"):
        customer = customers[o["customer_id"]]
        if o["outcome"] == "open":
            latent = rng.normal(_LATENT_MEAN.get(o["stage"], 0.0), 1.0)
            unknown = _UNKNOWN_RATE.get(o["stage"], 0.1)
            end = last_day
        else:
            latent = rng.normal(0.65 if o["outcome"] == "won" else -0.45, 1.0)
            unknown = 0.04
            end = o["closed_date"].date()
        start = min(o["created_date"].date(), end)
        span = (end - start).days
        updated = start + timedelta(days=int(rng.integers(span // 2, span + 1)) if span else 0)
        row = dict(opportunity_id=o["opportunity_id"], updated_date=updated)
        noise = rng.normal(0, 0.6, size=len(MEDDICC))
        for element, e in zip(MEDDICC, noise):
            row[element] = int(min(2, max(0, round(1.0 + 0.85 * latent + _ELEMENT_OFFSET[element] + e))))
        if int(o["devices"]) > 0 and str(o["primary_product_id"]).startswith("SNS-"):
            requirements = _requirements(rng, o, customer)
            blank = rng.random(len(REQUIREMENTS)) < unknown
            for name, is_blank in zip(REQUIREMENTS, blank):
                if is_blank:
                    requirements[name] = None
        else:
            requirements = {name: None for name in REQUIREMENTS}
        row.update(requirements)
        row["pilot"] = o["opportunity_id"] == case_study
        if row["pilot"]:
            row.update(CASE_STUDY_EVIDENCE)
            row.update(_case_study_requirements(o, customer))
            row["updated_date"] = max(start, last_day - timedelta(days=9))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c.name for c in COLUMNS])
    for name in ("sites", "coldest_c", "site_area_m2", "reporting_interval_s", "retention_days",
                 "go_live_working_days"):
        frame[name] = frame[name].astype("Int64")
    frame["audit_trail"] = frame["audit_trail"].astype("boolean")
    return frame


TABLE = Table(
    "discovery", write, COLUMNS, key="opportunity_id",
    doc="What presales knows about each opportunity that is open or had a presales consultant: the MEDDICC "
        "qualification evidence (0 = nothing known, 1 = partly known, 2 = confirmed) and the technical "
        "requirements gathered in discovery. An empty requirement means nobody has asked yet; upgrades and "
        "services have no device scope, so their technical columns are empty. `pilot = 1` marks the one open "
        "opportunity that ran a pilot (the Level 4 case study).",
)
