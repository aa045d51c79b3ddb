"""Level 1 questions: a right answer, wrong answers (with the reason the trainee reads) and a missing one.

Right answers are computed here independently of the question module (plain SQL or pandas on
the data), never typed in.
"""

import pandas as pd
import pytest

from ssup import db
from ssup.data import load
from ssup.db import DataEntryError, create_escalation, log_inquiry
from ssup.forms import InquiryForm
from ssup.questions import level1
from tests.questionkit import Action, Case, Lazy, make_tests


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def price(product_id):
    return db.query("SELECT list_price_gbp FROM products WHERE product_id = ?", (product_id,))["list_price_gbp"][0]


def lte_sensors():
    return list(db.query("SELECT c.product_id FROM compatibility c JOIN products p ON p.product_id = c.product_id "
                         "WHERE c.compatible_with = 'GW-LTE-M' AND p.category = 'sensor'")["product_id"])


def reply(price_gbp, days=None):
    days = days if days is not None else int(db.query("SELECT lead_time_days FROM products WHERE product_id = "
                                                      "'SNS-TMP-100'")["lead_time_days"][0])
    return (f"Hello Priya, thanks for your question. The T1 sensor costs £{price_gbp:,.2f} each, excluding VAT. "
            f"We dispatch within {days} working days of your order and it works with your LoRaWAN indoor gateway.")


def open_hardware_ticket():
    return db.query("SELECT * FROM tickets WHERE status IN ('open', 'in_progress') AND escalated = 0 "
                    "AND category = 'hardware_fault' ORDER BY created_at, ticket_id LIMIT 1").iloc[0]


def escalate(team="Field Engineering", note=None, ticket=None):
    def run():
        chosen = ticket or open_hardware_ticket()
        create_escalation(ticket_id=chosen.ticket_id, team=team, priority=chosen.priority, created_by="AGT-001",
                          handover_note=note or f"{chosen.customer_id} reports: {chosen.subject}. Product "
                                                f"{chosen.product_id}. Please arrange a site visit.")
    return Action(run)


def second_ticket():
    return db.query("SELECT * FROM tickets WHERE status = 'open' AND category = 'billing' LIMIT 1").iloc[0]


def tickets_2025():
    return load("tickets").query("created_at.dt.year == 2025")


def form(**changes):
    values = dict(customer_id="CUS-0042", channel="phone", category="battery", product_id="SNS-LVL-100",
                  question="How long will the battery last in the L1 if it reports every 5 minutes?")
    values.update(changes)
    return Action(lambda: InquiryForm(received_at="2026-07-01 09:00:00").fill(**values).save())


def import_legacy():
    rejected = []
    for row in load("legacy_inquiries").itertuples():
        fields = {k: (None if pd.isna(v) else v) for k, v in row._asdict().items() if k not in ("Index", "legacy_ref")}
        try:
            log_inquiry(**fields)
        except DataEntryError:
            rejected.append(row.legacy_ref)
    return rejected


P1_SQL = ("SELECT c.industry, COUNT(*) AS p1_tickets FROM tickets t JOIN customers c "
          "ON c.customer_id = t.customer_id WHERE t.priority = 'P1' GROUP BY c.industry")
# The rules (ssup.service) are fixed policy, not data: this answer key is read off the rules table by hand.
ROUTING = {"A": "Billing", "B": "Technical Support", "C": "Field Engineering", "D": "Presales", "E": "Technical Support"}
PRIORITIES = {"A": "P4", "B": "P1", "C": "P2", "D": "P4", "E": "P3"}
BILLING_NOTE = "Billing question about an invoice, please call the customer back today."


def escalate_billing_ticket():
    create_escalation(ticket_id=second_ticket().ticket_id, team="Billing", priority="P4", created_by="AGT-001",
                      handover_note=BILLING_NOTE)


