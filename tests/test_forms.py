"""The inquiry form: real widgets, live field checks, saves valid inquiries, refuses invalid ones with
the database unchanged."""

import hashlib

import pytest

from ssup import db
from ssup.forms import InquiryForm


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))
    db.reset()


VALID = dict(customer_id="CUS-0042", channel="phone", category="battery", product_id="SNS-LVL-100",
             question="How long will the battery last if it reports every 5 minutes?")


def fingerprint():
    return hashlib.sha256(db.database_path().read_bytes()).hexdigest()


def test_saving_a_valid_inquiry_writes_the_row_and_shows_it():
    form = InquiryForm(received_at="2026-07-01 09:00:00").fill(**VALID)
    inquiry_id = form.save()
    row = db.query("SELECT * FROM inquiries WHERE inquiry_id = ?", (inquiry_id,)).iloc[0]
    assert (row.customer_id, row.channel, row.category, row.product_id) == ("CUS-0042", "phone", "battery", "SNS-LVL-100")
    assert "Saved inquiry" in form.status.value and "<table" in form.status.value


def test_the_save_button_is_what_saves():
    form = InquiryForm().fill(**VALID)
    form.save_button.click()
    assert db.query("SELECT COUNT(*) AS n FROM inquiries")["n"][0] == 1


@pytest.mark.parametrize("change,phrase", [
    (dict(customer_id="CUS-9999"), "no customer"),
    (dict(customer_id=""), "required"),
    (dict(question="Hi"), "too short"),
    (dict(question=""), "required"),
    (dict(customer_id="CUS-0042'; DROP TABLE customers; --"), "no customer"),
])
def test_invalid_input_is_refused_with_a_sentence_and_nothing_changes(change, phrase):
    before = fingerprint()
    form = InquiryForm().fill(**{**VALID, **change})
    assert form.save() is None
    assert phrase in form.message and "Not saved" in form.status.value
    assert fingerprint() == before


def test_fields_are_checked_as_they_are_typed():
    form = InquiryForm()
    form.customer_id.value = "CUS-0042"
    assert "&#10003;" in form.customer_note.value
    name = db.query("SELECT name FROM customers WHERE customer_id = 'CUS-0042'")["name"][0]
    assert name.split()[0] in form.customer_note.value
    form.customer_id.value = "CUS-9999"
    assert "No customer" in form.customer_note.value
    form.question.value = "Hi"
    assert "at least" in form.question_note.value


def test_dropdowns_offer_only_allowed_values():
    form = InquiryForm()
    assert list(form.channel.options) == list(db.allowed_values("inquiries", "channel"))
    assert set(form.category.options) == set(db.allowed_values("inquiries", "category"))
    with pytest.raises(ValueError, match="no field"):
        form.fill(colour="red")
    assert repr(form).startswith("InquiryForm(")
