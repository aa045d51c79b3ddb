"""Advice-quality reviews: a scoring rubric, a sampling plan, and a coaching plan from the evidence (Level 5).

A sales-support manager cannot listen to every call or read every bid, so quality is reviewed on a
*sample* of records, each scored against a *rubric*: a short list of criteria, each met or not.

- :class:`Criterion`, :class:`Rubric`  the rubric; :data:`ADVICE_RUBRIC` is Kestrel's
- :func:`score`                        a score (0-100) and pass/fail for every reviewed record
- :func:`sample_size`                  reviews needed to know a pass rate within +/- a margin
- :func:`margin_of_error`              how precisely n reviews pin a rate down
- :func:`allocate`                     share a review budget over strata (advisors, teams, channels)
- :func:`draw_sample`                  draw a reproducible stratified sample of records
- :func:`not_met_rates`                percent of reviews where each criterion was not met, by group
- :func:`coaching_plan`                advisor x criterion pairs where the evidence says "coach this"

Sample sizes use the normal approximation for a proportion, n0 = z^2 p (1 - p) / e^2, with the finite
population correction n = n0 / (1 + (n0 - 1) / N) when the population size N is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "Criterion", "Rubric", "ADVICE_RUBRIC", "score", "sample_size", "margin_of_error", "allocate",
    "draw_sample", "not_met_rates", "binomial_tail", "COACHING_ACTIONS", "coaching_plan",
]


@dataclass(frozen=True)
class Criterion:
    """One thing a reviewer checks: a column of 1 (met) / 0 (not met), its weight, and whether it is critical.

    A critical criterion not met fails the record whatever the score (a wrong price is never "mostly right").
    """

    name: str
    question: str
    weight: float = 1.0
    critical: bool = False


@dataclass(frozen=True)
class Rubric:
    """Criteria plus a pass mark: a record passes when every critical criterion is met and its weighted
    score (percent of the total weight met) is at least ``pass_mark``."""

    criteria: tuple[Criterion, ...]
    pass_mark: float = 85.0

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.criteria]

    def table(self) -> pd.DataFrame:
        """The rubric as a table a reviewer can print: criterion, question, weight, critical.

        >>> bool(ADVICE_RUBRIC.table().loc["accurate", "critical"])
        True
        """
        return pd.DataFrame([{"criterion": c.name, "question": c.question, "weight": c.weight,
                              "critical": c.critical} for c in self.criteria]).set_index("criterion")


#: Kestrel's advice rubric, used for tickets and bids alike (columns of ``advice_reviews``).
ADVICE_RUBRIC = Rubric(
    criteria=(
        Criterion("accurate", "Were the facts right (prices, specifications, lead times, plan cover)?", 3, True),
        Criterion("fits_need", "Does the product, plan or fix suit the customer's situation?", 3, True),
        Criterion("complete", "Was every question or requirement answered?", 2),
        Criterion("next_steps", "Was a next step agreed, with an owner and a date?", 1),
        Criterion("recorded", "Is the advice written up where a colleague can find it?", 1),
    ),
    pass_mark=85.0,
)


def _criteria_frame(reviews: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    if not isinstance(reviews, pd.DataFrame):
        raise TypeError(f"reviews must be a pandas DataFrame, not {type(reviews).__name__}.")
    missing = [n for n in rubric.names if n not in reviews.columns]
    if missing:
        raise ValueError(f"The reviews have no column(s) {', '.join(map(repr, missing))}; the rubric needs one "
                         "column per criterion with 1 (met) or 0 (not met).")
    met = reviews[rubric.names]
    if met.isna().any().any():
        column = met.columns[met.isna().any()][0]
        raise ValueError(f"Column {column!r} has missing values; every reviewed record needs every criterion.")
    return met.astype(bool)


def score(reviews: pd.DataFrame, rubric: Rubric = ADVICE_RUBRIC) -> pd.DataFrame:
    """Return a copy of ``reviews`` with ``score`` (0-100, weighted percent of criteria met) and ``passed``.

    >>> r = pd.DataFrame({"accurate": [1, 1, 0], "fits_need": [1, 1, 1], "complete": [1, 0, 1],
    ...                   "next_steps": [1, 1, 1], "recorded": [0, 1, 1]})
    >>> score(r)[["score", "passed"]]
       score  passed
    0   90.0    True
    1   80.0   False
    2   70.0   False
    """
    met = _criteria_frame(reviews, rubric)
    weights = np.array([c.weight for c in rubric.criteria], dtype=float)
    critical = [c.name for c in rubric.criteria if c.critical]
    out = reviews.copy()
    out["score"] = np.round(100.0 * (met.to_numpy(dtype=float) @ weights) / weights.sum(), 6)
    out["passed"] = met[critical].all(axis=1).to_numpy() & (out["score"].to_numpy() >= rubric.pass_mark)
    return out


def _z(confidence: float) -> float:
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a fraction between 0 and 1, like 0.95, not {confidence!r}.")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def sample_size(expected_rate: float, margin: float, confidence: float = 0.95,
                population: int | None = None) -> int:
    """Reviews needed to estimate a rate within +/- ``margin`` (fractions, so 5 points is 0.05).

    Use the rate you expect (0.5 when you have no idea: it gives the largest sample). With ``population``
    (how many records there are to sample from), the finite population correction applies.

    >>> sample_size(0.8, 0.05)
    246
    >>> sample_size(0.8, 0.05, population=1200)
    205
    >>> sample_size(0.8, 0.15, confidence=0.90)
    20
    """
    if not 0 <= expected_rate <= 1:
        raise ValueError(f"expected_rate must be a fraction from 0 to 1 (80% is 0.8), not {expected_rate!r}.")
    if not 0 < margin < 1:
        raise ValueError(f"margin must be a fraction between 0 and 1 (5 points is 0.05), not {margin!r}.")
    n0 = _z(confidence) ** 2 * expected_rate * (1 - expected_rate) / margin ** 2
    if population is not None:
        if population < 1:
            raise ValueError(f"population must be 1 or more records, not {population!r}.")
        n0 = n0 / (1 + (n0 - 1) / population)
    return max(1, math.ceil(round(n0, 9)))


def margin_of_error(rate: float, n: int, confidence: float = 0.95, population: int | None = None) -> float:
    """Half-width of the confidence interval of a rate measured on ``n`` reviews (a fraction).

    >>> round(margin_of_error(0.8, 30), 3)
    0.143
    """
    if n < 1:
        raise ValueError(f"n must be 1 or more reviews, not {n!r}.")
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be a fraction from 0 to 1, not {rate!r}.")
    fpc = 1.0 if population is None or population <= 1 else math.sqrt(max(0.0, (population - n) / (population - 1)))
    return _z(confidence) * math.sqrt(rate * (1 - rate) / n) * fpc


def allocate(sizes: pd.Series, total: int, minimum: int = 0) -> pd.Series:
    """Share ``total`` reviews over strata in proportion to their size, but none below ``minimum``.

    Strata whose proportional share would fall below ``minimum`` get ``minimum`` (or all their records,
    if they have fewer); the rest is shared in proportion to size, rounded by largest remainder so the
    shares add up to ``total`` exactly. No stratum gets more than it has; ties go to the stratum listed first.

    >>> allocate(pd.Series({"A": 70, "B": 20, "C": 10}), total=20, minimum=4)
    A    12
    B     4
    C     4
    dtype: int64
    """
    if not isinstance(sizes, pd.Series):
        raise TypeError("sizes must be a pandas Series: stratum -> number of records.")
    size = sizes.astype(int).to_numpy()
    if total > int(size.sum()):
        raise ValueError(f"total ({total}) is more than the {int(size.sum())} records there are.")
    floor = np.minimum(size, minimum)
    if floor.sum() > total:
        raise ValueError(f"A minimum of {minimum} per stratum needs {int(floor.sum())} reviews, more than "
                         f"total ({total}).")
    fixed = np.full(len(size), -1, dtype=int)  # -1 = still shared in proportion
    while True:
        free = fixed < 0
        budget = total - int(fixed[~free].sum())
        ideal = np.zeros(len(size))
        if free.any() and size[free].sum() > 0:
            ideal[free] = budget * size[free] / size[free].sum()
        low = free & (ideal < floor)
        high = free & (ideal > size)
        if not (low.any() or high.any()):
            break
        fixed[low] = floor[low]
        fixed[high] = size[high]
    share = np.where(fixed >= 0, fixed, np.floor(ideal).astype(int))
    left = total - int(share.sum())
    order = sorted(np.flatnonzero(fixed < 0), key=lambda i: (-(ideal[i] - math.floor(ideal[i])), i))
    for i in order[:left]:
        share[i] += 1
    return pd.Series(share, index=sizes.index, dtype="int64")


def draw_sample(records: pd.DataFrame, by: str, allocation: pd.Series | dict, seed: int = 0,
                key: str | None = None) -> pd.DataFrame:
    """A stratified random sample: ``allocation[s]`` records from each stratum ``s`` of column ``by``.

    Records are put in order of ``key`` (default: the first column) before drawing, and strata are drawn
    in sorted order from one generator seeded with ``seed``, so the same inputs always give the same sample.

    >>> t = pd.DataFrame({"id": range(10), "agent": list("AAAAAABBBB")})
    >>> draw_sample(t, "agent", {"A": 2, "B": 1}, seed=1)["agent"].tolist()
    ['A', 'A', 'B']
    """
    if by not in records.columns:
        raise ValueError(f"records have no column {by!r} to stratify by.")
    key = key or records.columns[0]
    wanted = pd.Series(allocation, dtype="int64")
    rng = np.random.default_rng(seed)
    parts = []
    for stratum in sorted(wanted.index):
        group = records[records[by] == stratum].sort_values(key, kind="mergesort")
        k = int(wanted[stratum])
        if k > len(group):
            raise ValueError(f"Stratum {stratum!r} has {len(group)} records; cannot draw {k}.")
        if k > 0:
            parts.append(group.iloc[np.sort(rng.choice(len(group), size=k, replace=False))])
    if not parts:
        return records.iloc[0:0].copy()
    return pd.concat(parts).sort_values(key, kind="mergesort")


def not_met_rates(scored: pd.DataFrame, by: str | pd.Series | Sequence[str | pd.Series] | None = None,
                  rubric: Rubric = ADVICE_RUBRIC) -> pd.DataFrame:
    """Percent of reviews in which each criterion was NOT met, overall or per group; plus ``reviews``.

    ``by`` is a column name, a Series aligned with ``scored`` (e.g. ``scored.record_week >= "2026-04-06"``),
    or a list of either.

    >>> r = pd.DataFrame({"team": ["a", "a", "b"], "accurate": [1, 0, 1], "fits_need": [1, 1, 1],
    ...                   "complete": [1, 1, 0], "next_steps": [1, 1, 1], "recorded": [1, 1, 1]})
    >>> not_met_rates(r, "team")[["reviews", "accurate", "complete"]]  # doctest: +NORMALIZE_WHITESPACE
          reviews  accurate  complete
    team
    a           2      50.0       0.0
    b           1       0.0     100.0
    """
    missed = ~_criteria_frame(scored, rubric)
    if by is None:
        table = (100.0 * missed.mean()).to_frame().T
        table.insert(0, "reviews", len(missed))
        return table.rename(index={0: "all"})
    keys = [by] if isinstance(by, (str, pd.Series)) else list(by)
    groups = [scored[k] if isinstance(k, str) else k for k in keys]
    table = 100.0 * missed.groupby(groups).mean()
    table.insert(0, "reviews", missed.groupby(groups).size())
    return table


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): how surprising k or more failures in n reviews are at rate p.

    >>> round(binomial_tail(5, 20, 0.08), 4)
    0.0183
    """
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    p = min(max(p, 0.0), 1.0)
    return float(min(1.0, math.fsum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))))


