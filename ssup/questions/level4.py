"""Level 4 questions: qualifying and clarifying needs (4.1), devising feasible solutions (4.2), simulation
models (4.3), resolving technical problems (4.4), and cost, risk and plan estimates (4.5).

Every expected answer is computed from the data when the check runs (the case study is the opportunity
with ``discovery.pilot = 1``), so the questions stay right for a dataset generated with another seed.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pandas as pd

from ssup import checks, estimate, plan, proposal, qualify, rca, risk, simulate, solution_design
from ssup.checks import Fact
from ssup.config import data_dir
from ssup.data import load
from ssup.exercise import NotAttempted, Question, Verdict, correct, incorrect

# -- the case study, from the data ----------------------------------------------------------------


def _data_key() -> tuple:
    """Changes when the data folder or one of its files changes (the cache key of the slower answers)."""
    folder = data_dir()
    return (str(folder),) + tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))


def case_id() -> str:
    """The opportunity that ran a pilot: the Level 4 case study."""
    discovery = load("discovery")
    return str(discovery.loc[discovery["pilot"], "opportunity_id"].iloc[0])


def requirements(**changes: Any) -> solution_design.Requirements:
    req = solution_design.Requirements.from_discovery(case_id())
    return replace(req, **changes) if changes else req


def _open_discovery() -> pd.DataFrame:
    discovery, opportunities = load("discovery"), load("opportunities")
    open_ids = opportunities.loc[opportunities["outcome"] == "open", "opportunity_id"]
    return discovery[discovery["opportunity_id"].isin(open_ids)]


# -- 4.1 qualifying and clarifying needs ---------------------------------------------------------


def _open_scores() -> pd.DataFrame:
    return qualify.qualify(_open_discovery())[["opportunity_id", "score"]]


def _looks_averaged(value: Any) -> bool:
    frame = checks._as_frame(value)
    return frame is not None and "score" in frame.columns and float(frame["score"].max()) <= 2.0


q1 = Question(
    id="L4.q1", title="MEDDICC scores of the open opportunities", behaviours=("4.1",), answer="open_scores",
    prompt=("Score every OPEN opportunity in discovery with MEDDICC: a table with the columns opportunity_id and "
            "score (the sum of the seven 0-2 elements, 0-14)."),
    grader=checks.frame(_open_scores, ignore_extra_columns=True, mistakes=[
        (lambda v: len(checks._as_frame(v)) == len(load("discovery")),
         "That scores every discovery record: keep only the opportunities whose outcome is 'open'."),
        (_looks_averaged, "Those look like averages: a MEDDICC score is the SUM of the seven elements (0-14)."),
    ]),
    hints=("Find the open opportunity ids in opportunities (outcome == 'open') and keep those discovery rows.",
           "qualify.qualify(open_discovery) scores a table; or add up discovery[list(qualify.MEDDICC)] with "
           ".sum(axis=1) and keep opportunity_id beside it."),
    solution_code=('open_ids = opportunities.loc[opportunities.outcome == "open", "opportunity_id"]\n'
                   'open_scores = qualify.qualify(discovery[discovery.opportunity_id.isin(open_ids)])'),
)


def _closed_scores() -> pd.DataFrame:
    scored = qualify.qualify(load("discovery")).merge(load("opportunities")[["opportunity_id", "outcome"]],
                                                      on="opportunity_id")
    return scored


def _win_rate(rule: Callable[[pd.Series], pd.Series], closed_only: bool = True) -> float:
    scored = _closed_scores()
    if closed_only:
        scored = scored[scored["outcome"].isin(["won", "lost"])]
    mine = scored[rule(scored["score"])]
    return float(100 * (mine["outcome"] == "won").mean())


q2 = Question(
    id="L4.q2", title="Does qualification predict wins?", behaviours=("4.1",), answer="win_rate_10_plus",
    prompt=("Of the CLOSED opportunities (won or lost) in discovery with a MEDDICC score of 10 or more, what "
            "percentage were won? Give a percentage such as 72.5."),
    grader=checks.number(lambda: _win_rate(lambda s: s >= qualify.PURSUE_AT), tolerance=0.06, unit="%", mistakes=[
        (lambda v: 0 < v <= 1, "That looks like a fraction: give the percentage (multiply by 100)."),
        (lambda v: abs(v - _win_rate(lambda s: s >= qualify.PURSUE_AT, closed_only=False)) < 0.06,
         "That counts open opportunities as not won: keep only outcomes 'won' and 'lost'."),
        (lambda v: abs(v - _win_rate(lambda s: s > qualify.PURSUE_AT)) < 0.06,
         "That leaves out the opportunities scoring exactly 10: '10 or more' is >= 10."),
        (lambda v: abs(v - _win_rate(lambda s: s < qualify.PURSUE_AT)) < 0.06,
         "That is the win rate of the opportunities scoring BELOW 10."),
    ]),
    hints=("Score every discovery record, join the outcome from opportunities, keep outcome won or lost and "
           "score >= 10.",
           "scored = qualify.qualify(discovery).merge(opportunities[['opportunity_id', 'outcome']]); then "
           "100 * (chosen.outcome == 'won').mean(); qualify.win_rate_by_score does the whole table."),
    solution_code=('scored = qualify.qualify(discovery).merge(opportunities[["opportunity_id", "outcome"]])\n'
                   'closed = scored[scored.outcome.isin(["won", "lost"]) & (scored.score >= 10)]\n'
                   'win_rate_10_plus = 100 * (closed.outcome == "won").mean()'),
)


def _plan_topics() -> list[str]:
    discovery = load("discovery")
    record = discovery[discovery["opportunity_id"] == case_id()].iloc[0]
    return qualify.discovery_plan(record)["topic"].tolist()


def _meddicc_gaps_only(value: Any) -> bool:
    discovery = load("discovery")
    record = discovery[discovery["opportunity_id"] == case_id()].iloc[0]
    gaps = {e for e in qualify.MEDDICC if int(record[e]) < 2}
    return {str(v) for v in value} == gaps and set(_plan_topics()) != gaps


q3 = Question(
    id="L4.q3", title="The case study's discovery plan", behaviours=("4.1",), answer="open_topics",
    prompt=("List the topics still open for the case study (case_id): every MEDDICC element not yet confirmed "
            "(scored below 2) and every technical requirement discovery has not answered (empty)."),
    grader=checks.collection(_plan_topics, item="topic", mistakes=[
        (_meddicc_gaps_only, "You have the qualification gaps; the technical requirements nobody has answered yet "
                             "belong in the plan too."),
    ]),
    hints=("Take the case study's row of discovery; MEDDICC elements below 2 and requirement columns that are "
           "empty (NaN) are the open topics.",
           "qualify.discovery_plan(record) builds the whole plan; its topic column is the answer."),
    solution_code=('record = discovery[discovery.opportunity_id == case_id].iloc[0]\n'
                   'open_topics = qualify.discovery_plan(record)["topic"].tolist()'),
)

# -- 4.2 devising solutions and assessing feasibility ---------------------------------------------


def _best_total() -> float:
    return float(solution_design.least_cost(solution_design.options(requirements()))["total_gbp"])


q4 = Question(
    id="L4.q4", title="The least-cost feasible solution", behaviours=("4.2",), answer="best_total",
    prompt=("Search the solution options for the case study's requirements (req) and give the total cost in "
            "pounds (total_gbp) of the cheapest option that passes every hard constraint."),
    grader=checks.number(_best_total, tolerance=0.5, unit=" GBP", mistakes=[
        (lambda v: abs(v - float(solution_design.options(requirements())["total_gbp"].min())) < 0.5,
         "That option fails a hard constraint: keep only the rows where feasible is True."),
        (lambda v: abs(v - float(solution_design.least_cost(solution_design.options(requirements()))["hardware_gbp"]))
         < 0.5, "That is the hardware only: total_gbp adds the services and the tier uplift."),
    ]),
    hints=("solution_design.options(req) lists every combination with a feasible column and a total_gbp column.",
           "solution_design.least_cost(options_table) returns the cheapest feasible row; take its total_gbp."),
    solution_code=("options_table = solution_design.options(req)\n"
                   'best_total = solution_design.least_cost(options_table)["total_gbp"]'),
)

WHAT_IF_DAYS = 30


def _what_if_feasible() -> list[str]:
    table = solution_design.options(requirements(go_live_working_days=WHAT_IF_DAYS))
    return table.loc[table["feasible"], "option"].tolist()


def _original_feasible(value: Any) -> bool:
    table = solution_design.options(requirements())
    return {str(v).upper() for v in value} == {o.upper() for o in table.loc[table["feasible"], "option"]} \
        and set(_what_if_feasible()) != set(table.loc[table["feasible"], "option"])


q5 = Question(
    id="L4.q5", title="What if the customer needs it sooner?", behaviours=("4.2",), answer="still_feasible",
    prompt=(f"The customer's operations director asks for go-live within {WHAT_IF_DAYS} working days of the "
            "order. Re-run the search with that deadline and list the options (the option column) that are "
            "still feasible."),
    grader=checks.collection(_what_if_feasible, item="option", mistakes=[
        (_original_feasible, f"Those are the options feasible for the ORIGINAL deadline: change "
                             f"go_live_working_days to {WHAT_IF_DAYS} and search again."),
    ]),
    hints=("Requirements are a frozen dataclass: dataclasses.replace(req, go_live_working_days=...) makes a "
           "changed copy.",
           f"table = solution_design.options(replace(req, go_live_working_days={WHAT_IF_DAYS})); then "
           "table.loc[table.feasible, 'option'].tolist()."),
    solution_code=(f"sooner = solution_design.options(replace(req, go_live_working_days={WHAT_IF_DAYS}))\n"
                   'still_feasible = sooner.loc[sooner.feasible, "option"].tolist()'),
)

# -- 4.3 demonstrating technical feasibility with a simulation ---------------------------------------

SWEEP_VALUES = tuple(range(50, 601, 50))
RELAXED_ALARM_S = 30.0


def _indoor_sweep(alarm_p95_s: float = RELAXED_ALARM_S) -> pd.DataFrame:
    return _indoor_sweep_for(_data_key(), alarm_p95_s).copy()


@lru_cache(maxsize=8)
def _indoor_sweep_for(key: tuple, alarm_p95_s: float) -> pd.DataFrame:
    req = requirements()
    profile = simulate.burst_profile(load("pilot_telemetry"), req.reporting_interval_s)
    indoor = simulate.gateway_profile("GW-LRW-IN")
    base = dict(sensors=100, interval_s=req.reporting_interval_s, capacity_per_s=indoor.capacity_per_s,
                queue=indoor.queue, bursts_per_hour=profile["bursts_per_hour"],
                burst_fraction=profile["burst_fraction"], network_latency_s=simulate.NETWORK_LATENCY_S[req.backhaul])
    return simulate.sweep("sensors", SWEEP_VALUES, base, req.sla_max_loss_pct, alarm_p95_s, hours=12, seed=0)


def _indoor_limit(alarm_p95_s: float = RELAXED_ALARM_S) -> float:
    limit = simulate.largest_meeting_sla(_indoor_sweep(alarm_p95_s))
    return float(limit) if limit is not None else 0.0


def _first_failure() -> float:
    table = _indoor_sweep()
    failing = table.loc[~table["meets_sla"], "value"]
    return float(failing.min()) if len(failing) else math.nan


def _latency_only_limit() -> float:
    table = _indoor_sweep()
    ok = table.loc[table["alarm_p95_s"] <= RELAXED_ALARM_S, "value"]
    return float(ok.max()) if len(ok) else math.nan


q6 = Question(
    id="L4.q6", title="How many sensors can one indoor gateway carry?", behaviours=("4.3",),
    answer="max_sensors_indoor",
    prompt=(f"The customer would accept 95% of alarms within {RELAXED_ALARM_S:g} seconds (the loss limit stays). "
            "Sweep the sensors on ONE indoor gateway (GW-LRW-IN) over 50, 100, ..., 600 under the pilot's busy-hour "
            "bursts, with hours=12 and seed=0. What is the largest number of sensors for which every value up to "
            "it meets the SLA?"),
    grader=checks.number(_indoor_limit, tolerance=0, unit=" sensors", mistakes=[
        (lambda v: abs(v - _first_failure()) < 1e-9, "That is the first value that MISSES the SLA: give the last "
                                                     "one that meets it."),
        (lambda v: abs(v - _latency_only_limit()) < 1e-9,
         "That looks at the latency only: the loss limit (req.sla_max_loss_pct) is part of the SLA too."),
        (lambda v: abs(v - _indoor_limit(requirements().sla_alarm_p95_s)) < 1e-9,
         f"That is the limit for the customer's original alarm target: use {RELAXED_ALARM_S:g} seconds."),
        (lambda v: v == 500, "500 is the catalogue's device limit for the indoor gateway; the question asks what "
                             "the simulation says under this customer's bursts."),
    ]),
    hints=("simulate.burst_profile(telemetry, req.reporting_interval_s) gives the busy-hour bursts_per_hour and "
           "burst_fraction; simulate.gateway_profile('GW-LRW-IN') the capacity and queue.",
           "Put them with interval_s and network_latency_s=simulate.NETWORK_LATENCY_S[req.backhaul] in a dict, "
           f"call simulate.sweep('sensors', range(50, 601, 50), base, req.sla_max_loss_pct, {RELAXED_ALARM_S:g}, "
           "hours=12, seed=0) and simulate.largest_meeting_sla(table)."),
    solution_code=('profile = simulate.burst_profile(telemetry, req.reporting_interval_s)\n'
                   'indoor = simulate.gateway_profile("GW-LRW-IN")\n'
                   'base = dict(sensors=100, interval_s=req.reporting_interval_s,\n'
                   '            capacity_per_s=indoor.capacity_per_s, queue=indoor.queue,\n'
                   '            bursts_per_hour=profile["bursts_per_hour"],\n'
                   '            burst_fraction=profile["burst_fraction"],\n'
                   '            network_latency_s=simulate.NETWORK_LATENCY_S[req.backhaul])\n'
                   'table = simulate.sweep("sensors", range(50, 601, 50), base, req.sla_max_loss_pct,\n'
                   f'                       {RELAXED_ALARM_S:g}, hours=12, seed=0)\n'
                   'max_sensors_indoor = simulate.largest_meeting_sla(table)'),
)

FAST_INTERVAL_S = 60


def _case_sensor() -> pd.Series:
    product_id = load("opportunities").set_index("opportunity_id").loc[case_id(), "primary_product_id"]
    return load("products").set_index("product_id").loc[product_id]


def _battery_fast() -> float:
    sensor = _case_sensor()
    return simulate.battery_life_years(float(sensor["battery_life_years"]), float(sensor["reporting_interval_s"]),
                                       FAST_INTERVAL_S)


q7 = Question(
    id="L4.q7", title="Battery life if the customer wants faster readings", behaviours=("4.3",),
    answer="battery_60s",
    prompt=(f"The quality manager asks for a reading every {FAST_INTERVAL_S} seconds. With the battery model, how "
            "many years would the case study's sensor (the opportunity's primary product) last?"),
    grader=checks.number(_battery_fast, tolerance=0.005, unit=" years", mistakes=[
        (lambda v: abs(v - float(_case_sensor()["battery_life_years"])) < 0.005,
         "That is the catalogue life at the DEFAULT reporting interval."),
        (lambda v: abs(v - float(_case_sensor()["battery_life_years"]) * FAST_INTERVAL_S
                       / float(_case_sensor()["reporting_interval_s"])) < 0.005,
         "That scales the life in proportion to the interval, as if all the energy went on transmitting; the "
         "model keeps a share for sleeping (simulate.battery_life_years)."),
    ]),
    hints=("The sensor is opportunities' primary_product_id for the case study; its catalogue row has "
           "battery_life_years and reporting_interval_s.",
           f"simulate.battery_life_years(sensor.battery_life_years, sensor.reporting_interval_s, {FAST_INTERVAL_S})"),
    solution_code=('sensor_id = opportunities.set_index("opportunity_id").loc[case_id, "primary_product_id"]\n'
                   'sensor = products.set_index("product_id").loc[sensor_id]\n'
                   f'battery_60s = simulate.battery_life_years(sensor.battery_life_years, sensor.reporting_interval_s, '
                   f'{FAST_INTERVAL_S})'),
)

# -- 4.4 resolving technical problems ----------------------------------------------------------------

FACTORS = ("site", "gateway_id", "product_id", "firmware_version", "backhaul", "hour_of_day")


def _telemetry() -> pd.DataFrame:
    telemetry = load("pilot_telemetry")
    return telemetry.assign(hour_of_day=telemetry["hour"].dt.hour)


def _root_cause() -> str:
    return str(rca.factor_ranking(_telemetry(), list(FACTORS))["factor"].iloc[0])


q8 = Question(
    id="L4.q8", title="Which factor explains the lost uplinks?", behaviours=("4.4",), answer="root_cause",
    prompt=("The customer saw gaps in the pilot data. Which ONE factor of the pilot telemetry best explains the "
            "lost uplinks? Choose from: " + ", ".join(FACTORS) + "."),
    grader=checks.choice(_root_cause, FACTORS, mistakes=[
        (lambda v: v.strip() == "site", "Site 1 loses more, but one of its gateways loses almost nothing: the site "
                                        "travels with the cause without being it."),
        (lambda v: v.strip() == "hour_of_day", "Busy hours make the loss worse on SOME gateways only: what do those "
                                               "gateways have in common?"),
        (lambda v: v.strip() == "gateway_id", "One gateway is the worst, but it is not the only one losing data: what "
                                              "do the lossy gateways share?"),
        (lambda v: v.strip() in ("product_id", "backhaul"),
         "Compare gateways of the same model and backhaul: some lose data and some do not."),
    ]),
    hints=("Compare the loss rate (lost / expected uplinks) group by group for each factor; then check whether "
           "the worst group of one factor also contains clean gateways.",
           "rca.factor_ranking(telemetry, factors) ranks them by how much of the hour-to-hour variation in loss each "
           "explains; add the column first: telemetry.assign(hour_of_day=telemetry.hour.dt.hour)."),
    solution_code=('with_hour = telemetry.assign(hour_of_day=telemetry.hour.dt.hour)\n'
                   'ranking = rca.factor_ranking(with_hour, ["site", "gateway_id", "product_id", "firmware_version",\n'
                   '                                         "backhaul", "hour_of_day"])\n'
                   'root_cause = ranking.factor.iloc[0]'),
)

BAD = "3.2.0"


def _bad_share() -> float:
    telemetry = load("pilot_telemetry")
    lost = telemetry["uplinks_expected"] - telemetry["uplinks_received"]
    return float(100 * lost[telemetry["firmware_version"] == BAD].sum() / lost.sum())


def _bad_loss_rate() -> float:
    telemetry = load("pilot_telemetry")
    bad = telemetry[telemetry["firmware_version"] == BAD]
    return float(100 * (bad["uplinks_expected"] - bad["uplinks_received"]).sum() / bad["uplinks_expected"].sum())


q9 = Question(
    id="L4.q9", title="How much of the loss is on firmware 3.2.0?", behaviours=("4.4",), answer="share_on_320",
    prompt=(f"What percentage of ALL lost uplinks in the pilot (expected minus received) happened in gateway-hours "
            f"running firmware {BAD}?"),
    grader=checks.number(_bad_share, tolerance=0.06, unit="%", mistakes=[
        (lambda v: 0 < v <= 1, "That looks like a fraction: give the percentage (multiply by 100)."),
        (lambda v: abs(v - _bad_loss_rate()) < 0.01,
         f"That is the loss RATE of the {BAD} hours (lost / expected); the question asks for their share of all "
         "lost uplinks."),
    ]),
    hints=("Lost uplinks = uplinks_expected - uplinks_received. Add them up for the 3.2.0 rows and for all rows.",
           "rca.loss_by(telemetry, 'firmware_version') has a share_of_loss_pct column (rounded; compute it exactly "
           "from the lost column)."),
    solution_code=('lost = telemetry.uplinks_expected - telemetry.uplinks_received\n'
                   'share_on_320 = 100 * lost[telemetry.firmware_version == "3.2.0"].sum() / lost.sum()'),
)


def _still_bad() -> list[str]:
    telemetry = load("pilot_telemetry")
    last = telemetry[telemetry["hour"] == telemetry["hour"].max()]
    return sorted(last.loc[last["firmware_version"] == BAD, "gateway_id"])


def _ever_bad(value: Any) -> bool:
    telemetry = load("pilot_telemetry")
    ever = set(telemetry.loc[telemetry["firmware_version"] == BAD, "gateway_id"])
    return {str(v).upper() for v in value} == {g.upper() for g in ever} and ever != set(_still_bad())


q10 = Question(
    id="L4.q10", title="Which gateways must be upgraded before the rollout?", behaviours=("4.4",),
    answer="to_upgrade",
    prompt=f"List the gateway_id of every pilot gateway still running firmware {BAD} in the LAST hour of the pilot.",
    grader=checks.collection(_still_bad, item="gateway", mistakes=[
        (_ever_bad, "That includes a gateway that was already upgraded during the pilot: look at the last hour only "
                    "(rca.firmware_changes shows the upgrade)."),
    ]),
    hints=("Keep the rows where hour equals telemetry.hour.max(), then those on 3.2.0.",
           "last = telemetry[telemetry.hour == telemetry.hour.max()]; "
           "sorted(last.loc[last.firmware_version == '3.2.0', 'gateway_id'])"),
    solution_code=('last = telemetry[telemetry.hour == telemetry.hour.max()]\n'
                   'to_upgrade = sorted(last.loc[last.firmware_version == "3.2.0", "gateway_id"])'),
)

# -- 4.5 estimates of cost and risk and an initial project plan --------------------------------------


def _three_point_cases() -> list[tuple[float, float, float]]:
    rng = np.random.default_rng(404)
    cases: list[tuple[float, float, float]] = [(2, 4, 12), (5, 5, 5), (0, 0, 0), (3, 3, 9), (1, 6, 6),
                                               (0.5, 1.25, 4.75), (1000, 1500, 4200), (0, 10, 20)]
    for _ in range(30):
        o, m, p = sorted(rng.uniform(0, 50, size=3).round(1))
        cases.append((float(o), float(m), float(p)))
    return cases


def _error_name(error: BaseException) -> str:
    """``checks._err`` for any exception, even one whose message cannot be turned into text."""
    try:
        return checks._err(error)
    except Exception:  # an exception whose str() itself fails
        return type(error).__name__


def _shown(value: Any) -> str:
    """A short repr of what the trainee's function returned, or a description if even repr fails."""
    try:
        return checks._short(value)
    except Exception:
        return f"a value of type {type(value).__name__}"


