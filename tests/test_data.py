"""Tests of the Kestrel Telemetry data set: generator, committed files, schema, patterns, messy records.

The committed data/ folder must be exactly what ``python -m ssup.data generate --seed 2026`` writes.
Another seed must give a complete, different, equally consistent data set.
"""

from __future__ import annotations

import csv
import multiprocessing
import re
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ssup.data as data
from ssup.config import REPO_ROOT
from ssup.data import generate as gen

DATA = REPO_ROOT / "data"
SCHEMA = REPO_ROOT / "ssup" / "schema.sql"
CSV_TABLES = [t.name for t in gen.tables() if t.is_csv]


# ---------------------------------------------------------------------------------------------------
# fixtures: the committed data, and seed 2026 / seed 7 regenerated into temporary folders
# ---------------------------------------------------------------------------------------------------
def _generate(out: Path, seed: int) -> tuple[gen.Frames, float]:
    started = time.perf_counter()
    frames = gen.generate(out, seed=seed)
    return frames, time.perf_counter() - started


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Seed 2026 and seed 7 generated into temporary folders, side by side in two processes."""
    base = tmp_path_factory.mktemp("generated")
    seeds = (gen.DEFAULT_SEED, 7)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            futures = {seed: pool.submit(_generate, base / str(seed), seed) for seed in seeds}
            results = {seed: future.result() for seed, future in futures.items()}
    except (ValueError, OSError):  # no fork on this platform: one after the other
        results = {seed: _generate(base / str(seed), seed) for seed in seeds}
    return {seed: (base / str(seed), *results[seed]) for seed in seeds}


@pytest.fixture(scope="module")
def regenerated(generated):
    return generated[gen.DEFAULT_SEED]


@pytest.fixture(scope="module")
def seed7(generated):
    out, frames, _ = generated[7]
    return out, frames


@pytest.fixture(scope="module")
def committed():
    """The committed tables, read with the declared types (what ssup.data.load returns)."""
    return {name: gen.read_csv_typed(DATA / f"{name}.csv", gen.table(name).columns) for name in CSV_TABLES}


@pytest.fixture(scope="module", params=["committed", "seed7"])
def frames(request, committed, seed7):
    return committed if request.param == "committed" else dict(seed7[1])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------------
# generator: reproducible, complete, fast
# ---------------------------------------------------------------------------------------------------
def test_default_seed_regenerates_committed_data_byte_for_byte(regenerated):
    out, _, _ = regenerated
    committed_files, fresh = _files(DATA), _files(out)
    assert sorted(committed_files) == sorted(fresh), "data/ and a fresh generation hold different files"
    changed = [name for name in fresh if fresh[name] != committed_files[name]]
    assert not changed, f"regenerate data/ with `python -m ssup.data generate`: {changed} differ"
    assert {f"{name}.csv" for name in CSV_TABLES} | {"README.md"} <= set(fresh)


def test_csv_format_is_plain(regenerated):
    out, _, _ = regenerated
    for name in CSV_TABLES:
        raw = (out / f"{name}.csv").read_bytes()
        assert b"\r\n" not in raw, name
        assert raw.endswith(b"\n"), name
    tickets = (out / "tickets.csv").read_text(encoding="utf-8").splitlines()[1]
    assert re.search(r",\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,", tickets)
    products = (out / "products.csv").read_text(encoding="utf-8")
    assert ",89.00,each," in products  # fixed decimals


def test_other_seed_gives_complete_different_data(regenerated, seed7):
    base, _, _ = regenerated
    other, frames7 = seed7
    assert sorted(_files(base)) == sorted(_files(other))
    for name in CSV_TABLES:
        with open(base / f"{name}.csv", encoding="utf-8") as a, open(other / f"{name}.csv", encoding="utf-8") as b:
            assert next(csv.reader(a)) == next(csv.reader(b)), f"{name}: columns differ between seeds"
    for name in ("customers", "contacts", "tickets", "opportunities", "projects", "legacy_inquiries"):
        assert (base / f"{name}.csv").read_bytes() != (other / f"{name}.csv").read_bytes(), name
    # the catalogue is the company's, not the seed's
    assert (base / "products.csv").read_bytes() == (other / "products.csv").read_bytes()


def test_child_rngs_are_independent_per_table():
    a = gen.child_rng(2026, "tickets").random(3)
    assert np.array_equal(a, gen.child_rng(2026, "tickets").random(3))
    assert not np.array_equal(a, gen.child_rng(2026, "customers").random(3))
    assert not np.array_equal(a, gen.child_rng(7, "tickets").random(3))


def test_cli_generate(tmp_path, monkeypatch, capsys):
    from ssup.data.__main__ import main

    calls = []

    def fake_generate(out, seed):
        calls.append((Path(out), seed))
        return gen.Frames(seed)

    monkeypatch.setattr(gen, "generate", fake_generate)
    assert main(["generate", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert calls == [(tmp_path, 3)]
    assert "seed 3" in capsys.readouterr().out
    monkeypatch.setenv("SSUP_DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["generate", "--quiet"]) == 0
    assert calls[-1] == ((tmp_path / "elsewhere").resolve(), gen.DEFAULT_SEED)


# ---------------------------------------------------------------------------------------------------
# the minimums and key columns
# ---------------------------------------------------------------------------------------------------
KEY_COLUMNS = {
    "products": ["product_id", "name", "category", "description", "list_price_gbp", "price_unit", "lead_time_days",
                 "protocol", "battery_life_years", "reporting_interval_s", "max_devices", "max_messages_per_minute",
                 "ip_rating", "operating_temp_min_c", "operating_temp_max_c", "messages_per_day", "retention_days",
                 "api_calls_per_minute", "support_hours", "p1_response_hours", "firmware_version"],
    "compatibility": ["product_id", "compatible_with"],
    "faq": ["faq_id", "topic", "product_id", "question", "answer"],
    "kb_articles": ["article_id", "title", "product_id", "category", "body"],
    "customers": ["customer_id", "name", "industry", "region", "country", "employees", "segment", "support_plan",
                  "account_manager", "customer_since"],
    "contacts": ["contact_id", "customer_id", "name", "role", "email", "phone", "preferred_channel"],
    "agents": ["agent_id", "name", "team", "seniority", "start_date"],
    "tickets": ["ticket_id", "customer_id", "contact_id", "product_id", "channel", "category", "priority",
                "created_at", "first_response_at", "resolved_at", "status", "escalated", "escalation_team",
                "agent_id", "csat", "nps", "reopened", "subject"],
    "opportunities": ["opportunity_id", "customer_id", "name", "stage", "value_gbp", "created_date",
                      "expected_close_date", "closed_date", "outcome", "bid_required", "owner", "presales_agent_id",
                      "primary_product_id", "devices", "competitor"],
    "projects": ["project_id", "customer_id", "opportunity_id", "project_type", "start_date", "end_date", "sites",
                 "devices", "estimated_effort_days", "actual_effort_days", "estimated_cost_gbp", "actual_cost_gbp",
                 "estimator_agent_id"],
    "legacy_inquiries": ["received_at", "customer_id", "contact_id", "channel", "product_id", "category",
                         "question"],
}


def test_key_columns_present(frames):
    for name, columns in KEY_COLUMNS.items():
        missing = [c for c in columns if c not in frames[name].columns]
        assert not missing, f"{name}: {missing}"
    assert "note" not in frames["legacy_inquiries"].columns


def test_minimum_sizes(frames):
    f = frames
    assert len(f["products"]) >= 25
    assert set(f["products"]["category"]) == set(gen.PRODUCT_CATEGORIES)
    for example in ("SNS-TMP-100", "GW-LRW-IN", "PLT-PRO", "SVC-INSTALL-DAY", "SUP-PREMIUM"):
        assert example in set(f["products"]["product_id"])
    assert len(f["faq"]) >= 30
    assert {"pricing", "lead_time", "compatibility", "support_plans", "battery", "warranty", "returns"} \
        <= set(f["faq"]["topic"])
    assert len(f["kb_articles"]) >= 40
    words = f["kb_articles"]["body"].str.split().str.len()
    assert words.between(80, 250).all(), words.describe()
    assert len(f["customers"]) >= 300 and f["customers"]["name"].is_unique
    per_customer = f["contacts"].groupby("customer_id").size()
    assert per_customer.between(1, 4).all() and set(per_customer.index) == set(f["customers"]["customer_id"])
    assert f["contacts"]["email"].is_unique
    assert 35 <= len(f["agents"]) <= 45
    assert set(f["agents"]["team"]) == set(gen.TEAMS)
    t = f["tickets"]
    assert len(t) >= 8000
    assert (t["created_at"].max() - t["created_at"].min()).days >= 540
    assert len(f["opportunities"]) >= 600
    assert len(f["projects"]) >= 120
    assert 20 <= len(f["legacy_inquiries"]) <= 30


def test_floors_the_level1_lessons_rely_on(frames):
    t = frames["tickets"]
    faults = t[t["status"].isin(["open", "in_progress"]) & ~t["escalated"] & (t["category"] == "hardware_fault")]
    assert len(faults) >= gen.MIN_OPEN_UNESCALATED_FAULTS
    c = frames["customers"]
    assert ((c["region"] == "Nordics") & (c["support_plan"] == "SUP-CRITICAL")).sum() >= gen.MIN_NORDIC_CRITICAL
    assert "CUS-0042" in set(c["customer_id"])
    backlog = t["status"].isin(["open", "in_progress", "waiting_customer"])
    assert 50 <= backlog.sum() <= 400 and (t["status"] == "waiting_customer").sum() >= 10


def test_allowed_values(frames):
    t = frames["tickets"]
    assert set(t["priority"]) == set(gen.PRIORITIES)
    assert set(t["channel"]) == set(gen.CHANNELS)
    assert set(t["category"]) == set(gen.TICKET_CATEGORIES)
    assert set(t["escalation_team"].dropna()) <= set(gen.ESCALATION_TEAMS)
    assert set(frames["opportunities"]["stage"]) == set(gen.OPP_STAGES)
    assert set(frames["projects"]["project_type"]) == set(gen.PROJECT_TYPES)
    assert set(frames["customers"]["segment"]) == set(gen.SEGMENTS)
    assert set(frames["customers"]["region"]) == set(gen.REGIONS)
    assert set(frames["kb_articles"]["category"]) == set(gen.TICKET_CATEGORIES)


# ---------------------------------------------------------------------------------------------------
# internal consistency
# ---------------------------------------------------------------------------------------------------
def test_ticket_consistency(frames):
    t = frames["tickets"]
    assert t["ticket_id"].is_unique and t["created_at"].is_monotonic_increasing
    responded = t["first_response_at"].notna()
    assert (t.loc[responded, "first_response_at"] >= t.loc[responded, "created_at"]).all()
    done = t["resolved_at"].notna()
    assert (t.loc[done, "resolved_at"] >= t.loc[done, "first_response_at"]).all()
    assert (done == t["status"].isin(["resolved", "closed"])).all()
    assert (t["escalation_team"].notna() == t["escalated"]).all()
    assert t.loc[t["csat"].notna(), "resolved_at"].notna().all()
    assert t["created_at"].max() < pd.Timestamp(gen.AS_OF) and t["resolved_at"].max() < pd.Timestamp(gen.AS_OF)
    contacts = frames["contacts"].set_index("contact_id")["customer_id"]
    assert (t["contact_id"].map(contacts) == t["customer_id"]).all()
    since = frames["customers"].set_index("customer_id")["customer_since"]
    assert (t["created_at"] >= t["customer_id"].map(since)).all()
    starts = frames["agents"].set_index("agent_id")["start_date"]
    assert (t["created_at"] >= t["agent_id"].map(starts)).all()
    # phone tickets outside 08:00-18:00 or at weekends only for Critical Support customers
    plan = t["customer_id"].map(frames["customers"].set_index("customer_id")["support_plan"])
    out_of_hours = (t["channel"] == "phone") & ((t["created_at"].dt.hour < 8) | (t["created_at"].dt.hour >= 18)
                                                | (t["created_at"].dt.day_of_week >= 5))
    assert (plan[out_of_hours] == "SUP-CRITICAL").all()


def _documented_messy(readme: str) -> list[tuple[str, list[str], str]]:
    """(file, [record ids], problem) rows of the README's messy-record tables."""
    rows = []
    section = readme.split("## Messy records", 1)[1].split("## Loading", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].endswith(".csv"):
            rows.append((cells[0], [k.strip() for k in cells[1].split(",")], cells[2]))
        elif len(cells) == 2 and cells[0].startswith("CRM-"):
            rows.append(("legacy_inquiries.csv", [cells[0]], cells[1]))
    return rows


