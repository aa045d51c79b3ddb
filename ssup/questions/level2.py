"""Level 2 questions: calls by phone and in person (2.1), technical advice and service (2.2),
solving straightforward problems (2.3).

Every expected answer is computed from the data when the check runs (the call transcripts, the
tickets, the device data, the catalogue), so the questions stay right for a data set generated
with another seed.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import pandas as pd

from ssup import calls, checks, support, troubleshoot
from ssup.checks import Fact
from ssup.data import load
from ssup.data.calls import WEEKDAYS, company_as_spoken
from ssup.exercise import Question, Verdict, correct, incorrect, unattempted

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


# -- facts from the data ------------------------------------------------------------------------------
def _call(call_id: str) -> pd.Series:
    return load("call_transcripts").set_index("call_id").loc[call_id]


def _customer(customer_id: str) -> pd.Series:
    return load("customers").set_index("customer_id").loc[customer_id]


def _product(product_id: str) -> pd.Series:
    return load("products").set_index("product_id").loc[product_id]


def _short_name(product_id: str) -> str:
    """The name people use for a product: 'T2 cold-chain sensor', 'indoor gateway'."""
    from ssup.data.generate import PRODUCT_BY_ID

    return PRODUCT_BY_ID[product_id]["_short"]


def _count_pattern(n: int) -> str:
    words = [str(n)] + ([_NUMBER_WORDS[n]] if n < len(_NUMBER_WORDS) else [])
    return r"(?<![\w.])(?:" + "|".join(words) + r")(?![\w.])"


def _other_count_fact(n: int, location: str = "") -> Fact:
    """A number of sensors/devices other than ``n`` (a contradicted fact); numbers in the location's name are fine."""
    others = "|".join([r"\d{1,3}"] + list(_NUMBER_WORDS[1:]))
    right = "|".join([str(n)] + ([_NUMBER_WORDS[n]] if n < len(_NUMBER_WORDS) else []) + re.findall(r"\d+", location))
    return Fact("a different number of devices from the one the customer gave",
                (rf"(?<![\w.])(?!(?:{right})\b)(?:{others})\s+(?:[\w-]+\s+){{0,3}}?(?:sensors?|devices?|units?|"
                 r"detectors?|transmitters?|meters?|probes?)\b",))


def _vague_facts() -> list[Fact]:
    return [Fact(f"the vague word '{word}'", (rf"(?<![\w-]){re.escape(word)}s?(?![\w-])",))
            for word in calls.VAGUE_WORDS]


def _customer_fact(customer_id: str) -> Fact:
    name = company_as_spoken(_customer(customer_id)["name"])
    return Fact(f"the customer ({name})", (re.escape(name), re.escape(customer_id)))


def _product_fact(product_id: str) -> Fact:
    short = _short_name(product_id)
    label = str(_product(product_id)["name"]).removeprefix("Kestrel ")
    return Fact(f"the product ({short})", (re.escape(short), re.escape(label), re.escape(product_id)))


def _place_pattern(location: str) -> str:
    place = re.sub(r"^the\s+", "", location)
    if place.endswith(" site") and not place.startswith("site "):
        place = place[: -len(" site")]
    return re.escape(place)


def _since_patterns(since: str) -> tuple[str, ...]:
    """Ways of writing when a problem started, from the customer's phrase."""
    text = since.lower()
    found = re.search(r"about (\d+) o'clock", text)
    if found:
        hour = int(found[1])
        return (rf"(?<!\d){hour}\s*(?:o'?clock|pm|p\.m\.)|(?<!\d){hour}[:.]00|(?<!\d){hour + 12}[:.]?00",)
    found = re.search(r"about (\d+) this morning", text)
    if found:
        hour = int(found[1])
        return (rf"(?<!\d)0?{hour}\s*(?:o'?clock|am|a\.m\.|this morning)|(?<!\d)0?{hour}[:.]00",)
    for day in WEEKDAYS:
        if day.lower() in text:
            return (rf"\b{day}\b|\b{day[:3]}\b",)
    if "last night" in text:
        return (r"last night|overnight|yesterday evening|previous evening",)
    if "yesterday" in text:
        return (r"yesterday",)
    if "this morning" in text:
        return (r"this morning|today",)
    if "weekend" in text:
        return (r"weekend|saturday|sunday",)
    return (re.escape(text.removeprefix("since ")),)


# -- 2.1 communicating by phone and in person ------------------------------------------------------
TICKET_CALL = "CALL-003"
TICKET_FIELDS = ("customer_id", "product_id", "category", "priority")


