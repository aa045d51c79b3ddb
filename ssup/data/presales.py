"""Presales documents for Level 3: discovery-call notes, two RFPs and two draft proposals (Markdown).

Registered in :data:`ssup.data.generate.REGISTRY` as ``"ssup.data.presales:TABLE"``. The writer puts
seven Markdown files into ``data/presales/``:

``discovery_DSC-01.md`` ... ``discovery_DSC-03.md``
    An account manager's notes of a discovery call with an existing customer about a new project:
    a header, the background, the needs *as heard* (a numbered list in the customer's words: some
    precise, some vague), next steps, and the customer's emailed answers to Kestrel's clarifying
    questions (one vague point is always left unanswered).
``rfp_RFP-01.md`` (a water utility's invitation to tender) and ``rfp_RFP-02.md`` (a pharmaceutical
distributor's request for proposal)
    Numbered clauses with *shall / must / will* requirement sentences, several per clause in places.
    The numbers in them (sites, sensors, retention, battery life, response times, probe range) vary
    with the seed, so whether Kestrel complies varies too.
``proposal_RFP-01_draft.md`` and ``proposal_RFP-02_draft.md``
    Presales' first drafts of the answers, with a price table. Each contains three or four claims
    that contradict ``products.csv`` (always a wrong price and a capacity the product does not
    support, plus one or two of: retention, battery life, delivery time, IP rating, P1 response,
    message quota); ``ssup.bids.check_claims`` lists them.

Everything is generated from the table's own random generator and from the tables written before
it (customers, installed base, contacts, agents, products), so the people, companies and prices are
those of the rest of the data set. :func:`build` returns the texts and an answer key (what was made
vague, each need's intended priority and type, the requirement count, the falsified claims) that
the tests use to check the Level 3 parsers independently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ssup.data.generate import Table, format_gbp, weekday_on_or_after

FOLDER = "presales"
CALL_IDS = ("DSC-01", "DSC-02", "DSC-03")
RFP_IDS = ("RFP-01", "RFP-02")

#: The frames that turn a need into a sentence, by MoSCoW priority ({p}: the need, a verb phrase).
CUES: dict[str, tuple[str, ...]] = {
    "Must": ("They must {p}.", "They need to {p}; this is non-negotiable.", "They have to {p}."),
    "Should": ("They should {p}.", "They would really like to {p}.", "Important, but not a show-stopper: they want to {p}."),
    "Could": ("Nice to have: they could {p}.", "It would be nice if they could {p}.", "If it is easy, they could also {p}."),
    "Won't": ("Not this phase: they do not need to {p} yet.", "Out of scope for now: they will not {p} this year."),
}


@dataclass(frozen=True)
class Need:
    """One need heard on a call: a precise and (optionally) a vague wording, and the customer's answer.

    ``precise`` and ``vague`` are verb phrases with ``{fields}``; ``term`` is the vague term the vague
    wording uses (a key of ``ssup.requirements.VAGUE_TERMS``); ``answer`` is what the customer replies
    when asked. ``kind`` is functional / non-functional; ``priority`` is fixed or a choice.
    """

    key: str
    kind: str
    priority: str | tuple[str, ...]
    precise: str
    vague: str | None = None
    term: str | None = None
    answer: str | None = None
    vague_kind: str | None = None

    def kind_of(self, vague: bool) -> str:
        """The requirement type of the wording used (a vague wording can be about usability, say)."""
        return (self.vague_kind or self.kind) if vague else self.kind


@dataclass
class Documents:
    """What :func:`build` makes: the files (relative path -> text) and the answer key."""

    files: dict[str, str] = field(default_factory=dict)
    key: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# choosing who the documents are about
# --------------------------------------------------------------------------------------------------
def _pick(rng: np.random.Generator, frames: Mapping[str, pd.DataFrame], industries: tuple[str, ...],
          used: set[str], uk_first: bool = False) -> pd.Series:
    """A customer in ``industries`` with equipment installed (so not a documented duplicate account), not used
    by another document; larger organisations (Mid-market, Enterprise) and, if asked, UK & Ireland first."""
    customers = frames["customers"]
    active = set(frames["installed_base"]["customer_id"])
    pool = customers[customers["customer_id"].isin(active) & ~customers["customer_id"].isin(used)]
    preferred = pool[pool["industry"].isin(industries)]
    pool = preferred if len(preferred) else pool
    for column, keep in (("segment", ("Mid-market", "Enterprise")), ("region", ("UK & Ireland",) if uk_first else ())):
        narrower = pool[pool[column].isin(keep)]
        if len(narrower):
            pool = narrower
    pool = pool.sort_values("customer_id")
    customer = pool.iloc[int(rng.integers(len(pool)))]
    used.add(customer["customer_id"])
    return customer


def _people(rng: np.random.Generator, frames: Mapping[str, pd.DataFrame], customer: pd.Series) -> dict[str, str]:
    contacts = frames["contacts"]
    mine = contacts[contacts["customer_id"] == customer["customer_id"]].sort_values(
        ["is_primary", "contact_id"], ascending=[False, True])
    agents = frames["agents"].set_index("agent_id")
    presales_ids = sorted(frames["agents"].loc[frames["agents"]["team"] == "Presales", "agent_id"])
    presales_id = presales_ids[int(rng.integers(len(presales_ids)))]
    first = mine.iloc[0]
    second = mine.iloc[1] if len(mine) > 1 else None
    am = agents.loc[customer["account_manager"], "name"]
    return {
        "contact": first["name"], "contact_role": first["role"], "contact_first": first["name"].split()[0],
        "contact2": second["name"] if second is not None else "",
        "contact2_role": second["role"] if second is not None else "",
        "am": am, "am_first": am.split()[0],
        "presales": agents.loc[presales_id, "name"], "presales_first": agents.loc[presales_id, "name"].split()[0],
        "presales_id": presales_id,
    }


def _day(base: date, offset: int) -> date:
    """``base`` moved by ``offset`` days, then to the next weekday if it falls on a weekend."""
    return weekday_on_or_after(base + timedelta(days=offset))


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------------------------------
# discovery calls
# --------------------------------------------------------------------------------------------------
def _cold_chain_call(rng: np.random.Generator) -> tuple[dict[str, Any], list[Need], str, str, tuple[str, ...]]:
    sites = int(rng.integers(3, 7))
    rooms = int(sum(rng.integers(4, 11, size=sites)))
    freezers = int(sum(rng.integers(1, 4, size=sites)))
    f = dict(sites=sites, rooms=rooms, freezers=freezers, total=rooms + freezers,
             alarm=int(rng.choice([5, 10, 15])), years=int(rng.choice([2, 3])), fresh=int(rng.choice([5, 10, 15])),
             battery=int(rng.choice([3, 4, 5])), door=int(rng.choice([3, 5, 10])), vans=int(rng.integers(6, 25)),
             budget=int(round((rooms + freezers) * rng.uniform(160, 260), -3)), complete=float(rng.choice([99.0, 99.5])),
             loss=int(rng.integers(8, 40)) * 1000, golive=_fmt(date(2026, int(rng.choice([9, 10])), 1)))
    needs = [
        Need("coverage", "functional", "Must", "monitor {rooms} cold rooms and {freezers} freezers across the {sites} depots",
             "monitor lots of cold rooms and freezers across the depots", "lots of",
             "{rooms} cold rooms and {freezers} freezers across the {sites} depots, one sensor in each: {total} sensors."),
        Need("alarm", "non-functional", "Must",
             "alert the duty manager by SMS within {alarm} minutes once a freezer has been above -18 C for 15 minutes",
             "get fast alarms when a freezer warms up", "fast",
             "An SMS to the duty manager within {alarm} minutes once a freezer has been above -18 C for 15 minutes, "
             "and a phone call if nobody acknowledges it within another 15 minutes."),
        Need("records", "non-functional", "Must", "keep {years} years of temperature records for HACCP audits",
             "keep enough history for the food-safety auditors", "enough history",
             "{years} years of readings for every room and freezer, exportable as PDF or CSV for any date range."),
        Need("dashboard", "functional", "Should", "show every depot's rooms on one screen with the latest reading and its time",
             "have a user-friendly dashboard for the shift supervisors", "user-friendly",
             "After 30 minutes of training a shift supervisor can find any room's latest reading and acknowledge an "
             "alarm in under 1 minute.", vague_kind="non-functional"),
        Need("fresh", "non-functional", "Should", "see readings that are never more than {fresh} minutes old",
             "see the temperatures in real time", "real time",
             "Readings on the screen are never more than {fresh} minutes old."),
        Need("battery", "non-functional", ("Should", "Could"), "change sensor batteries no more often than every {battery} years",
             "have a long battery life on the sensors", "long battery life",
             "No battery changes within {battery} years at the agreed reporting interval."),
        Need("report", "functional", "Should", "email a weekly temperature report to each depot manager every Monday by 09:00"),
        Need("doors", "functional", "Could", "log cold-room door openings longer than {door} minutes"),
        Need("golive", "non-functional", "Must", "be running at all depots by {golive}",
             "have it working as soon as possible", "as soon as possible",
             "Running at all depots by {golive}, before the Environmental Health revisit."),
        Need("budget", "non-functional", ("Should", "Must"), "keep the hardware under £{budget:,}",
             "keep the hardware cheap", "cheap", "A hardware budget of £{budget:,}, excluding installation."),
        Need("vans", "functional", "Won't", "monitor the {vans} delivery vans"),
        Need("complete", "non-functional", "Must", "receive at least {complete:g}% of the expected readings every month",
             "have a reliable system", "reliable", "At least {complete:g}% of the expected readings received in every "
             "calendar month."),
    ]
    background = ("{name} stores and distributes chilled and frozen products from {sites} depots. Temperatures are written on paper "
                  "twice a day; at the last Environmental Health visit the inspector found gaps in the records, and "
                  "a freezer failure over a bank-holiday weekend cost about £{loss:,} of stock. {contact} "
                  "({contact_role}) wants automatic monitoring in place before the summer peak.")
    return f, needs, background, "Temperature monitoring for the depots", ("alarm",)


def _machines_call(rng: np.random.Generator) -> tuple[dict[str, Any], list[Need], str, str, tuple[str, ...]]:
    sites = int(rng.integers(2, 5))
    vib = int(rng.integers(25, 90)) * sites
    energy = int(rng.integers(6, 20)) * sites
    f = dict(sites=sites, vib=vib, energy=energy, devices=vib + energy, area=int(rng.integers(6, 21)) * 1000,
             alarm=int(rng.choice([5, 10, 15])), mms=float(rng.choice([4.5, 7.1, 11.2])),
             interval=int(rng.choice([5, 10, 15])), years=int(rng.choice([1, 2, 3])), battery=int(rng.choice([2, 3])),
             bi=int(rng.choice([2, 5, 15])), hours=int(rng.integers(60, 400)),
             line=str(rng.choice(["press", "moulding", "machining", "packing"])))
    needs = [
        Need("coverage", "functional", "Must",
             "monitor {vib} motors and pumps for vibration and {energy} distribution boards for energy in the {sites} plants",
             "monitor lots of machines in every plant", "lots of",
             "{vib} motors and pumps (one vibration sensor each) and {energy} distribution boards (one energy meter each) "
             "across the {sites} plants: {devices} sensors in total."),
        Need("warning", "non-functional", "Must",
             "warn the maintenance planner by SMS and email within {alarm} minutes when vibration velocity exceeds {mms:g} mm/s",
             "get fast warnings when a bearing starts to fail", "fast",
             "An SMS and an email to the maintenance planner within {alarm} minutes of a vibration velocity above "
             "{mms:g} mm/s."),
        Need("interval", "non-functional", ("Must", "Should"), "get a reading from every sensor every {interval} minutes",
             "see the condition of every machine in real time", "real time",
             "A reading from every sensor every {interval} minutes is enough; the alarms matter more than the trend."),
        Need("history", "non-functional", "Should", "keep {years} year{years_s} of vibration and energy readings for reliability analysis",
             "keep plenty of history for the reliability engineers", "enough history",
             "{years} year{years_s} of raw readings online for the reliability engineers."),
        Need("sap", "functional", "Should", "raise a work order in SAP S/4HANA automatically when a vibration alarm fires"),
        Need("dashboards", "functional", "Should", "show each line's machines on one screen, red, amber or green by vibration level",
             "have dashboards that are easy to use for the technicians", "user-friendly",
             "A technician sees the red, amber or green state of every machine on their line on one screen and "
             "reaches any trend in no more than 2 clicks.", vague_kind="non-functional"),
        Need("security", "non-functional", "Must", "sign in with their Microsoft Entra ID single sign-on",
             "make the system secure", "secure",
             "Single sign-on with Microsoft Entra ID, and all data encrypted in transit."),
        Need("energy", "functional", "Should", "report kWh per production line per shift every morning by 07:00"),
        Need("battery", "non-functional", ("Should", "Could"), "change batteries no more often than every {battery} years",
             "have a long battery life on the vibration sensors", "long battery life",
             "No battery change within {battery} years at the agreed reporting interval."),
        Need("air", "functional", "Won't", "monitor the compressed-air network"),
        Need("league", "functional", "Could", "show a monthly energy league table of the plants"),
        Need("bi", "functional", "Should", "pull the latest readings into their Power BI reports through the API"),
    ]
    f["years_s"] = "s" if f["years"] != 1 else ""
    background = ("{name} runs {sites} plants of about {area:,} m2 each (steel-framed halls). Unplanned stops on the "
                  "{line} lines cost {hours} production hours last year; maintenance is calendar-based and energy is "
                  "read monthly from the utility bills. {contact} ({contact_role}) is sponsoring condition monitoring "
                  "for every plant. Their IT manager wants Power BI to show the latest readings, refreshed every {bi} "
                  "minutes, through the Kestrel API.")
    return f, needs, background, "Machine condition and energy monitoring", ("coverage", "warning", "interval", "history")


def _buildings_call(rng: np.random.Generator) -> tuple[dict[str, Any], list[Need], str, str, tuple[str, ...]]:
    sites = int(rng.integers(3, 9))
    rooms = int(sum(rng.integers(8, 30, size=sites)))
    f = dict(sites=sites, rooms=rooms, alarm=int(rng.choice([5, 10])), ppm=int(rng.choice([1000, 1200, 1500])),
             years=int(rng.choice([1, 2])), battery=int(rng.choice([3, 4])), meters=sites * int(rng.integers(1, 3)),
             budget=int(rng.choice([6000, 9000, 12000])), plant_rooms=sites * int(rng.integers(1, 4)))
    f["years_s"] = "s" if f["years"] != 1 else ""
    needs = [
        Need("coverage", "functional", "Must", "monitor CO2 in {rooms} classrooms and offices across {sites} buildings",
             "monitor air quality in lots of rooms", "lots of",
             "{rooms} classrooms and offices across the {sites} buildings, one CO2 sensor in each."),
        Need("leak", "non-functional", "Must", "alert the caretaker within {alarm} minutes of water in any of the {plant_rooms} plant rooms",
             "get fast leak alerts from the plant rooms", "fast",
             "An SMS to the caretaker on duty within {alarm} minutes of water detected in any of the {plant_rooms} plant rooms."),
        Need("co2", "functional", "Must", "flag every room above {ppm} ppm CO2 for more than 20 minutes"),
        Need("display", "functional", "Should", "show a floor plan with each room's CO2 level",
             "have a user-friendly display for the head teachers", "user-friendly",
             "A head teacher sees a floor plan coloured by CO2 level after a 15-minute introduction.",
             vague_kind="non-functional"),
        Need("meters", "functional", "Could", "read the {meters} main electricity meters half-hourly"),
        Need("history", "non-functional", "Should", "keep {years} year{years_s} of readings for the governors' reports",
             "keep enough history for the governors' reports", "enough history",
             "{years} year{years_s} of readings, exportable as CSV."),
        Need("battery", "non-functional", "Should", "change batteries no more often than every {battery} years",
             "have sensors with a long battery life", "long battery life",
             "No battery change within {battery} years."),
        Need("budget", "non-functional", "Must", "stay within £{budget:,} a year for the platform and support",
             "keep the running costs affordable", "cheap", "At most £{budget:,} a year for the platform and support."),
        Need("heating", "functional", "Won't", "control the heating from the platform"),
    ]
    background = ("{name} looks after {sites} school and office buildings. After complaints about stuffy classrooms "
                  "and a leak in a plant room that flooded a server room, {contact} ({contact_role}) wants CO2 and "
                  "leak monitoring, and later energy data for the governors.")
    return f, needs, background, "Air quality and leak monitoring", ("leak",)


_CALLS = {
    "DSC-01": (_cold_chain_call, ("food_beverage", "logistics")),
    "DSC-02": (_machines_call, ("manufacturing", "mining")),
    "DSC-03": (_buildings_call, ("building_management",)),
}


def _sentence(rng: np.random.Generator, priority: str, phrase: str) -> str:
    frames = CUES[priority]
    text = frames[int(rng.integers(len(frames)))].format(p=phrase)
    return text[0].upper() + text[1:]


def _discovery(rng: np.random.Generator, call_id: str, frames: Mapping[str, pd.DataFrame], used: set[str],
               call_day: date) -> tuple[str, dict[str, Any]]:
    maker, industries = _CALLS[call_id]
    customer = _pick(rng, frames, industries, used, uk_first=True)
    fields, needs, background, topic, forced = maker(rng)
    people = _people(rng, frames, customer)
    fields = dict(fields, name=customer["name"], **people)
    # which needs are vague: the forced ones, then others at random, at least five in all, and one left open
    can_be_vague = [n.key for n in needs if n.vague]
    vague = set(forced)
    for key in can_be_vague:
        if key not in vague and rng.random() < 0.4:
            vague.add(key)
    optional = [k for k in can_be_vague if k not in vague]
    while len(vague) < 5 and optional:
        vague.add(optional.pop(int(rng.integers(len(optional)))))
    unforced = sorted(k for k in vague if k not in forced)
    if not unforced:
        extra = [k for k in can_be_vague if k not in vague]
        unforced = [extra[int(rng.integers(len(extra)))]]
        vague.add(unforced[0])
    left_open = unforced[int(rng.integers(len(unforced)))]
    lines, key_rows, answers = [], [], []
    for number, need in enumerate(needs, start=1):
        priority = need.priority if isinstance(need.priority, str) else str(rng.choice(need.priority))
        is_vague = need.key in vague
        phrase = (need.vague if is_vague else need.precise).format(**fields)
        lines.append(f"{number}. {_sentence(rng, priority, phrase)}")
        answered = is_vague and need.key != left_open
        if answered:
            answers.append(f"- Note {number} ({need.term}): {need.answer.format(**fields)}")
        key_rows.append({"note": number, "need": need.key, "kind": need.kind_of(is_vague), "priority": priority,
                         "vague": is_vague, "term": need.term if is_vague else None, "answered": answered,
                         "precise": need.precise.format(**fields)})
    answer_day = _day(call_day, int(rng.integers(4, 8)))
    open_note = next(r["note"] for r in key_rows if r["need"] == left_open)
    attendees = f"{people['contact']} ({people['contact_role']})"
    if people["contact2"]:
        attendees += f", {people['contact2']} ({people['contact2_role']})"
    text = "\n".join([
        f"# Discovery call {call_id}: {customer['name']}",
        "",
        "| | |",
        "|---|---|",
        f"| Customer | {customer['name']} ({customer['customer_id']}), {customer['industry'].replace('_', ' ')}, "
        f"{customer['city']}, {customer['country']} |",
        f"| Topic | {topic} |",
        "| Opportunity | not in the CRM yet: the account manager creates it after this call |",
        f"| Call | {_fmt(call_day)}, video call, 45 minutes |",
        f"| Customer attendees | {attendees} |",
        f"| Kestrel attendees | {people['am']} (Account Manager), {people['presales']} (Presales) |",
        "",
        "## Background",
        "",
        background.format(**fields),
        "",
        "## What they need (as heard, in the customer's words)",
        "",
        *lines,
        "",
        "## Next steps",
        "",
        f"- {people['presales_first']} to send clarifying questions on the vague points by {_fmt(_day(call_day, 2))}.",
        f"- {people['am_first']} to send a requirements summary for sign-off once the answers are in.",
        "",
        "## Answers to our clarifying questions",
        "",
        f"Email from {people['contact']}, {_fmt(answer_day)}:",
        "",
        *answers,
        "",
        f"We are still discussing note {open_note} internally and will come back to you on it.",
        "",
    ])
    key = {"customer_id": customer["customer_id"], "customer": customer["name"],
           "fields": {k: v for k, v in fields.items() if isinstance(v, (int, float, str))},
           "needs": key_rows, "open_note": open_note}
    return text, key


# --------------------------------------------------------------------------------------------------
# RFPs
# --------------------------------------------------------------------------------------------------
def _water_rfp(rng: np.random.Generator, customer: pd.Series, people: dict[str, str], issued: date) -> tuple[str, dict[str, Any]]:
    sites = int(rng.integers(8, 31))
    pressure = int(sum(rng.integers(2, 5, size=sites)))
    level = int(sum(rng.integers(0, 3, size=sites)))
    energy = int(sum(rng.integers(1, 3, size=sites)))
    f = dict(sites=sites, pressure=pressure, level=level, energy=energy, devices=pressure + level + energy,
             interval=int(rng.choice([5, 10, 15])), ip=int(rng.choice([67, 68])), tmin=int(rng.choice([-20, -25, -30, -40])),
             tmax=int(rng.choice([50, 55, 60])), battery=int(rng.choice([3, 5, 7, 10])), buffer=int(rng.choice([24, 48, 72])),
             retention=int(rng.choice([2, 3, 5, 7])), alarm=int(rng.choice([2, 5, 10])), response=int(rng.choice([15, 30, 60])),
             lead=int(rng.choice([20, 30, 40])), trainees=int(rng.choice([12, 20, 30])), spares=int(rng.choice([7, 10])),
             fixed=int(rng.choice([2, 3])), scada=str(rng.choice(["AVEVA System Platform", "Siemens WinCC OA", "Ignition"])),
             ref=f"ITT/{issued.year}/{int(rng.integers(10, 90)):03d}", name=customer["name"],
             closing=_fmt(_day(issued, 28)), questions=_fmt(_day(issued, 14)))
    text = """# Invitation to Tender: Remote Monitoring of Pumping Stations and Reservoirs

