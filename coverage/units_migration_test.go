package coverage

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite schemas/migrations/0007_admin_units.sql from internal/refdata")

const unitsMigration = "../schemas/migrations/0007_admin_units.sql"

// unitsSQL is the migration that fills admin_units from the reference lists.
func unitsSQL(t *testing.T) string {
	u, err := loadUnits()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("-- Administrative units below the province, both eras, for the analyst\n")
	b.WriteString("-- views. Generated from internal/refdata (admin_units_2024.csv,\n")
	b.WriteString("-- admin_units_2025.csv, coverage/census_2019_district.csv; see SOURCES.md\n")
	b.WriteString("-- there) by `go test ./coverage -run UnitsMigration -update`; a test keeps\n")
	b.WriteString("-- it in step.\n")
	b.WriteString("INSERT INTO admin_units (era, level, province_code, district_code, code, name, population_2019) VALUES\n")
	q := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	first := true
	for _, x := range u.list {
		if x.Level == Province {
			continue
		}
		if !first {
			b.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(&b, "('%s','%s','%s','%s','%s','%s',%d)", x.Era, x.Level, x.ProvinceCode, x.DistrictCode, x.Code, q.Replace(x.Name), x.Population2019)
	}
	b.WriteString(";\n")
	return b.String()
}

func TestUnitsMigrationInStep(t *testing.T) {
	want := unitsSQL(t)
	if *update {
		if err := os.WriteFile(unitsMigration, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(unitsMigration)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is not in step with internal/refdata: run go test ./coverage -run UnitsMigration -update", unitsMigration)
	}
}
