"""Tests for ssup.bids: splitting an RFP, the compliance matrix, answer sections and claims in a draft.

The RFPs and draft proposals in data/presales come from templates whose requirement references and
deliberate errors are known (``ssup.data.presales.build`` returns them as an answer key), so the
splitter and the claim checker are tested against the generator's intent on many variants.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

import ssup.bids as bids
from ssup.bids import (Assessment, answer_section, check_claims, compliance_matrix, compliance_summary,
                       matrix_problems, sentences, split_requirements, threshold)
from ssup.data import load, presales, text
from ssup.data.generate import DEFAULT_SEED, child_rng

RFP = """# Invitation to tender

| | |
|---|---|
| Issued by | Example Water ("the Authority") |

## 1 Instructions

1.1 Tenderers must answer every requirement. The Authority will not consider late responses.

## 2 Background

Nothing here is a requirement, even if it mentions that pumps must run.

## 3 Technical requirements

3.1 Sensors shall be rated IP67.
3.2 Gateways shall buffer data for 48 hours
and shall send it when the link returns.
3.10 The platform must keep 3 years of data.
"""


@pytest.fixture(scope="module")
def products():
    return load("products")


@pytest.fixture(scope="module")
def frames(products):
    return {"products": products, **{n: load(n) for n in ("customers", "installed_base", "contacts", "agents")}}


def test_docstring_examples():
    assert doctest.testmod(bids, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).failed == 0


def test_split_requirements_rows_sections_and_continuations():
    rows = split_requirements(RFP)
    assert rows["ref"].tolist() == ["1.1a", "1.1b", "3.1", "3.2", "3.10"]
    assert rows["applies_to"].tolist() == ["supplier", "buyer", "supplier", "supplier", "supplier"]
    assert rows["keyword"].tolist() == ["must", "will", "shall", "shall", "must"]
    assert rows["section"].tolist()[2:] == ["3 Technical requirements"] * 3
    assert rows.set_index("ref").loc["3.2", "text"].endswith("and shall send it when the link returns.")
    assert rows["compound"].tolist() == [False, False, False, True, False]


def test_sentences_do_not_split_numbers_or_abbreviated_units():
    assert sentences("Keep 99.9% of data. Alarms within 2.5 minutes; then call.") == [
        "Keep 99.9% of data.", "Alarms within 2.5 minutes; then call."]


@pytest.mark.parametrize("requirement, expected", [
    ("for at least 5 years", (5.0, "years")), ("within 30 minutes", (30.0, "minutes")),
    ("down to -86 C", (-86.0, "C")), ("at least 99.9% of the time", (99.9, "%")),
    ("no more than 1,200 sensors", (1200.0, "sensors")), ("report every 15 minutes", (15.0, "minutes")),
    ("within 20 working days", (20.0, "working days")), ("shall raise an alarm", None),
])
def test_threshold(requirement, expected):
    assert threshold(requirement) == expected


def test_compare_directions_and_arguments():
    assert bids.compare(3, 4, "rated 4 years", "x").status == "comply"
    assert bids.compare(3, 3, "rated 3 years", "x").status == "comply"
    assert bids.compare(5, 4, "rated 4 years", "ask", otherwise="partial") == Assessment("partial", "rated 4 years", "ask")
    assert bids.compare(15, 30, "30 min", "none faster", better="lower") == Assessment("non-comply", "30 min", "none faster")
    with pytest.raises(ValueError, match="better"):
        bids.compare(1, 1, "", "", better="more")
    with pytest.raises(ValueError, match="otherwise"):
        bids.compare(1, 1, "", "", otherwise="comply")


def test_compliance_matrix_accepts_every_form_of_assessment():
    reqs = split_requirements(RFP)
    matrix = compliance_matrix(reqs, {
        "1.1a": "Comply", "1.1b": ("noted",), "3.1": Assessment("comply", "T1: IP67 (products.csv)"),
        "3.2": {"status": "partial", "evidence": "Edge 500 buffers 30 days", "gap_action": None},
    })
    assert matrix["status"].tolist() == ["comply", "noted", "comply", "partial", ""]
    problems = matrix_problems(matrix)
    assert problems.values.tolist() == [["1.1a", "comply without evidence"],
                                        ["3.2", "partial without a gap action"], ["3.10", "not answered"]]
    with pytest.raises(ValueError, match="no requirement with ref '9.9'"):
        compliance_matrix(reqs, {"9.9": "comply"})
    with pytest.raises(TypeError):
        compliance_matrix(reqs, {"3.1": 42})


def test_matrix_problems_statuses():
    matrix = pd.DataFrame({"ref": ["a", "b", "c"], "applies_to": ["supplier"] * 3, "requirement": ["x"] * 3,
                           "status": ["maybe", "noted", "non-comply"], "evidence": ["", "", ""],
                           "gap_action": ["", "", "Partner lab"]})
    assert matrix_problems(matrix)["problem"].tolist() == [
        "unknown status 'maybe' (use comply, partial, non-comply, noted)",
        "'noted' on a requirement that binds us: answer comply, partial or non-comply"]


def test_compliance_summary_shares_exclude_noted_and_count_unanswered():
    summary = compliance_summary(pd.DataFrame({"status": ["comply", "partial", "partial", "noted", ""]}))
    assert summary["requirements"].tolist() == [1, 2, 0, 1, 1]
    assert summary["percent_of_binding"].tolist()[:3] == [33.3, 66.7, 0.0]
    assert summary["status"].tolist()[-1] == "not answered"


def test_answer_section_layout_and_statuses():
    text_ = answer_section("4.2", "Deliver within 20 days.", "partial", "Sensors in 10, Edge 500 in 28.", "")
    assert text_ == "**4.2** Deliver within 20 days.\n\n*Response:* **Partially comply.** Sensors in 10, Edge 500 in 28."
    with pytest.raises(ValueError, match="status 'yes'"):
        answer_section("1", "x", "yes", "y")


def test_check_claims_every_attribute(products):
    draft = ("Kestrel Cloud Enterprise (PLT-ENT) at £2,450.00 a year keeps 5 years of raw data, ingests up to "
             "30 million messages a day and supports up to 10,000 devices.\n"
             "| GW-LRW-IN | Indoor Gateway | 4 | £399.00 | £1,596.00 |\n"
             "The T2 sensors (SNS-TMP-200) run for 6 years on their batteries and are rated IP68.\n"
             "Critical Support (SUP-CRITICAL) gives a 15-minute P1 response; gateways (GW-LRW-IN) ship within 3 "
             "working days and each serves up to 500 sensors.")
    claims = check_claims(draft, products)
    wrong = claims[claims["contradicts"]]
    assert sorted(map(tuple, wrong[["product_id", "attribute"]].values.tolist())) == sorted([
        ("PLT-ENT", "price_unit"), ("PLT-ENT", "retention_days"), ("PLT-ENT", "messages_per_day"),
        ("SNS-TMP-200", "battery_life_years"), ("SNS-TMP-200", "ip_rating"),
        ("SUP-CRITICAL", "p1_response_minutes"), ("GW-LRW-IN", "lead_time_days")])
    right = claims[~claims["contradicts"]]
    assert {("PLT-ENT", "price"), ("PLT-ENT", "max_devices"), ("GW-LRW-IN", "price"),
            ("GW-LRW-IN", "max_devices")} <= set(map(tuple, right[["product_id", "attribute"]].values.tolist()))
    # the line total (£1,596.00) is not read as a second unit price
    assert (claims["attribute"] == "price").sum() == 2
    assert (right["problem"] == "").all() and (wrong["problem"] != "").all()


def test_check_claims_ignores_sentences_without_products_and_unknown_ids(products):
    claims = check_claims("The total is £100,000.00. Our XYZ-1 (SNS-NOPE-1) costs £1.00.", products)
    assert claims.empty and list(claims.columns)[:3] == ["sentence", "product_id", "attribute"]


# -- the generated RFPs and drafts agree with the generator's intent --------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_rfps_split_and_drafts_checked_as_the_generator_meant(frames, products, seed):
    docs = presales.build(np.random.default_rng(seed), frames)
    for rfp_id in presales.RFP_IDS:
        key = docs.key[rfp_id]
        rows = split_requirements(docs.files[f"presales/rfp_{rfp_id}.md"])
        assert rows["ref"].tolist() == key["refs"]
        assert rows.loc[rows["applies_to"] == "buyer", "ref"].tolist() == key["buyer_refs"]
        assert not rows["compound"].any()
        claims = check_claims(docs.files[f"presales/proposal_{rfp_id}_draft.md"], products)
        found = set(map(tuple, claims.loc[claims["contradicts"], ["product_id", "attribute"]].values.tolist()))
        assert found == set(map(tuple, key["contradictions"]))
        assert 3 <= len(found) <= 4
        assert {a for _, a in found} & {"price"} and {a for _, a in found} & {"max_devices", "messages_per_day"}
        assert len({p for p, _ in found}) == len(found)


def test_committed_rfps_and_drafts_are_what_the_generator_writes(frames):
    docs = presales.build(child_rng(DEFAULT_SEED, presales.TABLE.name), frames)
    for rfp_id in presales.RFP_IDS:
        for name in (f"presales/rfp_{rfp_id}", f"presales/proposal_{rfp_id}_draft"):
            assert text(name) == docs.files[f"{name}.md"]


def test_draft_price_tables_add_up(products):
    for rfp_id in presales.RFP_IDS:
        lines = [line for line in text(f"presales/proposal_{rfp_id}_draft").splitlines() if line.startswith("| ")]
        totals = []
        for line in lines[1:-1]:
            cells = [c.strip() for c in line.strip("|").split("|")]
            totals.append(float(cells[4].strip("£").replace(",", "")))
        stated = float(lines[-1].split("£")[-1].strip(" *|").replace(",", ""))
        assert math.isclose(sum(totals), stated, abs_tol=0.005)
