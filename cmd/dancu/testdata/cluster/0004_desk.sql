-- 0004_desk.sql
CREATE TABLE IF NOT EXISTS users ON CLUSTER dancu
(
    username String,
    password_hash String,
    role LowCardinality(String),
    provinces Array(String),
    disabled Bool,
    version UInt64,
    updated_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/users', '{replica}', version)
ORDER BY username;

CREATE TABLE IF NOT EXISTS sessions ON CLUSTER dancu
(
    token_hash String,
    username String,
    csrf_token String,
    created_at DateTime64(3),
    expires_at DateTime64(3),
    ended Bool,
    version UInt64
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/sessions', '{replica}', version)
ORDER BY token_hash;

CREATE TABLE IF NOT EXISTS audit_log ON CLUSTER dancu
(
    at DateTime64(3),
    username String,
    role LowCardinality(String),
    action LowCardinality(String),
    object_id String,
    detail String,
    remote_addr String,
    provinces Array(String)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/audit_log', '{replica}')
ORDER BY (at, username);

CREATE TABLE IF NOT EXISTS decisions ON CLUSTER dancu
(
    decision_id String,
    conflict_id String,
    conflict_kind LowCardinality(String),
    person_ids Array(String),
    record_ids Array(String),
    decision LowCardinality(String),
    user String,
    role LowCardinality(String),
    note String,
    status_before LowCardinality(String),
    status_after LowCardinality(String),
    decided_at DateTime64(3)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/decisions', '{replica}')
ORDER BY (conflict_id, decided_at);

CREATE TABLE IF NOT EXISTS assignments ON CLUSTER dancu
(
    conflict_id String,
    assignee String,
    assigned_by String,
    assigned_at DateTime64(3)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/assignments', '{replica}')
ORDER BY (conflict_id, assigned_at);


