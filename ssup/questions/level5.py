"""Level 5 questions: advice quality (5.1), reliable estimates and plans (5.2), managing presales and bid
content (5.3), metrics for performance and improvement (5.4).

Every expected answer is computed from the data when the check runs, with the tested helpers the lesson
teaches (:mod:`ssup.quality`, :mod:`ssup.calibration`, :mod:`ssup.bid_management`, :mod:`ssup.performance`),
so the questions stay right for a dataset generated with another seed.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Callable

import numpy as np
import pandas as pd

from ssup import bid_management, calibration, checks, metrics, performance, quality
from ssup.config import data_dir
from ssup.data import load
from ssup.data.management import CHECKLIST_START
from ssup.exercise import Question, Verdict, incorrect

#: Periods the questions use (half-open: start <= date < end).
Q2_START, Q2_END = "2026-04-01", "2026-07-01"
CHART_START, CHART_END = "2024-07-01", "2026-06-29"
CHECKLIST = pd.Timestamp(CHECKLIST_START)


def _memo(*tables: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Remember a computed answer until one of ``tables`` changes (a check and its diagnoses reuse it)."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        cache: dict[Any, Any] = {}

        @functools.wraps(function)
        def inner(*args: Any, **kwargs: Any) -> Any:
            folder = data_dir()
            key = (str(folder), tuple((folder / f"{t}.csv").stat().st_mtime_ns for t in tables), args,
                   tuple(sorted(kwargs.items())))
            if key not in cache:
                if len(cache) >= 32:
                    cache.clear()
                cache[key] = function(*args, **kwargs)
            value = cache[key]
            return value.copy() if hasattr(value, "copy") else value

        return inner

    return wrap


def _close(a: float, b: float, tol: float = 0.05) -> bool:
    return abs(float(a) - float(b)) <= tol


def _ids(value: Any) -> set[str]:
    """A trainee's list as a set of upper-case texts (for comparing with another answer in a diagnosis)."""
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        value = value.tolist()
    return {str(v).strip().upper() for v in value}


def _same(value: Any, other: list[str], expected: list[str]) -> bool:
    """True when the trainee gave exactly ``other`` and that differs from the right answer."""
    return _ids(value) == _ids(other) and _ids(other) != _ids(expected)


# -- 5.1 advice quality -------------------------------------------------------------------------------


@_memo("advice_reviews")
def _scored() -> pd.DataFrame:
    return quality.score(load("advice_reviews"))


def _pass_rate(record_type: str | None) -> float:
    s = _scored()
    if record_type:
        s = s[s["record_type"] == record_type]
    return 100.0 * float(s["passed"].mean())


def _all_met_rate(record_type: str) -> float:
    s = _scored()
    s = s[s["record_type"] == record_type]
    return 100.0 * float(s[quality.ADVICE_RUBRIC.names].astype(bool).all(axis=1).mean())


q1 = Question(
    id="L5.q1", title="Pass rate of the bid reviews", behaviours=("5.1",), answer="bid_pass_rate",
    prompt="What percentage of the reviewed bids passed Kestrel's advice rubric?",
    grader=checks.number(
        lambda: _pass_rate("bid"), tolerance=0.05, unit="%",
        mistakes=[(lambda v: _close(v * 100, _pass_rate("bid"), 0.05),
                   "That is a fraction: give the percentage (multiply by 100)."),
                  (lambda v: _close(v, _pass_rate("ticket")), "That is the pass rate of the TICKET reviews; keep "
                                                              "the rows where record_type is 'bid'."),
                  (lambda v: _close(v, _pass_rate(None)), "That is every review, tickets and bids together; keep "
                                                          "the rows where record_type is 'bid'."),
                  (lambda v: _close(v, _all_met_rate("bid")),
                   "That counts only bids that met every criterion. The rubric passes a record that misses one "
                   "minor criterion if its weighted score reaches the pass mark: use quality.score."),
                  (lambda v: _close(v, float(_scored().query("record_type == 'bid'")["score"].mean())),
                   "That is the average score, not the share of reviews that passed.")]),
    hints=("Score every review with quality.score(reviews): it adds the columns score and passed.",
           "scored = quality.score(reviews); then take scored[scored.record_type == 'bid'].passed.mean() and "
           "multiply by 100."),
    solution_code=("scored = quality.score(reviews)\n"
                   "bid_pass_rate = 100 * scored[scored.record_type == \"bid\"].passed.mean()"),
)


