"""Level 4 questions: a right answer, wrong answers (with the reason the trainee reads) and a missing one.

Right answers are computed here independently of the question module: plain pandas on the data, or the
package's reference functions called the way a trainee would, never the module's own helpers.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ssup import estimate, proposal, risk, simulate, solution_design
from ssup.data import load
from ssup.questions import level4
from tests.questionkit import Case, Lazy, make_tests, unimplemented

MEDDICC = ["metrics", "economic_buyer", "decision_criteria", "decision_process", "identify_pain", "champion",
           "competition"]


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))


def case_id():
    discovery = load("discovery")
    return discovery[discovery.pilot.astype(bool)].opportunity_id.iloc[0]


def req():
    return solution_design.Requirements.from_discovery(case_id())


# -- 4.1 ----------------------------------------------------------------------------------------------
def open_scores(all_rows=False, mean=False):
    discovery, opps = load("discovery"), load("opportunities")
    if not all_rows:
        discovery = discovery[discovery.opportunity_id.isin(opps[opps.outcome == "open"].opportunity_id)]
    score = discovery[MEDDICC].mean(axis=1) if mean else discovery[MEDDICC].sum(axis=1)
    return pd.DataFrame({"opportunity_id": discovery.opportunity_id, "score": score})


def win_rate(include_open=False, strictly=False, below=False):
    discovery, opps = load("discovery"), load("opportunities")
    merged = discovery.assign(score=discovery[MEDDICC].sum(axis=1)).merge(opps[["opportunity_id", "outcome"]])
    if not include_open:
        merged = merged[merged.outcome.isin(["won", "lost"])]
    if below:
        chosen = merged[merged.score < 10]
    else:
        chosen = merged[merged.score > 10] if strictly else merged[merged.score >= 10]
    return 100 * (chosen.outcome == "won").mean()


def open_topics(meddicc_only=False):
    record = load("discovery").set_index("opportunity_id").loc[case_id()]
    gaps = [e for e in MEDDICC if record[e] < 2]
    if meddicc_only:
        return gaps
    unknown = [c for c in ["sites", "application", "coldest_c", "site_area_m2", "gateway_location", "backhaul",
                           "reporting_interval_s", "integration", "retention_days", "audit_trail",
                           "go_live_working_days", "sla_max_loss_pct", "sla_alarm_p95_s", "customer_skills"]
               if pd.isna(record[c])]
    return gaps + unknown


# -- 4.2 ----------------------------------------------------------------------------------------------
def options_table(**changes):
    return solution_design.options(replace(req(), **changes))


def best_total():
    table = options_table()
    return table[table.feasible].total_gbp.min()


def feasible_labels(**changes):
    table = options_table(**changes)
    return list(table[table.feasible].option)


# -- 4.3 ----------------------------------------------------------------------------------------------
def indoor_sweep(alarm_s=30):
    r = req()
    telemetry = load("pilot_telemetry")
    profile = simulate.burst_profile(telemetry, r.reporting_interval_s)
    gateway = simulate.gateway_profile("GW-LRW-IN")
    base = dict(sensors=100, interval_s=r.reporting_interval_s, capacity_per_s=gateway.capacity_per_s,
                queue=gateway.queue, bursts_per_hour=profile["bursts_per_hour"],
                burst_fraction=profile["burst_fraction"], network_latency_s=simulate.NETWORK_LATENCY_S[r.backhaul])
    return simulate.sweep("sensors", range(50, 601, 50), base, r.sla_max_loss_pct, alarm_s, hours=12, seed=0)


def indoor_limit(alarm_s=30):
    table = indoor_sweep(alarm_s).sort_values("value")
    failing = table[~table.meets_sla].value
    first_fail = failing.min()
    return table[table.value < first_fail].value.max(), first_fail


def sensor():
    product = load("opportunities").set_index("opportunity_id").loc[case_id(), "primary_product_id"]
    return load("products").set_index("product_id").loc[product]


def battery(interval):
    s = sensor()
    share = 0.25
    return s.battery_life_years / (share + (1 - share) * s.reporting_interval_s / interval)


# -- 4.4 ----------------------------------------------------------------------------------------------
def lost():
    t = load("pilot_telemetry")
    return t, t.uplinks_expected - t.uplinks_received


def share_on_320():
    t, lost_ = lost()
    return 100 * lost_[t.firmware_version == "3.2.0"].sum() / lost_.sum()


def loss_rate_320():
    t, lost_ = lost()
    bad = t.firmware_version == "3.2.0"
    return 100 * lost_[bad].sum() / t.uplinks_expected[bad].sum()


def still_on_320(ever=False):
    t = load("pilot_telemetry")
    rows = t if ever else t[t.hour == t.hour.max()]
    return sorted(set(rows[rows.firmware_version == "3.2.0"].gateway_id))


# -- 4.5 ----------------------------------------------------------------------------------------------
def pert(o, m, p):
    return (o + 4 * m + p) / 6, (p - o) / 6


def triangular_mean(o, m, p):
    return (o + m + p) / 3, (p - o) / 6


def variance_not_sd(o, m, p):
    return (o + 4 * m + p) / 6, ((p - o) / 6) ** 2


def swapped(o, m, p):
    return (p - o) / 6, (o + 4 * m + p) / 6


def forward_backward(tasks):
    rows = list(tasks.itertuples())
    es, ef = {}, {}
    for row in rows:
        es[row.task] = max((ef[p] for p in row.predecessors), default=0)
        ef[row.task] = es[row.task] + row.duration
    end = max(ef.values())
    ls, lf = {}, {}
    for row in reversed(rows):
        successors = [s.task for s in rows if row.task in s.predecessors]
        lf[row.task] = min((ls[s] for s in successors), default=end)
        ls[row.task] = lf[row.task] - row.duration
    table = pd.DataFrame({"es": es, "ef": ef, "ls": ls, "lf": lf})
    table["slack"] = table.ls - table.es
    return table


def forward_backward_as_columns(tasks):
    return forward_backward(tasks).rename_axis("task").reset_index()


def forward_first_predecessor(tasks):
    """A classic mistake: start after the FIRST predecessor instead of the last."""
    es, ef = {}, {}
    for row in tasks.itertuples():
        es[row.task] = ef[row.predecessors[0]] if row.predecessors else 0
        ef[row.task] = es[row.task] + row.duration
    table = pd.DataFrame({"es": es, "ef": ef})
    table["ls"], table["lf"], table["slack"] = table.es, table.ef, 0.0
    return table


def backward_from_own_finish(tasks):
    """Forward pass right, backward pass wrong: every task's latest finish is the project end."""
    table = forward_backward(tasks)
    end = table.ef.max()
    durations = dict(zip(tasks.task, tasks.duration))
    table["lf"] = end
    table["ls"] = [end - durations[t] for t in table.index]
    table["slack"] = table.ls - table.es
    return table