def _expected_ticket() -> dict[str, str]:
    row = _call(TICKET_CALL)
    return {field: str(row[field]) for field in TICKET_FIELDS}


def _grade_ticket(value: Any) -> Verdict:
    if not isinstance(value, dict):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a dict like "
                         "{'customer_id': '...', 'product_id': '...', 'category': '...', 'priority': '...'}.")
    if value and all(v is ... for v in value.values()):
        return unattempted("Replace each ... with the value from the call, run the cell, then check again.")
    missing = [f for f in TICKET_FIELDS if f not in value]
    if missing:
        return incorrect(f"Your ticket has no {checks.join_words(missing)}: give all four fields.")
    want = _expected_ticket()
    given = {f: str(value[f]).strip() for f in TICKET_FIELDS}
    if given["customer_id"].upper() != want["customer_id"]:
        customers = load("customers").set_index("customer_id")
        who = customers["name"].get(given["customer_id"].upper())
        return incorrect(f"customer_id {checks.quote(given['customer_id'])} is "
                         + (f"{who}, not the caller's company" if who else "not a customer id")
                         + ". Find the company the caller names in the customers table.")
    if given["product_id"].upper() != want["product_id"]:
        products = load("products").set_index("product_id")
        what = products["name"].get(given["product_id"].upper())
        hint = ("Every sensor at the site stopped at once: which device did the agent ask the caller to read the "
                "label of?")
        return incorrect(f"product_id {checks.quote(given['product_id'])} is "
                         + (f"the {what}" if what else "not a product id") + f". {hint}")
    if given["category"].lower() != want["category"]:
        return incorrect(f"The category {checks.quote(given['category'])} does not describe this call: the devices "
                         "have stopped reporting. Choose from the ticket categories (tickets.category).")
    if given["priority"].upper() != want["priority"]:
        return incorrect(f"Priority {checks.quote(given['priority'])} is not what the rules give. Count the devices "
                         "affected and check whether there is a workaround, then apply service.priority_table() top "
                         "to bottom.")
    return correct("All four fields match the call: this ticket can be worked without calling the customer back.")


q1 = Question(
    id="L2.q1", title="Turn a phone call into a ticket", behaviours=("2.1",), answer="call_ticket",
    prompt=(f"Read call {TICKET_CALL} and fill in the ticket: a dict with customer_id, product_id, category and "
            "priority (P1-P4 by the Service Desk's priority rules)."),
    grader=_grade_ticket,
    hints=("The caller names their company and reads a label: look both up (customers.name, products.name). The "
           "priority depends on how many devices are affected and whether there is a workaround.",
           "customers[customers.name.str.contains('<company>')] gives the customer_id; products[products.name."
           "str.contains('<model>')] the product_id; then service.priority({'devices_affected': n, "
           "'workaround': True or False, 'degraded': True})."),
    solution_code=r'''
said = transcripts.set_index("call_id").loc["CALL-003", "transcript"]
company = calls.find(said, r", .+ at .+\.$", speaker="Caller").said.iloc[0].split(" at ")[-1].rstrip(".")
model = calls.find(said, r"It's a Kestrel", speaker="Caller").said.str.extract(r"Kestrel (.+?)\.")[0].iloc[0]
sensors = int(calls.find(said, r"^\d+ sensors", speaker="Caller").said.str.extract(r"^(\d+)")[0].iloc[0])
impact = calls.find(said, r"alarms", speaker="Caller").said.iloc[0]
facts = {"devices_affected": sensors, "degraded": True, "workaround": "clipboard" in impact,
         "production_stopped": "whole site" in impact}
call_ticket = {"customer_id": customers.loc[customers.name.str.startswith(company), "customer_id"].item(),
               "product_id": products.loc[products.name == f"Kestrel {model}", "product_id"].item(),
               "category": "connectivity", "priority": service.priority(facts)}
''',
)


