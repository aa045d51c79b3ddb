"""Approving development proposals: appraise them, score them against the policy, record the decision, and
charter the project that is approved.

A proposal (``proposals.csv``) has yearly cash flows (``proposal_cashflows.csv``: year 0 is the investment) and
a risk register (``proposal_risks.csv``). :func:`appraise` puts every proposal through the same tests:

* **value** - NPV at the hurdle rate, IRR and discounted payback (:mod:`ssup.finance`);
* **risk** - the expected cost of its risks, the EMV (:func:`ssup.risk.expected_monetary_value`);
* **strategic fit** - the weight of the corporate objectives it supports (:data:`ssup.strategy.OBJECTIVES`);
* **gate** - the investment policy: NPV above zero and discounted payback within the limit, or it is out.

:func:`weighted_scores` then ranks the proposals that pass the gate on the policy's weighted criteria, each scaled
so that the best proposal scores 1 and the worst 0. A :class:`Decision` per proposal records approve or reject with
reasons (:func:`decision_problems` says what a decision log still lacks), and a :class:`Charter` starts the approved
project: budget, milestones (scheduled with :func:`ssup.plan.schedule`, in weeks) and success metrics tied to the
scorecard's KPIs.

>>> strategic_fit("O2;O3")
0.55
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ssup import finance, plan, risk, strategy

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CRITERIA", "InvestmentPolicy", "KESTREL_POLICY", "net_cashflows", "risk_exposure", "strategic_fit",
    "appraise", "weighted_scores", "best_proposal", "plot_proposals", "Decision", "decision_record",
    "decision_problems", "Charter", "WEEKS_PER_MONTH",
]

#: The scoring criteria and which way is better.
CRITERIA: dict[str, str] = {"npv": "higher", "discounted_payback": "lower", "risk_emv": "lower",
                            "strategic_fit": "higher"}
#: Average weeks in a month (52 / 12), to compare a plan in weeks with a promise in months.
WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class InvestmentPolicy:
    """The board's rules for development proposals.

    ``hurdle_rate``: the discount rate (0.10 = 10% a year) - a proposal must earn more than this (NPV > 0).
    ``max_discounted_payback``: years within which the discounted cash flows must pay the investment back.
    ``weights``: how much each criterion of :data:`CRITERIA` counts in the weighted score (they add up to 1).
    ``approvals_per_year``: developments the IT team can take on in a year.
    """

    hurdle_rate: float = 0.10
    max_discounted_payback: float = 4.0
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "npv": 0.35, "discounted_payback": 0.15, "risk_emv": 0.20, "strategic_fit": 0.30})
    approvals_per_year: int = 1

    def __post_init__(self) -> None:
        unknown = [k for k in self.weights if k not in CRITERIA]
        if unknown:
            raise ValueError(f"unknown criteria {unknown}; criteria are {', '.join(CRITERIA)}")
        if not math.isclose(sum(self.weights.values()), 1.0, abs_tol=1e-9):
            raise ValueError(f"the weights must add up to 1; they add up to {sum(self.weights.values()):g}")

    def table(self) -> pd.DataFrame:
        """The policy as a small table, for showing in a notebook."""
        rows = [("hurdle rate (discount rate)", f"{self.hurdle_rate:.0%} a year"),
                ("maximum discounted payback", f"{self.max_discounted_payback:g} years"),
                ("developments approved per year", str(self.approvals_per_year))]
        rows += [(f"weight of {name} ({CRITERIA[name]} is better)", f"{w:.0%}") for name, w in self.weights.items()]
        return pd.DataFrame(rows, columns=["rule", "value"]).set_index("rule")


#: Kestrel's investment policy for customer-service developments.
KESTREL_POLICY = InvestmentPolicy()


# -- the numbers of each proposal ---------------------------------------------------------------------
def net_cashflows(cashflows: pd.DataFrame) -> dict[str, list[float]]:
    """Net cash flow per proposal, year 0 first: ``benefit_gbp - running_cost_gbp - capital_gbp``.

    >>> flows = pd.DataFrame({"proposal_id": ["P", "P"], "year": [1, 0], "capital_gbp": [0.0, 100.0],
    ...                       "running_cost_gbp": [5.0, 0.0], "benefit_gbp": [65.0, 0.0]})
    >>> net_cashflows(flows)
    {'P': [-100.0, 60.0]}
    """
    needed = ("proposal_id", "year", "capital_gbp", "running_cost_gbp", "benefit_gbp")
    missing = [c for c in needed if c not in cashflows.columns]
    if missing:
        raise ValueError(f"the cash-flow table is missing {missing}")
    table = cashflows.sort_values(["proposal_id", "year"])
    net = table["benefit_gbp"] - table["running_cost_gbp"] - table["capital_gbp"]
    out: dict[str, list[float]] = {}
    for pid, years, values in zip(table["proposal_id"], table["year"], net):
        flows = out.setdefault(str(pid), [])
        if int(years) != len(flows):
            raise ValueError(f"proposal {pid}: years must run 0, 1, 2 ... without gaps; found year {years}")
        flows.append(float(values))
    return out


def risk_exposure(risks: pd.DataFrame) -> pd.Series:
    """EMV of each proposal's risk register (sum of probability x impact_gbp), indexed by proposal_id."""
    out = {}
    for pid, register in risks.groupby("proposal_id", sort=True):
        frame = register.rename(columns={"impact_gbp": "impact"}).set_index("risk_id")
        out[str(pid)] = risk.expected_monetary_value(frame)
    return pd.Series(out, name="risk_emv", dtype=float).rename_axis("proposal_id")


