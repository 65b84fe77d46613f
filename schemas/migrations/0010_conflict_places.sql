-- The review desk: where each conflict is. The queue shows a reviewer
-- the conflicts whose records have an address in their provinces; the
-- provinces and districts of a conflict come from its records, which at
-- a million records made every queue page join all of `records FINAL`
-- (1.8–3.4 s a page, 4.6 s a conflict). The desk fills this table the
-- first time it sees a conflict's version (web/store: the conflict's
-- records, read by their key) and pages then read it instead.
CREATE TABLE IF NOT EXISTS conflict_places
(
    conflict_id String,
    version UInt64,
    province_codes Array(String),
    district_codes Array(String),
    computed_at DateTime64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY conflict_id;