def _ticket_note_required() -> list[Fact]:
    row = _call(TICKET_CALL)
    facts = [_customer_fact(row["customer_id"]), _product_fact(row["product_id"]),
             Fact(f"how many sensors are offline ({row['devices_affected']})",
                  (_count_pattern(int(row["devices_affected"])),)),
             Fact(f"which site ({row['location']})", (_place_pattern(row["location"]),)),
             Fact("what the gateway's status light shows (flashing green)", (r"flash\w*\s+green|green\b.{0,25}flash",))]
    if pd.notna(row["problem_since"]):
        facts.append(Fact(f"when it started ({row['problem_since']})", _since_patterns(row["problem_since"])))
    changed = str(row["what_changed"]) if pd.notna(row["what_changed"]) else ""
    if "firewall" in changed:
        facts.append(Fact("what changed (a new firewall)", (r"firewall",)))
    elif "power" in changed:
        facts.append(Fact("what changed (a power cut)", (r"power\s*(?:cut|outage|failure|loss)",)))
    if row["production_stopped"]:
        facts.append(Fact("the impact (no readings or alarms, no workaround)", (r"\bno\s+(?:readings|alarms|data)",
                                                                               r"\bno\s+workaround")))
    elif row["workaround"]:
        facts.append(Fact("the workaround (manual rounds)", (r"manual|by hand|clipboard|rounds|walking",)))
    else:
        facts.append(Fact("the impact (no alarms and no other way to check)",
                          (r"\bno\s+(?:alarms|other way|workaround)",)))
    return facts


def _ticket_note_forbidden() -> list[Fact]:
    row = _call(TICKET_CALL)
    return _vague_facts() + [_other_count_fact(int(row["devices_affected"]), str(row["location"]))]


q2 = Question(
    id="L2.q2", title="Write the ticket description from the call", behaviours=("2.1",), answer="ticket_description",
    prompt=(f"Write the description for the ticket from call {TICKET_CALL}: everything Technical Support needs to "
            "act without calling the customer back, with no vague words."),
    grader=checks.writing(_ticket_note_required, _ticket_note_forbidden, min_words=30, max_words=150,
                          subject="ticket description"),
    hints=("Who (company), what (which device, what its light shows), how many sensors and where, since when, what "
           "changed, and what the customer is doing meanwhile. Numbers, not 'some' or 'a few'.",
           "Read the agent's summary line in the transcript: it lists the facts. Put them in your own words, with "
           "the company name, the gateway model, the number of sensors and the site."),
    solution_code=r'''
# uses said, company, model, sensors and impact from question 1
since = calls.find(said, r"^since", speaker="Caller").said
changed = calls.find(said, r"firewall|power cut", speaker="Caller").said
site = calls.find(said, r"^Hi\. None of the sensors at", speaker="Caller").said.str.extract(r" at (.+?) are")[0].iloc[0]
ticket_description = (
    f"{company} ({call_ticket['customer_id']}): all {sensors} sensors at {site} are offline"
    + (f", {since.iloc[0].lower().rstrip('.')}" if len(since) else "") + f". The {model} "
    f"({call_ticket['product_id']}) shows a flashing green light: powered, but no connection to Kestrel Cloud."
    + (f" Customer says: '{changed.iloc[0]}'" if len(changed) else "")
    + f" Impact: '{impact}' Please check the gateway's connection and firewall with their IT team.")
''',
)

MISSED_CALL = "CALL-004"
_STEP_TEXT = {step: text for step, _, text in calls.CHECKLIST}


def _expected_missed() -> list[str]:
    value = _call(MISSED_CALL)["missed_steps"]
    return [] if pd.isna(value) else str(value).split(";")


def _grade_missed(value: Any) -> Verdict:
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.tolist()
    if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a list of step ids, like "
                         "['greeting', 'summary'].")
    given = [str(v).strip().lower() for v in value]
    unknown = [v for v in given if v not in _STEP_TEXT]
    if unknown:
        return incorrect(f"{checks.quote(unknown[0])} is not a step of the checklist: use the ids in "
                         "calls.checklist_table().")
    if len(set(given)) != len(given):
        return incorrect("Your list names a step twice: list each step once.")
    want = _expected_missed()
    done = [v for v in given if v not in want]
    if done:
        step = done[0]
        return incorrect(f"The agent did do {step!r} ({_STEP_TEXT[step].lower().rstrip('.')}): find that moment in "
                         "the transcript.")
    if len(given) < len(want):
        return incorrect(f"Your {len(given)} step{'s are' if len(given) != 1 else ' is'} right, but "
                         f"{len(want) - len(given)} more {'are' if len(want) - len(given) != 1 else 'is'} missing "
                         "from the call. Go through the checklist one step at a time.")
    return correct(f"You found all {len(want)} steps the agent left out.")


