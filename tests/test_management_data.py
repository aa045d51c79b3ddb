"""The Level 5 tables (ssup/data/management.py): what the lessons and questions rely on holds for every seed.

Checked on the committed data (seed 2026) and on a fresh seed-7 data set.
"""

import pandas as pd
import pytest

from ssup import bid_management, calibration, quality
from ssup.config import REPO_ROOT
from ssup.data import generate as gen
from ssup.data import management as m


def _read(folder):
    return {t.name: gen.read_csv_typed(folder / f"{t.name}.csv", t.columns) for t in gen.tables()
            if t.is_csv and (folder / f"{t.name}.csv").exists()}


@pytest.fixture(scope="module")
def seed7(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed7-management")
    return dict(gen.generate(out, seed=7, readme=False))


@pytest.fixture(scope="module", params=["committed", "seed7"])
def frames(request, seed7):
    return _read(REPO_ROOT / "data") if request.param == "committed" else seed7


def test_tables_are_registered_and_documented():
    names = [t.name for t in gen.tables()]
    for table in m.TABLES:
        assert table.name in names and table.doc and all(c.doc for c in table.columns)


def test_advice_reviews_follow_the_sampling_plan(frames):
    reviews = frames["advice_reviews"]
    tickets = reviews[reviews["record_type"] == "ticket"]
    per_week = tickets.groupby("record_week").size()
    assert len(per_week) == m.REVIEW_WEEKS and per_week.max() == m.REVIEWS_PER_WEEK
    assert (reviews["record_week"].dt.day_of_week == 0).all()
    assert (reviews["reviewer_id"] != reviews["advisor_id"]).all()
    assert (reviews["reviewed_date"] >= reviews["record_week"]).all()
    all_met = reviews[list(m.CRITERIA)].all(axis=1)
    assert (reviews["finding"].isna() == all_met).all(), "a finding exactly when a criterion was missed"
    known = frames["tickets"].set_index("ticket_id")
    assert tickets["record_id"].isin(known.index).all()
    assert (tickets["advisor_id"] == tickets["record_id"].map(known["agent_id"])).all()
    assert (reviews["record_type"] == "bid").sum() >= 10


def test_the_checklist_lowers_critical_misses_and_a_coaching_need_shows(frames):
    reviews = frames["advice_reviews"]
    desk = reviews["advisor_id"].map(frames["agents"].set_index("agent_id")["team"]) == "Service Desk"
    r = reviews[desk & (reviews["record_type"] == "ticket")]
    missed = ~r[["accurate", "fits_need"]].all(axis=1)
    after = r["record_week"] >= pd.Timestamp(m.CHECKLIST_START)
    assert missed[after].mean() < 0.6 * missed[~after].mean()
    plan = quality.coaching_plan(quality.score(r), min_reviews=20)
    assert {"complete", "next_steps"} <= set(plan["criterion"])


def test_every_estimate_and_plan_problem_occurs_and_some_drafts_are_clean(frames):
    drafts = frames["draft_estimates"]
    assert len(drafts) >= 8
    estimates = calibration.review_estimates(drafts, calibration.calibrate(frames["projects"]))
    lead = calibration.hardware_lead_days(drafts, frames["opportunities"], frames["products"])
    plans = calibration.review_plans(frames["draft_plan_tasks"], drafts, lead)
    for check in calibration.ESTIMATE_CHECKS:
        assert not estimates[check].all(), f"no draft fails {check}"
    for check in calibration.PLAN_CHECKS:
        assert not plans[check].all(), f"no plan fails {check}"
    assert (estimates["passed"] & plans["passed"]).sum() >= 2
    assert (plans["schedulable"] & ~plans["fits_go_live"]).any(), "a schedulable plan misses its go-live"


def test_the_pipeline_asks_for_more_than_presales_has(frames):
    demand = frames["bid_pipeline"]["presales_days"].sum()
    supply = frames["presales_capacity"]["available_days"].sum()
    assert 1.25 * supply <= demand <= 1.65 * supply
    opps = frames["opportunities"].set_index("opportunity_id")
    assert (opps.loc[frames["bid_pipeline"]["opportunity_id"], "outcome"] == "open").all()
    plan = bid_management.plan_presales(frames["bid_pipeline"], frames["presales_capacity"],
                                        preferred=opps["presales_agent_id"])
    assert set(plan.assignments["decision"]) == {"assigned", "declined", "no_bid"}


def test_bids_in_writing_fail_the_gate_in_every_way_and_one_passes(frames):
    reqs, secs = frames["bid_requirements"], frames["bid_sections"]
    summary = bid_management.gate_summary(reqs, secs)
    assert len(summary) >= 3 and summary["passed"].any()
    for check in bid_management.GATE_CHECKS:
        assert not summary[check].all(), f"no bid fails {check}"
    largest = frames["opportunities"].set_index("opportunity_id").loc[summary.index, "value_gbp"].idxmax()
    assert not summary.loc[largest, "passed"]
    assert (secs.groupby("opportunity_id").size() == len(m.SECTIONS)).all()