| | |
|---|---|
| Issued by | {name} ("the Authority") |
| Reference | {ref} |
| Issue date | {issued} |
| Clarification questions by | {questions} |
| Closing date | {closing}, 12:00 |

## 1 Instructions to tenderers

1.1 Tenderers must answer every requirement in sections 3, 4 and 5 with "Comply", "Partially comply" or "Do not comply", and give evidence for each answer.
1.2 Responses must be received through the Authority's supplier portal by the closing date. The Authority will not consider late responses.
1.3 The Authority will evaluate responses on quality (60%) and price (40%).

## 2 Background

The Authority operates {sites} pumping stations, tanks and reservoirs. They are monitored by telemetry outstations installed between 1998 and 2006, for which spare parts are no longer available. This tender replaces them with wireless sensors, gateways and a hosted monitoring platform, integrated with the Authority's SCADA system ({scada}).

## 3 Technical requirements

3.1 The solution shall monitor pressure, reservoir level and pump energy at {sites} sites: about {pressure} pressure points, {level} reservoir levels and {energy} pump energy meters, {devices} sensors in total.
3.2 Every sensor shall report at least once every {interval} minutes.
3.3 Field devices shall be rated at least IP{ip}. They shall operate at ambient temperatures from {tmin} C to +{tmax} C.
3.4 Battery-powered sensors must achieve a battery life of at least {battery} years at the reporting interval in 3.2.
3.5 Gateways shall buffer measurements for at least {buffer} hours when their backhaul is lost. They shall send the buffered data when the backhaul returns.
3.6 The platform shall retain raw measurements online for at least {retention} years.
3.7 The solution shall provide measurements to the Authority's SCADA system through OPC UA.
3.8 Alarms shall reach the duty controller by SMS and email within {alarm} minutes of a threshold breach.
3.9 The platform shall provide a documented REST API for the Authority's data warehouse.
3.10 The platform must support single sign-on with the Authority's identity provider.

