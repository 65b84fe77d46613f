-- 0008_coverage_children.sql
DROP VIEW IF EXISTS coverage_persons_mv ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_persons ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS coverage_persons_local ON CLUSTER dancu SYNC;

CREATE TABLE IF NOT EXISTS coverage_persons_local ON CLUSTER dancu
(
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    change_month Date,
    persons Int64,
    with_id Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_persons_local', '{replica}')
ORDER BY (province_code, commune_code, new_province_code, new_commune_code, change_month);

CREATE TABLE IF NOT EXISTS coverage_persons ON CLUSTER dancu AS coverage_persons_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_persons_local, rand());

CREATE TABLE IF NOT EXISTS coverage_children_local ON CLUSTER dancu
(
    birth_year UInt16,
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    change_month Date,
    persons Int64,
    with_id Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_children_local', '{replica}')
ORDER BY (birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month);

CREATE TABLE IF NOT EXISTS coverage_children ON CLUSTER dancu AS coverage_children_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_children_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_persons_local AS
SELECT
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    toInt64(d.1) AS persons,
    toInt64(d.1) * d.7 AS with_id
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
)
WHERE d.1 != 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv ON CLUSTER dancu TO coverage_children_local AS
SELECT
    d.6 AS birth_year,
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    toInt64(d.1) AS persons,
    toInt64(d.1) * d.7 AS with_id
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
)
WHERE d.1 != 0 AND d.6 > 0;

TRUNCATE TABLE person_state_local ON CLUSTER dancu;

-- existing data only: on one replica of each shard run
-- INSERT INTO persons_local SELECT * FROM persons_local FINAL;


