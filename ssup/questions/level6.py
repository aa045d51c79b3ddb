"""Level 6 questions: leading customer service in line with corporate objectives and policy (6.1), and approving
proposals and initiating development (6.2).

Every expected answer is computed from the data when the check runs, so the questions stay right for a dataset
generated with another seed. Decisions are checked on what can be checked honestly: the staffing plan meets the
service level in every interval with no agent to spare, the approved proposal is the one the policy's weighted
criteria put first, and the charter agrees with the approved business case and the measured baselines.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ssup import checks, finance, metrics, staffing, strategy, workforce
from ssup.config import data_dir
from ssup.data import load
from ssup.exercise import Question, Verdict, correct, incorrect
from ssup.investment import KESTREL_POLICY, Charter, Decision, appraise, best_proposal, decision_problems, net_cashflows

#: The last twelve months of the data: baselines are measured over [start, end).
PERIOD = ("2025-07-01", "2026-07-01")
#: The month the exercise plans the phones for, and where the handle time is measured from.
PLAN_MONTH = "2026-09"
AHT_FROM = "2026-04-01"
SHRINKAGE = 0.30
TARGET_SECONDS = 20
SERVICE_LEVEL = 0.80
#: The charter's start date.
CHARTER_START = "2026-09-07"


# -- facts from the data ----------------------------------------------------------------------------
def _version(*tables: str) -> tuple[Any, ...]:
    """Identifies the data the expensive answers were computed from (folder and file modification times), so a
    cached answer is reused only while that data is unchanged."""
    folder = data_dir()
    return (str(folder),) + tuple((folder / f"{t}.csv").stat().st_mtime_ns for t in tables)


def _in_period(tickets: pd.DataFrame, start: str, end: str, column: str = "resolved_at") -> pd.DataFrame:
    return tickets[(tickets[column] >= pd.Timestamp(start)) & (tickets[column] < pd.Timestamp(end))]


def _csat(start: str = PERIOD[0], end: str = PERIOD[1], column: str = "resolved_at") -> float:
    return metrics.csat(_in_period(load("tickets"), start, end, column)["csat"])


def _gap_ids() -> list[str]:
    return list(strategy.policy_gaps(load("customers"))["customer_id"])


@lru_cache(maxsize=4)
def _baselines_of(version: tuple[Any, ...]) -> pd.Series:
    return strategy.service_kpis(load("tickets"), load("customers"), load("products"), load("phone_calls"), *PERIOD)


def _baselines() -> pd.Series:
    return _baselines_of(_version("tickets", "customers", "products", "phone_calls")).copy()


def _card() -> pd.DataFrame:
    return strategy.scorecard(_baselines())


def _with_status(status: str) -> list[str]:
    card = _card()
    return list(card.loc[card["status"] == status, "kpi"])


@lru_cache(maxsize=8)
def _forecast_of(month: str, version: tuple[Any, ...]) -> pd.DataFrame:
    return workforce.forecast_month(load("phone_calls"), month)


def _forecast(month: str = PLAN_MONTH) -> pd.DataFrame:
    return _forecast_of(month, _version("phone_calls")).copy()


def _aht() -> float:
    calls = load("phone_calls")
    recent = calls[calls["interval_start"] >= pd.Timestamp(AHT_FROM)]
    return float((recent["aht_seconds"] * recent["calls_answered"]).sum() / recent["calls_answered"].sum())


def _plan(month: str = PLAN_MONTH, aht: float | None = None) -> pd.DataFrame:
    return staffing.staffing_plan(_forecast(month), _aht() if aht is None else aht, TARGET_SECONDS, SERVICE_LEVEL,
                                  shrinkage=SHRINKAGE)


def _scenarios() -> pd.DataFrame:
    return workforce.staffing_scenarios(_forecast(), {"80/20": {}, "90/20": {"service_level_target": 0.90}},
                                        aht_seconds=_aht(), target_answer_seconds=TARGET_SECONDS,
                                        service_level_target=SERVICE_LEVEL, shrinkage=SHRINKAGE)


def _extra_hours() -> float:
    table = _scenarios()
    return float(table.loc["90/20", "scheduled_hours"] - table.loc["80/20", "scheduled_hours"])


def _comparison(rate: float = KESTREL_POLICY.hurdle_rate) -> pd.DataFrame:
    return finance.compare_proposals(net_cashflows(load("proposal_cashflows")), rate)


def _appraisal() -> pd.DataFrame:
    return appraise(load("proposals"), load("proposal_cashflows"), load("proposal_risks"))


def _best() -> str:
    return best_proposal(_appraisal())


# -- 6.1 leading customer service in line with corporate objectives and policy -----------------------
q1 = Question(
    id="L6.q1", title="CSAT baseline of the last twelve months", behaviours=("6.1",), answer="csat_baseline",
    prompt="What is CSAT (percent of survey answers scoring 4 or 5) for tickets resolved 2025-07-01 to 2026-06-30?",
    grader=checks.number(
        _csat, tolerance=0.05, unit="%",
        mistakes=[
            (lambda v: abs(v - float(_in_period(load("tickets"), *PERIOD)["csat"].mean())) < 0.01,
             "That is the average score out of 5; the CSAT KPI is the percentage of answers scoring 4 or 5."),
            (lambda v: abs(100 * v - _csat()) < 0.05,
             "That is a fraction; give the percentage from 0 to 100, as ssup.metrics.csat does."),
            (lambda v: abs(v - _csat(column="created_at")) < 0.05,
             "That counts the tickets created in the period; the survey is sent when a ticket is resolved, so the "
             "KPI counts the tickets resolved in it (as Level 5 defines it)."),
            (lambda v: abs(v - metrics.csat(load("tickets")["csat"])) < 0.05,
             "That is CSAT over both years: keep only the tickets resolved from 2025-07-01 to 2026-06-30."),
            (lambda v: abs(v - _csat("2024-07-01", "2025-07-01")) < 0.05,
             "That is the twelve months before: the baseline is the most recent twelve months."),
        ]),
    hints=("Filter the tickets on resolved_at first (from 2025-07-01, before 2026-07-01): the survey is sent when a "
           "ticket is resolved. Then score the csat column.",
           "metrics.csat(resolved.csat) drops the tickets without a survey answer and returns a percentage."),
    solution_code=('resolved = tickets[(tickets.resolved_at >= "2025-07-01") & (tickets.resolved_at < "2026-07-01")]\n'
                   "csat_baseline = metrics.csat(resolved.csat)"),
)


def _segment_only_ids() -> list[str]:
    customers = load("customers")
    below = customers[(customers["segment"] == "Enterprise") & (customers["support_plan"] == "SUP-STANDARD")]
    return sorted(below["customer_id"])


q2 = Question(
    id="L6.q2", title="Accounts below the service policy", behaviours=("6.1",), answer="below_policy",
    prompt=("List the customer_id of every account whose support plan is lower than the service policy requires "
            "for its segment and industry."),
    grader=checks.collection(
        _gap_ids, item="account",
        mistakes=[(lambda v: sorted(str(x).strip().upper() for x in v) == _segment_only_ids(),
                   "You applied the segment rule only: the policy also sets a minimum plan for an industry.")]),
    hints=("strategy.policy_table() shows the rules: a minimum plan per segment, and a higher one for an industry. "
           "An account breaks the policy when its plan ranks below the higher of the two.",
           "strategy.policy_gaps(customers) returns the accounts below policy; take its customer_id column as a list."),
    solution_code='below_policy = list(strategy.policy_gaps(customers).customer_id)',
)

q3 = Question(
    id="L6.q3", title="KPIs off target on the scorecard", behaviours=("6.1",), answer="off_target",
    prompt=("Measure every KPI over the last twelve months, build the scorecard of Kestrel's service strategy, and "
            "list the names of the KPIs whose status is 'off target'."),
    grader=checks.collection(
        lambda: _with_status("off target"), item="KPI",
        mistakes=[(lambda v: not {k.upper() for k in _with_status("near target")}.isdisjoint(
                       str(x).strip().upper() for x in v),
                   "Your list includes a KPI that is near target: the question asks only for those off target.")]),
    hints=("strategy.service_kpis(tickets, customers, products, calls, start, end) measures every KPI for a period; "
           "strategy.scorecard(...) compares them with the strategy's targets.",
           "card = strategy.scorecard(strategy.service_kpis(tickets, customers, products, calls, '2025-07-01', "
           "'2026-07-01')); then keep card.kpi where card.status == 'off target'."),
    solution_code=("baselines = strategy.service_kpis(tickets, customers, products, calls,\n"
                   '                                   "2025-07-01", "2026-07-01")\n'
                   "card = strategy.scorecard(baselines)\n"
                   'off_target = list(card.kpi[card.status == "off target"])'),
)


def _month_total(value: Any) -> float:
    """Total calls of a trainee's forecast table (NaN for anything that is not one)."""
    if not isinstance(value, pd.DataFrame) or "calls" not in value.columns:
        return float("nan")
    return float(pd.to_numeric(value["calls"], errors="coerce").sum())