## 4 Service requirements

4.1 The Contractor shall provide 24/7 telephone support for critical incidents, with a response within {response} minutes.
4.2 The Contractor shall deliver all hardware within {lead} working days of the purchase order.
4.3 The Contractor will install and commission the equipment at every site.
4.4 The Contractor shall train up to {trainees} control-room operators and technicians.
4.5 Spare parts must remain available for at least {spares} years after installation.

## 5 Commercial requirements

5.1 Prices shall be fixed for the first {fixed} years of the contract.
5.2 The Contractor must hold ISO/IEC 27001 certification for the hosted platform.
""".format(**f, issued=_fmt(issued))
    refs = ["1.1", "1.2a", "1.2b", "1.3", "3.1", "3.2", "3.3a", "3.3b", "3.4", "3.5a", "3.5b", "3.6", "3.7", "3.8",
            "3.9", "3.10", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2"]
    return text, {"fields": {k: v for k, v in f.items()}, "refs": refs, "buyer_refs": ["1.2b", "1.3"]}


def _pharma_rfp(rng: np.random.Generator, customer: pd.Series, people: dict[str, str], issued: date) -> tuple[str, dict[str, Any]]:
    sites = int(rng.integers(2, 6))
    rooms = int(sum(rng.integers(4, 13, size=sites)))
    freezers = int(sum(rng.integers(2, 7, size=sites)))
    vans = int(rng.integers(10, 41))
    f = dict(sites=sites, rooms=rooms, freezers=freezers, vans=vans, devices=rooms + freezers + vans,
             probe_min=int(rng.choice([-40, -80, -86, -90])), battery=int(rng.choice([3, 4, 5, 6])),
             retention=int(rng.choice([2, 3, 5, 6])), response=int(rng.choice([15, 30, 60])),
             trainees=int(rng.choice([8, 16, 24])), ref=f"RFP-QA-{int(rng.integers(100, 999))}", name=customer["name"],
             closing=_fmt(_day(issued, 21)), questions=_fmt(_day(issued, 10)), notify=_fmt(_day(issued, 45)))
    text = """# Request for Proposal: GDP Temperature Monitoring for Warehouses and Vehicles

