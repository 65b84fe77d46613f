-- 0028_conflict_record_provinces.sql
ALTER TABLE conflicts_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS record_province_codes Array(String);

ALTER TABLE conflicts ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS record_province_codes Array(String);

ALTER TABLE conflicts_local ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS record_new_province_codes Array(String);

ALTER TABLE conflicts ON CLUSTER dancu
    ADD COLUMN IF NOT EXISTS record_new_province_codes Array(String);

-- existing data only: on one replica of each shard run (it reads every shard's records through the Distributed table)
-- INSERT INTO conflicts_local (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version, created_at,
--     record_province_codes, record_new_province_codes)
-- SELECT c.conflict_id, c.kind, c.province_code, c.id_number, c.person_ids, c.record_ids, c.score, c.explanation, c.status, c.version, c.created_at,
--     p.olds, p.news
-- FROM (SELECT * FROM conflicts_local FINAL WHERE empty(record_province_codes) AND empty(record_new_province_codes) AND notEmpty(record_ids)) AS c
-- INNER JOIN
-- (
--     SELECT f.conflict_id AS conflict_id,
--         arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([r.perm_province_code, r.cur_province_code]))) AS olds,
--         arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([r.perm_new_province_code, r.cur_new_province_code]))) AS news
--     FROM (SELECT conflict_id, arrayJoin(record_ids) AS record_id FROM conflicts_local FINAL WHERE empty(record_province_codes) AND empty(record_new_province_codes)) AS f
--     INNER JOIN
--     (
--         SELECT record_id, any(perm_province_code) AS perm_province_code, any(cur_province_code) AS cur_province_code,
--             any(perm_new_province_code) AS perm_new_province_code, any(cur_new_province_code) AS cur_new_province_code
--         FROM records WHERE record_id GLOBAL IN (SELECT arrayJoin(record_ids) FROM conflicts_local)
--         GROUP BY record_id
--     ) AS r ON r.record_id = f.record_id
--     GROUP BY f.conflict_id
--     HAVING notEmpty(olds) OR notEmpty(news)
-- ) AS p ON p.conflict_id = c.conflict_id;

