"""Level 1 questions: product information (1.1), asking for help (1.2), using the database (1.3).

Every expected answer is computed from the data when the check runs, so the questions stay
right for a dataset generated with another seed.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pandas as pd

from ssup import checks, db, service
from ssup.checks import Fact, money_patterns
from ssup.data import load
from ssup.exercise import DATABASE, Question, Verdict, correct, incorrect, unattempted

# -- facts from the data --------------------------------------------------------------------


def _product(product_id: str) -> pd.Series:
    products = load("products").set_index("product_id")
    return products.loc[product_id]


def _price(product_id: str) -> float:
    return float(_product(product_id)["list_price_gbp"])


def _compatible_sensors(gateway_id: str) -> list[str]:
    links = load("compatibility")
    sensors = links[(links.compatible_with == gateway_id) & (links.link_type == "sensor_gateway")]
    return sorted(sensors.product_id)


def _is_compatible(sensor_id: str, gateway_id: str) -> bool:
    return sensor_id in _compatible_sensors(gateway_id)


def _stale_faq_prices(product_id: str) -> list[float]:
    """Prices the FAQ quotes for a product that differ from the catalogue (out-of-date answers)."""
    faq = load("faq")
    answers = faq.loc[faq.product_id == product_id, "answer"]
    quoted = {float(m.replace(",", "")) for text in answers for m in re.findall(r"£([\d,]+\.\d\d)", text)}
    return sorted(price for price in quoted if abs(price - _price(product_id)) > 0.005)


# -- 1.1 basic information about products and services ------------------------------------

q1 = Question(
    id="L1.q1", title="Price of the outdoor gateway", behaviours=("1.1",), answer="outdoor_gateway_price",
    prompt="What is the list price, in pounds, of the Kestrel LoRaWAN Outdoor Gateway (GW-LRW-OUT)?",
    grader=checks.number(
        lambda: _price("GW-LRW-OUT"), tolerance=0.005, unit=" GBP",
        mistakes=[(lambda v: abs(v - _price("GW-LRW-IN")) < 0.005, "That is the price of the INDOOR gateway."),
                  (lambda v: abs(v - _price("GW-LRW-OUT") * 1.2) < 0.01,
                   "That includes VAT; our list prices are quoted without VAT.")]),
    hints=("Every price is in the products table, column list_price_gbp.",
           "Filter the rows where product_id == 'GW-LRW-OUT', then take list_price_gbp with .item()."),
    solution_code=('outdoor_gateway_price = products.loc[products.product_id == "GW-LRW-OUT", '
                   '"list_price_gbp"].item()'),
)

q2 = Question(
    id="L1.q2", title="Sensors that work with the LTE-M gateway", behaviours=("1.1",),
    answer="lte_gateway_sensors",
    prompt="List the product ids of every sensor that works with the LTE-M Cellular Gateway (GW-LTE-M).",
    grader=checks.collection(
        lambda: _compatible_sensors("GW-LTE-M"), item="sensor",
        mistakes=[(lambda v: any(str(x).upper().startswith(("PLT-", "GW-")) for x in v),
                   "Your list includes platforms or gateways: keep only sensor_gateway links.")]),
    hints=("The compatibility table links products in pairs; sensors appear in product_id, gateways in "
           "compatible_with.",
           "Filter compatibility where compatible_with == 'GW-LTE-M' and link_type == 'sensor_gateway', "
           "then take the product_id column as a list."),
    solution_code=('links = compatibility[(compatibility.compatible_with == "GW-LTE-M")\n'
                   '                     & (compatibility.link_type == "sensor_gateway")]\n'
                   'lte_gateway_sensors = sorted(links.product_id)'),
)


def _reply_required() -> list[Fact]:
    days = int(_product("SNS-TMP-100")["lead_time_days"])
    works = _is_compatible("SNS-TMP-100", "GW-LRW-IN")
    compat_fact = (Fact("that it works with their indoor gateway", (r"\b(works?|compatible|connects?)\b",))
                   if works else
                   Fact("that it does NOT work with their indoor gateway",
                        (r"\b(not|isn't|doesn't|won't)\b.{0,30}\b(work|compatible)",)))
    return [
        Fact(f"the catalogue price (£{_price('SNS-TMP-100'):,.2f})", money_patterns(_price("SNS-TMP-100"))),
        Fact("that the price excludes VAT", (r"\b(excl\w*|ex\.?|plus|\+)\s*(of\s+)?VAT\b", r"\bVAT\b.{0,15}\bextra\b")),
        Fact(f"the lead time in working days ({days})", (rf"(?<!\d){days}\s*(working\s+|business\s+)?days?\b",
                                                        rf"\b{_number_word(days)}\s*(working\s+|business\s+)?days?\b")),
        compat_fact,
    ]


def _number_word(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return words[n] if 0 <= n < len(words) else str(n)


def _reply_forbidden() -> list[Fact]:
    stale = [Fact(f"an out-of-date FAQ price (£{p:,.2f})", money_patterns(p)) for p in _stale_faq_prices("SNS-TMP-100")]
    other = [Fact(f"the price of another product (£{_price(pid):,.2f})", money_patterns(_price(pid)))
             for pid in ("SNS-TMP-200", "GW-LRW-IN") if abs(_price(pid) - _price("SNS-TMP-100")) > 0.005]
    return stale + other


q3 = Question(
    id="L1.q3", title="Reply to a customer's product question", behaviours=("1.1",), answer="customer_reply",
    prompt=("Write the reply to Priya at Solway Freight: 'How much is the T1 temperature sensor (SNS-TMP-100), "
            "how soon could we have it, and will it work with our LoRaWAN indoor gateway?'"),
    grader=checks.writing(_reply_required, _reply_forbidden, min_words=25, max_words=150, subject="reply"),
    hints=("A good reply answers all three questions with facts from the catalogue: price (and whether VAT is "
           "included), lead time, compatibility. Be friendly and brief.",
           "Take list_price_gbp and lead_time_days from the products row for SNS-TMP-100, and check the "
           "compatibility table for the pair (SNS-TMP-100, GW-LRW-IN). The FAQ can be out of date: when it "
           "disagrees with the catalogue, the catalogue wins."),
    solution_code=('t1 = products.set_index("product_id").loc["SNS-TMP-100"]\n'
                   'customer_reply = (\n'
                   '    f"Hello Priya, thank you for asking. The {t1[\'name\']} (SNS-TMP-100) is "\n'
                   '    f"£{t1.list_price_gbp:,.2f} each, excluding VAT and delivery. We normally dispatch within "\n'
                   '    f"{t1.lead_time_days} working days of your order, and yes, it works with your LoRaWAN "\n'
                   '    "indoor gateway. Kind regards, Kestrel Service Desk"\n'
                   ')'),
)

# -- 1.2 seeking help for complex queries and complaints ----------------------------------

#: Five inquiries the first line received this morning, with the facts the rules use.
SCENARIOS: dict[str, dict[str, Any]] = {
    "A": {"text": "Our invoice charges us for 120 sensors but we only have 100. Please correct it.",
          "category": "billing", "complaint": True},
    "B": {"text": "Since this morning 40 freezer sensors at our Leeds depot show offline; our food-safety "
                  "records have stopped.", "category": "connectivity", "devices_affected": 40,
          "production_stopped": True},
    "C": {"text": "The outdoor gateway on our water tower was hit by lightning; it is burnt and will not power on.",
          "category": "hardware_fault", "site_visit": True, "devices_affected": 12},
    "D": {"text": "We want a quote for 800 vibration sensors across six plants, integrated with our SAP system.",
          "category": "product_info", "devices_quoted": 800, "custom_integration": True},
    "E": {"text": "One humidity sensor reports 0% every few hours; we restarted it and it is still wrong.",
          "category": "data_quality", "devices_affected": 1, "degraded": True, "workaround": True},
}


def _expected_routing() -> dict[str, str]:
    return {key: service.route(facts).team for key, facts in SCENARIOS.items()}


def _expected_priorities() -> dict[str, str]:
    return {key: service.route(facts).priority for key, facts in SCENARIOS.items()}


def _mapping(expected: Any, options: tuple[str, ...], what: str, rules: str) -> Any:
    def grade(value: Any) -> Verdict:
        if not isinstance(value, dict):
            return incorrect(f"You gave {checks.describe(value)}; the answer should be a dict like "
                             "{'A': '...', 'B': '...'}.")
        wanted = expected()
        if all(v is ... for v in value.values()):
            return unattempted("Replace each ... with your choice, run the cell, then check again.")
        missing = sorted(set(wanted) - set(value))
        if missing:
            return incorrect(f"Your dict has no {what} for inquiry {', '.join(missing)}: give one for each of "
                             f"{', '.join(sorted(wanted))}.")
        for key in sorted(wanted):
            given = value[key]
            if not isinstance(given, str) or given.strip() not in options:
                return incorrect(f"For inquiry {key} you gave {checks.describe(given)}; choose one of: "
                                 f"{', '.join(options)}.")
        wrong = [key for key in sorted(wanted) if value[key].strip() != wanted[key]]
        if wrong:
            first = wrong[0]
            return incorrect(f"{len(wrong)} of {len(wanted)} are not right yet. For inquiry {first} you chose "
                             f"{value[first].strip()!r}: read it again against the {rules}, top to bottom; the "
                             "first rule that matches decides.")
        return correct(f"All {len(wanted)} inquiries have the right {what}.")

    return grade


q4 = Question(
    id="L1.q4", title="Route five inquiries", behaviours=("1.2",), answer="routing",
    prompt="For each inquiry A-E, name the team that should handle it (the Service Desk if the FAQ answers it).",
    grader=_mapping(_expected_routing, (service.FIRST_LINE,) + tuple(sorted({t for _, _, t in service.ESCALATION_RULES})),
                    "team", "escalation rules (ssup.service.rules_table())"),
    hints=("Use the escalation rules table from the lesson: check each inquiry against the rules in order.",
           "Billing questions go to Billing even when the customer is unhappy; anything that needs someone on "
           "site goes to Field Engineering; a large quote with an integration is a Presales matter."),
    solution_code=("routing = {key: service.route(facts).team for key, facts in ex.SCENARIOS.items()}\n"
                   "# or, by reading the rules: {'A': 'Billing', 'B': 'Technical Support', ...}"),
)

q5 = Question(
    id="L1.q5", title="Prioritise the same five inquiries", behaviours=("1.2",), answer="priorities",
    prompt="For each inquiry A-E, give its priority P1-P4 by the priority rules.",
    grader=_mapping(_expected_priorities, ("P1", "P2", "P3", "P4"), "priority", "priority rules"),
    hints=("Priority is about impact, not about how loud the customer is: count devices and ask whether "
           "the business has stopped.",
           "Production stopped or 25+ devices down is P1; one device with a workaround is P3; a question or a "
           "commercial matter is P4."),
    solution_code="priorities = {key: service.route(facts).priority for key, facts in ex.SCENARIOS.items()}",
)


def _escalation_ticket() -> pd.Series:
    """The oldest open hardware-fault ticket that has not been escalated yet."""
    tickets = load("tickets")
    open_ = tickets[tickets.status.isin(["open", "in_progress"]) & ~tickets.escalated
                    & (tickets.category == "hardware_fault")]
    return open_.sort_values(["created_at", "ticket_id"]).iloc[0]


def _check_escalation(connection: sqlite3.Connection) -> Verdict:
    ticket = _escalation_ticket()
    rows = pd.read_sql_query("SELECT * FROM escalations", connection)
    if rows.empty:
        return unattempted("There is no escalation in your database yet: call create_escalation(...) and run it.")
    mine = rows[rows.ticket_id == ticket.ticket_id]
    if mine.empty:
        others = ", ".join(sorted(rows.ticket_id.dropna().astype(str)) + [f"inquiry {i}" for i in rows.inquiry_id.dropna()])
        return incorrect(f"Your escalation is about {others}, not the oldest open hardware-fault ticket that has "
                         "not been escalated. Sort the open hardware_fault tickets by created_at.")
    if len(mine) > 1:
        return incorrect(f"There are {len(mine)} escalations for {ticket.ticket_id}: escalate once. "
                         "Run ssup.db.reset() and the notebook from the top to start again.")
    row = mine.iloc[0]
    facts = {"category": ticket.category, "site_visit": True}
    team = service.route(facts).team
    if row.team != team:
        return incorrect(f"You sent {ticket.ticket_id} to {row.team}: which team handles faults that need "
                         "someone on site?")
    if row.priority != ticket.priority:
        return incorrect(f"You gave priority {row.priority}; keep the priority the ticket already has.")
    customer = load("customers").set_index("customer_id").loc[ticket.customer_id]
    product = _product(ticket.product_id)
    note = str(row.handover_note).lower()
    missing = []
    if ticket.customer_id.lower() not in note and customer["name"].lower() not in note:
        missing.append("the customer (name or id)")
    if ticket.product_id.lower() not in note and product["name"].lower() not in note:
        missing.append("the product (name or id)")
    if not any(word in note for word in re.findall(r"[a-z]{5,}", str(ticket.subject).lower())):
        missing.append("the symptom in the customer's words (from the ticket subject)")
    if missing:
        return incorrect(f"Your handover note does not yet name {checks.join_words(missing)}: a colleague must be able "
                         "to act without calling the customer back.")
    return correct(f"{ticket.ticket_id} is with {team} at {row.priority}, with a note a colleague can act on.")


q6 = Question(
    id="L1.q6", title="Escalate a hardware fault with a handover note", behaviours=("1.2", "1.3"),
    answer=DATABASE,
    prompt=("Find the oldest open (status open or in_progress) hardware_fault ticket that has not been escalated, "
            "and escalate it with create_escalation: the right team, the ticket's priority, and a handover note."),
    grader=checks.database(_check_escalation),
    hints=("Filter tickets on status, escalated == False and category == 'hardware_fault', sort by created_at, "
           "take the first row. The rules table says who handles faults that need a site visit.",
           "create_escalation(ticket_id=..., team='Field Engineering', priority=ticket.priority, "
           "handover_note=f'... {customer} ... {product} ... {subject} ...', created_by='AGT-001')."),
    solution_code=('candidates = tickets[tickets.status.isin(["open", "in_progress"]) & ~tickets.escalated\n'
                   '                     & (tickets.category == "hardware_fault")]\n'
                   'ticket = candidates.sort_values(["created_at", "ticket_id"]).iloc[0]\n'
                   'create_escalation(ticket_id=ticket.ticket_id, team="Field Engineering", priority=ticket.priority,\n'
                   '                  handover_note=f"{ticket.customer_id}: {ticket.subject} ({ticket.product_id}). ..."\n'
                   '                  created_by="AGT-001")'),
)

# -- 1.3 retrieving and entering data ----------------------------------------------------------


def _total(table: Any) -> float:
    numbers = table.select_dtypes("number") if isinstance(table, pd.DataFrame) else pd.Series(table)
    return float(numbers.to_numpy().sum())


def _tickets_per_channel_2025() -> pd.DataFrame:
    tickets = load("tickets")
    in_2025 = tickets[tickets.created_at.dt.year == 2025]
    return in_2025.groupby("channel").size().rename("tickets").reset_index()


q7 = Question(
    id="L1.q7", title="Tickets per channel in 2025", behaviours=("1.3",), answer="tickets_per_channel",
    prompt="Count the tickets created in 2025 for each channel (a table or Series: channel -> number of tickets).",
    grader=checks.frame(
        _tickets_per_channel_2025,
        mistakes=[(lambda v: _total(v) == len(load("tickets")),
                   "Those are the counts for ALL years: keep only tickets created in 2025.")]),
    hints=("Filter first (tickets.created_at.dt.year == 2025), then group by channel and count.",
           "tickets[tickets.created_at.dt.year == 2025].groupby('channel').size()"),
    solution_code=("tickets_2025 = tickets[tickets.created_at.dt.year == 2025]\n"
                   "tickets_per_channel = tickets_2025.groupby('channel').size()"),
)


def _p1_by_industry() -> pd.DataFrame:
    return db.query("SELECT c.industry, COUNT(*) AS p1_tickets FROM tickets t "
                    "JOIN customers c ON c.customer_id = t.customer_id WHERE t.priority = 'P1' GROUP BY c.industry")


q8 = Question(
    id="L1.q8", title="P1 tickets by industry (SQL JOIN and GROUP BY)", behaviours=("1.3",), answer="p1_by_industry_sql",
    prompt="Write an SQL query that returns two columns, industry and p1_tickets: the number of P1 tickets per industry.",
    grader=checks.sql(_p1_by_industry, mistakes=[
        (lambda q: "join" not in q.lower(), "The industry is in customers and the priority in tickets: JOIN them."),
        (lambda q: "group by" not in q.lower(), "To get one row per industry you need GROUP BY industry.")]),
    hints=("Start from tickets, JOIN customers ON customers.customer_id = tickets.customer_id, keep WHERE "
           "priority = 'P1'.",
           "SELECT c.industry, COUNT(*) AS p1_tickets FROM tickets t JOIN customers c ON ... WHERE ... GROUP BY "
           "c.industry"),
    solution_code=('p1_by_industry_sql = """\n'
                   "SELECT c.industry, COUNT(*) AS p1_tickets\n"
                   "FROM tickets AS t JOIN customers AS c ON c.customer_id = t.customer_id\n"
                   "WHERE t.priority = 'P1'\nGROUP BY c.industry\n\"\"\""),
)


