"""Level 5 data: what Kestrel's sales-support manager reviews, plans and signs off.

Seven tables, each generated from its own random generator (see :func:`ssup.data.generate.child_rng`) and
consistent with the company tables generated before them:

* ``advice_reviews``   - the quality team's reviews of advice given in tickets (2026 H1) and bids (last 12 months),
                         scored against the five-criterion advice rubric;
* ``draft_estimates``  - presales' draft effort and cost estimates for open opportunities, waiting for review;
* ``draft_plan_tasks`` - the initial project plan behind each draft estimate, one row per task;
* ``presales_capacity``- presales days available per consultant and week over the next eight weeks;
* ``bid_pipeline``     - presales work the open pipeline asks for, with bid/no-bid criterion scores;
* ``bid_requirements`` - the compliance matrix of each bid being written (one row per customer requirement);
* ``bid_sections``     - the sections of each bid being written: the figures they state and their sign-off.

The policy that is applied to these records (the advice rubric, the estimate checklist, the bid/no-bid weights,
the quality gate) lives in code: :mod:`ssup.quality`, :mod:`ssup.calibration`, :mod:`ssup.bid_management`.
The flaws a review should find are built in on purpose, and every seed has each kind at least once.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ssup.data.generate import (
    AS_OF,
    DAY_RATE_GBP,
    FAQ_STALE_PRICE,
    TRAVEL_PER_SITE_GBP,
    Column,
    Frames,
    Table,
    child_rng,
    team_agents,
    team_lead,
    weekday_on_or_before,
)

#: Ticket reviews cover tickets resolved in the 25 full weeks from this Monday (to Sunday 2026-06-28).
REVIEW_START = date(2026, 1, 5)
REVIEW_WEEKS = 25
#: Tickets the quality team sampled each week under the current plan (a simple random sample).
REVIEWS_PER_WEEK = 30
#: Bids reviewed: every bid with a presales consultant decided in the 12 months before the extract.
BID_REVIEW_START = date(2025, 7, 1)
#: From this Monday the Service Desk used the "check before you advise" step (the improvement experiment).
CHECKLIST_START = date(2026, 4, 6)
#: The advice rubric's criteria, as columns of advice_reviews (1 = met).
CRITERIA = ("accurate", "fits_need", "complete", "next_steps", "recorded")
#: The presales planning horizon: eight weeks from this Monday.
HORIZON_START = date(2026, 7, 6)
HORIZON_WEEKS = 8
#: Presales days a consultant has for customer work in a normal week (one day goes on internal work).
STANDARD_WEEK_DAYS = 4.0
LEAD_WEEK_DAYS = 2.0
SECTIONS = ("Executive summary", "Technical solution", "Delivery plan", "Commercial", "Support and service levels")
WORK_TYPES = ("bid_response", "solution_design", "integration_design")
BID_CRITERIA = ("strategic_fit", "win_chance", "technical_fit", "deal_size", "delivery_confidence")
STRATEGIC_INDUSTRIES = ("food_beverage", "pharma", "utilities", "water", "logistics")


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --------------------------------------------------------------------------------------------
# advice_reviews.csv
# --------------------------------------------------------------------------------------------
ADVICE_COLUMNS = (
    Column("review_id", "str", "Review id (ADV-0001 ...), in order of review date.", allowed="unique"),
    Column("record_type", "str", "What was reviewed: a support ticket or a submitted bid.", allowed="ticket, bid"),
    Column("record_id", "str", "tickets.ticket_id (record_type ticket) or opportunities.opportunity_id (bid)."),
    Column("advisor_id", "str", "agents.agent_id of the person whose advice was reviewed: the ticket's agent, or "
           "the bid's presales consultant."),
    Column("record_week", "date", "Monday of the week the ticket was resolved or the bid decided (the sampling "
           "week)."),
    Column("reviewed_date", "date", "Day the review was done."),
    Column("reviewer_id", "str", "agents.agent_id of the reviewer (a team lead, never the advisor)."),
    Column("accurate", "bool", "1 = the facts given were right: prices, specifications, lead times, plan cover.",
           allowed="0, 1"),
    Column("fits_need", "bool", "1 = the product, plan or fix suits the customer's situation (compatibility, "
           "environment, scale).", allowed="0, 1"),
    Column("complete", "bool", "1 = every question or requirement the customer raised was answered.",
           allowed="0, 1"),
    Column("next_steps", "bool", "1 = a clear next step with an owner and a date was agreed.", allowed="0, 1"),
    Column("recorded", "bool", "1 = the advice is written up in the ticket or CRM so a colleague can pick it up.",
           allowed="0, 1"),
    Column("finding", "str", "The reviewer's note on what went wrong: one phrase per criterion not met, "
           "separated by '; ', each a theme followed by the particulars in brackets; empty when every criterion "
           "was met.", nullable=True),
)

#: Chance that a criterion is NOT met, before the adjustments in write_advice_reviews.
_TICKET_FAIL = {"accurate": 0.07, "fits_need": 0.06, "complete": 0.07, "next_steps": 0.08, "recorded": 0.06}
_BID_FAIL = {"accurate": 0.08, "fits_need": 0.10, "complete": 0.16, "next_steps": 0.05, "recorded": 0.10}


def _ticket_finding(criterion: str, ticket: Any, product: dict[str, Any], u: float) -> str:
    """The reviewer's note for one criterion not met: a theme, then the particulars in brackets."""
    name = str(product.get("name", ticket.product_id)).replace("Kestrel ", "")
    price = float(product.get("list_price_gbp", 0.0) or 0.0)
    hardware = product.get("category") in ("sensor", "gateway")
    if criterion == "accurate":
        if ticket.category in ("product_info", "billing"):
            if u < 0.5 or price <= 0:
                return f"Out-of-date FAQ price quoted (the FAQ still says £{FAQ_STALE_PRICE:,.2f} for the T1 sensor)"
            return f"Wrong price quoted ({name}: said £{round(price * 0.9):,}, catalogue £{price:,.2f})"
        if hardware and u < 0.6:
            lead = int(product["lead_time_days"])
            return f"Wrong lead time quoted ({name}: said {lead + 5} working days, catalogue {lead})"
        return "Support plan cover misstated (said weekends are covered, but only Critical Support is 24x7)"
    if criterion == "fits_need":
        if str(ticket.product_id).startswith("GW-") or ticket.category == "installation":
            return "Indoor gateway recommended for an outdoor site (the Outdoor Gateway is needed)"
        if ticket.category in ("connectivity", "data_quality"):
            return "Sensor reset advised instead of the gateway firmware upgrade (see the knowledge base)"
        if ticket.category == "product_info":
            return f"Product recommended without checking compatibility ({name} with the customer's gateway)"
        return "Workaround unsuited to the customer's set-up (did not ask how the site is installed)"
    if criterion == "complete":
        topics = ("battery life", "lead time", "support plan", "data retention")
        return f"Question left unanswered ({topics[int(u * len(topics)) % len(topics)]})"
    if criterion == "next_steps":
        return "No next step agreed (no owner or date)"
    if ticket.channel == "phone":
        return "Advice not written up (phone call)"
    return "Advice not written up (ticket notes do not say what was advised)"