@_memo("advice_reviews", "tickets")
def _q2_inputs() -> tuple[float, int]:
    s = _scored()
    week = s["record_week"]
    q2 = s[(s["record_type"] == "ticket") & (week >= Q2_START) & (week < Q2_END)]
    tickets = load("tickets")
    resolved = tickets[(tickets["resolved_at"] >= Q2_START) & (tickets["resolved_at"] < Q2_END)]
    return float(q2["passed"].mean()), len(resolved)


def _reviews_needed(rate: float | None = None, population: bool = True) -> int:
    p, n = _q2_inputs()
    return quality.sample_size(p if rate is None else rate, 0.04, 0.95, population=n if population else None)


q2 = Question(
    id="L5.q2", title="How many ticket reviews a quarter?", behaviours=("5.1",), answer="reviews_per_quarter",
    prompt=("How many tickets must the quality team review next quarter to know the Service Desk's pass rate within "
            "plus or minus 4 percentage points at 95% confidence? Expect the pass rate of the ticket reviews of Q2 "
            "2026 (record_week from 2026-04-01 to 2026-06-30), out of the tickets resolved in Q2 2026."),
    grader=checks.number(
        lambda: _reviews_needed(), tolerance=0.5, unit=" reviews",
        mistakes=[(lambda v: _close(v, _reviews_needed(population=False), 0.5),
                   "That ignores how many tickets there are to sample from: pass population= the number of tickets "
                   "resolved in Q2 2026 (the finite population correction)."),
                  (lambda v: _close(v, _reviews_needed(rate=0.5), 0.5),
                   "That assumes a 50% pass rate. Use the pass rate the Q2 ticket reviews actually show."),
                  (lambda v: _close(v, quality.sample_size(_q2_inputs()[0], 0.04, 0.90, _q2_inputs()[1]), 0.5),
                   "That is for 90% confidence; the question asks for 95%.")]),
    hints=("Two inputs: the expected pass rate (ticket reviews with record_week in Q2 2026, scored) and the "
           "population (tickets with resolved_at in Q2 2026). Then quality.sample_size.",
           "quality.sample_size(expected_rate, margin=0.04, confidence=0.95, population=len(q2_tickets)); rates "
           "and margins are fractions, so 4 points is 0.04."),
    solution_code=('scored = quality.score(reviews)\n'
                   'q2_reviews = scored[(scored.record_type == "ticket") & (scored.record_week >= "2026-04-01")\n'
                   '                    & (scored.record_week < "2026-07-01")]\n'
                   'q2_tickets = tickets[(tickets.resolved_at >= "2026-04-01") & (tickets.resolved_at < "2026-07-01")]\n'
                   "reviews_per_quarter = quality.sample_size(q2_reviews.passed.mean(), 0.04, 0.95,\n"
                   "                                          population=len(q2_tickets))"),
)


@_memo("advice_reviews")
def _coaching(record_type: str | None = "ticket", min_reviews: int = 20) -> pd.DataFrame:
    s = _scored()
    if record_type:
        s = s[s["record_type"] == record_type]
    return quality.coaching_plan(s, min_reviews=min_reviews)[["advisor_id", "criterion"]]


def _pairs(value: Any) -> set[tuple[str, str]]:
    table = value.reset_index() if isinstance(value, pd.DataFrame) else pd.DataFrame()
    return {(str(a).upper(), str(c).lower()) for a, c in zip(table["advisor_id"], table["criterion"])}


def _same_plan(alternative: Callable[[], pd.DataFrame]) -> Callable[[Any], bool]:
    return lambda v: _pairs(v) == _pairs(alternative()) != _pairs(_coaching())