| | |
|---|---|
| Issued by | {name} ("the Buyer") |
| Reference | {ref} |
| Issue date | {issued} |
| Questions by | {questions} |
| Proposals due | {closing}, 17:00 |

## 1 Instructions

1.1 Proposals must follow the numbering of this document and state for each requirement whether it is met in full, in part or not at all.
1.2 Proposals must be submitted as a single PDF by the due date. Clarification questions must be sent by email by the questions date.
1.3 The Buyer will notify all bidders of the outcome by {notify}.

## 2 Background

The Buyer distributes medicines to pharmacies and hospitals from {sites} warehouses and a fleet of {vans} temperature-controlled vans, under the EU Guidelines on Good Distribution Practice (GDP). Temperatures are recorded today by stand-alone data loggers that are read out by hand once a week, so excursions are found days after they happen.

## 3 Functional requirements

3.1 The system shall monitor {rooms} storage areas (2-8 C and 15-25 C) and {freezers} freezers at {sites} warehouses, and the {vans} delivery vans: {devices} monitoring points in total.
3.2 Freezer probes shall measure temperatures down to {probe_min} C.
3.3 The system shall raise an alarm by SMS, email and phone call when a reading stays outside its range for longer than a configurable delay.
3.4 Acknowledging an alarm shall require a comment. Every acknowledgement shall be recorded in the audit trail.
3.5 Van loggers shall buffer readings when the vehicle is out of mobile coverage and send them when coverage returns.
3.6 The system must send an excursion to SAP S/4HANA so that the affected stock is blocked automatically.