def _messy_ids(frames, readme=None) -> set[str]:
    if readme is None:
        readme = (DATA / "README.md").read_text(encoding="utf-8")
    return {key for _, keys, _ in _documented_messy(readme) for key in keys}


def test_ticket_products_belong_to_the_customer(frames, seed7):
    t = frames["tickets"]
    pair = t["customer_id"] + "|" + t["product_id"]
    base = frames["installed_base"]
    owned = pair.isin(set(base["customer_id"] + "|" + base["product_id"]))
    customers = frames["customers"].set_index("customer_id")
    own_plan = (t["product_id"] == t["customer_id"].map(customers["platform_tier"])) | \
               (t["product_id"] == t["customer_id"].map(customers["support_plan"]))
    odd = t[~owned & ~own_plan & (t["category"] != "product_info")]
    documented = {k for m in seed7[1].messy for k in m.key.split(", ")} | _messy_ids(frames)
    assert len(odd) >= 1 and set(odd["ticket_id"]) <= documented, odd[["ticket_id", "product_id"]]
    assert set(t.loc[t["firmware_version"].notna() & ~owned, "ticket_id"]) <= documented
    battery = t[t["category"] == "battery"]["product_id"].map(frames["products"].set_index("product_id")
                                                              ["battery_life_years"])
    assert battery.notna().all(), "battery tickets must be about battery-powered sensors"