#: What a coach does with an advisor about each criterion (the "action" column of :func:`coaching_plan`).
COACHING_ACTIONS: dict[str, str] = {
    "accurate": "Go through the examples together; practise looking up price, lead time and plan cover in the "
                "catalogue, never the FAQ alone",
    "fits_need": "Work through the compatibility table and the site questions (indoor/outdoor, protocol, scale) "
                 "before recommending anything",
    "complete": "Read the customer's questions back before replying and tick each one off; shadow a senior "
                "colleague for a morning",
    "next_steps": "End every contact with who does what by when; practise the closing script on recorded calls",
    "recorded": "Write up advice in the ticket before closing the call; the team lead spot-checks notes weekly",
}


def coaching_plan(scored: pd.DataFrame, rubric: Rubric = ADVICE_RUBRIC, advisor: str = "advisor_id",
                  record: str = "record_id", min_reviews: int = 10, min_not_met: int = 3,
                  alpha: float = 0.01) -> pd.DataFrame:
    """Advisor x criterion pairs where the reviews give real evidence that coaching is needed.

    For every advisor with at least ``min_reviews`` reviews and every criterion, compare the advisor's
    count of "not met" with the rate of everyone else: the pair is listed when the advisor has at least
    ``min_not_met`` and the chance of that many or more at the others' rate (:func:`binomial_tail`) is
    below ``alpha``. Many advisors x criteria are compared at once, so ``alpha`` is strict (1%) to keep
    chance findings out. Sorted by that chance, strongest evidence first.

    Columns: advisor, criterion, reviews, not_met, rate (%), others_rate (%), chance, examples (up to
    three record ids to go through with the advisor) and action (:data:`COACHING_ACTIONS`).
    """
    missed = ~_criteria_frame(scored, rubric)
    people = scored[advisor]
    counts = people.value_counts()
    rows = []
    for person in sorted(counts.index):
        n = int(counts[person])
        if n < min_reviews:
            continue
        mine = (people == person).to_numpy()
        for criterion in rubric.names:
            k = int(missed.loc[mine, criterion].sum())
            others = missed.loc[~mine, criterion]
            rate_others = float(others.mean()) if len(others) else 0.0
            chance = binomial_tail(k, n, rate_others)
            if k >= min_not_met and chance < alpha:
                examples = scored.loc[mine & missed[criterion].to_numpy(), record].astype(str).tolist()[:3]
                rows.append({advisor: person, "criterion": criterion, "reviews": n, "not_met": k,
                             "rate": 100.0 * k / n, "others_rate": 100.0 * rate_others, "chance": chance,
                             "examples": ", ".join(examples), "action": COACHING_ACTIONS.get(criterion, "")})
    columns = [advisor, "criterion", "reviews", "not_met", "rate", "others_rate", "chance", "examples", "action"]
    return pd.DataFrame(rows, columns=columns).sort_values(["chance", advisor], kind="mergesort") \
        .reset_index(drop=True)
