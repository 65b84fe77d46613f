-- 0006_person_events.sql
CREATE TABLE IF NOT EXISTS person_events_local ON CLUSTER dancu
(
    event_id String,
    kind LowCardinality(String),
    person_id String,
    others Array(String),
    records UInt32,
    reason String,
    version UInt64,
    at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/person_events_local', '{replica}', version)
ORDER BY (person_id, event_id);

CREATE TABLE IF NOT EXISTS person_events ON CLUSTER dancu AS person_events_local
ENGINE = Distributed(dancu, currentDatabase(), person_events_local, cityHash64(person_id));


