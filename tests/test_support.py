"""ssup.support: SLA clocks (checked against the generator's own clock), triage rules, knowledge-base search,
configuration guidance (the knowledge base's own figures) and product matching."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from ssup import support
from ssup.data import load
from ssup.data.generate import PLAN_SCHEDULE, add_covered_hours, covered_hours_between
from ssup.support import SupportHours

PLAN_HOURS = {"SUP-STANDARD": "Mon-Fri 09:00-17:30", "SUP-PREMIUM": "Mon-Fri 08:00-18:00", "SUP-CRITICAL": "24x7"}


def test_parse_support_hours():
    assert SupportHours.parse("Mon-Fri 09:00-17:30") == SupportHours((0, 1, 2, 3, 4), 540, 1050)
    assert SupportHours.parse("24x7") == SupportHours()
    assert str(SupportHours.parse("Mon-Sat 07:30-19:00")) == "Mon-Sat 07:30-19:00"
    for bad in ("weekdays", "Fri-Mon 09:00-17:00", "Mon-Fri 18:00-09:00"):
        with pytest.raises(ValueError):
            SupportHours.parse(bad)


@pytest.mark.parametrize("plan", sorted(PLAN_HOURS))
def test_covered_hours_and_due_times_agree_with_the_generator(plan):
    rng = np.random.default_rng(5)
    clock = SupportHours.parse(PLAN_HOURS[plan])
    base = datetime(2025, 1, 1)
    starts = [base + timedelta(minutes=int(m)) for m in rng.integers(0, 60 * 24 * 400, 300)]
    ends = [s + timedelta(minutes=int(m)) for s, m in zip(starts, rng.integers(0, 60 * 24 * 9, 300))]
    vector = clock.covered_hours(pd.Series(starts), pd.Series(ends))
    expected = [covered_hours_between(s, e, PLAN_SCHEDULE[plan]) for s, e in zip(starts, ends)]
    assert np.allclose(vector, expected, atol=1e-6)
    hours = rng.uniform(0.25, 80, 300)
    due = clock.due_at(pd.Series(starts), hours)
    expected_due = [add_covered_hours(s, h, PLAN_SCHEDULE[plan]) for s, h in zip(starts, hours)]
    assert all(abs((a - pd.Timestamp(b)).total_seconds()) <= 1 for a, b in zip(due, expected_due))


def test_clock_edge_cases():
    standard = SupportHours.parse("Mon-Fri 09:00-17:30")
    friday = pd.Timestamp("2026-03-13 16:00")
    assert standard.covered_hours(friday, friday - pd.Timedelta(hours=3)) == 0.0
    assert standard.covered_hours(pd.Timestamp("2026-03-14 10:00"), pd.Timestamp("2026-03-15 12:00")) == 0.0
    assert np.isnan(standard.covered_hours(pd.Series([friday]), pd.Series([pd.NaT]))[0])
    assert standard.due_at(friday, 1.5) == pd.Timestamp("2026-03-13 17:30")  # exactly at closing time
    assert standard.due_at(pd.Timestamp("2026-03-14 10:00"), 1) == pd.Timestamp("2026-03-16 10:00")


def test_response_targets_come_from_the_catalogue():
    targets = support.response_targets(load("products"))
    assert list(targets.index) == ["SUP-STANDARD", "SUP-PREMIUM", "SUP-CRITICAL"]
    assert targets.loc["SUP-PREMIUM", ["P1", "P2", "P3", "P4"]].tolist() == [1.0, 4.0, 8.0, 24.0]
    assert targets.loc["SUP-CRITICAL", "support_hours"] == "24x7"


@pytest.fixture(scope="module")
def sla():
    return support.sla_status(load("tickets"), load("customers"), load("products"))


def test_sla_status(sla):
    tickets = load("tickets")
    assert len(sla) == len(tickets) and sla.ticket_id.is_unique
    assert sla.target_hours.notna().all() and sla.due_at.notna().all()
    answered = sla[sla.responded]
    assert (answered.breached == (answered.response_hours > answered.target_hours)).all()
    assert not sla.loc[sla.channel == "phone", "breached"].any()  # answered live
    assert 0.01 < sla.breached.mean() < 0.15
    waiting = sla[~sla.responded]
    assert len(waiting) == (tickets.status == "open").sum()
    assert (waiting.created_at < support.AS_OF).all()
    assert ((waiting.due_at > support.AS_OF) | waiting.breached).all()


def test_category_rules():
    assert support.suggest_category("Charged twice for Professional tier this month") == "billing"
    assert support.suggest_category("Cannot log in to Kestrel Cloud") == "platform_access"
    assert support.suggest_category("Something odd") == "how_to"
    tickets = load("tickets")
    agreement = (tickets.subject.map(support.suggest_category) == tickets.category).mean()
    assert agreement > 0.85
    assert list(support.category_rules_table().columns) == ["category", "if the text mentions..."]


@pytest.fixture(scope="module")
def kb():
    return support.KnowledgeBase()


def test_knowledge_base_search(kb):
    found = kb.search("gateway firmware 3.2.0 dropping uplinks, gaps on all sensors", k=3)
    assert found.title.iloc[0].startswith("Known issue: LoRaWAN gateway firmware 3.2.0")
    assert found.score.is_monotonic_decreasing and (found.score <= 1).all()
    assert kb.search("HTTP 429 too many requests").title.iloc[0].startswith("API rate limits")
    only = kb.search("battery", k=5, category="battery")
    assert len(only) == 5 and set(only.category) == {"battery"}
    assert kb.search("zzzz qqqq").empty
    why = kb.why("gateway firmware 3.2.0 gaps", found.article_id.iloc[0])
    assert "3.2.0" in set(why.word) and why.contribution.is_monotonic_decreasing


def test_configuration_figures_follow_the_knowledge_base():
    assert support.messages_per_day(300, 120) == 216_000  # the example in the knowledge base
    assert support.shortest_interval(45, 50_000) == 78
    assert support.shortest_interval(45, 50_000, allowed=range(60, 3601, 60)) == 120
    with pytest.raises(ValueError):
        support.shortest_interval(10_000, 50_000, allowed=[60, 120])
    half = support.battery_life_years(5.0, 600, 300)
    assert 0.5 * 5 < half < 0.6 * 5  # "halving the interval cuts the life to a little over half"
    assert support.battery_life_years(5.0, 600, 600) == pytest.approx(5.0)
    assert support.battery_life_years(5.0, 600, 600, weak_signal=True) == pytest.approx(5 / 3)
    assert support.battery_life_years(5.0, 600, 600, below_minus_20c=True) == pytest.approx(3.5)
    assert support.battery_life_years(8.0, 3600, 86_400) == 10.0  # capped at the cells' shelf life
    with pytest.raises(ValueError):
        support.battery_life_years(float("nan"), 900, 900)


def test_ip_ratings():
    assert support.ip_at_least("IP67", "IP65") and support.ip_at_least("IP65", "IP65")
    assert not support.ip_at_least("IP54", "IP65") and not support.ip_at_least("IP66", "IP67")
    assert not support.ip_at_least(None, "IP20")
    with pytest.raises(ValueError):
        support.ip_at_least("IP67", "waterproof")


def test_match_products_explains_every_sensor():
    products, compatibility = load("products"), load("compatibility")
    fit = support.match_products(products, compatibility, measures="temperature", min_temp_c=-35, min_ip="IP65",
                                 works_with="GW-LRW-IN", min_battery_years=4)
    assert len(fit) == (products.category == "sensor").sum()
    assert sorted(fit.loc[fit.fits, "product_id"]) == ["SNS-TMP-100", "SNS-TMP-200"]
    reasons = fit.set_index("product_id").reason
    assert reasons["SNS-TMP-300"] == "only rated down to -30 C"
    assert reasons["SNS-VIB-100"] == "discontinued"
    assert reasons["SNS-PRS-100"] == "does not measure temperature"
    fridge = support.match_products(products, compatibility, measures="temperature", min_temp_c=2,
                                    works_with="GW-LTE-M")
    assert fridge.loc[fridge.fits, "product_id"].tolist() == ["SNS-TMP-150"]
    hot = support.match_products(products, compatibility, measures="temperature", max_temp_c=80)
    assert set(hot.loc[hot.fits, "product_id"]) == {"SNS-TMP-100", "SNS-VIB-200"}  # the V2 reads surface temperature
