-- 0013_coverage_person_deltas.sql
DROP VIEW IF EXISTS person_changes_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_state_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_persons_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_children_mv ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS person_changes ON CLUSTER dancu SYNC;

CREATE TABLE IF NOT EXISTS person_deltas_local ON CLUSTER dancu
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

CREATE TABLE IF NOT EXISTS person_deltas ON CLUSTER dancu AS person_deltas_local
ENGINE = Distributed(dancu, currentDatabase(), person_deltas_local, cityHash64(person_id));

CREATE TABLE IF NOT EXISTS person_delta_keys_local ON CLUSTER dancu
(
    batch String,
    seq UInt32
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/person_delta_keys_local', '{replica}')
ORDER BY (batch, seq);

CREATE TABLE IF NOT EXISTS person_delta_keys ON CLUSTER dancu AS person_delta_keys_local
ENGINE = Distributed(dancu, currentDatabase(), person_delta_keys_local, cityHash64(batch));

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_keys_mv ON CLUSTER dancu TO person_delta_keys_local AS
SELECT batch, seq
FROM person_deltas_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_state_mv ON CLUSTER dancu TO person_state_local AS
SELECT person_id, version, toUInt8(living) AS living, province_code, commune_code, new_province_code, new_commune_code,
       toUInt8(has_id) AS has_id, toUInt8(cmnd_only) AS cmnd_only, birth_year
FROM person_deltas_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_persons_local AS
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
    FROM person_deltas_local
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_has_id, old_cmnd_only)
    ] AS d
    WHERE d.1 != 0
)
GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv ON CLUSTER dancu TO coverage_children_local AS
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
    FROM person_deltas_local
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
    WHERE d.1 != 0 AND d.6 > 0
)
GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;


