-- 0005_coverage.sql
ALTER TABLE records_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS birth_day Date32 MATERIALIZED toDate32OrZero(multiIf(length(birth_date) = 4, concat(birth_date, '-01-01'), length(birth_date) = 7, concat(birth_date, '-01'), birth_date)),
    ADD COLUMN IF NOT EXISTS birth_date_precision LowCardinality(String) MATERIALIZED multiIf(length(birth_date) = 10, 'day', length(birth_date) = 7, 'month', length(birth_date) = 4, 'year', '');

ALTER TABLE records ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS birth_day Date32 MATERIALIZED toDate32OrZero(multiIf(length(birth_date) = 4, concat(birth_date, '-01-01'), length(birth_date) = 7, concat(birth_date, '-01'), birth_date)),
    ADD COLUMN IF NOT EXISTS birth_date_precision LowCardinality(String) MATERIALIZED multiIf(length(birth_date) = 10, 'day', length(birth_date) = 7, 'month', length(birth_date) = 4, 'year', '');

ALTER TABLE persons_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS birth_day Date32 MATERIALIZED toDate32OrZero(multiIf(length(birth_date) = 4, concat(birth_date, '-01-01'), length(birth_date) = 7, concat(birth_date, '-01'), birth_date)),
    ADD COLUMN IF NOT EXISTS birth_date_precision LowCardinality(String) MATERIALIZED multiIf(length(birth_date) = 10, 'day', length(birth_date) = 7, 'month', length(birth_date) = 4, 'year', '');

ALTER TABLE persons ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS birth_day Date32 MATERIALIZED toDate32OrZero(multiIf(length(birth_date) = 4, concat(birth_date, '-01-01'), length(birth_date) = 7, concat(birth_date, '-01'), birth_date)),
    ADD COLUMN IF NOT EXISTS birth_date_precision LowCardinality(String) MATERIALIZED multiIf(length(birth_date) = 10, 'day', length(birth_date) = 7, 'month', length(birth_date) = 4, 'year', '');

