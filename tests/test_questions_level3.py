"""Level 3 questions: right answers, wrong answers (with the reason the trainee reads) and missing ones.

Right answers are computed here independently of the question module: from the generator's answer key
(``ssup.data.presales.build`` recreates the committed documents and says what it made vague, which
claims it falsified and the figures it drew) and from the catalogue read with SQL, never from
``ssup.questions.level3``.
"""

from __future__ import annotations

import math

import pytest

from ssup import db
from ssup.data import load, presales
from ssup.data.generate import DEFAULT_SEED, child_rng
from ssup.questions import level3
from tests.questionkit import Case, Lazy, make_tests


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


_KEY: dict = {}


def key() -> dict:
    """The generator's answer key for the committed data (seed 2026)."""
    if not _KEY:
        frames = {n: load(n) for n in ("products", "customers", "installed_base", "contacts", "agents")}
        _KEY.update(presales.build(child_rng(DEFAULT_SEED, presales.TABLE.name), frames).key)
    return _KEY


def needs() -> list[dict]:
    return key()["DSC-02"]["needs"]


def fields() -> dict:
    return key()["DSC-02"]["fields"]


def product(product_id: str, column: str):
    return db.query(f"SELECT {column} FROM products WHERE product_id = ?", (product_id,))[column][0]


def vague() -> list[int]:
    return [n["note"] for n in needs() if n["vague"]]


def musts() -> list[int]:
    return [n["note"] for n in needs() if n["priority"] == "Must"]


def shoulds() -> list[int]:
    return [n["note"] for n in needs() if n["priority"] == "Should"]


def precise_notes() -> list[int]:
    return [n["note"] for n in needs() if not n["vague"]]


# -- 3.1 ---------------------------------------------------------------------------------------------------
GOOD_QUESTION = ("When you say you want to see the condition of every machine in real time, how many minutes old may a "
                 "reading be, and how often should each sensor report?")


def requirement(minutes=None, velocity=None, word="shall", extra="") -> str:
    f = fields()
    return (f"The system {word} send an SMS and an email to the maintenance planner within "
            f"{minutes or f['alarm']} minutes of a vibration velocity above {velocity or f['mms']:g} mm/s{extra}.")


def summary(drop_open=False, no_answers=False, no_signoff=False) -> str:
    """A summary written by hand from the key (not with ssup.requirements)."""
    k = key()["DSC-02"]
    answers = {}
    for line in open_notes_text().splitlines():
        if line.startswith("- Note "):
            number, answer = line[len("- Note "):].split(":", 1)
            answers[int(number.split()[0])] = answer.strip()
    lines = [f"# Requirements summary: {k['customer']}", "", "## Agreed", ""]
    for need in needs():
        if need["vague"] and need["answered"]:
            criterion = "see the call" if no_answers else answers[need["note"]]
            lines.append(f"- REQ-{need['note']:02d} ({need['priority']}): {criterion}")
        elif not need["vague"]:
            lines.append(f"- REQ-{need['note']:02d} ({need['priority']}): {need['precise']}")
    lines += ["", "## Open questions", ""]
    if not drop_open:
        lines.append(f"- REQ-{k['open_note']:02d}: still to be agreed: what exactly is meant?")
    if not no_signoff:
        lines += ["", "## Sign-off", "", "Signature: ________"]
    return "\n".join(lines)


def open_notes_text() -> str:
    from ssup.data import text
    return text("presales/discovery_DSC-02")


def summary_with_vague_agreed() -> str:
    return summary().replace("## Open questions", "- REQ-02 again: they want fast warnings\n\n## Open questions")


def erp_answer(price=None, extra="") -> str:
    price = product("SVC-INT-ERP", "list_price_gbp") if price is None else price
    return (f"Comply. Kestrel's ERP Integration service (SVC-INT-ERP, £{price:,.2f}) connects Kestrel Cloud "
            f"Enterprise (PLT-ENT) to SAP S/4HANA through the REST API, so that every excursion blocks the affected "
            f"stock automatically{extra}. We test it with the Buyer before go-live.")


# -- 3.2 ---------------------------------------------------------------------------------------------------
def rfp_key() -> dict:
    return key()["RFP-02"]


def compliance() -> dict[str, str]:
    f = rfp_key()["fields"]
    return {
        "3.2": "comply" if f["probe_min"] >= -80 else "non-comply",          # T2 probes: -80 to +150 C
        "4.2": "comply" if f["retention"] * 365 <= product("PLT-ENT", "retention_days") else "partial",
        "4.3": "comply" if f["battery"] <= product("SNS-TMP-200", "battery_life_years") else "non-comply",
        "5.1": "comply" if f["response"] >= product("SUP-CRITICAL", "p1_response_hours") * 60 else "non-comply",
    }