q3 = Question(
    id="L5.q3", title="The Service Desk's coaching plan", behaviours=("5.1",), answer="coaching",
    prompt=("Build the coaching plan from the TICKET reviews only, for advisors with at least 20 reviews: a table with "
            "(at least) the columns advisor_id and criterion, one row per advisor and criterion to coach."),
    grader=checks.frame(
        _coaching, sort_by=["advisor_id", "criterion"], ignore_extra_columns=True,
        mistakes=[(_same_plan(lambda: _coaching(None)), "Your plan uses the bid reviews too: keep the rows where "
                                                       "record_type is 'ticket'."),
                  (_same_plan(lambda: _coaching("ticket", 10)), "Your plan includes advisors with fewer than 20 "
                                                               "reviews: pass min_reviews=20.")]),
    hints=("Score the reviews, keep the ticket reviews, then quality.coaching_plan(...) with min_reviews=20.",
           "coaching = quality.coaching_plan(quality.score(reviews[reviews.record_type == 'ticket']), min_reviews=20)"),
    solution_code='coaching = quality.coaching_plan(quality.score(reviews[reviews.record_type == "ticket"]), min_reviews=20)',
)

# -- 5.2 reliable estimates and plans -------------------------------------------------------------------


@_memo("projects")
def _calibration(**kwargs: Any) -> pd.DataFrame:
    return calibration.calibrate(load("projects"), **kwargs)


def _ratios(kind: str, drop: bool = True) -> pd.Series:
    r = calibration.effort_ratios(load("projects"), drop_implausible=drop)
    return r.loc[r["project_type"] == kind, "ratio"]


def _uplift() -> float:
    return float(_calibration().loc["integration_heavy", "uplift"])


q4 = Question(
    id="L5.q4", title="P80 uplift for integration-heavy estimates", behaviours=("5.2",), answer="integration_uplift",
    prompt=("By what factor must a presales effort estimate for an integration_heavy project be multiplied so that, "
            "on Kestrel's track record, it is enough four times out of five (P80)? Give the multiplier, e.g. 1.25."),
    grader=checks.number(
        _uplift, tolerance=0.005,
        mistakes=[(lambda v: _close(v, 100 * (_uplift() - 1), 0.5),
                   "That is the contingency in percent; the question asks for the multiplier (1 + contingency)."),
                  (lambda v: _close(v, float(_ratios("integration_heavy").median()), 0.005),
                   "That is the median ratio (the bias): half of the projects overran by more than that."),
                  (lambda v: _close(v, float(np.percentile(_ratios("integration_heavy"), 90)), 0.005),
                   "That is the P90 uplift; the question asks for P80."),
                  (lambda v: _close(v, float(np.percentile(_ratios("integration_heavy", drop=False), 80)), 0.005)
                   and not _close(_uplift(), float(np.percentile(_ratios("integration_heavy", drop=False), 80)), 0.005),
                   "You kept a booking whose effort disagrees with its cost (implausible_actuals): leave it out."),
                  (lambda v: v < 1, "A factor below 1 would shrink the estimate, but these projects overran. Divide "
                                    "actual by estimated effort, not the other way round.")]),
    hints=("calibration.calibrate(projects) gives one row per project type; the uplift column is the ratio "
           "actual/estimated effort that 80% of the projects did not exceed.",
           "calibration.calibrate(projects).loc['integration_heavy', 'uplift']"),
    solution_code='integration_uplift = calibration.calibrate(projects).loc["integration_heavy", "uplift"]',
)


@_memo("draft_estimates", "projects")
def _estimate_review() -> pd.DataFrame:
    return calibration.review_estimates(load("draft_estimates"), _calibration())


@_memo("draft_estimates", "draft_plan_tasks", "opportunities", "products")
def _plan_review() -> pd.DataFrame:
    drafts = load("draft_estimates")
    lead = calibration.hardware_lead_days(drafts, load("opportunities"), load("products"))
    return calibration.review_plans(load("draft_plan_tasks"), drafts, lead)


def _failed(table: pd.DataFrame) -> list[str]:
    return sorted(table.index[~table["passed"]])