def _nordic_critical() -> pd.DataFrame:
    return db.query("SELECT customer_id, name FROM customers WHERE region = 'Nordics' AND support_plan = "
                    "'SUP-CRITICAL' ORDER BY name")


q9 = Question(
    id="L1.q9", title="Nordic customers on Critical Support (SQL WHERE)", behaviours=("1.3",),
    answer="nordic_critical_sql",
    prompt=("Write an SQL query returning customer_id and name of every customer in the Nordics region on the "
            "Critical support plan (SUP-CRITICAL), sorted by name."),
    grader=checks.sql(_nordic_critical, check_order=True, mistakes=[
        (lambda q: "order by" not in q.lower(), "The question asks for the rows sorted by name: add ORDER BY name.")]),
    hints=("Everything is in the customers table: two conditions joined with AND.",
           "SELECT customer_id, name FROM customers WHERE region = 'Nordics' AND support_plan = ... ORDER BY name"),
    solution_code=('nordic_critical_sql = """\nSELECT customer_id, name FROM customers\n'
                   "WHERE region = 'Nordics' AND support_plan = 'SUP-CRITICAL'\nORDER BY name\n\"\"\""),
)

FORM_CUSTOMER = "CUS-0042"
FORM_PRODUCT = "SNS-LVL-100"


