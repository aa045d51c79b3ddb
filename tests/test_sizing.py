"""Tests for ssup.sizing: messages, tiers, gateways, storage, API load, bill of materials, integration routes.

Expected values are worked by hand from the published figures in the catalogue data (products.csv, the FAQ
and the knowledge base quote them), never from ssup.sizing itself: e.g. KB-0015 says a sensor reporting every
600 s sends 144 messages a day; FAQ-039 gives the Starter limits; KB-0027 the API limits and the 200-device
batch; KB-0043 one indoor gateway per 5,000-10,000 m2.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssup.sizing as sizing
from ssup.data import load
from ssup.sizing import (api_calls_per_minute, bill_of_materials, choose_tier, gateways_needed, integration_route,
                         messages_per_day, size, sizing_curve, storage_gb, tier_gaps, tier_table)


@pytest.fixture(scope="module")
def products():
    return load("products")


def test_docstring_examples():
    assert doctest.testmod(sizing, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).failed == 0


def test_messages_per_day_matches_the_knowledge_base():
    kb = load("kb_articles").set_index("article_id").loc["KB-0015", "body"]
    assert "600 s by default (144 messages a day)" in kb
    assert messages_per_day(1, 600) == 144.0
    assert messages_per_day(100, 900) == 9_600.0             # 96 a day each at 15 minutes
    assert messages_per_day(0, 60) == 0.0
    with pytest.raises(ValueError):
        messages_per_day(10, 0)
    with pytest.raises(TypeError):
        messages_per_day("ten", 60)


def test_tier_table_agrees_with_the_faq(products):
    tiers = tier_table(products).set_index("product_id")
    assert tiers.index.tolist() == ["PLT-STARTER", "PLT-PRO", "PLT-ENT"]
    faq = load("faq").set_index("faq_id")
    assert "Up to 50 sensors, 50,000 messages a day and 90 days" in faq.loc["FAQ-039", "answer"]
    assert tiers.loc["PLT-STARTER", ["max_devices", "messages_per_day", "retention_days"]].tolist() == [50, 50_000, 90]
    assert tiers.loc["PLT-ENT", "api_calls_per_minute"] == 3000


@pytest.mark.parametrize("devices, per_day, retention, features, expected", [
    (50, 50_000, 90, (), "PLT-STARTER"),          # exactly at every Starter limit
    (51, 7_344, 90, (), "PLT-PRO"),               # one device too many for Starter
    (40, 5_760, 91, (), "PLT-PRO"),               # one day too many
    (40, 5_760, 30, ("mqtt_forwarding",), "PLT-PRO"),
    (500, 1_000_000, 365, (), "PLT-PRO"),
    (400, 57_600, 730, (), "PLT-ENT"),
    (40, 5_760, 30, ("audit_trail",), "PLT-ENT"),
    (10_001, 1_440_144, 30, (), None),            # beyond Enterprise
])
def test_choose_tier_boundaries(devices, per_day, retention, features, expected):
    assert choose_tier(devices, per_day, retention, features=features) == expected


def test_tier_gaps_name_every_reason_and_reject_unknown_features():
    gaps = tier_gaps("PLT-PRO", devices=900, messages_day=1_200_000, retention_days=730, api_calls_minute=700,
                     features=["audit_trail"])
    assert gaps == ["900 devices > 500 allowed", "1,200,000 messages a day > 1,000,000 ingested",
                    "730 days of retention > 365 kept", "700 API calls a minute > 600 allowed", "no GxP audit trail"]
    with pytest.raises(ValueError, match="unknown feature"):
        tier_gaps("PLT-PRO", 1, 1, 1, features=["teleport"])


def test_gateways_take_the_largest_floor():
    assert gateways_needed(0, 600) == 0
    assert gateways_needed(10, 600) == 1                                   # at least one per site
    assert gateways_needed(500, 600) == 1 and gateways_needed(501, 600) == 2   # 500 per indoor gateway
    assert gateways_needed(200, 600, "GW-LRW-OUT") == 1
    # busiest minute: 500 sensors every 60 s, x2 peak = 1,000 a minute > 600 -> 2 gateways
    assert gateways_needed(500, 60) == 2
    assert gateways_needed(100, 600, area_m2_per_site=12_000) == 3          # 12,000 / 5,000 m2
    assert gateways_needed(100, 600, area_m2_per_site=12_000, m2_per_gateway=10_000) == 2
    with pytest.raises(ValueError, match="not a gateway"):
        gateways_needed(10, 600, "SNS-TMP-100")


def test_storage_and_api_load():
    assert storage_gb(1_000_000, 365, bytes_per_message=100) == pytest.approx(36.5)
    assert api_calls_per_minute(800, 60) == 800.0
    assert api_calls_per_minute(800, 60, devices_per_call=200) == 4.0     # KB-0027: up to 200 devices a call
    assert api_calls_per_minute(110, 900) == pytest.approx(110 / 15)
    assert api_calls_per_minute(201, 60, devices_per_call=200) == 2.0


def test_size_puts_it_together_and_states_assumptions():
    s = size(devices=110, interval_s=300, retention_days=365, sites=2, gateway="GW-LRW-IN", area_m2_per_site=18_000,
             features=["rest_api"])
    assert s.messages_per_day == 110 * 288
    assert s.tier == "PLT-PRO" and s.tier_gaps["PLT-STARTER"][0] == "110 devices > 50 allowed"
    assert (s.gateways_per_site, s.gateways) == (4, 8)
    assert s.peak_messages_per_minute_per_site == pytest.approx(110 * 288 / 2 / 1440 * 2)
    assert any("5,000 m2" in a for a in s.assumptions) and any("REST API" in a for a in s.assumptions)
    table = s.table().set_index("item")["value"]
    assert table["platform tier"] == "PLT-PRO" and table["gateways"] == "8 x GW-LRW-IN (4 per site)"
    assert "Assumptions:" in str(s)
    direct = size(devices=30, interval_s=900, retention_days=90, gateway=None)
    assert direct.gateways == 0 and direct.table().set_index("item").loc["gateways", "value"].startswith("none")
    assert size(20_000, 600, 30).tier is None


@settings(max_examples=60, deadline=None)
@given(devices=st.integers(0, 12_000), interval=st.sampled_from([60, 300, 600, 900, 3600]),
       retention=st.sampled_from([30, 90, 365, 730, 1095]), sites=st.integers(1, 20))
def test_size_is_consistent_with_its_parts(devices, interval, retention, sites):
    s = size(devices, interval, retention, sites=sites)
    assert s.messages_per_day == pytest.approx(devices * 86_400 / interval)
    if s.tier is not None:
        assert s.tier_gaps[s.tier] == []
        cheaper = tier_table()["product_id"].tolist()
        assert all(s.tier_gaps[t] for t in cheaper[: cheaper.index(s.tier)])
    per_site = math.ceil(devices / sites)
    assert s.gateways_per_site == (0 if devices == 0 else max(1, math.ceil(per_site / 500),
                                                                 math.ceil(per_site * 86_400 / interval / 1440 * 2 / 600 - 1e-9)))


def test_sizing_curve_is_monotonic_in_devices():
    curve = sizing_curve(np.geomspace(10, 20_000, 30), [300, 900])
    order = {"PLT-STARTER": 0, "PLT-PRO": 1, "PLT-ENT": 2, None: 3}
    for _, group in curve.groupby("interval_s"):
        ranks = group["tier"].map(order).tolist()
        assert ranks == sorted(ranks)
        assert group["messages_per_day"].is_monotonic_increasing


def test_bill_of_materials_prices_subscriptions_by_month(products):
    bom = bill_of_materials({"PLT-ENT": 1, "SUP-CRITICAL": 1, "SVC-INSTALL-DAY": 3, "SNS-TMP-200": 10}, months=12)
    assert bom["first_year_gbp"].tolist() == [2450 * 12, 14_500.0, 3 * 850.0, 10 * 149.0]
    assert bill_of_materials({"PLT-PRO": 1}, months=3)["first_year_gbp"].item() == 1770.0
    with pytest.raises(ValueError, match="not in the catalogue: NOPE"):
        bill_of_materials({"NOPE": 1})


def test_option_costs_by_category(products):
    costs = sizing.option_costs({"outdoor": {"SNS-PRS-100": 10, "GW-LRW-OUT": 2, "PLT-ENT": 1, "SVC-INT-MQTT": 1},
                                 "edge": {"SNS-PRS-100": 10, "GW-EDGE-500": 2, "PLT-ENT": 1, "SUP-CRITICAL": 1}})
    assert costs.columns.tolist() == ["sensor", "gateway", "platform", "support", "service", "total"]
    assert costs.loc["outdoor"].tolist() == [2890.0, 1798.0, 29_400.0, 0.0, 4500.0, 38_588.0]
    assert costs.loc["edge", "total"] == 2890 + 3900 + 29_400 + 14_500
    assert costs.index.name == "option" and costs.columns.name == "category"


def test_integration_routes_match_the_catalogue(products):
    catalogue = set(products["product_id"])
    for target in sizing.INTEGRATIONS:
        route = integration_route(target)
        assert route["minimum_tier"] in catalogue
        assert route["hardware"] in catalogue | {""} and route["service"] in catalogue | {""}
    assert integration_route("SAP")["service"] == "SVC-INT-ERP"
    assert integration_route("csv")["minimum_tier"] == "PLT-STARTER"
    with pytest.raises(ValueError, match="no integration route"):
        integration_route("carrier pigeon")
