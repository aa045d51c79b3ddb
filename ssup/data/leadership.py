"""Level 6 data: the Service Desk phone queue's hourly report and four competing investment proposals.

Four tables, registered in :data:`ssup.data.generate.REGISTRY` (in this order, after ``tickets``):

``phone_calls``
    The telephony system's report for the Service Desk phone queue: one row per hour the line is open
    (Mon-Fri 08:00-18:00 UK time), with calls offered, answered, abandoned and answered within 20 seconds,
    the average handle time and the agents logged in. Every phone ticket logged in those hours is one of the
    calls (column ``phone_tickets``); most calls are quick questions answered at once and never ticketed.
    Volume follows the same customers, seasons, weekdays and holidays as ``tickets.csv``. The service
    outcomes come from the Erlang C model (:mod:`ssup.staffing`) applied to the rota that was actually worked,
    so the queue gets worse as the customer base grows and the rota does not.
``proposals``, ``proposal_cashflows``, ``proposal_risks``
    The four development proposals in customer services and systems waiting for the head of customer
    service's decision (self-service portal, chatbot, CRM upgrade, field-service app): the sponsors' business
    cases with yearly cash flows (year 0 = the investment) and their risk registers. The benefit lines are
    computed from the company's own volumes of the last twelve months, and each proposal's ``benefit_basis``
    says how, so a trainee can challenge the sponsor's arithmetic.

Every writer uses only its own numpy Generator (``child_rng``), so the output is the same every run.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from ssup.data.generate import (
    FIRMWARE_BAD_RELEASED, FIRMWARE_FIX_RELEASED, HOUR_PROFILE, INDUSTRY_SEASON, SEASON, TEAMS, TICKETS_END,
    TICKETS_START, UK_BANK_HOLIDAYS, WEEKDAY_FACTOR, Column, Frames, Table, team_lead,
)
from ssup.strategy import policy_gaps

#: The Service Desk phone line is open Mon-Fri, for the hours starting at these times (08:00 ... 17:00).
DESK_HOURS = tuple(range(8, 18))
#: Quick calls (answered at once, never ticketed) per ticketed phone call, on average.
QUICK_CALLS_PER_TICKET = 10.0
#: Mean handle time (talk, hold and wrap-up), seconds: a quick answer, and a call that becomes a ticket.
QUICK_AHT_S = 280.0
TICKET_AHT_S = 700.0
#: Answer-time target of the phone report (the "20" in "80% of calls answered within 20 seconds").
ANSWER_TARGET_S = 20
#: How long callers wait, on average, before they hang up (seconds).
PATIENCE_S = 240.0
#: Agents rostered on the phone queue, by weekday (0 = Monday) and hour; 2 in every other hour.
ROTA_EXTRA = {(wd, h): 3 for wd in (0, 1, 2) for h in (9, 10, 11, 14, 15, 16)}
#: Chance that an agent of the rota is away (sick, called into a meeting) in a given hour.
ABSENCE_RATE = 0.08
#: The twelve months the proposals' sponsors used for their volumes.
BASIS_START = date(2025, 7, 1)
BASIS_END = date(2026, 6, 30)

PHONE_CALL_COLUMNS = (
    Column("interval_start", "datetime", "Start of the hour (UK time); the interval runs for 60 minutes. The line is "
           "open Mon-Fri 08:00-18:00, bank holidays included (with few calls)."),
    Column("calls_offered", "int", "Calls that reached the Service Desk queue in the hour (answered + abandoned).",
           units="calls"),
    Column("calls_answered", "int", "Calls an agent answered.", units="calls"),
    Column("abandoned", "int", "Callers who hung up before an agent answered.", units="calls"),
    Column("answered_within_20s", "int", "Answered calls that waited 20 seconds or less (the service-level "
           "target's answer time).", units="calls"),
    Column("aht_seconds", "float", "Average handle time of the answered calls: talk, hold and wrap-up; empty when "
           "no call was answered.", nullable=True, units="seconds", decimals=1),
    Column("agents_logged_in", "int", "Agents logged in to the phone queue for the hour (the rota worked, after "
           "absences).", units="agents"),
    Column("phone_tickets", "int", "Phone tickets logged from calls in this hour (tickets.csv, channel phone, "
           "created in the hour); every other answered call was a quick question answered at once.",
           units="tickets"),
)

PROPOSAL_COLUMNS = (
    Column("proposal_id", "str", "Proposal id (PRP-01 ...).", allowed="unique"),
    Column("title", "str", "Short name of the development."),
    Column("sponsor_team", "str", "Team that proposes it and would own the benefits.", allowed=", ".join(TEAMS)),
    Column("sponsor_agent_id", "str", "agents.agent_id of the sponsor (the lead of sponsor_team)."),
    Column("summary", "str", "What would be built or bought, in two sentences."),
    Column("benefit_basis", "str", "How the sponsor calculated the yearly benefit, with the volumes of the last "
           "twelve months (2025-07-01 to 2026-06-30) and the unit costs used."),
    Column("objectives", "str", "Corporate objectives it supports, ids separated by ';' (ssup.strategy.OBJECTIVES: "
           "O1 growth, O2 retention, O3 efficiency, O4 regulated cold chain)."),
    Column("delivery_months", "int", "Months from approval to go-live, in the sponsor's plan.", units="months"),
    Column("submitted_date", "date", "Date the business case was submitted for approval."),
)

CASHFLOW_COLUMNS = (
    Column("proposal_id", "str", "proposals.proposal_id."),
    Column("year", "int", "Year of the cash flow: 0 = the investment, at approval (not discounted); 1-5 = the "
           "years after it.", units="years", allowed="0-5"),
    Column("capital_gbp", "float", "Investment: licences bought outright, build, data migration, training "
           "(year 0).", units="GBP"),
    Column("running_cost_gbp", "float", "Yearly running cost: subscriptions, hosting, support of the system.",
           units="GBP"),
    Column("benefit_gbp", "float", "Yearly benefit claimed by the sponsor: costs avoided and margin gained "
           "(see proposals.benefit_basis).", units="GBP"),
)

RISK_COLUMNS = (
    Column("risk_id", "str", "Risk id (RSK-01 ...).", allowed="unique"),
    Column("proposal_id", "str", "proposals.proposal_id the risk belongs to."),
    Column("risk", "str", "What could go wrong, and its effect."),
    Column("probability", "float", "Chance it happens during the five years (0-1).", decimals=2, allowed="0-1"),
    Column("impact_gbp", "float", "Cost if it happens (lost benefit or extra spend).", units="GBP"),
    Column("mitigation", "str", "What the sponsor would do to make it less likely or less costly."),
)


# --------------------------------------------------------------------------------------------
# phone_calls.csv
# --------------------------------------------------------------------------------------------
def _desk_days() -> list[date]:
    n = (TICKETS_END - TICKETS_START).days + 1
    return [TICKETS_START + timedelta(days=k) for k in range(n) if (TICKETS_START + timedelta(days=k)).weekday() < 5]


def _holiday_factor(day: date) -> float:
    if day in UK_BANK_HOLIDAYS:
        return 0.3
    return 0.5 if (day.month == 12 and day.day >= 24) else 1.0


def _erlang(calls: np.ndarray, aht: np.ndarray, agents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probability of waiting, service level within ANSWER_TARGET_S and mean wait of those who wait (vectorised).

    The same formulas as :mod:`ssup.staffing` (Erlang B recursion, then C); rows with ``agents <= traffic``
    get probability 1, service level 0 and an infinite wait.
    """
    a = calls * aht / 3600.0
    b = np.ones_like(a)
    for k in range(1, int(agents.max()) + 1):
        step = a * b / (k + a * b)
        b = np.where(k <= agents, step, b)
    stable = agents > a
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(stable, b / (1.0 - (a / agents) * (1.0 - b)), 1.0)
        c = np.where(a == 0, 0.0, c)
        sl = np.where(stable, 1.0 - c * np.exp(-(agents - a) * ANSWER_TARGET_S / aht), 0.0)
        sl = np.where(a == 0, 1.0, sl)
        wait = np.where(stable, aht / np.maximum(agents - a, 1e-9), np.inf)
    return c, sl, wait