def no_slack_column(tasks):
    return forward_backward(tasks).drop(columns="slack")


def delivery():
    r = req()
    table = solution_design.options(r)
    best = table[table.feasible].sort_values("total_gbp").iloc[0]
    return proposal.delivery_inputs(r, best, load("projects"), load("products"))


def cost_totals(distribution="pert"):
    return estimate.monte_carlo(delivery().costs, n=10_000, seed=42, distribution=distribution)


def emv_with_r7(probability=0.4):
    return risk.expected_monetary_value(delivery().register) + probability * 6000


def statement(cost=None, reserve=None, days=None, extra=""):
    inputs = delivery()
    register = inputs.register.copy()
    register.loc["R7"] = ["Specialist contractor", 0.4, 6000.0, "Field Engineering", "Agree cable routes"]
    cost = np.percentile(cost_totals(), 80) if cost is None else cost
    reserve = risk.contingency(register, percentile=80) if reserve is None else reserve
    days = np.percentile(proposal.schedule_simulation(inputs.wbs, n=10_000, seed=42), 80) if days is None else days
    return (f"We estimate the delivery cost at £{cost:,.0f} at 80% confidence, with a risk contingency of "
            f"£{reserve:,.0f}, and go-live {days:.0f} working days after the order. These estimates rest on our "
            f"past projects and a simulation of the plan.{extra}")


