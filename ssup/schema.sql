-- SQLite schema of the Kestrel Telemetry training database.
--
-- One table per CSV file in data/ (same table name, same column names, same column order),
-- followed by the two tables trainees write to (inquiries, escalations), which start empty.
-- Tables are in load order: every table comes after the tables it references.
--
-- Conventions
--   * Timestamps are TEXT 'YYYY-MM-DD HH:MM:SS' and dates TEXT 'YYYY-MM-DD' (UK local time). The *_iso
--     CHECKs reject anything else, including impossible dates such as 2024-02-30: SQLite's datetime()
--     normalises them, so the stored text would not equal its normalised form.
--   * Booleans are INTEGER 0/1; money is REAL GBP.
--   * Missing values are NULL: load empty CSV cells as NULL, never as ''.
--   * Every CHECK is named <table>_<rule> so that a failed insert says which rule it broke.
--   * Foreign keys are enforced only with PRAGMA foreign_keys = ON (set it on every connection).
-- The committed data (including the documented messy records) satisfies every constraint here.
-- The whole schema is created in one transaction (BEGIN ... COMMIT): one write to disk instead of one
-- per statement, which keeps building the database from the CSV files well under a second.

BEGIN;

-- ---------------------------------------------------------------------------------------------
-- Catalogue
-- ---------------------------------------------------------------------------------------------
CREATE TABLE products (
    product_id               TEXT    NOT NULL PRIMARY KEY,
    name                     TEXT    NOT NULL UNIQUE,
    category                 TEXT    NOT NULL,
    description              TEXT    NOT NULL,
    list_price_gbp           REAL    NOT NULL,
    price_unit               TEXT    NOT NULL,
    lead_time_days           INTEGER NOT NULL,
    active                   INTEGER NOT NULL,
    warranty_months          INTEGER,
    protocol                 TEXT,
    battery_life_years       REAL,
    reporting_interval_s     INTEGER,
    firmware_version         TEXT,
    ip_rating                TEXT,
    operating_temp_min_c     INTEGER,
    operating_temp_max_c     INTEGER,
    max_devices              INTEGER,
    max_messages_per_minute  INTEGER,
    messages_per_day         INTEGER,
    retention_days           INTEGER,
    api_calls_per_minute     INTEGER,
    support_hours            TEXT,
    p1_response_hours        REAL,
    p2_response_hours        REAL,
    p3_response_hours        REAL,
    p4_response_hours        REAL,
    CONSTRAINT products_category_valid CHECK (category IN ('sensor', 'gateway', 'platform', 'service', 'support')),
    CONSTRAINT products_id_prefix_matches_category CHECK (
        (category = 'sensor'   AND product_id GLOB 'SNS-?*') OR
        (category = 'gateway'  AND product_id GLOB 'GW-?*')  OR
        (category = 'platform' AND product_id GLOB 'PLT-?*') OR
        (category = 'service'  AND product_id GLOB 'SVC-?*') OR
        (category = 'support'  AND product_id GLOB 'SUP-?*')),
    CONSTRAINT products_price_unit_valid CHECK (price_unit IN ('each', 'month', 'day', 'year')),
    CONSTRAINT products_price_not_negative CHECK (list_price_gbp >= 0),
    CONSTRAINT products_lead_time_not_negative CHECK (lead_time_days >= 0),
    CONSTRAINT products_active_bool CHECK (active IN (0, 1)),
    CONSTRAINT products_warranty_hardware_only CHECK ((warranty_months IS NOT NULL) = (category IN ('sensor', 'gateway'))
                                                     AND (warranty_months IS NULL OR warranty_months > 0)),
    CONSTRAINT products_protocol_hardware_only CHECK ((protocol IS NOT NULL) = (category IN ('sensor', 'gateway'))),
    CONSTRAINT products_firmware_hardware_only CHECK ((firmware_version IS NOT NULL) = (category IN ('sensor', 'gateway'))),
    CONSTRAINT products_battery_sensors_only CHECK (battery_life_years IS NULL OR (category = 'sensor' AND battery_life_years > 0)),
    CONSTRAINT products_interval_sensors_only CHECK ((reporting_interval_s IS NOT NULL) = (category = 'sensor')
                                                     AND (reporting_interval_s IS NULL OR reporting_interval_s > 0)),
    CONSTRAINT products_temperature_range_valid CHECK (operating_temp_min_c IS NULL OR operating_temp_max_c IS NULL
                                                       OR operating_temp_min_c < operating_temp_max_c),
    CONSTRAINT products_max_devices_valid CHECK ((max_devices IS NOT NULL) = (category IN ('gateway', 'platform'))
                                                 AND (max_devices IS NULL OR max_devices > 0)),
    CONSTRAINT products_gateway_throughput_valid CHECK ((max_messages_per_minute IS NOT NULL) = (category = 'gateway')
                                                        AND (max_messages_per_minute IS NULL OR max_messages_per_minute > 0)),
    CONSTRAINT products_platform_limits_valid CHECK (
        (messages_per_day IS NOT NULL) = (category = 'platform') AND
        (retention_days IS NOT NULL) = (category = 'platform') AND
        (api_calls_per_minute IS NOT NULL) = (category = 'platform') AND
        (category <> 'platform' OR (messages_per_day > 0 AND retention_days > 0 AND api_calls_per_minute > 0))),
    CONSTRAINT products_support_plan_columns CHECK (
        (support_hours IS NOT NULL) = (category = 'support') AND
        (p1_response_hours IS NOT NULL) = (category = 'support') AND
        (p2_response_hours IS NOT NULL) = (category = 'support') AND
        (p3_response_hours IS NOT NULL) = (category = 'support') AND
        (p4_response_hours IS NOT NULL) = (category = 'support')),
    CONSTRAINT products_response_targets_ordered CHECK (p1_response_hours IS NULL OR
        (p1_response_hours > 0 AND p1_response_hours <= p2_response_hours
         AND p2_response_hours <= p3_response_hours AND p3_response_hours <= p4_response_hours))
);

CREATE TABLE compatibility (
    product_id       TEXT NOT NULL,
    compatible_with  TEXT NOT NULL,
    link_type        TEXT NOT NULL,
    notes            TEXT,
    PRIMARY KEY (product_id, compatible_with),
    CONSTRAINT compatibility_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT compatibility_compatible_with_fk FOREIGN KEY (compatible_with) REFERENCES products (product_id),
    CONSTRAINT compatibility_not_self CHECK (product_id <> compatible_with),
    CONSTRAINT compatibility_link_type_valid CHECK (link_type IN ('sensor_gateway', 'gateway_platform', 'sensor_platform'))
);

