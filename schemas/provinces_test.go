package schemas

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// The provinces migration is generated from the embedded coverage tables;
// this keeps the two in step.
func TestProvincesMigrationInStep(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`\('(old|new)', '(\d\d)', '([^']*)', (\d+), (\d+)\)`)
	got := map[string][]string{}
	for _, m := range ms {
		for _, st := range m.Statements {
			if !strings.HasPrefix(st, "INSERT INTO provinces") {
				continue
			}
			for _, g := range row.FindAllStringSubmatch(st, -1) {
				got[g[1]+g[2]] = g[3:]
			}
		}
	}
	check := func(era, file, codeCol, nameCol, popCol, estFile, estCode, estCol string) int {
		c19 := refdata.MustLoad(file)
		est := refdata.MustLoad(estFile)
		pop24 := map[string]string{}
		for _, r := range est.Rows {
			pop24[est.Get(r, estCode)] = est.Get(r, estCol)
		}
		for _, r := range c19.Rows {
			code := c19.Get(r, codeCol)
			g, ok := got[era+code]
			if !ok {
				t.Errorf("%s province %s missing from migration", era, code)
				continue
			}
			if g[0] != c19.Get(r, nameCol) || g[1] != c19.Get(r, popCol) || g[2] != pop24[code] {
				t.Errorf("%s province %s: migration %v, tables %s %s %s", era, code, g, c19.Get(r, nameCol), c19.Get(r, popCol), pop24[code])
			}
		}
		return len(c19.Rows)
	}
	n := check("old", "coverage/census_2019_province.csv", "province_code", "province_name", "population",
		"coverage/population_estimate_province.csv", "province_code", "population")
	n += check("new", "coverage/census_2019_province_2025units.csv", "province_2025_code", "province_2025_name", "population",
		"coverage/population_estimate_province_2025units.csv", "province_2025_code", "population_2024")
	if n != 97 || len(got) != n {
		t.Errorf("migration has %d provinces, tables %d (want 63+34)", len(got), n)
	}
}
