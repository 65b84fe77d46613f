package vietnamese

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/schemas"
)

// trainedFrame returns a frame of recs (each its own source when
// sources, else all of source 0) with the Vietnamese settings and the
// shipped model.
func trainedFrame(t *testing.T, recs []schemas.Record, sources bool) (*matching.Frame, *settings.Settings) {
	t.Helper()
	s, err := Settings()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Trained()
	if err != nil {
		t.Fatal(err)
	}
	s.Model = tr.Model
	f := matching.NewFrame(s)
	ad := NewAdapter()
	for i := range recs {
		src := 0
		if sources {
			src = i
		}
		if err := ad.AddRecord(f, &recs[i], src); err != nil {
			t.Fatal(err)
		}
	}
	return f, s
}

// vnLevels builds a frame of two canonical records with the Vietnamese
// settings (and the shipped model, which ExplainPair needs to weigh the
// levels) and returns the level label of every comparison.
func vnLevels(t *testing.T, a, b schemas.Record) map[string]string {
	t.Helper()
	a.RecordID, b.RecordID = "a", "b"
	f, s := trainedFrame(t, []schemas.Record{a, b}, true)
	e := matching.ExplainPair(f, s, 0, 1)
	if e.Err != nil {
		t.Fatal(e.Err)
	}
	out := map[string]string{}
	for _, st := range e.Steps {
		// The level, not the dependence it is weighed with (which a
		// retrained model may find or not).
		out[st.Comparison], _, _ = strings.Cut(st.Level, " (u given ")
	}
	if len(out) != len(s.Comparisons) {
		t.Fatalf("%d comparisons explained, settings have %d", len(out), len(s.Comparisons))
	}
	return out
}

func base() schemas.Record {
	return schemas.Record{
		FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-05", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", CMND: "012345678", Ethnicity: "Kinh",
		PermCommuneCode: "00004", PermDistrictCode: "001", PermProvinceCode: "01", PermNewCommuneCode: "00004", PermNewProvinceCode: "01",
		FatherName: "Nguyễn Văn An", MotherName: "Trần Thị Bình",
	}
}