def _returned() -> list[str]:
    return sorted(set(_failed(_estimate_review())) | set(_failed(_plan_review())))


q5 = Question(
    id="L5.q5", title="Which draft estimates go back?", behaviours=("5.2",), answer="returned_estimates",
    prompt=("List the estimate_id of every draft that must go back to its estimator: it fails the estimate checklist "
            "or its plan fails a plan sanity check."),
    grader=checks.collection(
        _returned, item="estimate",
        mistakes=[(lambda v: _same(v, _failed(_estimate_review()), _returned()),
                   "Those are the drafts that fail the estimate checklist; some plans fail their sanity checks too "
                   "(calibration.review_plans)."),
                  (lambda v: _same(v, _failed(_plan_review()), _returned()),
                   "Those are the drafts whose plan fails a sanity check; some estimates fail the estimate "
                   "checklist too (calibration.review_estimates).")]),
    hints=("Two reviews: calibration.review_estimates(drafts, calibration) and calibration.review_plans(tasks, "
           "drafts, lead_days). A draft goes back if either says passed is False.",
           "Take the index of the rows where passed is False in each review, and combine them with set union (|)."),
    solution_code=("estimate_review = calibration.review_estimates(drafts, calibration.calibrate(projects))\n"
                   "lead = calibration.hardware_lead_days(drafts, opportunities, products)\n"
                   "plan_review = calibration.review_plans(tasks, drafts, lead)\n"
                   "returned_estimates = sorted(set(estimate_review.index[~estimate_review.passed])\n"
                   "                            | set(plan_review.index[~plan_review.passed]))"),
)


def _late_plans() -> list[str]:
    review = _plan_review()
    return sorted(review.index[review["schedulable"] & ~review["fits_go_live"]])


def _late_in_calendar_days() -> list[str]:
    review = _plan_review()
    drafts = load("draft_estimates").set_index("estimate_id")
    days = (drafts["go_live_date"] - drafts["start_date"]).dt.days.reindex(review.index)
    return sorted(review.index[review["schedulable"] & (review["critical_path_days"] > days)])


q6 = Question(
    id="L5.q6", title="Plans that cannot make their go-live", behaviours=("5.2",), answer="late_plans",
    prompt=("Which draft plans can be scheduled but cannot finish by the go-live date the sales team proposes (the "
            "critical path is longer than the working days from start_date to go_live_date)? List their estimate_id."),
    grader=checks.collection(
        _late_plans, item="plan",
        mistakes=[(lambda v: _same(v, sorted(_plan_review().index[~_plan_review()["fits_go_live"]]), _late_plans()),
                   "Your list includes plans that cannot be scheduled at all (an unknown predecessor): that is a "
                   "different problem. Keep the schedulable ones."),
                  (lambda v: _same(v, _late_in_calendar_days(), _late_plans()),
                   "You counted calendar days; plans are in working days (Monday to Friday): np.busday_count, or "
                   "the working_days column of calibration.review_plans.")]),
    hints=("calibration.review_plans(...) has the columns schedulable, critical_path_days, working_days and "
           "fits_go_live.",
           "plan_review[plan_review.schedulable & ~plan_review.fits_go_live].index"),
    solution_code=("lead = calibration.hardware_lead_days(drafts, opportunities, products)\n"
                   "plan_review = calibration.review_plans(tasks, drafts, lead)\n"
                   "late_plans = list(plan_review[plan_review.schedulable & ~plan_review.fits_go_live].index)"),
)

# -- 5.3 managing presales and bid content ----------------------------------------------------------------


@_memo("bid_pipeline")
def _bid_decisions() -> pd.DataFrame:
    return bid_management.bid_scores(load("bid_pipeline"))


def _no_bids() -> list[str]:
    d = _bid_decisions()
    return sorted(d.loc[d["decision"] == "no_bid", "opportunity_id"])


def _low_scores_only() -> list[str]:
    d = _bid_decisions()
    return sorted(d.loc[d["score"] < bid_management.BID_THRESHOLD, "opportunity_id"])