q4 = Question(
    id="L6.q4", title="Forecast the calls for September 2026", behaviours=("6.1",), answer="september_forecast",
    prompt=("Forecast the calls offered in each weekday and hour of a typical week in September 2026, with "
            "workforce.forecast_month and its default growth and profile."),
    grader=checks.frame(
        _forecast, rtol=1e-6,
        mistakes=[
            (lambda v: abs(_month_total(v) - float(_forecast("2026-07")["calls"].sum())) < 1e-6,
             "That is the forecast for July: this question plans September 2026."),
            (lambda v: abs(_month_total(v) - float(workforce.forecast_month(load("phone_calls"), PLAN_MONTH,
                                                                           growth=0.0)["calls"].sum())) < 1e-6,
             "Your forecast has no growth: it repeats last September. Let forecast_month use the year-on-year growth."),
        ]),
    hints=("The forecast takes last September's level, grows it by the year-on-year growth, and spreads it over the "
           "week with the recent weekday-and-hour shape.",
           "september_forecast = workforce.forecast_month(calls, '2026-09')"),
    solution_code='september_forecast = workforce.forecast_month(calls, "2026-09")',
)


def _agents_given(value: Any) -> np.ndarray | None:
    if isinstance(value, pd.DataFrame):
        if "agents" not in value.columns:
            return None
        value = value["agents"]
    if isinstance(value, (pd.Series, list, tuple, np.ndarray)):
        try:
            numbers = np.asarray(value, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return None
        return numbers
    return None


def _grade_staffing(value: Any) -> Verdict:
    given = _agents_given(value)
    if given is None:
        return incorrect(f"You gave {checks.describe(value)}; give one number of agents per interval: a list of 50 "
                         "whole numbers, or the staffing table from staffing.staffing_plan.")
    forecast = _forecast()
    if len(given) != len(forecast):
        return incorrect(f"Your plan has {len(given)} numbers; the week has {len(forecast)} intervals (Mon-Fri, "
                         "08:00-18:00): give one per interval, in the forecast's order.")
    if np.isnan(given).any() or (given < 0).any() or (given != np.round(given)).any():
        return incorrect("Agents must be whole numbers of 0 or more in every interval.")
    plan = _plan()
    if np.array_equal(given, plan["scheduled"].to_numpy(dtype=float)) and not np.array_equal(
            given, plan["agents"].to_numpy(dtype=float)):
        return incorrect("Those are the agents to schedule after shrinkage; the question asks for the agents on the "
                         "phones (the 'agents' column).")
    july = _plan("2026-07")
    if np.array_equal(given, july["agents"].to_numpy(dtype=float)) and not np.array_equal(
            given, plan["agents"].to_numpy(dtype=float)):
        return incorrect("That plan staffs the July forecast; this question staffs September 2026.")
    aht = _aht()
    checked = workforce.check_plan(forecast, given.astype(int), aht, TARGET_SECONDS, SERVICE_LEVEL)
    short = checked[~checked["meets"]]
    if len(short):
        first = short.iloc[0]
        return incorrect(f"In {len(short)} of {len(checked)} intervals the service level is below 80% in 20 s: for "
                         f"example {short.index[0]}, where {int(first['agents'])} agent(s) answer only "
                         f"{first['service_level']:.0%} of calls within 20 seconds.")
    fewer = workforce.check_plan(forecast, np.maximum(given.astype(int) - 1, 0), aht, TARGET_SECONDS, SERVICE_LEVEL)
    spare = fewer[fewer["meets"] & (given > 0)]
    if len(spare):
        return incorrect(f"Your plan meets 80% in 20 s everywhere, but in {len(spare)} interval(s), such as "
                         f"{spare.index[0]}, one agent fewer would too. Each spare agent-hour costs "
                         f"£{workforce.AGENT_COST_PER_HOUR_GBP:.0f}: check the handle time you used.")
    return correct(f"Your plan meets 80% in 20 s in all {len(checked)} intervals with no agent to spare: "
                   f"{int(given.sum())} agent-hours on the phones a week.")


q5 = Question(
    id="L6.q5", title="Staff the phones for September", behaviours=("6.1",), answer="september_agents",
    prompt=("Give the agents needed on the phones in each interval of your September forecast so that 80% of calls "
            "are answered within 20 seconds, with the handle time of the calls answered since 1 April 2026."),
    grader=_grade_staffing,
    hints=("The average handle time is total handle seconds / calls answered: weight each hour's aht_seconds by its "
           "calls_answered. Then staffing.staffing_plan does Erlang C for every interval.",
           "recent = calls[calls.interval_start >= '2026-04-01']; aht = (recent.aht_seconds * recent.calls_answered)"
           ".sum() / recent.calls_answered.sum(); plan = staffing.staffing_plan(september_forecast, aht, 20, 0.8, "
           "shrinkage=0.3); september_agents = plan.agents"),
    solution_code=('recent = calls[calls.interval_start >= "2026-04-01"]\n'
                   "aht = (recent.aht_seconds * recent.calls_answered).sum() / recent.calls_answered.sum()\n"
                   "september_plan = staffing.staffing_plan(september_forecast, aht, 20, 0.8, shrinkage=0.3)\n"
                   "september_agents = september_plan.agents"),
)

q6 = Question(
    id="L6.q6", title="What 90% in 20 seconds would cost", behaviours=("6.1",), answer="extra_hours_90",
    prompt=("How many more scheduled agent-hours a week (30% shrinkage) does the September forecast need to answer "
            "90% of calls within 20 seconds instead of 80%?"),
    grader=checks.number(
        _extra_hours, tolerance=0.5, unit=" hours",
        mistakes=[
            (lambda v: abs(v - float(_scenarios()["agent_hours"].diff().iloc[1])) < 0.5,
             "That is the difference in agents on the phones; the question asks for scheduled hours, after "
                    "30% shrinkage."),
            (lambda v: abs(v - float(_scenarios().loc["90/20", "scheduled_hours"])) < 0.5,
             "That is the whole week at 90% in 20 s: give the extra hours over the 80% plan."),
        ]),
    hints=("workforce.staffing_scenarios runs the same forecast under several assumptions: one scenario {} (the base, "
           "80%) and one {'service_level_target': 0.9}.",
           "table = workforce.staffing_scenarios(september_forecast, {'80/20': {}, '90/20': {'service_level_target': "
           "0.9}}, aht_seconds=aht, shrinkage=0.3); subtract the two scheduled_hours."),
    solution_code=("targets = workforce.staffing_scenarios(september_forecast, {\"80/20\": {}, \"90/20\": "
                   "{\"service_level_target\": 0.9}},\n"
                   "                                     aht_seconds=aht, shrinkage=0.3)\n"
                   "extra_hours_90 = targets.loc[\"90/20\", \"scheduled_hours\"] - targets.loc[\"80/20\", "
                   "\"scheduled_hours\"]"),
)


# -- 6.2 approving proposals and initiating development ------------------------------------------------
def _indexed(value: Any) -> pd.DataFrame | None:
    """A trainee's comparison table with the proposal ids as its index, whatever they called it."""
    if not isinstance(value, pd.DataFrame):
        return None
    frame = value.copy()
    for column in ("proposal", "proposal_id"):
        if column in frame.columns:
            frame = frame.set_index(column)
            break
    frame.index = [str(i).strip().upper() for i in frame.index]
    return frame


def _npv_close(frame: pd.DataFrame, expected: pd.Series) -> bool:
    """Whether the NPVs of a trainee's comparison table (already :func:`_indexed`) are ``expected``'s."""
    got = frame.loc[list(expected.index), "npv"].astype(float)
    return bool(np.allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-4))


