-- Coverage, second step: children get their own aggregate, so that the
-- persons aggregate is keyed by unit and month only (a birth-year key made
-- it ~17 times larger and province reports slow at 10M records).
-- coverage_persons is recreated without birth_year and refilled from the
-- persons table through the views (person_state is emptied first, so each
-- living person counts once); on a fresh database that copies nothing.
DROP VIEW IF EXISTS coverage_persons_mv;

DROP TABLE IF EXISTS coverage_persons;

CREATE TABLE IF NOT EXISTS coverage_persons
(
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    change_month Date,
    persons Int64,
    with_id Int64
)
ENGINE = SummingMergeTree
ORDER BY (province_code, commune_code, new_province_code, new_commune_code, change_month);

-- Children: persons born in 2010 or later, by birth year first, so that
-- "under 6" reads only the last six years.
CREATE TABLE IF NOT EXISTS coverage_children
(
    birth_year UInt16,
    province_code LowCardinality(String),
    commune_code LowCardinality(String),
    new_province_code LowCardinality(String),
    new_commune_code LowCardinality(String),
    change_month Date,
    persons Int64,
    with_id Int64
)
ENGINE = SummingMergeTree
ORDER BY (birth_year, province_code, commune_code, new_province_code, new_commune_code, change_month);

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_persons_mv TO coverage_persons AS
SELECT
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
WHERE d.1 != 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS coverage_children_mv TO coverage_children AS
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

TRUNCATE TABLE person_state;

INSERT INTO persons SELECT * FROM persons FINAL;
