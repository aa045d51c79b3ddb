"""Tests for ssup.rca: loss tables, factor ranking, firmware changes and before/after comparisons.

Small tables are checked against sums worked out by hand; a constructed data set (loss caused by one
factor, with another factor travelling with it) checks that the cause ranks first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ssup.rca import before_after, factor_ranking, firmware_changes, loss_by


def tiny():
    return pd.DataFrame({"site": ["A", "A", "B", "B"], "firmware_version": ["x", "y", "x", "y"],
                         "uplinks_expected": [1000, 1000, 2000, 2000], "uplinks_received": [990, 1000, 1970, 2000]})


def test_loss_by_one_column():
    out = loss_by(tiny(), "firmware_version")
    assert out.index.tolist() == ["x", "y"]
    assert out.loc["x", "lost"] == 40 and out.loc["x", "uplinks_expected"] == 3000
    assert out.loc["x", "loss_pct"] == pytest.approx(round(100 * 40 / 3000, 3))
    assert out["share_of_loss_pct"].tolist() == [100.0, 0.0]
    assert out["hours"].tolist() == [2, 2]


def test_loss_by_two_columns():
    out = loss_by(tiny(), ["site", "firmware_version"])
    assert out.loc[("B", "x"), "loss_pct"] == 1.5
    assert out["share_of_loss_pct"].sum() == pytest.approx(100)


def test_loss_by_rejects_missing_columns_and_empty_tables():
    with pytest.raises(ValueError, match="colour"):
        loss_by(tiny(), "colour")
    with pytest.raises(ValueError, match="empty"):
        loss_by(tiny().iloc[:0], "site")


def constructed(seed=0):
    """Loss caused by firmware 'bad' only; site S1 hosts most of the bad gateway-hours."""
    rng = np.random.default_rng(seed)
    rows = []
    for gateway, site, firmware in [("G1", "S1", "bad"), ("G2", "S1", "good"), ("G3", "S2", "good"),
                                    ("G4", "S2", "bad"), ("G5", "S2", "good")]:
        for hour in range(200):
            expected = 1000
            lost = rng.binomial(expected, 0.03 if firmware == "bad" else 0.0005)
            if gateway == "G4" and hour >= 100:
                firmware_now, lost = "good", rng.binomial(expected, 0.0005)
            else:
                firmware_now = firmware
            rows.append(dict(gateway_id=gateway, site=site, firmware_version=firmware_now, hour=hour,
                             uplinks_expected=expected, uplinks_received=expected - lost))
    return pd.DataFrame(rows)


def test_the_cause_ranks_above_what_travels_with_it():
    ranking = factor_ranking(constructed(), ["site", "gateway_id", "firmware_version"])
    assert ranking["factor"].iloc[0] == "firmware_version"
    assert ranking.set_index("factor").loc["firmware_version", "worst_group"] == "bad"
    assert ranking["variation_explained_pct"].is_monotonic_decreasing
    explained = ranking.set_index("factor")["variation_explained_pct"]
    assert explained["site"] < explained["firmware_version"] / 2


def test_factor_ranking_columns_and_rest_rate():
    ranking = factor_ranking(tiny(), ["firmware_version"]).iloc[0]
    assert ranking["worst_group"] == "x" and ranking["rest_loss_pct"] == 0.0
    assert 0 <= ranking["variation_explained_pct"] <= 100


def test_firmware_changes_and_before_after():
    data = constructed()
    changes = firmware_changes(data)
    assert changes.to_dict("records") == [{"gateway_id": "G4", "from_version": "bad", "to_version": "good",
                                           "first_hour": 100}]
    view = before_after(data, "G4")
    assert view.index.tolist() == ["bad", "good"]
    assert view.loc["bad", "loss_pct"] > 10 * view.loc["good", "loss_pct"]
    with pytest.raises(ValueError, match="no telemetry"):
        before_after(data, "G9")
