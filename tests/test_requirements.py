"""Tests for ssup.requirements: parsing discovery notes, vague words, MoSCoW, agreement, the sign-off summary.

The discovery notes in data/presales are generated from templates whose intent is known (which needs were
made vague, each need's priority and type): :func:`ssup.data.presales.build` returns it as an answer key,
so the parsers are checked against what the generator meant, on many random variants of the documents.
"""

from __future__ import annotations

import doctest
import re

import numpy as np
import pandas as pd
import pytest

import ssup.requirements as requirements
from ssup.data import load, presales, text
from ssup.data.generate import DEFAULT_SEED, child_rng
from ssup.requirements import (VAGUE_TERMS, agree, clarifying_question, export, find_vague, is_measurable, moscow,
                               parse_answers, parse_notes, quantities, requirement_type, strip_cue, summary_html,
                               summary_markdown)

NOTES = """# Discovery call DSC-99: Acme Foods Ltd

## Background

They want lots of things, fast (this section is not parsed).

## What they need (as heard)

1. They must monitor 40 freezers across 3 depots.
2. They need to get fast alarms when a freezer warms up; this is non-negotiable.
3. They would really like a user-friendly dashboard.
4. Nice to have: they could log door openings longer than 5 minutes.
5. Not this phase: they do not need to track the vans yet.

## Next steps

- Send the questions by Friday.

## Answers to our clarifying questions

- Note 2 (fast): An SMS to the duty manager within 10 minutes of a freezer above -18 C.
"""


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


@pytest.fixture(scope="module")
def frames():
    return {name: load(name) for name in ("products", "customers", "installed_base", "contacts", "agents")}


def test_docstring_examples():
    assert doctest.testmod(requirements, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).failed == 0


def test_parse_notes_reads_only_the_needs_section():
    reqs = parse_notes(NOTES)
    assert reqs["note"].tolist() == [1, 2, 3, 4, 5]
    assert reqs["req_id"].tolist() == ["REQ-01", "REQ-02", "REQ-03", "REQ-04", "REQ-05"]
    assert reqs["moscow"].tolist() == ["Must", "Must", "Should", "Could", "Won't"]
    assert reqs["vague"].tolist() == ["", "fast", "user-friendly", "", ""]
    assert reqs["measurable"].tolist() == [True, False, False, True, False]
    assert reqs["type"].tolist()[:3] == ["functional", "non-functional", "non-functional"]


def test_parse_notes_without_sections_and_with_nothing():
    assert len(parse_notes("1. They must log doors.\n2) They should export CSV.")) == 2
    empty = parse_notes("no numbered lines here")
    assert empty.empty and "statement" in empty.columns


@pytest.mark.parametrize("phrase, term", [
    ("alarms must be quick", "fast"), ("a live view of the plant", "real time"), ("many sensors", "lots of"),
    ("an intuitive screen", "user-friendly"), ("a robust system", "reliable"), ("good battery life", "long battery life"),
    ("an affordable platform", "cheap"), ("ASAP please", "as soon as possible"), ("make it secure", "secure"),
    ("future-proof design", "scalable"), ("plenty of history", "enough history"), ("accurate readings", "accurate"),
    ("seamless integration with SAP", "seamless"),
])
def test_every_vague_term_is_found(phrase, term):
    assert find_vague(phrase) == [term]
    assert clarifying_question(term, phrase).endswith("?")


def test_precise_wording_is_not_vague_and_is_measurable():
    for text_ in ("An SMS within 5 minutes of a reading above -18 C.", "Keep 3 years of records.",
                  "Accurate to +/-0.3 C.", "At least 99.5% of readings each month.", "Live at all sites by 1 May 2027."):
        assert find_vague(text_) == [], text_
        assert is_measurable(text_), text_
    assert not is_measurable("Sign in with single sign-on.")


def test_clarifying_question_quotes_the_customer_and_rejects_unknown_terms():
    question = clarifying_question("lots of", "They must monitor lots of rooms.")
    assert question.startswith('You asked to "monitor lots of rooms". How many')
    assert clarifying_question("fast").startswith("Within how many minutes")
    with pytest.raises(ValueError, match="unknown vague term"):
        clarifying_question("blue", "x")


def test_moscow_cues_in_order():
    assert moscow("They do not need to track vans.")[0] == "Won't"
    assert moscow("Out of scope for now: they will not heat.")[0] == "Won't"
    assert moscow("If it is easy, they could also do X.")[0] == "Could"
    assert moscow("Important, but not a show-stopper: X.")[0] == "Should"
    assert moscow("They have to do X.") == ("Must", "have to")
    assert moscow("A dashboard.") == ("Should", "(no cue: confirm the priority)")