def strategic_fit(objectives: Union[str, Iterable[str]], weights: Optional[Mapping[str, float]] = None) -> float:
    """Share of the board's priorities a proposal serves: the sum of the weights of the objectives it supports.

    ``objectives`` is ``"O1;O3"`` (as in proposals.csv) or a list of ids; weights default to
    :data:`ssup.strategy.OBJECTIVES`.
    """
    weights = weights if weights is not None else {o.id: o.weight for o in strategy.OBJECTIVES}
    ids = [s.strip() for s in objectives.split(";")] if isinstance(objectives, str) else list(objectives)
    unknown = [i for i in ids if i and i not in weights]
    if unknown:
        raise ValueError(f"unknown objective(s) {unknown}; objectives are {', '.join(weights)}")
    return round(float(sum(weights[i] for i in set(ids) if i)), 10)


def appraise(proposals: pd.DataFrame, cashflows: pd.DataFrame, risks: pd.DataFrame,
             policy: InvestmentPolicy = KESTREL_POLICY) -> pd.DataFrame:
    """Every proposal's value, risk, fit and gate, indexed by proposal_id.

    Columns: title, capital_gbp (year-0 investment), npv, irr, discounted_payback (years, NaN if it never pays
    back), risk_emv, risk_adjusted_npv (npv - risk_emv), strategic_fit, eligible (passes the policy's gate) and
    gate (why not, in words).
    """
    flows = net_cashflows(cashflows)
    missing = [p for p in proposals["proposal_id"] if p not in flows]
    if missing:
        raise ValueError(f"no cash flows for {missing}")
    ids = list(proposals["proposal_id"])
    numbers = finance.compare_proposals({p: flows[p] for p in ids}, policy.hurdle_rate)
    capital = cashflows[cashflows["year"] == 0].set_index("proposal_id")["capital_gbp"]
    emv = risk_exposure(risks).reindex(ids).fillna(0.0)
    table = pd.DataFrame({
        "title": proposals.set_index("proposal_id")["title"].reindex(ids),
        "capital_gbp": capital.reindex(ids).astype(float),
        "npv": numbers["npv"], "irr": numbers["irr"], "discounted_payback": numbers["discounted_payback"],
        "risk_emv": emv,
    }, index=pd.Index(ids, name="proposal_id"))
    table["risk_adjusted_npv"] = table["npv"] - table["risk_emv"]
    table["strategic_fit"] = [strategic_fit(o) for o in proposals.set_index("proposal_id")["objectives"].reindex(ids)]
    gates = []
    for row in table.itertuples():
        if not row.npv > 0:
            gates.append(f"NPV is not above zero at the {policy.hurdle_rate:.0%} hurdle rate")
        elif math.isnan(row.discounted_payback):
            gates.append("never pays back")
        elif row.discounted_payback > policy.max_discounted_payback:
            gates.append(f"pays back after {policy.max_discounted_payback:g} years")
        else:
            gates.append("passes")
    table["gate"] = gates
    table.insert(len(table.columns) - 1, "eligible", table["gate"] == "passes")
    return table