CREATE TABLE faq (
    faq_id      TEXT NOT NULL PRIMARY KEY,
    topic       TEXT NOT NULL,
    product_id  TEXT,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    CONSTRAINT faq_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT faq_topic_valid CHECK (topic IN ('pricing', 'lead_time', 'compatibility', 'battery', 'support_plans',
                                                'warranty', 'returns', 'platform', 'services')),
    CONSTRAINT faq_question_not_blank CHECK (length(trim(question)) > 0),
    CONSTRAINT faq_answer_not_blank CHECK (length(trim(answer)) > 0)
);

CREATE TABLE kb_articles (
    article_id    TEXT NOT NULL PRIMARY KEY,
    title         TEXT NOT NULL UNIQUE,
    product_id    TEXT,
    category      TEXT NOT NULL,
    body          TEXT NOT NULL,
    updated_date  TEXT NOT NULL,
    CONSTRAINT kb_articles_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT kb_articles_category_valid CHECK (category IN ('connectivity', 'battery', 'configuration', 'data_quality',
        'hardware_fault', 'installation', 'platform_access', 'billing', 'how_to', 'product_info')),
    CONSTRAINT kb_articles_body_length CHECK (length(body) BETWEEN 400 AND 2500),
    CONSTRAINT kb_articles_updated_date_iso CHECK (updated_date IS date(updated_date, '+0 days'))
);

-- ---------------------------------------------------------------------------------------------
-- People and accounts
-- ---------------------------------------------------------------------------------------------
CREATE TABLE agents (
    agent_id    TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    team        TEXT NOT NULL,
    seniority   TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    CONSTRAINT agents_team_valid CHECK (team IN ('Service Desk', 'Technical Support', 'Field Engineering',
        'Product Engineering', 'Presales', 'Account Management', 'Billing')),
    CONSTRAINT agents_seniority_valid CHECK (seniority IN ('junior', 'mid', 'senior', 'lead')),
    CONSTRAINT agents_start_date_iso CHECK (start_date IS date(start_date, '+0 days')),
    CONSTRAINT agents_email_format CHECK (email LIKE '_%@_%._%')
);

CREATE TABLE customers (
    customer_id      TEXT    NOT NULL PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    industry         TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    country          TEXT    NOT NULL,
    city             TEXT    NOT NULL,
    employees        INTEGER NOT NULL,
    segment          TEXT    NOT NULL,
    sites            INTEGER NOT NULL,
    platform_tier    TEXT    NOT NULL,
    support_plan     TEXT    NOT NULL,
    account_manager  TEXT    NOT NULL,
    customer_since   TEXT    NOT NULL,
    CONSTRAINT customers_platform_tier_fk FOREIGN KEY (platform_tier) REFERENCES products (product_id),
    CONSTRAINT customers_support_plan_fk FOREIGN KEY (support_plan) REFERENCES products (product_id),
    CONSTRAINT customers_account_manager_fk FOREIGN KEY (account_manager) REFERENCES agents (agent_id),
    CONSTRAINT customers_id_format CHECK (customer_id GLOB 'CUS-[0-9][0-9][0-9][0-9]'),
    CONSTRAINT customers_industry_valid CHECK (industry IN ('manufacturing', 'food_beverage', 'logistics', 'pharma',
        'utilities', 'water', 'mining', 'building_management', 'agriculture')),
    CONSTRAINT customers_region_valid CHECK (region IN ('UK & Ireland', 'Nordics', 'DACH', 'Benelux', 'France',
        'Iberia', 'North America')),
    CONSTRAINT customers_employees_positive CHECK (employees > 0),
    CONSTRAINT customers_segment_matches_employees CHECK (segment =
        CASE WHEN employees < 250 THEN 'SMB' WHEN employees < 2000 THEN 'Mid-market' ELSE 'Enterprise' END),
    CONSTRAINT customers_sites_positive CHECK (sites >= 1),
    CONSTRAINT customers_platform_tier_is_tier CHECK (platform_tier GLOB 'PLT-?*'),
    CONSTRAINT customers_support_plan_is_plan CHECK (support_plan GLOB 'SUP-?*'),
    CONSTRAINT customers_customer_since_iso CHECK (customer_since IS date(customer_since, '+0 days'))
);

CREATE TABLE installed_base (
    customer_id      TEXT    NOT NULL,
    product_id       TEXT    NOT NULL,
    quantity         INTEGER NOT NULL,
    first_installed  TEXT    NOT NULL,
    PRIMARY KEY (customer_id, product_id),
    CONSTRAINT installed_base_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT installed_base_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT installed_base_hardware_only CHECK (product_id GLOB 'SNS-?*' OR product_id GLOB 'GW-?*'),
    CONSTRAINT installed_base_quantity_positive CHECK (quantity > 0),
    CONSTRAINT installed_base_first_installed_iso CHECK (first_installed IS date(first_installed, '+0 days'))
);

CREATE TABLE contacts (
    contact_id         TEXT    NOT NULL PRIMARY KEY,
    customer_id        TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    role               TEXT    NOT NULL,
    email              TEXT    NOT NULL UNIQUE,   -- case-sensitive, as stored (see the messy records)
    phone              TEXT    NOT NULL,
    preferred_channel  TEXT    NOT NULL,
    is_primary         INTEGER NOT NULL,
    CONSTRAINT contacts_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT contacts_id_customer_unique UNIQUE (contact_id, customer_id),  -- target of composite FKs
    CONSTRAINT contacts_email_format CHECK (email LIKE '_%@_%._%'),
    CONSTRAINT contacts_phone_length CHECK (length(phone) >= 8),
    CONSTRAINT contacts_preferred_channel_valid CHECK (preferred_channel IN ('phone', 'email', 'in_person', 'portal')),
    CONSTRAINT contacts_is_primary_bool CHECK (is_primary IN (0, 1))
);
-- At most one primary contact per customer.
CREATE UNIQUE INDEX contacts_one_primary_per_customer ON contacts (customer_id) WHERE is_primary = 1;

