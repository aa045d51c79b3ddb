"""Everyday service-desk tools: triage rules, SLA clocks, knowledge-base search, configuration
guidance from the product specifications, and matching a customer's needs to the catalogue.

Everything here works on the company tables (``ssup.data.load``) and is used by the Level 2
lesson and its exercise checks.

SLA clocks count only the hours a support plan covers (``products.support_hours``):

>>> standard = SupportHours.parse("Mon-Fri 09:00-17:30")
>>> friday_4pm, monday_10am = pd.Timestamp("2026-03-13 16:00"), pd.Timestamp("2026-03-16 10:00")
>>> float(standard.covered_hours(friday_4pm, monday_10am))
2.5
>>> str(standard.due_at(friday_4pm, 4))
'2026-03-16 11:30:00'

The knowledge base is searched with TF-IDF weights and cosine similarity:

>>> kb = KnowledgeBase(pd.DataFrame({"article_id": ["A", "B"], "title": ["Battery", "Login"],
...     "category": ["battery", "platform_access"],
...     "body": ["Replace the battery cells when voltage is low.", "Reset your password to log in."]}))
>>> kb.search("my battery is low", k=1)["article_id"].tolist()
['A']
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "AS_OF", "SupportHours", "response_targets", "sla_status", "CATEGORY_RULES", "category_rules_table",
    "suggest_category", "KnowledgeBase", "messages_per_day", "shortest_interval", "battery_life_years",
    "LOW_BATTERY_V", "ip_at_least", "MEASURE_WORDS", "measures_words", "match_products",
]

#: The moment the data extract was taken: open tickets are measured against it.
AS_OF = pd.Timestamp("2026-07-01 00:00:00")

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPOCH = np.datetime64("1970-01-05T00:00:00", "s")  # a Monday


# -- SLA clocks -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SupportHours:
    """When a support plan's clock runs: weekdays (Mon = 0) and opening/closing minutes, or 24x7."""

    days: tuple[int, ...] = tuple(range(7))
    opens: int = 0
    closes: int = 24 * 60

    @classmethod
    def parse(cls, text: str) -> "SupportHours":
        """Read ``products.support_hours``: ``'24x7'`` or e.g. ``'Mon-Fri 09:00-17:30'``.

        >>> SupportHours.parse("Mon-Fri 08:00-18:00")
        SupportHours(days=(0, 1, 2, 3, 4), opens=480, closes=1080)
        """
        value = str(text).strip()
        if value.lower() in ("24x7", "24/7"):
            return cls()
        match = re.fullmatch(r"(\w{3})-(\w{3})\s+(\d\d):(\d\d)-(\d\d):(\d\d)", value)
        if not match or match[1] not in _DAY_NAMES or match[2] not in _DAY_NAMES:
            raise ValueError(f"support hours {text!r} are not like '24x7' or 'Mon-Fri 09:00-17:30'")
        first, last = _DAY_NAMES.index(match[1]), _DAY_NAMES.index(match[2])
        opens = int(match[3]) * 60 + int(match[4])
        closes = int(match[5]) * 60 + int(match[6])
        if not first <= last or not 0 <= opens < closes <= 24 * 60:
            raise ValueError(f"support hours {text!r} do not describe a valid window")
        return cls(tuple(range(first, last + 1)), opens, closes)

    @property
    def minutes_per_day(self) -> int:
        return self.closes - self.opens

    def _covered_since_epoch(self, moments: Any) -> np.ndarray:
        """Covered minutes from a fixed Monday to each moment (vectorised; NaT gives NaN)."""
        times = pd.to_datetime(pd.Series(np.atleast_1d(moments)).reset_index(drop=True))
        missing = times.isna().to_numpy()
        seconds = (times.fillna(pd.Timestamp(_EPOCH)).to_numpy().astype("datetime64[s]") - _EPOCH).astype(np.int64)
        minutes = seconds / 60.0
        day = np.floor_divide(seconds, 86_400)
        weekday = np.mod(day, 7)
        week = np.floor_divide(day, 7)
        minute_of_day = minutes - day * 1440.0
        working = np.isin(np.arange(7), self.days)
        before = np.concatenate([[0], np.cumsum(working)[:-1]])
        per_day = self.minutes_per_day
        covered = (week * working.sum() * per_day + before[weekday] * per_day
                   + working[weekday] * np.clip(minute_of_day - self.opens, 0, per_day))
        covered = covered.astype(float)
        covered[missing] = np.nan
        return covered

    def covered_hours(self, start: Any, end: Any) -> Any:
        """Hours between ``start`` and ``end`` that fall inside the support hours.

        Works on single timestamps (returns a float) or on whole columns (returns an array);
        a missing end gives NaN.
        """
        scalar = np.ndim(start) == 0 and np.ndim(end) == 0
        hours = (self._covered_since_epoch(end) - self._covered_since_epoch(start)) / 60.0
        hours = np.where(np.isnan(hours), np.nan, np.maximum(hours, 0.0))
        return float(hours[0]) if scalar else hours

    def due_at(self, start: Any, hours: Any) -> Any:
        """The moment ``hours`` of support time after ``start``: when a response is due.

        Single values give a Timestamp; columns give a Series of timestamps.
        """
        scalar = np.ndim(start) == 0 and np.ndim(hours) == 0
        target = self._covered_since_epoch(start) + np.asarray(hours, dtype=float).reshape(-1) * 60.0
        per_day = self.minutes_per_day
        per_week = len(self.days) * per_day
        week = np.maximum(np.ceil(target / per_week) - 1, 0)  # so that 0 < rest <= per_week: due at closing time
        rest = target - week * per_week
        k = np.clip(np.ceil(rest / per_day) - 1, 0, len(self.days) - 1)
        minute = rest - k * per_day
        weekday = np.asarray(self.days)[np.nan_to_num(k).astype(int)]
        offset = (7 * week + weekday) * 1440.0 + self.opens + minute
        moments = pd.Series(pd.Timestamp(_EPOCH) + pd.to_timedelta(np.round(offset * 60), unit="s"))
        return moments.iloc[0] if scalar else moments

    def __str__(self) -> str:
        if self.days == tuple(range(7)) and self.minutes_per_day == 1440:
            return "24x7"
        return (f"{_DAY_NAMES[self.days[0]]}-{_DAY_NAMES[self.days[-1]]} "
                f"{self.opens // 60:02d}:{self.opens % 60:02d}-{self.closes // 60:02d}:{self.closes % 60:02d}")


