-- Coverage, sixth step: the persons' deltas come from the registry
-- (issue 11 point 6).
--
-- Until now a view on every insert into persons de-duplicated the
-- inserted rows, looked each person up in person_state FINAL and compared
-- the two to find what changed: the largest part of what the coverage
-- views cost the load stage. The identity registry already knows what
-- each batch changed of every person it writes (registry/coverage_deltas.go:
-- it keeps the state it last emitted per person), so it emits one delta
-- row per changed person (schemas.PersonDelta: the state after and the
-- state last counted before) and the load stage inserts them here. The
-- views below only sum them: no look-up, no sort.
--
-- Idempotence: each delta carries (batch, seq), deterministic for the
-- registry batch that emitted it; person_delta_keys remembers the ones
-- inserted, and the load stage (pipelines.ClickHouseSink) drops the
-- deltas already there before inserting, so a replayed message or a
-- re-flushed batch counts once. A delta with old_known = 0 (a person
-- counted before its registry kept coverage state) gets its old state from
-- person_state in the load stage.
--
-- Rows inserted into persons by anything else than the load stage no
-- longer reach the aggregates; coverage.Rebuild recomputes them from
-- persons FINAL through person_deltas. Existing aggregates and
-- person_state stay as they are: nothing to refill.
DROP VIEW IF EXISTS person_changes_mv;

DROP VIEW IF EXISTS person_state_mv;

DROP VIEW IF EXISTS coverage_persons_mv;

DROP VIEW IF EXISTS coverage_children_mv;

DROP TABLE IF EXISTS person_changes;

CREATE TABLE IF NOT EXISTS person_deltas
(
    batch String,
    seq UInt32,
    person_id String,
    version UInt64,
    changed_at DateTime64(3),
    living UInt16,
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    has_id UInt16,
    cmnd_only UInt16,
    birth_year UInt16,
    old_known UInt16,
    old_living UInt16,
    old_province_code LowCardinality(String),
    old_commune_code LowCardinality(String),
    old_new_province_code LowCardinality(String),
    old_new_commune_code LowCardinality(String),
    old_has_id UInt16,
    old_cmnd_only UInt16,
    old_birth_year UInt16
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS person_delta_keys
(
    batch String,
    seq UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (batch, seq);

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_keys_mv TO person_delta_keys AS
SELECT batch, seq
FROM person_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_state_mv TO person_state AS
SELECT person_id, version, toUInt8(living) AS living, province_code, commune_code, new_province_code, new_commune_code,
       toUInt8(has_id) AS has_id, toUInt8(cmnd_only) AS cmnd_only, birth_year
FROM person_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv TO coverage_persons AS
SELECT
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    sum(toInt64(d.1)) AS persons,
    sum(toInt64(d.1) * d.6) AS with_id,
    sum(toInt64(d.1) * d.7) AS cmnd_only
FROM
(
    SELECT d, toStartOfMonth(changed_at) AS change_month
    FROM person_deltas
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_has_id, old_cmnd_only)
    ] AS d
    WHERE d.1 != 0
)
GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv TO coverage_children AS
SELECT
    d.6 AS birth_year,
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    sum(toInt64(d.1)) AS persons,
    sum(toInt64(d.1) * d.7) AS with_id
FROM
(
    SELECT d, toStartOfMonth(changed_at) AS change_month
    FROM person_deltas
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
    WHERE d.1 != 0 AND d.6 > 0
)
GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;