-- ---------------------------------------------------------------------------------------------
-- Sales and delivery
-- ---------------------------------------------------------------------------------------------
CREATE TABLE opportunities (
    opportunity_id       TEXT    NOT NULL PRIMARY KEY,
    customer_id          TEXT    NOT NULL,
    name                 TEXT    NOT NULL,
    opportunity_type     TEXT    NOT NULL,
    stage                TEXT    NOT NULL,
    outcome              TEXT    NOT NULL,
    value_gbp            REAL    NOT NULL,
    created_date         TEXT    NOT NULL,
    expected_close_date  TEXT    NOT NULL,
    closed_date          TEXT,
    bid_required         INTEGER NOT NULL,
    owner                TEXT    NOT NULL,
    presales_agent_id    TEXT,
    primary_product_id   TEXT    NOT NULL,
    devices              INTEGER NOT NULL,
    competitor           TEXT,
    loss_reason          TEXT,
    CONSTRAINT opportunities_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT opportunities_owner_fk FOREIGN KEY (owner) REFERENCES agents (agent_id),
    CONSTRAINT opportunities_presales_fk FOREIGN KEY (presales_agent_id) REFERENCES agents (agent_id),
    CONSTRAINT opportunities_product_fk FOREIGN KEY (primary_product_id) REFERENCES products (product_id),
    CONSTRAINT opportunities_id_customer_unique UNIQUE (opportunity_id, customer_id),  -- target of projects' FK
    CONSTRAINT opportunities_type_valid CHECK (opportunity_type IN ('new_logo', 'expansion', 'upgrade', 'services')),
    CONSTRAINT opportunities_stage_valid CHECK (stage IN ('qualify', 'discover', 'propose', 'negotiate',
                                                          'closed_won', 'closed_lost')),
    CONSTRAINT opportunities_outcome_valid CHECK (outcome IN ('open', 'won', 'lost')),
    CONSTRAINT opportunities_stage_matches_outcome CHECK (
        (stage = 'closed_won') = (outcome = 'won') AND (stage = 'closed_lost') = (outcome = 'lost')),
    CONSTRAINT opportunities_closed_date_iff_closed CHECK ((closed_date IS NOT NULL) = (outcome <> 'open')),
    CONSTRAINT opportunities_value_positive CHECK (value_gbp > 0),
    CONSTRAINT opportunities_created_date_iso CHECK (created_date IS date(created_date, '+0 days')),
    CONSTRAINT opportunities_expected_close_date_iso CHECK (expected_close_date IS date(expected_close_date, '+0 days')),
    CONSTRAINT opportunities_closed_date_iso CHECK (closed_date IS date(closed_date, '+0 days')),
    -- Deliberately NO check that closed_date >= created_date: the CRM allowed it, and one record shows it.
    CONSTRAINT opportunities_expected_after_created CHECK (expected_close_date >= created_date),
    CONSTRAINT opportunities_bid_required_bool CHECK (bid_required IN (0, 1)),
    CONSTRAINT opportunities_devices_not_negative CHECK (devices >= 0),
    CONSTRAINT opportunities_loss_reason_valid CHECK (loss_reason IS NULL OR
        (outcome = 'lost' AND loss_reason IN ('price', 'competitor', 'no_decision', 'technical_fit', 'timing')))
);

CREATE TABLE projects (
    project_id             TEXT    NOT NULL PRIMARY KEY,
    customer_id            TEXT    NOT NULL,
    opportunity_id         TEXT    NOT NULL UNIQUE,
    project_type           TEXT    NOT NULL,
    status                 TEXT    NOT NULL,
    start_date             TEXT    NOT NULL,
    planned_end_date       TEXT    NOT NULL,
    end_date               TEXT,
    sites                  INTEGER NOT NULL,
    devices                INTEGER NOT NULL,
    estimated_effort_days  REAL    NOT NULL,
    actual_effort_days     REAL,
    estimated_cost_gbp     REAL    NOT NULL,
    actual_cost_gbp        REAL,
    estimator_agent_id     TEXT    NOT NULL,
    CONSTRAINT projects_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT projects_opportunity_fk FOREIGN KEY (opportunity_id, customer_id)
        REFERENCES opportunities (opportunity_id, customer_id),
    CONSTRAINT projects_estimator_fk FOREIGN KEY (estimator_agent_id) REFERENCES agents (agent_id),
    CONSTRAINT projects_type_valid CHECK (project_type IN ('standard_install', 'retrofit', 'integration_heavy',
                                                           'multi_site_rollout', 'pilot')),
    CONSTRAINT projects_status_valid CHECK (status IN ('planned', 'in_progress', 'completed')),
    CONSTRAINT projects_start_date_iso CHECK (start_date IS date(start_date, '+0 days')),
    CONSTRAINT projects_planned_end_date_iso CHECK (planned_end_date IS date(planned_end_date, '+0 days')),
    CONSTRAINT projects_end_date_iso CHECK (end_date IS date(end_date, '+0 days')),
    CONSTRAINT projects_planned_end_after_start CHECK (planned_end_date >= start_date),
    CONSTRAINT projects_end_after_start CHECK (end_date IS NULL OR end_date >= start_date),
    CONSTRAINT projects_actuals_iff_completed CHECK (
        (end_date IS NOT NULL) = (status = 'completed') AND
        (actual_effort_days IS NOT NULL) = (status = 'completed') AND
        (actual_cost_gbp IS NOT NULL) = (status = 'completed')),
    CONSTRAINT projects_sites_positive CHECK (sites >= 1),
    CONSTRAINT projects_devices_not_negative CHECK (devices >= 0),
    CONSTRAINT projects_estimates_positive CHECK (estimated_effort_days > 0 AND estimated_cost_gbp > 0),
    CONSTRAINT projects_actuals_positive CHECK ((actual_effort_days IS NULL OR actual_effort_days > 0)
                                                AND (actual_cost_gbp IS NULL OR actual_cost_gbp > 0))
);

