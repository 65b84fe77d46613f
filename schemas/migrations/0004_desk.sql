-- The review desk (dancu serve): accounts, sessions, the audit log and
-- review decisions. Users and sessions are ReplacingMergeTree rows whose
-- latest version wins (a disabled user or an ended session is a new
-- version); the audit log and decisions are append-only MergeTree tables:
-- nothing in dancu updates or deletes their rows.
CREATE TABLE IF NOT EXISTS users
(
    username String,
    password_hash String,
    role LowCardinality(String),
    provinces Array(String),
    disabled Bool,
    version UInt64,
    updated_at DateTime64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY username;

-- token_hash is the SHA-256 of the session cookie: the table never holds a
-- usable token.
CREATE TABLE IF NOT EXISTS sessions
(
    token_hash String,
    username String,
    csrf_token String,
    created_at DateTime64(3),
    expires_at DateTime64(3),
    ended Bool,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY token_hash;

-- provinces: the conflict's provinces for actions on a conflict, else the
-- user's; a provincial auditor reads the entries of their provinces.
CREATE TABLE IF NOT EXISTS audit_log
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
ENGINE = MergeTree
ORDER BY (at, username);

CREATE TABLE IF NOT EXISTS decisions
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
ENGINE = MergeTree
ORDER BY (conflict_id, decided_at);

-- Reassignments by supervisors (append-only; the latest row per conflict
-- names who it is assigned to).
CREATE TABLE IF NOT EXISTS assignments
(
    conflict_id String,
    assignee String,
    assigned_by String,
    assigned_at DateTime64(3)
)
ENGINE = MergeTree
ORDER BY (conflict_id, assigned_at);