def weighted_scores(appraisal: pd.DataFrame, weights: Optional[Mapping[str, float]] = None) -> pd.DataFrame:
    """Weighted score of each eligible proposal, best first.

    Each criterion of ``weights`` (default the policy's) is scaled across the eligible proposals so the best
    scores 1 and the worst 0 (all 1 when they are equal); ``score`` is the weighted sum and ``rank`` 1 is best.
    Proposals that fail the gate are not scored.

    >>> appraisal = pd.DataFrame({"npv": [10.0, 30.0], "discounted_payback": [2.0, 3.0], "risk_emv": [5.0, 5.0],
    ...                           "strategic_fit": [0.3, 0.6], "eligible": [True, True]}, index=["A", "B"])
    >>> weighted_scores(appraisal)["score"].round(2).to_dict()
    {'B': 0.85, 'A': 0.35}
    """
    weights = dict(weights if weights is not None else KESTREL_POLICY.weights)
    unknown = [k for k in weights if k not in CRITERIA]
    if unknown:
        raise ValueError(f"unknown criteria {unknown}; criteria are {', '.join(CRITERIA)}")
    eligible = appraisal[appraisal["eligible"].astype(bool)] if "eligible" in appraisal.columns else appraisal
    if eligible.empty:
        raise ValueError("no proposal passes the gate, so there is nothing to score")
    out = pd.DataFrame(index=eligible.index)
    for criterion in weights:
        values = eligible[criterion].astype(float)
        spread = values.max() - values.min()
        if spread == 0:
            out[criterion] = 1.0
        else:
            scaled = (values - values.min()) / spread
            out[criterion] = scaled if CRITERIA[criterion] == "higher" else 1.0 - scaled
    out["score"] = sum(out[c] * w for c, w in weights.items())
    out = out.sort_values("score", ascending=False, kind="stable")
    out["rank"] = range(1, len(out) + 1)
    return out


def best_proposal(appraisal: pd.DataFrame, weights: Optional[Mapping[str, float]] = None) -> str:
    """The eligible proposal with the highest weighted score."""
    return str(weighted_scores(appraisal, weights).index[0])


def plot_proposals(appraisal: pd.DataFrame, policy: InvestmentPolicy = KESTREL_POLICY,
                   ax: Optional["Axes"] = None, title: str = "The proposals compared") -> "Axes":
    """Scatter of discounted payback (x) against NPV (y); bubble area shows the investment, colour the gate.

    Dashed lines mark the policy: NPV = 0 and the maximum payback. A proposal that never pays back is drawn at
    the right edge. Returns the Axes; call ``plt.show()`` yourself.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    horizon = float(np.nanmax(np.append(appraisal["discounted_payback"].to_numpy(dtype=float),
                                        policy.max_discounted_payback))) + 1.0
    x = appraisal["discounted_payback"].astype(float).fillna(horizon).to_numpy()
    y = appraisal["npv"].astype(float).to_numpy() / 1000.0
    size = 60 + 900 * appraisal["capital_gbp"].astype(float).to_numpy() / float(appraisal["capital_gbp"].max())
    colours = np.where(appraisal["eligible"].astype(bool), "#1b7f3b", "#b3261e")
    ax.scatter(x, y, s=size, c=colours, alpha=0.6, edgecolors="black", linewidths=0.6)
    for xi, yi, pid in zip(x, y, appraisal.index):
        ax.annotate(str(pid), (xi, yi), textcoords="offset points", xytext=(12, 10), fontsize="small")
    ax.axhline(0, color="grey", linestyle="--", linewidth=1)
    ax.axvline(policy.max_discounted_payback, color="grey", linestyle="--", linewidth=1)
    ax.set_xlim(0, horizon + 1.0)
    ax.margins(y=0.2)
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], marker="o", linestyle="none", color=c, alpha=0.6, markersize=9, label=label)
                       for c, label in (("#1b7f3b", "passes the policy's gate"), ("#b3261e", "fails the gate"))],
              loc="lower left", fontsize="small")
    ax.set_xlabel("Discounted payback (years; right edge = never)")
    ax.set_ylabel(f"NPV at {policy.hurdle_rate:.0%} (GBP thousands)")
    ax.set_title(title)
    return ax


# -- the decision -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """One approve/reject decision with its reasons (and any conditions attached to an approval)."""

    proposal_id: str
    decision: str
    reasons: str
    conditions: str = ""


def _text(value: object, limit: int = 40) -> str:
    """A value the trainee gave, as a problem names it: its text, cut short (a pasted page stays out of it)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quoted(value: object, limit: int = 40) -> str:
    """The same, quoted: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error_text(error: BaseException) -> str:
    """The first line of an error's message, cut short (it may quote a pasted task name)."""
    try:
        message = str(error).strip()
    except Exception:  # an exception whose message itself fails
        message = ""
    return _text(message.splitlines()[0], 200) if message else type(error).__name__