-- ---------------------------------------------------------------------------------------------
-- Support
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tickets (
    ticket_id          TEXT    NOT NULL PRIMARY KEY,
    customer_id        TEXT    NOT NULL,
    contact_id         TEXT    NOT NULL,
    product_id         TEXT    NOT NULL,
    firmware_version   TEXT,
    channel            TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    priority           TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    first_response_at  TEXT,
    resolved_at        TEXT,
    status             TEXT    NOT NULL,
    escalated          INTEGER NOT NULL,
    escalation_team    TEXT,
    agent_id           TEXT    NOT NULL,
    reopened           INTEGER NOT NULL,
    csat               INTEGER,
    nps                INTEGER,
    CONSTRAINT tickets_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT tickets_contact_fk FOREIGN KEY (contact_id) REFERENCES contacts (contact_id),
    CONSTRAINT tickets_contact_of_customer_fk FOREIGN KEY (contact_id, customer_id)
        REFERENCES contacts (contact_id, customer_id),
    CONSTRAINT tickets_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT tickets_agent_fk FOREIGN KEY (agent_id) REFERENCES agents (agent_id),
    CONSTRAINT tickets_channel_valid CHECK (channel IN ('phone', 'email', 'in_person', 'portal')),
    CONSTRAINT tickets_category_valid CHECK (category IN ('connectivity', 'battery', 'configuration', 'data_quality',
        'hardware_fault', 'installation', 'platform_access', 'billing', 'how_to', 'product_info')),
    CONSTRAINT tickets_priority_valid CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    CONSTRAINT tickets_status_valid CHECK (status IN ('open', 'in_progress', 'waiting_customer', 'resolved', 'closed')),
    CONSTRAINT tickets_subject_not_blank CHECK (length(trim(subject)) > 0),
    CONSTRAINT tickets_firmware_hardware_only CHECK (firmware_version IS NULL OR product_id GLOB 'SNS-?*'
                                                     OR product_id GLOB 'GW-?*'),
    CONSTRAINT tickets_created_at_iso CHECK (created_at IS datetime(created_at, '+0 seconds')),
    CONSTRAINT tickets_first_response_at_iso CHECK (first_response_at IS datetime(first_response_at, '+0 seconds')),
    CONSTRAINT tickets_resolved_at_iso CHECK (resolved_at IS datetime(resolved_at, '+0 seconds')),
    CONSTRAINT tickets_response_not_before_created CHECK (first_response_at IS NULL OR first_response_at >= created_at),
    CONSTRAINT tickets_resolved_not_before_response CHECK (resolved_at IS NULL OR
        (first_response_at IS NOT NULL AND resolved_at >= first_response_at)),
    CONSTRAINT tickets_response_unless_open CHECK (first_response_at IS NOT NULL OR status = 'open'),
    CONSTRAINT tickets_resolved_iff_resolved_status CHECK ((resolved_at IS NOT NULL) = (status IN ('resolved', 'closed'))),
    CONSTRAINT tickets_escalated_bool CHECK (escalated IN (0, 1)),
    CONSTRAINT tickets_escalation_team_iff_escalated CHECK ((escalation_team IS NOT NULL) = (escalated = 1)),
    CONSTRAINT tickets_escalation_team_valid CHECK (escalation_team IS NULL OR escalation_team IN ('Technical Support',
        'Field Engineering', 'Product Engineering', 'Presales', 'Account Management', 'Billing')),
    CONSTRAINT tickets_reopened_bool CHECK (reopened IN (0, 1)),
    CONSTRAINT tickets_csat_range CHECK (csat IS NULL OR csat BETWEEN 1 AND 5),
    CONSTRAINT tickets_nps_range CHECK (nps IS NULL OR nps BETWEEN 0 AND 10),
    CONSTRAINT tickets_csat_only_when_resolved CHECK (csat IS NULL OR resolved_at IS NOT NULL),
    CONSTRAINT tickets_nps_only_with_csat CHECK (nps IS NULL OR csat IS NOT NULL)
);

-- Inquiries exported from the old CRM, exactly as exported: all TEXT and no constraints, so that every
-- row - valid or not - loads. Trainees import them into `inquiries`, which rejects the invalid ones.
CREATE TABLE legacy_inquiries (
    legacy_ref   TEXT NOT NULL PRIMARY KEY,
    received_at  TEXT,
    customer_id  TEXT,
    contact_id   TEXT,
    channel      TEXT,
    product_id   TEXT,
    category     TEXT,
    question     TEXT
);

-- ---------------------------------------------------------------------------------------------
-- Level 2: calls and diagnosis
-- ---------------------------------------------------------------------------------------------
CREATE TABLE call_transcripts (
    call_id             TEXT    NOT NULL PRIMARY KEY,
    ticket_id           TEXT    NOT NULL UNIQUE,
    channel             TEXT    NOT NULL,
    started_at          TEXT    NOT NULL,
    duration_s          INTEGER NOT NULL,
    customer_id         TEXT    NOT NULL,
    contact_id          TEXT    NOT NULL,
    agent_id            TEXT    NOT NULL,
    product_id          TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    priority            TEXT    NOT NULL,
    devices_affected    INTEGER NOT NULL,
    location            TEXT    NOT NULL,
    problem_since       TEXT,
    what_changed        TEXT,
    production_stopped  INTEGER NOT NULL,
    workaround          INTEGER NOT NULL,
    next_step           TEXT,
    missed_steps        TEXT,
    transcript          TEXT    NOT NULL,
    CONSTRAINT call_transcripts_ticket_fk FOREIGN KEY (ticket_id) REFERENCES tickets (ticket_id),
    CONSTRAINT call_transcripts_contact_of_customer_fk FOREIGN KEY (contact_id, customer_id)
        REFERENCES contacts (contact_id, customer_id),
    CONSTRAINT call_transcripts_agent_fk FOREIGN KEY (agent_id) REFERENCES agents (agent_id),
    CONSTRAINT call_transcripts_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT call_transcripts_channel_valid CHECK (channel IN ('phone', 'in_person')),
    CONSTRAINT call_transcripts_category_valid CHECK (category IN ('connectivity', 'battery', 'configuration',
        'data_quality', 'hardware_fault', 'installation', 'platform_access', 'billing', 'how_to', 'product_info')),
    CONSTRAINT call_transcripts_priority_valid CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    CONSTRAINT call_transcripts_started_at_iso CHECK (started_at IS datetime(started_at, '+0 seconds')),
    CONSTRAINT call_transcripts_duration_positive CHECK (duration_s > 0),
    CONSTRAINT call_transcripts_devices_not_negative CHECK (devices_affected >= 0),
    CONSTRAINT call_transcripts_flags_boolean CHECK (production_stopped IN (0, 1) AND workaround IN (0, 1))
);

CREATE TABLE device_telemetry (
    case_id           TEXT    NOT NULL,
    ticket_id         TEXT    NOT NULL,
    customer_id       TEXT    NOT NULL,
    device_id         TEXT    NOT NULL,
    product_id        TEXT    NOT NULL,
    role              TEXT    NOT NULL,
    gateway_id        TEXT,
    date              TEXT    NOT NULL,
    firmware_version  TEXT    NOT NULL,
    uplinks_expected  INTEGER NOT NULL,
    uplinks_received  INTEGER NOT NULL,
    rssi_dbm          REAL,
    snr_db            REAL,
    spreading_factor  INTEGER,
    battery_v         REAL,
    PRIMARY KEY (case_id, device_id, date),
    CONSTRAINT device_telemetry_ticket_fk FOREIGN KEY (ticket_id) REFERENCES tickets (ticket_id),
    CONSTRAINT device_telemetry_installed_fk FOREIGN KEY (customer_id, product_id)
        REFERENCES installed_base (customer_id, product_id),
    CONSTRAINT device_telemetry_role_valid CHECK (role IN ('sensor', 'gateway')),
    CONSTRAINT device_telemetry_gateway_for_sensors CHECK ((role = 'sensor') = (gateway_id IS NOT NULL)),
    CONSTRAINT device_telemetry_date_iso CHECK (date IS date(date, '+0 days')),
    CONSTRAINT device_telemetry_received_within_expected CHECK (uplinks_received BETWEEN 0 AND uplinks_expected),
    CONSTRAINT device_telemetry_spreading_factor_valid CHECK (spreading_factor IS NULL
        OR spreading_factor BETWEEN 7 AND 12)
);

