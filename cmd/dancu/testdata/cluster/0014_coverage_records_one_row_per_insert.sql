-- 0014_coverage_records_one_row_per_insert.sql
DROP VIEW IF EXISTS record_changes_mv ON CLUSTER dancu SYNC;

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
        toUInt8(id_number = '' AND match(cmnd, '^[0-9]{9}$')) AS cmnd_only
    FROM records_local
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


