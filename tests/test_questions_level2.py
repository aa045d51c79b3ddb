"""Level 2 questions: a right answer, wrong answers (with the reason the trainee reads) and a missing one.

Right answers are computed here independently of the question module: from the tickets linked to
the calls, the generator's own support-hours clock, plain pandas filters on the catalogue and
the device data, and the trainers' answer keys stored with the data.
"""

import math

import pandas as pd
import pytest

from ssup.data import load
from ssup.data.generate import PLAN_SCHEDULE, add_covered_hours, covered_hours_between
from ssup.data.troubleshooting import CASES
from ssup.questions import level2
from tests.questionkit import Case, Lazy, make_tests


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def call(call_id):
    return load("call_transcripts").set_index("call_id").loc[call_id]


def company(customer_id):
    name = load("customers").set_index("customer_id").loc[customer_id, "name"]
    return name.rsplit(" ", 1)[0]  # every registered name ends in a legal suffix (Ltd, GmbH, ...)


# -- q1: the ticket from CALL-003 is the ticket it became ------------------------------------------
def linked_ticket():
    row = load("tickets").set_index("ticket_id").loc[call("CALL-003")["ticket_id"]]
    return {"customer_id": row.customer_id, "product_id": row.product_id, "category": row.category,
            "priority": row.priority}


def ticket_with(**changes):
    return Lazy(lambda: {**linked_ticket(), **changes})


def other_customer():
    return load("customers").query("customer_id != @linked_ticket()['customer_id']").customer_id.iloc[0]


def other_priority():
    return next(p for p in ("P1", "P2", "P3", "P4") if p != linked_ticket()["priority"])


# -- q2 and q5: writing, built from the facts recorded with the call --------------------------------
def since_words(row):
    text = str(row.problem_since)
    return text.replace("since ", "").replace("about ", "around ")


def ticket_text(count=None, vague=""):
    row = call("CALL-003")
    n = row.devices_affected if count is None else count
    label = load("products").set_index("product_id").loc[row.product_id, "name"]
    impact = ("no readings or alarms for the whole site, no workaround" if row.production_stopped else
              "manual rounds meanwhile" if row.workaround else "no alarms and no other way to check")
    changed = {"new firewall": "a new firewall was installed", "power cut": "there was a power cut"}
    change = next((text for key, text in changed.items() if key in str(row.what_changed)), "nothing changed")
    since = f" since {since_words(row)}" if pd.notna(row.problem_since) else ""
    return (f"{company(row.customer_id)}: all {n} sensors at {row.location} offline{since}. {label} shows a "
            f"flashing green light. Before it stopped, {change}. Impact: {impact}. {vague}Please check the "
            "gateway connection and firewall with their IT team.")


def visit_text(warranty="Not covered by warranty.", count=None, day=None):
    row = call("CALL-005")
    n = row.devices_affected if count is None else count
    label = load("products").set_index("product_id").loc[row.product_id, "name"]
    quote_day = day or str(row.next_step).split(" by ")[1].split(";")[0]
    return (f"Visit at {company(row.customer_id)}: {n} x {label} in {row.location} stopped reporting "
            f"{row.problem_since}. Water got in when the new cleaner started pressure-washing. {warranty} "
            f"Next step: quote for {n} replacements with splash guards by {quote_day}.")


# -- q3: the answer key stored with the call ------------------------------------------------------------
def missed():
    return str(call("CALL-004").missed_steps).split(";")


def a_step_done():
    return next(step for step in ("greeting", "identify", "product", "scope", "since_when", "summary",
                                  "reference", "anything_else") if step not in missed())


# -- q6 and q7: the generator's own clock, a different implementation from ssup.support ---------------
def sla_rows():
    tickets = load("tickets")
    plans = load("customers").set_index("customer_id")["support_plan"]
    targets = load("products").set_index("product_id")
    rows = []
    for t in tickets.itertuples():
        plan = plans[t.customer_id]
        target = float(targets.loc[plan, f"p{t.priority[1]}_response_hours"])
        rows.append((t.ticket_id, plan, t.created_at, t.first_response_at, target))
    return pd.DataFrame(rows, columns=["ticket_id", "plan", "created_at", "first_response_at", "target"])


def breaches(plan="SUP-PREMIUM", year=2025, clock=False):
    table = sla_rows()
    table = table[table.first_response_at.notna()]
    if plan:
        table = table[table.plan == plan]
    if year:
        table = table[table.created_at.dt.year == year]
    count = 0
    for r in table.itertuples():
        hours = ((r.first_response_at - r.created_at).total_seconds() / 3600 if clock else
                 covered_hours_between(r.created_at.to_pydatetime(), r.first_response_at.to_pydatetime(),
                                       PLAN_SCHEDULE[r.plan]))
        count += hours > r.target + 1e-9
    return count


