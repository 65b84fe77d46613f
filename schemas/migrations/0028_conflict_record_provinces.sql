-- Schema version 3 (cov32, issue 11): each conflict carries the
-- provinces of its records' permanent and current addresses, old era and
-- new era, as the matcher read them when it raised it. The coverage
-- counts a conflict in each province its records name (user31: a
-- shared_id held in two provinces counted in one), and reads them here
-- rather than reading every conflict's records by key on each report
-- (cov29: 1.56–2.26 s at 10M records, reverted).
ALTER TABLE conflicts ADD COLUMN IF NOT EXISTS record_province_codes Array(String);
ALTER TABLE conflicts ADD COLUMN IF NOT EXISTS record_new_province_codes Array(String);

-- The conflicts written before: each one's latest row written again at
-- its version with its records' provinces (records read by their key,
-- once; the later row wins in ReplacingMergeTree). A conflict whose
-- records are not loaded keeps its row as it is.
INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version, created_at,
    record_province_codes, record_new_province_codes)
SELECT c.conflict_id, c.kind, c.province_code, c.id_number, c.person_ids, c.record_ids, c.score, c.explanation, c.status, c.version, c.created_at,
    p.olds, p.news
FROM (SELECT * FROM conflicts FINAL WHERE empty(record_province_codes) AND empty(record_new_province_codes) AND notEmpty(record_ids)) AS c
INNER JOIN
(
    SELECT f.conflict_id AS conflict_id,
        arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([r.perm_province_code, r.cur_province_code]))) AS olds,
        arraySort(arrayFilter(x -> x != '', groupUniqArrayArray([r.perm_new_province_code, r.cur_new_province_code]))) AS news
    FROM (SELECT conflict_id, arrayJoin(record_ids) AS record_id FROM conflicts FINAL WHERE empty(record_province_codes) AND empty(record_new_province_codes)) AS f
    INNER JOIN
    (
        SELECT record_id, any(perm_province_code) AS perm_province_code, any(cur_province_code) AS cur_province_code,
            any(perm_new_province_code) AS perm_new_province_code, any(cur_new_province_code) AS cur_new_province_code
        FROM records WHERE record_id IN (SELECT arrayJoin(record_ids) FROM conflicts)
        GROUP BY record_id
    ) AS r ON r.record_id = f.record_id
    GROUP BY f.conflict_id
    HAVING notEmpty(olds) OR notEmpty(news)
) AS p ON p.conflict_id = c.conflict_id;