## 4 Non-functional requirements

4.1 The platform shall keep an audit trail that complies with EU GMP Annex 11 and FDA 21 CFR Part 11.
4.2 Raw readings shall be retained online for at least {retention} years.
4.3 Freezer sensors shall have a battery life of at least {battery} years at a reporting interval of 5 minutes.
4.4 The hosted platform must be available at least 99.9% of the time, measured monthly.

## 5 Service requirements

5.1 The supplier shall provide 24/7 support, with a response to critical incidents within {response} minutes.
5.2 The supplier shall supply a calibration certificate traceable to UKAS for every probe, renewed every year.
5.3 The supplier will train {trainees} quality and warehouse staff before go-live.
""".format(**f, issued=_fmt(issued))
    refs = ["1.1", "1.2a", "1.2b", "1.3", "3.1", "3.2", "3.3", "3.4a", "3.4b", "3.5", "3.6", "4.1", "4.2", "4.3",
            "4.4", "5.1", "5.2", "5.3"]
    return text, {"fields": {k: v for k, v in f.items()}, "refs": refs, "buyer_refs": ["1.3"]}


# --------------------------------------------------------------------------------------------------
# draft proposals (with deliberate contradictions of the catalogue)
# --------------------------------------------------------------------------------------------------
def _wrong_price(price: float) -> float:
    step = 30 if price < 500 else 100 if price < 5000 else 1000
    return float(price - step)


def _falsify(rng: np.random.Generator, pools: dict[str, list[tuple[str, str]]]) -> dict[tuple[str, str], bool]:
    """Choose the claims to get wrong: one price, one capacity, one or two others, all on different products."""
    chosen: list[tuple[str, str]] = []
    for group in ("price", "capacity"):
        options = [o for o in pools[group] if o[0] not in {c[0] for c in chosen}]
        chosen.append(options[int(rng.integers(len(options)))])
    others = [o for o in pools["other"] if o[0] not in {c[0] for c in chosen}]
    for _ in range(int(rng.integers(1, 3))):
        others = [o for o in others if o[0] not in {c[0] for c in chosen}]
        if not others:
            break
        chosen.append(others[int(rng.integers(len(others)))])
    return {c: True for c in chosen}


def _claims_values(products: pd.DataFrame, wrong: dict[tuple[str, str], bool]) -> dict[tuple[str, str], Any]:
    """The value each draft sentence states: the catalogue's, or a wrong one where chosen."""
    values: dict[tuple[str, str], Any] = {}
    for row in products.to_dict("records"):
        pid = row["product_id"]

        def bad(attribute: str) -> bool:
            return bool(wrong.get((pid, attribute)))

        values[(pid, "price")] = _wrong_price(row["list_price_gbp"]) if bad("price") else float(row["list_price_gbp"])
        for column in ("max_devices", "messages_per_day"):
            if pd.notna(row[column]):
                values[(pid, column)] = int(row[column]) * (2 if bad(column) else 1)
        if pd.notna(row["retention_days"]):
            values[(pid, "retention_days")] = 1825 if bad("retention_days") else int(row["retention_days"])
        if pd.notna(row["battery_life_years"]):
            values[(pid, "battery_life_years")] = float(row["battery_life_years"]) + (2 if bad("battery_life_years") else 0)
        lead = int(row["lead_time_days"])
        values[(pid, "lead_time_days")] = (max(2, lead - 10) if lead > 10 else 2) if bad("lead_time_days") else lead
        if isinstance(row["ip_rating"], str):
            values[(pid, "ip_rating")] = "IP68" if bad("ip_rating") else row["ip_rating"]
        if pd.notna(row["p1_response_hours"]):
            minutes = float(row["p1_response_hours"]) * 60
            values[(pid, "p1_response_minutes")] = minutes / 2 if bad("p1_response_minutes") else minutes
    return values