q3 = Question(
    id="L2.q3", title="What did the agent leave out?", behaviours=("2.1",), answer="missed_steps",
    prompt=(f"Mark call {MISSED_CALL} against the call checklist: list the ids of the steps the agent left out."),
    grader=_grade_missed,
    hints=("Take the checklist (calls.checklist_table()) one step at a time and look for that moment in the "
           "transcript. A step counts only if the agent did it, not if the customer happened to say it.",
           "Typical gaps: no 'since when?', no 'what changed?', no summary read back, no call-back number, no agreed "
           "time, no ticket reference, no 'anything else?'. Check each of those."),
    solution_code=r'''
STEP_PHRASES = {"greeting": r"Kestrel", "identify": r"your name|right person", "product": r"model|label",
                "scope": r"how many", "since_when": r"when did", "what_changed": r"anything change",
                "impact": r"what does (that|it) mean|still sending", "summary": r"is that right\?",
                "contact": r"best number|which number|best address",
                "next_steps": r"by \d+ o'clock|within the hour", "reference": r"reference",
                "anything_else": r"anything else"}
gap_call = transcripts.set_index("call_id").loc["CALL-004", "transcript"]
missed_steps = [step for step, phrase in STEP_PHRASES.items() if calls.find(gap_call, phrase, speaker="Agent").empty]
''',
)

VISIT_SCRIPT = "door_alarms_visit"


def _grade_visit(value: Any) -> Verdict:
    if isinstance(value, str):
        value = list(value.replace(",", " ").split()) if " " in value or "," in value else list(value)
    if not isinstance(value, (list, tuple)):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a list of letters, like "
                         "['A', 'C', ...].")
    if not value:
        return unattempted("Your list is empty: play the visit in the simulator and list your choices.")
    try:
        steps, ending = calls.replay(VISIT_SCRIPT, [str(v) for v in value])
    except ValueError as problem:
        return incorrect(f"Your choices do not fit the visit: {problem}.")
    for number, step in enumerate(steps, start=1):
        if not step.best:
            return incorrect(f"At turn {number} ({step.node.stage}) you chose {step.option.key}, which scores "
                             f"{step.option.score} of {step.node.best}: {step.option.feedback}")
    if ending is None:
        return incorrect(f"Your {len(steps)} choices are all good, but the visit is not over yet: keep going to the "
                         "end.")
    return correct(f"Every choice was the best one: {load_ending(ending)}")


def load_ending(ending: str) -> str:
    return calls.load_script(VISIT_SCRIPT).endings[ending]


q4 = Question(
    id="L2.q4", title="Handle an upset customer in person (call simulator)", behaviours=("2.1",),
    answer="visit_choices",
    prompt=("Play the in-person role-play CallSimulator('door_alarms_visit') until every choice is the best one, "
            "and put your choices, in order, in a list of letters."),
    grader=_grade_visit,
    hints=("Click through the simulator and read the feedback after each choice; press Start again and change the "
           "choices that scored less than 2.",
           "In person: stop and face the customer, look at the evidence before judging, show rather than tell, "
           "repeat the agreement back exactly, and leave something in writing with a dated follow-up."),
    solution_code=('visit = CallSimulator("door_alarms_visit")\nvisit.play([...])  # the letters you chose\n'
                   'visit.report()\nvisit_choices = visit.choices'),
)

SUMMARY_CALL = "CALL-005"


def _visit_required() -> list[Fact]:
    row = _call(SUMMARY_CALL)
    n = int(row["devices_affected"])
    transcript = str(row["transcript"])
    quote_day = re.search(r"quote for .*? by (\w+day)", transcript)
    facts = [_customer_fact(row["customer_id"]), _product_fact(row["product_id"]),
             Fact(f"how many sensors are damaged ({n})", (_count_pattern(n),)),
             Fact(f"where they are ({row['location']})", (_place_pattern(row["location"]),)),
             Fact(f"when they stopped ({row['problem_since']})", _since_patterns(str(row["problem_since"]))),
             Fact("the cause (water from pressure-washing)", (r"water|pressure[- ]?wash|jet",)),
             Fact("that the warranty does not cover it",
                  (r"\bnot\s+(?:be\s+)?(?:covered|under)\b",
                   r"(?:does\s*n[o']t|do\s*n[o']t|won't|will\s+not|cannot|can't)"
                   r"\s+(?:be\s+)?cover", r"outside\s+(?:of\s+)?(?:the\s+)?warranty", r"\bno\s+warranty",
                   r"\bchargeable\b", r"\bnot\s+a\s+warranty"))]
    if quote_day:
        day = quote_day[1]
        facts.append(Fact(f"the agreed next step (a quote by {day})",
                          (rf"quot\w*.{{0,120}}\b{day}\b|\b{day}\b.{{0,120}}quot\w*",)))
    return facts


