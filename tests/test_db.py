"""The trainee's database: real constraints, safe writes that explain themselves and change nothing
when they refuse, parameters that store injection strings as text, and quick resets."""

import hashlib
import sqlite3

import pytest

from ssup import db
from ssup.db import DataEntryError


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))
    db.reset()


def fingerprint():
    return hashlib.sha256(db.database_path().read_bytes()).hexdigest()


GOOD = dict(customer_id="CUS-0042", channel="email", category="billing",
            question="Can we move our invoice date to the 1st?", received_at="2026-07-01 09:00:00")


def test_build_loads_every_table_with_keys_enforced():
    with db.connect() as connection:
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        counts = {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in db.table_names()}
    assert counts["tickets"] >= 8000 and counts["customers"] >= 300 and counts["products"] >= 25
    assert counts["inquiries"] == 0 and counts["escalations"] == 0


def test_schema_has_real_constraints():
    schema = db.schema_sql()
    for keyword in ("PRIMARY KEY", "FOREIGN KEY", "NOT NULL", "CHECK", "UNIQUE"):
        assert keyword in schema


@pytest.mark.parametrize("sql", [
    "INSERT INTO inquiries (received_at, customer_id, channel, category, question) VALUES "
    "('2026-07-01 09:00:00', 'CUS-0042', 'fax', 'billing', 'A long enough question')",
    "INSERT INTO inquiries (received_at, customer_id, channel, category, question) VALUES "
    "('2026-07-01 09:00:00', 'CUS-9999', 'email', 'billing', 'A long enough question')",
    "INSERT INTO escalations (ticket_id, team, priority, handover_note, created_by, created_at) VALUES "
    "('TKT-00001', 'Billing', 'P9', 'A note that is long enough to pass the rule.', 'AGT-001', '2026-07-01 09:00:00')",
    "INSERT INTO customers (customer_id, name) VALUES ('CUS-0001', 'Duplicate')",
])
def test_constraints_reject_bad_rows_at_the_database_level(sql):
    with db.connect() as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute(sql)


@pytest.mark.parametrize("change,phrase", [
    (dict(channel="fax"), "not an allowed channel"),
    (dict(customer_id="CUS-9999"), "no customer"),
    (dict(question="short"), "too short"),
    (dict(question="x" * 2001), "too long"),
    (dict(question=""), "required"),
    (dict(category="conectivity"), "not an allowed category"),
    (dict(received_at="2024-02-30 10:00:00"), "not a date"),
    (dict(received_at="31/01/2024 14:49"), "not a date"),
    (dict(contact_id="CON-00005"), "do not belong together"),
    (dict(product_id="SNS-TEMP-100"), "no product"),
    (dict(customer_id=42), "must be text"),
    (dict(question=float("nan")), "not a number"),
])
def test_rejected_write_explains_itself_and_leaves_the_file_unchanged(change, phrase):
    before = fingerprint()
    with pytest.raises(DataEntryError) as refused:
        db.log_inquiry(**{**GOOD, **change})
    message = str(refused.value)
    assert phrase in message and message.endswith(".") and "constraint" not in message.lower()
    assert fingerprint() == before


def test_injection_string_is_stored_as_text():
    attack = "x'); DROP TABLE customers; --"
    inquiry_id = db.log_inquiry(**{**GOOD, "question": attack})
    stored = db.query("SELECT question FROM inquiries WHERE inquiry_id = ?", (inquiry_id,))["question"][0]
    assert stored == attack
    assert db.query("SELECT COUNT(*) AS n FROM customers")["n"][0] >= 300


def test_escalation_needs_exactly_one_record_and_a_real_note():
    with pytest.raises(DataEntryError, match="exactly one"):
        db.create_escalation(team="Billing", priority="P3", handover_note="n" * 50, created_by="AGT-001")
    with pytest.raises(DataEntryError, match="too short"):
        db.create_escalation(ticket_id="TKT-00001", team="Billing", priority="P3", handover_note="call them",
                             created_by="AGT-001")
    with pytest.raises(DataEntryError, match="allowed team"):
        db.create_escalation(ticket_id="TKT-00001", team="Plumbing", priority="P3", handover_note="n" * 50,
                             created_by="AGT-001")
    escalation_id = db.create_escalation(ticket_id="TKT-00001", team="Billing", priority="P3",
                                         handover_note="Invoice query; customer wants a credit note by Friday.",
                                         created_by="AGT-001")
    assert db.query("SELECT team FROM escalations WHERE escalation_id = ?", (escalation_id,))["team"][0] == "Billing"


def test_update_checks_fields_and_unknown_rows():
    inquiry_id = db.log_inquiry(**GOOD)
    db.update("inquiries", inquiry_id, status="answered", answered_by="AGT-002")
    assert db.query("SELECT status FROM inquiries")["status"][0] == "answered"
    with pytest.raises(DataEntryError, match="allowed status"):
        db.update("inquiries", inquiry_id, status="done")
    with pytest.raises(DataEntryError, match="no row"):
        db.update("inquiries", 999, status="answered")
    with pytest.raises(DataEntryError, match="no field"):
        db.update("inquiries", inquiry_id, colour="red")


def test_reset_undoes_every_write():
    db.log_inquiry(**GOOD)
    db.reset()
    assert db.query("SELECT COUNT(*) AS n FROM inquiries")["n"][0] == 0


def test_read_only_connection_cannot_write():
    with db.read_only() as connection, pytest.raises(sqlite3.OperationalError):
        connection.execute("DELETE FROM products")


def test_data_dir_change_rebuilds_from_the_new_data(tmp_path, monkeypatch):
    from ssup.data.generate import generate

    other = tmp_path / "other"
    generate(other, seed=11)
    monkeypatch.setenv("SSUP_DATA_DIR", str(other))
    names_other = set(db.query("SELECT name FROM customers")["name"])
    monkeypatch.delenv("SSUP_DATA_DIR")
    names_default = set(db.query("SELECT name FROM customers")["name"])
    assert names_other != names_default


def test_integrity_errors_become_sentences():
    assert "already used" in db.explain_integrity_error(sqlite3.IntegrityError("UNIQUE constraint failed: contacts.email"))
    assert "required" in db.explain_integrity_error(sqlite3.IntegrityError("NOT NULL constraint failed: inquiries.question"))
    assert "does not exist" in db.explain_integrity_error(sqlite3.IntegrityError("FOREIGN KEY constraint failed"))
