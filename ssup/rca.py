"""Root-cause analysis on telemetry: show the cause with data rather than assert it (Level 4).

A customer says "we are losing data". Many things differ between the hours that lose data and those
that do not - the site, the gateway model, the firmware, the backhaul, the time of day - and several of
them travel together. These helpers answer the questions in the order an engineer asks them:

- :func:`loss_by`          loss per group of one or more columns, and each group's share of all losses
- :func:`factor_ranking`   which single factor separates lossy hours from clean ones best
- :func:`firmware_changes` gateways whose firmware changed during the data (a natural experiment)
- :func:`before_after`     loss on one gateway before and after such a change

The telemetry is a table with one row per gateway-hour and the columns ``uplinks_expected`` and
``uplinks_received`` (``pilot_telemetry.csv`` has them).

>>> t = pd.DataFrame({"firmware_version": ["a", "a", "b"], "uplinks_expected": [100, 100, 200],
...                   "uplinks_received": [90, 100, 200]})
>>> loss_by(t, "firmware_version")["loss_pct"].tolist()
[5.0, 0.0]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ["loss_by", "factor_ranking", "firmware_changes", "before_after"]

COUNTS = ("uplinks_expected", "uplinks_received")


def _checked(telemetry: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(telemetry, pd.DataFrame):
        raise TypeError(f"telemetry must be a pandas DataFrame, not {type(telemetry).__name__}.")
    missing = [c for c in (*COUNTS, *columns) if c not in telemetry.columns]
    if missing:
        raise ValueError(f"The telemetry has no column(s) {', '.join(map(repr, missing))}.")
    if len(telemetry) == 0:
        raise ValueError("The telemetry table is empty.")
    return telemetry


def loss_by(telemetry: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Uplinks lost per group: ``hours`` (rows), ``uplinks_expected``, ``lost``, ``loss_pct`` (lost as a % of
    expected, 3 decimals) and ``share_of_loss_pct`` (the group's share of every lost uplink, 1 decimal).

    Groups are the index, in their natural sort order.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = _checked(telemetry, keys)
    counts = pd.DataFrame({"uplinks_expected": data["uplinks_expected"],
                           "lost": data["uplinks_expected"] - data["uplinks_received"]})
    grouped = counts.groupby([data[key] for key in keys], sort=True)
    sums = grouped.sum()
    out = pd.DataFrame({"hours": grouped.size(), "uplinks_expected": sums["uplinks_expected"], "lost": sums["lost"]})
    out["loss_pct"] = (100 * out["lost"] / out["uplinks_expected"]).round(3)
    total = out["lost"].sum()
    out["share_of_loss_pct"] = (100 * out["lost"] / total).round(1) if total else 0.0
    return out


def factor_ranking(telemetry: pd.DataFrame, factors: Sequence[str]) -> pd.DataFrame:
    """Rank candidate causes: how well does each factor, on its own, separate lossy hours from clean ones?

    For each factor: the ``worst_group`` (highest loss %), its ``worst_loss_pct``, the ``rest_loss_pct`` of
    all other groups together, and ``variation_explained_pct``: the share of the hour-to-hour variation in
    loss % (the between-group sum of squares over the total, "eta squared") that knowing the factor explains.
    A factor that merely travels with the cause (a site that happens to host a faulty gateway) explains less
    than the cause itself. Sorted by ``variation_explained_pct``, highest first.
    """
    data = _checked(telemetry, factors)
    rate = 100 * (data["uplinks_expected"] - data["uplinks_received"]) / data["uplinks_expected"].where(
        data["uplinks_expected"] > 0)
    rate = rate.fillna(0.0)
    total_ss = float(((rate - rate.mean()) ** 2).sum())
    rows = []
    for factor in factors:
        groups = loss_by(data, factor)
        worst = groups["loss_pct"].idxmax()
        rest = groups.drop(index=worst)
        rest_pct = 100 * rest["lost"].sum() / rest["uplinks_expected"].sum() if len(rest) else np.nan
        means = rate.groupby(data[factor]).transform("mean")
        between = float(((means - rate.mean()) ** 2).sum())
        rows.append({"factor": factor, "worst_group": worst, "worst_loss_pct": float(groups.loc[worst, "loss_pct"]),
                     "rest_loss_pct": round(float(rest_pct), 3),
                     "variation_explained_pct": round(100 * between / total_ss, 1) if total_ss else 0.0})
    out = pd.DataFrame(rows)
    return out.sort_values(["variation_explained_pct", "factor"], ascending=[False, True], kind="stable") \
        .reset_index(drop=True)


def firmware_changes(telemetry: pd.DataFrame, gateway: str = "gateway_id", time: str = "hour",
                     firmware: str = "firmware_version") -> pd.DataFrame:
    """Every firmware change seen in the telemetry: ``gateway_id``, ``from_version``, ``to_version`` and
    ``first_hour`` (the first hour on the new version), in time order."""
    data = telemetry.sort_values([gateway, time], kind="stable")
    previous = data.groupby(gateway)[firmware].shift()
    changed = data[previous.notna() & (previous != data[firmware])]
    return pd.DataFrame({"gateway_id": changed[gateway].to_numpy(), "from_version": previous[changed.index].to_numpy(),
                         "to_version": changed[firmware].to_numpy(), "first_hour": changed[time].to_numpy()}) \
        .sort_values("first_hour", kind="stable").reset_index(drop=True)


def before_after(telemetry: pd.DataFrame, gateway_id: str, gateway: str = "gateway_id",
                 firmware: str = "firmware_version") -> pd.DataFrame:
    """Loss on one gateway per firmware version it ran (:func:`loss_by` on that gateway), in the order the
    versions were first seen: the before/after comparison of a natural experiment."""
    mine = telemetry[telemetry[gateway] == gateway_id]
    if mine.empty:
        raise ValueError(f"There is no telemetry for gateway {gateway_id!r}.")
    order = list(dict.fromkeys(mine.sort_values("hour" if "hour" in mine else gateway)[firmware]))
    return loss_by(mine, firmware).reindex(order)