def flipped(ref: str) -> dict[str, str]:
    answer = dict(compliance())
    answer[ref] = "comply" if answer[ref] != "comply" else "non-comply"
    return answer


def contradicted() -> list[str]:
    return sorted({pid for pid, _ in rfp_key()["contradictions"]})


def clean_product() -> str:
    draft_products = ["SNS-TMP-100", "SNS-TMP-200", "SNS-TMP-300", "GW-LRW-IN", "PLT-ENT", "SUP-CRITICAL", "SVC-INT-ERP"]
    return next(p for p in draft_products if p not in contradicted())


# -- 3.3 ---------------------------------------------------------------------------------------------------
def devices() -> int:
    return fields()["devices"]


def tier() -> str:
    f = fields()
    per_day = f["devices"] * 1440 / f["interval"]
    limits = db.query("SELECT product_id, max_devices, messages_per_day, retention_days FROM products "
                      "WHERE category = 'platform' ORDER BY list_price_gbp")
    for row in limits.itertuples():
        if f["devices"] <= row.max_devices and per_day <= row.messages_per_day and f["years"] * 365 <= row.retention_days \
                and row.product_id != "PLT-STARTER":          # the SAP and Power BI needs want the full REST API
            return row.product_id
    raise AssertionError("no tier")


def other_tier(fits: bool) -> str:
    order = ["PLT-STARTER", "PLT-PRO", "PLT-ENT"]
    index = order.index(tier())
    return order[index + 1] if fits and index < 2 else order[max(index - 1, 0)]


def gateways_per_plant() -> int:
    f = fields()
    per_plant = math.ceil(f["devices"] / f["sites"])
    peak = per_plant * 1440 / f["interval"] / 1440 * 2
    return max(1, math.ceil(per_plant / 500), math.ceil(peak / 600), math.ceil(f["area"] / 5000))


def bi_advice(limit=None, calls=None, better=" Use MQTT forwarding into your database instead, or read up to 200 "
              "devices per call.") -> str:
    f = fields()
    limit = product(tier(), "api_calls_per_minute") if limit is None else limit
    calls = f["devices"] / f["bi"] if calls is None else calls
    return (f"Asking for each of the {f['devices']} sensors one by one every {f['bi']} minutes means {calls:.1f} API "
            f"calls a minute, and {tier()} allows {limit:,} calls a minute, so it fits today but grows with every "
            f"sensor.{better}")