def _visit_forbidden() -> list[Fact]:
    row = _call(SUMMARY_CALL)
    n = int(row["devices_affected"])
    claims = Fact("that the warranty covers it (it does not)",
                  (r"(?<!not )(?<!n't )(?<!not be )(?<!n't be )\b(?:covered\s+by|under)\s+(?:the\s+|its\s+)?warranty",
                   r"\bfree\s+(?:of\s+charge\s+)?replacement",
                   r"replac\w*\s+(?:\w+\s+){0,3}(?:free|at\s+no\s+(?:cost|charge))"))
    return [claims] + _vague_facts() + [_other_count_fact(n, str(row["location"]))]


q5 = Question(
    id="L2.q5", title="Summarise a site visit for the ticket", behaviours=("2.1",), answer="visit_summary",
    prompt=(f"Write the summary of the on-site conversation {SUMMARY_CALL} for its ticket: what was found, why, what "
            "the customer was told, and what happens next."),
    grader=checks.writing(_visit_required, _visit_forbidden, min_words=35, max_words=160, subject="visit summary"),
    hints=("A colleague reading the ticket must know: who, which devices and how many, where, since when, the cause, "
           "what the customer was told about the warranty, and the agreed next step with its day.",
           "Work from the engineer's summary and the last few turns of the transcript. Use the numbers and the "
           "weekday names, and do not promise anything the engineer did not."),
    solution_code=r'''
visit_call = transcripts.set_index("call_id").loc["CALL-005", "transcript"]
engineer = lambda pattern: calls.find(visit_call, pattern, speaker="Engineer").said.iloc[0]
company = calls.find(visit_call, "coming out to", speaker="Customer").said.iloc[0].split("coming out to ")[1]
visit_summary = (f"Site visit at {company.removesuffix(' so quickly.')}. {engineer('^So, to check')} "
                 f"{engineer('warranty')} Next step: {engineer('^I.ll send you a quote')}"
                 ).replace(" Is that right?", "")
''',
)

# -- 2.2 customer service with technical advice --------------------------------------------------------
SLA_PLAN, SLA_YEAR = "SUP-PREMIUM", 2025


def _sla() -> pd.DataFrame:
    return support.sla_status(load("tickets"), load("customers"), load("products"))


def _breaches(plan: str | None = SLA_PLAN, year: int | None = SLA_YEAR, clock: bool = False) -> int:
    table = _sla()
    if clock:
        hours = (table["first_response_at"] - table["created_at"]).dt.total_seconds() / 3600
        table = table.assign(breached=hours > table["target_hours"])
    if plan is not None:
        table = table[table["support_plan"] == plan]
    if year is not None:
        table = table[table["created_at"].dt.year == year]
    return int(table["breached"].sum())


q6 = Question(
    id="L2.q6", title="Count SLA breaches with the support-hours clock", behaviours=("2.2",), answer="premium_breaches",
    prompt=(f"How many tickets created in {SLA_YEAR} by customers on Premium Support ({SLA_PLAN}) got their first "
            "response later than the plan's target for their priority?"),
    grader=checks.number(_breaches, tolerance=0.5, unit=" tickets", mistakes=[
        (lambda v: round(v) == _breaches(clock=True),
         "You measured the response time in clock hours: the Premium clock only runs inside its support hours."),
        (lambda v: round(v) == _breaches(plan=None), "That counts the breaches on every plan, not only Premium."),
        (lambda v: round(v) == _breaches(year=None), f"That counts every year, not only {SLA_YEAR}."),
    ]),
    hints=("support.sla_status(tickets, customers, products) measures every ticket's first response in support hours "
           "and marks the breaches; then filter on plan and year.",
           f"sla = support.sla_status(...); keep support_plan == '{SLA_PLAN}' and created_at.dt.year == {SLA_YEAR}, "
           "then add up the breached column."),
    solution_code=("sla = support.sla_status(tickets, customers, products)\n"
                   f'premium = sla[(sla.support_plan == "{SLA_PLAN}") & (sla.created_at.dt.year == {SLA_YEAR})]\n'
                   "premium_breaches = int(premium.breached.sum())"),
)


def _open_queue() -> pd.DataFrame:
    table = _sla()
    return table[~table["responded"]].sort_values(["due_at", "ticket_id"])


