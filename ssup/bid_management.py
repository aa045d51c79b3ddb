"""Managing sales support: bid/no-bid scoring, presales capacity against the pipeline, and a technical quality
gate for bids (Level 5).

- :data:`BID_WEIGHTS`, :func:`bid_scores`   weighted bid/no-bid scoring with knock-out criteria
- :func:`plan_presales`                     who works on what in the weeks ahead, and what must be declined
- :data:`GATE_CHECKS`, :func:`quality_gate`, :func:`gate_summary`
                                            every requirement answered, mandatory ones met, the same figures
                                            in every section, every section signed off by someone else

Scores are 1-5 per criterion (5 = best for Kestrel); the weighted score is the weighted mean, also 1-5.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "BID_WEIGHTS", "BID_THRESHOLD", "KNOCKOUTS", "bid_scores", "PresalesPlan", "plan_presales",
    "GATE_CHECKS", "FIGURES", "quality_gate", "gate_summary",
]

#: How much each criterion counts in the bid/no-bid decision (they add up to 1).
BID_WEIGHTS: dict[str, float] = {
    "strategic_fit": 0.25,
    "win_chance": 0.25,
    "technical_fit": 0.20,
    "deal_size": 0.15,
    "delivery_confidence": 0.15,
}
#: Bid when the weighted score reaches this (on the 1-5 scale).
BID_THRESHOLD = 3.0
#: A criterion scored at or below this value means no bid, whatever the total (we cannot meet the tender).
KNOCKOUTS: dict[str, int] = {"technical_fit": 2}


def bid_scores(pipeline: pd.DataFrame, weights: Mapping[str, float] = BID_WEIGHTS,
               threshold: float = BID_THRESHOLD, knockouts: Mapping[str, int] = KNOCKOUTS) -> pd.DataFrame:
    """Return a copy of ``pipeline`` with ``score`` (weighted mean, 1-5), ``decision`` (bid / no_bid) and
    ``reason``.

    >>> p = pd.DataFrame({"opportunity_id": ["A", "B", "C"], "strategic_fit": [4, 2, 5], "win_chance": [4, 2, 5],
    ...                   "technical_fit": [4, 3, 1], "deal_size": [3, 2, 5], "delivery_confidence": [3, 3, 5]})
    >>> bid_scores(p)[["score", "decision"]]
       score decision
    0   3.70      bid
    1   2.35   no_bid
    2   4.20   no_bid
    """
    total = float(sum(weights.values()))
    if not np.isclose(total, 1.0):
        raise ValueError(f"The weights add up to {total:g}; they must add up to 1.")
    missing = [c for c in list(weights) + list(knockouts) if c not in pipeline.columns]
    if missing:
        raise ValueError(f"The pipeline has no column(s) {', '.join(map(repr, missing))} to score.")
    out = pipeline.copy()
    out["score"] = sum(out[c] * w for c, w in weights.items()).round(4)
    knocked = pd.Series(False, index=out.index)
    reasons = pd.Series("", index=out.index, dtype=object)
    for column, limit in knockouts.items():
        hit = out[column] <= limit
        reasons[hit & ~knocked] = f"knock-out: {column} scored {limit} or less"
        knocked |= hit
    low = ~knocked & (out["score"] < threshold)
    reasons[low] = [f"score {s:.2f} below {threshold:g}" for s in out.loc[low, "score"]]
    reasons[~knocked & ~low] = [f"score {s:.2f} meets {threshold:g}" for s in out.loc[~knocked & ~low, "score"]]
    out["decision"] = np.where(knocked | low, "no_bid", "bid")
    out["reason"] = reasons
    return out


class PresalesPlan(NamedTuple):
    """The result of :func:`plan_presales`."""

    assignments: pd.DataFrame  #: one row per pipeline item: decision, agent, weeks used
    load: pd.DataFrame  #: presales days planned, agent x week
    capacity: pd.DataFrame  #: presales days available, agent x week


def plan_presales(pipeline: pd.DataFrame, capacity: pd.DataFrame,
                  preferred: Mapping[str, str] | pd.Series | None = None,
                  weights: Mapping[str, float] = BID_WEIGHTS, threshold: float = BID_THRESHOLD,
                  knockouts: Mapping[str, int] = KNOCKOUTS) -> PresalesPlan:
    """Plan presales work: the best opportunities first, each to one consultant, before its due date.

    1. Score every item (:func:`bid_scores`); no-bid items get no time.
    2. Take the rest from the highest score down (ties: earlier due date, then opportunity id).
    3. An item may use the weeks that start on or before its due date. It goes to its ``preferred``
       consultant (the one already on the account) if they have enough days left in those weeks, otherwise to
       the consultant with the most days left in them (ties: lowest agent id). Days are taken earliest week first.
    4. If nobody has enough days before the due date, the item is declined.

    ``capacity`` has columns agent_id, week_start, available_days; ``pipeline`` has opportunity_id,
    presales_days, due_date and the criterion scores.
    """
    for column in ("opportunity_id", "presales_days", "due_date"):
        if column not in pipeline.columns:
            raise ValueError(f"The pipeline has no column {column!r}.")
    available = capacity.pivot_table(index="agent_id", columns="week_start", values="available_days",
                                     aggfunc="sum", fill_value=0.0).sort_index().sort_index(axis=1)
    left = available.copy()
    weeks = list(left.columns)
    prefer = dict(preferred.dropna()) if isinstance(preferred, pd.Series) else dict(preferred or {})
    scored = bid_scores(pipeline, weights, threshold, knockouts)
    order = scored.sort_values(["score", "due_date", "opportunity_id"], ascending=[False, True, True],
                               kind="mergesort")
    rows = []
    for item in order.itertuples(index=False):
        row = {"opportunity_id": item.opportunity_id, "score": item.score, "presales_days": item.presales_days,
               "due_date": item.due_date, "decision": "no_bid", "agent_id": None, "first_week": pd.NaT,
               "last_week": pd.NaT, "reason": item.reason}
        if item.decision == "bid":
            usable = [w for w in weeks if pd.Timestamp(w) <= pd.Timestamp(item.due_date)]
            spare = left[usable].sum(axis=1) if usable else pd.Series(0.0, index=left.index)
            candidates = sorted(left.index, key=lambda a: (-float(spare[a]), a))
            first = prefer.get(item.opportunity_id)
            if first in left.index:
                candidates = [first] + [a for a in candidates if a != first]
            chosen = next((a for a in candidates if float(spare[a]) >= item.presales_days - 1e-9), None)
            if chosen is None:
                row.update(decision="declined", reason=f"no consultant has {item.presales_days:g} days free "
                                                       f"before {pd.Timestamp(item.due_date):%Y-%m-%d}")
            else:
                need, used = float(item.presales_days), []
                for week in usable:
                    take = min(need, float(left.loc[chosen, week]))
                    if take > 0:
                        left.loc[chosen, week] -= take
                        need -= take
                        used.append(week)
                    if need <= 1e-9:
                        break
                row.update(decision="assigned", agent_id=chosen, first_week=pd.Timestamp(used[0]),
                           last_week=pd.Timestamp(used[-1]),
                           reason="preferred consultant" if chosen == first else "most free days before the due date")
        rows.append(row)
    assignments = pd.DataFrame(rows)
    return PresalesPlan(assignments, (available - left).round(6), available)


#: The technical quality gate every bid passes before it is submitted.
GATE_CHECKS: dict[str, str] = {
    "requirements_answered": "every requirement in the compliance matrix has a compliance statement and an answer",
    "mandatory_met": "no mandatory requirement is answered 'none' (a knock-out in the tender)",
    "figures_consistent": "devices, gateways, effort and price are the same in every section that states them",
    "signed_off": "every section is signed off, with a date, by someone other than its author",
}
#: The figures that must agree across a bid's sections.
FIGURES = ("devices_stated", "gateways_stated", "effort_days_stated", "price_gbp_stated")


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quality_gate(requirements: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Every problem the technical quality gate finds: one row per problem (opportunity_id, check, detail).

    An empty table means every bid passes. Checks: :data:`GATE_CHECKS`.
    """
    issues = []
    for opp, reqs in requirements.groupby("opportunity_id", sort=True):
        blank = reqs[reqs["response"].isna() | reqs["compliance"].isna()]
        if len(blank):
            issues.append((opp, "requirements_answered", "unanswered: " + ", ".join(blank["requirement_id"])))
        failed = reqs[reqs["mandatory"].astype(bool) & (reqs["compliance"] == "none")]
        if len(failed):
            issues.append((opp, "mandatory_met", "mandatory requirement not met: " + ", ".join(failed["requirement_id"])))
    for opp, secs in sections.groupby("opportunity_id", sort=True):
        for figure in FIGURES:
            stated = secs[secs[figure].notna()]
            values = stated[figure].astype(float)
            if values.nunique() > 1:
                parts = [f"{_fmt(v)} in {', '.join(stated.loc[values == v, 'section'])}" for v in values.unique()]
                issues.append((opp, "figures_consistent", f"{figure.replace('_stated', '')}: " + "; ".join(parts)))
        unsigned = secs[secs["signed_off_by"].isna() | secs["signed_off_date"].isna()]
        for section in unsigned["section"]:
            issues.append((opp, "signed_off", f"{section} is not signed off"))
        own = secs[secs["signed_off_by"].notna() & (secs["signed_off_by"] == secs["author_id"])]
        for section in own["section"]:
            issues.append((opp, "signed_off", f"{section} is signed off by its own author"))
    return pd.DataFrame(issues, columns=["opportunity_id", "check", "detail"])


def gate_summary(requirements: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """One row per bid: one boolean per :data:`GATE_CHECKS` (True = passed), ``passed`` and ``problems``."""
    bids = sorted(set(requirements["opportunity_id"]) | set(sections["opportunity_id"]))
    issues = quality_gate(requirements, sections)
    out = pd.DataFrame(index=pd.Index(bids, name="opportunity_id"))
    for check in GATE_CHECKS:
        failing = set(issues.loc[issues["check"] == check, "opportunity_id"])
        out[check] = [b not in failing for b in bids]
    out["passed"] = out[list(GATE_CHECKS)].all(axis=1)
    out["problems"] = [", ".join(c for c in GATE_CHECKS if not row[c]) for _, row in out.iterrows()]
    return out