CREATE TABLE IF NOT EXISTS admin_units ON CLUSTER dancu
(
    era LowCardinality(String),
    level LowCardinality(String),
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    code LowCardinality(String),
    name String,
    population_2019 UInt64
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/admin_units', '{replica}')
ORDER BY (era, level, province_code, district_code, code);

CREATE TABLE IF NOT EXISTS record_state_local ON CLUSTER dancu
(
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
ORDER BY record_id
SETTINGS index_granularity = 128;

CREATE TABLE IF NOT EXISTS record_state ON CLUSTER dancu AS record_state_local
ENGINE = Distributed(dancu, currentDatabase(), record_state_local, cityHash64(record_id));

CREATE TABLE IF NOT EXISTS record_changes ON CLUSTER dancu
(
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

CREATE TABLE IF NOT EXISTS coverage_records_local ON CLUSTER dancu
(
    province_code LowCardinality(String),
    district_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    source_kind LowCardinality(String),
    source_month Date32,
    load_month Date,
    records Int64,
    with_id Int64,
    cmnd_only Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_records_local', '{replica}')
ORDER BY (province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, load_month);

CREATE TABLE IF NOT EXISTS coverage_records ON CLUSTER dancu AS coverage_records_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_records_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS record_changes_mv ON CLUSTER dancu TO record_changes AS
SELECT
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
    ORDER BY record_id, pos DESC
    LIMIT 1 BY record_id
) AS n
LEFT JOIN
(
    SELECT record_id, province_code, district_code, commune_code, new_province_code, new_commune_code,
           source_kind, source_month, has_id, cmnd_only
    FROM record_state_local FINAL
    WHERE record_id IN (SELECT record_id FROM records_local)
) AS o ON o.record_id = n.record_id
WHERE o.record_id = ''
   OR (n.province_code, n.district_code, n.commune_code, n.new_province_code, n.new_commune_code, n.source_kind, n.source_month, n.has_id, n.cmnd_only)
   != (o.province_code, o.district_code, o.commune_code, o.new_province_code, o.new_commune_code, o.source_kind, o.source_month, o.has_id, o.cmnd_only);

CREATE MATERIALIZED VIEW IF NOT EXISTS record_state_mv ON CLUSTER dancu TO record_state_local AS
SELECT record_id, version, province_code, district_code, commune_code, new_province_code, new_commune_code,
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
    toInt64(d.1) AS records,
    toInt64(d.1) * d.9 AS with_id,
    toInt64(d.1) * d.10 AS cmnd_only
FROM
(
    SELECT d, load_month
    FROM record_changes
    ARRAY JOIN [
        (toInt8(1), province_code, district_code, commune_code, new_province_code, new_commune_code, source_kind, source_month, has_id, cmnd_only),
        (toInt8(-had_old), old_province_code, old_district_code, old_commune_code, old_new_province_code, old_new_commune_code, old_source_kind, old_source_month, old_has_id, old_cmnd_only)
    ] AS d
)
WHERE d.1 != 0;

CREATE TABLE IF NOT EXISTS person_state_local ON CLUSTER dancu
(
    person_id String,
    version UInt64,
    living UInt8,
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    has_id UInt8,
    birth_year UInt16
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/person_state_local', '{replica}', version)
ORDER BY person_id
SETTINGS index_granularity = 128;

CREATE TABLE IF NOT EXISTS person_state ON CLUSTER dancu AS person_state_local
ENGINE = Distributed(dancu, currentDatabase(), person_state_local, cityHash64(person_id));

CREATE TABLE IF NOT EXISTS person_changes ON CLUSTER dancu
(
    person_id String,
    version UInt64,
    change_month Date,
    living UInt8,
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    has_id UInt8,
    birth_year UInt16,
    old_living UInt8,
    old_province_code LowCardinality(String),
    old_commune_code LowCardinality(String),
    old_new_province_code LowCardinality(String),
    old_new_commune_code LowCardinality(String),
    old_has_id UInt8,
    old_birth_year UInt16
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS coverage_persons_local ON CLUSTER dancu
(
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    birth_year UInt16,
    change_month Date,
    persons Int64,
    with_id Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/coverage_persons_local', '{replica}')
ORDER BY (province_code, commune_code, new_province_code, new_commune_code, birth_year, change_month);

CREATE TABLE IF NOT EXISTS coverage_persons ON CLUSTER dancu AS coverage_persons_local
ENGINE = Distributed(dancu, currentDatabase(), coverage_persons_local, rand());

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
    n.birth_year AS birth_year,
    o.living AS old_living,
    o.province_code AS old_province_code,
    o.commune_code AS old_commune_code,
    o.new_province_code AS old_new_province_code,
    o.new_commune_code AS old_new_commune_code,
    o.has_id AS old_has_id,
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
        if(birth_year >= 2010, birth_year, 0) AS birth_year,
        rowNumberInAllBlocks() AS pos
    FROM persons_local
    ORDER BY person_id, version DESC, pos DESC
    LIMIT 1 BY person_id
) AS n
LEFT JOIN
(
    SELECT person_id, version, living, province_code, commune_code, new_province_code, new_commune_code, has_id, birth_year
    FROM person_state_local FINAL
    WHERE person_id IN (SELECT person_id FROM persons_local)
) AS o ON o.person_id = n.person_id
WHERE o.person_id = ''
   OR n.version > o.version
   OR (n.version = o.version
       AND (n.living, n.province_code, n.commune_code, n.new_province_code, n.new_commune_code, n.has_id, n.birth_year)
        != (o.living, o.province_code, o.commune_code, o.new_province_code, o.new_commune_code, o.has_id, o.birth_year));

CREATE MATERIALIZED VIEW IF NOT EXISTS person_state_mv ON CLUSTER dancu TO person_state_local AS
SELECT person_id, version, living, province_code, commune_code, new_province_code, new_commune_code, has_id, birth_year
FROM person_changes;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_persons_local AS
SELECT
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    d.6 AS birth_year,
    change_month,
    toInt64(d.1) AS persons,
    toInt64(d.1) * d.7 AS with_id
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, birth_year, has_id),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_birth_year, old_has_id)
    ] AS d
)
WHERE d.1 != 0;

-- existing data only: on one replica of each shard run
-- INSERT INTO records_local SELECT * FROM records_local FINAL;

-- existing data only: on one replica of each shard run
-- INSERT INTO persons_local SELECT * FROM persons_local FINAL;

CREATE OR REPLACE VIEW coverage_by_province ON CLUSTER dancu AS
SELECT
    p.era AS era,
    p.code AS province_code,
    p.name AS province_name,
    ifNull(r.n_records, 0) AS records,
    ifNull(r.n_scanned, 0) AS records_scanned,
    ifNull(r.n_with_id, 0) AS records_with_id,
    ifNull(r.n_cmnd_only, 0) AS records_cmnd_only,
    ifNull(q.n_persons, 0) AS persons,
    ifNull(q.n_with_id, 0) AS persons_with_id,
    p.population_2019 AS population_2019,
    p.population_2024 AS population_2024,
    round(100 * ifNull(q.n_persons, 0) / p.population_2024, 4) AS coverage_pct,
    if(ifNull(q.n_persons, 0) > 0, round(100 * q.n_with_id / q.n_persons, 2), 0) AS with_id_pct
FROM provinces AS p FINAL
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, sum(records) AS n_records, sumIf(records, source_kind = 'scan') AS n_scanned,
           sum(with_id) AS n_with_id, sum(cmnd_only) AS n_cmnd_only
    FROM coverage_records
    ARRAY JOIN [('old', toString(province_code)), ('new', toString(new_province_code))] AS e
    GROUP BY era, code
) AS r ON r.era = p.era AND r.code = p.code
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, sum(persons) AS n_persons, sum(with_id) AS n_with_id
    FROM coverage_persons
    ARRAY JOIN [('old', toString(province_code)), ('new', toString(new_province_code))] AS e
    GROUP BY era, code
) AS q ON q.era = p.era AND q.code = p.code;

CREATE OR REPLACE VIEW coverage_by_commune ON CLUSTER dancu AS
SELECT
    u.era AS era,
    u.province_code AS province_code,
    u.district_code AS district_code,
    u.code AS commune_code,
    u.name AS commune_name,
    ifNull(r.n_records, 0) AS records,
    ifNull(r.n_scanned, 0) AS records_scanned,
    ifNull(r.n_with_id, 0) AS records_with_id,
    ifNull(q.n_persons, 0) AS persons,
    ifNull(q.n_with_id, 0) AS persons_with_id,
    if(ifNull(q.n_persons, 0) > 0, round(100 * q.n_with_id / q.n_persons, 2), 0) AS with_id_pct
FROM admin_units AS u FINAL
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, sum(records) AS n_records, sumIf(records, source_kind = 'scan') AS n_scanned,
           sum(with_id) AS n_with_id
    FROM coverage_records
    ARRAY JOIN [('old', toString(commune_code)), ('new', toString(new_commune_code))] AS e
    GROUP BY era, code
) AS r ON r.era = u.era AND r.code = u.code
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, sum(persons) AS n_persons, sum(with_id) AS n_with_id
    FROM coverage_persons
    ARRAY JOIN [('old', toString(commune_code)), ('new', toString(new_commune_code))] AS e
    GROUP BY era, code
) AS q ON q.era = u.era AND q.code = u.code
WHERE u.level = 'commune';