def _check_form_inquiry(connection: sqlite3.Connection) -> Verdict:
    rows = pd.read_sql_query("SELECT * FROM inquiries", connection)
    if rows.empty:
        return unattempted("There is no inquiry in your database yet: fill in the form and press Save.")
    mine = rows[rows.customer_id == FORM_CUSTOMER]
    if mine.empty:
        return incorrect(f"Your inquiries are for {', '.join(sorted(set(rows.customer_id)))}, not for the customer "
                         f"in the call ({FORM_CUSTOMER}).")
    for row in mine.itertuples():
        if (row.channel, row.category, row.product_id) == ("phone", "battery", FORM_PRODUCT) \
                and "battery" in str(row.question).lower():
            return correct(f"Inquiry {row.inquiry_id} is logged with the right customer, channel, category and "
                           "product.")
    row = mine.iloc[-1]
    problems = []
    if row.channel != "phone":
        problems.append(f"the channel is {row.channel!r} but the customer phoned")
    if row.category != "battery":
        problems.append(f"the category is {row.category!r}; the call is about battery life")
    if row.product_id != FORM_PRODUCT:
        problems.append(f"the product is {row.product_id!r}; the customer asked about the tank level sensor")
    if "battery" not in str(row.question).lower():
        problems.append("the question does not mention the battery")
    return incorrect("Your inquiry was saved, but " + checks.join_words(problems) + ".")