-- ---------------------------------------------------------------------------------------------
-- Level 4: qualification, requirements and the pilot
-- ---------------------------------------------------------------------------------------------
-- An empty requirement means nobody has asked yet; upgrades and services have no device scope.
CREATE TABLE discovery (
    opportunity_id        TEXT    NOT NULL PRIMARY KEY,
    updated_date          TEXT    NOT NULL,
    metrics               INTEGER NOT NULL,
    economic_buyer        INTEGER NOT NULL,
    decision_criteria     INTEGER NOT NULL,
    decision_process      INTEGER NOT NULL,
    identify_pain         INTEGER NOT NULL,
    champion              INTEGER NOT NULL,
    competition           INTEGER NOT NULL,
    sites                 INTEGER,
    application           TEXT,
    coldest_c             INTEGER,
    site_area_m2          INTEGER,
    gateway_location      TEXT,
    backhaul              TEXT,
    reporting_interval_s  INTEGER,
    integration           TEXT,
    retention_days        INTEGER,
    audit_trail           INTEGER,
    go_live_working_days  INTEGER,
    sla_max_loss_pct      REAL,
    sla_alarm_p95_s       REAL,
    customer_skills       TEXT,
    pilot                 INTEGER NOT NULL,
    CONSTRAINT discovery_opportunity_fk FOREIGN KEY (opportunity_id) REFERENCES opportunities (opportunity_id),
    CONSTRAINT discovery_updated_date_iso CHECK (updated_date IS date(updated_date, '+0 days')),
    CONSTRAINT discovery_meddicc_scores_valid CHECK (
        metrics BETWEEN 0 AND 2 AND economic_buyer BETWEEN 0 AND 2 AND decision_criteria BETWEEN 0 AND 2 AND
        decision_process BETWEEN 0 AND 2 AND identify_pain BETWEEN 0 AND 2 AND champion BETWEEN 0 AND 2 AND
        competition BETWEEN 0 AND 2),
    CONSTRAINT discovery_sites_positive CHECK (sites IS NULL OR sites >= 1),
    CONSTRAINT discovery_application_valid CHECK (application IS NULL OR application IN ('air_quality',
        'asset_tracking', 'cold_chain', 'door', 'energy', 'humidity', 'leak', 'pressure', 'pulse', 'tank_level',
        'temperature', 'vibration')),
    CONSTRAINT discovery_site_area_positive CHECK (site_area_m2 IS NULL OR site_area_m2 > 0),
    CONSTRAINT discovery_gateway_location_valid CHECK (gateway_location IS NULL
        OR gateway_location IN ('indoor', 'outdoor')),
    CONSTRAINT discovery_backhaul_valid CHECK (backhaul IS NULL OR backhaul IN ('ethernet', 'wifi', 'cellular_only')),
    CONSTRAINT discovery_reporting_interval_positive CHECK (reporting_interval_s IS NULL OR reporting_interval_s > 0),
    CONSTRAINT discovery_integration_valid CHECK (integration IS NULL OR integration IN ('none', 'mqtt', 'scada', 'erp')),
    CONSTRAINT discovery_retention_positive CHECK (retention_days IS NULL OR retention_days > 0),
    CONSTRAINT discovery_audit_trail_bool CHECK (audit_trail IS NULL OR audit_trail IN (0, 1)),
    CONSTRAINT discovery_go_live_positive CHECK (go_live_working_days IS NULL OR go_live_working_days > 0),
    CONSTRAINT discovery_sla_max_loss_pct_range CHECK (sla_max_loss_pct IS NULL OR sla_max_loss_pct BETWEEN 0 AND 100),
    CONSTRAINT discovery_sla_alarm_p95_positive CHECK (sla_alarm_p95_s IS NULL OR sla_alarm_p95_s > 0),
    CONSTRAINT discovery_customer_skills_valid CHECK (customer_skills IS NULL
        OR customer_skills IN ('low', 'medium', 'high')),
    CONSTRAINT discovery_pilot_bool CHECK (pilot IN (0, 1))
);
-- At most one opportunity ran the pilot (the Level 4 case study).
CREATE UNIQUE INDEX discovery_one_pilot ON discovery (pilot) WHERE pilot = 1;

CREATE TABLE pilot_telemetry (
    opportunity_id           TEXT    NOT NULL,
    site                     TEXT    NOT NULL,
    gateway_id               TEXT    NOT NULL,
    product_id               TEXT    NOT NULL,
    firmware_version         TEXT    NOT NULL,
    backhaul                 TEXT    NOT NULL,
    sensors                  INTEGER NOT NULL,
    hour                     TEXT    NOT NULL,
    uplinks_expected         INTEGER NOT NULL,
    uplinks_received         INTEGER NOT NULL,
    alarm_bursts             INTEGER NOT NULL,
    peak_uplinks_per_second  INTEGER NOT NULL,
    PRIMARY KEY (gateway_id, hour),
    CONSTRAINT pilot_telemetry_discovery_fk FOREIGN KEY (opportunity_id) REFERENCES discovery (opportunity_id),
    CONSTRAINT pilot_telemetry_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT pilot_telemetry_product_is_gateway CHECK (product_id GLOB 'GW-?*'),
    CONSTRAINT pilot_telemetry_backhaul_valid CHECK (backhaul IN ('ethernet', 'wifi')),
    CONSTRAINT pilot_telemetry_sensors_positive CHECK (sensors > 0),
    CONSTRAINT pilot_telemetry_hour_iso CHECK (hour IS datetime(hour, '+0 seconds')),
    CONSTRAINT pilot_telemetry_hour_on_the_hour CHECK (substr(hour, 15) = '00:00'),
    CONSTRAINT pilot_telemetry_received_within_expected CHECK (uplinks_received BETWEEN 0 AND uplinks_expected),
    CONSTRAINT pilot_telemetry_bursts_not_negative CHECK (alarm_bursts >= 0),
    CONSTRAINT pilot_telemetry_peak_within_expected CHECK (peak_uplinks_per_second BETWEEN 0 AND uplinks_expected)
);