def _call(func: Any, args: tuple, label: str, shown: str) -> tuple[Any, Verdict | None]:
    """Call a trainee's function safely: (result, None), or (None, the verdict to give)."""
    try:
        return checks.call_with_timeout(func, args), None
    except (NotImplementedError, NotAttempted):
        raise NotAttempted
    except checks.CallTimeout:
        return None, incorrect(f"Your {label} did not finish within 2 s for {shown}. Look for a loop that never ends.")
    except RecursionError:
        return None, incorrect(f"Your {label} called itself without end for {shown}.")
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # a trainee's bug (even sys.exit) must not produce a traceback
        return None, incorrect(f"Your {label} raised {_error_name(error)} for {shown}.")


def _pair(value: Any) -> tuple[float, float] | None:
    try:
        mean, sd = value
        return float(mean), float(sd)
    except Exception:
        return None


def _three_point_grader(value: Any) -> Verdict:
    if not callable(value):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a function defined with `def`.")
    for o, m, p in _three_point_cases():
        shown = f"optimistic={o:g}, most_likely={m:g}, pessimistic={p:g}"
        got, problem = _call(value, (o, m, p), "three_point", f"({shown})")
        if problem is not None:
            return problem
        want = estimate.three_point(o, m, p)
        pair = _pair(got)
        if pair is None:
            return incorrect(f"For ({shown}) your three_point returned {_shown(got)}: return two numbers, "
                             "(mean, sd).")
        mean, sd = pair
        close = lambda a, b: math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)  # noqa: E731
        if close(mean, want.mean) and close(sd, want.sd):
            continue
        if close(mean, want.sd) and close(sd, want.mean) and not close(want.mean, want.sd):
            return incorrect(f"For ({shown}) you returned the two numbers the wrong way round: return (mean, sd).")
        if not close(mean, want.mean):
            if close(mean, (o + m + p) / 3):
                return incorrect(f"For ({shown}) your mean is the simple average (o + m + p) / 3: PERT gives the most "
                                 "likely value four times the weight.")
            return incorrect(f"For ({shown}) your mean is {mean:g}, which is not the PERT mean.")
        if close(sd, want.sd ** 2):
            return incorrect(f"For ({shown}) your second number looks like the variance: the standard deviation is "
                             "its square root.")
        return incorrect(f"For ({shown}) your mean is right but your standard deviation ({sd:g}) is not: PERT uses "
                         "the range between pessimistic and optimistic.")
    return correct(f"Your three_point matches the reference on all {len(_three_point_cases())} cases, including "
                   "zero spread and a most likely value at either end.")