def _knockouts_only() -> list[str]:
    d = _bid_decisions()
    return sorted(d.loc[d["technical_fit"] <= bid_management.KNOCKOUTS["technical_fit"], "opportunity_id"])


q7 = Question(
    id="L5.q7", title="Bid or no bid?", behaviours=("5.3",), answer="no_bids",
    prompt=("Score the presales pipeline with Kestrel's bid/no-bid weights, threshold and knock-out: list the "
            "opportunity_id of every item that gets a no-bid."),
    grader=checks.collection(
        _no_bids, item="opportunity id",
        mistakes=[(lambda v: _same(v, _low_scores_only(), _no_bids()),
                   "You applied the threshold but not the knock-out: a technical fit of 2 or less is a no-bid "
                   "whatever the total."),
                  (lambda v: _same(v, _knockouts_only(), _no_bids()),
                   "You applied the knock-out but not the threshold: a weighted score below 3 is a no-bid too.")]),
    hints=("bid_management.bid_scores(pipeline) adds score, decision and reason.",
           "scored = bid_management.bid_scores(pipeline); scored[scored.decision == 'no_bid'].opportunity_id"),
    solution_code=("decisions = bid_management.bid_scores(pipeline)\n"
                   'no_bids = list(decisions[decisions.decision == "no_bid"].opportunity_id)'),
)


def _preferred() -> pd.Series:
    return load("opportunities").set_index("opportunity_id")["presales_agent_id"]


@_memo("bid_pipeline", "presales_capacity", "opportunities")
def _declined(preferred: bool = True) -> list[str]:
    result = bid_management.plan_presales(load("bid_pipeline"), load("presales_capacity"),
                                          preferred=_preferred() if preferred else None)
    a = result.assignments
    return sorted(a.loc[a["decision"] == "declined", "opportunity_id"])


q8 = Question(
    id="L5.q8", title="What presales must decline", behaviours=("5.3",), answer="declined",
    prompt=("Plan the next eight weeks of presales work (bid_management.plan_presales), keeping each account's "
            "presales consultant where they have the time. List the opportunity_id of every item that must be "
            "declined for lack of capacity."),
    grader=checks.collection(
        _declined, item="opportunity id",
        mistakes=[(lambda v: _same(v, _declined(False), _declined()),
                   "Your plan ignores who already works on each account: pass preferred= the presales_agent_id of "
                   "each opportunity."),
                  (lambda v: bool(_no_bids()) and _ids(_no_bids()) <= _ids(v) and _ids(v) != _ids(_declined()),
                   "Your list includes the no-bids; they are not declined for capacity, they are not pursued at all.")]),
    hints=("plan_presales(pipeline, capacity, preferred=...) returns assignments with a decision column: assigned, "
           "declined or no_bid.",
           "preferred = opportunities.set_index('opportunity_id').presales_agent_id; then keep the assignments whose "
           "decision is 'declined'."),
    solution_code=('preferred = opportunities.set_index("opportunity_id").presales_agent_id\n'
                   "presales_plan = bid_management.plan_presales(pipeline, capacity, preferred=preferred)\n"
                   "a = presales_plan.assignments\n"
                   'declined = list(a[a.decision == "declined"].opportunity_id)'),
)


@_memo("bid_requirements", "bid_sections")
def _gate() -> pd.DataFrame:
    return bid_management.gate_summary(load("bid_requirements"), load("bid_sections"))


def _gate_passed() -> list[str]:
    g = _gate()
    return sorted(g.index[g["passed"]])


def _passing(checks_: list[str]) -> list[str]:
    g = _gate()
    return sorted(g.index[g[checks_].all(axis=1)])


