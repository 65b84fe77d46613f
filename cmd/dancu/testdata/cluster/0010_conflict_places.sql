-- 0010_conflict_places.sql
CREATE TABLE IF NOT EXISTS conflict_places ON CLUSTER dancu
(
    conflict_id String,
    version UInt64,
    province_codes Array(String),
    district_codes Array(String),
    computed_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/conflict_places', '{replica}', version)
ORDER BY conflict_id;


