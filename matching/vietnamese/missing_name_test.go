package vietnamese

import (
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/vn"

	"github.com/dancu-vn/dancu/schemas"
)

// Na (no mark; Nà and Ná fold to it) is a given name, not the token NA:
// two records of one Na compare her given name, and twins Na and Hoa,
// born the same day to the same parents, stay apart (acc22; before, the
// name columns read "na" as missing, the comparison was null and the
// twins linked on everything else).
func TestNaIsComparedAsAName(t *testing.T) {
	for _, na := range []string{"Nguyễn Thị Na", "NGUYỄN THỊ NA", "Nguyễn Thị Nà"} {
		// Her list record and her form: the current address and the
		// CMND on one only.
		a, b := base(), base()
		a.FullName, b.FullName = na, na
		b.CMND, b.CurCommuneCode, b.CurDistrictCode, b.CurProvinceCode = "", "00007", "001", "01"
		lv := vnLevels(t, a, b)
		if got := lv["given_name"]; got != "exact" {
			t.Errorf("%s against herself: given_name level %q, want exact", na, got)
		}
		if got := lv["family_name"]; got == "null" {
			t.Errorf("%s against herself: family_name null", na)
		}

		// Twins, no number of either kind.
		x, y := household(na, "2012-03-05"), household("Nguyễn Thị Hoa", "2012-03-05")
		if got := vnLevels(t, x, y)["given_name"]; got != "else" {
			t.Errorf("twins %s / Hoa: given_name level %q, want else", na, got)
		}
		if of := linkRecords(t, []schemas.Record{x, y}); of[0] == of[1] {
			t.Errorf("twins %s / Nguyễn Thị Hoa, born the same day, no number: linked", na)
		}
	}
	// A middle name Na, and a woman called Na alone (no family name on
	// the form): both compared.
	a, b := base(), base()
	a.FullName, b.FullName = "Lê Na Hoa", "Lê Na Hoa"
	if got := vnLevels(t, a, b)["middle_name"]; got == "null" {
		t.Errorf("middle name Na: middle_name null")
	}
	a.FullName, b.FullName = "Na", "Na"
	if got := vnLevels(t, a, b)["given_name"]; got != "exact" {
		t.Errorf("Na alone: given_name level %q, want exact", got)
	}
}

// The name cells that say none (vn.NoName, also ingest's) are those of
// the default missing values, so the matcher reads a name as it reads any
// other cell; and a record whose name and father's name say none compares
// them as missing (null), not as a person called Na or a father "Không
// Rõ".
func TestNoNameCell(t *testing.T) {
	if !slices.Equal(vn.MissingValues, settings.DefaultMissing) {
		t.Errorf("vn.MissingValues %q, settings.DefaultMissing %q: want the same", vn.MissingValues, settings.DefaultMissing)
	}
	a, b := base(), base()
	a.FullName, b.FullName = "NA", "NA"
	a.FatherName, b.FatherName = "Không rõ", "KHÔNG RÕ"
	a.MotherName, b.MotherName = "N/A", "-"
	lv := vnLevels(t, a, b)
	for _, c := range []string{"given_name", "family_name", "parents"} {
		if lv[c] != "null" {
			t.Errorf("%s of records saying no name: level %q, want null", c, lv[c])
		}
	}
}