def _grade_first_due(value: Any) -> Verdict:
    if not isinstance(value, str):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a ticket id in quotes, like "
                         "'TKT-01234'.")
    given = value.strip().upper()
    queue = _open_queue()
    if given not in set(queue["ticket_id"]):
        if len(given) > 20:
            return incorrect(f"You gave {checks.quote(value)}; a ticket id is short, like 'TKT-01234'.")
        status = load("tickets").set_index("ticket_id")["status"].get(given)
        return incorrect(f"{given} is " + (f"not waiting for a first response (its status is {status!r})" if status
                                          else "not a ticket id") + ": pick from the tickets nobody has answered yet.")
    first_due = queue["due_at"].min()
    if queue.loc[queue["ticket_id"] == given, "due_at"].iloc[0] == first_due:
        return correct(f"{given} is due first: answer it before anything else in the queue.")
    oldest = queue.sort_values(["created_at", "ticket_id"])["ticket_id"].iloc[0]
    if given == oldest:
        return incorrect(f"{given} is the oldest unanswered ticket, but its plan and priority give it more time. "
                         "Sort the queue by when the first response is due.")
    urgent = queue.sort_values(["priority", "created_at"])["ticket_id"].iloc[0]
    if given == urgent:
        return incorrect(f"{given} has the highest priority in the queue, but another ticket's clock runs out sooner. "
                         "Sort by the due time, which combines plan, priority and support hours.")
    return incorrect(f"{given} is waiting, but another ticket falls due before it. Sort by due_at.")


q7 = Question(
    id="L2.q7", title="Which unanswered ticket is due first?", behaviours=("2.2",), answer="first_due",
    prompt=("Of the tickets nobody has answered yet at the extract (no first response), which one's first-response "
            "target runs out first? Give its ticket id."),
    grader=_grade_first_due,
    hints=("The queue is worked by when each response is due, not by arrival or by priority alone. "
           "support.sla_status gives a due_at for every ticket.",
           "sla = support.sla_status(...); waiting = sla[~sla.responded]; sort waiting by due_at and take the first "
           "ticket_id."),
    solution_code=("sla = support.sla_status(tickets, customers, products)\n"
                   "waiting = sla[~sla.responded].sort_values(\"due_at\")\n"
                   "first_due = waiting.ticket_id.iloc[0]"),
)

KB_QUESTION = ("We're on Kestrel Cloud Starter. Since we added 25 more sensors last week, the dashboards show gaps "
               "every afternoon, but the alarms still reach us and the sensors themselves look fine. What's going on?")
KB_TITLE = "Daily message quota"


def _kb_id(title_start: str) -> str:
    articles = load("kb_articles")
    return str(articles.loc[articles["title"].str.startswith(title_start), "article_id"].iloc[0])


def _kb_mistake(title_start: str) -> Callable[[Any], bool]:
    return lambda v: str(v).strip().upper() == _kb_id(title_start)


q8 = Question(
    id="L2.q8", title="Find the right knowledge-base article", behaviours=("2.2",), answer="kb_article",
    prompt=f"A customer writes: \"{KB_QUESTION}\" Which knowledge-base article (article_id) should you send them?",
    grader=checks.text_value(lambda: _kb_id(KB_TITLE), mistakes=[
        (_kb_mistake("Known issue: LoRaWAN gateway firmware"),
         "That article is about gateways on firmware 3.2.0; nothing in the message points to a firmware update."),
        (_kb_mistake("Kestrel LoRaWAN Indoor Gateway offline"),
         "The gateway is not offline: the alarms still arrive. Read the customer's clues again."),
        (_kb_mistake("Changing platform tier"),
         "Changing tier may be the fix later, but first send the article that explains what they are seeing."),
        (lambda v: not re.fullmatch(r"KB-\d{4}", str(v).strip().upper()),
         "That is not an article id: article ids look like 'KB-0012'."),
    ]),
    hints=("Search with the customer's words first (kb.search(...)), then with what you know: they added sensors on "
           "the smallest tier, and only the dashboards have gaps.",
           "What limit does a Starter tier have that more sensors would exceed? Search for that limit's name and "
           "read the top articles' titles."),
    solution_code=("kb = support.KnowledgeBase()\nkb.search(ex.KB_QUESTION)\n"
                   "kb.search(\"daily message quota exceeded dashboard gaps\")\n"
                   "kb_article = kb.search(\"daily message quota exceeded dashboard gaps\").article_id.iloc[0]"),
)

INTERVAL_SENSORS, INTERVAL_TIER = 45, "PLT-STARTER"
MINUTE_STEPS = tuple(range(60, 3601, 60))


def _quota() -> float:
    return float(_product(INTERVAL_TIER)["messages_per_day"])