q9 = Question(
    id="L5.q9", title="Bids that pass the technical quality gate", behaviours=("5.3",), answer="gate_passed",
    prompt=("Put every bid being written through the technical quality gate. List the opportunity_id of the bids "
            "that pass it and can be submitted."),
    grader=checks.collection(
        _gate_passed, item="bid",
        mistakes=[(lambda v: _same(v, _passing(["requirements_answered", "mandatory_met"]), _gate_passed()),
                   "You checked the compliance matrix only; the gate also checks that the figures agree across "
                   "sections and that every section is signed off."),
                  (lambda v: _same(v, _passing(["requirements_answered"]), _gate_passed()),
                   "You checked only that every requirement is answered; mandatory requirements must be met, the "
                   "figures must agree and every section must be signed off too.")]),
    hints=("bid_management.gate_summary(requirements, sections) gives one row per bid with passed.",
           "gate = bid_management.gate_summary(requirements, sections); list(gate.index[gate.passed])"),
    solution_code=("gate = bid_management.gate_summary(requirements, sections)\n"
                   "gate_passed = list(gate.index[gate.passed])"),
)

# -- 5.4 metrics for performance and improvement ----------------------------------------------------------


def _metric(name: str) -> performance.Metric:
    return next(m for m in performance.SALES_SUPPORT_METRICS if m.name == name)


@_memo("tickets")
def _weekly_escalation() -> pd.Series:
    return performance.weekly(_metric("escalation_pct"), {"tickets": load("tickets")}, CHART_START, CHART_END)


def _signal_weeks(rule: str = "out_of_limits") -> list[str]:
    signals = metrics.xmr_signals(_weekly_escalation())
    return [f"{w:%Y-%m-%d}" for w in signals.index[signals[rule]]]


def _as_day(value: Any) -> Any:
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, str):
        return value.strip()[:10]
    return value


def _weeks_grader() -> Callable[[Any], Verdict]:
    inner = checks.collection(
        lambda: _signal_weeks(), item="week",
        mistakes=[(lambda v: set(v) == set(_signal_weeks()) | set(_signal_weeks("run_of_eight"))
                   and set(_signal_weeks("run_of_eight")) - set(_signal_weeks()),
                   "Your list includes the weeks in runs of eight as well; the question asks for the points outside "
                   "the natural process limits.")])

    def grade(value: Any) -> Verdict:
        if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
            value = list(value.tolist())
        if isinstance(value, (list, tuple, set)):
            value = [_as_day(v) for v in value]
            if not value:
                return incorrect("Your list is empty, but some weeks are outside the limits: look at out_of_limits.")
        return inner(value)

    return grade


q10 = Question(
    id="L5.q10", title="Signal or noise: escalations week by week", behaviours=("5.4",),
    answer="signal_weeks",
    prompt=("Chart the weekly escalation rate (the escalation_pct metric) for tickets created from 2024-07-01 up to "
            "2026-06-29 as an XmR chart. List the weeks (the Monday of each, 'YYYY-MM-DD') whose value is outside "
            "the natural process limits."),
    grader=_weeks_grader(),
    hints=("performance.weekly(metric, {'tickets': tickets}, '2024-07-01', '2026-06-29') gives one value per week; "
           "metrics.xmr_signals(...) marks each week.",
           "signals = metrics.xmr_signals(weekly_escalation); [f'{w:%Y-%m-%d}' for w in signals.index[signals."
           "out_of_limits]]"),
    solution_code=('escalation = [m for m in performance.SALES_SUPPORT_METRICS if m.name == "escalation_pct"][0]\n'
                   'weekly_escalation = performance.weekly(escalation, {"tickets": tickets}, "2024-07-01", "2026-06-29")\n'
                   "signals = metrics.xmr_signals(weekly_escalation)\n"
                   'signal_weeks = [f"{w:%Y-%m-%d}" for w in signals.index[signals.out_of_limits]]'),
)


def _desk_ticket_reviews(desk_only: bool = True, tickets_only: bool = True) -> pd.DataFrame:
    reviews = load("advice_reviews")
    if tickets_only:
        reviews = reviews[reviews["record_type"] == "ticket"]
    if desk_only:
        team = reviews["advisor_id"].map(load("agents").set_index("agent_id")["team"])
        reviews = reviews[team == "Service Desk"]
    return reviews


