package vietnamese

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// TestDerivedSlots checks that every vn.* field the adapter declares, and
// every one the embedded settings read, has its slot in the adapter's
// array (a field without one would read as missing on every record), and
// that settings.Lineage traces each back to its record field.
func TestDerivedSlots(t *testing.T) {
	for f, in := range derivedInputs {
		if derivedSlot(f) < 0 {
			t.Errorf("derived field %s has no slot", f)
		}
		if got := settings.Lineage(settings.ColumnSpec{Name: "x", From: f}); strings.Join(got, ",") != strings.Join(in, ",") {
			t.Errorf("lineage of %s: %v, want %v", f, got, in)
		}
	}
	for _, load := range []func() (*settings.Settings, error){Settings, Trained} {
		s, err := load()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.Columns {
			if strings.HasPrefix(c.From, "vn.") && derivedSlot(c.From) < 0 {
				t.Errorf("settings %s: column %s reads %s, which the adapter does not make", s.Name, c.Name, c.From)
			}
		}
	}
	if derivedSlot("full_name") != -1 || derivedSlot("vn.nope") != -2 {
		t.Errorf("derivedSlot: canonical column %d, unknown vn field %d", derivedSlot("full_name"), derivedSlot("vn.nope"))
	}
}

// TestNameKeys checks that the keys cut from a name's key are the keys
// folded afresh, on every name the generator knows in several orders and
// on names that are hard to parse.
func TestNameKeys(t *testing.T) {
	names, err := synth.AllNames()
	if err != nil {
		t.Fatal(err)
	}
	more := []string{"", "Lan", "Thị Lan", "Nguyễn Thị  Lan", "  ĐẶNG  quốc anh tuấn ", "Tôn Nữ Thị Hoa", "Công Tằng Tôn Nữ Bảo Châu",
		"Nguyễn Phúc Vĩnh Lộc", "Nguye\u0303n Văn A", "O'Brien Lan", "H'Hen Niê", "Lê\u200bVăn Tám", "Văn", "X Æ A-12"}
	n := 0
	for i, a := range append(more, names...) {
		full := a
		if i >= len(more) && i+1 < len(more)+len(names) {
			full = a + " " + names[i-len(more)+1] // two names: more words
		}
		p := vn.ParseName(full)
		f, m, g := nameKeys(p)
		if f != vn.Fold(p.Family) || m != vn.Fold(p.Middle) || g != vn.Fold(p.Given) {
			t.Fatalf("nameKeys(%q) = %q %q %q, want %q %q %q", full, f, m, g, vn.Fold(p.Family), vn.Fold(p.Middle), vn.Fold(p.Given))
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d names checked", n)
	}
}

// TestRecordKeyIsFileScoped: two rows of two files that reuse the same
// local code ("Mã bản ghi" NK1) are two records, not a redelivery of one;
// the same row delivered twice is one.
func TestRecordKeyIsFileScoped(t *testing.T) {
	a, b := base(), base()
	a.RecordID, a.SourceRecordID = schemas.RecordID("hash-of-file-1", "", 2), "NK1"
	b.RecordID, b.SourceRecordID = schemas.RecordID("hash-of-file-2", "", 2), "NK1"
	b.FullName, b.IDNumber, b.BirthDate, b.BirthYear = "Lê Văn Tám", "", "1971-01-02", 1971
	if RecordKey(&a) == RecordKey(&b) {
		t.Fatalf("rows of two files share the key %q", RecordKey(&a))
	}
	if RecordLabel(&a) != "NK1" {
		t.Errorf("label %q, want the source's code NK1", RecordLabel(&a))
	}

	// Linking both (a second file reusing the code) is the registry's test:
	// registry.TestRecordsOfTwoFilesSharingCodes.
}
