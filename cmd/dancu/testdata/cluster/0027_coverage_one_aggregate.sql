-- 0027_coverage_one_aggregate.sql
CREATE TABLE IF NOT EXISTS coverage_sums_local ON CLUSTER dancu
(
    kind UInt8,
    birth_year UInt16,
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    source_kind LowCardinality(String),
    source_month Date32,
    month Date,
    n Int64,
    with_id Int64,
    cmnd_only Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_sums_local', '{replica}', (n, with_id, cmnd_only))
ORDER BY (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, month)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS coverage_sums ON CLUSTER dancu AS coverage_sums_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_sums_local, rand());

CREATE TABLE IF NOT EXISTS coverage_deltas_local ON CLUSTER dancu
(
    kind UInt16,
    batch String,
    seq UInt32,
    province_code String,
    district_code String,
    commune_code String,
    new_province_code String,
    new_commune_code String,
    source_kind String,
    source_month Date32,
    birth_year UInt16,
    month Date,
    added UInt32,
    removed UInt32,
    added_with_id UInt32,
    removed_with_id UInt32,
    added_cmnd_only UInt32,
    removed_cmnd_only UInt32
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS coverage_deltas ON CLUSTER dancu AS coverage_deltas_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_deltas_local, cityHash64(batch));

CREATE TABLE IF NOT EXISTS coverage_delta_keys_local ON CLUSTER dancu
(
    kind UInt8,
    batch String,
    seq UInt32
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_delta_keys_local', '{replica}')
ORDER BY (batch, kind, seq);

CREATE TABLE IF NOT EXISTS coverage_delta_keys ON CLUSTER dancu AS coverage_delta_keys_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_delta_keys_local, cityHash64(batch));

DROP VIEW IF EXISTS record_deltas_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS record_delta_keys_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_delta_sums_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_delta_sums_children_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_delta_sum_keys_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_persons_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_children_mv ON CLUSTER dancu SYNC;

-- existing data only: on one replica of each shard run
-- INSERT INTO coverage_delta_keys_local (kind, batch, seq)
-- SELECT 1, batch, seq FROM record_delta_keys_local FINAL;

-- existing data only: on one replica of each shard run
-- INSERT INTO coverage_delta_keys_local (kind, batch, seq)
-- SELECT 2, batch, seq FROM person_delta_sum_keys_local FINAL;

-- existing data only: on one replica of each shard run
-- INSERT INTO coverage_sums_local (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
--     source_kind, source_month, month, n, with_id, cmnd_only)
-- SELECT 1, 0, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month,
--     sum(records), sum(with_id), sum(cmnd_only)
-- FROM coverage_records_local
-- GROUP BY province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month;

-- existing data only: on one replica of each shard run
-- INSERT INTO coverage_sums_local (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
--     source_kind, source_month, month, n, with_id, cmnd_only)
-- SELECT 2, 0, province_code, '', commune_code, new_province_code, new_commune_code, '', toDate32('1970-01-01'), change_month,
--     sum(persons), sum(with_id), sum(cmnd_only)
-- FROM coverage_persons_local
-- GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

-- existing data only: on one replica of each shard run
-- INSERT INTO coverage_sums_local (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
--     source_kind, source_month, month, n, with_id, cmnd_only)
-- SELECT 3, birth_year, province_code, '', commune_code, new_province_code, new_commune_code, '', toDate32('1970-01-01'), change_month,
--     sum(persons), sum(with_id), 0
-- FROM coverage_children_local
-- GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;

DROP TABLE IF EXISTS record_delta_keys ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS record_delta_keys_local ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS person_delta_sum_keys ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS person_delta_sum_keys_local ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_records ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_records_local ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_persons ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_persons_local ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_children ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_children_local ON CLUSTER dancu SYNC;

CREATE VIEW IF NOT EXISTS coverage_records ON CLUSTER dancu AS
SELECT province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month,
    month AS load_month, n AS records, with_id, cmnd_only
FROM coverage_sums
WHERE kind = 1;