-- ---------------------------------------------------------------------------------------------
-- Level 6: the phone queue and the investment proposals
-- ---------------------------------------------------------------------------------------------
-- One row per hour the Service Desk line is open: Mon-Fri, hours starting 08:00 ... 17:00.
CREATE TABLE phone_calls (
    interval_start       TEXT    NOT NULL PRIMARY KEY,
    calls_offered        INTEGER NOT NULL,
    calls_answered       INTEGER NOT NULL,
    abandoned            INTEGER NOT NULL,
    answered_within_20s  INTEGER NOT NULL,
    aht_seconds          REAL,
    agents_logged_in     INTEGER NOT NULL,
    phone_tickets        INTEGER NOT NULL,
    CONSTRAINT phone_calls_interval_start_iso CHECK (interval_start IS datetime(interval_start, '+0 seconds')),
    CONSTRAINT phone_calls_interval_in_opening_hours CHECK (substr(interval_start, 15) = '00:00'
        AND substr(interval_start, 12, 2) BETWEEN '08' AND '17'
        AND strftime('%w', interval_start) BETWEEN '1' AND '5'),
    CONSTRAINT phone_calls_offered_is_answered_plus_abandoned CHECK (calls_answered >= 0 AND abandoned >= 0
        AND calls_offered = calls_answered + abandoned),
    CONSTRAINT phone_calls_within_20s_of_answered CHECK (answered_within_20s BETWEEN 0 AND calls_answered),
    CONSTRAINT phone_calls_tickets_of_answered CHECK (phone_tickets BETWEEN 0 AND calls_answered),
    CONSTRAINT phone_calls_aht_iff_answered CHECK ((aht_seconds IS NOT NULL) = (calls_answered > 0)
                                                   AND (aht_seconds IS NULL OR aht_seconds > 0)),
    CONSTRAINT phone_calls_agents_not_negative CHECK (agents_logged_in >= 0)
);

CREATE TABLE proposals (
    proposal_id       TEXT    NOT NULL PRIMARY KEY,
    title             TEXT    NOT NULL UNIQUE,
    sponsor_team      TEXT    NOT NULL,
    sponsor_agent_id  TEXT    NOT NULL,
    summary           TEXT    NOT NULL,
    benefit_basis     TEXT    NOT NULL,
    objectives        TEXT    NOT NULL,
    delivery_months   INTEGER NOT NULL,
    submitted_date    TEXT    NOT NULL,
    CONSTRAINT proposals_sponsor_fk FOREIGN KEY (sponsor_agent_id) REFERENCES agents (agent_id),
    CONSTRAINT proposals_sponsor_team_valid CHECK (sponsor_team IN ('Service Desk', 'Technical Support',
        'Field Engineering', 'Product Engineering', 'Presales', 'Account Management', 'Billing')),
    CONSTRAINT proposals_text_not_blank CHECK (length(trim(title)) > 0 AND length(trim(summary)) > 0
                                               AND length(trim(benefit_basis)) > 0),
    -- ids of ssup.strategy.OBJECTIVES (O1 ... O4), separated by ';'
    CONSTRAINT proposals_objectives_format CHECK (objectives GLOB 'O[1-4]' OR objectives GLOB 'O[1-4];O[1-4]'
        OR objectives GLOB 'O[1-4];O[1-4];O[1-4]' OR objectives GLOB 'O[1-4];O[1-4];O[1-4];O[1-4]'),
    CONSTRAINT proposals_delivery_months_positive CHECK (delivery_months > 0),
    CONSTRAINT proposals_submitted_date_iso CHECK (submitted_date IS date(submitted_date, '+0 days'))
);

CREATE TABLE proposal_cashflows (
    proposal_id       TEXT    NOT NULL,
    year              INTEGER NOT NULL,
    capital_gbp       REAL    NOT NULL,
    running_cost_gbp  REAL    NOT NULL,
    benefit_gbp       REAL    NOT NULL,
    PRIMARY KEY (proposal_id, year),
    CONSTRAINT proposal_cashflows_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (proposal_id),
    CONSTRAINT proposal_cashflows_year_range CHECK (year BETWEEN 0 AND 5),
    CONSTRAINT proposal_cashflows_amounts_not_negative CHECK (capital_gbp >= 0 AND running_cost_gbp >= 0
                                                              AND benefit_gbp >= 0)
);

CREATE TABLE proposal_risks (
    risk_id      TEXT NOT NULL PRIMARY KEY,
    proposal_id  TEXT NOT NULL,
    risk         TEXT NOT NULL,
    probability  REAL NOT NULL,
    impact_gbp   REAL NOT NULL,
    mitigation   TEXT NOT NULL,
    CONSTRAINT proposal_risks_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (proposal_id),
    CONSTRAINT proposal_risks_text_not_blank CHECK (length(trim(risk)) > 0 AND length(trim(mitigation)) > 0),
    CONSTRAINT proposal_risks_probability_range CHECK (probability BETWEEN 0 AND 1),
    CONSTRAINT proposal_risks_impact_not_negative CHECK (impact_gbp >= 0)
);

-- ---------------------------------------------------------------------------------------------
-- Level 5: what the sales-support manager reviews, plans and signs off
-- The flaws the reviews must find (three-point estimates out of order, wrong cost arithmetic,
-- go-live too soon, unknown predecessors, missing owners, self sign-off, ...) are deliberate:
-- these tables do NOT forbid them, only records that cannot exist at all.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE advice_reviews (
    review_id      TEXT    NOT NULL PRIMARY KEY,
    record_type    TEXT    NOT NULL,
    record_id      TEXT    NOT NULL,
    advisor_id     TEXT    NOT NULL,
    record_week    TEXT    NOT NULL,
    reviewed_date  TEXT    NOT NULL,
    reviewer_id    TEXT    NOT NULL,
    accurate       INTEGER NOT NULL,
    fits_need      INTEGER NOT NULL,
    complete       INTEGER NOT NULL,
    next_steps     INTEGER NOT NULL,
    recorded       INTEGER NOT NULL,
    finding        TEXT,
    -- record_id is tickets.ticket_id or opportunities.opportunity_id, by record_type: no single FK can say so.
    CONSTRAINT advice_reviews_advisor_fk FOREIGN KEY (advisor_id) REFERENCES agents (agent_id),
    CONSTRAINT advice_reviews_reviewer_fk FOREIGN KEY (reviewer_id) REFERENCES agents (agent_id),
    CONSTRAINT advice_reviews_one_review_per_record UNIQUE (record_type, record_id),
    CONSTRAINT advice_reviews_record_type_valid CHECK (record_type IN ('ticket', 'bid')),
    CONSTRAINT advice_reviews_record_id_matches_type CHECK (
        (record_type = 'ticket' AND record_id GLOB 'TKT-?*') OR (record_type = 'bid' AND record_id GLOB 'OPP-?*')),
    CONSTRAINT advice_reviews_reviewer_not_advisor CHECK (reviewer_id <> advisor_id),
    CONSTRAINT advice_reviews_record_week_iso CHECK (record_week IS date(record_week, '+0 days')),
    CONSTRAINT advice_reviews_record_week_monday CHECK (strftime('%w', record_week) = '1'),
    CONSTRAINT advice_reviews_reviewed_date_iso CHECK (reviewed_date IS date(reviewed_date, '+0 days')),
    CONSTRAINT advice_reviews_reviewed_after_week_start CHECK (reviewed_date >= record_week),
    CONSTRAINT advice_reviews_criteria_bool CHECK (accurate IN (0, 1) AND fits_need IN (0, 1) AND complete IN (0, 1)
                                                   AND next_steps IN (0, 1) AND recorded IN (0, 1)),
    CONSTRAINT advice_reviews_finding_iff_criterion_failed CHECK (
        (finding IS NULL) = (accurate + fits_need + complete + next_steps + recorded = 5)
        AND (finding IS NULL OR length(trim(finding)) > 0))
);

