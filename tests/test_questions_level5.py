"""Level 5 questions: a right answer, wrong answers (with the reason the trainee reads) and a missing one.

Right answers are computed here with plain pandas and numpy on the data (the rubric, the P80, the bid scores, the
XmR limits written out again), or with the tested reference function where re-deriving it would only copy it
(the presales plan, the quality gate, the plan checks); never typed in, so the tests hold for any seed.
"""

import math

import numpy as np
import pandas as pd
import pytest

from ssup import bid_management, calibration, performance, quality
from ssup.data import load
from ssup.questions import level5
from tests.questionkit import Case, Lazy, make_tests


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


# -- 5.1 -----------------------------------------------------------------------------------------------
def passed(reviews):
    score = (3 * reviews.accurate + 3 * reviews.fits_need + 2 * reviews.complete + reviews.next_steps
             + reviews.recorded) * 10
    return reviews.accurate & reviews.fits_need & (score >= 85)


def pass_rate(kind):
    r = load("advice_reviews")
    if kind:
        r = r[r.record_type == kind]
    return 100 * passed(r).mean()


def q2_inputs():
    r = load("advice_reviews")
    r = r[(r.record_type == "ticket") & (r.record_week >= "2026-04-01") & (r.record_week < "2026-07-01")]
    t = load("tickets")
    population = ((t.resolved_at >= "2026-04-01") & (t.resolved_at < "2026-07-01")).sum()
    return passed(r).mean(), population


def cochran(p, margin, z, population=None):
    n0 = z * z * p * (1 - p) / margin ** 2
    return math.ceil(n0 / (1 + (n0 - 1) / population) if population else n0)


def reviews_needed(population=True, p=None):
    rate, size = q2_inputs()
    return cochran(rate if p is None else p, 0.04, 1.959964, size if population else None)


def coaching(kind="ticket", min_reviews=20):
    from scipy import stats

    r = load("advice_reviews")
    if kind:
        r = r[r.record_type == kind]
    rows = []
    for advisor, mine in r.groupby("advisor_id"):
        if len(mine) < min_reviews:
            continue
        others = r[r.advisor_id != advisor]
        for criterion in ("accurate", "fits_need", "complete", "next_steps", "recorded"):
            k = int((~mine[criterion]).sum())
            if k >= 3 and stats.binom.sf(k - 1, len(mine), (~others[criterion]).mean()) < 0.01:
                rows.append((advisor, criterion))
    return pd.DataFrame(rows, columns=["advisor_id", "criterion"])


# -- 5.2 -----------------------------------------------------------------------------------------------
def plausible_ratios(kind, drop=True):
    p = load("projects").query("status == 'completed'")
    implied = (p.actual_cost_gbp - 420 * p.sites) / 850
    if drop:
        p = p[(p.actual_effort_days / implied.round(1) - 1).abs() <= 0.5]
    p = p[p.project_type == kind]
    return p.actual_effort_days / p.estimated_effort_days


def uplift(q=80):
    return float(np.percentile(plausible_ratios("integration_heavy"), q))


def reviews_5_2():
    drafts = load("draft_estimates")
    estimates = calibration.review_estimates(drafts, calibration.calibrate(load("projects")))
    lead = calibration.hardware_lead_days(drafts, load("opportunities"), load("products"))
    plans = calibration.review_plans(load("draft_plan_tasks"), drafts, lead)
    return estimates, plans


def returned(which=("estimates", "plans")):
    estimates, plans = reviews_5_2()
    out = set()
    if "estimates" in which:
        out |= set(estimates.index[~estimates.passed])
    if "plans" in which:
        out |= set(plans.index[~plans.passed])
    return sorted(out)


def late_plans(calendar=False, include_unschedulable=False):
    from ssup.plan import project_duration

    drafts = load("draft_estimates").set_index("estimate_id")
    tasks = load("draft_plan_tasks")
    late = []
    for estimate, plan in tasks.groupby("estimate_id"):
        try:
            days = project_duration(plan[["task", "duration", "predecessors"]])
        except ValueError:
            if include_unschedulable:
                late.append(estimate)
            continue
        start, end = drafts.loc[estimate, "start_date"], drafts.loc[estimate, "go_live_date"]
        available = (end - start).days if calendar else np.busday_count(start.date(), end.date())
        if days > available:
            late.append(estimate)
    return sorted(late)


# -- 5.3 -----------------------------------------------------------------------------------------------
def bid_table():
    p = load("bid_pipeline")
    p["score"] = (0.25 * p.strategic_fit + 0.25 * p.win_chance + 0.2 * p.technical_fit + 0.15 * p.deal_size
                  + 0.15 * p.delivery_confidence)
    return p