def test_accounts_and_sales_consistency(frames):
    c = frames["customers"]
    assert (c["segment"] == c["employees"].map(gen.segment_for)).all()
    tiers = frames["products"].set_index("product_id")["max_devices"]
    base = frames["installed_base"]
    sensors = base[base["product_id"].str.startswith("SNS-")].groupby("customer_id")["quantity"].sum()
    limit = c.set_index("customer_id")["platform_tier"].map(tiers)
    assert (sensors <= limit[sensors.index]).all()
    assert (frames["contacts"].groupby("customer_id")["is_primary"].sum() == 1).all()
    o = frames["opportunities"]
    assert ((o["outcome"] == "open") == o["closed_date"].isna()).all()
    assert ((o["stage"] == "closed_won") == (o["outcome"] == "won")).all()
    assert o.loc[o["outcome"] != "lost", "loss_reason"].isna().all()
    p = frames["projects"].merge(o, on="opportunity_id", suffixes=("", "_opp"))
    assert len(p) == len(frames["projects"]) and (p["customer_id"] == p["customer_id_opp"]).all()
    assert (p["outcome"] == "won").all()
    done = frames["projects"]["status"] == "completed"
    assert (frames["projects"]["actual_effort_days"].notna() == done).all()


def test_compatibility_is_symmetric_and_by_protocol(frames):
    comp = frames["compatibility"]
    pairs = set(zip(comp["product_id"], comp["compatible_with"]))
    assert all((b, a) in pairs for a, b in pairs)
    assert ("SNS-TMP-100", "GW-LRW-IN") in pairs
    assert ("SNS-TMP-150", "GW-LRW-IN") not in pairs  # BLE beacon vs LoRaWAN gateway
    assert ("GW-EDGE-500", "PLT-STARTER") not in pairs


