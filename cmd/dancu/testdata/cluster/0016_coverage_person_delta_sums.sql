-- 0016_coverage_person_delta_sums.sql
CREATE TABLE IF NOT EXISTS person_delta_sums_local ON CLUSTER dancu
(
    batch String,
    seq UInt32,
    province_code String,
    commune_code String,
    new_province_code String,
    new_commune_code String,
    birth_year UInt16,
    change_month Date,
    added UInt32,
    removed UInt32,
    added_with_id UInt32,
    removed_with_id UInt32,
    added_cmnd_only UInt32,
    removed_cmnd_only UInt32
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS person_delta_sums ON CLUSTER dancu AS person_delta_sums_local
ENGINE = Distributed(dancu, currentDatabase(), person_delta_sums_local, cityHash64(batch));

CREATE TABLE IF NOT EXISTS person_delta_sum_keys_local ON CLUSTER dancu
(
    batch String,
    seq UInt32
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/person_delta_sum_keys_local', '{replica}')
ORDER BY (batch, seq);

CREATE TABLE IF NOT EXISTS person_delta_sum_keys ON CLUSTER dancu AS person_delta_sum_keys_local
ENGINE = Distributed(dancu, currentDatabase(), person_delta_sum_keys_local, cityHash64(batch));

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sum_keys_mv ON CLUSTER dancu TO person_delta_sum_keys_local AS
SELECT batch, seq
FROM person_delta_sums_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_mv ON CLUSTER dancu TO coverage_persons_local AS
SELECT
    province_code,
    commune_code,
    new_province_code,
    new_commune_code,
    change_month,
    toInt64(added) - toInt64(removed) AS persons,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id,
    toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS cmnd_only
FROM person_delta_sums_local;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_children_mv ON CLUSTER dancu TO coverage_children_local AS
SELECT
    birth_year,
    province_code,
    commune_code,
    new_province_code,
    new_commune_code,
    change_month,
    toInt64(added) - toInt64(removed) AS persons,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id
FROM person_delta_sums_local
WHERE birth_year > 0;