q10 = Question(
    id="L1.q10", title="Log a phone call with the inquiry form", behaviours=("1.3", "1.1"), answer=DATABASE,
    prompt=(f"Customer {FORM_CUSTOMER} phoned: 'How long will the battery last in the L1 tank level sensor "
            f"({FORM_PRODUCT}) if it reports every 5 minutes?' Log it with the inquiry form and press Save."),
    grader=checks.database(_check_form_inquiry),
    hints=("Every field matters: who called, how they contacted us, what it is about, which product.",
           f"Customer id {FORM_CUSTOMER}, channel phone, category battery, product {FORM_PRODUCT}, and the "
           "customer's question in their words."),
    solution_code=(f'inquiry_form.fill(customer_id="{FORM_CUSTOMER}", channel="phone", category="battery",\n'
                   f'                  product_id="{FORM_PRODUCT}", question="How long will the battery last ...?")\n'
                   "inquiry_form.save()"),
)


def _rejected_legacy() -> list[str]:
    legacy = load("legacy_inquiries")
    rejected = []
    with db.read_only() as connection:
        for row in legacy.itertuples(index=False):
            values = {k: (None if pd.isna(v) else v) for k, v in row._asdict().items() if k != "legacy_ref"}
            try:
                db.validate("inquiries", values, connection)
            except db.DataEntryError:
                rejected.append(row.legacy_ref)
    return rejected


q11 = Question(
    id="L1.q11", title="Which old CRM rows would the database reject?", behaviours=("1.3",),
    answer="rejected_refs",
    prompt=("Try to import every row of legacy_inquiries through the safe helper (log_inquiry) and list the "
            "legacy_ref of each row that is rejected."),
    grader=checks.collection(_rejected_legacy, item="rejected row"),
    hints=("Loop over the rows; call log_inquiry inside try / except DataEntryError; keep the legacy_ref of the "
           "rows that raise.",
           "for row in legacy.itertuples(): try: log_inquiry(customer_id=row.customer_id, ...) except "
           "DataEntryError: rejected_refs.append(row.legacy_ref)"),
    solution_code=("rejected_refs = []\nfor row in legacy.itertuples():\n    try:\n        log_inquiry(...)\n"
                   "    except DataEntryError as problem:\n        rejected_refs.append(row.legacy_ref)"),
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11]
