package schemas

import (
	"reflect"
	"strings"
)

// Column is one column of a table: its ClickHouse name and type.
type Column struct {
	Name   string
	CHType string
}

// RecordColumns are the columns of the records table, in order. They must
// match the ch tags of Record, the records DDL and the Arrow schema; a test
// checks all three.
var RecordColumns = []Column{
	{"record_id", "String"},
	{"schema_version", "UInt16"},
	{"source_kind", "LowCardinality(String)"},
	{"source_file", "String"},
	{"file_hash", "String"},
	{"sheet", "String"},
	{"row", "UInt32"},
	{"source_record_id", "String"},
	{"form_id", "String"},
	{"scan_ref", "String"},
	{"import_batch", "String"},
	{"collecting_unit", "String"},
	{"source_date", "Date32"},
	{"full_name", "String"},
	{"family_name", "String"},
	{"middle_name", "String"},
	{"given_name", "String"},
	{"birth_date", "String"},
	{"birth_year", "UInt16"},
	{"sex", "LowCardinality(String)"},
	{"id_number", "String"},
	{"cmnd", "String"},
	{"birth_reg_place", "String"},
	{"native_place", "String"},
	{"ethnicity", "LowCardinality(String)"},
	{"religion", "LowCardinality(String)"},
	{"nationality", "LowCardinality(String)"},
	{"perm_address", "String"},
	{"perm_province_code", "LowCardinality(String)"},
	{"perm_district_code", "LowCardinality(String)"},
	{"perm_commune_code", "String"},
	{"perm_new_province_code", "LowCardinality(String)"},
	{"perm_new_commune_code", "String"},
	{"cur_address", "String"},
	{"cur_province_code", "LowCardinality(String)"},
	{"cur_district_code", "LowCardinality(String)"},
	{"cur_commune_code", "String"},
	{"cur_new_province_code", "LowCardinality(String)"},
	{"cur_new_commune_code", "String"},
	{"father_name", "String"},
	{"father_id", "String"},
	{"mother_name", "String"},
	{"mother_id", "String"},
	{"spouse_name", "String"},
	{"spouse_id", "String"},
	{"household_head", "String"},
	{"relation_to_head", "String"},
	{"ocr_confidence", "Map(String, Float32)"},
	{"household_no", "String"},
	{"remark", "String"},
}

// ColumnNames returns the names of cols, in order.
func ColumnNames(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// Tags returns the ch tags of the fields of the struct v, in order. Used by
// tests and by sinks that append structs column by column.
func Tags(v any) []string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("ch")
		if tag == "" || tag == "-" {
			continue
		}
		out = append(out, strings.Split(tag, ",")[0])
	}
	return out
}
