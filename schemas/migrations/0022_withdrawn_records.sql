-- A corrected file replaces the one before it (dancu import --replaces):
-- the records of the old file are withdrawn from the register. Record ids
-- are file-scoped, so the corrected file's records are new rows of
-- records; the old rows stay (what was imported stays readable) and
-- withdrawn_records names them, one row per record withdrawn, written by
-- the load stage when the match stage has applied the withdrawal
-- (pipelines.ClickHouseSink). A table beside records rather than a flag
-- on it: records has no version, so a flag written again would be undone
-- by an earlier import of the old file run again, and the mark would have
-- to wait for the record's own row; a mark keyed by record id is
-- idempotent and arrives in any order.
--
-- The load stage also closes the withdrawn records' links (a links row
-- with no person and rule 'withdrawn', the version after the link's) and
-- resolves the open conflicts naming them. The coverage aggregates count
-- records by the registry's deltas, which take withdrawn records away;
-- whoever counts records from records FINAL (coverage.Rebuild, brute-force
-- checks) leaves out those of withdrawn_records, as records_in_force
-- below does: "records" counts a corrected list once.
CREATE TABLE IF NOT EXISTS withdrawn_records
(
    record_id String,
    withdrawal_id String,
    batch String,
    replaces String,
    user String,
    withdrawn_at DateTime64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY record_id;

CREATE VIEW IF NOT EXISTS records_in_force AS
SELECT *
FROM records FINAL
WHERE record_id NOT IN (SELECT record_id FROM withdrawn_records);