@_memo("advice_reviews", "agents")
def _change(desk_only: bool = True, tickets_only: bool = True) -> float:
    reviews = _desk_ticket_reviews(desk_only, tickets_only)
    missed = ~reviews[["accurate", "fits_need"]].astype(bool).all(axis=1)
    after = reviews["record_week"] >= CHECKLIST
    r = performance.compare_rates(int(missed[~after].sum()), int((~after).sum()), int(missed[after].sum()),
                                  int(after.sum()))
    return r.change


q11 = Question(
    id="L5.q11", title="Did the checklist work?", behaviours=("5.4",), answer="checklist_change",
    prompt=("From the week of 2026-04-06 the Service Desk used the 'check before you advise' step. For ticket reviews "
            "of Service Desk advisors, by how many percentage points did the critical advice miss rate (accurate or "
            "fits_need not met) change: after minus before? A fall is negative."),
    grader=checks.number(
        _change, tolerance=0.05, unit=" points",
        mistakes=[(lambda v: _close(v, -_change()), "That is before minus after; the question asks for after minus "
                                                   "before, so a fall is negative."),
                  (lambda v: _close(v * 100, _change(), 0.05), "That is a fraction: give percentage points "
                                                               "(multiply by 100)."),
                  (lambda v: _close(v, _change(desk_only=False)) and not _close(_change(desk_only=False), _change()),
                   "You included advisors outside the Service Desk; the checklist was a Service Desk change."),
                  (lambda v: _close(v, _change(tickets_only=False)) and not _close(_change(tickets_only=False),
                                                                                    _change()),
                   "You included bid reviews; the checklist was for tickets.")]),
    hints=("Keep ticket reviews whose advisor is in the Service Desk (join agents). A critical miss is accurate == 0 "
           "or fits_need == 0. Split on record_week >= '2026-04-06'.",
           "performance.compare_rates(misses_before, n_before, misses_after, n_after).change"),
    solution_code=('desk = agents.set_index("agent_id").team\n'
                   'r = reviews[(reviews.record_type == "ticket") & (reviews.advisor_id.map(desk) == "Service Desk")]\n'
                   'missed = ~(r.accurate & r.fits_need)\n'
                   'after = r.record_week >= "2026-04-06"\n'
                   "checklist_change = performance.compare_rates(missed[~after].sum(), (~after).sum(),\n"
                   "                                             missed[after].sum(), after.sum()).change"),
)


@_memo("advice_reviews", "tickets", "projects", "opportunities")
def _dashboard(start: str = Q2_START, end: str = Q2_END) -> pd.DataFrame:
    tables = {name: load(name) for name in ("advice_reviews", "tickets", "projects", "opportunities")}
    return performance.dashboard(tables, start, end, previous=False)


def _status(*statuses: str, start: str = Q2_START, end: str = Q2_END) -> list[str]:
    d = _dashboard(start, end)
    return sorted(d.index[d["status"].isin(statuses)])


q12 = Question(
    id="L5.q12", title="What is off target this quarter?", behaviours=("5.4",), answer="off_target",
    prompt="Build the sales-support dashboard for Q2 2026 (from 2026-04-01 up to 2026-07-01). List the metrics that "
           "are off target.",
    grader=checks.collection(
        lambda: _status("off target"), item="metric",
        mistakes=[(lambda v: _same(v, _status("off target", "near target"), _status("off target")),
                   "Your list includes metrics that are only near target; the question asks for off target."),
                  (lambda v: _same(v, _status("off target", start="2026-01-01", end=Q2_START), _status("off target")),
                   "Those are the metrics off target in Q1 2026; the question asks for Q2 (2026-04-01 to 2026-07-01).")]),
    hints=("performance.dashboard(tables, '2026-04-01', '2026-07-01') needs a dict of the tables the metrics use: "
           "advice_reviews, tickets, projects and opportunities.",
           "board = performance.dashboard(tables, '2026-04-01', '2026-07-01'); list(board.index[board.status == "
           "'off target'])"),
    solution_code=('tables = {name: load(name) for name in ("advice_reviews", "tickets", "projects", "opportunities")}\n'
                   'board = performance.dashboard(tables, "2026-04-01", "2026-07-01")\n'
                   'off_target = list(board.index[board.status == "off target"])'),
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]