CREATE TABLE draft_estimates (
    estimate_id           TEXT    NOT NULL PRIMARY KEY,
    opportunity_id        TEXT    NOT NULL UNIQUE,
    customer_id           TEXT    NOT NULL,
    project_type          TEXT    NOT NULL,
    sites                 INTEGER NOT NULL,
    devices               INTEGER NOT NULL,
    estimator_id          TEXT    NOT NULL,
    optimistic_days       REAL    NOT NULL,
    most_likely_days      REAL    NOT NULL,
    pessimistic_days      REAL    NOT NULL,
    effort_days           REAL    NOT NULL,
    contingency_pct       REAL    NOT NULL,
    travel_gbp            REAL    NOT NULL,
    cost_gbp              REAL    NOT NULL,
    start_date            TEXT    NOT NULL,
    go_live_date          TEXT    NOT NULL,
    assumptions_recorded  INTEGER NOT NULL,
    risks_recorded        INTEGER NOT NULL,
    CONSTRAINT draft_estimates_opportunity_fk FOREIGN KEY (opportunity_id, customer_id)
        REFERENCES opportunities (opportunity_id, customer_id),
    CONSTRAINT draft_estimates_estimator_fk FOREIGN KEY (estimator_id) REFERENCES agents (agent_id),
    CONSTRAINT draft_estimates_project_type_valid CHECK (project_type IN ('standard_install', 'retrofit',
        'integration_heavy', 'multi_site_rollout', 'pilot')),
    CONSTRAINT draft_estimates_sites_positive CHECK (sites >= 1),
    CONSTRAINT draft_estimates_devices_not_negative CHECK (devices >= 0),
    -- Deliberately NO check that optimistic <= most likely <= pessimistic, nor of the cost arithmetic:
    -- finding those mistakes is the estimate review's job (ssup.calibration).
    CONSTRAINT draft_estimates_days_positive CHECK (optimistic_days > 0 AND most_likely_days > 0
                                                    AND pessimistic_days > 0 AND effort_days > 0),
    CONSTRAINT draft_estimates_money_not_negative CHECK (contingency_pct >= 0 AND travel_gbp >= 0 AND cost_gbp >= 0),
    CONSTRAINT draft_estimates_start_date_iso CHECK (start_date IS date(start_date, '+0 days')),
    CONSTRAINT draft_estimates_go_live_date_iso CHECK (go_live_date IS date(go_live_date, '+0 days')),
    CONSTRAINT draft_estimates_go_live_not_before_start CHECK (go_live_date >= start_date),
    CONSTRAINT draft_estimates_assumptions_bool CHECK (assumptions_recorded IN (0, 1)),
    CONSTRAINT draft_estimates_risks_not_negative CHECK (risks_recorded >= 0)
);

-- predecessors is a comma-separated list of task ids that ssup.plan reads as it is (no FK: an unknown
-- predecessor is one of the plan mistakes to find).
CREATE TABLE draft_plan_tasks (
    estimate_id   TEXT NOT NULL,
    task          TEXT NOT NULL,
    name          TEXT NOT NULL,
    duration      REAL NOT NULL,
    effort_days   REAL NOT NULL,
    predecessors  TEXT,
    owner_id      TEXT,
    PRIMARY KEY (estimate_id, task),
    CONSTRAINT draft_plan_tasks_estimate_fk FOREIGN KEY (estimate_id) REFERENCES draft_estimates (estimate_id),
    CONSTRAINT draft_plan_tasks_owner_fk FOREIGN KEY (owner_id) REFERENCES agents (agent_id),
    CONSTRAINT draft_plan_tasks_task_id_format CHECK (task GLOB 'T[0-9]*'),
    CONSTRAINT draft_plan_tasks_name_not_blank CHECK (length(trim(name)) > 0),
    CONSTRAINT draft_plan_tasks_duration_not_negative CHECK (duration >= 0),
    CONSTRAINT draft_plan_tasks_effort_not_negative CHECK (effort_days >= 0)
);

CREATE TABLE presales_capacity (
    agent_id        TEXT NOT NULL,
    week_start      TEXT NOT NULL,
    available_days  REAL NOT NULL,
    reason          TEXT,
    PRIMARY KEY (agent_id, week_start),
    CONSTRAINT presales_capacity_agent_fk FOREIGN KEY (agent_id) REFERENCES agents (agent_id),
    CONSTRAINT presales_capacity_week_start_iso CHECK (week_start IS date(week_start, '+0 days')),
    CONSTRAINT presales_capacity_week_start_monday CHECK (strftime('%w', week_start) = '1'),
    CONSTRAINT presales_capacity_days_in_week CHECK (available_days BETWEEN 0 AND 5),
    CONSTRAINT presales_capacity_reason_valid CHECK (reason IS NULL
        OR reason IN ('annual leave', 'training', 'team lead duties'))
);