def write_phone_calls(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    customers = frames["customers"]
    installed = frames["installed_base"]
    tickets = frames["tickets"]
    duplicates = set(frames.extra.get("duplicates", {}))

    days = _desk_days()
    hours = np.array(DESK_HOURS)
    starts = [datetime(d.year, d.month, d.day, h) for d in days for h in DESK_HOURS]

    # Phone tickets logged in each open hour: every one of them is an answered call.
    phone = tickets[tickets["channel"] == "phone"]["created_at"].dt.floor("h")
    ticketed = phone.value_counts().reindex(pd.DatetimeIndex(starts), fill_value=0).to_numpy().reshape(len(days), -1)

    # Quick calls follow the same customers, seasons, weekdays and holidays as the tickets do.
    sensors = installed[installed["product_id"].str.startswith("SNS-")].groupby("customer_id")["quantity"].sum()
    size = np.array([0.0 if cid in duplicates else math.sqrt(float(sensors.get(cid, 0)) + 10.0)
                     for cid in customers["customer_id"]])
    since = customers["customer_since"].dt.date.to_numpy()
    season = np.array([SEASON[INDUSTRY_SEASON[ind]] for ind in customers["industry"]])  # customers x 12
    month = np.array([d.month - 1 for d in days])
    active = np.array([[s <= d for d in days] for s in since], dtype=float)
    day_level = (size[:, None] * active * season[:, month]).sum(axis=0)
    day_level *= np.array([WEEKDAY_FACTOR[d.weekday()] * _holiday_factor(d) for d in days])
    share = np.array([HOUR_PROFILE["phone"][h] for h in hours], dtype=float)
    lam = day_level[:, None] * (share / share.sum())[None, :]
    lam *= QUICK_CALLS_PER_TICKET * ticketed.sum() / lam.sum()
    quick = rng.poisson(lam)

    # Handle times: ticketed calls take longer, and longer still while firmware 3.2.0 confused everyone.
    spike = np.array([FIRMWARE_BAD_RELEASED <= d < FIRMWARE_FIX_RELEASED + timedelta(days=21) for d in days])
    ticket_aht = np.where(spike, TICKET_AHT_S * 1.12, TICKET_AHT_S)[:, None]
    offered = ticketed + quick
    expected_aht = np.where(offered > 0, (ticketed * ticket_aht + quick * QUICK_AHT_S) / np.maximum(offered, 1),
                            QUICK_AHT_S)

    # The rota actually worked, after absences.
    rota = np.array([[ROTA_EXTRA.get((d.weekday(), h), 2) for h in DESK_HOURS] for d in days])
    away = rng.binomial(rota, ABSENCE_RATE)
    agents = np.maximum(rota - away, 1)

    # Service outcomes from Erlang C: who waited, who gave up, who was answered within 20 s.
    pw, sl, wait = _erlang(offered.astype(float), expected_aht, agents.astype(float))
    finite = np.isfinite(wait)
    safe_wait = np.where(finite, wait, 0.0)
    give_up = np.where(finite, pw * safe_wait / (safe_wait + PATIENCE_S), 0.35)
    abandoned = rng.binomial(quick, np.clip(give_up, 0.0, 1.0))
    answered = offered - abandoned
    # Among answered calls, the share within 20 s: callers who hang up are the ones who waited longest.
    within_share = np.where(answered > 0, np.clip(sl * offered / np.maximum(answered, 1), 0.0, 1.0), 1.0)
    within = rng.binomial(answered, within_share)
    answered_quick = quick - abandoned
    # A call rarely takes more than 2.4 times its usual length: the noise is cut at 2.5 standard deviations.
    spread = np.clip(rng.normal(0.0, 0.35, size=answered.shape), -0.875, 0.875)
    noise = np.exp(spread / np.sqrt(np.maximum(answered, 1)))
    aht = np.where(answered > 0,
                   (ticketed * ticket_aht + answered_quick * QUICK_AHT_S) / np.maximum(answered, 1) * noise, np.nan)

    return pd.DataFrame({
        "interval_start": starts,
        "calls_offered": offered.reshape(-1),
        "calls_answered": answered.reshape(-1),
        "abandoned": abandoned.reshape(-1),
        "answered_within_20s": within.reshape(-1),
        "aht_seconds": np.round(aht.reshape(-1), 1),
        "agents_logged_in": agents.reshape(-1),
        "phone_tickets": ticketed.reshape(-1),
    })


# --------------------------------------------------------------------------------------------
# proposals.csv, proposal_cashflows.csv, proposal_risks.csv
# --------------------------------------------------------------------------------------------
#: Finance's fully loaded unit costs, quoted in every business case.
COST_PER_TICKET_GBP = 55.0
COST_PER_CALL_GBP = 7.0
COST_PER_SITE_VISIT_GBP = 640.0
DESK_HIRE_GBP = 36_000.0
SELF_SERVICE_CATEGORIES = ("how_to", "product_info", "platform_access", "billing")


def _basis_volumes(frames: Frames) -> dict[str, float]:
    """The volumes of the last twelve months the sponsors built their cases on."""
    tickets = frames["tickets"]
    calls = frames["phone_calls"]
    start, end = pd.Timestamp(BASIS_START), pd.Timestamp(BASIS_END) + pd.Timedelta(days=1)
    t = tickets[(tickets["created_at"] >= start) & (tickets["created_at"] < end)]
    c = calls[(calls["interval_start"] >= start) & (calls["interval_start"] < end)]
    customers = frames["customers"]
    gaps = policy_gaps(customers)
    price = frames["products"].set_index("product_id")["list_price_gbp"]
    return {
        "tickets": float(len(t)),
        "self_service": float(t["category"].isin(SELF_SERVICE_CATEGORIES).sum()),
        "calls": float(c["calls_offered"].sum()),
        "quick_calls": float((c["calls_answered"] - c["phone_tickets"]).sum()),
        "reopened": float(t["reopened"].sum()),
        "site_visits": float(((t["channel"] == "in_person") | (t["escalation_team"] == "Field Engineering")).sum()),
        "escalated": float(t["escalated"].sum()),
        "accounts": float(len(customers)),
        "policy_gaps": float(len(gaps)),
        "plan_uplift": float(sum(price[r] - price[p] for p, r in zip(gaps["support_plan"], gaps["required_plan"]))),
    }


def _round(x: float, to: float = 500.0) -> float:
    return float(round(x / to) * to)


def _proposal_specs(v: dict[str, float], rng: np.random.Generator) -> list[dict]:
    """The four business cases. Benefits are computed from the volumes ``v``; capital quotes vary a little."""
    def quote(x: float) -> float:
        return _round(x * float(np.exp(rng.normal(0.0, 0.03))), 1000.0)

    portal_deflect = _round(0.30 * v["self_service"] * COST_PER_TICKET_GBP + 0.12 * v["calls"] * COST_PER_CALL_GBP)
    chatbot_deflect = _round(0.15 * v["quick_calls"] * COST_PER_CALL_GBP + 0.10 * v["self_service"]
                             * COST_PER_TICKET_GBP)
    crm_handling = _round(0.20 * v["tickets"] * COST_PER_TICKET_GBP + 0.20 * v["calls"] * COST_PER_CALL_GBP)
    crm_reopen = _round(0.30 * v["reopened"] * COST_PER_TICKET_GBP * 1.5)
    crm_upgrades = _round(0.75 * v["plan_uplift"])
    crm_benefit = crm_handling + crm_reopen + crm_upgrades
    field_visits = _round(0.12 * v["site_visits"] * COST_PER_SITE_VISIT_GBP)
    return [
        {
            "proposal_id": "PRP-01", "title": "Customer self-service portal 2.0", "team": "Service Desk",
            "summary": "Rebuild the customer portal with knowledge-base search, device health pages and self-service "
                       "RMAs and invoices. Customers find answers at any hour without calling or emailing us.",
            "basis": (f"Deflects 30% of the {v['self_service']:,.0f} how_to, product_info, platform_access and billing "
                      f"tickets (at £{COST_PER_TICKET_GBP:,.0f} each) and 12% of the {v['calls']:,.0f} phone calls "
                      f"(at £{COST_PER_CALL_GBP:,.0f} each): £{portal_deflect:,.0f} a year at full use; plus one "
                      f"Service Desk hire avoided as the base grows (£{DESK_HIRE_GBP:,.0f} a year from year 2). "
                      "Half the benefit in year 1 while customers adopt it."),
            "objectives": "O2;O3", "months": 8, "submitted": "2026-05-18",
            "capital": quote(150_000), "running": 18_000.0,
            "benefits": [0.5 * portal_deflect] + [portal_deflect + DESK_HIRE_GBP] * 4,
            "risks": [
                ("Customers keep phoning and emailing: adoption stays below half the plan, so most of the "
                 "deflection does not happen.", 0.35, 0.5 * 4 * portal_deflect, "Launch with the account managers; "
                 "answer portal users first; publish the top 50 answers before go-live."),
                ("Single sign-on with Kestrel Cloud slips, delaying go-live by a quarter.", 0.25, 30_000.0,
                 "Agree the identity design with Product Engineering before the build starts."),
            ],
        },
        {
            "proposal_id": "PRP-02", "title": "AI chatbot for the Service Desk", "team": "Service Desk",
            "summary": "A chatbot on the website, portal and phone line (voice) that answers product, price and "
                       "how-to questions from the FAQ and knowledge base. Rented as a service; live in three months.",
            "basis": (f"Answers 15% of the {v['quick_calls']:,.0f} quick phone calls (at £{COST_PER_CALL_GBP:,.0f} "
                      f"each) and deflects 10% of the {v['self_service']:,.0f} self-service-type tickets (at "
                      f"£{COST_PER_TICKET_GBP:,.0f} each): £{chatbot_deflect:,.0f} a year; plus £30,000 a year of "
                      "out-of-hours cover we would otherwise need. 60% of the benefit in year 1."),
            "objectives": "O3", "months": 3, "submitted": "2026-05-25",
            "capital": quote(45_000), "running": 26_000.0,
            "benefits": [0.6 * (chatbot_deflect + 30_000.0)] + [chatbot_deflect + 30_000.0] * 4,
            "risks": [
                ("The bot gives a wrong answer to a regulated pharma or food customer (a wrong alarm setting, a "
                 "wrong compliance claim): credit notes, an audit finding, possibly a lost account.", 0.20, 150_000.0,
                 "Restrict the bot to approved FAQ answers; hand anything about alarms or compliance to a person."),
                ("The vendor raises the subscription after year 1.", 0.50, 30_000.0,
                 "Negotiate a three-year price cap."),
                ("Customers dislike talking to a bot and ask for a person: deflection halves.", 0.40, 45_000.0,
                 "Always offer 'talk to a person'; measure CSAT of bot conversations monthly."),
            ],
        },
        {
            "proposal_id": "PRP-03", "title": "CRM upgrade: one view of the customer", "team": "Account Management",
            "summary": "Replace the CRM with one that links tickets, installed base, contracts and opportunities, so "
                       "every agent and account manager sees the whole customer. Includes migrating the old "
                       "records and a plan-renewal workflow.",
            "basis": (f"Handling time falls 20% on the {v['tickets']:,.0f} tickets (at £{COST_PER_TICKET_GBP:,.0f} "
                      f"each) and the {v['calls']:,.0f} phone calls (at £{COST_PER_CALL_GBP:,.0f} each): "
                      f"£{crm_handling:,.0f} a year; 30% fewer of the {v['reopened']:,.0f} reopened tickets (each "
                      f"costs another ticket and a half): £{crm_reopen:,.0f}; and the margin of moving the "
                      f"{v['policy_gaps']:,.0f} accounts the service policy puts on too low a support plan onto the "
                      f"plan it requires (£{v['plan_uplift']:,.0f} a year of plan fees), assuming three in four "
                      f"accept: £{crm_upgrades:,.0f}. Half the benefit in year 1."),
            "objectives": "O1;O2;O3", "months": 9, "submitted": "2026-05-11",
            "capital": quote(240_000), "running": 35_000.0,
            "benefits": [0.5 * crm_benefit] + [crm_benefit] * 4,
            "risks": [
                ("Records migrated from the old CRM are wrong or duplicated (it validated nothing), so agents "
                 "distrust the new one.", 0.30, 80_000.0, "Clean and de-duplicate before migrating; test with "
                 "the legacy export."),
                ("Agents and account managers keep their spreadsheets: adoption slow.", 0.30, 40_000.0,
                 "Train every team; switch the old CRM off on a fixed date."),
                ("Integration with Kestrel Cloud's device data takes longer than planned.", 0.20, 35_000.0,
                 "Build the integration first, in the discovery phase."),
            ],
        },
        {
            "proposal_id": "PRP-04", "title": "Field-service mobile app", "team": "Field Engineering",
            "summary": "A mobile app for field engineers: job sheets, parts, photos and customer sign-off on site, "
                       "synchronised with the ticket. Ends paper job sheets and repeat visits for missing parts.",
            "basis": (f"Avoids 12% of the {v['site_visits']:,.0f} site visits (in_person tickets and escalations to "
                      f"Field Engineering) at £{COST_PER_SITE_VISIT_GBP:,.0f} a visit: £{field_visits:,.0f} a year; "
                      "plus £8,000 a year of printing and admin. Half the benefit in year 1."),
            "objectives": "O2;O4", "months": 6, "submitted": "2026-06-01",
            "capital": quote(120_000), "running": 16_000.0,
            "benefits": [0.5 * (field_visits + 8_000.0)] + [field_visits + 8_000.0] * 4,
            "risks": [
                ("The app's offline mode fails at sites without mobile signal (plant rooms, cold stores).", 0.30,
                 35_000.0, "Pilot at three sites without signal before buying."),
                ("Engineers' rota system cannot feed the app; jobs are typed twice.", 0.20, 20_000.0,
                 "Choose an app with a rota connector."),
            ],
        },
    ]


def _specs(frames: Frames) -> list[dict]:
    specs = frames.extra.get("leadership_specs")
    if specs is None:
        raise RuntimeError("proposals must be generated before proposal_cashflows and proposal_risks")
    return specs


def write_proposals(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    specs = _proposal_specs(_basis_volumes(frames), rng)
    frames.extra["leadership_specs"] = specs
    agents = frames["agents"]
    return pd.DataFrame([{
        "proposal_id": s["proposal_id"], "title": s["title"], "sponsor_team": s["team"],
        "sponsor_agent_id": team_lead(agents, s["team"]), "summary": s["summary"], "benefit_basis": s["basis"],
        "objectives": s["objectives"], "delivery_months": s["months"], "submitted_date": s["submitted"],
    } for s in specs])


def write_proposal_cashflows(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = []
    for s in _specs(frames):
        rows.append({"proposal_id": s["proposal_id"], "year": 0, "capital_gbp": s["capital"],
                     "running_cost_gbp": 0.0, "benefit_gbp": 0.0})
        for year, benefit in enumerate(s["benefits"], start=1):
            rows.append({"proposal_id": s["proposal_id"], "year": year, "capital_gbp": 0.0,
                         "running_cost_gbp": s["running"], "benefit_gbp": _round(benefit, 100.0)})
    return pd.DataFrame(rows)


def write_proposal_risks(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    rows = []
    for s in _specs(frames):
        for text, probability, impact, mitigation in s["risks"]:
            rows.append({"risk_id": f"RSK-{len(rows) + 1:02d}", "proposal_id": s["proposal_id"], "risk": text,
                         "probability": probability, "impact_gbp": _round(impact, 1000.0), "mitigation": mitigation})
    return pd.DataFrame(rows)


PHONE_CALLS = Table(
    "phone_calls", write_phone_calls, PHONE_CALL_COLUMNS, key="interval_start",
    doc="The telephony report of the Service Desk phone queue: one row per hour the line is open (Mon-Fri "
        "08:00-18:00 UK time, 2024-07-01 to 2026-06-30) with calls offered, answered, abandoned and answered "
        "within 20 seconds, average handle time and agents logged in. Each phone ticket logged in those hours is "
        "one of the answered calls; the other calls were quick questions answered at once (Level 6 forecasting "
        "and staffing data).")
PROPOSALS = Table(
    "proposals", write_proposals, PROPOSAL_COLUMNS, key="proposal_id",
    doc="Four development proposals in customer services and systems waiting for approval: the sponsors' "
        "business cases, with the corporate objectives each supports and how its benefit was calculated (the "
        "Level 6 investment decision).")
PROPOSAL_CASHFLOWS = Table(
    "proposal_cashflows", write_proposal_cashflows, CASHFLOW_COLUMNS, key="(proposal_id, year)",
    doc="Yearly cash flows of each proposal's business case: the investment in year 0, then five years of running "
        "cost and benefit. Net cash flow = benefit_gbp - running_cost_gbp - capital_gbp.")
PROPOSAL_RISKS = Table(
    "proposal_risks", write_proposal_risks, RISK_COLUMNS, key="risk_id",
    doc="The risk register of each proposal: what could go wrong, its probability, its cost if it happens, and "
        "the mitigation.")
