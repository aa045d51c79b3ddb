"""Tests for ssup.qualify: MEDDICC scores, verdicts, win rate by score band and the discovery plan.

Scores are checked against sums worked out by hand; the win-rate table against a plain pandas count.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ssup import qualify
from ssup.data import load
from ssup.qualify import MEDDICC, discovery_plan, meddicc_score, score_band, verdict, win_rate_by_score

STRONG = {"metrics": 2, "economic_buyer": 2, "decision_criteria": 2, "decision_process": 2, "identify_pain": 2,
          "champion": 2, "competition": 2}


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def test_score_is_the_sum_of_the_seven_elements():
    assert meddicc_score(STRONG) == 14
    assert meddicc_score(dict.fromkeys(MEDDICC, 0)) == 0
    assert meddicc_score(dict(STRONG, champion=1, competition=0)) == 11
    assert meddicc_score(pd.Series(dict(STRONG, metrics=1))) == 13


@pytest.mark.parametrize("bad, message", [({"metrics": 3}, "0, 1 or 2"), ({"champion": None}, "0, 1 or 2"),
                                          ({"identify_pain": -1}, "0, 1 or 2")])
def test_invalid_scores_raise(bad, message):
    with pytest.raises(ValueError, match=message):
        meddicc_score(dict(STRONG, **bad))


def test_a_missing_element_is_named():
    record = dict(STRONG)
    del record["decision_process"]
    with pytest.raises(ValueError, match="decision_process"):
        meddicc_score(record)


def test_verdicts_follow_the_thresholds_and_the_must_haves():
    assert verdict(STRONG) == "pursue"
    assert verdict(dict(STRONG, metrics=0, champion=0, competition=1, decision_criteria=1)) == "develop"  # 8
    assert verdict(dict.fromkeys(MEDDICC, 0)) == "deprioritise"
    # 12 points but nobody knows who signs: not pursued yet
    assert verdict(dict(STRONG, economic_buyer=0)) == "develop"
    assert verdict(dict(STRONG, identify_pain=0)) == "develop"
    assert verdict(dict(STRONG, metrics=0, champion=1, competition=1)) == "pursue"  # exactly 10


def test_score_bands():
    assert [score_band(s) for s in range(15)] == ["0-5"] * 6 + ["6-9"] * 4 + ["10-14"] * 5


def test_qualify_scores_sorts_and_counts_gaps():
    table = pd.DataFrame([dict(STRONG, opportunity_id="B"), dict(STRONG, opportunity_id="A", champion=1, metrics=0),
                          dict(STRONG, opportunity_id="C")])
    out = qualify.qualify(table)
    assert out["opportunity_id"].tolist() == ["B", "C", "A"]
    assert out["score"].tolist() == [14, 14, 11]
    assert out["gaps"].tolist() == [0, 0, 2]
    with pytest.raises(ValueError, match="missing"):
        qualify.qualify(table.drop(columns="champion"))


def test_win_rate_by_score_matches_a_plain_count():
    discovery, opportunities = load("discovery"), load("opportunities")
    table = win_rate_by_score(discovery, opportunities)
    assert table["band"].tolist() == ["0-5", "6-9", "10-14"]
    merged = discovery.merge(opportunities[["opportunity_id", "outcome"]], on="opportunity_id")
    closed = merged[merged.outcome.isin(["won", "lost"])]
    scores = closed[list(MEDDICC)].sum(axis=1)
    for band, low, high in (("0-5", 0, 5), ("6-9", 6, 9), ("10-14", 10, 14)):
        mine = closed[scores.between(low, high)]
        got = table.set_index("band").loc[band]
        assert got["closed"] == len(mine) and got["won"] == (mine.outcome == "won").sum()
        assert got["win_rate_pct"] == pytest.approx(round(100 * (mine.outcome == "won").mean(), 1))


def test_the_score_predicts_outcomes_in_the_data():
    table = win_rate_by_score(load("discovery"), load("opportunities"))
    assert table["win_rate_pct"].is_monotonic_increasing


def test_discovery_plan_lists_unconfirmed_elements_and_unknown_requirements():
    record = dict(STRONG, economic_buyer=1, champion=0, sites=2, application="cold_chain", retention_days=None,
                  integration=float("nan"))
    plan = discovery_plan(record)
    assert list(plan.columns) == ["topic", "kind", "status", "owner", "question", "why"]
    unknown = plan[plan.status == "unknown"]
    assert unknown["topic"].tolist()[0] == "champion"  # unknowns first, MEDDICC before requirements
    assert set(unknown["topic"]) >= {"champion", "retention_days", "integration"}
    assert plan.iloc[-1]["topic"] == "economic_buyer" and plan.iloc[-1]["status"] == "partly known"
    assert "sites" not in set(plan.topic) and "metrics" not in set(plan.topic)
    assert plan["question"].str.endswith("?").all()


def test_no_technical_questions_for_deals_without_a_device_scope():
    record = dict(STRONG, competition=1)
    plan = discovery_plan(record)
    assert plan["topic"].tolist() == ["competition"]


def test_the_case_study_has_a_discovery_plan():
    discovery = load("discovery")
    case = discovery[discovery.pilot].iloc[0]
    plan = discovery_plan(case)
    assert len(plan) > 0
    assert set(plan[plan.kind == "qualification"].topic) == {e for e in MEDDICC if case[e] < 2}
    assert set(plan[plan.kind == "requirement"].topic) == {c for c in qualify.REQUIREMENTS if pd.isna(case[c])}
