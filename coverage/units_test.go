package coverage_test

import (
	"testing"

	"github.com/dancu-vn/dancu/coverage"
)

// Every old province's districts sum to its 2019 census, so a district's
// share of its expected population is not inflated by a district of the
// census dissolved into it before the 2024 list (Thành phố Thủ Đức had
// only Quận 2's population, not Quận 9's and Quận Thủ Đức's).
func TestDistrictsSumToTheirProvince(t *testing.T) {
	provinces, err := coverage.Units(coverage.Old, coverage.Province, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range provinces {
		districts, err := coverage.Units(coverage.Old, coverage.District, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		var sum uint64
		for _, d := range districts {
			sum += d.Population2019
		}
		if sum != p.Population2019 || p.Population2019 == 0 {
			t.Errorf("%s %s: its %d districts sum to %d persons in 2019, the province %d", p.Code, p.Name, len(districts), sum, p.Population2019)
		}
	}
}