def _excel_npv() -> pd.Series:
    flows = net_cashflows(load("proposal_cashflows"))
    rate = KESTREL_POLICY.hurdle_rate
    return pd.Series({p: finance.npv(rate, f) / (1 + rate) for p, f in flows.items()})


def _gross_npv() -> pd.Series:
    cash = load("proposal_cashflows").assign(running_cost_gbp=0.0)
    return finance.compare_proposals(net_cashflows(cash), KESTREL_POLICY.hurdle_rate)["npv"]


def _grade_comparison(value: Any) -> Verdict:
    frame = _indexed(value)
    if frame is None:
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a table (DataFrame) with one row "
                         "per proposal.")
    # The mistake tests read the table indexed once above (indexing a 100,000-row paste takes a third of a second).
    mistakes = [
        (lambda _: _npv_close(frame, _excel_npv()),
         "Your NPVs discount year 0 as well (Excel's NPV() does): the investment happens now and is not discounted."),
        (lambda _: _npv_close(frame, _gross_npv()),
         "Your NPVs leave out the running costs: net cash flow = benefit - running cost - capital."),
        (lambda _: _npv_close(frame, _comparison(0.08)["npv"]) or _npv_close(frame, _comparison(0.12)["npv"]),
         "Your NPVs use another discount rate: the policy's hurdle rate is 10% (0.10)."),
    ]
    expected = _comparison()
    frame.index.name = expected.index.name
    return checks.compare_frames(frame.reset_index(), expected.reset_index(), rtol=1e-4, mistakes=mistakes)


