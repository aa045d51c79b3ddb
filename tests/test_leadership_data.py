"""The Level 6 tables (ssup/data/leadership.py): what the lesson and the questions rely on holds for every seed.

Checked on the committed data (seed 2026) and on a fresh seed-7 data set.
"""

import numpy as np
import pandas as pd
import pytest

from ssup import finance, investment, staffing, strategy, workforce
from ssup.config import REPO_ROOT
from ssup.data import generate as gen
from ssup.data import leadership as lead

TABLES = (lead.PHONE_CALLS, lead.PROPOSALS, lead.PROPOSAL_CASHFLOWS, lead.PROPOSAL_RISKS)


def _read(folder):
    return {t.name: gen.read_csv_typed(folder / f"{t.name}.csv", t.columns) for t in gen.tables()
            if t.is_csv and (folder / f"{t.name}.csv").exists()}


@pytest.fixture(scope="module")
def seed7(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed7-leadership")
    return dict(gen.generate(out, seed=7, readme=False))


@pytest.fixture(scope="module", params=["committed", "seed7"])
def frames(request, seed7):
    return _read(REPO_ROOT / "data") if request.param == "committed" else seed7


def test_tables_are_registered_in_order_and_documented():
    names = [t.name for t in gen.tables()]
    positions = [names.index(t.name) for t in TABLES]
    assert positions == sorted(positions) and names.index("tickets") < positions[0]
    for table in TABLES:
        assert table.doc and all(c.doc for c in table.columns)


def test_phone_calls_cover_every_open_hour_and_add_up(frames):
    calls = frames["phone_calls"]
    times = calls["interval_start"]
    assert times.is_unique and times.is_monotonic_increasing
    assert (times.dt.day_of_week < 5).all() and times.dt.hour.between(8, 17).all()
    assert (times.dt.minute == 0).all()
    assert len(calls) == len(pd.bdate_range("2024-07-01", "2026-06-30")) * 10
    assert (calls["calls_offered"] == calls["calls_answered"] + calls["abandoned"]).all()
    assert (calls["answered_within_20s"] <= calls["calls_answered"]).all()
    assert (calls["phone_tickets"] <= calls["calls_answered"]).all()
    assert (calls["agents_logged_in"] >= 1).all() and calls["agents_logged_in"].max() <= 3
    assert (calls["aht_seconds"].isna() == (calls["calls_answered"] == 0)).all()
    assert calls["aht_seconds"].dropna().between(60, 2000).all()


def test_every_phone_ticket_in_desk_hours_is_one_of_the_calls(frames):
    tickets, calls = frames["tickets"], frames["phone_calls"]
    phone = tickets[(tickets["channel"] == "phone") & (tickets["created_at"].dt.day_of_week < 5)
                    & tickets["created_at"].dt.hour.between(8, 17)]
    counts = phone["created_at"].dt.floor("h").value_counts()
    logged = calls.set_index("interval_start")["phone_tickets"]
    assert logged.sum() == len(phone)
    assert (logged[logged > 0] == counts.reindex(logged[logged > 0].index)).all()


def test_phone_demand_grows_peaks_and_slips(frames):
    calls = frames["phone_calls"]
    assert 0.10 < workforce.year_on_year_growth(calls) < 0.45
    profile = workforce.weekly_profile(calls, start="2026-01-01")
    assert profile.mean().idxmax() in (10, 15) and profile.loc["Mon"].sum() > profile.loc["Fri"].sum()
    quarters = calls.groupby(calls["interval_start"].dt.to_period("Q"))
    service = quarters["answered_within_20s"].sum() / quarters["calls_offered"].sum()
    abandon = quarters["abandoned"].sum() / quarters["calls_offered"].sum()
    assert service.iloc[-2:].mean() < service.iloc[:2].mean() and abandon.iloc[-2:].mean() > abandon.iloc[:2].mean()
    assert (calls["calls_answered"].sum() - calls["phone_tickets"].sum()) > 5 * calls["phone_tickets"].sum()


def test_todays_rota_misses_july_somewhere_and_the_plan_fixes_it(frames):
    calls = frames["phone_calls"]
    forecast = workforce.forecast_month(calls, "2026-07")
    recent = calls[calls["interval_start"] >= "2026-04-01"]
    aht = float((recent["aht_seconds"] * recent["calls_answered"]).sum() / recent["calls_answered"].sum())
    rota = workforce.weekly_profile(calls, value="agents_logged_in", start="2026-04-01").round().to_numpy().ravel()
    assert not workforce.check_plan(forecast, rota, aht)["meets"].all()
    plan = staffing.staffing_plan(forecast, aht, 20, 0.8)
    assert workforce.check_plan(forecast, plan, aht)["meets"].all() and plan["agents"].between(1, 4).all()


def test_proposals_have_sponsors_objectives_cashflows_and_risks(frames):
    proposals, flows, risks = frames["proposals"], frames["proposal_cashflows"], frames["proposal_risks"]
    agents = frames["agents"].set_index("agent_id")
    assert proposals["proposal_id"].tolist() == ["PRP-01", "PRP-02", "PRP-03", "PRP-04"]
    assert (proposals["sponsor_team"] == proposals["sponsor_agent_id"].map(agents["team"])).all()
    assert (proposals["sponsor_agent_id"].map(agents["seniority"]) == "lead").all()
    known = {o.id for o in strategy.OBJECTIVES}
    assert all(set(o.split(";")) <= known for o in proposals["objectives"])
    assert flows.groupby("proposal_id")["year"].apply(list).map(lambda y: y == list(range(6))).all()
    assert ((flows["year"] == 0) == (flows["capital_gbp"] > 0)).all()
    assert risks["probability"].between(0.01, 0.99).all() and (risks["impact_gbp"] > 0).all()
    assert set(risks["proposal_id"]) == set(proposals["proposal_id"]) and risks["risk_id"].is_unique


def test_benefit_basis_quotes_the_volumes_of_the_data(frames):
    tickets = frames["tickets"]
    last = tickets[(tickets["created_at"] >= "2025-07-01") & (tickets["created_at"] < "2026-07-01")]
    basis = frames["proposals"].set_index("proposal_id")["benefit_basis"]
    assert f"{last['category'].isin(lead.SELF_SERVICE_CATEGORIES).sum():,}" in basis["PRP-01"]
    assert f"{len(last):,} tickets" in basis["PRP-03"]
    assert f"{len(strategy.policy_gaps(frames['customers'])):,} accounts" in basis["PRP-03"]


def test_the_decision_has_the_same_shape_for_every_seed(frames):
    """The lesson's story: the CRM upgrade wins on the weighted criteria although the chatbot has the best IRR and
    payback; the field-service app fails the gate; the chatbot's risks outweigh its NPV."""
    table = investment.appraise(frames["proposals"], frames["proposal_cashflows"], frames["proposal_risks"])
    assert table["eligible"].tolist() == [True, True, True, False]
    assert table["npv"].idxmax() == "PRP-03" and table["irr"].idxmax() == "PRP-02"
    assert table["discounted_payback"].idxmin() == "PRP-02"
    assert table.loc["PRP-02", "risk_adjusted_npv"] < 0 < table.loc["PRP-03", "risk_adjusted_npv"]
    assert investment.best_proposal(table) == "PRP-03"
    assert table.loc["PRP-03", "npv"] > 1.8 * table.drop(index="PRP-03")["npv"].max()
    flows = investment.net_cashflows(frames["proposal_cashflows"])
    assert np.isclose(table.loc["PRP-01", "npv"], finance.npv(0.10, flows["PRP-01"]))