q11 = Question(
    id="L4.q11", title="Implement a three-point (PERT) estimate", behaviours=("4.5",), answer="three_point",
    prompt=("Write three_point(optimistic, most_likely, pessimistic) returning (mean, sd) of the PERT "
            "three-point estimate: mean = (o + 4m + p) / 6, sd = (p - o) / 6."),
    grader=_three_point_grader,
    hints=("Return a tuple: return mean, sd.",
           "mean = (optimistic + 4 * most_likely + pessimistic) / 6 and sd = (pessimistic - optimistic) / 6."),
    solution_code=("def three_point(optimistic, most_likely, pessimistic):\n"
                   "    mean = (optimistic + 4 * most_likely + pessimistic) / 6\n"
                   "    sd = (pessimistic - optimistic) / 6\n"
                   "    return mean, sd"),
)


def _plan(rows: list[tuple[str, float, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame({"task": [r[0] for r in rows], "duration": [r[1] for r in rows],
                         "predecessors": [list(r[2]) for r in rows]})


def schedule_cases() -> list[pd.DataFrame]:
    """The plans a trainee's forward_backward is compared on: textbook networks, edge cases and random DAGs
    (every predecessor listed before the tasks that need it). Fresh copies each call."""
    return [case.copy() for case, _ in _schedule_cases_and_answers()]


@lru_cache(maxsize=1)
def _schedule_cases_and_answers() -> tuple[tuple[pd.DataFrame, pd.DataFrame], ...]:
    """Every case with the reference schedule (computed once: it does not depend on the data)."""
    cases = [
        _plan([("A", 3, []), ("B", 2, ["A"]), ("C", 4, ["A"]), ("D", 1, ["B", "C"])]),
        _plan([("ONLY", 5, [])]),
        _plan([("START", 0, []), ("A", 2, ["START"]), ("B", 3, ["START"]), ("END", 0, ["A", "B"])]),
        # two critical paths of equal length
        _plan([("A", 2, []), ("B", 3, ["A"]), ("C", 2, []), ("D", 3, ["C"]), ("E", 1, ["B", "D"])]),
        # a task with many predecessors
        _plan([(f"T{i}", float(i), []) for i in range(1, 9)] + [("Z", 2, [f"T{i}" for i in range(1, 9)])]),
        _plan([("A", 0, []), ("B", 0, ["A"]), ("C", 0, [])]),
        # two separate chains of different length
        _plan([("A", 4, []), ("B", 4, ["A"]), ("X", 1, []), ("Y", 2, ["X"])]),
        # Heizer & Render's Milwaukee Paper network (project length 15)
        _plan([("A", 2, []), ("B", 3, []), ("C", 2, ["A"]), ("D", 4, ["A", "B"]), ("E", 4, ["C"]), ("F", 3, ["C"]),
               ("G", 5, ["D", "E"]), ("H", 2, ["F", "G"])]),
        _plan([("A", 1.5, []), ("B", 0.5, ["A"]), ("C", 2.25, ["A"]), ("D", 0, ["B", "C"])]),
    ]
    rng = np.random.default_rng(2026)
    for n in rng.integers(3, 13, size=20):
        rows = []
        for i in range(int(n)):
            earlier = [r[0] for r in rows]
            k = int(rng.integers(0, min(len(earlier), 4) + 1)) if earlier else 0
            preds = sorted(rng.choice(earlier, size=k, replace=False).tolist()) if k else []
            rows.append((f"T{i + 1:02d}", float(rng.integers(0, 10)), preds))
        cases.append(_plan(rows))
    return tuple((case, plan.schedule(case)) for case in cases)


def show_plan(tasks: pd.DataFrame, limit: int = 6) -> str:
    """A plan in one line, e.g. 'A(3) <- -; B(2) <- A; ...'."""
    parts = [f"{t}({d:g}) <- {', '.join(map(str, p)) or '-'}" for t, d, p in
             zip(tasks["task"], tasks["duration"], tasks["predecessors"])]
    text = "; ".join(parts[:limit])
    return text + (f"; ... ({len(parts)} tasks)" if len(parts) > limit else "")


SCHEDULE_COLUMNS = ("es", "ef", "ls", "lf", "slack")


def _described(value: Any) -> str:
    try:
        return checks.describe(value)
    except Exception:
        return f"a value of type {type(value).__name__}"


def _as_schedule(value: Any) -> pd.DataFrame | None:
    if not isinstance(value, pd.DataFrame):
        return None
    table = value.copy()
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "task" in table.columns:
        table = table.set_index("task")
    if any(c not in table.columns for c in SCHEDULE_COLUMNS):
        return None
    return table


def _schedule_grader(value: Any) -> Verdict:
    if not callable(value):
        return incorrect(f"You gave {checks.describe(value)}; the answer should be a function defined with `def`.")
    cases = _schedule_cases_and_answers()
    for case, want in cases:
        tasks = case.copy()
        shown = show_plan(tasks)
        got, problem = _call(value, (tasks.copy(),), "forward_backward", f"the plan {shown}")
        if problem is not None:
            return problem
        try:
            table = _as_schedule(got)
        except Exception:
            table = None
        if table is None:
            return incorrect(f"For the plan {shown} you returned {_described(got)}: return a DataFrame with one "
                             "row per task (task as the index or a column) and the columns es, ef, ls, lf, slack.")
        if set(map(str, table.index)) != set(map(str, want.index)) or len(table) != len(want):
            return incorrect(f"For the plan {shown} your table's tasks are {sorted(map(str, table.index))[:8]}: "
                             "give exactly one row per task.")
        table.index = table.index.map(str)
        mine = table.loc[[str(t) for t in want.index]]
        for group, advice in ((("es", "ef"), "a task starts when the LAST of its predecessors finishes (the "
                                             "largest ef among them), and ef = es + duration"),
                              (("ls", "lf"), "work backwards from the project end: a task must finish by the "
                                             "EARLIEST latest start of its successors, and tasks nobody waits for "
                                             "finish at the project end"),
                              (("slack",), "slack = ls - es")):
            for column in group:
                given = pd.to_numeric(mine[column], errors="coerce").to_numpy(dtype=float)
                ok = np.isclose(given, want[column].to_numpy(dtype=float), rtol=1e-6, atol=1e-6)
                if not ok.all():
                    task = list(want.index)[int(np.argmax(~ok))]
                    return incorrect(f"For the plan {shown} your {column} of task {task} is {given[~ok][0]:g}, which "
                                     f"is not right: {advice}.")
    return correct(f"Your forward and backward pass match the reference on all {len(cases)} plans, including "
                   "milestones, several critical paths and a task with eight predecessors.")


q12 = Question(
    id="L4.q12", title="Implement the forward and backward pass", behaviours=("4.5",), answer="forward_backward",
    prompt=("Write forward_backward(tasks) for a plan with the columns task, duration and predecessors (a list; "
            "every predecessor is listed before the tasks that need it). Return a DataFrame indexed by task with "
            "the columns es, ef, ls, lf and slack (working days from the start)."),
    grader=_schedule_grader,
    hints=("Forward pass, top to bottom: es = the largest ef of the predecessors (0 if none), ef = es + duration. "
           "The project ends at the largest ef.",
           "Backward pass, bottom to top: lf = the smallest ls of the tasks that list this one as a predecessor (the "
           "project end if none), ls = lf - duration; slack = ls - es. Keep the values in dicts keyed by task."),
    solution_code=("def forward_backward(tasks):\n"
                   "    rows = list(tasks.itertuples())\n"
                   "    es, ef = {}, {}\n"
                   "    for row in rows:\n"
                   "        es[row.task] = max((ef[p] for p in row.predecessors), default=0)\n"
                   "        ef[row.task] = es[row.task] + row.duration\n"
                   "    end = max(ef.values())\n"
                   "    ls, lf = {}, {}\n"
                   "    for row in reversed(rows):\n"
                   "        successors = [s.task for s in rows if row.task in s.predecessors]\n"
                   "        lf[row.task] = min((ls[s] for s in successors), default=end)\n"
                   "        ls[row.task] = lf[row.task] - row.duration\n"
                   "    table = pd.DataFrame({'es': es, 'ef': ef, 'ls': ls, 'lf': lf})\n"
                   "    table['slack'] = table['ls'] - table['es']\n"
                   "    return table"),
)


def delivery() -> proposal.DeliveryInputs:
    """The delivery inputs of the case study's least-cost option (the exercise's given `delivery`)."""
    return _delivery_for(_data_key())


@lru_cache(maxsize=4)
def _delivery_for(key: tuple) -> proposal.DeliveryInputs:
    req = requirements()
    best = solution_design.least_cost(solution_design.options(req))
    return proposal.delivery_inputs(req, best, load("projects"), load("products"))


COST_SEED = 42
N = 10_000


def _cost_totals() -> np.ndarray:
    return _cost_totals_for(_data_key())


@lru_cache(maxsize=4)
def _cost_totals_for(key: tuple) -> np.ndarray:
    return estimate.monte_carlo(delivery().costs, n=N, seed=COST_SEED, distribution="pert")


def _p(level: float) -> float:
    return float(np.percentile(_cost_totals(), level))


q13 = Question(
    id="L4.q13", title="P80 delivery cost", behaviours=("4.5",), answer="p80_cost",
    prompt=(f"Simulate {N:,} totals of the delivery cost items (delivery.costs) with estimate.monte_carlo, "
            f"PERT distributions (distribution='pert') and seed={COST_SEED}, and give the P80 total in pounds."),
    grader=checks.number(lambda: _p(80), relative=0.005, unit=" GBP", mistakes=[
        (lambda v: abs(v - _p(50)) <= 0.002 * _p(50) or abs(v - float(_cost_totals().mean())) <= 0.002 * _p(50),
         "That is the middle of the distribution (P50 or the mean): P80 is the total that 80% of simulated "
         "projects do not exceed."),
        (lambda v: abs(v - float(delivery().costs["most_likely"].sum())) < 1,
         "That is the sum of the most likely costs: the P80 comes from the simulated totals."),
        (lambda v: abs(v - float(delivery().costs["pessimistic"].sum())) < 1,
         "That is the all-pessimistic total, which almost never happens: take the 80th percentile of the "
         "simulated totals."),
        (lambda v: abs(v - float(np.percentile(estimate.monte_carlo(delivery().costs, n=N, seed=COST_SEED), 80)))
         <= 0.002 * _p(80), "That simulation used triangular distributions: pass distribution='pert'."),
    ]),
    hints=(f"totals = estimate.monte_carlo(delivery.costs, n={N:,}, seed={COST_SEED}, distribution='pert') gives one "
           "simulated total per project.",
           "estimate.percentiles(totals)['P80'] (or np.percentile(totals, 80))."),
    solution_code=(f"totals = estimate.monte_carlo(delivery.costs, n={N}, seed={COST_SEED}, distribution='pert')\n"
                   'p80_cost = estimate.percentiles(totals)["P80"]'),
)

NEW_RISK = {"risk": "Specialist contractor needed to route probe cables through freezer walls",
            "probability": 0.4, "impact": 6000.0, "owner": "Field Engineering",
            "response": "Agree cable routes in the site survey"}


def _emv_with_new_risk() -> float:
    return risk.expected_monetary_value(delivery().register) + NEW_RISK["probability"] * NEW_RISK["impact"]


q14 = Question(
    id="L4.q14", title="EMV after a new risk", behaviours=("4.5",), answer="emv_with_r7",
    prompt=(f"The site manager warns of a new risk: R7, '{NEW_RISK['risk']}', probability "
            f"{NEW_RISK['probability']:.0%}, impact £{NEW_RISK['impact']:,.0f}. Add it to a copy of delivery.register "
            "and give the new expected monetary value of the register in pounds."),
    grader=checks.number(_emv_with_new_risk, tolerance=0.5, unit=" GBP", mistakes=[
        (lambda v: abs(v - risk.expected_monetary_value(delivery().register)) < 0.5,
         "That is the EMV BEFORE the new risk: add R7 to the register first."),
        (lambda v: abs(v - (risk.expected_monetary_value(delivery().register) + 40 * NEW_RISK["impact"])) < 0.5,
         "That uses 40 for the probability: write 40% as 0.4."),
        (lambda v: abs(v - float(delivery().register["impact"].sum() + NEW_RISK["impact"])) < 0.5,
         "That adds the full impacts: EMV weights each impact by its probability."),
    ]),
    hints=("register = delivery.register.copy(); register.loc['R7'] = [...] adds a row (risk, probability, impact, "
           "owner, response).",
           "Then risk.expected_monetary_value(register): the sum of probability x impact."),
    solution_code=("register = delivery.register.copy()\n"
                   "register.loc['R7'] = [ex.NEW_RISK[c] for c in register.columns]\n"
                   "emv_with_r7 = risk.expected_monetary_value(register)"),
)


def _statement_facts() -> list[Fact]:
    inputs = delivery()
    cost80 = _p(80)
    register = inputs.register.copy()
    register.loc["R7"] = [NEW_RISK[c] for c in register.columns]
    reserve = risk.contingency(register, percentile=80)
    days = float(np.percentile(proposal.schedule_simulation(inputs.wbs, n=N, seed=COST_SEED), 80))
    return [
        Fact(f"the P80 delivery cost (about £{cost80:,.0f})", _pounds(cost80)),
        Fact(f"the P80 risk contingency (about £{reserve:,.0f})", _pounds(reserve)),
        Fact(f"the P80 time to go-live (about {days:.0f} working days)", _days(days)),
        Fact("that these figures are at 80% confidence", (r"\b80\s*%", r"\bP80\b", r"eighty per\s?cent")),
    ]


def _pounds(amount: float) -> tuple[str, ...]:
    """Patterns for an amount written to the pound (rounded or cut), with or without pence and commas."""
    forms = set()
    for whole in {int(round(amount)), int(math.floor(amount))}:
        forms |= {str(whole), f"{whole:,}"}
    forms.add(f"{amount:.2f}")
    forms.add(f"{amount:,.2f}")
    return tuple(rf"(?<![\d,.]){re.escape(f)}(?:\.\d\d)?(?!\d|[,.]\d)" for f in sorted(forms))


def _days(days: float) -> tuple[str, ...]:
    values = sorted({int(round(days)), int(math.ceil(days))})
    return tuple(rf"(?<![\d.]){v}\s*(working\s+|business\s+)?days?\b" for v in values)


q15 = Question(
    id="L4.q15", title="The estimate statement for the proposal", behaviours=("4.5",), answer="estimate_statement",
    prompt=("Write the estimate statement for the proposal (30-120 words): the P80 delivery cost from Question 13, "
            "the P80 risk contingency of the register with R7 (risk.contingency, percentile=80, default seed), and "
            f"the P80 time from order to go-live (proposal.schedule_simulation(delivery.wbs, n={N}, "
            f"seed={COST_SEED})), saying they are at 80% confidence."),
    grader=checks.writing(_statement_facts,
                          lambda: [Fact("a guarantee (an estimate is not a promise)", (r"\bguarantee",))],
                          min_words=30, max_words=120, subject="statement"),
    hints=("Compute the three figures first: p80_cost, risk.contingency(register, percentile=80) and "
           "estimate.percentiles(durations)['P80'].",
           "Write them into an f-string, rounded to the pound and to whole days, e.g. f'... £{p80_cost:,.0f} ...'. "
           "Say 80% confidence; do not promise."),
    solution_code=("reserve = risk.contingency(register, percentile=80)\n"
                   f"durations = proposal.schedule_simulation(delivery.wbs, n={N}, seed={COST_SEED})\n"
                   "p80_days = estimate.percentiles(durations)['P80']\n"
                   "estimate_statement = (f'We estimate the delivery cost at £{p80_cost:,.0f} (P80) plus a risk "
                   "contingency of £{reserve:,.0f} (P80), and go-live {p80_days:.0f} working days after the order. "
                   "Both are at 80% confidence, based on our past projects and a simulation of the plan.')"),
)

QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15]