# ---------------------------------------------------------------------------------------------------
# schema.sql: same tables and columns, real constraints, every committed row accepted
# ---------------------------------------------------------------------------------------------------
def _build_db(folder: Path) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute("PRAGMA foreign_keys = ON")
    con.executescript(SCHEMA.read_text(encoding="utf-8"))
    for name in _schema_tables():
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = [[None if v == "" else v for v in row] for row in reader]
        marks = ", ".join("?" * len(header))
        con.executemany(f"INSERT INTO {name} ({', '.join(header)}) VALUES ({marks})", rows)
    con.commit()
    return con


def _schema_tables() -> list[str]:
    return re.findall(r"CREATE TABLE (\w+)", SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db():
    return _build_db(DATA)


def test_schema_has_one_table_per_csv_with_same_columns(db):
    tables = _schema_tables()
    assert tables[: len(CSV_TABLES)] == CSV_TABLES, "schema order should follow the registry"
    assert tables[len(CSV_TABLES):] == ["inquiries", "escalations"]
    for name in CSV_TABLES:
        info = db.execute(f"PRAGMA table_info({name})").fetchall()
        assert [r[1] for r in info] == [c.name for c in gen.table(name).columns], name
        if name != "legacy_inquiries":
            notnull = {r[1]: bool(r[3]) or bool(r[5]) for r in info}
            declared = {c.name: not c.nullable for c in gen.table(name).columns}
            assert notnull == declared, f"{name}: NOT NULL differs from the column declarations"


def test_schema_load_order_and_named_checks(db):
    tables = _schema_tables()
    for position, name in enumerate(tables):
        for fk in db.execute(f"PRAGMA foreign_key_list({name})").fetchall():
            assert tables.index(fk[2]) <= position, f"{name} references {fk[2]}, which is created later"
    text = SCHEMA.read_text(encoding="utf-8")
    code = "\n".join(line.split("--")[0] for line in text.splitlines())
    checks = re.findall(r"(\w+\s+)?CHECK\s*\(", code)
    assert checks and all(prefix.strip() for prefix in checks), "every CHECK must be named"
    names = re.findall(r"CONSTRAINT\s+(\w+)\s+CHECK", code)
    assert len(names) == len(set(names)) == len(checks)
    assert "tickets_priority_valid" in names


def test_committed_rows_satisfy_schema(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for name in CSV_TABLES:
        count = db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
        with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as handle:
            assert count == sum(1 for _ in csv.reader(handle)) - 1, name
    assert db.execute("SELECT COUNT(*) FROM inquiries").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM escalations").fetchone()[0] == 0


def test_seed7_rows_satisfy_schema(seed7):
    con = _build_db(seed7[0])
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def _insert(con, sql, params):
    try:
        con.execute(sql, params)
        return None
    except sqlite3.IntegrityError as error:
        return str(error)


def test_constraints_reject_bad_rows(db):
    db.execute("SAVEPOINT bad")
    try:
        t = db.execute("SELECT * FROM tickets WHERE status = 'closed' LIMIT 1").fetchone()
        cols = [r[1] for r in db.execute("PRAGMA table_info(tickets)")]
        row = dict(zip(cols, t))

        def ticket(**changes):
            values = dict(row, ticket_id="TKT-X", **changes)
            return _insert(db, f"INSERT INTO tickets ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                           [values[c] for c in cols])

        assert "tickets_priority_valid" in ticket(priority="P5")
        assert "tickets_escalation_team_iff_escalated" in ticket(escalated=0, escalation_team="Billing")
        assert "tickets_response_not_before_created" in ticket(first_response_at="2000-01-01 00:00:00")
        assert "tickets_created_at_iso" in ticket(created_at="2025-02-30 10:00:00")
        assert "FOREIGN KEY" in ticket(contact_id=db.execute(
            "SELECT contact_id FROM contacts WHERE customer_id <> ? LIMIT 1", (row["customer_id"],)).fetchone()[0])
        assert ticket() is None
        customer = db.execute("SELECT customer_id, contact_id FROM contacts LIMIT 1").fetchone()
        sql = ("INSERT INTO inquiries (received_at, customer_id, contact_id, channel, product_id, category, question)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)")
        good = ["2026-06-01 10:00:00", customer[0], customer[1], "email", "SNS-TMP-100", "product_info",
                "What is the lead time for 20 T1 sensors?"]
        assert _insert(db, sql, good) is None
        assert db.execute("SELECT status FROM inquiries").fetchone()[0] == "open"
        assert "inquiries_channel_valid" in _insert(db, sql, good[:3] + ["fax"] + good[4:])
        assert "inquiries_question_length" in _insert(db, sql, good[:6] + ["Price?"])
        esc = ("INSERT INTO escalations (inquiry_id, ticket_id, team, priority, handover_note, created_by, created_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)")
        note = "Customer asks for sizing of 300 sensors over 4 sites; needs presales input."
        agent = db.execute("SELECT agent_id FROM agents LIMIT 1").fetchone()[0]
        assert _insert(db, esc, [1, None, "Presales", "P3", note, agent, "2026-06-01 10:05:00"]) is None
        assert "escalations_exactly_one_source" in _insert(db, esc, [1, "TKT-X", "Presales", "P3", note, agent,
                                                                      "2026-06-01 10:05:00"])
        assert "escalations_handover_note_length" in _insert(db, esc, [1, None, "Presales", "P3", "call back", agent,
                                                                        "2026-06-01 10:05:00"])
        assert "escalations_team_valid" in _insert(db, esc, [1, None, "Service Desk", "P3", note, agent,
                                                              "2026-06-01 10:05:00"])
    finally:
        db.execute("ROLLBACK TO bad")
        db.execute("RELEASE bad")


def test_legacy_inquiries_import_exactly_the_documented_failures(db):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    documented = {keys[0] for file, keys, _ in _documented_messy(readme) if file == "legacy_inquiries.csv"}
    db.execute("SAVEPOINT legacy")
    failed = set()
    try:
        for ref, *values in db.execute("SELECT legacy_ref, received_at, customer_id, contact_id, channel, product_id,"
                                       " category, question FROM legacy_inquiries").fetchall():
            error = _insert(db, "INSERT INTO inquiries (received_at, customer_id, contact_id, channel, product_id,"
                                " category, question) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
            if error:
                failed.add(ref)
    finally:
        db.execute("ROLLBACK TO legacy")
        db.execute("RELEASE legacy")
    assert failed == documented
    assert 5 <= len(failed) <= 10


# ---------------------------------------------------------------------------------------------------
# built-in patterns (statistical)
# ---------------------------------------------------------------------------------------------------
def _daily(t):
    days = pd.date_range(str(gen.TICKETS_START), str(gen.TICKETS_END), freq="D")
    return t.groupby(t["created_at"].dt.normalize()).size().reindex(days, fill_value=0)


def test_weekday_effect_and_hours(frames):
    t = frames["tickets"]
    daily = _daily(t)
    weekend = daily.index.day_of_week >= 5
    assert daily[~weekend].mean() > 4 * daily[weekend].mean()
    phone = t.loc[t["channel"] == "phone", "created_at"].dt.hour
    portal = t.loc[t["channel"] == "portal", "created_at"].dt.hour
    assert phone.between(8, 17).mean() > 0.97
    assert portal.between(8, 17).mean() < 0.8
    assert portal.value_counts(normalize=True).max() < phone.value_counts(normalize=True).max()


def test_seasonality(frames):
    t = frames["tickets"]
    season = t["customer_id"].map(frames["customers"].set_index("customer_id")["industry"]).map(gen.INDUSTRY_SEASON)
    month = t["created_at"].dt.month
    cold = season == "cold_chain"
    heat = season == "heating"
    assert (cold & month.isin([6, 7, 8])).sum() / 3 > 1.25 * (cold & month.isin([1, 2, 11])).sum() / 3
    assert (heat & month.isin([12, 1, 2])).sum() / 3 > 1.25 * (heat & month.isin([6, 7, 8])).sum() / 3
    battery = t["category"] == "battery"
    assert battery[month.isin([12, 1, 2])].mean() > 1.3 * battery[month.isin([6, 7, 8])].mean()


def test_firmware_spike(frames):
    t = frames["tickets"]
    gw = t[t["product_id"].isin(gen.LORAWAN_GATEWAYS) & t["category"].isin(["connectivity", "data_quality"])]
    weekly = gw.groupby(gw["created_at"].dt.to_period("W")).size()
    before = weekly[(weekly.index.start_time >= "2024-07-08") & (weekly.index.start_time < "2025-03-03")]
    during = weekly[(weekly.index.start_time >= "2025-03-17") & (weekly.index.start_time < "2025-05-12")]
    assert during.mean() > 3 * before.mean()
    bad = t[t["firmware_version"] == gen.FIRMWARE_BAD]
    assert len(bad) >= 100
    assert bad["created_at"].min() >= pd.Timestamp(gen.FIRMWARE_BAD_RELEASED)
    assert (bad["escalation_team"] == "Product Engineering").mean() > 0.25
    assert not ((t["firmware_version"] == gen.FIRMWARE_FIX) & (t["created_at"] < pd.Timestamp(gen.FIRMWARE_FIX_RELEASED))).any()


def test_resolution_times_are_skewed_by_priority_and_category(frames):
    t = frames["tickets"].dropna(subset=["resolved_at"])
    hours = (t["resolved_at"] - t["created_at"]).dt.total_seconds() / 3600
    medians = hours.groupby(t["priority"]).median()
    assert list(medians[list(gen.PRIORITIES)]) == sorted(medians)
    assert (hours.groupby(t["priority"]).mean() > medians).all()
    by_category = hours.groupby(t["category"]).median()
    assert by_category["hardware_fault"] > 2 * by_category["platform_access"]
    assert hours[t["escalated"]].median() > 1.5 * hours[~t["escalated"]].median()


def test_csat_patterns(frames):
    t = frames["tickets"]
    assert 0.5 <= t["csat"].isna().mean() <= 0.75
    assert t["nps"].notna().mean() < 0.2
    rated = t.dropna(subset=["csat"])
    hours = (rated["resolved_at"] - rated["created_at"]).dt.total_seconds()
    assert rated["csat"].astype(float).rank().corr(hours.rank()) < -0.15  # Spearman
    assert rated.loc[~rated["reopened"], "csat"].mean() - rated.loc[rated["reopened"], "csat"].mean() > 0.5
    assert rated["nps"].dropna().astype(float).corr(rated.loc[rated["nps"].notna(), "csat"].astype(float)) > 0.5


def test_sales_patterns(frames):
    o = frames["opportunities"]
    closed = o[(o["outcome"] != "open") & (o["opportunity_type"] != "new_logo")]
    won = closed["outcome"] == "won"
    assert won[closed["bid_required"]].mean() < won[~closed["bid_required"]].mean() - 0.1
    assert won[closed["presales_agent_id"].notna()].mean() > won[closed["presales_agent_id"].isna()].mean()
    assert o["value_gbp"].mean() > 1.5 * o["value_gbp"].median()  # right-skewed
    assert o.loc[o["value_gbp"] >= 100_000, "bid_required"].mean() > 0.7
    assert o.loc[o["value_gbp"] < 20_000, "bid_required"].mean() < 0.1
    done = o.dropna(subset=["closed_date"])
    assert (done["closed_date"] > done["expected_close_date"]).mean() > 0.5  # deals slip


def test_project_overrun_by_type(frames):
    p = frames["projects"]
    done = p[p["status"] == "completed"]
    log_ratio = np.log(done["actual_effort_days"] / done["estimated_effort_days"])
    mean = log_ratio.groupby(done["project_type"]).mean()
    low = max(mean["standard_install"], mean["pilot"])
    assert mean["integration_heavy"] > low + 0.1
    assert mean["multi_site_rollout"] > low + 0.1
    assert mean["retrofit"] > mean["standard_install"]
    assert (log_ratio > 0).sum() > 2 * (log_ratio < 0).sum()  # overruns far outnumber underruns


# ---------------------------------------------------------------------------------------------------
# messy records: present, documented, and still valid under the schema
# ---------------------------------------------------------------------------------------------------
def _normalise(name: str) -> str:
    words = name.strip().lower().replace("limited", "ltd").split()
    return " ".join(words)


def test_messy_records_documented_in_readme(committed, regenerated):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    rows = _documented_messy(readme)
    files = {file for file, _, _ in rows}
    assert {"customers.csv", "contacts.csv", "tickets.csv", "opportunities.csv", "projects.csv", "faq.csv",
            "legacy_inquiries.csv"} <= files
    assert 10 <= sum(len(keys) for file, keys, _ in rows if file != "legacy_inquiries.csv") <= 25
    key_column = {t.name: t.columns[0].name for t in gen.tables() if t.is_csv}
    for file, keys, _ in rows:
        name = file[: -len(".csv")]
        present = set(committed[name][key_column[name]])
        assert set(keys) <= present, (file, keys)
    assert {(m.file, m.key) for m in regenerated[1].messy} == {(f, ", ".join(k)) for f, k, _ in rows}


def test_messy_records_are_findable(frames):
    c = frames["customers"]
    assert c["name"].map(_normalise).duplicated().sum() >= 2
    emails = frames["contacts"]["email"]
    assert (emails != emails.str.lower()).sum() >= 2
    assert emails.str.lower().duplicated().sum() >= 1
    assert (~frames["contacts"]["phone"].str.startswith("+")).sum() >= 1
    o = frames["opportunities"]
    assert (o["closed_date"] < o["created_date"]).sum() == 1
    per_device = o["value_gbp"] / o["devices"].where(o["devices"] > 0)
    assert (per_device > 5000).sum() >= 1
    p = frames["projects"].dropna(subset=["actual_effort_days"])
    ratio = p["actual_effort_days"] / p["estimated_effort_days"]
    assert (ratio > 5).sum() == 1 and (ratio.drop(ratio.idxmax()) < 4).all()
    t = frames["tickets"]
    key = t["customer_id"] + "|" + t["contact_id"] + "|" + t["subject"]
    gaps = t.groupby(key)["created_at"].diff().dt.total_seconds()
    assert (gaps < 300).sum() >= 2
    prices = frames["products"].set_index("product_id")["list_price_gbp"]
    stale = frames["faq"][frames["faq"]["topic"] == "pricing"].dropna(subset=["product_id"])
    quoted = stale["answer"].str.extract(r"£([\d,]+\.\d\d)")[0].str.replace(",", "").astype(float)
    assert (quoted.values != stale["product_id"].map(prices).values).sum() == 1


# ---------------------------------------------------------------------------------------------------
# ssup.data.load / names / text
# ---------------------------------------------------------------------------------------------------
def test_load_types_copies_and_errors(monkeypatch):
    monkeypatch.delenv("SSUP_DATA_DIR", raising=False)
    data.clear_cache()
    assert set(CSV_TABLES) <= set(data.names())
    t = data.load("tickets")
    assert str(t["created_at"].dtype).startswith("datetime64")
    assert str(t["resolved_at"].dtype).startswith("datetime64") and t["resolved_at"].isna().any()
    assert t["escalated"].dtype == bool and t["reopened"].dtype == bool
    assert str(t["csat"].dtype) == "Int64"
    assert str(data.load("customers")["customer_since"].dtype).startswith("datetime64")
    assert str(data.load("products")["battery_life_years"].dtype) == "float64"
    assert str(data.load("products")["max_devices"].dtype) == "Int64"
    legacy = data.load("legacy_inquiries")
    assert legacy["received_at"].map(type).eq(str).all()  # raw text: some values are not timestamps
    t.loc[0, "subject"] = "changed"
    assert data.load("tickets").loc[0, "subject"] != "changed"
    assert data.load("tickets.csv").shape == t.shape
    with pytest.raises(ValueError, match="tickets"):
        data.load("tikets")
    assert "Kestrel Telemetry" in data.text("README")
    assert data.text("README.md") == data.text("README")
    with pytest.raises(ValueError):
        data.text("nope")
    with pytest.raises(ValueError):
        data.text("../ssup/schema.sql")
    assert list(data.describe("tickets")["column"]) == [c.name for c in gen.table("tickets").columns]


def test_load_honours_data_dir_and_cache(monkeypatch, seed7, tmp_path):
    folder = seed7[0]
    monkeypatch.setenv("SSUP_DATA_DIR", str(folder))
    data.clear_cache()
    other = data.load("customers")
    assert not other.equals(gen.read_csv_typed(DATA / "customers.csv", gen.table("customers").columns))
    # cache is keyed on path + mtime: a rewritten file is read again
    copy = tmp_path / "d"
    copy.mkdir()
    (copy / "agents.csv").write_bytes((folder / "agents.csv").read_bytes())
    monkeypatch.setenv("SSUP_DATA_DIR", str(copy))
    first = data.load("agents")
    text = (copy / "agents.csv").read_text(encoding="utf-8").splitlines()
    (copy / "agents.csv").write_text("\n".join(text[:5]) + "\n", encoding="utf-8")
    import os

    os.utime(copy / "agents.csv", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert len(data.load("agents")) == 4 and len(first) > 4
    with pytest.raises(ValueError, match="agents"):
        data.load("tickets")
    data.clear_cache()
