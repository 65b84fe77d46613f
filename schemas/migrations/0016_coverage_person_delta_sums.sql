-- Coverage, ninth step: the persons' deltas summed by unit in the
-- registry (issue 11 point 6), as the records' are since 0015.
--
-- Since 0013 the registry emitted one delta per changed person, and four
-- views on person_deltas wrote person_state, both aggregates and the keys
-- for each of them: in the load stage about as much as the records'
-- views cost. The registry now sums a batch's persons' deltas by unit,
-- birth year and month (schemas.PersonDeltaSum; registry/coverage_deltas.go),
-- keeps each batch's rows, and emits them again whenever the persons
-- they counted come again with a redelivery, in case that batch's output
-- was lost; the load stage inserts each (batch, seq) once
-- (person_delta_sum_keys). The views below only add the rows up.
--
-- person_deltas and its views stay for the deltas whose old state the
-- load stage reads from person_state: persons the registry knew before
-- it kept their coverage state, persons last emitted before this
-- migration and delivered again, and coverage.Rebuild. person_state
-- therefore holds what was counted for those; a person whose state the
-- registry keeps with its batch is never compared with it again.
-- person_delta_sums is a Null table of plain String columns (see 0015).
-- Existing aggregates stay as they are: nothing to refill.
CREATE TABLE IF NOT EXISTS person_delta_sums
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

CREATE TABLE IF NOT EXISTS person_delta_sum_keys
(
    batch String,
    seq UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (batch, seq);

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sum_keys_mv TO person_delta_sum_keys AS
SELECT batch, seq
FROM person_delta_sums;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_mv TO coverage_persons AS
SELECT
    province_code,
    commune_code,
    new_province_code,
    new_commune_code,
    change_month,
    toInt64(added) - toInt64(removed) AS persons,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id,
    toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS cmnd_only
FROM person_delta_sums;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_children_mv TO coverage_children AS
SELECT
    birth_year,
    province_code,
    commune_code,
    new_province_code,
    new_commune_code,
    change_month,
    toInt64(added) - toInt64(removed) AS persons,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id
FROM person_delta_sums
WHERE birth_year > 0;
