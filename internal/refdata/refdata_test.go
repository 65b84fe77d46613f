package refdata

import "testing"

func TestTablesEmbedded(t *testing.T) {
	want := map[string]int{
		"admin_units_2025_pre_reform.csv": 10052,
		"admin_units_2025.csv":            3321,
		"admin_units_2025_mapping.csv":    10609,
		"id_province_codes.csv":           63,
		"names/surnames.csv":              340,
		"encodings/tcvn3_to_unicode.tsv":  74,
		"encodings/vni_to_unicode.tsv":    134,
	}
	for name, n := range want {
		tb, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Rows) != n {
			t.Errorf("%s: %d rows, want %d", name, len(tb.Rows), n)
		}
	}
	if _, err := FS().Open("SOURCES.md"); err != nil {
		t.Errorf("attribution missing: %v", err)
	}
}
