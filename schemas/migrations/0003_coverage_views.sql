-- Coverage views for analysts. Each record counts once (FINAL), in the
-- province of its permanent address, else its current address; records
-- whose address could not be resolved count under code ''. Persons count
-- in the province of the person row.
CREATE VIEW IF NOT EXISTS coverage_by_province AS
SELECT
    p.code AS province_code,
    p.name AS province_name,
    ifNull(r.records, 0) AS records,
    ifNull(q.persons, 0) AS persons,
    p.population_2019,
    p.population_2024,
    round(100 * ifNull(q.persons, 0) / p.population_2024, 4) AS coverage_pct
FROM provinces AS p FINAL
LEFT JOIN
(
    SELECT if(perm_province_code != '', perm_province_code, cur_province_code) AS code, count() AS records
    FROM records FINAL
    GROUP BY code
) AS r ON r.code = p.code
LEFT JOIN
(
    SELECT province_code AS code, count() AS persons
    FROM persons FINAL
    WHERE merged_into = ''
    GROUP BY code
) AS q ON q.code = p.code
WHERE p.era = 'old';

CREATE VIEW IF NOT EXISTS coverage_by_province_2025 AS
SELECT
    p.code AS province_code,
    p.name AS province_name,
    ifNull(r.records, 0) AS records,
    ifNull(q.persons, 0) AS persons,
    p.population_2019,
    p.population_2024,
    round(100 * ifNull(q.persons, 0) / p.population_2024, 4) AS coverage_pct
FROM provinces AS p FINAL
LEFT JOIN
(
    SELECT if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code) AS code, count() AS records
    FROM records FINAL
    GROUP BY code
) AS r ON r.code = p.code
LEFT JOIN
(
    SELECT new_province_code AS code, count() AS persons
    FROM persons FINAL
    WHERE merged_into = ''
    GROUP BY code
) AS q ON q.code = p.code
WHERE p.era = 'new';
