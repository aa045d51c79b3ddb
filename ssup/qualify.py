"""Qualify opportunities with MEDDICC and plan the discovery questions still open (Level 4).

Presales time is scarce: the account team spends it where a deal is real and winnable. MEDDICC is a
structured check of what the team actually knows about a deal:

===================  ========================================================================
Metrics              the measurable outcome the customer expects is agreed
Economic buyer       the person who signs off the money is known and has been met
Decision criteria    how the customer will judge the proposals is known
Decision process     the steps, people and dates to a signed order are known
Identify pain        the problem that makes the customer act now is identified
Champion             someone inside sells for us when we are not in the room
Competition          the alternatives (including doing nothing) are known, and why we are better
===================  ========================================================================

``discovery.csv`` scores each element 0 (nothing known), 1 (partly known) or 2 (confirmed), so a deal
scores 0-14. (BANT - budget, authority, need, timing - is a lighter alternative with the same idea.)

- :func:`meddicc_score`   the 0-14 score of one record
- :func:`qualify`         score, gaps and a verdict for every record of a table
- :func:`win_rate_by_score`  does the score predict outcomes? (closed opportunities)
- :func:`discovery_plan`  the questions still open for one opportunity, who asks them and why

>>> record = {"metrics": 2, "economic_buyer": 1, "decision_criteria": 2, "decision_process": 1,
...           "identify_pain": 2, "champion": 2, "competition": 1}
>>> meddicc_score(record), verdict(record)
(11, 'pursue')
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from ssup.data.discovery import MEDDICC, REQUIREMENTS

__all__ = ["MEDDICC", "LABELS", "MAX_SCORE", "PURSUE_AT", "DEVELOP_AT", "MUST_HAVE", "meddicc_score", "verdict",
           "qualify", "win_rate_by_score", "discovery_plan", "score_band"]

LABELS = {"metrics": "Metrics", "economic_buyer": "Economic buyer", "decision_criteria": "Decision criteria",
          "decision_process": "Decision process", "identify_pain": "Identify pain", "champion": "Champion",
          "competition": "Competition"}
MAX_SCORE = 2 * len(MEDDICC)
#: A score of PURSUE_AT or more (with no must-have element unknown) earns full presales support.
PURSUE_AT = 10
#: Between DEVELOP_AT and PURSUE_AT the account team develops the deal before presales invests more.
DEVELOP_AT = 6
#: Elements that must not be completely unknown for a deal to be pursued.
MUST_HAVE = ("identify_pain", "economic_buyer")

#: Who asks each MEDDICC question, and the question.
MEDDICC_QUESTIONS: dict[str, tuple[str, str]] = {
    "metrics": ("Account manager", "What measurable result would make this project a success for you "
                "(e.g. fewer spoiled batches, fewer audit findings), and by when?"),
    "economic_buyer": ("Account manager", "Who signs off a spend of this size, and can we meet them before "
                       "we propose?"),
    "decision_criteria": ("Presales", "How will you compare the proposals: which technical and commercial "
                          "criteria, and how are they weighted?"),
    "decision_process": ("Account manager", "What are the steps from here to a signed order - approvals, "
                         "procurement, legal - and the dates?"),
    "identify_pain": ("Account manager", "What happens if nothing changes: what does the problem cost you "
                      "today?"),
    "champion": ("Account manager", "Who inside the business wants this to succeed and will tell us how the "
                 "decision is going?"),
    "competition": ("Account manager", "Which other options are you considering, including building it "
                    "yourselves or doing nothing?"),
}
#: Who asks each technical question, the question, and what the answer changes in the design.
REQUIREMENT_QUESTIONS: dict[str, tuple[str, str, str]] = {
    "sites": ("Presales", "How many sites are in scope, and how are the sensors split between them?",
              "gateway count and travel"),
    "application": ("Presales", "What exactly must the sensors measure?", "which sensors qualify"),
    "coldest_c": ("Presales", "What is the coldest temperature a sensor must measure or work at?",
                  "which sensors qualify"),
    "site_area_m2": ("Presales", "How large is each site (floor area, walls, cold rooms)?",
                     "radio coverage and gateway count"),
    "gateway_location": ("Presales", "Can gateways be mounted indoors, or must they go outside?",
                         "which gateways qualify"),
    "backhaul": ("Presales", "Is there wired Ethernet or Wi-Fi for the gateways, or only mobile coverage?",
                 "which gateways qualify"),
    "reporting_interval_s": ("Presales", "How often must each sensor report?", "battery life and gateway load"),
    "integration": ("Presales", "Must the data flow into another system (MQTT broker, SCADA, ERP)?",
                    "platform tier, services and risk"),
    "retention_days": ("Presales", "How many days of raw data must you be able to look back on?",
                       "platform tier"),
    "audit_trail": ("Presales", "Do you need an audit trail for GxP or FDA 21 CFR Part 11?", "platform tier"),
    "go_live_working_days": ("Account manager", "By when must the system be live, and what drives that date?",
                             "lead-time feasibility"),
    "sla_max_loss_pct": ("Presales", "How many lost readings can you accept before it is a problem?",
                         "the simulation's pass mark"),
    "sla_alarm_p95_s": ("Presales", "How quickly must an alarm reach you?", "the simulation's pass mark"),
    "customer_skills": ("Presales", "Who will run the system day to day, and what IT/OT skills do they have?",
                        "practicality of each option"),
}


def meddicc_score(record: Mapping[str, Any] | pd.Series) -> int:
    """The MEDDICC score of one discovery record: the sum of the seven 0-2 elements (0-14).

    Raises ValueError when an element is missing or not 0, 1 or 2.
    """
    total = 0
    for element in MEDDICC:
        try:
            value = record[element]
        except (KeyError, IndexError):
            raise ValueError(f"The record has no {element!r} score; MEDDICC needs all of "
                             f"{', '.join(MEDDICC)}.") from None
        if pd.isna(value) or value not in (0, 1, 2):
            raise ValueError(f"{element} must be scored 0, 1 or 2, not {value!r}.")
        total += int(value)
    return total


def verdict(record: Mapping[str, Any] | pd.Series) -> str:
    """'pursue' (score >= PURSUE_AT and no must-have element at 0), 'develop' (score >= DEVELOP_AT)
    or 'deprioritise'."""
    score = meddicc_score(record)
    if score >= PURSUE_AT and all(int(record[m]) > 0 for m in MUST_HAVE):
        return "pursue"
    return "develop" if score >= DEVELOP_AT else "deprioritise"


def score_band(score: int) -> str:
    """The band a score falls in: '0-5', '6-9' or '10-14'.

    >>> [score_band(s) for s in (3, 6, 14)]
    ['0-5', '6-9', '10-14']
    """
    if score >= PURSUE_AT:
        return f"{PURSUE_AT}-{MAX_SCORE}"
    return f"{DEVELOP_AT}-{PURSUE_AT - 1}" if score >= DEVELOP_AT else f"0-{DEVELOP_AT - 1}"


def qualify(discovery: pd.DataFrame) -> pd.DataFrame:
    """Score every record: ``opportunity_id``, ``score`` (0-14), ``gaps`` (elements not confirmed, i.e.
    below 2) and ``verdict``, highest score first (ties by opportunity id)."""
    missing = [c for c in ("opportunity_id",) + MEDDICC if c not in discovery.columns]
    if missing:
        raise ValueError(f"The table is missing the column(s) {', '.join(missing)}.")
    rows = []
    for _, record in discovery.iterrows():
        rows.append({"opportunity_id": record["opportunity_id"], "score": meddicc_score(record),
                     "gaps": sum(int(record[e]) < 2 for e in MEDDICC), "verdict": verdict(record)})
    out = pd.DataFrame(rows, columns=["opportunity_id", "score", "gaps", "verdict"])
    return out.sort_values(["score", "opportunity_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def win_rate_by_score(discovery: pd.DataFrame, opportunities: pd.DataFrame) -> pd.DataFrame:
    """Win rate of *closed* opportunities by MEDDICC score band: does qualification predict outcomes?

    Columns: ``band``, ``closed``, ``won``, ``win_rate_pct``; one row per band, lowest first.
    """
    scored = qualify(discovery).merge(opportunities[["opportunity_id", "outcome"]], on="opportunity_id")
    closed = scored[scored["outcome"].isin(["won", "lost"])].copy()
    closed["band"] = closed["score"].map(score_band)
    order = [score_band(0), score_band(DEVELOP_AT), score_band(PURSUE_AT)]
    table = closed.groupby("band").agg(closed=("outcome", "size"), won=("outcome", lambda s: int((s == "won").sum())))
    table = table.reindex(order, fill_value=0)
    table["win_rate_pct"] = (100 * table["won"] / table["closed"].where(table["closed"] > 0)).round(1)
    return table.reset_index()


def discovery_plan(record: Mapping[str, Any] | pd.Series) -> pd.DataFrame:
    """The questions still open for one discovery record, most important first.

    One row per MEDDICC element not yet confirmed (score 0 or 1) and per technical requirement not yet
    known (empty): ``topic``, ``kind`` (qualification / requirement), ``status`` (unknown / partly known),
    ``owner`` (who asks), ``question`` and ``why`` (what the answer changes). Unknowns come before partly
    known elements; technical questions are asked only for deals with a device scope (``application`` or
    ``sites`` known, or any requirement answered).
    """
    rows = []
    for element in MEDDICC:
        value = int(record[element])
        if value < 2:
            owner, question = MEDDICC_QUESTIONS[element]
            rows.append({"topic": element, "kind": "qualification", "status": "unknown" if value == 0 else
                         "partly known", "owner": owner, "question": question,
                         "why": f"MEDDICC {LABELS[element]}: {value} of 2"})
    answered = [r for r in REQUIREMENTS if r in record and not pd.isna(record[r])]
    if answered:
        for name in REQUIREMENTS:
            value = record[name] if name in record else None
            if value is None or pd.isna(value):
                owner, question, why = REQUIREMENT_QUESTIONS[name]
                rows.append({"topic": name, "kind": "requirement", "status": "unknown", "owner": owner,
                             "question": question, "why": f"changes {why}"})
    plan = pd.DataFrame(rows, columns=["topic", "kind", "status", "owner", "question", "why"])
    order = plan["status"].map({"unknown": 0, "partly known": 1})
    return plan.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
