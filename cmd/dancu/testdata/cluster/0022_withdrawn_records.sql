-- 0022_withdrawn_records.sql
CREATE TABLE IF NOT EXISTS withdrawn_records ON CLUSTER dancu
(
    record_id String,
    withdrawal_id String,
    batch String,
    replaces String,
    user String,
    withdrawn_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/withdrawn_records', '{replica}')
ORDER BY record_id;

CREATE VIEW IF NOT EXISTS records_in_force ON CLUSTER dancu AS
SELECT *
FROM records FINAL
WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records);


