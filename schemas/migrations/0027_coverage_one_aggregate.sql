-- Coverage, tenth step: one aggregate for the three, fed by one insert
-- (issue 11 point 6; docs/coverage-speed.md, cov25 and cov26).
--
-- Since 0015–0016 a flush of the load stage inserted the registry's
-- deltas into two Null tables, record_deltas and person_delta_sums, whose
-- five views wrote five parts: two keys tables and coverage_records,
-- coverage_persons, coverage_children. A part costs ~11–18 ms of the
-- engine's CPU whatever its rows (its files: cov25), most of what the
-- deltas cost a flush. Now the load stage sends both kinds in one insert
-- into coverage_deltas (kind 1: a records' row, schemas.RecordDelta; kind
-- 2: a persons' row, schemas.PersonDeltaSum), whose two views write two
-- parts: the keys (coverage_delta_keys, by kind, batch and seq) and the
-- one aggregate, coverage_sums, where each row says which of the three it
-- belongs to (kind 1 records, 2 persons, 3 children: a persons' row with
-- a birth year counts as kind 2 and as kind 3).
--
-- coverage_records, coverage_persons and coverage_children are views over
-- coverage_sums with the columns they had, so that README's SQL, the
-- views coverage_by_province and coverage_by_commune, `dancu coverage` and
-- the analysts' grants read them as before (a view takes no FINAL and no
-- INSERT: the aggregates were never read with FINAL, and the writers —
-- the views below and coverage.Rebuild — write coverage_sums).
--
-- record_deltas and person_delta_sums stay, Null tables as before, with
-- their views now writing coverage_sums and coverage_delta_keys: the load
-- stage falls back to them when the engine refuses a joint insert for its
-- data (to name the refused rows by their kind), and an insert a load
-- process of the version before left unfinished (its pending file, its
-- shared block) is sent to them again after the upgrade. person_deltas
-- (0013), the persons whose old state the load stage reads from
-- person_state, and its views write coverage_sums too.
--
-- Existing aggregates and keys are copied once (below); loads must be
-- stopped while this runs, as for every migration that refills. The
-- summed columns are (n, with_id, cmnd_only): records or persons, those
-- with a 12-digit number, those with only a CMND (0 for children, which
-- had no such column). month is load_month for records, change_month for
-- persons and children; source_month is 1970-01-01 and district_code and
-- source_kind '' on persons' and children's rows, birth_year 0 but on
-- children's.
CREATE TABLE IF NOT EXISTS coverage_sums
(
    kind UInt8,
    birth_year UInt16,
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    source_kind LowCardinality(String),
    source_month Date32,
    month Date,
    n Int64,
    with_id Int64,
    cmnd_only Int64
)
ENGINE = SummingMergeTree((n, with_id, cmnd_only))
ORDER BY (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, month)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS coverage_deltas
(
    kind UInt16,
    batch String,
    seq UInt32,
    province_code String,
    district_code String,
    commune_code String,
    new_province_code String,
    new_commune_code String,
    source_kind String,
    source_month Date32,
    birth_year UInt16,
    month Date,
    added UInt32,
    removed UInt32,
    added_with_id UInt32,
    removed_with_id UInt32,
    added_cmnd_only UInt32,
    removed_cmnd_only UInt32
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS coverage_delta_keys
(
    kind UInt8,
    batch String,
    seq UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (batch, kind, seq);

-- The views that wrote the three aggregates and the two keys tables go
-- first: nothing is written to the old tables while they are copied.
DROP VIEW IF EXISTS record_deltas_mv;

DROP VIEW IF EXISTS record_delta_keys_mv;

DROP VIEW IF EXISTS person_delta_sums_mv;

DROP VIEW IF EXISTS person_delta_sums_children_mv;

DROP VIEW IF EXISTS person_delta_sum_keys_mv;

DROP VIEW IF EXISTS coverage_persons_mv;

DROP VIEW IF EXISTS coverage_children_mv;

-- The backfill: the keys and the three aggregates as they are.
INSERT INTO coverage_delta_keys (kind, batch, seq)
SELECT 1, batch, seq FROM record_delta_keys FINAL;

INSERT INTO coverage_delta_keys (kind, batch, seq)
SELECT 2, batch, seq FROM person_delta_sum_keys FINAL;

INSERT INTO coverage_sums (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
    source_kind, source_month, month, n, with_id, cmnd_only)
SELECT 1, 0, province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month,
    sum(records), sum(with_id), sum(cmnd_only)
FROM coverage_records
GROUP BY province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month;

INSERT INTO coverage_sums (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
    source_kind, source_month, month, n, with_id, cmnd_only)
SELECT 2, 0, province_code, '', commune_code, new_province_code, new_commune_code, '', toDate32('1970-01-01'), change_month,
    sum(persons), sum(with_id), sum(cmnd_only)
FROM coverage_persons
GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

INSERT INTO coverage_sums (kind, birth_year, province_code, district_code, commune_code, new_province_code, new_commune_code,
    source_kind, source_month, month, n, with_id, cmnd_only)
SELECT 3, birth_year, province_code, '', commune_code, new_province_code, new_commune_code, '', toDate32('1970-01-01'), change_month,
    sum(persons), sum(with_id), 0
FROM coverage_children
GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;

DROP TABLE IF EXISTS record_delta_keys;

DROP TABLE IF EXISTS person_delta_sum_keys;

DROP TABLE IF EXISTS coverage_records;

DROP TABLE IF EXISTS coverage_persons;

DROP TABLE IF EXISTS coverage_children;

CREATE VIEW IF NOT EXISTS coverage_records AS
SELECT province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month,
    month AS load_month, n AS records, with_id, cmnd_only
FROM coverage_sums
WHERE kind = 1;

CREATE VIEW IF NOT EXISTS coverage_persons AS
SELECT province_code, commune_code, new_province_code, new_commune_code, month AS change_month, n AS persons, with_id, cmnd_only
FROM coverage_sums
WHERE kind = 2;

CREATE VIEW IF NOT EXISTS coverage_children AS
SELECT birth_year, province_code, commune_code, new_province_code, new_commune_code, month AS change_month, n AS persons, with_id
FROM coverage_sums
WHERE kind = 3;

-- The load stage's insert: both kinds, two parts.
CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_delta_keys_mv TO coverage_delta_keys AS
SELECT toUInt8(kind) AS kind, batch, seq
FROM coverage_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_deltas_mv TO coverage_sums AS
SELECT
    toUInt8(k) AS kind,
    if(k = 3, y, 0) AS birth_year,
    p AS province_code,
    d AS district_code,
    c AS commune_code,
    np AS new_province_code,
    nc AS new_commune_code,
    sk AS source_kind,
    sm AS source_month,
    m AS month,
    x AS n,
    xi AS with_id,
    if(k = 3, 0, xc) AS cmnd_only
FROM
(
    SELECT kind AS kd, birth_year AS y, province_code AS p, district_code AS d, commune_code AS c, new_province_code AS np,
        new_commune_code AS nc, source_kind AS sk, source_month AS sm, month AS m,
        toInt64(added) - toInt64(removed) AS x, toInt64(added_with_id) - toInt64(removed_with_id) AS xi,
        toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS xc
    FROM coverage_deltas
)
ARRAY JOIN if(kd = 2 AND y > 0, [2, 3], [kd]) AS k;

-- The tables of 0015–0016, kept for refused joint inserts and for the
-- inserts an older load process left unfinished.
CREATE MATERIALIZED VIEW IF NOT EXISTS record_delta_keys_mv TO coverage_delta_keys AS
SELECT toUInt8(1) AS kind, batch, seq
FROM record_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_deltas_mv TO coverage_sums AS
SELECT
    toUInt8(1) AS kind,
    toUInt16(0) AS birth_year,
    province_code,
    district_code,
    commune_code,
    new_province_code,
    new_commune_code,
    source_kind,
    source_month,
    load_month AS month,
    toInt64(added) - toInt64(removed) AS n,
    toInt64(added_with_id) - toInt64(removed_with_id) AS with_id,
    toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS cmnd_only
FROM record_deltas;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sum_keys_mv TO coverage_delta_keys AS
SELECT toUInt8(2) AS kind, batch, seq
FROM person_delta_sums;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_delta_sums_mv TO coverage_sums AS
SELECT
    toUInt8(k) AS kind,
    if(k = 3, y, 0) AS birth_year,
    p AS province_code,
    '' AS district_code,
    c AS commune_code,
    np AS new_province_code,
    nc AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    m AS month,
    x AS n,
    xi AS with_id,
    if(k = 3, 0, xc) AS cmnd_only
FROM
(
    SELECT birth_year AS y, province_code AS p, commune_code AS c, new_province_code AS np, new_commune_code AS nc,
        change_month AS m, toInt64(added) - toInt64(removed) AS x,
        toInt64(added_with_id) - toInt64(removed_with_id) AS xi, toInt64(added_cmnd_only) - toInt64(removed_cmnd_only) AS xc
    FROM person_delta_sums
)
ARRAY JOIN if(y > 0, [2, 3], [2]) AS k;

-- person_deltas (0013): the persons the load stage compares with
-- person_state, as before, into coverage_sums.
CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv TO coverage_sums AS
SELECT
    toUInt8(2) AS kind,
    toUInt16(0) AS birth_year,
    d.2 AS province_code,
    '' AS district_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    change_month AS month,
    sum(toInt64(d.1)) AS n,
    sum(toInt64(d.1) * d.6) AS with_id,
    sum(toInt64(d.1) * d.7) AS cmnd_only
FROM
(
    SELECT d, toStartOfMonth(changed_at) AS change_month
    FROM person_deltas
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_has_id, old_cmnd_only)
    ] AS d
    WHERE d.1 != 0
)
GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv TO coverage_sums AS
SELECT
    toUInt8(3) AS kind,
    d.6 AS birth_year,
    d.2 AS province_code,
    '' AS district_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    '' AS source_kind,
    toDate32('1970-01-01') AS source_month,
    change_month AS month,
    sum(toInt64(d.1)) AS n,
    sum(toInt64(d.1) * d.7) AS with_id,
    toInt64(0) AS cmnd_only
FROM
(
    SELECT d, toStartOfMonth(changed_at) AS change_month
    FROM person_deltas
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
    WHERE d.1 != 0 AND d.6 > 0
)
GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;