def _grade_interval(value: Any) -> Verdict:
    if isinstance(value, bool) or not checks._is_number(value):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a number of seconds, like 300.")
    seconds = float(value)
    if seconds <= 0 or math.isnan(seconds):
        return incorrect(f"You gave {checks.describe(value)}: an interval must be a positive number of seconds.")
    if seconds % 60:
        return incorrect(f"{checks.describe(value)} s is not a whole number of minutes: the question asks for 60, "
                         "120, 180 ... seconds.")
    messages = support.messages_per_day(INTERVAL_SENSORS, seconds)
    quota = _quota()
    if messages > quota:
        return incorrect(f"At {seconds:g} s, {INTERVAL_SENSORS} sensors send {messages:,.0f} messages a day, above the "
                         f"tier's quota of {quota:,.0f}: that interval is too short.")
    best = support.shortest_interval(INTERVAL_SENSORS, quota, allowed=MINUTE_STEPS)
    if seconds > best:
        return incorrect(f"At {seconds:g} s they stay within the quota ({messages:,.0f} messages a day), but a shorter "
                         "whole-minute interval would also fit.")
    return correct(f"{seconds:g} s: {messages:,.0f} messages a day, within the quota of {quota:,.0f}.")


q9 = Question(
    id="L2.q9", title="Configuration advice: the shortest interval the tier allows", behaviours=("2.2",),
    answer="shortest_interval_s",
    prompt=(f"A customer on Kestrel Cloud Starter ({INTERVAL_TIER}) has {INTERVAL_SENSORS} T1 sensors and wants a "
            "reading every minute. What is the shortest reporting interval, in seconds and a whole number of "
            "minutes, that keeps them within the tier's daily message quota?"),
    grader=_grade_interval,
    hints=("Messages a day = 86,400 / interval x sensors (knowledge base). The quota is in products.messages_per_day.",
           f"Try 60, 120, 180 ... seconds with support.messages_per_day({INTERVAL_SENSORS}, seconds), or use "
           "support.shortest_interval(sensors, quota, allowed=range(60, 3601, 60))."),
    solution_code=('quota = products.set_index("product_id").loc["PLT-STARTER", "messages_per_day"]\n'
                   f"shortest_interval_s = support.shortest_interval({INTERVAL_SENSORS}, quota, "
                   "allowed=range(60, 3601, 60))"),
)

# -- 2.3 solutions and straightforward problems -----------------------------------------------------
DRAIN_CASE, GAPS_CASE = "DX-4", "DX-1"


def _case(case_id: str) -> pd.DataFrame:
    telemetry = load("device_telemetry")
    return telemetry[telemetry["case_id"] == case_id]


def _cause(case_id: str, tree: str) -> str:
    return troubleshoot.diagnose(_case(case_id), tree).cause


q10 = Question(
    id="L2.q10", title="Why is this battery draining so fast?", behaviours=("2.3",), answer="drain_cause",
    prompt=(f"Case {DRAIN_CASE}: the customer says a sensor's battery is draining faster than expected. Walk the "
            "'battery' troubleshooting tree with the device data and give the id of the likely cause."),
    grader=checks.choice(lambda: _cause(DRAIN_CASE, "battery"), options=sorted(troubleshoot.load_guide().causes),
                         mistakes=[
        (lambda v: v.strip() == "low_battery",
         "The battery is low, but the question is why it drains early. The battery tree checks something else "
         "first: look at the device's radio figures."),
        (lambda v: v.strip() == "battery_ok", "Look at the figures again: this device is not healthy."),
        (lambda v: v.strip() in ("firmware_320", "gateway_offline", "unexplained_gaps"),
         "That cause belongs to the missing-data tree, about gateways; this is a battery symptom on one sensor."),
    ]),
    hints=("Summarise the case's devices (troubleshoot.device_summary) and find the sensor with the lowest battery "
           "voltage. Then answer the tree's checks in order (Walkthrough('battery')).",
           "The battery tree's first check is the radio link: RSSI below -120 dBm, SNR below -15 dB or spreading "
           "factor 11-12. What do that sensor's figures say?"),
    solution_code=r'''
case = telemetry[telemetry.case_id == "DX-4"]
troubleshoot.device_summary(case)  # the sensor with the lowest battery: look at its rssi_dbm, snr_db, spreading_factor
walk = Walkthrough("battery").answer("weak")  # its radio link is weak, so the walk ends at once
drain_cause = walk.cause.id  # the same as troubleshoot.diagnose(case, "battery").cause
''',
)


def _gap_start() -> pd.Timestamp:
    return troubleshoot.first_gap_day(_case(GAPS_CASE))


def _as_day(value: Any) -> pd.Timestamp | None:
    if isinstance(value, (pd.Series, pd.Index)) and len(value) == 1:
        value = value[0] if isinstance(value, pd.Index) else value.iloc[0]
    stamp = checks.timestamp(value)  # refuses a text too long to be a date (parsing 1 MB took 30 s)
    return None if stamp is None else stamp.normalize()