def response_targets(products: pd.DataFrame) -> pd.DataFrame:
    """One row per support plan: its support hours and the first-response target (hours) per priority.

    >>> from ssup.data import load
    >>> response_targets(load("products")).loc["SUP-STANDARD", "P2"]
    np.float64(8.0)
    """
    plans = products[products["category"] == "support"].set_index("product_id")
    table = pd.DataFrame({f"P{k}": plans[f"p{k}_response_hours"].astype(float) for k in range(1, 5)})
    table.insert(0, "support_hours", plans["support_hours"])
    table.insert(0, "plan", plans["name"])
    table.index.name = "support_plan"
    return table


def sla_status(tickets: pd.DataFrame, customers: pd.DataFrame, products: pd.DataFrame,
               as_of: pd.Timestamp = AS_OF) -> pd.DataFrame:
    """First-response SLA of every ticket, measured on its customer's support plan.

    Columns: ticket_id, customer_id, support_plan, priority, channel, status, created_at,
    first_response_at, ``target_hours`` (the plan's target for the priority), ``responded``,
    ``due_at`` (when the first response is due), ``response_hours`` (support hours from creation to the
    first response, or to ``as_of`` for a
    ticket nobody has answered yet) and ``breached`` (``response_hours`` above ``target_hours``;
    for an unanswered ticket this means it is already overdue).
    """
    targets = response_targets(products)
    plan = tickets["customer_id"].map(customers.set_index("customer_id")["support_plan"])
    out = tickets[["ticket_id", "customer_id", "priority", "channel", "status", "created_at",
                   "first_response_at"]].copy()
    out.insert(2, "support_plan", plan.to_numpy())
    out = out.reset_index(drop=True)
    long = targets[["P1", "P2", "P3", "P4"]].stack()
    keys = pd.MultiIndex.from_arrays([out["support_plan"], out["priority"]])
    out["target_hours"] = long.reindex(keys).to_numpy(dtype=float)
    out["responded"] = out["first_response_at"].notna()
    end = out["first_response_at"].where(out["responded"], as_of)
    hours = np.full(len(out), np.nan)
    due = pd.Series(pd.NaT, index=out.index, dtype="datetime64[s]")
    for plan_id, rows in out.groupby("support_plan").groups.items():
        clock = SupportHours.parse(targets.at[plan_id, "support_hours"])
        hours[rows] = clock.covered_hours(out.loc[rows, "created_at"], end.loc[rows])
        due.loc[rows] = clock.due_at(out.loc[rows, "created_at"], out.loc[rows, "target_hours"]).to_numpy()
    out["due_at"] = due
    out["response_hours"] = np.round(hours, 4)
    out["breached"] = out["response_hours"] > out["target_hours"]
    return out