def _name(products: pd.DataFrame, pid: str) -> str:
    return str(products.set_index("product_id").loc[pid, "name"])


def _price_table(products: pd.DataFrame, lines: list[tuple[str, float, str]], v: dict[tuple[str, str], Any]) -> tuple[str, float]:
    p = products.set_index("product_id")
    rows = ["| Product | Description | Quantity | Unit price | First-year total |", "|---|---|---|---|---|"]
    total = 0.0
    for pid, qty, qty_text in lines:
        unit = v[(pid, "price")]
        factor = 12 if p.loc[pid, "price_unit"] == "month" else 1
        line_total = unit * qty * factor
        total += line_total
        rows.append(f"| {pid} | {p.loc[pid, 'name']} | {qty_text} | {format_gbp(unit)} | {format_gbp(line_total)} |")
    rows.append(f"| | **Total, first year (excluding VAT)** | | | **{format_gbp(total)}** |")
    return "\n".join(rows), total


def _water_proposal(rng: np.random.Generator, products: pd.DataFrame, rfp: dict[str, Any], customer: pd.Series,
                    people: dict[str, str], day: date) -> tuple[str, list[tuple[str, str]]]:
    f = rfp["fields"]
    pools = {
        "price": [("SNS-PRS-100", "price"), ("SNS-LVL-100", "price"), ("SUP-CRITICAL", "price"), ("SVC-INT-SCADA", "price")],
        "capacity": [("GW-EDGE-500", "max_devices"), ("PLT-ENT", "messages_per_day"), ("PLT-ENT", "max_devices")],
        "other": [("PLT-ENT", "retention_days"), ("SNS-LVL-100", "battery_life_years"), ("SNS-PRS-100", "ip_rating"),
                  ("SUP-CRITICAL", "p1_response_minutes"), ("GW-EDGE-500", "lead_time_days")],
    }
    wrong = _falsify(rng, pools)
    v = _claims_values(products, wrong)
    install_days = math.ceil(f["devices"] / 35 + f["sites"] / 3)
    train_days = math.ceil(f["trainees"] / 8)
    n = _name
    lines = [
        ("SNS-PRS-100", f["pressure"], str(f["pressure"])), ("SNS-LVL-100", f["level"], str(f["level"])),
        ("SNS-NRG-100", f["energy"], str(f["energy"])), ("GW-EDGE-500", f["sites"], str(f["sites"])),
        ("PLT-ENT", 1, "12 months"), ("SUP-CRITICAL", 1, "1 year"), ("SVC-INT-SCADA", 1, "1"),
        ("SVC-INSTALL-DAY", install_days, f"{install_days} days"), ("SVC-TRAIN", train_days, f"{train_days} day{'s' if train_days != 1 else ''}"),
    ]
    table, total = _price_table(products, [l for l in lines if l[1] > 0], v)
    text = f"""# Draft proposal: Remote Monitoring of Pumping Stations and Reservoirs

**For:** {customer['name']} ({customer['customer_id']}), tender {f['ref']}
**Prepared by:** {people['presales']} (Presales), with {people['am']} (Account Manager)
**Status:** DRAFT v0.3 of {_fmt(day)}, not for release: needs a technical and commercial review

## 1 Executive summary

Kestrel Telemetry proposes wireless pressure, level and energy sensors at all {f['sites']} sites, an edge gateway at every site, and Kestrel Cloud Enterprise with Critical Support, integrated with the Authority's SCADA system through OPC UA. The total first-year price is {format_gbp(total)} excluding VAT.

## 2 Proposed solution

{f['pressure']} {n(products, 'SNS-PRS-100')}s (SNS-PRS-100) at {format_gbp(v[('SNS-PRS-100', 'price')])} each measure 0-16 bar, are rated {v[('SNS-PRS-100', 'ip_rating')]} and have a battery life of {v[('SNS-PRS-100', 'battery_life_years')]:g} years.
{f['level']} {n(products, 'SNS-LVL-100')}s (SNS-LVL-100) at {format_gbp(v[('SNS-LVL-100', 'price')])} each are rated {v[('SNS-LVL-100', 'ip_rating')]} and have a battery life of {v[('SNS-LVL-100', 'battery_life_years')]:g} years.
{f['energy']} {n(products, 'SNS-NRG-100')}s (SNS-NRG-100) at {format_gbp(v[('SNS-NRG-100', 'price')])} each are powered from the measured circuit, so they need no batteries.

One {n(products, 'GW-EDGE-500')} (GW-EDGE-500) per site, {f['sites']} in total, at {format_gbp(v[('GW-EDGE-500', 'price')])} each; each gateway serves up to {v[('GW-EDGE-500', 'max_devices')]:,} sensors, buffers 30 days of data when its backhaul is lost and runs the OPC UA server for the SCADA system.
The Edge 500 gateways (GW-EDGE-500) ship within {v[('GW-EDGE-500', 'lead_time_days')]} working days of the purchase order.

{n(products, 'PLT-ENT')} (PLT-ENT) at {format_gbp(v[('PLT-ENT', 'price')])} a month keeps {v[('PLT-ENT', 'retention_days')]:,} days of raw data online, ingests up to {v[('PLT-ENT', 'messages_per_day')]:,} messages a day and supports up to {v[('PLT-ENT', 'max_devices')]:,} devices, with single sign-on and the REST API included.
{n(products, 'SUP-CRITICAL')} (SUP-CRITICAL) at {format_gbp(v[('SUP-CRITICAL', 'price')])} a year provides a 24x7 telephone line and a {v[('SUP-CRITICAL', 'p1_response_minutes')]:g}-minute P1 response.

## 3 Services

{n(products, 'SVC-INT-SCADA')} (SVC-INT-SCADA) at {format_gbp(v[('SVC-INT-SCADA', 'price')])} connects the Edge 500 gateways to {f['scada']}, including the tag list and a site acceptance test.
Installation and commissioning (SVC-INSTALL-DAY) at {format_gbp(v[('SVC-INSTALL-DAY', 'price')])} per day: we estimate {install_days} engineer days for {f['devices']} sensors and {f['sites']} gateways.
Training (SVC-TRAIN) at {format_gbp(v[('SVC-TRAIN', 'price')])} per day for up to 8 attendees: {train_days} day{'s' if train_days != 1 else ''} for {f['trainees']} operators and technicians.

## 4 Price summary

{table}
"""
    return text, sorted(wrong)