CASES = {
    "L4.q1": Case(right=[Lazy(open_scores), Lazy(lambda: open_scores().set_index("opportunity_id")["score"])],
                  wrong=[(Lazy(lambda: open_scores(all_rows=True)), "keep only the opportunities"),
                         (Lazy(lambda: open_scores(mean=True)), "sum"),
                         (Lazy(lambda: open_scores().assign(score=lambda d: d.score + 1)), "value(s) differ")]),
    "L4.q2": Case(right=[Lazy(win_rate), Lazy(lambda: round(win_rate(), 1))],
                  wrong=[(Lazy(lambda: win_rate() / 100), "fraction"),
                         (Lazy(lambda: win_rate(include_open=True)), "open opportunities"),
                         (Lazy(lambda: win_rate(strictly=True)), "exactly 10"),
                         (Lazy(lambda: win_rate(below=True)), "below 10")]),
    "L4.q3": Case(right=[Lazy(open_topics), Lazy(lambda: tuple(reversed(open_topics())))],
                  wrong=[(Lazy(lambda: open_topics(meddicc_only=True)), "technical requirements"),
                         (Lazy(lambda: open_topics() + ["metrics"]), "should not be there"),
                         ("retention_days", "should be a list")]),
    "L4.q4": Case(right=[Lazy(best_total)],
                  wrong=[(Lazy(lambda: options_table()[lambda t: t.feasible].iloc[0].hardware_gbp), "hardware only"),
                         (Lazy(lambda: best_total() + 1000), "too high"),
                         ("135697", "should be a number")]),
    "L4.q5": Case(right=[Lazy(lambda: feasible_labels(go_live_working_days=30))],
                  wrong=[(Lazy(feasible_labels), "original deadline"),
                         (Lazy(lambda: feasible_labels(go_live_working_days=30) + ["SNS-TMP-200 + made up"]),
                          "should not be there"),
                         (Lazy(lambda: feasible_labels(go_live_working_days=30)[:1]), "more belong")]),
    "L4.q6": Case(right=[Lazy(lambda: indoor_limit()[0])],
                  wrong=[(Lazy(lambda: indoor_limit()[1]), "first value that misses"),
                         (Lazy(lambda: indoor_sweep()[lambda t: t.alarm_p95_s <= 30].value.max()), "latency only"),
                         (Lazy(lambda: indoor_limit(req().sla_alarm_p95_s)[0]), "original alarm target"),
                         (500, "catalogue's device limit")]),
    "L4.q7": Case(right=[Lazy(lambda: battery(60))],
                  wrong=[(Lazy(lambda: sensor().battery_life_years), "default reporting interval"),
                         (Lazy(lambda: sensor().battery_life_years * 60 / sensor().reporting_interval_s),
                          "in proportion"),
                         (Lazy(lambda: battery(60) + 1), "too high")]),
    "L4.q8": Case(right=["firmware_version", " Firmware_Version "],
                  wrong=[("site", "travels with the cause"), ("hour_of_day", "what do those gateways"),
                         ("gateway_id", "not the only one"), ("backhaul", "same model and backhaul"),
                         ("the firmware", "choose one of")]),
    "L4.q9": Case(right=[Lazy(share_on_320), Lazy(lambda: round(share_on_320(), 1))],
                  wrong=[(Lazy(lambda: share_on_320() / 100), "fraction"),
                         (Lazy(loss_rate_320), "loss rate"),
                         (Lazy(lambda: 100 - share_on_320()), "too low")]),
    "L4.q10": Case(right=[Lazy(still_on_320)],
                   wrong=[(Lazy(lambda: still_on_320(ever=True)), "already upgraded"),
                          (["PGW-99"], "should not be there"),
                          (Lazy(lambda: still_on_320()[0]), "should be a list")]),
    "L4.q11": Case(right=[pert, lambda o, m, p: list(pert(o, m, p)), lambda o, m, p: estimate.three_point(o, m, p)],
                   wrong=[(triangular_mean, "simple average"), (variance_not_sd, "variance"),
                          (swapped, "wrong way round"), (lambda o, m, p: (o + 4 * m + p) / 6, "two numbers"),
                          (lambda o, m, p: 1 / 0, "ZeroDivisionError"), (3.5, "function defined")],
                   missing=unimplemented),
    "L4.q12": Case(right=[forward_backward, forward_backward_as_columns],
                   wrong=[(forward_first_predecessor, "LAST of its predecessors"),
                          (backward_from_own_finish, "EARLIEST latest start"),
                          (no_slack_column, "columns es, ef, ls, lf, slack"),
                          (lambda tasks: tasks, "columns es, ef, ls, lf, slack"),
                          (lambda tasks: tasks.loc[999], "raised KeyError")],
                   missing=unimplemented),
    "L4.q13": Case(right=[Lazy(lambda: estimate.percentiles(cost_totals())["P80"]),
                          Lazy(lambda: np.percentile(estimate.monte_carlo(delivery().costs, n=10_000, seed=7,
                                                                          distribution="pert"), 80))],
                   wrong=[(Lazy(lambda: np.percentile(cost_totals(), 50)), "middle of the distribution"),
                          (Lazy(lambda: np.percentile(cost_totals("triangular"), 80)), "triangular"),
                          (Lazy(lambda: delivery().costs.most_likely.sum()), "most likely costs"),
                          (Lazy(lambda: delivery().costs.pessimistic.sum()), "all-pessimistic")]),
    "L4.q14": Case(right=[Lazy(emv_with_r7)],
                   wrong=[(Lazy(lambda: risk.expected_monetary_value(delivery().register)), "BEFORE the new risk"),
                          (Lazy(lambda: emv_with_r7(probability=40)), "0.4"),
                          (Lazy(lambda: delivery().register.impact.sum() + 6000), "full impacts")]),
    "L4.q15": Case(right=[Lazy(statement)],
                   wrong=[(Lazy(lambda: statement(cost=np.percentile(cost_totals(), 50))), "P80 delivery cost"),
                          (Lazy(lambda: statement(days=3)), "time to go-live"),
                          (Lazy(lambda: statement(extra=" We guarantee these dates.")), "guarantee"),
                          ("About thirty thousand pounds.", "too short")]),
}

test_every_question_has_cases, test_question = make_tests(level4, CASES)


def test_the_questions_cover_every_level4_behaviour():
    covered = {b for q in level4.QUESTIONS for b in q.behaviours}
    assert covered == {"4.1", "4.2", "4.3", "4.4", "4.5"}
    assert len(level4.QUESTIONS) >= 10


def test_schedule_cases_include_the_edge_cases_the_issue_names():
    cases = level4.schedule_cases()
    assert any((c.duration == 0).any() for c in cases), "zero-duration tasks"
    assert any(c.predecessors.map(len).max() >= 8 for c in cases), "a task with many predecessors"
    from ssup import plan

    assert any(plan.schedule(c).critical.sum() > len(plan.critical_path(c)) for c in cases), \
        "several critical paths"
    assert len(cases) >= 25