def test_requirement_type_rule_of_thumb():
    assert requirement_type("Email a weekly report to each manager") == "functional"
    assert requirement_type("Keep the hardware under £6,000") == "non-functional"
    assert requirement_type("Receive at least 99% of readings") == "non-functional"


def test_quantities_units_and_special_forms():
    q = quantities("16 cold rooms, -18 C, by 09:00, from 1 October 2026, £6,000 and 99.5%")
    assert q["unit"].tolist() == ["rooms", "C", "time", "date", "GBP", "%"]
    assert q["value"].tolist()[:2] == [16.0, -18.0] and q["value"].tolist()[4:] == [6000.0, 99.5]


def test_strip_cue_keeps_the_need():
    assert strip_cue("Not this phase: they do not need to monitor the 14 delivery vans yet.") == "Monitor the 14 delivery vans."
    assert strip_cue("If it is easy, they could also show a league table.") == "Show a league table."
    assert strip_cue("Out of scope for now: they will not monitor air this year.") == "Monitor air."


def test_agree_uses_answers_and_keeps_the_rest_open():
    agreed = agree(parse_notes(NOTES), parse_answers(NOTES))
    by_note = agreed.set_index("note")
    assert by_note.loc[2, "status"] == "agreed"
    assert by_note.loc[2, "acceptance_criterion"].startswith("An SMS to the duty manager within 10 minutes")
    assert by_note.loc[3, "status"] == "open" and by_note.loc[3, "acceptance_criterion"] == ""
    assert "Who will use it" in by_note.loc[3, "question"]
    assert by_note.loc[1, "acceptance_criterion"] == "Monitor 40 freezers across 3 depots."


def test_summary_markdown_and_html():
    agreed = agree(parse_notes(NOTES), parse_answers(NOTES))
    md = summary_markdown(agreed, "Acme Foods Ltd", prepared_by="Presales", context="From the call of 9 June.")
    assert md.startswith("# Requirements summary: Acme Foods Ltd\n")
    agreed_part, open_part = md.split("## Open questions")
    assert "REQ-03" in open_part and "REQ-03" not in agreed_part
    assert find_vague(agreed_part.replace("Requirements summary", "")) == []
    assert agreed_part.index("### Must have") < agreed_part.index("### Could have") < agreed_part.index("### Won't")
    assert "## Sign-off" in open_part and open_part.count("signature") == 2
    page = summary_html(agreed, "Acme Foods Ltd")
    assert page.startswith("<!DOCTYPE html>") and page.count("<table>") == 3 and "<li><b>REQ-03</b>" in page
    assert "<h1>Requirements summary: A &amp; B</h1>" in summary_html(agree(parse_notes("1. They must log doors."), {}), "A & B")
    with pytest.raises(ValueError, match="requirements.agree"):
        summary_markdown(parse_notes(NOTES), "Acme")


def test_export_writes_into_the_trainee_folder(tmp_path):
    path = export("# Hello", "summary.md")
    assert path.read_text(encoding="utf-8") == "# Hello"
    assert path.parent.name == "exports"
    assert export("x", "a.html", folder=tmp_path) == tmp_path / "a.html"
    with pytest.raises(ValueError, match="plain file name"):
        export("x", "../escape.md")


# -- the generated discovery notes agree with the generator's intent -------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_parsers_recover_what_the_generator_meant(frames, seed):
    docs = presales.build(np.random.default_rng(seed), frames)
    for call_id in presales.CALL_IDS:
        notes = docs.files[f"presales/discovery_{call_id}.md"]
        key = pd.DataFrame(docs.key[call_id]["needs"])
        reqs = parse_notes(notes)
        assert reqs["note"].tolist() == key["note"].tolist()
        assert reqs["moscow"].tolist() == key["priority"].tolist()
        assert reqs["type"].tolist() == key["kind"].tolist()
        assert reqs["vague"].tolist() == key["term"].fillna("").tolist()
        assert key["vague"].sum() >= 5 and set(key["priority"]) == {"Must", "Should", "Could", "Won't"}
        answers = parse_answers(notes)
        assert set(answers) == set(key.loc[key["answered"], "note"])
        assert docs.key[call_id]["open_note"] not in answers
        assert all(find_vague(a) == [] for a in answers.values())
        for precise in key["precise"]:
            assert find_vague(precise) == [], precise


def test_committed_notes_are_what_the_generator_writes(frames):
    docs = presales.build(child_rng(DEFAULT_SEED, presales.TABLE.name), frames)
    for call_id in presales.CALL_IDS:
        assert text(f"presales/discovery_{call_id}") == docs.files[f"presales/discovery_{call_id}.md"]


def test_vague_terms_are_distinct_and_documented():
    names = [t.term for t in VAGUE_TERMS]
    assert len(names) == len(set(names))
    for term in VAGUE_TERMS:
        re.compile(term.pattern)
        assert term.asks_for and term.question.endswith("?") and "{" not in term.question