def _grade_gap_start(value: Any) -> Verdict:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a date, like '2025-03-14'.")
    day = _as_day(value)
    if day is None:
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a date, like '2025-03-14'.")
    case = _case(GAPS_CASE)
    want = _gap_start()
    if day == want:
        return correct(f"{day:%Y-%m-%d}: the day the gateway's firmware changed, and the gaps began with it.")
    created = load("tickets").set_index("ticket_id").loc[case["ticket_id"].iloc[0], "created_at"].normalize()
    if day == created:
        return incorrect(f"{day:%Y-%m-%d} is when the customer raised the ticket; the gaps started before that.")
    if day == case["date"].min():
        return incorrect(f"{day:%Y-%m-%d} is the first day of the extract: the sensors were still healthy then.")
    if day > want:
        return incorrect(f"By {day:%Y-%m-%d} the gaps had already started: look at the days before it.")
    return incorrect(f"On {day:%Y-%m-%d} the sensors still delivered their readings: the gaps started later.")


q11 = Question(
    id="L2.q11", title="When did the gaps start, and why?", behaviours=("2.3",), answer="gaps_started",
    prompt=(f"Case {GAPS_CASE}: every sensor on a gateway has gaps. On which day did the sensors together first "
            "deliver "
            "less than 95% of their expected readings? (A date like '2025-03-14'.)"),
    grader=_grade_gap_start,
    hints=("Add up uplinks_received and uplinks_expected of the sensors (role == 'sensor') per date, and divide.",
           "Find the first date below 0.95, then compare it with the gateway's firmware_version on each day: what "
           "changed that day?"),
    solution_code=(f'case = telemetry[(telemetry.case_id == "{GAPS_CASE}") & (telemetry.role == "sensor")]\n'
                   'daily = case.groupby("date")[["uplinks_received", "uplinks_expected"]].sum()\n'
                   'share = daily.uplinks_received / daily.uplinks_expected\n'
                   'gaps_started = share[share < 0.95].index.min()'),
)

NEEDS = dict(measures="temperature", min_temp_c=-35, min_ip="IP65", works_with="GW-LRW-IN", min_battery_years=4)


def _matches() -> pd.DataFrame:
    return support.match_products(load("products"), load("compatibility"), **NEEDS)


def _grade_matches(value: Any) -> Verdict:
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.tolist()
    if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a list of product ids, like "
                         "['SNS-TMP-100'].")
    given = [str(v).strip().upper() for v in value]
    table = _matches().set_index("product_id")
    unknown = [v for v in given if v not in table.index]
    if unknown:
        return incorrect(f"{checks.quote(unknown[0])} is not a sensor in the catalogue.")
    wrong = [v for v in given if not table.loc[v, "fits"]]
    if wrong:
        return incorrect(f"{wrong[0]} should not be in your list. Check it against the needs: "
                         f"{table.loc[wrong[0], 'reason']}.")
    want = table.index[table["fits"]].tolist()
    if len(set(given)) < len(want):
        return incorrect(f"Every sensor in your list fits, but {len(want) - len(set(given))} more also meet"
                         f"{'s' if len(want) - len(set(given)) == 1 else ''} every need: check the whole catalogue.")
    return correct(f"Right: the {len(want)} sensors that meet every stated need.")


q12 = Question(
    id="L2.q12", title="Match the customer's needs to the catalogue", behaviours=("2.3",), answer="matching_sensors",
    prompt=("A customer needs to monitor temperature in blast freezers that run at -35 C. The area is hosed down, so "
            "at least IP65; the sensors must work with their LoRaWAN Indoor Gateway (GW-LRW-IN); and they will not "
            "change batteries more often than every 4 years. List the product ids of every sensor that fits."),
    grader=_grade_matches,
    hints=("Turn each stated need into a condition on a catalogue column: what it measures, operating_temp_min_c, "
           "ip_rating, compatibility with GW-LRW-IN, battery_life_years. Discontinued products are out.",
           "support.match_products(products, compatibility, measures=..., min_temp_c=..., min_ip=..., works_with=..., "
           "min_battery_years=...) checks every sensor and says why each one fails."),
    solution_code=('fit = support.match_products(products, compatibility, measures="temperature", min_temp_c=-35,\n'
                   '                             min_ip="IP65", works_with="GW-LRW-IN", min_battery_years=4)\n'
                   "matching_sensors = fit[fit.fits].product_id.tolist()"),
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]