func TestVietnameseComparisonLevels(t *testing.T) {
	tests := []struct {
		name       string
		comparison string
		edit       func(r *schemas.Record)
		want       string
	}{
		{"same family", "family_name", func(r *schemas.Record) {}, "exact"},
		{"family without diacritics", "family_name", func(r *schemas.Record) { r.FullName = "Nguyen Thị Thu Hà" }, "same without diacritics"},
		{"family other tone", "family_name", func(r *schemas.Record) { r.FullName = "Nguyển Thị Thu Hà" }, "same without diacritics"},
		{"family different", "family_name", func(r *schemas.Record) { r.FullName = "Lê Thị Thu Hà" }, "else"},
		{"family jw", "family_name", func(r *schemas.Record) { r.FullName = "Nguyễnn Thị Thu Hà" }, "jw ≥ 0.90"},
		{"middle exact", "middle_name", func(r *schemas.Record) {}, "exact"},
		{"middle missing", "middle_name", func(r *schemas.Record) { r.FullName = "Nguyễn Hà" }, "missing on one side"},
		{"middle other", "middle_name", func(r *schemas.Record) { r.FullName = "Nguyễn Văn Hà" }, "else"},
		{"middle name dropped", "middle_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thu Hà" }, "middle names added or dropped"},
		{"middle name added", "middle_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Anh Thu Hà" }, "middle names added or dropped"},
		{"given OCR look-alike", "given_name", func(r *schemas.Record) { r.FullName = "NGUYỄN THỊ THU BÀ" }, "OCR look-alikes"},
		{"family OCR look-alike", "family_name", func(r *schemas.Record) { r.FullName = "NGVYỄN THỊ THU HÀ" }, "OCR look-alikes"},
		{"dob day unknown", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1990-03" }, "same month, day unknown"},
		{"given tone style", "given_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Thu Hạ" }, "same without diacritics"},
		{"given different", "given_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Thu Lan" }, "else"},
		{"given missing", "given_name", func(r *schemas.Record) { r.FullName = "" }, "null"},
		// Hà is also a family name, so ParseName leaves it first: the
		// order is weighed once, in family_name; the middle and given
		// names are null (not else, which vetoes a link).
		{"given name written first", "family_name", func(r *schemas.Record) { r.FullName = "Hà Nguyễn Thị Thu" }, "given name written first on one side"},
		{"given name written first, middle", "middle_name", func(r *schemas.Record) { r.FullName = "Hà Nguyễn Thị Thu" }, "null (counted in family_name)"},
		{"given name written first, given", "given_name", func(r *schemas.Record) { r.FullName = "Hà Nguyễn Thị Thu" }, "null (counted in family_name)"},
		// A rank the family calls the person by, in place of the given
		// name, is not a given name that differs; two ranks are, and
		// Hải without its marks is a name.
		{"birth-order name", "given_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Thu Út" }, "a birth-order name on one side"},
		{"birth-order name in capitals", "given_name", func(r *schemas.Record) { r.FullName = "NGUYỄN THỊ THU BẢY" }, "a birth-order name on one side"},
		{"a name that folds to a rank", "given_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Thu Tâm" }, "else"},
		{"other words in another order", "given_name", func(r *schemas.Record) { r.FullName = "Thu Nguyễn Thị Hà" }, "else"},
		{"dob exact", "date_of_birth", func(r *schemas.Record) {}, "exact"},
		{"dob day and month swapped", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1990-05-03" }, "day and month swapped"},
		{"dob year only", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1990" }, "year only on one side"},
		{"dob same year", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1990-11-30" }, "same year"},
		{"dob one digit", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1990-03-06" }, "one digit off"},
		{"dob year digit misread, other format", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "5/3/1980" }, "one digit off"},
		{"given letters swapped", "given_name", func(r *schemas.Record) { r.FullName = "Nguyễn Thị Thu Ah" }, "one edit"},
		{"dob plus one year", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1991-07-30" }, "±1 year"},
		{"dob far", "date_of_birth", func(r *schemas.Record) { r.BirthDate = "1970-07-30" }, "else"},
		{"dob missing", "date_of_birth", func(r *schemas.Record) { r.BirthDate = ""; r.BirthYear = 0 }, "null"},
		{"sex", "sex", func(r *schemas.Record) { r.Sex = "M" }, "else"},
		{"id exact", "id_number", func(r *schemas.Record) {}, "same number"},
		{"id typo", "id_number", func(r *schemas.Record) { r.IDNumber = "001190012346"; r.CMND = "" }, "one digit off or transposed"},
		{"id transposed", "id_number", func(r *schemas.Record) { r.IDNumber = "001190013245"; r.CMND = "" }, "one digit off or transposed"},
		{"cmnd only", "id_number", func(r *schemas.Record) { r.IDNumber = "" }, "same CMND"},
		{"cmnd vs cccd", "id_number", func(r *schemas.Record) { r.IDNumber = ""; r.CMND = "" }, "null"},
		{"id different", "id_number", func(r *schemas.Record) { r.IDNumber = "079190999999"; r.CMND = "" }, "else"},
		{"address same commune new era only", "address", func(r *schemas.Record) { r.PermCommuneCode = ""; r.PermDistrictCode = ""; r.PermProvinceCode = "" }, "same permanent commune (either era)"},
		{"address district, commune unknown", "address", func(r *schemas.Record) { r.PermCommuneCode = ""; r.PermNewCommuneCode = "" }, "same permanent district, commune unknown"},
		{"address province only", "address", func(r *schemas.Record) { r.PermCommuneCode = ""; r.PermNewCommuneCode = ""; r.PermDistrictCode = "" }, "same permanent province, finer units unknown"},
		{"address other district, commune unknown", "address", func(r *schemas.Record) { r.PermCommuneCode = ""; r.PermNewCommuneCode = ""; r.PermDistrictCode = "009" }, "same province (either era)"},
		{"address province", "address", func(r *schemas.Record) {
			r.PermCommuneCode = "00007"
			r.PermNewCommuneCode = "00008"
			r.PermDistrictCode = "002"
		}, "same province (either era)"},
		{"parents both", "parents", func(r *schemas.Record) {}, "both parents' names equal"},
		{"parents one", "parents", func(r *schemas.Record) { r.MotherName = "Lê Thị Cúc" }, "one parent's name equal"},
		{"parents none", "parents", func(r *schemas.Record) { r.MotherName = ""; r.FatherName = "" }, "null"},
		{"ethnicity", "ethnicity", func(r *schemas.Record) { r.Ethnicity = "Tày" }, "else"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base()
			tt.edit(&b)
			got := vnLevels(t, base(), b)[tt.comparison]
			if got != tt.want {
				t.Errorf("%s: level %q, want %q", tt.comparison, got, tt.want)
			}
		})
	}
}

func TestCMNDAgainstCCCD(t *testing.T) {
	a, b := base(), base()
	a.CMND = ""
	b.IDNumber = ""
	if got := vnLevels(t, a, b)["id_number"]; got != "CMND on one side, number on the other" {
		t.Errorf("level %q", got)
	}
}

// A given name written first that is also a family name (Hà), on a record
// with the CMND but not the number: ParseName cannot move it, and before
// first_word_moved the given names' else vetoed the link (the veto lifts
// only on the same number).
func TestGivenNameWrittenFirstLinks(t *testing.T) {
	b := base()
	b.FullName, b.IDNumber = "Hà Nguyễn Thị Thu", ""
	if of := linkRecords(t, []schemas.Record{base(), b, base()}); of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: Hà Nguyễn Thị Thu is not with Nguyễn Thị Thu Hà", of)
	}
}

// TestTwoBirthOrderNames checks that two ranks (Hai and Ba: two children)
// are two given names that differ, not one rank on one side.
func TestTwoBirthOrderNames(t *testing.T) {
	a, b := base(), base()
	a.FullName, b.FullName = "Nguyễn Thị Thu Hai", "Nguyễn Thị Thu Ba"
	if got := vnLevels(t, a, b)["given_name"]; got != "else" {
		t.Errorf("Hai against Ba: level %q, want else", got)
	}
}