q7 = Question(
    id="L6.q7", title="Compare the proposals on NPV, IRR and payback", behaviours=("6.2",), answer="comparison",
    prompt=("Make a table with one row per proposal and the columns npv, irr and discounted_payback, from the net "
            "cash flows at the policy's hurdle rate."),
    grader=_grade_comparison,
    hints=("Net cash flow per year = benefit_gbp - running_cost_gbp - capital_gbp. investment.net_cashflows builds "
           "them for every proposal.",
           "comparison = finance.compare_proposals(investment.net_cashflows(cashflows), "
           "investment.KESTREL_POLICY.hurdle_rate)"),
    solution_code=("comparison = finance.compare_proposals(investment.net_cashflows(cashflows),\n"
                   "                                       investment.KESTREL_POLICY.hurdle_rate)"),
)


def _best_irr() -> str:
    return str(_appraisal()["irr"].idxmax())


def _grade_choice(value: Any) -> Verdict:
    appraisal = _appraisal()
    options = list(appraisal.index)
    failing = [p for p in options if not bool(appraisal.loc[p, "eligible"])]
    mistakes = [(lambda v: v.strip().upper() in failing,
                 "That proposal fails the policy's gate, so it cannot be chosen whatever its score."),
                (lambda v: v.strip().upper() == _best_irr(),
                 "That proposal has the best IRR, but the policy weighs NPV, payback, risk and strategic fit.")]
    return checks.choice(_best, options, mistakes=mistakes)(value)