def open_queue():
    table = sla_rows()
    table = table[table.first_response_at.isna()].copy()
    table["due"] = [add_covered_hours(r.created_at.to_pydatetime(), r.target, PLAN_SCHEDULE[r.plan])
                    for r in table.itertuples()]
    return table.sort_values(["due", "ticket_id"])


def closed_ticket():
    return load("tickets").query("status == 'closed'").ticket_id.iloc[0]


def later_open_ticket():
    queue = open_queue()
    return queue[queue.due > queue.due.min() + pd.Timedelta(hours=1)].ticket_id.iloc[-1]


# -- q8, q9, q12: catalogue -------------------------------------------------------------------------------
def article(title_start):
    articles = load("kb_articles")
    return articles.loc[articles.title.str.startswith(title_start), "article_id"].iloc[0]


def shortest_minutes():
    quota = load("products").set_index("product_id").loc["PLT-STARTER", "messages_per_day"]
    return math.ceil(45 * 86_400 / quota / 60) * 60


def freezer_sensors():
    p = load("products")
    c = load("compatibility")
    indoor = set(c.loc[c.compatible_with == "GW-LRW-IN", "product_id"])
    ip = p.ip_rating.str.extract(r"IP(\d)(\d)").astype(float)
    temperature = (p.name + " " + p.description).str.contains("emperature|cold chain", case=False)
    keep = ((p.category == "sensor") & p.active & temperature & (p.operating_temp_min_c <= -35)
            & (ip[0] >= 6) & (ip[1] >= 5) & p.product_id.isin(indoor) & (p.battery_life_years >= 4))
    return sorted(p.loc[keep.fillna(False).astype(bool), "product_id"])


def colder_than(limit):
    p = load("products")
    return p.loc[(p.category == "sensor") & (p.operating_temp_min_c > limit) & p.name.str.contains("Temperature"),
                 "product_id"].iloc[0]


# -- q10 and q11: device data ------------------------------------------------------------------------------
def gateway_update_day():
    case = load("device_telemetry").query("case_id == 'DX-1' and role == 'gateway'").sort_values("date")
    return case.loc[case.firmware_version == "3.2.0", "date"].min()


def dx1_ticket_day():
    case = load("device_telemetry").query("case_id == 'DX-1'")
    return load("tickets").set_index("ticket_id").loc[case.ticket_id.iloc[0], "created_at"].normalize()


def dx1_first_day():
    return load("device_telemetry").query("case_id == 'DX-1'").date.min()