def _bid_finding(criterion: str, opp: Any, u: float) -> str:
    if criterion == "accurate":
        return ("Wrong specification in the bid (battery life stated as 5 years, but the sensor is rated for 3)"
                if u < 0.5 else "Wrong specification in the bid (message quota of the wrong platform tier)")
    if criterion == "fits_need":
        if str(opp.primary_product_id).startswith("SVC-INT"):
            return "Integration unsuited to the customer's systems (MQTT proposed where SCADA needs OPC UA)"
        return ("Gateways under-sized (too few for the device count and site layout)" if u < 0.5
                else "Wrong radio technology proposed (LoRaWAN where the site survey recommended LTE-M)")
    if criterion == "complete":
        return f"Requirement left unanswered (R{1 + int(u * 14):02d})"
    if criterion == "next_steps":
        return "No next step agreed (no clarification meeting or follow-up date)"
    return "Advice not written up (solution design not saved to the CRM opportunity)"


def write_advice_reviews(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    tickets = frames["tickets"]
    agents = frames["agents"].set_index("agent_id")
    products = frames["products"].set_index("product_id")
    product_info = {pid: row.to_dict() for pid, row in products.iterrows()}
    desk_lead, support_lead, presales_lead = (team_lead(frames["agents"], t) for t in
                                              ("Service Desk", "Technical Support", "Presales"))

    # The current sampling plan: REVIEWS_PER_WEEK tickets at random from those resolved each week.
    start = pd.Timestamp(REVIEW_START)
    end = start + pd.Timedelta(weeks=REVIEW_WEEKS)
    columns = ["ticket_id", "agent_id", "product_id", "category", "channel", "reopened", "resolved_at"]
    resolved = tickets.loc[(tickets["resolved_at"] >= start) & (tickets["resolved_at"] < end), columns]
    resolved = resolved.sort_values("ticket_id").reset_index(drop=True)
    resolved["record_week"] = (resolved["resolved_at"].dt.normalize()
                               - pd.to_timedelta(resolved["resolved_at"].dt.day_of_week, unit="D"))
    codes, _ = pd.factorize(resolved["record_week"], sort=True)
    picked = []
    for week in range(int(codes.max()) + 1):
        rows = np.flatnonzero(codes == week)
        k = min(REVIEWS_PER_WEEK, len(rows))
        picked.append(rows[np.sort(rng.choice(len(rows), size=k, replace=False))])
    sample = resolved.iloc[np.concatenate(picked)].reset_index(drop=True)

    # Two Service Desk advisors with a habit the reviews should reveal (the coaching plan's evidence).
    desk = [a for a in sample["agent_id"].value_counts().index
            if agents.loc[a, "team"] == "Service Desk" and agents.loc[a, "seniority"] != "lead"
            and (sample["agent_id"] == a).sum() >= 25]
    desk = sorted(desk)
    chosen = sorted(rng.choice(len(desk), size=2, replace=False)) if len(desk) >= 2 else []
    weakness = {desk[int(chosen[0])]: "complete", desk[int(chosen[1])]: "next_steps"} if chosen else {}

    n = len(sample)
    fail_p = np.tile(np.array([_TICKET_FAIL[c] for c in CRITERIA]), (n, 1))
    cat = sample["category"].to_numpy()
    col = {c: i for i, c in enumerate(CRITERIA)}
    fail_p[np.isin(cat, ["product_info", "billing"]), col["accurate"]] *= 2.0
    fail_p[np.isin(cat, ["installation", "connectivity", "product_info"]), col["fits_need"]] *= 2.0
    reopened = sample["reopened"].to_numpy(dtype=bool)
    fail_p[reopened, col["complete"]] *= 3.0
    fail_p[reopened, col["accurate"]] *= 2.0
    fail_p[sample["channel"].to_numpy() == "phone", col["recorded"]] *= 2.0
    tenure = (sample["resolved_at"] - sample["agent_id"].map(agents["start_date"])).dt.days.to_numpy()
    fail_p[tenure < 120] *= 1.6
    for advisor, criterion in weakness.items():
        fail_p[sample["agent_id"].to_numpy() == advisor, col[criterion]] *= 4.5
    team = sample["agent_id"].map(agents["team"]).to_numpy()
    after = (sample["record_week"] >= pd.Timestamp(CHECKLIST_START)).to_numpy() & (team == "Service Desk")
    fail_p[after, col["accurate"]] *= 0.3
    fail_p[after, col["fits_need"]] *= 0.3
    failed = rng.random((n, len(CRITERIA))) < np.minimum(fail_p, 0.9)
    texts = rng.random((n, len(CRITERIA)))
    review_lag = rng.integers(7, 12, size=n)

    rows: list[dict[str, Any]] = []
    for i, t in enumerate(sample.itertuples(index=False)):
        notes = [_ticket_finding(c, t, product_info.get(t.product_id, {}), float(texts[i, j]))
                 for j, c in enumerate(CRITERIA) if failed[i, j]]
        week = t.record_week.date()
        rows.append(dict(record_type="ticket", record_id=t.ticket_id, advisor_id=t.agent_id, record_week=week,
                         reviewed_date=week + timedelta(days=int(review_lag[i])),
                         reviewer_id=desk_lead if t.agent_id != desk_lead else support_lead,
                         **{c: not failed[i, j] for j, c in enumerate(CRITERIA)},
                         finding="; ".join(notes) or None))

    # Every bid with a presales consultant decided in the last 12 months is reviewed after the decision.
    opps = frames["opportunities"]
    bids = opps[opps["bid_required"] & opps["presales_agent_id"].notna() & (opps["outcome"] != "open")
                & (opps["closed_date"] >= pd.Timestamp(BID_REVIEW_START))].sort_values("opportunity_id")
    presales = sorted(bids["presales_agent_id"].unique())
    careless = presales[int(rng.integers(len(presales)))] if presales else None
    for o in bids.itertuples(index=False):
        p = dict(_BID_FAIL)
        if str(o.primary_product_id).startswith("SVC-INT"):
            p["fits_need"] *= 2.0
        if o.presales_agent_id == careless:
            p["complete"] *= 2.5
        draws = rng.random(len(CRITERIA))
        us = rng.random(len(CRITERIA))
        failed_bid = {c: bool(draws[j] < p[c]) for j, c in enumerate(CRITERIA)}
        notes = [_bid_finding(c, o, float(us[j])) for j, c in enumerate(CRITERIA) if failed_bid[c]]
        decided = o.closed_date.date()
        reviewed = min(decided + timedelta(days=int(rng.integers(3, 15))), AS_OF.date() - timedelta(days=1))
        rows.append(dict(record_type="bid", record_id=o.opportunity_id, advisor_id=o.presales_agent_id,
                         record_week=_monday(decided), reviewed_date=reviewed,
                         reviewer_id=presales_lead if o.presales_agent_id != presales_lead else support_lead,
                         **{c: not failed_bid[c] for c in CRITERIA}, finding="; ".join(notes) or None))

    rows.sort(key=lambda r: (r["reviewed_date"], r["record_type"], r["record_id"]))
    for number, row in enumerate(rows, start=1):
        row["review_id"] = f"ADV-{number:04d}"
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# draft_estimates.csv and draft_plan_tasks.csv
# --------------------------------------------------------------------------------------------
ESTIMATE_COLUMNS = (
    Column("estimate_id", "str", "Draft estimate id (EST-001 ...), in order of opportunity.", allowed="unique"),
    Column("opportunity_id", "str", "The open opportunity the estimate is for (opportunities.opportunity_id).",
           allowed="unique"),
    Column("customer_id", "str", "customers.customer_id (the opportunity's)."),
    Column("project_type", "str", "Kind of delivery, as in projects.csv.",
           allowed="standard_install, retrofit, integration_heavy, multi_site_rollout, pilot"),
    Column("sites", "int", "Sites in scope.", units="sites"),
    Column("devices", "int", "Sensors to install (0 for pure integration work).", units="devices"),
    Column("estimator_id", "str", "agents.agent_id of the presales consultant who wrote the estimate."),
    Column("optimistic_days", "float", "Three-point estimate: best case effort.", units="engineer days",
           decimals=1),
    Column("most_likely_days", "float", "Three-point estimate: most likely effort.", units="engineer days",
           decimals=1),
    Column("pessimistic_days", "float", "Three-point estimate: worst case effort.", units="engineer days",
           decimals=1),
    Column("effort_days", "float", "Effort the proposal will quote (the plan's tasks should add up to it).",
           units="engineer days", decimals=1),
    Column("contingency_pct", "float", "Contingency added on top of the effort, in percent.", units="%",
           decimals=0),
    Column("travel_gbp", "float", "Travel budget (420 GBP per site).", units="GBP"),
    Column("cost_gbp", "float", "Delivery cost before contingency: effort_days x 850 GBP/day + travel_gbp.",
           units="GBP"),
    Column("start_date", "date", "Planned start of delivery."),
    Column("go_live_date", "date", "Go-live date the sales team proposes to the customer."),
    Column("assumptions_recorded", "bool", "1 if the estimate lists its assumptions (scope, access, customer "
           "tasks).", allowed="0, 1"),
    Column("risks_recorded", "int", "Number of risks in the estimate's risk register.", units="risks"),
)

PLAN_TASK_COLUMNS = (
    Column("estimate_id", "str", "draft_estimates.estimate_id the plan belongs to."),
    Column("task", "str", "Task id within the plan (T1, T2 ...)."),
    Column("name", "str", "What the task is."),
    Column("duration", "float", "Working days from the task's start to its finish (0 = milestone). Hardware "
           "delivery takes at least the lead time of the deal's primary product.",
           units="working days", decimals=1),
    Column("effort_days", "float", "Engineer days the task needs.", units="engineer days", decimals=1),
    Column("predecessors", "str", "Tasks that must finish first, comma-separated (finish-to-start); empty for "
           "none. ssup.plan reads this column as it is.", nullable=True),
    Column("owner_id", "str", "agents.agent_id of the person accountable for the task.", nullable=True),
)


def _project_type(opp: Any, customer: Any, u: tuple[float, float, float]) -> tuple[str, int]:
    devices = int(opp.devices)
    if opp.opportunity_type == "services":
        return "integration_heavy", 1
    sites = int(max(1, min(int(customer["sites"]), 1 + devices // (40 + int(u[0] * 120)))))
    if opp.opportunity_type == "new_logo" and devices <= 40:
        return "pilot", 1
    if sites >= 5:
        return "multi_site_rollout", sites
    if customer["industry"] in ("manufacturing", "building_management", "utilities") and u[1] < 0.45:
        return "retrofit", sites
    if u[2] < 0.12:
        return "integration_heavy", sites
    return "standard_install", sites


def _crew(devices: int, kind: str) -> int:
    return 3 if kind == "multi_site_rollout" else (2 if devices >= 100 else 1)


def _half(x: float) -> float:
    return round(x * 2) / 2


def plan_template(estimate: Any, hardware_lead_days: int) -> list[dict[str, Any]]:
    """The plan a careful estimator draws up for a draft estimate (before any mistakes).

    Effort is split over survey, installation, integration, commissioning and training so that the tasks add
    up to ``estimate.effort_days``; durations follow the crew size; hardware delivery takes the longest lead
    time of the hardware in the deal.
    """
    effort = float(estimate.effort_days)
    kind = estimate.project_type
    crew = _crew(int(estimate.devices), kind)
    integration = kind == "integration_heavy"
    survey = 0.5 if effort < 5 else _half(0.1 * effort)
    training = 0.5 if effort < 4 else 1.0
    rest = max(0.0, effort - survey - training)
    install = 0.0 if int(estimate.devices) == 0 else math.floor((0.2 if integration else 0.7) * rest * 2) / 2
    integrate = math.floor(0.7 * rest * 2) / 2 if integration else 0.0
    commission = rest - install - integrate
    tasks = [("T1", "Kick-off and site survey", max(1.0, math.ceil(survey / crew)), survey, "")]
    before_commissioning = []
    if install > 0:
        tasks += [("T2", "Order and deliver hardware", float(hardware_lead_days), 0.0, "T1"),
                  ("T3", "Install sensors and gateways", max(1.0, math.ceil(install / crew)), install, "T1, T2")]
        before_commissioning.append("T3")
    if integrate > 0:
        tasks.append(("T4", "Integrate with the customer's systems", max(1.0, math.ceil(integrate / 1.5)),
                      integrate, "T1"))
        before_commissioning.append("T4")
    tasks += [
        ("T5", "Commission and test", max(1.0, math.ceil(commission / crew)), commission,
         ", ".join(before_commissioning) or "T1"),
        ("T6", "Train users and hand over", 1.0, training, "T5"),
        ("T7", "Customer acceptance sign-off", 0.0, 0.0, "T6"),
    ]
    return [dict(task=a, name=b, duration=float(c), effort_days=float(d), predecessors=e or None)
            for a, b, c, d, e in tasks]


def _critical_days(tasks: list[dict[str, Any]]) -> float:
    from ssup.plan import project_duration

    frame = pd.DataFrame(tasks)[["task", "duration", "predecessors"]]
    return project_duration(frame)


def _hardware_lead(frames: Frames, estimate: Any, primary_product: str) -> int:
    """Working days to get the deal's hardware: the lead time of its primary product (0 without devices)."""
    if int(estimate.devices) == 0:
        return 0
    products = frames["products"].set_index("product_id")
    return int(products.loc[primary_product, "lead_time_days"])


def _p80_uplift(frames: Frames) -> dict[str, float]:
    """What a careful estimator adds: the P80 uplift of each project type (ssup.calibration.calibrate)."""
    from ssup.calibration import calibrate

    return calibrate(frames["projects"])["uplift"].to_dict()


def write_draft_estimates(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    opps = frames["opportunities"]
    customers = frames["customers"].set_index("customer_id")
    presales = team_agents(frames["agents"], "Presales")["agent_id"].tolist()
    uplift = _p80_uplift(frames)
    candidates = opps[(opps["outcome"] == "open") & opps["stage"].isin(["discover", "propose", "negotiate"])
                      & ((((opps["devices"] >= 8) & opps["opportunity_type"].isin(["new_logo", "expansion"])))
                         | ((opps["opportunity_type"] == "services")
                            & opps["primary_product_id"].str.startswith("SVC-INT")))].sort_values("opportunity_id")
    careful = presales[int(rng.integers(len(presales)))]
    rows = []
    for o in candidates.itertuples(index=False):
        c = customers.loc[o.customer_id]
        u = rng.random(8)
        kind, sites = _project_type(o, c, (u[0], u[1], u[2]))
        devices = int(o.devices) if o.opportunity_type != "services" else 0
        per_day = {"retrofit": 22, "pilot": 30}.get(kind, 32)
        base = 0.5 * sites + devices / per_day + {"integration_heavy": 12 + 23 * u[3], "multi_site_rollout": sites,
                                                  "pilot": 2.0}.get(kind, 0.5 + 2.5 * u[3])
        most_likely = max(1.0, _half(base * 1.1))
        optimistic = max(0.5, _half(most_likely * (0.75 + 0.15 * u[4])))
        pessimistic = _half(most_likely * (1.25 + 0.55 * u[5]))
        effort = most_likely if u[6] < 0.8 else _half((optimistic + 4 * most_likely + pessimistic) / 6)
        estimator = o.presales_agent_id if isinstance(o.presales_agent_id, str) else presales[int(u[7] * len(presales))]
        if estimator == careful:
            needed = (uplift.get(kind, 1.3) * most_likely / effort - 1) * 100
            contingency = float(5 * math.ceil(needed / 5 + 1e-9))
        else:
            contingency = float(rng.choice([0, 10, 10, 10, 15, 20]))
        expected = o.expected_close_date.date()
        start = max(expected + timedelta(days=int(rng.integers(14, 36))), HORIZON_START + timedelta(days=7))
        start = _monday(start)
        row = dict(opportunity_id=o.opportunity_id, customer_id=o.customer_id, project_type=kind, sites=sites,
                   devices=devices, estimator_id=estimator, optimistic_days=optimistic,
                   most_likely_days=most_likely, pessimistic_days=pessimistic, effort_days=effort,
                   contingency_pct=contingency, travel_gbp=sites * TRAVEL_PER_SITE_GBP,
                   start_date=start, assumptions_recorded=bool(rng.random() < 0.9),
                   risks_recorded=int(rng.poisson(3)) + 1, _product=o.primary_product_id)
        row["cost_gbp"] = round(effort * DAY_RATE_GBP + row["travel_gbp"], 2)
        row["estimator_careful"] = estimator == careful
        rows.append(row)
    for number, row in enumerate(rows, start=1):
        row["estimate_id"] = f"EST-{number:03d}"

    # Deliberate problems for the review to find: every seed has each kind at least once,
    # and at least two estimates are clean.
    order = [int(i) for i in rng.permutation(len(rows))]
    clean, flawed = order[:2], order[2:]
    problems = ["three_point_order", "cost_arithmetic", "no_assumptions", "no_risks", "go_live_too_soon"]
    assigned = {i: [] for i in range(len(rows))}
    for k, problem in enumerate(problems):
        assigned[flawed[k % len(flawed)]].append(problem)
    for i in flawed[len(problems):]:
        if rng.random() < 0.25:
            assigned[i].append(problems[int(rng.integers(len(problems)))])
    for i in clean:
        r = rows[i]
        r["assumptions_recorded"] = True
        needed = (uplift.get(r["project_type"], 1.3) * r["most_likely_days"] / r["effort_days"] - 1) * 100
        r["contingency_pct"] = max(r["contingency_pct"], float(5 * math.ceil(needed / 5 + 1e-9)))
    for i, row in enumerate(rows):
        est = pd.Series(row)
        tasks = plan_template(est, _hardware_lead(frames, est, row["_product"]))
        days = _critical_days(tasks)
        slack = 1.25 + 0.35 * float(rng.random())
        ok_days = int(math.ceil(days * slack)) + 2
        if "go_live_too_soon" in assigned[i]:
            ok_days = max(1, int(days * 0.7))
        row["go_live_date"] = np.busday_offset(np.datetime64(row["start_date"]), ok_days, roll="forward") \
            .astype("datetime64[D]").item()
        if "three_point_order" in assigned[i]:
            row["optimistic_days"] = _half(row["most_likely_days"] * 1.2)
        if "cost_arithmetic" in assigned[i]:
            row["cost_gbp"] = round(row["effort_days"] * 750.0 + row["travel_gbp"], 2)
        if "no_assumptions" in assigned[i]:
            row["assumptions_recorded"] = False
        if "no_risks" in assigned[i]:
            row["risks_recorded"] = 0
    frame = pd.DataFrame(rows)
    return frame[[c.name for c in ESTIMATE_COLUMNS]]


def write_draft_plan_tasks(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    estimates = frames["draft_estimates"]
    opps = frames["opportunities"].set_index("opportunity_id")
    customers = frames["customers"].set_index("customer_id")
    engineers = team_agents(frames["agents"], "Field Engineering")["agent_id"].tolist()
    support = team_agents(frames["agents"], "Technical Support")["agent_id"].tolist()
    plans: list[list[dict[str, Any]]] = []
    for e in estimates.itertuples(index=False):
        tasks = plan_template(e, _hardware_lead(frames, e, opps.loc[e.opportunity_id, "primary_product_id"]))
        engineer = engineers[int(rng.integers(len(engineers)))]
        owners = {"T1": e.estimator_id, "T2": engineer, "T3": engineer,
                  "T4": support[int(rng.integers(len(support)))], "T5": engineer, "T6": engineer,
                  "T7": customers.loc[e.customer_id, "account_manager"]}
        for t in tasks:
            t["estimate_id"] = e.estimate_id
            t["owner_id"] = owners[t["task"]]
        plans.append(tasks)

    # Deliberate plan problems: each kind at least once, on plans other than two clean ones.
    order = [int(i) for i in rng.permutation(len(plans))]
    problems = ["unknown_predecessor", "effort_gap", "no_acceptance", "short_lead_time", "no_owner"]
    flawed = order[2:] or order
    with_hardware = [i for i in flawed if any(t["task"] == "T2" and t["duration"] > 2 for t in plans[i])] or flawed
    for k, problem in enumerate(problems):
        tasks = plans[flawed[k % len(flawed)]]
        if problem == "short_lead_time":  # needs a plan that orders hardware
            tasks = plans[next((i for i in with_hardware if i != flawed[k % len(flawed)]), with_hardware[0])]
        if problem == "unknown_predecessor":
            tasks[-2]["predecessors"] = "T5, T8"
        elif problem == "effort_gap":
            biggest = max(tasks, key=lambda t: t["effort_days"])
            biggest["effort_days"] = _half(biggest["effort_days"] * 0.6)
        elif problem == "no_acceptance":
            del tasks[-1]
        elif problem == "short_lead_time":
            for t in tasks:
                if t["task"] == "T2":
                    t["duration"] = 2.0
        elif problem == "no_owner":
            tasks[len(tasks) // 2]["owner_id"] = None
    rows = [t for tasks in plans for t in tasks]
    return pd.DataFrame(rows)[[c.name for c in PLAN_TASK_COLUMNS]]


# --------------------------------------------------------------------------------------------
# presales_capacity.csv and bid_pipeline.csv
# --------------------------------------------------------------------------------------------
CAPACITY_COLUMNS = (
    Column("agent_id", "str", "agents.agent_id of a presales consultant."),
    Column("week_start", "date", "Monday of the week."),
    Column("available_days", "float", "Days available for customer work that week (a full week is 4: one day "
           "goes on internal work; the team lead has 2).", units="days", decimals=1),
    Column("reason", "str", "Why the week is short, if it is.", nullable=True,
           allowed="annual leave, training, team lead duties"),
)

PIPELINE_COLUMNS = (
    Column("opportunity_id", "str", "An open opportunity that needs presales work (opportunities.opportunity_id).",
           allowed="unique"),
    Column("work", "str", "What presales must produce: a formal bid response, a solution design (sizing, "
           "architecture, estimate) or an integration design.", allowed=", ".join(WORK_TYPES)),
    Column("presales_days", "float", "Presales effort the work needs.", units="days", decimals=1),
    Column("due_date", "date", "When it must be delivered (the bid deadline or the customer meeting)."),
    Column("strategic_fit", "int", "1-5: how well the customer and use case fit Kestrel's strategy.",
           allowed="1-5"),
    Column("win_chance", "int", "1-5: the account team's view of our chance of winning.", allowed="1-5"),
    Column("technical_fit", "int", "1-5: how well our products meet the requirements (1-2 = mandatory "
           "requirements we cannot meet).", allowed="1-5"),
    Column("deal_size", "int", "1-5 from value_gbp: < 10k, 10-25k, 25-60k, 60-150k, >= 150k GBP.",
           allowed="1-5"),
    Column("delivery_confidence", "int", "1-5: how confident delivery is that it can deliver what would be "
           "sold (5 = routine).", allowed="1-5"),
)


def write_presales_capacity(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    presales = team_agents(frames["agents"], "Presales")
    weeks = [HORIZON_START + timedelta(weeks=k) for k in range(HORIZON_WEEKS)]
    rows = []
    for a in presales.itertuples(index=False):
        is_lead = a.seniority == "lead"
        leave_weeks = 1 if is_lead else int(rng.integers(1, 3))
        first = int(rng.integers(1, HORIZON_WEEKS - leave_weeks + 1))
        leave = set(range(first, first + leave_weeks))
        training = int(rng.integers(HORIZON_WEEKS)) if rng.random() < 0.6 else -1
        for k, week in enumerate(weeks):
            days, reason = (LEAD_WEEK_DAYS, "team lead duties") if is_lead else (STANDARD_WEEK_DAYS, None)
            if k in leave:
                days, reason = 0.0, "annual leave"
            elif k == training:
                days, reason = days - 1.0, "training"
            rows.append(dict(agent_id=a.agent_id, week_start=week, available_days=days, reason=reason))
    return pd.DataFrame(rows)


def _size_score(value: float) -> int:
    return 1 + sum(value >= edge for edge in (10_000, 25_000, 60_000, 150_000))


def write_bid_pipeline(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    opps = frames["opportunities"]
    customers = frames["customers"].set_index("customer_id")
    capacity = float(frames["presales_capacity"]["available_days"].sum())
    open_ = opps[(opps["outcome"] == "open") & ~((opps["opportunity_type"] == "upgrade") & ~opps["bid_required"])]
    open_ = open_.sort_values("opportunity_id")
    horizon_end = HORIZON_START + timedelta(weeks=HORIZON_WEEKS) - timedelta(days=3)  # last Friday
    rows = []
    for o in open_.itertuples(index=False):
        u = rng.random(9)
        if o.bid_required:
            work = "bid_response"
            days = (6 + 6 * u[0]) * (1 + 0.25 * math.log10(max(o.value_gbp, 10_000) / 10_000))
        elif o.opportunity_type == "services":
            work, days = "integration_design", 3 + 3 * u[0]
        else:
            work, days = "solution_design", 1.5 + 2.5 * u[0]
        if o.opportunity_type == "new_logo":
            days *= 1.3
        offset = int(u[1] * (HORIZON_WEEKS * 7 - 10)) + (14 if work == "bid_response" else 4)
        due = weekday_on_or_before(min(HORIZON_START + timedelta(days=offset), horizon_end))
        industry = customers.loc[o.customer_id, "industry"]
        strategic = 3 + (industry in STRATEGIC_INDUSTRIES) + int(np.round(u[2] * 2 - 1))
        win = 3 + isinstance(o.presales_agent_id, str) - isinstance(o.competitor, str) - bool(o.bid_required) \
            + int(np.round(u[3] * 2 - 0.5)) + (o.opportunity_type != "new_logo")
        technical = 5 - int(u[4] * 3) if u[5] > 0.12 else 1 + int(u[4] * 2)
        confidence = 4 - (o.devices >= 500) - (o.opportunity_type == "services") + int(np.round(u[6] * 2 - 1))
        rows.append(dict(opportunity_id=o.opportunity_id, work=work, presales_days=days, due_date=due,
                         strategic_fit=strategic, win_chance=win, technical_fit=technical,
                         deal_size=_size_score(float(o.value_gbp)), delivery_confidence=confidence))
    frame = pd.DataFrame(rows)
    for column in BID_CRITERIA:
        frame[column] = frame[column].clip(1, 5).astype(int)
    # The pipeline always asks for more than the team has: between 1.3 and 1.6 times the capacity.
    demand = float(frame["presales_days"].sum())
    target = min(max(demand, 1.3 * capacity), 1.6 * capacity)
    frame["presales_days"] = (frame["presales_days"] * target / demand).map(lambda d: max(1.0, _half(d)))
    return frame[[c.name for c in PIPELINE_COLUMNS]]


# --------------------------------------------------------------------------------------------
# bid_requirements.csv and bid_sections.csv: the bids being written
# --------------------------------------------------------------------------------------------
REQUIREMENT_COLUMNS = (
    Column("opportunity_id", "str", "The bid (opportunities.opportunity_id) the requirement belongs to."),
    Column("requirement_id", "str", "Requirement number in the customer's tender (R01 ...)."),
    Column("section", "str", "Section of our response that answers it.", allowed=", ".join(SECTIONS)),
    Column("mandatory", "bool", "1 if the tender says the requirement must be met (a knock-out criterion).",
           allowed="0, 1"),
    Column("requirement", "str", "The customer's requirement as written in the tender."),
    Column("compliance", "str", "Our statement of compliance; empty while unanswered.", nullable=True,
           allowed="full, partial, none"),
    Column("response", "str", "Our answer; empty while unanswered.", nullable=True),
)

SECTION_COLUMNS = (
    Column("opportunity_id", "str", "The bid (opportunities.opportunity_id)."),
    Column("section", "str", "Section of the bid document.", allowed=", ".join(SECTIONS)),
    Column("author_id", "str", "agents.agent_id of the section's author."),
    Column("devices_stated", "int", "Number of sensors the section states, if it states one.", nullable=True,
           units="devices"),
    Column("gateways_stated", "int", "Number of gateways the section states, if it states one.", nullable=True,
           units="gateways"),
    Column("effort_days_stated", "float", "Delivery effort the section states, if it states one.", nullable=True,
           units="engineer days", decimals=1),
    Column("price_gbp_stated", "float", "Total first-year price the section states, if it states one.",
           nullable=True, units="GBP"),
    Column("signed_off_by", "str", "agents.agent_id of who approved the section; empty if not signed off yet.",
           nullable=True),
    Column("signed_off_date", "date", "Date of the sign-off; empty if not signed off yet.", nullable=True),
)

#: (section, mandatory, requirement, compliance, response) - the tender requirements Kestrel bids meet.
REQUIREMENT_POOL: tuple[tuple[str, bool, str, str, str], ...] = (
    ("Technical solution", True, "Sensors and gateways in outdoor and wash-down areas rated IP67 or better.",
     "full", "Compliant: the sensors proposed and the Outdoor Gateway are rated IP67 (datasheets in Appendix B)."),
    ("Technical solution", True, "Alarm notification to on-call staff within 60 seconds of a threshold breach.",
     "full", "Compliant: Kestrel Cloud sends SMS, email and app alarms within 20 seconds of the reading."),
    ("Technical solution", True, "Readings retained and retrievable for at least two years.",
     "full", "Compliant with the Professional and Enterprise tiers (retention per tier in Appendix C)."),
    ("Technical solution", False, "An open API for integration with the customer's maintenance system.",
     "full", "Compliant: REST and MQTT APIs are included; rate limits per tier are in Appendix C."),
    ("Technical solution", False, "Battery life of at least five years at a 10-minute reporting interval.",
     "partial", "Partially compliant: five years for temperature sensors, three years for vibration sensors."),
    ("Technical solution", True, "A tamper-evident audit trail suitable for HACCP and GDP records.",
     "full", "Compliant: every reading and alarm acknowledgement is stored with user and time stamp."),
    ("Technical solution", False, "Single sign-on with the customer's Microsoft Entra ID.",
     "full", "Compliant on the Enterprise tier (SAML 2.0 single sign-on)."),
    ("Technical solution", False, "Integration with the site SCADA system over OPC UA.",
     "full", "Compliant: the Edge 500 gateway runs an OPC UA server for the SCADA system."),
    ("Technical solution", True, "Data hosted in the UK or the EU.",
     "full", "Compliant: Kestrel Cloud is hosted in the EU with a UK hosting option."),
    ("Delivery plan", True, "Installation complete within 12 weeks of the order.",
     "full", "Compliant: see the delivery plan; hardware lead times are included."),
    ("Delivery plan", False, "A named project manager and weekly progress reports.",
     "full", "Compliant: a named Kestrel project manager reports weekly against the plan."),
    ("Delivery plan", True, "A site survey before installation at every site.",
     "full", "Compliant: every site is surveyed before installation (task T1 in the plan)."),
    ("Delivery plan", False, "On-site training for up to 20 users.",
     "full", "Compliant: two half-day sessions for up to 20 users are included."),
    ("Support and service levels", True, "24x7 support with a 30-minute response to critical faults.",
     "full", "Compliant with Critical Support: 24x7, 0.5 hour response to P1 faults."),
    ("Support and service levels", False, "Hardware warranty of at least two years.",
     "full", "Compliant: sensors 24 months, gateways 36 months."),
    ("Support and service levels", False, "Spare devices held on site.",
     "partial", "Partially compliant: a spares kit is offered as an option (see Commercial)."),
    ("Support and service levels", False, "Quarterly service reviews.",
     "full", "Compliant: quarterly reviews with the account manager and the support lead."),
    ("Commercial", True, "A fixed price for hardware, installation and the first year's subscription.",
     "full", "Compliant: see the price schedule in the Commercial section."),
    ("Commercial", False, "Prices held for 12 months from the contract date.",
     "full", "Compliant: prices are held for 12 months."),
    ("Commercial", True, "Payment in milestones tied to acceptance.",
     "full", "Compliant: 30% on order, 50% on installation, 20% on acceptance."),
)


def _bids_in_writing(frames: Frames) -> pd.DataFrame:
    opps = frames["opportunities"]
    open_bids = opps[(opps["outcome"] == "open") & opps["bid_required"]]
    writing = open_bids[open_bids["stage"].isin(["propose", "negotiate"])]
    if len(writing) < 3:
        writing = open_bids.sort_values("value_gbp", ascending=False).head(max(3, len(writing)))
    return writing.sort_values(["value_gbp", "opportunity_id"], ascending=[False, True])


def _bid_problems(rng: np.random.Generator, count: int) -> list[set[str]]:
    """Which flaws each bid has: the largest bid has three, the smallest none, the rest at random.

    Drawn from the generator of "bid_flaws" by both bid tables, so requirements and sections agree.
    """
    kinds = ("unanswered", "mandatory_not_met", "devices_mismatch", "price_mismatch", "effort_mismatch",
             "missing_signoff", "self_signoff")
    problems = [set() for _ in range(count)]
    problems[0] = {"unanswered", "devices_mismatch", "missing_signoff"}
    for i in range(1, count - 1):
        problems[i] = {k for k in kinds if rng.random() < 0.2}
    missing = [k for k in kinds if not any(k in p for p in problems)]
    for k, kind in enumerate(missing):  # every kind appears at least once
        problems[min(count - 2, 1 + k % max(1, count - 2))].add(kind)
    return problems


def write_bid_requirements(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    bids = _bids_in_writing(frames)
    flaws = _bid_problems(child_rng(frames.seed, "bid_flaws"), len(bids))
    rows = []
    for o, problems in zip(bids.itertuples(index=False), flaws):
        count = int(rng.integers(12, 17))
        picked = sorted(int(i) for i in rng.choice(len(REQUIREMENT_POOL), size=count, replace=False))
        chosen = [REQUIREMENT_POOL[i] for i in picked]
        reqs = [dict(opportunity_id=o.opportunity_id, requirement_id=f"R{k:02d}", section=s, mandatory=m,
                     requirement=text, compliance=comp, response=resp)
                for k, (s, m, text, comp, resp) in enumerate(chosen, start=1)]
        if "unanswered" in problems:
            for r in rng.choice(len(reqs), size=2, replace=False):
                reqs[int(r)]["compliance"] = None
                reqs[int(r)]["response"] = None
        if "mandatory_not_met" in problems:
            mandatory = [r for r in reqs if r["mandatory"] and r["response"] is not None] or reqs
            target = mandatory[int(rng.integers(len(mandatory)))]
            target.update(mandatory=True, compliance="none",
                          response="Not compliant: we propose an alternative, described in the Technical solution.")
        rows.extend(reqs)
    return pd.DataFrame(rows)


def write_bid_sections(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    bids = _bids_in_writing(frames)
    flaws = dict(zip(bids["opportunity_id"], _bid_problems(child_rng(frames.seed, "bid_flaws"), len(bids))))
    estimates = frames["draft_estimates"].set_index("opportunity_id")
    agents = frames["agents"]
    presales = team_agents(agents, "Presales")["agent_id"].tolist()
    presales_lead, account_lead = team_lead(agents, "Presales"), team_lead(agents, "Account Management")
    support_lead = team_lead(agents, "Technical Support")
    rows = []
    for o in bids.itertuples(index=False):
        problems = flaws[o.opportunity_id]
        devices = int(o.devices)
        gateways = max(1, math.ceil(devices / 150)) if devices else 0
        if o.opportunity_id in estimates.index:
            effort = float(estimates.loc[o.opportunity_id, "effort_days"])
        else:
            effort = _half(2 + devices / 30)
        price = float(o.value_gbp)
        consultant = o.presales_agent_id if isinstance(o.presales_agent_id, str) \
            else presales[int(rng.integers(len(presales)))]
        signed = AS_OF.date() - timedelta(days=int(rng.integers(1, 12)))
        figures = {
            "Executive summary": dict(devices_stated=devices, price_gbp_stated=price),
            "Technical solution": dict(devices_stated=devices, gateways_stated=gateways),
            "Delivery plan": dict(devices_stated=devices, effort_days_stated=effort),
            "Commercial": dict(devices_stated=devices, gateways_stated=gateways, effort_days_stated=effort,
                               price_gbp_stated=price),
            "Support and service levels": {},
        }
        if devices == 0:  # pure integration work states no devices or gateways
            for stated in figures.values():
                stated.pop("devices_stated", None)
                stated.pop("gateways_stated", None)
            if "devices_mismatch" in problems:
                problems = (problems - {"devices_mismatch"}) | {"effort_mismatch"}
        if "devices_mismatch" in problems:
            figures["Commercial"]["devices_stated"] = devices - max(5, int(round(devices * 0.1))) if devices > 10 \
                else devices + 12
        if "price_mismatch" in problems:
            figures["Executive summary"]["price_gbp_stated"] = round(price * 0.92, -2)
        if "effort_mismatch" in problems:
            figures["Delivery plan"]["effort_days_stated"] = _half(effort * 0.8)
        sections = []
        for name in SECTIONS:
            author = o.owner if name in ("Executive summary", "Commercial") else consultant
            signer = account_lead if name in ("Executive summary", "Commercial") else presales_lead
            if signer == author:
                signer = support_lead
            row = dict(opportunity_id=o.opportunity_id, section=name, author_id=author, devices_stated=None,
                       gateways_stated=None, effort_days_stated=None, price_gbp_stated=None,
                       signed_off_by=signer, signed_off_date=signed)
            row.update(figures[name])
            sections.append(row)
        if "missing_signoff" in problems:
            sections[2]["signed_off_by"] = None
            sections[2]["signed_off_date"] = None
        if "self_signoff" in problems:
            sections[1]["signed_off_by"] = sections[1]["author_id"]
        rows.extend(sections)
    frame = pd.DataFrame(rows)
    for column in ("devices_stated", "gateways_stated"):
        frame[column] = frame[column].astype("Int64")
    return frame[[c.name for c in SECTION_COLUMNS]]


# --------------------------------------------------------------------------------------------
# The registry entries (ssup/data/generate.py lists them, in this order)
# --------------------------------------------------------------------------------------------
ADVICE_REVIEWS = Table(
    "advice_reviews", write_advice_reviews, ADVICE_COLUMNS, key="review_id",
    doc=f"Reviews of the advice customers were given, scored against the five-criterion advice rubric "
        f"(ssup.quality.ADVICE_RUBRIC): {REVIEWS_PER_WEEK} tickets drawn at random each week from those resolved "
        f"in the {REVIEW_WEEKS} weeks from {REVIEW_START}, and every bid with a presales consultant decided since "
        f"{BID_REVIEW_START}. From {CHECKLIST_START} the Service Desk added a 'check before you advise' step "
        "(price and compatibility confirmed in the catalogue before answering): the Level 5 improvement "
        "experiment.")
DRAFT_ESTIMATES = Table(
    "draft_estimates", write_draft_estimates, ESTIMATE_COLUMNS, key="estimate_id",
    doc="Presales' draft delivery estimates for open opportunities (stages discover, propose, negotiate), "
        "waiting for the sales-support manager's review before they go into proposals. Some break the estimate "
        "checklist (ssup.calibration) on purpose.")
DRAFT_PLAN_TASKS = Table(
    "draft_plan_tasks", write_draft_plan_tasks, PLAN_TASK_COLUMNS, key="(estimate_id, task)",
    doc="The initial project plan behind each draft estimate: tasks, durations, effort, finish-to-start "
        "predecessors and owners, in the format ssup.plan reads. Some plans fail the plan sanity checks on "
        "purpose.")
PRESALES_CAPACITY = Table(
    "presales_capacity", write_presales_capacity, CAPACITY_COLUMNS, key="(agent_id, week_start)",
    doc=f"Days each presales consultant has for customer work in each of the {HORIZON_WEEKS} weeks from "
        f"{HORIZON_START}, after leave, training and (for the lead) management duties.")
BID_PIPELINE = Table(
    "bid_pipeline", write_bid_pipeline, PIPELINE_COLUMNS, key="opportunity_id",
    doc="The presales work the open pipeline asks for in the same eight weeks (every open opportunity except "
        "upgrades without a bid), with the account team's bid/no-bid criterion scores. It always asks for more "
        "days than presales_capacity holds.")
BID_REQUIREMENTS = Table(
    "bid_requirements", write_bid_requirements, REQUIREMENT_COLUMNS, key="(opportunity_id, requirement_id)",
    doc="The compliance matrix of every bid being written (open bids at stage propose or negotiate): one row "
        "per requirement in the customer's tender, with our compliance statement and answer.")
BID_SECTIONS = Table(
    "bid_sections", write_bid_sections, SECTION_COLUMNS, key="(opportunity_id, section)",
    doc="The five sections of every bid being written: author, the figures each states (devices, gateways, "
        "effort, price) and the sign-off. The technical quality gate (ssup.bid_management) checks them.")

TABLES = (ADVICE_REVIEWS, DRAFT_ESTIMATES, DRAFT_PLAN_TASKS, PRESALES_CAPACITY, BID_PIPELINE, BID_REQUIREMENTS,
          BID_SECTIONS)
