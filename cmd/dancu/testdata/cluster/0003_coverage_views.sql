-- 0003_coverage_views.sql
CREATE VIEW IF NOT EXISTS coverage_by_province ON CLUSTER dancu AS
SELECT
    p.era AS era,
    p.code AS province_code,
    p.name AS province_name,
    ifNull(r.records, 0) AS records,
    ifNull(q.persons, 0) AS persons,
    p.population_2019 AS population_2019,
    p.population_2024 AS population_2024,
    round(100 * ifNull(q.persons, 0) / p.population_2024, 4) AS coverage_pct
FROM provinces AS p FINAL
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, count() AS records
    FROM records FINAL
    ARRAY JOIN [('old', if(perm_province_code != '', perm_province_code, cur_province_code)),
                ('new', if(perm_new_province_code != '', perm_new_province_code, cur_new_province_code))] AS e
    GROUP BY era, code
) AS r ON r.era = p.era AND r.code = p.code
LEFT JOIN
(
    SELECT e.1 AS era, e.2 AS code, count() AS persons
    FROM persons FINAL
    ARRAY JOIN [('old', province_code), ('new', new_province_code)] AS e
    WHERE merged_into = ''
    GROUP BY era, code
) AS q ON q.era = p.era AND q.code = p.code;


