-- 0001_core.sql
CREATE TABLE IF NOT EXISTS records_local ON CLUSTER dancu
(
    record_id String,
    schema_version UInt16,
    source_kind LowCardinality(String),
    source_file String,
    file_hash String,
    sheet String,
    row UInt32,
    source_record_id String,
    form_id String,
    scan_ref String,
    import_batch String,
    collecting_unit String,
    source_date Date32,
    full_name String,
    family_name String,
    middle_name String,
    given_name String,
    birth_date String,
    birth_year UInt16,
    sex LowCardinality(String),
    id_number String,
    cmnd String,
    birth_reg_place String,
    native_place String,
    ethnicity LowCardinality(String),
    religion LowCardinality(String),
    nationality LowCardinality(String),
    perm_address String,
    perm_province_code LowCardinality(String),
    perm_district_code LowCardinality(String),
    perm_commune_code String,
    perm_new_province_code LowCardinality(String),
    perm_new_commune_code String,
    cur_address String,
    cur_province_code LowCardinality(String),
    cur_district_code LowCardinality(String),
    cur_commune_code String,
    cur_new_province_code LowCardinality(String),
    cur_new_commune_code String,
    father_name String,
    father_id String,
    mother_name String,
    mother_id String,
    spouse_name String,
    spouse_id String,
    household_head String,
    relation_to_head String,
    ocr_confidence Map(String, Float32)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/records_local', '{replica}')
ORDER BY record_id;

CREATE TABLE IF NOT EXISTS records ON CLUSTER dancu AS records_local
ENGINE = Distributed(dancu, currentDatabase(), records_local, cityHash64(file_hash));

CREATE TABLE IF NOT EXISTS persons_local ON CLUSTER dancu
(
    person_id String,
    id_number String,
    id_status LowCardinality(String),
    full_name String,
    birth_date String,
    birth_year UInt16,
    sex LowCardinality(String),
    province_code LowCardinality(String),
    new_province_code LowCardinality(String),
    commune_code String,
    new_commune_code String,
    record_count UInt32,
    merged_into String,
    version UInt64,
    updated_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/persons_local', '{replica}', version)
ORDER BY person_id;

CREATE TABLE IF NOT EXISTS persons ON CLUSTER dancu AS persons_local
ENGINE = Distributed(dancu, currentDatabase(), persons_local, cityHash64(person_id));

CREATE TABLE IF NOT EXISTS links_local ON CLUSTER dancu
(
    record_id String,
    person_id String,
    match_probability Float64,
    match_rule LowCardinality(String),
    version UInt64,
    linked_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/links_local', '{replica}', version)
ORDER BY record_id;

CREATE TABLE IF NOT EXISTS links ON CLUSTER dancu AS links_local
ENGINE = Distributed(dancu, currentDatabase(), links_local, cityHash64(record_id));

CREATE TABLE IF NOT EXISTS conflicts_local ON CLUSTER dancu
(
    conflict_id String,
    kind LowCardinality(String),
    province_code LowCardinality(String),
    id_number String,
    person_ids Array(String),
    record_ids Array(String),
    score Float64,
    explanation String,
    status LowCardinality(String),
    version UInt64,
    created_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/conflicts_local', '{replica}', version)
ORDER BY conflict_id;

CREATE TABLE IF NOT EXISTS conflicts ON CLUSTER dancu AS conflicts_local
ENGINE = Distributed(dancu, currentDatabase(), conflicts_local, cityHash64(conflict_id));

CREATE TABLE IF NOT EXISTS rejects_local ON CLUSTER dancu
(
    reject_id String,
    source_file String,
    file_hash String,
    sheet String,
    row UInt32,
    column String,
    value String,
    reason String,
    import_batch String,
    rejected_at DateTime64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/rejects_local', '{replica}')
ORDER BY reject_id;

CREATE TABLE IF NOT EXISTS rejects ON CLUSTER dancu AS rejects_local
ENGINE = Distributed(dancu, currentDatabase(), rejects_local, cityHash64(file_hash));