def _listed(values: Sequence[str], limit: int = 5) -> str:
    """'a, b, c', naming at most ``limit`` of them."""
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit:,} more" if len(values) > limit else "")


def _decisions(decisions: Union[Mapping[str, Decision], Iterable[Decision]]) -> list[Decision]:
    items = list(decisions.values()) if isinstance(decisions, Mapping) else list(decisions)
    bad = [d for d in items if not isinstance(d, Decision)]
    if bad:
        raise TypeError(f"every decision must be a Decision(...), not {type(bad[0]).__name__}")
    return items


def decision_record(decisions: Union[Mapping[str, Decision], Iterable[Decision]], appraisal: pd.DataFrame,
                    decided_by: str, decided_on: str) -> pd.DataFrame:
    """The decision log: one row per decision with the numbers it rests on, the reasons and conditions."""
    rows = []
    for d in _decisions(decisions):
        facts = appraisal.loc[d.proposal_id] if d.proposal_id in appraisal.index else None
        rows.append({"proposal_id": d.proposal_id,
                     "title": facts["title"] if facts is not None else "",
                     "decision": d.decision, "npv": facts["npv"] if facts is not None else math.nan,
                     "discounted_payback": facts["discounted_payback"] if facts is not None else math.nan,
                     "risk_emv": facts["risk_emv"] if facts is not None else math.nan,
                     "reasons": d.reasons, "conditions": d.conditions,
                     "decided_by": decided_by, "decided_on": decided_on})
    return pd.DataFrame(rows)


def decision_problems(decisions: Union[Mapping[str, Decision], Iterable[Decision]], appraisal: pd.DataFrame,
                      policy: InvestmentPolicy = KESTREL_POLICY) -> list[str]:
    """What is wrong with a set of decisions, in plain sentences (an empty list: nothing).

    The rules: every proposal gets exactly one decision, ``approve`` or ``reject``; no more approvals than the
    policy allows; a proposal that fails the gate is never approved; the approved proposal is the best by the
    policy's weighted score; every decision gives reasons of at least 12 words that quote at least one figure.
    """
    items = _decisions(decisions)
    problems: list[str] = []
    ids = [d.proposal_id for d in items]
    unknown = [i for i in ids if i not in appraisal.index]
    if unknown:
        problems.append(f"There is no proposal {_listed([_quoted(i) for i in unknown])}: use the ids in "
                        "proposals.csv.")
    counts = Counter(ids)  # counted once: ids.count() for each id took seconds on thousands of decisions
    repeated = sorted(i for i, n in counts.items() if n > 1)
    if repeated:
        problems.append(f"{_listed([_text(i) for i in repeated])} has more than one decision: decide each proposal "
                        "once.")
    undecided = [p for p in appraisal.index if p not in counts]
    if undecided:
        problems.append(f"No decision yet for {', '.join(undecided)}: every proposal gets an answer.")
    words = [d for d in items if str(d.decision).strip().lower() not in ("approve", "reject")]
    if words:
        problems.append(f"The decision for {_text(words[0].proposal_id)} is {_quoted(words[0].decision)}: write "
                        "'approve' or 'reject'.")
    approved = [d.proposal_id for d in items if str(d.decision).strip().lower() == "approve"]
    if len(approved) > policy.approvals_per_year:
        problems.append(f"You approve {len(approved)} proposals; the policy allows {policy.approvals_per_year} this "
                        "year, because the IT team can run only that many.")
    if not approved and bool(appraisal["eligible"].astype(bool).any()):
        problems.append("Nothing is approved, yet at least one proposal passes the policy's gate.")
    for pid in approved:
        if pid in appraisal.index and not bool(appraisal.loc[pid, "eligible"]):
            problems.append(f"{pid} fails the policy's gate ({appraisal.loc[pid, 'gate']}), so it cannot be approved.")
    eligible = appraisal[appraisal["eligible"].astype(bool)]
    if len(approved) == 1 and approved[0] in eligible.index and not eligible.empty:
        best = best_proposal(appraisal, policy.weights)
        if approved[0] != best:
            problems.append(f"You approve {approved[0]}, but another eligible proposal scores higher on the policy's "
                            "weighted criteria.")
    for d in items:
        text = str(d.reasons)
        if len(text.split()) < 12:
            problems.append(f"The reasons for {_text(d.proposal_id)} are too thin ({len(text.split())} words): say "
                            "why, in at least 12 words.")
        elif not re.search(r"\d", text):
            problems.append(f"The reasons for {_text(d.proposal_id)} quote no figure: cite the NPV, payback, risk or "
                            "score the decision rests on.")
    return problems