CASES = {
    "L3.q1": Case(right=[Lazy(vague), Lazy(lambda: set(vague())), Lazy(lambda: tuple(reversed(vague())))],
                  wrong=[(Lazy(lambda: vague() + precise_notes()[:1]), "says something a person can check"),
                         (Lazy(lambda: vague()[1:]), "more belong"),
                         (Lazy(lambda: [n for n in vague() if n != key()["DSC-02"]["open_note"]]), "waiting for an answer"),
                         (Lazy(lambda: [str(n) for n in vague()]), "whole numbers"),
                         ("1, 2, 3", "list of note numbers"), ([99], "no note 99"), (Lazy(lambda: vague() + vague()[:1]), "repeated")]),
    "L3.q2": Case(right=[GOOD_QUESTION,
                         "How often must each sensor send a reading from the machines: every 1, 5 or 15 minutes?"],
                  wrong=[("Do you really need to see the machine readings in real time, or is that too much?", "yes/no"),
                         ("What do you mean by real time for the condition of the machines in every plant, exactly?",
                          "unit that makes it measurable"),
                         ("How real-time must the machine condition readings be for your team, in minutes?", "vague word"),
                         ("How many minutes old may a reading be when a technician looks at it.", "question mark"),
                         ("Minutes?", "too short"), (3, "text in quotes")],
                  missing=""),
    "L3.q3": Case(right=[Lazy(musts)],
                  wrong=[(Lazy(lambda: musts() + shoulds()[:1]), "not a Must"), (Lazy(lambda: musts()[1:]), "more belong"),
                         ({"Must": 1}, "list of note numbers"), ([1.5], "whole numbers")]),
    "L3.q4": Case(right=[Lazy(requirement), Lazy(lambda: requirement(word="must"))],
                  wrong=[(Lazy(lambda: requirement(extra=", fast")), "vague word"),
                         (Lazy(lambda: requirement(minutes=fields()["alarm"] + 1)), "did not agree"),
                         (Lazy(lambda: requirement(word="will")), "requirement word"),
                         (Lazy(lambda: requirement(velocity=fields()["mms"] + 1)), "agreed threshold"),
                         ("Warnings shall be fast.", "too short")],
                  missing=""),
    "L3.q5": Case(right=[Lazy(summary)],
                  wrong=[(Lazy(lambda: summary(drop_open=True)), "do not list the vague need"),
                         (Lazy(lambda: summary(no_answers=True)), "customer's answer"),
                         (Lazy(lambda: summary(no_signoff=True)), "sign-off"),
                         (Lazy(summary_with_vague_agreed), "vague words"),
                         (Lazy(lambda: summary().replace("## Open questions", "## Still to do")), "Open questions"),
                         (Lazy(lambda: summary().replace(key()["DSC-02"]["customer"], "the customer")), "name the customer"),
                         (["# Summary"], "Markdown string")],
                  missing="   "),
    "L3.q6": Case(right=[Lazy(lambda: len(rfp_key()["refs"])), Lazy(lambda: float(len(rfp_key()["refs"])))],
                  wrong=[(Lazy(lambda: len({r.rstrip("ab") for r in rfp_key()["refs"]})), "numbered clauses"),
                         (Lazy(lambda: len(rfp_key()["refs"]) - len(rfp_key()["buyer_refs"])), "buyer's own"),
                         (Lazy(lambda: len(rfp_key()["refs"]) + 5), "too high"), ("18", "should be a number")]),
    "L3.q7": Case(right=[Lazy(compliance), Lazy(lambda: {k: v.upper() for k, v in compliance().items()})],
                  wrong=[(Lazy(lambda: flipped("3.2")), "For 3.2"), (Lazy(lambda: flipped("5.1")), "fastest P1"),
                         (Lazy(lambda: flipped("4.3")), "battery_life_years"),
                         ({"3.2": "comply"}, "no status for requirement"),
                         (Lazy(lambda: {**compliance(), "4.2": "maybe"}), "choose one of"), ("comply", "dict")],
                  missing={ref: ... for ref in level3.COMPLIANCE_REFS}),
    "L3.q8": Case(right=[Lazy(erp_answer)],
                  wrong=[(Lazy(lambda: erp_answer(price=product("SVC-INT-SCADA", "list_price_gbp"))), "price of another service"),
                         (Lazy(lambda: erp_answer(extra=", a seamless link")), "vague marketing words"),
                         (Lazy(lambda: erp_answer(price=1.0)), "list price"),
                         (Lazy(lambda: erp_answer().replace("Comply. ", "")), "whether we comply"),
                         ("Comply: ERP Integration does it.", "too short")],
                  missing=""),
    "L3.q9": Case(right=[Lazy(contradicted), Lazy(lambda: [p.lower() for p in contradicted()])],
                  wrong=[(Lazy(lambda: contradicted() + [clean_product()]), "should not be there"),
                         (Lazy(lambda: contradicted()[1:]), "more belong"), ("PLT-ENT", "should be a list")]),
    "L3.q10": Case(right=[Lazy(tier), Lazy(lambda: tier().lower())],
                   wrong=[("PLT-STARTER", "does not fit"), (Lazy(lambda: other_tier(fits=True)), "cheaper tier fits"),
                          ("Enterprise", "choose one of"), (2, "choose one of")]),
    "L3.q11": Case(right=[Lazy(lambda: gateways_per_plant() * fields()["sites"])],
                   wrong=[(Lazy(lambda: fields()["sites"]), "one gateway per plant"),
                          (Lazy(gateways_per_plant), "count for one plant"),
                          (Lazy(lambda: gateways_per_plant() * fields()["sites"] + 3), "too high"),
                          (Lazy(lambda: gateways_per_plant() * fields()["sites"] - 1), "too low"),
                          ("eight", "should be a number")]),
    "L3.q12": Case(right=[Lazy(bi_advice)],
                   wrong=[(Lazy(lambda: bi_advice(better=" Poll more often if you need to.")), "a better way"),
                          (Lazy(lambda: bi_advice(calls=fields()["devices"] * 2)), "polling sensor by sensor"),
                          (Lazy(lambda: bi_advice(limit=60)), "API limit"),
                          ("Use MQTT.", "too short")],
                   missing=""),
}

test_every_question_has_cases, test_question = make_tests(level3, CASES)


def test_every_behaviour_is_assessed():
    assessed = {b for q in level3.QUESTIONS for b in q.behaviours}
    assert {"3.1", "3.2", "3.3"} <= assessed
    assert len(level3.QUESTIONS) >= 8 and all(len(q.hints) >= 2 for q in level3.QUESTIONS)