# -- triage: category rules -----------------------------------------------------------------------
#: Keyword rules for a first guess at a ticket's category, checked top to bottom (the first match wins).
#: Keywords are matched as whole words or phrases, ignoring case.
CATEGORY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("billing", ("invoice", "billing", "charged", "credit note", "renewal", "pro-rata", "purchase order")),
    ("platform_access", ("log in", "login", "password", "sso", "locked out", "429", "new users", "sign in")),
    ("product_info", ("price", "quote", "lead time", "datasheet", "compatible", "difference between",
                      "battery life of")),
    ("how_to", ("how do i", "how to", "what does", "setting up")),
    ("battery", ("battery", "batteries", "cells")),
    ("hardware_fault", ("damaged", "dead", "faulty", "cracked", "broken", "water ingress", "water inside", "rma")),
    ("installation", ("installation", "install", "commissioning", "mounting", "placing", "positioning", "survey",
                      "second gateway")),
    ("data_quality", ("implausible", "spikes", "duplicate", "gaps", "wrong", "stuck", "missing readings",
                      "late or missing", "data loss")),
    ("connectivity", ("offline", "not reporting", "no data", "signal", "intermittent", "not connecting",
                      "lost connection", "dropping", "rebooting")),
    ("configuration", ("interval", "thresholds", "reconfigure", "calibration", "rename", "device names", "static ip",
                       "vlan", "network settings", "time zone", "recipients", "scheduled report", "firmware update")),
)
_CATEGORY_PATTERNS = [(category, re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])",
                                            re.IGNORECASE)) for category, words in CATEGORY_RULES]


def category_rules_table() -> pd.DataFrame:
    """The category keyword rules as a table, in the order they are applied."""
    return pd.DataFrame([(i + 1, c, ", ".join(words)) for i, (c, words) in enumerate(CATEGORY_RULES)],
                        columns=["order", "category", "if the text mentions..."]).set_index("order")


def suggest_category(text: str, default: str = "how_to") -> str:
    """A first guess at a ticket's category from its words (a person confirms it).

    >>> suggest_category("Low battery warning on T1 temperature sensor in chiller 1")
    'battery'
    >>> suggest_category("Gateway keeps rebooting")
    'connectivity'
    >>> suggest_category("Gaps in data for the compressor house")  # 'sso' inside 'compressor' is not a keyword
    'data_quality'
    """
    for category, pattern in _CATEGORY_PATTERNS:
        if pattern.search(str(text)):
            return category
    return default


# -- knowledge-base search --------------------------------------------------------------------------
_TOKENS = r"(?u)\b\d+(?:\.\d+)+\b|\b\w\w+\b"  # words, plus version numbers such as 3.2.0


