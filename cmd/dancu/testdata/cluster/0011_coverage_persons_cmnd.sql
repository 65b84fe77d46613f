-- 0011_coverage_persons_cmnd.sql
ALTER TABLE persons_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd String;

ALTER TABLE persons ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd String;

DROP VIEW IF EXISTS person_changes_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS person_state_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_persons_mv ON CLUSTER dancu SYNC;

DROP VIEW IF EXISTS coverage_children_mv ON CLUSTER dancu SYNC;

ALTER TABLE person_state_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd_only UInt8;

ALTER TABLE person_state ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd_only UInt8;

ALTER TABLE person_changes ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd_only UInt8, ADD COLUMN IF NOT EXISTS old_cmnd_only UInt8;

ALTER TABLE coverage_persons_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd_only Int64;

ALTER TABLE coverage_persons ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS cmnd_only Int64;

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
    ORDER BY person_id, version DESC, pos DESC
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

CREATE MATERIALIZED VIEW IF NOT EXISTS person_state_mv ON CLUSTER dancu TO person_state_local AS
SELECT person_id, version, living, province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only, birth_year
FROM person_changes;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv ON CLUSTER dancu TO coverage_persons_local AS
SELECT
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
    change_month,
    toInt64(d.1) AS persons,
    toInt64(d.1) * d.6 AS with_id,
    toInt64(d.1) * d.7 AS cmnd_only
FROM
(
    SELECT d, change_month
    FROM person_changes
    ARRAY JOIN [
        (toInt8(living), province_code, commune_code, new_province_code, new_commune_code, has_id, cmnd_only),
        (-toInt8(old_living), old_province_code, old_commune_code, old_new_province_code, old_new_commune_code, old_has_id, old_cmnd_only)
    ] AS d
)
WHERE d.1 != 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv ON CLUSTER dancu TO coverage_children_local AS
SELECT
    d.6 AS birth_year,
    d.2 AS province_code,
    d.3 AS commune_code,
    d.4 AS new_province_code,
    d.5 AS new_commune_code,
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
WHERE d.1 != 0 AND d.6 > 0;