# -- the charter ------------------------------------------------------------------------------------
@dataclass
class Charter:
    """The document that starts an approved project.

    ``milestones`` is a plan table for :func:`ssup.plan.schedule` with durations in **weeks**: columns task,
    duration, predecessors; one task is the go-live (its name contains "go-live"). ``success_metrics`` has one row
    per metric: kpi (a name from :data:`ssup.strategy.KPIS`), baseline (measured now), target, and by (the date
    the target should be reached).
    """

    project: str
    proposal_id: str
    sponsor: str
    objectives: Sequence[str]
    budget_gbp: float
    start: str
    milestones: pd.DataFrame
    success_metrics: pd.DataFrame
    scope: str = ""

    def schedule(self) -> pd.DataFrame:
        """The milestones scheduled (critical path, in weeks) with calendar start and finish dates."""
        table = plan.schedule(self.milestones)
        start = pd.Timestamp(self.start)
        table["start_date"] = [start + pd.Timedelta(weeks=float(w)) for w in table["es"]]
        table["finish_date"] = [start + pd.Timedelta(weeks=float(w)) for w in table["ef"]]
        return table

    def go_live_task(self) -> Optional[str]:
        """The name of the go-live task, or None."""
        names = [str(t) for t in self.milestones["task"]] if "task" in self.milestones.columns else []
        return next((n for n in names if re.search(r"go[- ]?live", n, re.I)), None)

    def go_live(self) -> pd.Timestamp:
        """Planned go-live date (the finish of the go-live task)."""
        task = self.go_live_task()
        if task is None:
            raise ValueError("the milestones have no go-live task (a task whose name contains 'go-live')")
        return pd.Timestamp(self.schedule().loc[task, "finish_date"])

    def problems(self, proposals: pd.DataFrame, cashflows: pd.DataFrame,
                 baselines: Optional[Mapping[str, float]] = None, tolerance: float = 0.5) -> list[str]:
        """What the charter still lacks, in plain sentences (an empty list: ready to sign).

        Checks it against the approved business case (``proposals``, ``cashflows``): the budget is the year-0
        investment, the objectives are ones the proposal supports, the go-live is within the promised delivery
        months; and its success metrics: at least two scorecard KPIs, each with a target better than its baseline,
        due after go-live, and (when ``baselines`` are given) a baseline within ``tolerance`` of the measured value.
        """
        problems: list[str] = []
        if not str(self.project).strip() or not str(self.sponsor).strip():
            problems.append("Name the project and its sponsor.")
        known = proposals.set_index("proposal_id")
        if self.proposal_id not in known.index:
            return problems + [f"There is no proposal {_quoted(self.proposal_id)}: use its id from proposals.csv."]
        case = known.loc[self.proposal_id]
        capital = float(cashflows[(cashflows["proposal_id"] == self.proposal_id) & (cashflows["year"] == 0)]
                        ["capital_gbp"].sum())
        if not isinstance(self.budget_gbp, (int, float)) or abs(float(self.budget_gbp) - capital) > 1.0:
            problems.append(f"The budget ({_quoted(self.budget_gbp)}) is not what the business case invests in year 0: "
                            "the charter's budget is the approved capital_gbp.")
        supported = set(str(case["objectives"]).split(";"))
        chosen = [str(o).strip() for o in self.objectives]
        if not chosen or [o for o in chosen if o not in supported]:
            problems.append(f"The objectives should be ones the proposal supports ({', '.join(sorted(supported))}).")
        go_live: Optional[pd.Timestamp] = None
        try:
            go_live = self.go_live()
        except Exception as error:  # a plan with a cycle, an unknown predecessor, no go-live ...
            problems.append(f"The milestones cannot be scheduled: {_error_text(error)}")
        if go_live is not None:
            weeks = (go_live - pd.Timestamp(self.start)).days / 7
            allowed = float(case["delivery_months"]) * WEEKS_PER_MONTH
            if weeks > allowed + 1e-9:
                problems.append(f"Go-live is {weeks:.0f} weeks after the start; the business case promises it within "
                                f"{case['delivery_months']} months (about {allowed:.0f} weeks).")
            if len(self.milestones) < 4:
                problems.append("A charter needs at least four milestones (for example design, build, pilot, "
                                "go-live) so progress can be reported.")
        problems += self._metric_problems(go_live, baselines, tolerance)
        return problems

    def _metric_problems(self, go_live: Optional[pd.Timestamp], baselines: Optional[Mapping[str, float]],
                         tolerance: float) -> list[str]:
        metrics = self.success_metrics
        needed = ("kpi", "baseline", "target", "by")
        if not isinstance(metrics, pd.DataFrame) or [c for c in needed if c not in metrics.columns]:
            return ["success_metrics must be a table with the columns kpi, baseline, target and by."]
        if len(metrics) > len(strategy.KPIS):  # each row must be a different KPI of the scorecard
            return [f"There are {len(metrics):,} success metrics, but the scorecard has only {len(strategy.KPIS)} "
                    "KPIs: give each KPI you will measure once."]
        problems = []
        listed = [str(kpi) for kpi in metrics["kpi"]]
        repeated = sorted({kpi for kpi in listed if listed.count(kpi) > 1})
        if repeated:
            problems.append(f"{', '.join(_quoted(kpi) for kpi in repeated)} is listed more than once: give each KPI "
                            "one baseline, one target and one date.")
        if len(set(listed)) < 2:
            problems.append("Give at least two success metrics, so success is not judged on one number.")
        for row in metrics.itertuples(index=False):
            kpi = strategy.KPIS.get(str(row.kpi))
            if kpi is None:
                problems.append(f"{_quoted(row.kpi)} is not a scorecard KPI; use one of: {', '.join(strategy.KPIS)}.")
                continue
            better = row.target > row.baseline if kpi.direction == "higher" else row.target < row.baseline
            if not better:
                problems.append(f"The target for {row.kpi} ({row.target:g}) is not better than its baseline "
                                f"({row.baseline:g}); for this KPI {kpi.direction} is better.")
            if baselines is not None and row.kpi in baselines and abs(row.baseline - baselines[row.kpi]) > tolerance:
                problems.append(f"The baseline of {row.kpi} is {row.baseline:g}, but the data says otherwise: measure "
                                "it over the last twelve months.")
            if isinstance(row.by, str) and len(row.by) > 64:  # no date is that long: dateutil takes seconds on it
                problems.append(f"The by date of {row.kpi} ({_text(row.by)}) is not a date like '2027-09-30'.")
                continue
            by = pd.Timestamp(row.by)
            if go_live is not None and by <= go_live:
                problems.append(f"{row.kpi} is due on {by.date()}, before go-live on {go_live.date()}: benefits come "
                                "after the system is live.")
        return problems

    def summary(self) -> str:
        """The charter as text, for the decision pack."""
        lines = [f"PROJECT CHARTER: {self.project} ({self.proposal_id})",
                 f"Sponsor: {self.sponsor}    Budget: £{float(self.budget_gbp):,.0f}    Start: {self.start}",
                 f"Objectives: {', '.join(self.objectives)}"]
        if self.scope:
            lines.append(f"Scope: {self.scope}")
        lines.append("Milestones:")
        for task, row in self.schedule().sort_values("finish_date", kind="stable").iterrows():
            lines.append(f"  {row['finish_date']:%Y-%m-%d}  {task}")
        lines.append("Success metrics:")
        for row in self.success_metrics.itertuples(index=False):
            lines.append(f"  {row.kpi}: {row.baseline:g} -> {row.target:g} by {pd.Timestamp(row.by):%Y-%m-%d}")
        return "\n".join(lines)