class KnowledgeBase:
    """Rank knowledge-base articles for a customer's question: TF-IDF weights and cosine similarity.

    Each article is indexed on its title (counted twice, because titles are written to be found)
    and its body. :meth:`search` returns the best matches with a score between 0 and 1;
    :meth:`why` lists the words that made an article match.
    """

    def __init__(self, articles: pd.DataFrame | None = None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if articles is None:
            from ssup.data import load

            articles = load("kb_articles")
        self.articles = articles.reset_index(drop=True)
        documents = (self.articles["title"] + ". " + self.articles["title"] + ". " + self.articles["body"]).tolist()
        self.vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=_TOKENS)
        self.matrix = self.vectorizer.fit_transform(documents)

    def scores(self, question: str) -> np.ndarray:
        """Cosine similarity of the question with every article (the rows of ``articles``)."""
        query = self.vectorizer.transform([str(question)])
        return (self.matrix @ query.T).toarray().ravel()  # rows are L2-normalised: dot = cosine

    def search(self, question: str, k: int = 3, category: str | None = None) -> pd.DataFrame:
        """The ``k`` best articles for ``question`` (optionally within one category), best first."""
        result = self.articles[["article_id", "title", "category"]].copy()
        result["score"] = np.round(self.scores(question), 3)
        if category is not None:
            result = result[result["category"] == category]
        result = result[result["score"] > 0].sort_values(["score", "article_id"], ascending=[False, True])
        return result.head(k).reset_index(drop=True)

    def why(self, question: str, article_id: str, n: int = 5) -> pd.DataFrame:
        """The ``n`` words that contribute most to an article's score for ``question``."""
        row = int(np.flatnonzero(self.articles["article_id"] == article_id)[0])
        query = self.vectorizer.transform([str(question)]).toarray().ravel()
        article = self.matrix[row].toarray().ravel()
        contribution = query * article
        order = [i for i in np.argsort(-contribution, kind="stable")[:n] if contribution[i] > 0]
        words = self.vectorizer.get_feature_names_out()
        return pd.DataFrame({"word": [words[i] for i in order],
                             "contribution": np.round(contribution[order], 3)})


# -- configuration guidance from the specifications -------------------------------------------------
#: Kestrel Cloud raises a low-battery warning below this cell voltage (knowledge base).
LOW_BATTERY_V = 3.3
#: Share of a sensor's battery used when idle at its default interval (the rest goes on uplinks).
_IDLE_SHARE = 0.1
#: Lithium cells lose charge on the shelf: no estimate goes beyond this.
_MAX_BATTERY_YEARS = 10.0


def messages_per_day(devices: int, interval_s: float) -> float:
    """Messages a day from ``devices`` sensors reporting every ``interval_s`` seconds.

    >>> messages_per_day(300, 120)
    216000.0
    """
    return float(devices) * 86_400.0 / float(interval_s)


def shortest_interval(devices: int, quota_per_day: float, allowed: Sequence[int] | None = None) -> int:
    """The shortest reporting interval (s) that keeps ``devices`` sensors within a daily quota.

    With ``allowed`` (e.g. whole minutes), the shortest allowed value that fits.

    >>> shortest_interval(45, 50_000)
    78
    >>> shortest_interval(45, 50_000, allowed=[60, 120, 300, 600])
    120
    """
    needed = float(devices) * 86_400.0 / float(quota_per_day)
    if allowed is None:
        return int(math.ceil(needed))
    fitting = sorted(int(a) for a in allowed if a >= needed)
    if not fitting:
        raise ValueError(f"no allowed interval keeps {devices} devices within {quota_per_day:,.0f} messages a day")
    return fitting[0]


def battery_life_years(rated_years: float, default_interval_s: float, interval_s: float,
                       weak_signal: bool = False, below_minus_20c: bool = False) -> float:
    """Expected battery life at another reporting interval, following the knowledge base:

    life scales roughly with the number of uplinks (halving the interval gives a little over half
    the life), a weak radio link (SF11/SF12) cuts it by two thirds, and sustained cold below
    -20 C by about 30%. Capped at 10 years (shelf life of the cells).

    >>> round(battery_life_years(5.0, 600, 300), 2)
    2.63
    >>> round(battery_life_years(5.0, 600, 600, weak_signal=True), 2)
    1.67
    """
    if rated_years is None or (isinstance(rated_years, float) and math.isnan(rated_years)):
        raise ValueError("this product is mains powered: it has no battery life")
    ratio = float(default_interval_s) / float(interval_s)
    life = float(rated_years) / ((1 - _IDLE_SHARE) * ratio + _IDLE_SHARE)
    if weak_signal:
        life /= 3.0
    if below_minus_20c:
        life *= 0.7
    return min(life, _MAX_BATTERY_YEARS)