def _pharma_proposal(rng: np.random.Generator, products: pd.DataFrame, rfp: dict[str, Any], customer: pd.Series,
                     people: dict[str, str], day: date) -> tuple[str, list[tuple[str, str]]]:
    f = rfp["fields"]
    pools = {
        "price": [("SNS-TMP-100", "price"), ("SNS-TMP-200", "price"), ("SVC-INT-ERP", "price"), ("PLT-ENT", "price")],
        "capacity": [("GW-LRW-IN", "max_devices"), ("PLT-ENT", "messages_per_day")],
        "other": [("PLT-ENT", "retention_days"), ("SNS-TMP-200", "battery_life_years"), ("SNS-TMP-300", "battery_life_years"),
                  ("GW-LRW-IN", "lead_time_days"), ("SUP-CRITICAL", "p1_response_minutes"), ("SNS-TMP-100", "ip_rating")],
    }
    wrong = _falsify(rng, pools)
    v = _claims_values(products, wrong)
    gateways = 2 * f["sites"]
    install_days = math.ceil((f["rooms"] + f["freezers"]) / 35 + gateways / 3)
    train_days = math.ceil(f["trainees"] / 8)
    n = _name
    lines = [
        ("SNS-TMP-100", f["rooms"], str(f["rooms"])), ("SNS-TMP-200", f["freezers"], str(f["freezers"])),
        ("SNS-TMP-300", f["vans"], str(f["vans"])), ("GW-LRW-IN", gateways, str(gateways)),
        ("PLT-ENT", 1, "12 months"), ("SUP-CRITICAL", 1, "1 year"), ("SVC-INT-ERP", 1, "1"),
        ("SVC-INSTALL-DAY", install_days, f"{install_days} days"), ("SVC-TRAIN", train_days, f"{train_days} day{'s' if train_days != 1 else ''}"),
    ]
    table, total = _price_table(products, lines, v)
    text = f"""# Draft proposal: GDP Temperature Monitoring for Warehouses and Vehicles

**For:** {customer['name']} ({customer['customer_id']}), RFP {f['ref']}
**Prepared by:** {people['presales']} (Presales), with {people['am']} (Account Manager)
**Status:** DRAFT v0.2 of {_fmt(day)}, not for release: needs a technical and commercial review

## 1 Executive summary

Kestrel Telemetry proposes LoRaWAN temperature sensors in every storage area and freezer, cellular loggers in every van, and Kestrel Cloud Enterprise with its GxP audit trail, integrated with SAP S/4HANA. The total first-year price is {format_gbp(total)} excluding VAT.

## 2 Proposed solution

{f['rooms']} {n(products, 'SNS-TMP-100')}s (SNS-TMP-100) at {format_gbp(v[('SNS-TMP-100', 'price')])} each, accurate to +/-0.3 C and rated {v[('SNS-TMP-100', 'ip_rating')]}, with a battery life of {v[('SNS-TMP-100', 'battery_life_years')]:g} years.
{f['freezers']} {n(products, 'SNS-TMP-200')}s (SNS-TMP-200) at {format_gbp(v[('SNS-TMP-200', 'price')])} each; their PT1000 probes measure from -80 C to +150 C and they run for {v[('SNS-TMP-200', 'battery_life_years')]:g} years on their batteries at the default 5-minute interval.
{f['vans']} {n(products, 'SNS-TMP-300')}s (SNS-TMP-300) at {format_gbp(v[('SNS-TMP-300', 'price')])} each connect directly to Kestrel Cloud, buffer 10,000 readings when out of coverage and have a battery life of {v[('SNS-TMP-300', 'battery_life_years')]:g} years.

{gateways} {n(products, 'GW-LRW-IN')}s (GW-LRW-IN), two per warehouse for redundancy, at {format_gbp(v[('GW-LRW-IN', 'price')])} each; each gateway serves up to {v[('GW-LRW-IN', 'max_devices')]:,} sensors.
The gateways (GW-LRW-IN) are dispatched within {v[('GW-LRW-IN', 'lead_time_days')]} working days of the order.

{n(products, 'PLT-ENT')} (PLT-ENT) at {format_gbp(v[('PLT-ENT', 'price')])} a month keeps {v[('PLT-ENT', 'retention_days')]:,} days of raw data online, ingests up to {v[('PLT-ENT', 'messages_per_day')]:,} messages a day and keeps an audit trail for EU GMP Annex 11 and FDA 21 CFR Part 11.
{n(products, 'SUP-CRITICAL')} (SUP-CRITICAL) at {format_gbp(v[('SUP-CRITICAL', 'price')])} a year provides a 24x7 telephone line and a {v[('SUP-CRITICAL', 'p1_response_minutes')]:g}-minute P1 response.

## 3 Services

{n(products, 'SVC-INT-ERP')} (SVC-INT-ERP) at {format_gbp(v[('SVC-INT-ERP', 'price')])} sends every excursion to SAP S/4HANA so that the affected stock is blocked automatically.
Installation and commissioning (SVC-INSTALL-DAY) at {format_gbp(v[('SVC-INSTALL-DAY', 'price')])} per day: we estimate {install_days} engineer days.
Training (SVC-TRAIN) at {format_gbp(v[('SVC-TRAIN', 'price')])} per day for up to 8 attendees: {train_days} day{'s' if train_days != 1 else ''} for {f['trainees']} staff.

## 4 Price summary

{table}
"""
    return text, sorted(wrong)