CREATE VIEW IF NOT EXISTS coverage_persons ON CLUSTER dancu AS
SELECT province_code, commune_code, new_province_code, new_commune_code, month AS change_month, n AS persons, with_id, cmnd_only
FROM coverage_sums
WHERE kind = 2;

CREATE VIEW IF NOT EXISTS coverage_children ON CLUSTER dancu AS
SELECT birth_year, province_code, commune_code, new_province_code, new_commune_code, month AS change_month, n AS persons, with_id
FROM coverage_sums
WHERE kind = 3;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_delta_keys_mv ON CLUSTER dancu TO coverage_delta_keys_local AS
SELECT toUInt8(kind) AS kind, batch, seq
FROM coverage_deltas_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_deltas_mv ON CLUSTER dancu TO coverage_sums_local AS
SELECT
    toUInt8(k) AS kind,
    if(k = 3, y, 0) AS birth_year,
    p AS province_code,
    d AS district_code,
    c AS commune_code,
    np AS new_province_code,
    nc AS new_commune_code,
    sk AS source_kind,
    sm AS source_month,
    m AS month,
    x AS n,
    xi AS with_id,
    if(k = 3, 0, xc) AS cmnd_only
FROM
(
    SELECT kind AS kd, birth_year AS y, province_code AS p, district_code AS d, commune_code AS c, new_province_code AS np,
        new_commune_code AS nc, source_kind AS sk, source_month AS sm, month AS m,
        toInt64(added) - toInt64(removed) AS x, toInt64(added_with_id) - toInt64(removed_with_id) AS xi,
        toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS xc
    FROM coverage_deltas_local
)
ARRAY JOIN if(kd = 2 AND y > 0, [2, 3], [kd]) AS k;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_delta_keys_mv ON CLUSTER dancu TO coverage_delta_keys_local AS
SELECT toUInt8(1) AS kind, batch, seq
FROM record_deltas_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_deltas_mv ON CLUSTER dancu TO coverage_sums_local AS
SELECT
    toUInt8(1) AS kind,
    toUInt16(0) AS birth_year,
    province_code,
    district_code,
    commune_code,
    new_province_code,
    new_commune_code,
    source_kind,
    source_month,
    load_month AS month,
    toInt64(added) - toInt64(removed) AS n,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id,
    toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS cmnd_only
FROM record_deltas_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sum_keys_mv ON CLUSTER dancu TO coverage_delta_keys_local AS
SELECT toUInt8(2) AS kind, batch, seq
FROM person_delta_sums_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_mv ON CLUSTER dancu TO coverage_sums_local AS
SELECT
    toUInt8(k) AS kind,
    if(k = 3, y, 0) AS birth_year,
    p AS province_code,
    '' AS district_code,
    c AS commune_code,
    np AS new_province_code,
    nc AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    m AS month,
    x AS n,
    xi AS with_id,
    if(k = 3, 0, xc) AS cmnd_only
FROM
(
    SELECT birth_year AS y, province_code AS p, commune_code AS c, new_province_code AS np, new_commune_code AS nc,
        change_month AS m, toInt64(added) - toInt64(removed) AS x,
        toInt64(added_with_id) - toInt64(removed_with_id) AS xi, toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS xc
    FROM person_delta_sums_local
)
ARRAY JOIN if(y > 0, [2, 3], [2]) AS k;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_sums_local AS
SELECT
    toUInt8(2) AS kind,
    toUInt16(0) AS birth_year,
    d.2 AS province_code,
    '' AS district_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    change_month AS month,
    sum(toInt64(d.1)) AS n,
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

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv ON CLUSTER dancu TO coverage_sums_local AS
SELECT
    toUInt8(3) AS kind,
    d.6 AS birth_year,
    d.2 AS province_code,
    '' AS district_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    change_month AS month,
    sum(toInt64(d.1)) AS n,
    sum(toInt64(d.1) * d.7) AS with_id,
    toInt64(0) AS cmnd_only
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


