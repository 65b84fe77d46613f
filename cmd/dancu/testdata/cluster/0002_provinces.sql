-- 0002_provinces.sql
CREATE TABLE IF NOT EXISTS provinces ON CLUSTER dancu
(
    era LowCardinality(String),
    code String,
    name String,
    population_2019 UInt64,
    population_2024 UInt64
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/provinces', '{replica}')
ORDER BY (era, code);

INSERT INTO provinces (era, code, name, population_2019, population_2024) VALUES