# -- matching needs to products ---------------------------------------------------------------------
def ip_at_least(rating: Any, minimum: str) -> bool:
    """True when an IP rating protects at least as well as ``minimum`` against dust AND water.

    >>> ip_at_least("IP67", "IP65"), ip_at_least("IP68", "IP65"), ip_at_least("IP54", "IP65")
    (True, True, False)
    """
    def digits(value: Any) -> tuple[int, int] | None:
        match = re.fullmatch(r"IP(\d)(\d)", str(value).strip().upper())
        return (int(match[1]), int(match[2])) if match else None

    have, need = digits(rating), digits(minimum)
    if need is None:
        raise ValueError(f"{minimum!r} is not an IP rating like 'IP65'")
    return have is not None and have[0] >= need[0] and have[1] >= need[1]


#: Words in a product's name or description that show what it measures (a customer's word -> catalogue words).
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "temperature": ("temperature", "cold chain", "pt1000"),
    "humidity": ("humidity", "%rh"),
    "co2": ("co2",),
    "vibration": ("vibration", "accelerometer"),
    "pressure": ("pressure",),
    "level": ("level",),
    "energy": ("energy", "kwh"),
    "door": ("door",),
    "leak": ("leak",),
    "flow": ("pulse", "flow"),
    "location": ("gps", "tracker"),
}


def measures_words(measure: str) -> tuple[str, ...]:
    """The catalogue words that mean a product measures ``measure`` (the word itself if unknown).

    >>> measures_words("temperature")
    ('temperature', 'cold chain', 'pt1000')
    """
    return MEASURE_WORDS.get(measure.strip().lower(), (measure.strip().lower(),))


def match_products(products: pd.DataFrame, compatibility: pd.DataFrame, measures: str,
                   min_temp_c: float | None = None, max_temp_c: float | None = None,
                   min_ip: str | None = None, works_with: str | None = None,
                   min_battery_years: float | None = None, active_only: bool = True) -> pd.DataFrame:
    """Every sensor, whether it fits a customer's stated needs, and if not, the first reason why.

    ``measures`` is what the customer wants measured (e.g. ``"temperature"``), found in the product's
    name or description (see :data:`MEASURE_WORDS`); ``works_with`` is a product the sensor must be compatible with
    (their gateway, say); temperatures are the ambient range it must operate in.
    Returns product_id, name and the specs used, plus ``fits`` (bool) and ``reason``.
    """
    sensors = products[products["category"] == "sensor"].copy()
    partners = None
    if works_with is not None:
        partners = set(compatibility.loc[compatibility["compatible_with"] == works_with, "product_id"])
    reasons = []
    for row in sensors.itertuples(index=False):
        text = f"{row.name} {row.description}".lower()
        reason = ""
        if active_only and not bool(row.active):
            reason = "discontinued"
        elif not any(word in text for word in measures_words(measures)):
            reason = f"does not measure {measures}"
        elif min_temp_c is not None and (pd.isna(row.operating_temp_min_c) or row.operating_temp_min_c > min_temp_c):
            reason = f"only rated down to {row.operating_temp_min_c} C"
        elif max_temp_c is not None and (pd.isna(row.operating_temp_max_c) or row.operating_temp_max_c < max_temp_c):
            reason = f"only rated up to {row.operating_temp_max_c} C"
        elif min_ip is not None and not ip_at_least(row.ip_rating, min_ip):
            reason = f"{row.ip_rating} is below {min_ip}"
        elif partners is not None and row.product_id not in partners:
            reason = f"does not work with {works_with}"
        elif min_battery_years is not None and not (pd.notna(row.battery_life_years)
                                                   and row.battery_life_years >= min_battery_years):
            life = "mains powered" if pd.isna(row.battery_life_years) else f"{row.battery_life_years:g} years"
            reason = f"battery life {life} is below {min_battery_years:g} years"
        reasons.append(reason)
    sensors["fits"] = [not r for r in reasons]
    sensors["reason"] = [r or "fits every need" for r in reasons]
    columns = ["product_id", "name", "protocol", "operating_temp_min_c", "operating_temp_max_c", "ip_rating",
               "battery_life_years", "list_price_gbp", "fits", "reason"]
    return sensors[columns].reset_index(drop=True)