q8 = Question(
    id="L6.q8", title="The proposal the policy puts first", behaviours=("6.2",), answer="chosen",
    prompt=("Which proposal (its proposal_id) passes the investment policy's gate and has the highest weighted "
            "score on the policy's criteria?"),
    grader=_grade_choice,
    hints=("investment.appraise puts every proposal through the gate and measures NPV, payback, risk (EMV) and "
           "strategic fit; investment.weighted_scores ranks those that pass.",
           "scores = investment.weighted_scores(investment.appraise(proposals, cashflows, risks)); the first row "
           "has rank 1."),
    solution_code=("appraisal = investment.appraise(proposals, cashflows, risks)\n"
                   "chosen = investment.weighted_scores(appraisal).index[0]"),
)


_DECISIONS_SOLUTION = """\
decisions = []
for pid, row in appraisal.iterrows():
    payback = "never" if pd.isna(row.discounted_payback) else f"{row.discounted_payback:.1f} years"
    figures = f"NPV {row.npv:,.0f} GBP, discounted payback {payback}, risk EMV {row.risk_emv:,.0f} GBP"
    if pid == chosen:
        decisions.append(Decision(pid, "approve", f"First on the policy's weighted score: {figures}.",
                                  conditions="Benefits review six months after go-live."))
    elif row.eligible:
        decisions.append(Decision(pid, "reject", f"Passes the gate but scores lower than {chosen}: {figures}."))
    else:
        decisions.append(Decision(pid, "reject", f"Fails the policy's gate ({row.gate}): {figures}."))"""

