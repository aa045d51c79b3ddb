"""call_transcripts.csv: transcripts of five support conversations, each the start of a real ticket.

Kestrel records Service Desk calls for training. Each row is one conversation (four by phone, one
on site with a field engineer), the ticket it became (``tickets.ticket_id``: same customer,
contact, agent, product, category and priority), the facts the customer gave, and the trainers'
answer key: the steps of a good call (``ssup.calls.CHECKLIST``) the agent left out.

The five calls always have the same ids and stories; who calls, about which device, the numbers,
the times and which steps the agent skipped come from the seed:

========  ===========  =============================================  ==================================
call_id   channel      story                                          agent's omissions
========  ===========  =============================================  ==================================
CALL-001  phone        sensors in one room offline                    none (the model call)
CALL-002  phone        low-battery warnings                           three steps
CALL-003  phone        a gateway offline, every sensor at a site down one minor step
CALL-004  phone        gaps in the data after a gateway update        three or four steps
CALL-005  in_person    sensors killed by water on a site visit        none
========  ===========  =============================================  ==================================

Every fact the transcript states is in the row's columns, and the row's priority follows
``ssup.service.priority`` from those facts, so exercises can compute their answers from the data.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ssup import service
from ssup.calls import CHECKLIST
from ssup.data.generate import (FIRMWARE_BAD, FIRMWARE_FIX_RELEASED, LOCATIONS, LORAWAN_BATTERY_SENSORS,
                                LORAWAN_GATEWAYS, LORAWAN_SENSORS, PRODUCT_BY_ID, Column, Frames, Table,
                                installed_quantities, weekday_on_or_after, weekday_on_or_before)

STEP_IDS = [step for step, _, _ in CHECKLIST]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve")

COLUMNS = (
    Column("call_id", "str", "Call id (CALL-001 ... CALL-005); the same five stories for every seed.",
           allowed="unique"),
    Column("ticket_id", "str", "The ticket logged from the call (tickets.ticket_id)."),
    Column("channel", "str", "phone, or in_person (a field engineer on site).", allowed="phone, in_person"),
    Column("started_at", "datetime", "When the conversation started (UK time); the ticket was logged as it ended."),
    Column("duration_s", "int", "Length of the conversation.", units="seconds"),
    Column("customer_id", "str", "customers.customer_id of the caller's company."),
    Column("contact_id", "str", "contacts.contact_id of the caller (a contact of that customer)."),
    Column("agent_id", "str", "agents.agent_id of the Kestrel person on the call."),
    Column("product_id", "str", "products.product_id the call is about (one of the customer's installed products)."),
    Column("category", "str", "Ticket category the call belongs in (same list as tickets.category)."),
    Column("priority", "str", "Priority by the Service Desk rules (ssup.service) from the facts below.",
           allowed="P1, P2, P3, P4"),
    Column("devices_affected", "int", "Devices the customer says are affected.", units="devices"),
    Column("location", "str", "Where the affected devices are (a room, area or site)."),
    Column("problem_since", "str", "When the problem started, as the customer put it (empty if nobody asked)."
           , nullable=True),
    Column("what_changed", "str", "What changed just before, as the customer put it (empty if nobody asked).",
           nullable=True),
    Column("production_stopped", "bool", "1 if monitoring or alarms are lost with no workaround.", allowed="0, 1"),
    Column("workaround", "bool", "1 if the customer has a workaround meanwhile.", allowed="0, 1"),
    Column("next_step", "str", "What was agreed: who does what, by when (empty if nothing was agreed).",
           nullable=True),
    Column("missed_steps", "str", "Trainers' answer key: checklist steps (ssup.calls.CHECKLIST) the Kestrel "
           "person left out, separated by ';' (empty when none).", nullable=True),
    Column("transcript", "str", "The conversation, one turn per line: 'Speaker: words'."),
)

#: call id -> (story, steps that may be left out, how many are left out (low, high))
STORIES: dict[str, tuple[str, tuple[str, ...], tuple[int, int]]] = {
    "CALL-001": ("sensor_offline", (), (0, 0)),
    "CALL-002": ("low_battery", ("since_when", "what_changed", "summary", "contact", "next_steps", "reference",
                                 "anything_else"), (3, 3)),
    "CALL-003": ("gateway_offline", ("what_changed", "contact", "anything_else"), (1, 1)),
    "CALL-004": ("data_gaps", ("greeting", "identify", "since_when", "what_changed", "impact", "summary",
                               "contact", "next_steps", "reference", "anything_else"), (3, 4)),
    "CALL-005": ("water_ingress", (), (0, 0)),
}


def _words(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _first(name: str) -> str:
    return str(name).split()[0]


def company_as_spoken(name: str) -> str:
    """The company name as people say it: without Ltd, GmbH, S.A. and the like.

    >>> company_as_spoken("Aquitaine Dairies S.A.")
    'Aquitaine Dairies'
    """
    return re.sub(r"\s+(Ltd\.?|Limited|plc|PLC|DAC|GmbH|AG|S\.A\.|S\.L\.|SAS|SA|BV|B\.V\.|NV|AB|AS|A/S|Oy|ApS|"
                  r"Inc\.?|LLC|Corp\.?|Lda)$", "", str(name)).strip()


def _by(moment: datetime, rng: np.random.Generator) -> tuple[str, str]:
    """A follow-up time a few working hours after ``moment``: (as spoken, as written)."""
    if moment.hour < 12:
        hour = int(rng.integers(13, 17))
        return f"{hour - 12} o'clock this afternoon", f"{hour:02d}:00 today"
    nxt = weekday_on_or_after(moment + timedelta(days=1))
    hour = int(rng.integers(9, 12))
    day = "tomorrow" if nxt.date() == (moment + timedelta(days=1)).date() else f"on {WEEKDAYS[nxt.weekday()]}"
    return f"{hour} o'clock {day} morning", f"{hour:02d}:00 {WEEKDAYS[nxt.weekday()]}"


class _Talk:
    """Collects the lines of a conversation for one channel."""

    def __init__(self, channel: str) -> None:
        self.kestrel, self.customer = ("Agent", "Caller") if channel == "phone" else ("Engineer", "Customer")
        self.lines: list[str] = []

    def k(self, text: str) -> None:
        self.lines.append(f"{self.kestrel}: {text}")

    def c(self, text: str) -> None:
        self.lines.append(f"{self.customer}: {text}")

    def text(self) -> str:
        return "\n".join(self.lines)


def _priority_facts(priority: str, available: int, rng: np.random.Generator) -> dict[str, Any]:
    """Devices affected, production_stopped and workaround that give ``priority`` by the service rules."""
    if priority == "P1":
        if available >= 25:
            n = int(rng.integers(25, min(available, 60) + 1))
            return dict(devices_affected=n, production_stopped=True, workaround=False)
        return dict(devices_affected=max(1, available), production_stopped=True, workaround=False)
    if priority == "P2":
        n = int(rng.integers(5, min(available, 24) + 1)) if available >= 5 else max(1, available)
        return dict(devices_affected=n, production_stopped=False, workaround=n >= 5)
    if priority == "P3":
        return dict(devices_affected=int(rng.integers(1, min(available, 4) + 1)), production_stopped=False,
                    workaround=True)
    return dict(devices_affected=0, production_stopped=False, workaround=True)


def _greeting(t: datetime) -> str:
    return "Good morning" if t.hour < 12 else "Good afternoon"


# -- the five stories ------------------------------------------------------------------------------
def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _count(n: int, short: str) -> str:
    """'three T1 temperature sensors', 'one T1 temperature sensor'."""
    return f"{_words(n)} {short}{'s' if n != 1 else ''}"


def _opening(talk: "_Talk", f: dict[str, Any], omit: set[str], says: str = "speaking") -> None:
    if "greeting" in omit:
        talk.k("Service desk.")
    elif says == "this is":
        talk.k(f"{_greeting(f['started_at'])}, Kestrel Service Desk, this is {f['agent_first']}. How can I help?")
    else:
        talk.k(f"{_greeting(f['started_at'])}, Kestrel Service Desk, {f['agent_first']} speaking. How can I help?")


def _ask(talk: "_Talk", omit: set[str], step: str, question: str, answer: str, then: str | None = None) -> bool:
    """One step of the call, unless the Kestrel person leaves it out (``step in omit``).

    The Kestrel person says ``question``, the customer says ``answer`` and, if given, the Kestrel person
    follows up with ``then``. Returns whether the step took place.
    """
    if step in omit:
        return False
    talk.k(question)
    talk.c(answer)
    if then is not None:
        talk.k(then)
    return True


def _identify(talk: "_Talk", f: dict[str, Any], omit: set[str], question: str, answer: str, thanks: str) -> str:
    """The "identify" step of a phone call (see :func:`_ask`).

    Returns how the goodbye names the caller: ``", Dana"`` once the agent has the caller's name, else ``""``.
    """
    return f", {f['caller_first']}" if _ask(talk, omit, "identify", question, answer, then=thanks) else ""


def _next_steps(talk: "_Talk", f: dict[str, Any], omit: set[str], reply: str, vague: str,
                plan: str | None = None) -> None:
    """The "next_steps" step: the agent says the plan (``plan``, by default ``f["next_text"]``) and the caller
    answers ``reply``; an agent who leaves the step out says only something ``vague``."""
    if not _ask(talk, omit, "next_steps", f["next_text"] if plan is None else plan, reply):
        talk.k(vague)


def _closing(talk: "_Talk", f: dict[str, Any], omit: set[str], name: str, thanks: str) -> None:
    if "reference" not in omit:
        talk.k(f"Your ticket reference is {f['ticket_id']}.")
    if not _ask(talk, omit, "anything_else", "Is there anything else I can help with today?", thanks,
                then=f"Thanks for calling{name}. Goodbye."):
        talk.k("OK. Bye.")


def _sensor_offline(f: dict[str, Any], omit: set[str]) -> str:
    talk = _Talk("phone")
    loc, n = f["location"], f["devices_affected"]
    _opening(talk, f, omit)
    talk.c(f"Hi. Our sensors in {loc} have stopped showing on the dashboard, and I keep getting 'device offline' "
           "emails.")
    name = _identify(talk, f, omit, "I'm sorry to hear that; let's find out what's going on. Can I take your name "
                     "and the company you're calling from?", f"{f['caller']}, {f['role']} at {f['company']}.",
                     f"Thanks, {f['caller_first']}. I have your account up.")
    _ask(talk, omit, "product", "Which sensors are they? Can you read me the model from the label on the front?",
         f"It says Kestrel {f['product_label']}.")
    _ask(talk, omit, "scope", "How many of them are offline, and are the sensors elsewhere on site still reporting?",
         ("Just the one" if n == 1 else f"{_cap(_words(n))} of them") + f", in {loc}. Everything else looks fine.")
    _ask(talk, omit, "since_when", "When did you first notice?", f"{_cap(f['since_text'])}.")
    _ask(talk, omit, "what_changed", f"Did anything change around then? Work in {loc}, something moved, a power cut?",
         f["changed_text"])
    _ask(talk, omit, "impact", f"What does that mean for you right now? Can you keep an eye on {loc} another way "
         "meanwhile?", f["impact_text"])
    if "summary" not in omit:
        facts = [f"{_count(n, f['short'])} in {loc} {'have' if n != 1 else 'has'} been offline"
                 + ("" if "since_when" in omit else f" {f['since_text']}")
                 + ("" if "what_changed" in omit else f["changed_clause"])]
        if "impact" not in omit:
            facts.append(f["impact_clause"])
        talk.k(f"Let me check I have this right: {', and '.join(facts)}. Is that right?")
        talk.c("Yes, that's right.")
    _ask(talk, omit, "contact", "What's the best number to reach you on today?", f"This one: {f['phone']}.")
    _next_steps(talk, f, omit, "OK, thank you.", "OK, we'll look into it and get back to you.")
    _closing(talk, f, omit, name, "No, that's everything, thanks.")
    return talk.text()


def _facts_sensor_offline(f: dict[str, Any], rng: np.random.Generator) -> None:
    hour = f["started_at"].hour
    f["since_text"] = (f"since about {hour - int(rng.integers(2, 4))} this morning" if 9 <= hour < 12 else
                       "since this morning" if hour >= 12 else "since yesterday afternoon")
    loc = f["location"]
    options = [(f"We moved some equipment around in {loc} on Friday, now that you mention it.",
                " after equipment was moved on Friday", "equipment moved in the area on Friday"),
               ("Not that I know of.", "", "nothing known"),
               (f"Contractors were working in {loc} yesterday.", " after contractors worked there yesterday",
                "contractors worked in the area yesterday")]
    f["changed_text"], f["changed_clause"], f["what_changed"] = options[int(rng.integers(len(options)))]
    reading = "temperatures" if f["product_id"].startswith(("SNS-TMP", "SNS-HUM")) else "readings"
    if f["workaround"]:
        f["impact_text"] = (f"We're taking {reading} in {loc} by hand twice a day until they're back, so we're "
                            "covered, but it's extra work.")
        f["impact_clause"] = f"you're taking {reading} by hand twice a day meanwhile"
    else:
        f["impact_text"] = f"We can't check {loc} any other way at the moment, so we've no {reading} from there at all."
        f["impact_clause"] = f"you have no other way to get {reading} from there"
    if f["priority"] in ("P1", "P2"):
        f["next_step"] = f"Technical Support to check the signal data and call back by {f['by_short']}"
        f["next_text"] = (f"I'm passing this to Technical Support as priority {f['priority'][1]}. They'll check the "
                          f"signal data for those sensors and call you back by {f['by']}.")
    else:
        f["next_step"] = f"the agent checks the signal data and calls back by {f['by_short']}"
        which = "those sensors" if f["devices_affected"] != 1 else "that sensor"
        f["next_text"] = (f"I'll check the signal data for {which}"
                          f" myself and call you back by {f['by']}. If it's the signal, we'll help you move "
                          f"{'them' if f['devices_affected'] != 1 else 'it'} or add a gateway.")


def _low_battery(f: dict[str, Any], omit: set[str]) -> str:
    talk = _Talk("phone")
    loc, n = f["location"], f["devices_affected"]
    one = n == 1
    _opening(talk, f, omit)
    talk.c("Hello. I've got a low-battery warning on one of our sensors in the Kestrel app. How urgent is that?" if one
           else "Hello. I've got low-battery warnings on our sensors in the Kestrel app. How urgent is that?")
    name = _identify(talk, f, omit, "I can help with that. Can I take your name and your company first?",
                     f"{f['caller']}, from {f['company']}.",
                     f"Thank you, {f['caller_first']}. I've found your account.")
    _ask(talk, omit, "product", "Which model are the sensors? Can you read it from the label?",
         f"Kestrel {f['product_label']}.")
    _ask(talk, omit, "scope", "How many are showing the warning?",
         f"Just one, in {loc}." if one else f"{_cap(_words(n))}, all in {loc}.")
    _ask(talk, omit, "since_when", "When did the warnings start?", f"{_cap(f['since_text'])}.")
    _ask(talk, omit, "what_changed", f"Has anything changed for {'that sensor' if one else 'those sensors'}? A "
         "different reporting interval, a move, a cold spell?", f["changed_text"])
    _ask(talk, omit, "impact", "Is it still sending readings for now?" if one else "Are they still sending readings "
         "for now?", "Yes, the readings are still coming through.")
    if "summary" not in omit:
        summary = (f"So, {_count(n, f['short'])} in {loc} {'shows' if one else 'show'} a low-battery warning"
                   + ("" if "since_when" in omit else f" {f['since_text']}")
                   + ("" if "what_changed" in omit else f["changed_clause"])
                   + ("" if "impact" in omit else f", and {'it is' if one else 'they are'} still reporting"))
        talk.k(f"{summary}. Is that right?")
        talk.c("That's right.")
    _ask(talk, omit, "contact", "And is this the best number to call you back on?", f"Yes, {f['phone']}.")
    _next_steps(talk, f, omit, "Great, thanks.", "It's probably nothing to worry about. Keep an eye on it.")
    _closing(talk, f, omit, name, "No, that's it.")
    return talk.text()


def _facts_low_battery(f: dict[str, Any], rng: np.random.Generator) -> None:
    f["since_text"] = ["since last " + WEEKDAYS[int(rng.integers(0, 5))], "since this morning",
                       "since the weekend"][int(rng.integers(3))]
    interval = int(rng.choice([60, 120]))
    options = [(f"We shortened the reporting interval to {interval} seconds last month, for an audit.",
                f", after the reporting interval was shortened to {interval} seconds last month",
                f"reporting interval shortened to {interval} s last month"),
               (f"It's been very cold in {f['location']} this week.", ", after a cold spell this week",
                "a cold spell this week"),
               ("No, nothing.", "", "nothing known")]
    f["changed_text"], f["changed_clause"], f["what_changed"] = options[int(rng.integers(len(options)))]
    cells = PRODUCT_BY_ID[f["product_id"]]["_battery_type"]
    f["next_step"] = (f"the agent emails the battery guide today and calls back by {f['by_short']} after checking "
                      "the signal")
    f["next_text"] = (f"The warning leaves four to eight weeks of normal running. I'll email you the replacement "
                      f"guide today; the sensor takes {cells}, never alkaline. I'll also check the signal, because a "
                      f"weak signal drains batteries, and call you back by {f['by']}.")


def _gateway_offline(f: dict[str, Any], omit: set[str]) -> str:
    talk = _Talk("phone")
    n = f["devices_affected"]
    _opening(talk, f, omit, says="this is")
    talk.c(f"Hi. None of the sensors at {f['loc_customer']} are reporting. The dashboard shows every one of them "
           "offline.")
    name = _identify(talk, f, omit, "Let's find out why. First, can I take your name and the company you're calling "
                     "from?", f"{f['caller']}, {f['role']} at {f['company']}.",
                     f"Thanks, {f['caller_first']}, I have your account.")
    _ask(talk, omit, "scope", "How many sensors are there at that site, and are your other sites all right?",
         f"{n} sensors, and yes, everywhere else is fine.")
    _ask(talk, omit, "product", "When every sensor at a site goes at once, I look at the gateway first. Could you "
         "read me the model on the gateway's label, and tell me what its status light is doing?",
         f"It's a Kestrel {f['product_label']}. The light is flashing green.",
         then="Thank you. Flashing green means the gateway is powered but has lost its connection to us.")
    _ask(talk, omit, "since_when", "When did the sensors stop reporting?", f"{_cap(f['since_text'])}.")
    _ask(talk, omit, "what_changed", "Did anything change on your network or your power supply around then?",
         f["changed_text"])
    _ask(talk, omit, "impact", "What does it mean for you right now? Is there any other way to watch that site "
         "meanwhile?", f["impact_text"])
    if "summary" not in omit:
        facts = [f"all {n} sensors at {f['loc_agent']} have been offline"
                 + ("" if "since_when" in omit else f" {f['since_text']}")]
        if "product" not in omit:
            facts.append(f"the {f['short']} there shows a flashing green light")
        if "what_changed" not in omit and f["changed_clause"]:
            facts.append(f["changed_clause"])
        if "impact" not in omit:
            facts.append(f["impact_clause"])
        talk.k(f"Let me check I have it right: {'; '.join(facts)}. Is that right?")
        talk.c("Yes.")
    _ask(talk, omit, "contact", "Who should Technical Support call, and on which number?", f"Me, on {f['phone']}.")
    _next_steps(talk, f, omit, "OK, I'll tell IT.", "We'll get someone to look at it.")
    _closing(talk, f, omit, name, "No, just get it back up, please.")
    return talk.text()


def _facts_gateway_offline(f: dict[str, Any], rng: np.random.Generator) -> None:
    hour = f["started_at"].hour
    start = (hour - int(rng.integers(1, 3)) - 1) % 12 + 1
    overnight = hour < 10
    f["since_text"] = "since last night" if overnight else f"since about {start} o'clock"
    when = "yesterday evening" if overnight else "this morning"
    options = [(f"IT moved us onto a new firewall {when}.", f"IT moved the site onto a new firewall {when}",
                f"new firewall installed {when}"),
               (f"We had a short power cut {when}; everything else came back.", f"there was a power cut {when}",
                f"power cut {when}"),
               ("Not that I know of.", "", "nothing known")]
    f["changed_text"], f["changed_clause"], f["what_changed"] = options[int(rng.integers(len(options)))]
    if f["production_stopped"]:
        f["impact_text"] = ("We've no readings and no alarms for the whole site. If something fails tonight, nobody "
                            "will know.")
        f["impact_clause"] = "you have no readings or alarms for the whole site and no way round it"
    elif f["workaround"]:
        f["impact_text"] = "No alarms from those sensors for now. We've got someone walking round with a clipboard."
        f["impact_clause"] = "someone is doing manual rounds meanwhile"
    else:
        f["impact_text"] = "No alarms from those sensors, and no other way to check them."
        f["impact_clause"] = "you have no other way to check them"
    urgent = f["priority"] == "P1"
    when = "within the hour" if urgent else "by " + f["by_short"]
    f["next_step"] = (f"Technical Support to call {f['caller_first']} {when}"
                      " to check the gateway's connection and firewall")
    f["next_text"] = (f"I'm logging this as priority {f['priority'][1]} and passing it to Technical Support now. "
                      f"They'll call you {'within the hour' if urgent else 'by ' + f['by']} to go through the "
                      "gateway's connection with your IT team. Meanwhile, please ask IT to check that the gateway can "
                      "reach us on UDP port 1700 and TCP port 8883.")


def _data_gaps(f: dict[str, Any], omit: set[str]) -> str:
    talk = _Talk("phone")
    n = f["devices_affected"]
    _opening(talk, f, omit)
    talk.c("Hello. We're getting gaps in the data from our sensors: readings missing every few minutes. It's "
           "all over the place.")
    name = _identify(talk, f, omit, "I'm sorry about that. Can I take your name and the company you're calling from?",
                     f"{f['caller']}, {f['role']} at {f['company']}.", f"Thanks, {f['caller_first']}.")
    _ask(talk, omit, "product", "Which devices are affected: is it one type of sensor, or everything on one gateway? "
         "What model is the gateway?", f"Everything on the gateway, I think. It's a Kestrel {f['product_label']}.")
    _ask(talk, omit, "scope", "How many sensors are on that gateway?", f"About {n}, at {f['loc_customer']}.")
    _ask(talk, omit, "since_when", "When did the gaps start?", f"{_cap(f['since_text'])}.")
    knows_firmware = _ask(talk, omit, "what_changed", "Did anything change just before the gaps started? A firmware "
                          "update, for example?",
                          f"Now you say it, the gateway updated its firmware to {FIRMWARE_BAD} that day.")
    _ask(talk, omit, "impact", "What does it mean for you? Are alarms still getting through?", f["impact_text"])
    if "summary" not in omit:
        summary = (f"So the sensors on your {f['short']} at {f['loc_agent']} have gaps in their data"
                   + ("" if "since_when" in omit else f" {f['since_text']}")
                   + (f", since the gateway updated to firmware {FIRMWARE_BAD}" if knows_firmware else "")
                   + ("" if "impact" in omit else f", and {f['impact_clause']}"))
        talk.k(f"{summary}. Is that right?")
        talk.c("Yes, that's it.")
    _ask(talk, omit, "contact", "What's the best number or email to reach you?", f"Email is best: {f['email']}.")
    _next_steps(talk, f, omit, "OK.", "Leave it with us and we'll see what we can find.",
                plan=f["next_text"] if knows_firmware else f["next_text_unknown"])
    _closing(talk, f, omit, name, "No, thank you.")
    return talk.text()


def _facts_data_gaps(f: dict[str, Any], rng: np.random.Generator) -> None:
    days = int(rng.integers(2, 6))
    f["since_text"] = f"since {WEEKDAYS[(f['started_at'] - timedelta(days=days)).weekday()]}"
    f["what_changed"] = f"the gateway updated to firmware {FIRMWARE_BAD}"
    if f["production_stopped"]:
        f["impact_text"] = "We can't trust any alarm from that site any more: some of them simply never arrive."
        f["impact_clause"] = "you can no longer rely on the alarms"
    else:
        f["impact_text"] = "Alarms mostly come through, but our daily reports have holes in them."
        f["impact_clause"] = "alarms still mostly get through"
    if f["started_at"].date() >= FIRMWARE_FIX_RELEASED:
        f["next_step_known"] = (f"the agent emails the firmware 3.2.1 upgrade steps today; Product Engineering "
                                f"follow up by {f['by_short']}")
        f["next_text"] = ("That's a known issue with firmware 3.2.0, and the fix is firmware 3.2.1. I'll email you the "
                          "upgrade steps today, and Product Engineering, who track the affected sites, will contact "
                          f"you by {f['by']} to check it worked.")
    else:
        f["next_step_known"] = (f"Product Engineering to contact the customer by {f['by_short']} about firmware 3.2.0; "
                                "the agent emails the workaround today")
        f["next_text"] = ("That matches a known issue with firmware 3.2.0. I'm passing it to Product Engineering, who "
                          f"track the affected sites, and they'll contact you by {f['by']}. I'll email you the "
                          "workaround today: lengthening the reporting interval on non-critical sensors reduces the "
                          "loss.")
    f["next_step_unknown"] = (f"Technical Support to look at the gateway logs and contact the customer by "
                              f"{f['by_short']}")
    f["next_text_unknown"] = ("I'm passing this to Technical Support. They'll look at the gateway's logs and contact "
                              f"you by {f['by']}.")


def _water_ingress(f: dict[str, Any], omit: set[str]) -> str:
    talk = _Talk("in_person")
    loc, short, n = f["location"], f["short"], f["devices_affected"]
    them = "them" if n != 1 else "it"
    if "greeting" not in omit:
        talk.k(f"{_greeting(f['started_at'])}, I'm {f['agent_first']} from Kestrel. I'm here about the sensors "
               "that stopped reporting.")
    _ask(talk, omit, "identify", f"Can I check I'm with the right person: you're {f['caller']}, the {f['role']}?",
         f"That's me. Thanks for coming out to {f['company']} so quickly.")
    talk.c(f"The sensors in {loc} have just died.")
    _ask(talk, omit, "product", f"Let me have a look. These are Kestrel {f['product_label']}s, installed in "
         f"{f['installed_year']}.", "That's right.")
    _ask(talk, omit, "scope", "How many have stopped?", "Just this one." if n == 1 else f"{_cap(_words(n))} of them.",
         then=f"I can see water inside {them}: there's condensation behind the window and white residue on the seals.")
    _ask(talk, omit, "since_when", f"When did {'they' if n != 1 else 'it'} stop reporting?", f"Since {f['since_day']}.")
    _ask(talk, omit, "what_changed", f"Has anything changed in the way {loc} is cleaned?",
         f"A new cleaning contractor started on {f['since_day']}. They pressure-wash everything, the walls too.")
    _ask(talk, omit, "impact", "What does it mean for you without them?", f["impact_text"])
    if "summary" not in omit:
        talk.k(f"So, to check: {_count(n, short)} in {loc} stopped reporting on {f['since_day']}, when the new "
               f"contractor started pressure-washing, and water has got inside {them}. Is that right?")
        talk.c("Yes.")
        talk.k(f"I'm afraid the warranty doesn't cover this. The {short} is rated {f['ip']}, and that rating does not "
               "protect it against a pressure washer at close range.")
        talk.c("I see.")
    _ask(talk, omit, "contact", f"Is {f['email']} still the best address for a quote?", "Yes, it is.")
    _ask(talk, omit, "next_steps", f["next_text"], "Thank you, that would help.")
    if "reference" not in omit:
        talk.k(f"The reference for today's visit is {f['ticket_id']}.")
    _ask(talk, omit, "anything_else", "Is there anything else I can look at while I'm here?", "No, that's all, thanks.")
    return talk.text()


def _facts_water_ingress(f: dict[str, Any], rng: np.random.Generator) -> None:
    visit = f["started_at"]
    since = weekday_on_or_before(visit - timedelta(days=int(rng.integers(2, 5))))
    f["since_day"] = WEEKDAYS[since.weekday()]
    f["since_text"] = f"since {f['since_day']}"
    f["what_changed"] = "a new cleaning contractor started pressure-washing"
    quote = weekday_on_or_after(visit + timedelta(days=1))
    f["quote_day"] = WEEKDAYS[quote.weekday()]
    f["ip"] = PRODUCT_BY_ID[f["product_id"]]["ip_rating"]
    n = f["devices_affected"]
    if f["workaround"] and n < 5:
        f["impact_text"] = "We've moved two spare probes in, so we're covered for now, but we need them back."
    elif f["workaround"]:
        f["impact_text"] = "We've no readings there at all; the team is taking readings by hand every hour."
    else:
        f["impact_text"] = "We've no readings there at all, and no spares to put in."
    f["next_step"] = (f"quote for {n} replacement {f['short']}{'s' if n != 1 else ''} with splash guards by "
                      f"{f['quote_day']}; brief the cleaning contractor today")
    f["next_text"] = (f"I'll send you a quote for {_count(n, 'replacement ' + f['short'])} with splash guards by "
                      f"{f['quote_day']}, and I'll brief your cleaning contractor today on keeping the jets away from "
                      "the sensors.")


_BUILDERS: dict[str, tuple[Callable[..., None], Callable[..., str]]] = {
    "sensor_offline": (_facts_sensor_offline, _sensor_offline),
    "low_battery": (_facts_low_battery, _low_battery),
    "gateway_offline": (_facts_gateway_offline, _gateway_offline),
    "data_gaps": (_facts_data_gaps, _data_gaps),
    "water_ingress": (_facts_water_ingress, _water_ingress),
}


# -- choosing the tickets -----------------------------------------------------------------------------


def _rules(story: str) -> list[dict[str, Any]]:
    """Ticket filters for a story, strictest first."""
    if story == "sensor_offline":
        return [dict(channel="phone", category="connectivity", products=LORAWAN_SENSORS, priorities=("P2", "P3"),
                     subject=r"not reporting|^no data from|offline")]
    if story == "low_battery":
        return [dict(channel="phone", category="battery", products=LORAWAN_BATTERY_SENSORS, priorities=("P3",),
                     subject=r"^low battery warning|reporting low battery"),
                dict(channel="phone", category="battery", products=LORAWAN_BATTERY_SENSORS, priorities=("P3",),
                     subject=r"battery")]
    if story == "gateway_offline":
        return [dict(channel="phone", category="connectivity", products=list(LORAWAN_GATEWAYS),
                     priorities=("P1", "P2"), subject=r"offline|not connecting|lost connection"),
                dict(channel="phone", category="connectivity", products=list(LORAWAN_GATEWAYS),
                     priorities=("P1", "P2", "P3"), subject=r".")]
    if story == "data_gaps":
        return [dict(channel="phone", category="connectivity|data_quality", products=list(LORAWAN_GATEWAYS),
                     priorities=("P2",), subject=r"gaps|missing|dropping|data loss", firmware=FIRMWARE_BAD),
                dict(channel="phone|email", category="connectivity|data_quality", products=list(LORAWAN_GATEWAYS),
                     priorities=("P1", "P2"), subject=r".", firmware=FIRMWARE_BAD)]
    if story == "water_ingress":
        return [dict(channel="in_person", category="hardware_fault", products=LORAWAN_SENSORS,
                     priorities=("P2", "P3"), subject=r"water ingress"),
                dict(channel="in_person", category="hardware_fault", products=LORAWAN_SENSORS,
                     priorities=("P2", "P3"), subject=r"damaged|dead|faulty"),
                dict(channel="in_person", category="hardware_fault", products=LORAWAN_SENSORS,
                     priorities=("P2", "P3"), subject=r".")]
    raise KeyError(story)  # pragma: no cover


def _sensor_count(products: dict[str, int]) -> int:
    return sum(q for p, q in products.items() if p.startswith("SNS-"))


def _available(story: str, product_id: str, products: dict[str, int]) -> int:
    """How many devices the customer could say are affected."""
    if story in ("gateway_offline", "data_gaps"):
        return _sensor_count(products)
    return products.get(product_id, 0)


def _pick(rng: np.random.Generator, story: str, tickets: pd.DataFrame, agent_team: dict[str, str],
          owned: dict[str, dict[str, int]], used: set[str], identifiable: set[str]) -> pd.Series:
    for rule in _rules(story):
        # cheap equality filters first, then the subject pattern on what is left
        chosen = tickets[tickets["channel"].isin(rule["channel"].split("|"))
                         & tickets["category"].isin(rule["category"].split("|"))
                         & tickets["product_id"].isin(rule["products"])
                         & tickets["priority"].isin(rule["priorities"])
                         & tickets["status"].isin(["resolved", "closed"])
                         & tickets["customer_id"].isin(identifiable)
                         & ~tickets["customer_id"].isin(used)]
        pattern = re.compile(rule["subject"], flags=re.IGNORECASE)
        chosen = chosen[[bool(pattern.search(subject)) for subject in chosen["subject"]]]
        if "firmware" in rule:
            chosen = chosen[chosen["firmware_version"] == rule["firmware"]]
        wanted_team = "Field Engineering" if rule["channel"] == "in_person" else "Service Desk"
        chosen = chosen[chosen["agent_id"].map(agent_team) == wanted_team]
        minimum = {"P1": 1, "P2": 5, "P3": 1}
        chosen = chosen[[_available(story, p, owned.get(c, {})) >= minimum.get(q, 1)
                         for p, c, q in zip(chosen["product_id"], chosen["customer_id"], chosen["priority"])]]
        if len(chosen):
            return chosen.iloc[int(rng.integers(len(chosen)))]
    raise RuntimeError(f"no ticket fits the call story {story!r}")  # pragma: no cover


#: Areas that get washed down, per industry (where water damage from cleaning happens).
WET_AREAS = {
    "food_beverage": ["the loading bay", "the despatch chiller", "cold store B"],
    "logistics": ["the cross-dock chiller", "the loading dock", "the depot freezer"],
    "pharma": ["warehouse bay 4", "the loading dock"],
    "manufacturing": ["the paint shop", "press line 2", "the compressor house"],
    "utilities": ["pump station 3", "the boiler house"],
    "water": ["pump station 7", "treatment works tank 2", "booster station 3"],
    "mining": ["the wash plant", "conveyor 3"],
    "building_management": ["the car park", "the basement", "the bin store"],
    "agriculture": ["the packhouse", "greenhouse 4", "the grain store"],
}


def _location(story: str, ticket: pd.Series, customer: pd.Series, rng: np.random.Generator) -> str:
    """Where the affected devices are: a room or area, or for a whole-site story the site."""
    subject = str(ticket["subject"])
    if story in ("gateway_offline", "data_gaps"):
        match = re.search(r"\bat (?:our )?([\w .'-]+? site|site \d+)\b", subject)
        return match.group(1) if match else f"{customer['city']} site"
    if story == "water_ingress":
        places = WET_AREAS[customer["industry"]]
        return places[int(rng.integers(len(places)))]
    for place in sorted(LOCATIONS[customer["industry"]], key=len, reverse=True):
        if place in subject:
            return place
    places = LOCATIONS[customer["industry"]]
    return places[int(rng.integers(len(places)))]


def _spoken_names_unique(customers: pd.DataFrame) -> set[str]:
    """Customers whose name, as people say it, matches no other account (so a caller can be identified)."""
    spoken = {cid: company_as_spoken(name).casefold() for cid, name in customers["name"].items()}
    names = [str(n).casefold() for n in customers["name"]]
    return {cid for cid, said in spoken.items() if sum(said in n for n in names) == 1}


def write_calls(rng: np.random.Generator, out_dir: Path, frames: Frames) -> pd.DataFrame:
    tickets = frames["tickets"]
    customers = frames["customers"].set_index("customer_id")
    contacts = frames["contacts"].set_index("contact_id")
    agents = frames["agents"].set_index("agent_id")
    agent_team = agents["team"].to_dict()
    installed_base = frames["installed_base"]
    owned = installed_quantities(installed_base)
    first_installed: dict[tuple[str, str], Any] = {(row.customer_id, row.product_id): row.first_installed
                                                   for row in installed_base.itertuples(index=False)}
    used: set[str] = set()
    identifiable = _spoken_names_unique(customers)
    rows = []
    for call_id, (story, optional, (low, high)) in STORIES.items():
        ticket = _pick(rng, story, tickets, agent_team, owned, used, identifiable)
        used.add(ticket["customer_id"])
        customer, contact = customers.loc[ticket["customer_id"]], contacts.loc[ticket["contact_id"]]
        agent = agents.loc[ticket["agent_id"]]
        duration = int(rng.integers(4 * 60, 11 * 60)) if story != "water_ingress" else int(rng.integers(15, 35)) * 60
        started = (ticket["created_at"] - pd.Timedelta(seconds=duration)).to_pydatetime()
        spec = PRODUCT_BY_ID[ticket["product_id"]]
        available = _available(story, ticket["product_id"], owned[ticket["customer_id"]])
        facts = _priority_facts(ticket["priority"], available, rng)
        by, by_short = _by(ticket["created_at"].to_pydatetime(), rng)
        f: dict[str, Any] = dict(
            story=story, ticket_id=ticket["ticket_id"], started_at=started, agent_first=_first(agent["name"]),
            caller=contact["name"], caller_first=_first(contact["name"]), role=contact["role"],
            company=company_as_spoken(customer["name"]), phone=contact["phone"], email=contact["email"],
            product_id=ticket["product_id"], product_label=spec["name"].removeprefix("Kestrel "),
            short=spec["_short"], priority=ticket["priority"], by=by, by_short=by_short,
            location=_location(story, ticket, customer, rng), **facts)
        whole_site = story in ("gateway_offline", "data_gaps") and not f["location"].startswith("site ")
        f["loc_customer"] = f"our {f['location']}" if whole_site else f["location"]
        f["loc_agent"] = f"your {f['location']}" if whole_site else f["location"]
        installed = first_installed.get((ticket["customer_id"], ticket["product_id"]))
        f["installed_year"] = pd.Timestamp(installed).year if installed is not None else started.year
        omit = set()
        if high:
            count = int(rng.integers(low, high + 1))
            omit = {optional[i] for i in rng.choice(len(optional), size=count, replace=False)}
        make_facts, make_talk = _BUILDERS[story]
        make_facts(f, rng)
        transcript = make_talk(f, omit)
        if story == "data_gaps":
            f["next_step"] = f["next_step_unknown" if "what_changed" in omit else "next_step_known"]
        route = {"category": ticket["category"], "devices_affected": f["devices_affected"],
                 "production_stopped": f["production_stopped"], "degraded": True, "workaround": f["workaround"]}
        if service.priority(route) != ticket["priority"]:  # pragma: no cover - _priority_facts guarantees it
            raise AssertionError(f"{call_id}: facts give {service.priority(route)}, ticket says {ticket['priority']}")
        rows.append(dict(
            call_id=call_id, ticket_id=ticket["ticket_id"],
            channel="in_person" if story == "water_ingress" else "phone",
            started_at=started, duration_s=duration, customer_id=ticket["customer_id"],
            contact_id=ticket["contact_id"], agent_id=ticket["agent_id"], product_id=ticket["product_id"],
            category=ticket["category"], priority=ticket["priority"], devices_affected=f["devices_affected"],
            location=f["location"],
            problem_since=None if "since_when" in omit else f["since_text"],
            what_changed=None if "what_changed" in omit else f["what_changed"],
            production_stopped=f["production_stopped"], workaround=f["workaround"],
            next_step=None if "next_steps" in omit else f["next_step"],
            missed_steps=";".join(s for s in STEP_IDS if s in omit) or None,
            transcript=transcript))
    return pd.DataFrame(rows)


TABLE = Table(
    "call_transcripts", write_calls, COLUMNS, key="call_id",
    doc="Transcripts of five recorded support conversations (four phone calls and one on-site conversation "
        "with a field engineer), each the start of a ticket in tickets.csv, with the facts the customer gave "
        "and the trainers' answer key: the steps of a good call the Kestrel person left out. The call ids and "
        "stories are the same for every seed (CALL-001 sensors offline, a model call; CALL-002 low-battery "
        "warnings; CALL-003 a gateway offline; CALL-004 gaps after a gateway firmware update; CALL-005 water "
        "damage found on a site visit); the people, devices, numbers and omissions depend on the seed.",
)