CREATE TABLE bid_pipeline (
    opportunity_id       TEXT    NOT NULL PRIMARY KEY,
    work                 TEXT    NOT NULL,
    presales_days        REAL    NOT NULL,
    due_date             TEXT    NOT NULL,
    strategic_fit        INTEGER NOT NULL,
    win_chance           INTEGER NOT NULL,
    technical_fit        INTEGER NOT NULL,
    deal_size            INTEGER NOT NULL,
    delivery_confidence  INTEGER NOT NULL,
    CONSTRAINT bid_pipeline_opportunity_fk FOREIGN KEY (opportunity_id) REFERENCES opportunities (opportunity_id),
    CONSTRAINT bid_pipeline_work_valid CHECK (work IN ('bid_response', 'solution_design', 'integration_design')),
    CONSTRAINT bid_pipeline_presales_days_positive CHECK (presales_days > 0),
    CONSTRAINT bid_pipeline_due_date_iso CHECK (due_date IS date(due_date, '+0 days')),
    CONSTRAINT bid_pipeline_scores_1_to_5 CHECK (strategic_fit BETWEEN 1 AND 5 AND win_chance BETWEEN 1 AND 5
        AND technical_fit BETWEEN 1 AND 5 AND deal_size BETWEEN 1 AND 5 AND delivery_confidence BETWEEN 1 AND 5)
);

CREATE TABLE bid_requirements (
    opportunity_id  TEXT    NOT NULL,
    requirement_id  TEXT    NOT NULL,
    section         TEXT    NOT NULL,
    mandatory       INTEGER NOT NULL,
    requirement     TEXT    NOT NULL,
    compliance      TEXT,
    response        TEXT,
    PRIMARY KEY (opportunity_id, requirement_id),
    CONSTRAINT bid_requirements_opportunity_fk FOREIGN KEY (opportunity_id)
        REFERENCES opportunities (opportunity_id),
    CONSTRAINT bid_requirements_requirement_id_format CHECK (requirement_id GLOB 'R[0-9][0-9]*'),
    CONSTRAINT bid_requirements_section_valid CHECK (section IN ('Executive summary', 'Technical solution',
        'Delivery plan', 'Commercial', 'Support and service levels')),
    CONSTRAINT bid_requirements_mandatory_bool CHECK (mandatory IN (0, 1)),
    CONSTRAINT bid_requirements_requirement_not_blank CHECK (length(trim(requirement)) > 0),
    CONSTRAINT bid_requirements_compliance_valid CHECK (compliance IS NULL
        OR compliance IN ('full', 'partial', 'none')),
    CONSTRAINT bid_requirements_answered_together CHECK ((compliance IS NULL) = (response IS NULL))
);

CREATE TABLE bid_sections (
    opportunity_id      TEXT    NOT NULL,
    section             TEXT    NOT NULL,
    author_id           TEXT    NOT NULL,
    devices_stated      INTEGER,
    gateways_stated     INTEGER,
    effort_days_stated  REAL,
    price_gbp_stated    REAL,
    signed_off_by       TEXT,
    signed_off_date     TEXT,
    PRIMARY KEY (opportunity_id, section),
    CONSTRAINT bid_sections_opportunity_fk FOREIGN KEY (opportunity_id) REFERENCES opportunities (opportunity_id),
    CONSTRAINT bid_sections_author_fk FOREIGN KEY (author_id) REFERENCES agents (agent_id),
    CONSTRAINT bid_sections_signed_off_by_fk FOREIGN KEY (signed_off_by) REFERENCES agents (agent_id),
    CONSTRAINT bid_sections_section_valid CHECK (section IN ('Executive summary', 'Technical solution',
        'Delivery plan', 'Commercial', 'Support and service levels')),
    CONSTRAINT bid_sections_figures_not_negative CHECK ((devices_stated IS NULL OR devices_stated >= 0)
        AND (gateways_stated IS NULL OR gateways_stated >= 0)
        AND (effort_days_stated IS NULL OR effort_days_stated >= 0)
        AND (price_gbp_stated IS NULL OR price_gbp_stated >= 0)),
    -- Deliberately NO check that signed_off_by <> author_id: a self sign-off is a quality-gate finding.
    CONSTRAINT bid_sections_signed_off_date_iso CHECK (signed_off_date IS date(signed_off_date, '+0 days')),
    CONSTRAINT bid_sections_sign_off_complete CHECK ((signed_off_by IS NULL) = (signed_off_date IS NULL))
);

-- ---------------------------------------------------------------------------------------------
-- Tables trainees write to (no CSV: created empty)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE inquiries (
    inquiry_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at  TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    contact_id   TEXT,
    channel      TEXT NOT NULL,
    product_id   TEXT,
    category     TEXT NOT NULL,
    question     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open',
    answered_by  TEXT,
    CONSTRAINT inquiries_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
    CONSTRAINT inquiries_contact_fk FOREIGN KEY (contact_id) REFERENCES contacts (contact_id),
    CONSTRAINT inquiries_contact_of_customer_fk FOREIGN KEY (contact_id, customer_id)
        REFERENCES contacts (contact_id, customer_id),
    CONSTRAINT inquiries_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id),
    CONSTRAINT inquiries_answered_by_fk FOREIGN KEY (answered_by) REFERENCES agents (agent_id),
    CONSTRAINT inquiries_received_at_iso CHECK (received_at IS datetime(received_at, '+0 seconds')),
    CONSTRAINT inquiries_channel_valid CHECK (channel IN ('phone', 'email', 'in_person', 'portal')),
    CONSTRAINT inquiries_category_valid CHECK (category IN ('connectivity', 'battery', 'configuration', 'data_quality',
        'hardware_fault', 'installation', 'platform_access', 'billing', 'how_to', 'product_info')),
    CONSTRAINT inquiries_question_length CHECK (length(trim(question)) BETWEEN 10 AND 2000),
    CONSTRAINT inquiries_status_valid CHECK (status IN ('open', 'answered', 'escalated'))
);

CREATE TABLE escalations (
    escalation_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    inquiry_id     INTEGER,
    ticket_id      TEXT,
    team           TEXT NOT NULL,
    priority       TEXT NOT NULL,
    handover_note  TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CONSTRAINT escalations_inquiry_fk FOREIGN KEY (inquiry_id) REFERENCES inquiries (inquiry_id),
    CONSTRAINT escalations_ticket_fk FOREIGN KEY (ticket_id) REFERENCES tickets (ticket_id),
    CONSTRAINT escalations_created_by_fk FOREIGN KEY (created_by) REFERENCES agents (agent_id),
    CONSTRAINT escalations_exactly_one_source CHECK ((inquiry_id IS NULL) + (ticket_id IS NULL) = 1),
    CONSTRAINT escalations_team_valid CHECK (team IN ('Technical Support', 'Field Engineering', 'Product Engineering',
                                                      'Presales', 'Account Management', 'Billing')),
    CONSTRAINT escalations_priority_valid CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    CONSTRAINT escalations_handover_note_length CHECK (length(trim(handover_note)) >= 40),
    CONSTRAINT escalations_created_at_iso CHECK (created_at IS datetime(created_at, '+0 seconds'))
);

COMMIT;