_CHARTER_SOLUTION = """\
case = proposals.set_index("proposal_id").loc[chosen]
capital = cashflows.loc[(cashflows.proposal_id == chosen) & (cashflows.year == 0), "capital_gbp"].item()
milestones = pd.DataFrame({"task": ["Discovery and design", "Build and configure", "Migrate and test", "Pilot",
                                    "Go-live"],
                           "duration": [6, 12, 4, 4, 0],
                           "predecessors": ["", "Discovery and design", "Build and configure", "Migrate and test",
                                            "Pilot"]})
kpis = ["reopen_pct", "first_line_resolution_pct"]
success_metrics = pd.DataFrame({"kpi": kpis, "baseline": baselines[kpis].round(1).to_numpy(),
                                "target": [round(0.8 * baselines["reopen_pct"], 1),
                                           round(baselines["first_line_resolution_pct"] + 3, 1)],
                                "by": ["2027-09-30", "2027-09-30"]})
charter = Charter(project=case.title, proposal_id=chosen, sponsor=case.sponsor_agent_id,
                  objectives=case.objectives.split(";"), budget_gbp=capital, start="2026-09-07",
                  milestones=milestones, success_metrics=success_metrics)"""


def _grade_decisions(value: Any) -> Verdict:
    items = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(items, (list, tuple)) or not items or not all(isinstance(d, Decision) for d in items):
        return incorrect(f"You gave {checks.describe(value)}; give a list of Decision(...) objects, one per proposal.")
    problems = decision_problems(items, _appraisal())
    if problems:
        more = f" ({len(problems) - 1} more point(s) after this one.)" if len(problems) > 1 else ""
        return incorrect(problems[0] + more)
    approved = next(d.proposal_id for d in items if d.decision.strip().lower() == "approve")
    return correct(f"A complete decision record: {approved} approved, {len(items) - 1} rejected, every decision "
                   "with reasons and figures.")


q9 = Question(
    id="L6.q9", title="Record the approve/reject decisions", behaviours=("6.2",), answer="decisions",
    prompt=("Record a Decision for every proposal: approve the one the policy puts first, reject the others, and give "
            "each reasons (12 words or more) that quote the figures the decision rests on."),
    grader=_grade_decisions,
    hints=("One Decision(proposal_id, decision, reasons, conditions) per proposal; decision is 'approve' or "
           "'reject'. The policy allows one approval this year.",
           "Quote numbers from your appraisal in each reason: the NPV, the payback, the risk EMV or the score, and "
           "for a rejected proposal what would have to change. investment.decision_problems(decisions, appraisal) "
           "lists what is still missing."),
    solution_code=_DECISIONS_SOLUTION,
)


def _grade_charter(value: Any) -> Verdict:
    if not isinstance(value, Charter):
        return incorrect(f"You gave {checks.describe(value)}; build the charter with Charter(project=..., "
                         "proposal_id=..., ...).")
    best = _best()
    if str(value.proposal_id).strip().upper() != best:
        return incorrect(f"Your charter is for {checks.quote(value.proposal_id)}, which is not the proposal the policy "
                         "approves (question 8).")
    if str(value.start) != CHARTER_START and checks.timestamp(value.start) != pd.Timestamp(CHARTER_START):
        return incorrect(f"Your charter starts on {checks.clip(value.start, 40)}; the project starts on "
                         f"{CHARTER_START}.")
    problems = value.problems(load("proposals"), load("proposal_cashflows"), baselines=_baselines())
    if problems:
        more = f" ({len(problems) - 1} more point(s) after this one.)" if len(problems) > 1 else ""
        return incorrect(problems[0] + more)
    return correct(f"Your charter is ready to sign: go-live on {value.go_live().date()}, "
                   f"{len(value.milestones)} milestones and {len(value.success_metrics)} success metrics tied to the "
                   "scorecard.")


q10 = Question(
    id="L6.q10", title="Charter the approved project", behaviours=("6.2",), answer="charter",
    prompt=("Write the Charter that starts the approved project on 2026-09-07: its budget, objectives, at least four "
            "milestones with a go-live inside the promised months, and two or more success metrics from the "
            "scorecard with measured baselines."),
    grader=_grade_charter,
    hints=("The budget is the year-0 capital of the approved proposal; its objectives and delivery_months are in "
           "proposals. Milestone durations are in weeks; a month is about 4.3 weeks.",
           "Use KPI names from strategy.KPIS for the success metrics, take each baseline from "
           "strategy.service_kpis over the last twelve months, set a better target, and date it after go-live. "
           "charter.problems(proposals, cashflows, baselines) lists what is still missing."),
    solution_code=_CHARTER_SOLUTION,
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10]