# --------------------------------------------------------------------------------------------------
# the writer
# --------------------------------------------------------------------------------------------------
def build(rng: np.random.Generator, frames: Mapping[str, pd.DataFrame]) -> Documents:
    """Make every presales document and the answer key, from ``rng`` and the tables generated before."""
    docs = Documents()
    used: set[str] = set()
    call_days = (date(2026, 6, 9), date(2026, 6, 11), date(2026, 6, 16))
    for call_id, call_day in zip(CALL_IDS, call_days):
        text, key = _discovery(rng, call_id, frames, used, call_day)
        docs.files[f"{FOLDER}/discovery_{call_id}.md"] = text
        docs.key[call_id] = key
    products = frames["products"]
    rfps = {"RFP-01": (("water",), _water_rfp, _water_proposal, date(2026, 6, 1)),
            "RFP-02": (("pharma",), _pharma_rfp, _pharma_proposal, date(2026, 6, 8))}
    for rfp_id, (industries, make_rfp, make_proposal, issued) in rfps.items():
        customer = _pick(rng, frames, industries, used, uk_first=True)
        people = _people(rng, frames, customer)
        text, key = make_rfp(rng, customer, people, issued)
        proposal, wrong = make_proposal(rng, products, key, customer, people, _day(issued, 16))
        docs.files[f"{FOLDER}/rfp_{rfp_id}.md"] = text
        docs.files[f"{FOLDER}/proposal_{rfp_id}_draft.md"] = proposal
        docs.key[rfp_id] = dict(key, customer_id=customer["customer_id"], customer=customer["name"],
                                contradictions=wrong)
    return docs


def write_presales(rng: np.random.Generator, out_dir: Path, frames: Mapping[str, pd.DataFrame]) -> None:
    """The registry writer: write every presales document into ``out_dir/presales``."""
    docs = build(rng, frames)
    for relative, text in docs.files.items():
        path = Path(out_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return None


TABLE = Table(
    "presales_documents", write_presales,
    doc=("Presales documents for Level 3, in Markdown: notes of three discovery calls with customers "
         "(DSC-01 cold-chain depots, DSC-02 machine condition and energy, DSC-03 school and office buildings), "
         "two tenders (RFP-01 a water utility's invitation to tender, RFP-02 a pharmaceutical distributor's "
         "request for proposal) and presales' first draft answer to each. Read them with "
         "`ssup.data.text(\"presales/rfp_RFP-01\")`; `ssup.requirements.parse_notes` and `ssup.bids.split_requirements` "
         "turn them into tables."),
    files=("`presales/discovery_DSC-01.md` ... `discovery_DSC-03.md`: an account manager's call notes - header "
           "(customer, opportunity, attendees), background, the needs as heard (a numbered list in the customer's "
           "words, with MoSCoW cue words such as must / should / nice to have / not this phase, and five or more "
           "vague needs such as 'fast' or 'lots of'), next steps, and the customer's emailed answers to the "
           "clarifying questions (`- Note N (term): answer`; one vague need is always left unanswered). "
           "`presales/rfp_RFP-01.md`, `rfp_RFP-02.md`: numbered clauses with shall / must / will sentences, "
           "several per clause in places; the issuer's own commitments ('The Authority will ...', 'The Buyer "
           "will ...') are requirements to note, not to comply with. The figures in them vary with the seed. "
           "`presales/proposal_RFP-01_draft.md`, `proposal_RFP-02_draft.md`: presales' draft answers with a price "
           "table. **Deliberate errors:** each draft makes three or four claims that contradict products.csv - "
           "always one wrong price and one capacity the product does not support, plus one or two of: data "
           "retention, battery life, delivery time, IP rating, P1 response time, daily message quota. "
           "`ssup.bids.check_claims(text, products)` lists them (the trainers' answer key)."),
)
