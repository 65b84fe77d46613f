-- Merges and splits of persons, written by the load stage from the
-- registry's person events (schemas.PersonEvent), so that an analyst can
-- follow any person id through later merges and splits.
CREATE TABLE IF NOT EXISTS person_events
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
ENGINE = ReplacingMergeTree(version)
ORDER BY (person_id, event_id);