CASES_L2 = {
    "L2.q1": Case(right=[Lazy(linked_ticket), Lazy(lambda: {k: v.lower() for k, v in linked_ticket().items()})],
                  wrong=[(Lazy(lambda: {**linked_ticket(), "customer_id": other_customer()}),
                          "not the caller's company"),
                         (ticket_with(product_id="SNS-TMP-100"), "label"),
                         (Lazy(lambda: {**linked_ticket(), "priority": other_priority()}), "rules"),
                         (ticket_with(category="billing"), "does not describe"),
                         (Lazy(lambda: {k: v for k, v in linked_ticket().items() if k != "priority"}),
                          "has no priority"),
                         ("CUS-0001", "should be a dict")],
                  missing={"customer_id": ..., "product_id": ..., "category": ..., "priority": ...}),
    "L2.q2": Case(right=[Lazy(ticket_text)],
                  wrong=[(Lazy(lambda: ticket_text(vague="Customer wants it fixed asap. ")), "vague word 'asap'"),
                         (Lazy(lambda: ticket_text(count=999)), "different number"),
                         (Lazy(lambda: ticket_text() + " Two sensors were replaced last year."), "different number"),
                         ("Gateway down, please call.", "too short"),
                         (Lazy(lambda: ticket_text().replace("flashing green light", "light")), "status light"),
                         (7, "text in quotes")],
                  missing=""),
    "L2.q3": Case(right=[Lazy(missed), Lazy(lambda: [s.upper() for s in reversed(missed())]),
                         Lazy(lambda: set(missed()))],
                  wrong=[(Lazy(lambda: missed() + [a_step_done()]), "did do"),
                         (Lazy(lambda: missed()[:-1]), "more"),
                         (Lazy(lambda: missed() + ["politeness"]), "not a step"),
                         (Lazy(lambda: missed() + missed()[:1]), "twice"),
                         ("summary", "list of step ids")]),
    "L2.q4": Case(right=[["B", "A", "C", "B", "C"], "BACBC", ["b", "a", "c", "b", "c"]],
                  wrong=[(["A", "A", "C", "B", "C"], "turn 1"), (["B", "A"], "not over"),
                         (["B", "Z"], "do not fit"), (["B", "A", "C", "B", "C", "A"], "one too many"),
                         (5, "list of letters"), (["B", "A", "A", "B", "C"], "turn 3")],
                  missing=[]),
    "L2.q5": Case(right=[Lazy(visit_text), Lazy(lambda: visit_text("The warranty doesn't cover water damage."))],
                  wrong=[(Lazy(lambda: visit_text("We will replace them under warranty.")), "warranty covers it"),
                         (Lazy(lambda: visit_text("Replacement is free of charge.")), "warranty covers it"),
                         (Lazy(lambda: visit_text(warranty="")), "does not yet state that the warranty"),
                         (Lazy(lambda: visit_text(day="soon")), "vague word 'soon'"),
                         (Lazy(lambda: visit_text(day="next month")), "the agreed next step"),
                         (Lazy(lambda: visit_text() + " Also checked 99 other sensors."), "different number")],
                  missing=""),
    "L2.q6": Case(right=[Lazy(breaches), Lazy(lambda: float(breaches()))],
                  wrong=[(Lazy(lambda: breaches(clock=True)), "clock hours"),
                         (Lazy(lambda: breaches(plan=None)), "every plan"),
                         (Lazy(lambda: breaches(year=None)), "every year"), ("103", "should be a number"),
                         (0, "too low")]),
    "L2.q7": Case(right=[Lazy(lambda: open_queue().ticket_id.iloc[0]),
                         Lazy(lambda: open_queue().ticket_id.iloc[0].lower())],
                  wrong=[(Lazy(lambda: open_queue().sort_values("created_at").ticket_id.iloc[0]), "oldest"),
                         (Lazy(closed_ticket), "not waiting"), (Lazy(later_open_ticket), "due"),
                         ("TKT-99999", "not a ticket id"), (42, "ticket id in quotes")]),
    "L2.q8": Case(right=[Lazy(lambda: article("Daily message quota")),
                         Lazy(lambda: article("Daily message quota").lower())],
                  wrong=[(Lazy(lambda: article("Known issue")), "firmware"),
                         (Lazy(lambda: article("Kestrel LoRaWAN Indoor Gateway offline")), "not offline"),
                         (Lazy(lambda: article("Changing platform tier")), "first send"),
                         ("quota", "not an article id"), (28, "text in quotes")]),
    "L2.q9": Case(right=[Lazy(shortest_minutes), Lazy(lambda: float(shortest_minutes()))],
                  wrong=[(60, "too short"), (Lazy(lambda: shortest_minutes() + 60), "shorter"), (78, "whole number"),
                         ("120", "number of seconds"), (-60, "positive")]),
    "L2.q10": Case(right=[CASES["DX-4"][2], " " + CASES["DX-4"][2].upper()],
                   wrong=[("low_battery", "drains early"), ("firmware_320", "missing-data tree"),
                          ("battery_ok", "not healthy"), ("banana", "choose one of"), (4, "choose one of")]),
    "L2.q11": Case(right=[Lazy(lambda: f"{gateway_update_day():%Y-%m-%d}"), Lazy(gateway_update_day),
                          Lazy(lambda: gateway_update_day().to_pydatetime().date())],
                   wrong=[(Lazy(lambda: f"{dx1_ticket_day():%Y-%m-%d}"), "raised the ticket"),
                          (Lazy(dx1_first_day), "first day of the extract"),
                          (Lazy(lambda: gateway_update_day() + pd.Timedelta(days=2)), "already started"),
                          (20250330, "should be a date"), ("the day of the update", "should be a date")]),
    "L2.q12": Case(right=[Lazy(freezer_sensors), Lazy(lambda: set(s.lower() for s in freezer_sensors())),
                          Lazy(lambda: pd.Series(freezer_sensors()))],
                   wrong=[(Lazy(lambda: freezer_sensors() + [colder_than(-35)]), "should not be in your list"),
                          (Lazy(lambda: freezer_sensors()[:1]), "more also"),
                          (Lazy(lambda: freezer_sensors() + ["GW-LRW-IN"]), "not a sensor"),
                          ("SNS-TMP-100", "list of product ids")]),
}

test_every_question_has_cases, test_question = make_tests(level2, CASES_L2)


def test_level2_has_questions_on_every_behaviour():
    assert len(level2.QUESTIONS) >= 8
    assert {b for q in level2.QUESTIONS for b in q.behaviours} == {"2.1", "2.2", "2.3"}
    assert all(len(q.hints) >= 2 for q in level2.QUESTIONS)


def test_call_ticket_priority_follows_the_rules_from_the_recorded_facts():
    from ssup import service

    for row in load("call_transcripts").itertuples():
        facts = {"devices_affected": row.devices_affected, "production_stopped": row.production_stopped,
                 "degraded": True, "workaround": row.workaround}
        assert service.priority(facts) == row.priority, row.call_id

