-- Coverage, eighth step: the records' deltas come from the registry
-- (issue 11 point 6), as the persons' have since 0013.
--
-- Until now three views on every insert into records looked each record
-- up in record_state FINAL, compared the two, wrote the changed states
-- back and added ±1 deltas to coverage_records: with the persons' views
-- gone (0013), the largest part of what coverage cost the load stage
-- (about 15–40 ms per view and insert, and the state rows of every changed
-- record). The identity registry sees every record the match stage links,
-- so it keeps the coverage state it last emitted per record and emits the
-- records' deltas of each batch summed by unit, source kind, source month
-- and load month (schemas.RecordDelta; registry/coverage_deltas.go): a few
-- hundred rows a batch for collecting units' lists. The load stage inserts
-- them here; the view below only adds them up.
--
-- Idempotence: each row carries (batch, seq), deterministic for the
-- registry batch that emitted it; record_delta_keys remembers the ones
-- inserted and the load stage (pipelines.ClickHouseSink) drops the rows
-- already there before inserting, so a replayed message, a re-flushed
-- batch, or a batch's rows the registry emits again (when one of its
-- records is delivered again, in case that batch's output was lost)
-- count once. A legacy row (old_known = 0, a record the registry knew
-- before it kept records' states) is compared in the load stage with
-- record_state, which the dropped views kept and which stays as it is now:
-- the state last counted for every record loaded before this migration.
--
-- record_deltas is a Null table of plain String columns: the load stage
-- sends it a block per flush, and a LowCardinality column there would be
-- dictionary-encoded by the client for nothing (coverage_records, which
-- keeps the rows, has its LowCardinality columns).
--
-- Rows inserted into records by anything else than the load stage no
-- longer reach coverage_records; coverage.Rebuild recomputes it from
-- records FINAL (and record_state with it). Existing aggregates stay as
-- they are: nothing to refill.
DROP VIEW IF EXISTS record_changes_mv;

DROP VIEW IF EXISTS record_state_mv;

DROP VIEW IF EXISTS coverage_records_mv;

DROP TABLE IF EXISTS record_changes;

CREATE TABLE IF NOT EXISTS record_deltas
(
    batch String,
    seq UInt32,
    record_id String,
    old_known UInt16,
    province_code String,
    district_code String,
    commune_code String,
    new_province_code String,
    new_commune_code String,
    source_kind String,
    source_month Date32,
    load_month Date,
    added UInt32,
    removed UInt32,
    added_with_id UInt32,
    removed_with_id UInt32,
    added_cmnd_only UInt32,
    removed_cmnd_only UInt32
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS record_delta_keys
(
    batch String,
    seq UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (batch, seq);

CREATE MATERIALIZED VIEW IF NOT EXISTS record_delta_keys_mv TO record_delta_keys AS
SELECT batch, seq
FROM record_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_deltas_mv TO coverage_records AS
SELECT
    province_code,
    district_code,
    commune_code,
    new_province_code,
    new_commune_code,
    source_kind,
    source_month,
    load_month,
    toInt64(added) - toInt64(removed) AS records,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id,
    toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS cmnd_only
FROM record_deltas;
