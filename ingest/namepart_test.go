package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestNoNameParts: with Options.NoNameParts the name parts are left empty
// and every other field, reject and note is what a default read gives.
func TestNoNameParts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.csv")
	csv := "Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Nơi thường trú\n" +
		"Nguyễn Văn An,01/02/1990,Nam,001090000001,\"Xã Tam Hiệp, Huyện Phúc Thọ, Hà Nội\"\n" +
		",01/02/1990,Nam,001090000002,\n" + // no name: rejected either way
		"Trần Thị Bích Ngọc,31/02/1991,Nữ,12,\n" // bad date and id: notes either way
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	full, _ := openAll(t, p, Options{Now: now})
	bare, _ := openAll(t, p, Options{Now: now, NoNameParts: true})
	if len(full) != 3 || len(bare) != len(full) {
		t.Fatalf("%d and %d items, want 3", len(full), len(bare))
	}
	for i := range full {
		a, b := full[i], bare[i]
		if (a.Record == nil) != (b.Record == nil) || (a.Reject == nil) != (b.Reject == nil) || len(a.Notes) != len(b.Notes) {
			t.Fatalf("item %d differs: %+v / %+v", i, a, b)
		}
		if a.Record == nil {
			continue
		}
		if a.Record.GivenName == "" || b.Record.FamilyName != "" || b.Record.MiddleName != "" || b.Record.GivenName != "" {
			t.Errorf("item %d: parts %q %q %q with, %q %q %q without", i,
				a.Record.FamilyName, a.Record.MiddleName, a.Record.GivenName, b.Record.FamilyName, b.Record.MiddleName, b.Record.GivenName)
		}
		ra, rb := *a.Record, *b.Record
		ra.FamilyName, ra.MiddleName, ra.GivenName = "", "", ""
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("item %d: other fields differ:\n%+v\n%+v", i, ra, rb)
		}
	}
}
