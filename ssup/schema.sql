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