CASES = {
    "L1.q1": Case(right=[Lazy(lambda: price("GW-LRW-OUT"))],
                  wrong=[(Lazy(lambda: price("GW-LRW-IN")), "INDOOR"), ("899", "should be a number"),
                         (Lazy(lambda: round(price("GW-LRW-OUT") * 1.2, 2)), "VAT"), (1.0, "too low")]),
    "L1.q2": Case(right=[Lazy(lte_sensors), Lazy(lambda: set(lte_sensors())),
                         Lazy(lambda: [s.lower() for s in lte_sensors()])],
                  wrong=[(Lazy(lambda: lte_sensors()[:1]), "more belong"),
                         (Lazy(lambda: lte_sensors() + ["PLT-PRO"]), "platforms"),
                         ("SNS-NRG-200", "should be a list"),
                         (Lazy(lambda: lte_sensors() + lte_sensors()[:1]), "repeated")]),
    "L1.q3": Case(right=[Lazy(lambda: reply(price("SNS-TMP-100")))],
                  wrong=[(Lazy(lambda: reply(79.0)), "out-of-date"),
                         (Lazy(lambda: reply(price("SNS-TMP-100"), days=99)), "lead time"),
                         (42, "text in quotes"), ("Hi Priya, it is fine.", "too short")],
                  missing=""),
    "L1.q4": Case(right=[ROUTING],
                  wrong=[({**ROUTING, "A": "Account Management"}, "inquiry A"), ("Billing", "dict"),
                         ({"A": "Billing"}, "no team for inquiry"), ({**ROUTING, "C": "Plumbing"}, "choose one of")],
                  missing={key: ... for key in ROUTING}),
    "L1.q5": Case(right=[PRIORITIES],
                  wrong=[({**PRIORITIES, "B": "P2"}, "inquiry B"), ({**PRIORITIES, "E": 3}, "choose one of"),
                         (["P1"], "dict")]),
    "L1.q6": Case(right=[escalate()],
                  wrong=[(escalate(team="Technical Support"), "which team"),
                         (escalate(note="Customer has a problem with a device, please help them soon."),
                          "does not yet name"),
                         (Action(escalate_billing_ticket), "not the oldest")]),
    "L1.q7": Case(right=[Lazy(lambda: tickets_2025().groupby("channel").size()),
                         Lazy(lambda: tickets_2025().groupby("channel").size().rename("tickets").reset_index()),
                         Lazy(lambda: tickets_2025()["channel"].value_counts())],
                  wrong=[(Lazy(lambda: load("tickets").groupby("channel").size()), "ALL years"),
                         (Lazy(lambda: tickets_2025().groupby("category").size()), "missing"),
                         (5, "DataFrame")]),
    "L1.q8": Case(right=[P1_SQL, "  " + P1_SQL.replace(" AS p1_tickets", " p1_tickets") + ";\n"],
                  wrong=[("SELECT industry FROM customers GROUP BY industry", "JOIN"), ("DELETE FROM tickets", "SELECT"),
                         (P1_SQL.replace("WHERE t.priority = 'P1' ", ""), "differ"),
                         ("SELECT x FROM nowhere JOIN y GROUP BY z", "did not run"), (7, "SQL query in quotes")]),
    "L1.q9": Case(right=["SELECT customer_id, name FROM customers WHERE support_plan = 'SUP-CRITICAL' AND "
                         "region = 'Nordics' ORDER BY name"],
                  wrong=[("SELECT customer_id, name FROM customers WHERE region = 'Nordics' AND support_plan = "
                          "'SUP-CRITICAL'", "ORDER BY"),
                         ("SELECT customer_id, name FROM customers WHERE region = 'DACH' ORDER BY name", "rows"),
                         ("SELECT customer_id FROM customers ORDER BY name", "missing")]),
    "L1.q10": Case(right=[form()],
                   wrong=[(form(channel="email"), "channel"), (form(customer_id="CUS-0043"), "not for the customer"),
                          (form(product_id="SNS-TMP-100"), "product")]),
    "L1.q11": Case(right=[Lazy(import_legacy)],
                   wrong=[(Lazy(lambda: import_legacy()[:-1]), "more belong"),
                          (Lazy(lambda: list(load("legacy_inquiries").legacy_ref)), "should not be there"),
                          (None, "should be a list")]),
}

test_every_question_has_cases, test_question = make_tests(level1, CASES)