def no_bids(threshold=True, knockout=True):
    p = bid_table()
    out = pd.Series(False, index=p.index)
    if threshold:
        out |= p.score < 3 - 1e-9
    if knockout:
        out |= p.technical_fit <= 2
    return sorted(p.opportunity_id[out])


def declined(preferred=True, with_no_bids=False):
    prefer = load("opportunities").set_index("opportunity_id").presales_agent_id if preferred else None
    a = bid_management.plan_presales(load("bid_pipeline"), load("presales_capacity"), preferred=prefer).assignments
    wanted = ["declined", "no_bid"] if with_no_bids else ["declined"]
    return sorted(a.opportunity_id[a.decision.isin(wanted)])


def gate_passed(only=None):
    reqs, secs = load("bid_requirements"), load("bid_sections")
    bad = set(reqs.opportunity_id[reqs.response.isna() | reqs.compliance.isna()])
    if only != "answered":
        bad |= set(reqs.opportunity_id[reqs.mandatory & (reqs.compliance == "none")])
    if only is None:
        for column in ("devices_stated", "gateways_stated", "effort_days_stated", "price_gbp_stated"):
            counts = secs.dropna(subset=[column]).groupby("opportunity_id")[column].nunique()
            bad |= set(counts.index[counts > 1])
        bad |= set(secs.opportunity_id[secs.signed_off_by.isna() | secs.signed_off_date.isna()
                                       | (secs.signed_off_by == secs.author_id)])
    return sorted(set(reqs.opportunity_id) - bad)


# -- 5.4 -----------------------------------------------------------------------------------------------
def weekly_escalation():
    t = load("tickets")
    t = t[(t.created_at >= "2024-07-01") & (t.created_at < "2026-06-29")]
    return 100 * t.groupby(t.created_at.dt.to_period("W-SUN").dt.start_time).escalated.mean()


def signal_weeks(runs=False):
    x = weekly_escalation()
    mr = x.diff().abs().mean()
    out = (x > x.mean() + 2.66 * mr) | (x < x.mean() - 2.66 * mr)
    weeks = [f"{w:%Y-%m-%d}" for w in x.index[out]]
    if runs:
        side = np.sign(x - x.mean())
        run_id = (side != side.shift()).cumsum()
        long = side.groupby(run_id).transform("size") >= 8
        weeks = sorted(set(weeks) | {f"{w:%Y-%m-%d}" for w in x.index[long & (side != 0)]})
    return weeks


def checklist_change(desk_only=True, tickets_only=True):
    r = load("advice_reviews")
    if tickets_only:
        r = r[r.record_type == "ticket"]
    if desk_only:
        r = r[r.advisor_id.map(load("agents").set_index("agent_id").team) == "Service Desk"]
    missed = ~(r.accurate & r.fits_need)
    after = r.record_week >= "2026-04-06"
    return 100 * (missed[after].mean() - missed[~after].mean())


def off_target(near=False, start="2026-04-01", end="2026-07-01"):
    tables = {name: load(name) for name in ("advice_reviews", "tickets", "projects", "opportunities")}
    out = []
    for metric in performance.SALES_SUPPORT_METRICS:
        value = performance.measure(metric, tables, start, end)
        gap = value - metric.target if metric.direction == "higher" else metric.target - value
        if gap < -0.05 * metric.target or (near and gap < 0):
            out.append(metric.name)
    return sorted(out)


