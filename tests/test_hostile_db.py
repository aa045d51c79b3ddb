"""Hostile data entry: the database helpers against wrong types, out-of-range values, constraint
violations, injection strings and very long text.

Every write either is rejected with one plain sentence (:class:`ssup.db.DataEntryError`) and
leaves the database file byte-for-byte as it was (its SHA-256 is compared), or is stored safely:
the text reads back exactly as given and nothing else in the database changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import re
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssup import db
from ssup.db import DataEntryError

#: A sentence a trainee can act on: not SQLite's wording, not a dump of what they typed.
MAX_MESSAGE = 500

GOOD_INQUIRY = dict(customer_id="CUS-0042", channel="email", category="billing", product_id=None,
                    question="Can we move our invoice date to the 1st of the month?",
                    received_at="2026-07-01 09:00:00")
GOOD_ESCALATION = dict(ticket_id="TKT-00001", team="Billing", priority="P3", created_by="AGT-001",
                       handover_note="Invoice query: the customer wants a credit note for March by Friday.",
                       created_at="2026-07-01 09:00:00")

INJECTION = [
    "x'); DROP TABLE customers; --",
    "Robert'); DELETE FROM inquiries WHERE ('1'='1",
    "' OR '1'='1' -- please call me back about my invoice",
    "\"; UPDATE products SET list_price_gbp = 0; --",
    "1; ATTACH DATABASE '/tmp/pwn.sqlite' AS pwn; --",
    "%' UNION SELECT name, sql FROM sqlite_master --",
]


@pytest.fixture(scope="module", autouse=True)
def trainee_home(tmp_path_factory):
    saved = os.environ.get("SSUP_HOME")
    os.environ["SSUP_HOME"] = str(tmp_path_factory.mktemp("hostile-db"))
    db.reset()
    PRISTINE.update(counts())
    yield
    if saved is None:
        os.environ.pop("SSUP_HOME", None)
    else:
        os.environ["SSUP_HOME"] = saved


def fingerprint() -> str:
    return hashlib.sha256(db.database_path().read_bytes()).hexdigest()


#: Rows per table in the freshly reset database (every test leaves the database reset).
PRISTINE: dict[str, int] = {}


def counts() -> dict[str, int]:
    with db.read_only() as connection:
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in db.table_names()}


def short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."


def assert_sentence(message: str, given: str) -> None:
    assert isinstance(message, str) and message.strip(), f"empty message for {given}"
    assert len(message) <= MAX_MESSAGE, f"a message of {len(message):,} characters for {given}: {message[:150]}..."
    assert "\n" not in message.strip(), f"more than one line for {given}: {message!r}"
    assert message.rstrip().endswith((".", "?", "!")), f"not a sentence for {given}: {message!r}"
    assert not re.search(r"Traceback|constraint failed|sqlite3?\.|Error:", message), \
        f"machine wording for {given}: {message!r}"


def attempt(write: Callable[[], Any], given: str) -> Any:
    """Run a write: a rejection must be a sentence and change no byte of the database file."""
    before = fingerprint()
    try:
        return write()
    except DataEntryError as refused:
        assert_sentence(str(refused), given)
        assert fingerprint() == before, f"the database changed although {given} was rejected"
        return None
    except Exception as error:  # noqa: BLE001
        assert fingerprint() == before, f"the database changed although {given} raised {type(error).__name__}"
        pytest.fail(f"{given} raised {type(error).__name__} ({short(str(error))}), not a DataEntryError sentence")


# -- each field with values of the wrong type, out of range, or hostile ---------------------------
class Weird:
    def __repr__(self) -> str:
        return "Weird()"


WRONG = [
    None, "", "   ", 0, -1, 3.5, float("nan"), float("inf"), -float("inf"), True, False, 2**63, -(2**63) - 1, 10**30,
    decimal.Decimal("1.5"), np.int64(7), np.float64("nan"), 1j, b"CUS-0042", bytearray(b"x"), ["CUS-0042"],
    ("CUS-0042",), {"id": "CUS-0042"}, {"CUS-0042"}, Weird(), object(), dt.date(2026, 7, 1),
    dt.datetime(2026, 7, 1, 9, 30), pd.Timestamp("2026-07-01 09:30"), pd.NA, pd.NaT, np.nan,
    "x" * 1_000_000, "\x00", "CUS-0042\x00", "café ☕", "١٢٣", "\u202e9999-SUC", "CUS-0042 ", " CUS-0042",
    "cus-0042", "9999-12-31 23:59:59", "0000-00-00 00:00:00", "2026-02-29 10:00:00", "2026-07-01T09:00:00",
    "2026-07-01 25:00:00", "1970-01-01", "-1", "1e999", "NaN", "NULL", "null", "None",
] + INJECTION


FREE_TEXT = ("question", "handover_note")

def field_cases() -> list[Any]:
    cases = []
    for helper, good in (("log_inquiry", GOOD_INQUIRY), ("create_escalation", GOOD_ESCALATION)):
        for field in good:
            for index, value in enumerate(WRONG):
                cases.append(pytest.param(helper, field, value, id=f"{helper}-{field}-{index}"))
    return cases


def same_as_stored(field: str, given: str, stored: Any) -> bool:
    """Text reads back as typed (trimmed); a blank optional field is empty; times may be normalised."""
    text = given.strip()
    if field.endswith("_at"):
        if not text:
            return isinstance(stored, str) and bool(stored)  # defaults to now
        return dt.datetime.fromisoformat(text) == dt.datetime.fromisoformat(stored)
    if not text:
        return stored is None
    return stored == text


@pytest.mark.parametrize("helper,field,value", field_cases())
def test_each_field_refuses_or_stores_safely(helper, field, value):
    good = GOOD_INQUIRY if helper == "log_inquiry" else GOOD_ESCALATION
    table = "inquiries" if helper == "log_inquiry" else "escalations"
    before = PRISTINE  # every case starts from the reset database (a rejection is checked byte for byte)
    given = f"{helper}({field}={short(value)})"
    row_id = attempt(lambda: getattr(db, helper)(**{**good, field: value}), given)
    if row_id is None:
        return
    # accepted: exactly one new row, stored as given (text stays text), nothing else touched
    after = counts()
    assert after == {**before, table: before[table] + 1}, f"{given} changed other tables"
    key = "inquiry_id" if table == "inquiries" else "escalation_id"
    stored = db.query(f'SELECT "{field}" FROM "{table}" WHERE "{key}" = ?', (row_id,))[field][0]
    if isinstance(value, str):
        assert same_as_stored(field, value, stored), f"{given} was stored as {short(stored)}"
    db.reset()


@pytest.mark.parametrize("text", INJECTION)
def test_injection_strings_are_stored_as_text_in_every_free_text_field(text):
    padded = f"{text} (customer asked twice about this)"
    prices = db.query("SELECT SUM(list_price_gbp) AS p FROM products")["p"][0]
    inquiry = db.log_inquiry(**{**GOOD_INQUIRY, "question": padded})
    escalation = db.create_escalation(**{**GOOD_ESCALATION, "handover_note": padded + " " * 3 + "x" * 20})
    assert db.query("SELECT question FROM inquiries WHERE inquiry_id = ?", (inquiry,))["question"][0] == padded
    note = db.query("SELECT handover_note FROM escalations WHERE escalation_id = ?", (escalation,))["handover_note"][0]
    assert note.startswith(padded)
    with db.read_only() as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(db.table_names()) <= tables and "pwn" not in str(tables)
    assert counts()["customers"] >= 300
    assert db.query("SELECT SUM(list_price_gbp) AS p FROM products")["p"][0] == prices
    db.reset()


@pytest.mark.parametrize("table,values", [
    ("inquiries", {"colour": "red"}),
    ("inquiries", {"inquiry_id": 1, **GOOD_INQUIRY, "status": "answered", "answered_by": "AGT-999"}),
    ("inquiries", {**GOOD_INQUIRY, "status": "closed"}),
    ("inquiries", {**GOOD_INQUIRY, "contact_id": "CON-00005"}),  # a contact of another customer
    ("escalations", {**GOOD_ESCALATION, "inquiry_id": 1}),  # both an inquiry and a ticket
    ("escalations", {**GOOD_ESCALATION, "ticket_id": None}),  # neither
    ("escalations", {**GOOD_ESCALATION, "inquiry_id": 10**30, "ticket_id": None}),
    ("escalations", {**GOOD_ESCALATION, "handover_note": "   short   "}),
    ("escalations", {**GOOD_ESCALATION, "created_by": "'; DROP TABLE agents; --"}),
    ("customers", {"customer_id": "CUS-0001", "name": "A duplicate of a real customer"}),
    ("products", {"product_id": "SNS-TMP-100"}),
    ("no_such_table", {"x": 1}),
    ("inquiries; DROP TABLE customers", {"x": 1}),
    ("sqlite_master", {"name": "x"}),
])
def test_constraint_violations_through_insert_are_sentences(table, values):
    given = f"insert({table!r}, {short(values)})"
    assert attempt(lambda: db.insert(table, **values), given) is None, f"{given} was accepted"
    assert db.query("SELECT COUNT(*) AS n FROM customers")["n"][0] >= 300


@pytest.mark.parametrize("changes", [
    {"status": "done"}, {"status": None}, {"answered_by": "AGT-999"}, {"question": "x" * 5000},
    {"question": ""}, {"customer_id": ["CUS-0042"]}, {"inquiry_id": 999}, {"colour": "red"},
    {"received_at": "yesterday"}, {"channel": INJECTION[0]},
])
def test_update_refuses_with_a_sentence_and_changes_nothing(changes):
    inquiry = db.log_inquiry(**GOOD_INQUIRY)
    given = f"update(inquiries, {inquiry}, {short(changes)})"
    assert attempt(lambda: db.update("inquiries", inquiry, **changes), given) is None, f"{given} was accepted"
    db.reset()


@pytest.mark.parametrize("key", [999_999, -1, "1; DROP TABLE inquiries", None,
                                 [1], 10**30])
def test_update_of_a_row_that_does_not_exist(key):
    given = f"update(inquiries, {short(key)})"
    assert attempt(lambda: db.update("inquiries", key, status="answered"), given) is None


# -- any combination of hostile values ------------------------------------------------------------
TEXT = st.one_of(st.text(max_size=60), st.sampled_from(INJECTION), st.sampled_from(["CUS-0042", "email", "billing",
                 "phone", "SNS-LVL-100", "2026-07-01 09:00:00", "TKT-00001", "AGT-001", "Billing", "P3"]))
#: Every hostile value, huge integers and pandas' NA included.
ANY = st.one_of(TEXT, st.none(), st.integers(), st.floats(), st.booleans(),
                st.binary(max_size=10), st.lists(st.integers(), max_size=3), st.sampled_from(WRONG))
LONG = st.sampled_from(["x" * 100_000, "word " * 20_000, "'" * 3000])


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(helper=st.sampled_from(["log_inquiry", "create_escalation"]), data=st.data())
def test_any_mix_of_values_is_refused_with_a_sentence_or_stored(helper, data):
    good = GOOD_INQUIRY if helper == "log_inquiry" else GOOD_ESCALATION
    changed = data.draw(st.lists(st.sampled_from(sorted(good)), unique=True, min_size=1, max_size=3))
    values = {**good, **{name: data.draw(st.one_of(ANY, LONG) if name in FREE_TEXT else ANY, label=name)
                         for name in changed}}
    before = PRISTINE
    given = f"{helper}({short({k: values[k] for k in changed})})"
    row_id = attempt(lambda: getattr(db, helper)(**values), given)
    if row_id is not None:
        table = "inquiries" if helper == "log_inquiry" else "escalations"
        assert counts() == {**before, table: before[table] + 1}
        db.reset()
