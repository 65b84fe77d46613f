-- 0012_coverage_cheaper_views.sql
DROP VIEW IF EXISTS record_changes_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS record_state_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_records_mv ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS record_changes ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS record_state ON CLUSTER dancu SYNC;

DROP TABLE IF EXISTS record_state_local ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_changes_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_persons_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_children_mv ON CLUSTER dancu SYNC;

CREATE TABLE IF NOT EXISTS record_state_local ON CLUSTER dancu
(
    file_key UInt64,
    record_id String,
    version UInt64,
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    source_kind LowCardinality(String),
    source_month Date32,
    has_id UInt8,
    cmnd_only UInt8
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/record_state_local', '{replica}', version)
ORDER BY (file_key, record_id)
SETTINGS index_granularity = 1024;

CREATE TABLE IF NOT EXISTS record_state ON CLUSTER dancu AS record_state_local
ENGINE = Distributed(dancu, currentDatabase(), record_state_local, cityHash64(record_id));

CREATE TABLE IF NOT EXISTS record_changes ON CLUSTER dancu
(
    file_key UInt64,
    record_id String,
    version UInt64,
    load_month Date,
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    source_kind LowCardinality(String),
    source_month Date32,
    has_id UInt8,
    cmnd_only UInt8,
    had_old UInt8,
    old_province_code LowCardinality(String),
    old_district_code LowCardinality(String),
    old_commune_code LowCardinality(String),
    old_new_province_code LowCardinality(String),
    old_new_commune_code LowCardinality(String),
    old_source_kind LowCardinality(String),
    old_source_month Date32,
    old_has_id UInt8,
    old_cmnd_only UInt8
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_changes_mv ON CLUSTER dancu TO record_changes AS
SELECT
    n.file_key AS file_key,
    n.record_id AS record_id,
    n.version AS version,
    toStartOfMonth(now()) AS load_month,
    n.province_code AS province_code,
    n.district_code AS district_code,
    n.commune_code AS commune_code,
    n.new_province_code AS new_province_code,
    n.new_commune_code AS new_commune_code,
    n.source_kind AS source_kind,
    n.source_month AS source_month,
    n.has_id AS has_id,
    n.cmnd_only AS cmnd_only,
    o.record_id != '' AS had_old,
    o.province_code AS old_province_code,
    o.district_code AS old_district_code,
    o.commune_code AS old_commune_code,
    o.new_province_code AS old_new_province_code,
    o.new_commune_code AS old_new_commune_code,
    o.source_kind AS old_source_kind,
    o.source_month AS old_source_month,
    o.has_id AS old_has_id,
    o.cmnd_only AS old_cmnd_only
FROM
(
    SELECT
        cityHash64(file_hash) AS file_key,
        record_id,
        toUInt64(toUnixTimestamp64Nano(now64(9))) AS version,
        if(perm_province_code != '', perm_province_code, cur_province_code) AS province_code,
        if(perm_province_code != '', perm_district_code, cur_district_code) AS district_code,
        if(perm_province_code != '', perm_commune_code, cur_commune_code) AS commune_code,
        if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code) AS new_province_code,
        if(perm_new_province_code != '', perm_new_commune_code, cur_new_commune_code) AS new_commune_code,
        source_kind,
        toStartOfMonth(source_date) AS source_month,
        toUInt8(match(id_number, '^[0-9]{12}$')) AS has_id,
        toUInt8(id_number = '' AND match(cmnd, '^[0-9]{9}$')) AS cmnd_only,
        rowNumberInAllBlocks() AS pos
    FROM records_local
    ORDER BY pos DESC
    LIMIT 1 BY record_id
) AS n
LEFT JOIN
(
    SELECT record_id, province_code, district_code, commune_code, new_province_code, new_commune_code,
           source_kind, source_month, has_id, cmnd_only
    FROM record_state_local FINAL
    WHERE (file_key, record_id) IN (SELECT cityHash64(file_hash), record_id FROM records_local)
) AS o ON o.record_id = n.record_id
WHERE o.record_id = ''
   OR (n.province_code, n.district_code, n.commune_code, n.new_province_code, n.new_commune_code, n.source_kind, n.source_month, n.has_id, n.cmnd_only)
   != (o.province_code, o.district_code, o.commune_code, o.new_province_code, o.new_commune_code, o.source_kind, o.source_month, o.has_id, o.cmnd_only);

CREATE MATERIALIZED VIEW IF NOT EXISTS record_state_mv ON CLUSTER dancu TO record_state_local AS
SELECT file_key, record_id, version, province_code, district_code, commune_code, new_province_code, new_commune_code,
       source_kind, source_month, has_id, cmnd_only
FROM record_changes;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_records_mv ON CLUSTER dancu TO coverage_records_local AS
SELECT
    d.2 AS province_code,
    d.3 AS district_code,
    d.4 AS commune_code,
    d.5 AS new_province_code,
    d.6 AS new_commune_code,
    d.7 AS source_kind,
    d.8 AS source_month,
    load_month,
    sum(toInt64(d.1)) AS records,
    sum(toInt64(d.1) * d.9) AS with_id,
    sum(toInt64(d.1) * d.10) AS cmnd_only
FROM
(
    SELECT d, load_month
    FROM record_changes
    ARRAY JOIN [
        (toInt8(1), province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, has_id, cmnd_only),
        (toInt8(-had_old), old_province_code, old_district_code, old_commune_code, old_new_province_code, old_new_commune_code, old_source_kind, old_source_month, old_has_id, old_cmnd_only)
    ] AS d
    WHERE d.1 != 0
)
GROUP BY province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month;

CREATE MATERIALIZED VIEW IF NOT EXISTS person_changes_mv ON CLUSTER dancu TO person_changes AS
SELECT
    n.person_id AS person_id,
    n.version AS version,
    toStartOfMonth(n.updated_at) AS change_month,
    n.living AS living,
    n.province_code AS province_code,
    n.commune_code AS commune_code,
    n.new_province_code AS new_province_code,
    n.new_commune_code AS new_commune_code,
    n.has_id AS has_id,
    n.cmnd_only AS cmnd_only,
    n.birth_year AS birth_year,
    o.living AS old_living,
    o.province_code AS old_province_code,
    o.commune_code AS old_commune_code,
    o.new_province_code AS old_new_province_code,
    o.new_commune_code AS old_new_commune_code,
    o.has_id AS old_has_id,
    o.cmnd_only AS old_cmnd_only,
    o.birth_year AS old_birth_year
FROM
(
    SELECT
        person_id,
        version,
        updated_at,
        toUInt8(merged_into = '') AS living,
        province_code,
        commune_code,
        new_province_code,
        new_commune_code,
        toUInt8(match(id_number, '^[0-9]{12}$')) AS has_id,
        toUInt8(NOT match(id_number, '^[0-9]{12}$') AND match(cmnd, '^[0-9]{9}$')) AS cmnd_only,
        if(birth_year >= 2010, birth_year, 0) AS birth_year,
        rowNumberInAllBlocks() AS pos
    FROM persons_local
    ORDER BY version DESC, pos DESC
    LIMIT 1 BY person_id
) AS n
LEFT JOIN
(
    SELECT person_id, version, living, province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only, birth_year
    FROM person_state_local FINAL
    WHERE person_id IN (SELECT person_id FROM persons_local)
) AS o ON o.person_id = n.person_id
WHERE o.person_id = ''
   OR n.version > o.version
   OR (n.version = o.version
       AND (n.living, n.province_code, n.commune_code, n.new_province_code, n.new_commune_code, n.has_id, n.cmnd_only, n.birth_year)
        != (o.living, o.province_code, o.commune_code, o.new_province_code, o.new_commune_code, o.has_id, o.cmnd_only, o.birth_year));

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_persons_local AS
SELECT
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    sum(toInt64(d.1)) AS persons,
    sum(toInt64(d.1) * d.6) AS with_id,
    sum(toInt64(d.1) * d.7) AS cmnd_only
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_has_id, old_cmnd_only)
    ] AS d
    WHERE d.1 != 0
)
GROUP BY province_code, commune_code, new_province_code, new_commune_code, change_month;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv ON CLUSTER dancu TO coverage_children_local AS
SELECT
    d.6 AS birth_year,
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    sum(toInt64(d.1)) AS persons,
    sum(toInt64(d.1) * d.7) AS with_id
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
    WHERE d.1 != 0 AND d.6 > 0
)
GROUP BY birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month;

TRUNCATE TABLE coverage_records_local ON CLUSTER dancu;

-- existing data only: on one replica of each shard run
-- INSERT INTO records_local SELECT * FROM records_local FINAL;