CASES = {
    "L5.q1": Case(right=[Lazy(lambda: pass_rate("bid")), Lazy(lambda: round(pass_rate("bid"), 2))],
                  wrong=[(Lazy(lambda: pass_rate("bid") / 100), "fraction"),
                         (Lazy(lambda: pass_rate("ticket")), "TICKET"),
                         (Lazy(lambda: pass_rate(None)), "every review"),
                         (Lazy(lambda: 100 * load("advice_reviews").query("record_type == 'bid'")
                               [["accurate", "fits_need", "complete", "next_steps", "recorded"]].all(axis=1).mean()),
                          "every criterion"),
                         ("54%", "should be a number")]),
    "L5.q2": Case(right=[Lazy(reviews_needed)],
                  wrong=[(Lazy(lambda: reviews_needed(population=False)), "population"),
                         (Lazy(lambda: reviews_needed(p=0.5)), "50%"),
                         (Lazy(lambda: reviews_needed() + 40), "too high")]),
    "L5.q3": Case(right=[Lazy(coaching), Lazy(lambda: quality.coaching_plan(quality.score(
                      load("advice_reviews").query("record_type == 'ticket'")), min_reviews=20))],
                  wrong=[(Lazy(lambda: coaching().iloc[:1]), "rows"),
                         (Lazy(lambda: coaching().drop(columns="criterion")), "missing"),
                         ("AGT-003", "DataFrame")]),
    "L5.q4": Case(right=[Lazy(uplift), Lazy(lambda: round(uplift(), 3))],
                  wrong=[(Lazy(lambda: 100 * (uplift() - 1)), "percent"),
                         (Lazy(lambda: float(plausible_ratios("integration_heavy").median())), "median"),
                         (Lazy(lambda: uplift(90)), "P90"),
                         (Lazy(lambda: 1 / uplift()), "below 1")]),
    "L5.q5": Case(right=[Lazy(returned), Lazy(lambda: set(returned()))],
                  wrong=[(Lazy(lambda: returned(("plans",))), "estimate checklist"),
                         (Lazy(lambda: returned()[1:]), "more belong"),
                         (Lazy(lambda: returned() + ["EST-999"]), "should not be there"),
                         ("EST-001", "should be a list")]),
    "L5.q6": Case(right=[Lazy(late_plans)],
                  wrong=[(Lazy(lambda: late_plans(include_unschedulable=True)), "cannot be scheduled"),
                         (Lazy(lambda: sorted(load("draft_estimates").estimate_id)), "should not be there"),
                         (Lazy(lambda: late_plans()[:0]), "more belong")]),
    "L5.q7": Case(right=[Lazy(no_bids)],
                  wrong=[(Lazy(lambda: no_bids(knockout=False)), "knock-out"),
                         (Lazy(lambda: no_bids()[1:]), "more belong"),
                         (Lazy(lambda: sorted(load("bid_pipeline").opportunity_id)), "should not be there")]),
    "L5.q8": Case(right=[Lazy(declined)],
                  wrong=[(Lazy(lambda: declined(with_no_bids=True)), "no-bids"),
                         (Lazy(lambda: declined()[1:]), "more belong"),
                         (42, "should be a list")]),
    "L5.q9": Case(right=[Lazy(gate_passed)],
                  wrong=[(Lazy(lambda: gate_passed("matrix")), "compliance matrix only"),
                         (Lazy(lambda: gate_passed("answered")), "every requirement is answered"),
                         (Lazy(lambda: sorted(load("bid_sections").opportunity_id.unique())), "should not be there")]),
    "L5.q10": Case(right=[Lazy(signal_weeks), Lazy(lambda: list(pd.to_datetime(signal_weeks())))],
                   wrong=[(Lazy(lambda: signal_weeks(runs=True)), "runs of eight"),
                          (Lazy(lambda: signal_weeks()[:-1]), "more belong"),
                          ([], "empty"),
                          ("2025-03-31", "should be a list")]),
    "L5.q11": Case(right=[Lazy(checklist_change)],
                   wrong=[(Lazy(lambda: -checklist_change()), "after minus before"),
                          (Lazy(lambda: checklist_change() / 100), "fraction"),
                          (Lazy(lambda: checklist_change() + 5), "too high")]),
    "L5.q12": Case(right=[Lazy(off_target)],
                   wrong=[(Lazy(lambda: sorted(m.name for m in performance.SALES_SUPPORT_METRICS)),
                           "should not be there"),
                          (Lazy(lambda: off_target()[1:]), "more belong"),
                          ("csat_pct", "should be a list")]),
}

test_every_question_has_cases, test_question = make_tests(level5, CASES)


def test_diagnosed_mistakes_that_depend_on_the_data():
    """Mistakes whose wrong answer coincides with the right one for some seeds are tested when they differ."""
    if set(map(tuple, coaching(kind=None).values)) != set(map(tuple, coaching().values)):
        assert "bid reviews" in level5.q3.evaluate(coaching(kind=None)).detail
    if set(map(tuple, coaching(min_reviews=10).values)) != set(map(tuple, coaching().values)):
        assert "fewer than 20" in level5.q3.evaluate(coaching(min_reviews=10)).detail
    if returned(("estimates",)) != returned():
        assert "sanity checks" in level5.q5.evaluate(returned(("estimates",))).detail
    if no_bids(threshold=False) != no_bids():
        assert "threshold" in level5.q7.evaluate(no_bids(threshold=False)).detail
    if declined(preferred=False) != declined():
        assert "preferred" in level5.q8.evaluate(declined(preferred=False)).detail
    if late_plans(calendar=True) != late_plans():
        assert "calendar days" in level5.q6.evaluate(late_plans(calendar=True)).detail
    if off_target(near=True) != off_target():
        assert "near target" in level5.q12.evaluate(off_target(near=True)).detail
