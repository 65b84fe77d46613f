package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/sweep"
)

// TestNameRelationAndRank: a household book keyed again writes the
// relation to the head in the name's cell, a military roll the rank
// before the name; both were read as part of the name (given name "Ch",
// family name "Hạ"). They are left out, with a note, and the relation is
// kept as the row's relation when the row gives none. Names that start
// with a word that is also a relation or a rank's (Ông, Võ, Châu, Trung)
// are left as written.
func TestNameRelationAndRank(t *testing.T) {
	tests := []struct{ cell, name, relation string }{
		{"CH Nguyễn Văn Thành", "Nguyễn Văn Thành", "CH"},
		{"Chủ hộ: Nguyễn Văn Thành", "Nguyễn Văn Thành", "Chủ hộ"},
		{"Nguyễn Văn Thành - CH", "Nguyễn Văn Thành", "CH"},
		{"Nguyễn Văn Thành (chủ hộ)", "Nguyễn Văn Thành", ""},
		{"Vợ: Trần Thị Hoa", "Trần Thị Hoa", "Vợ"},
		{"Vợ Trần Thị Hoa", "Trần Thị Hoa", "Vợ"},
		{"Con: Nguyễn Văn An", "Nguyễn Văn An", "Con"},
		{"Con Nguyễn Văn An", "Nguyễn Văn An", "Con"},
		{"Mẹ Lê Thị Hằng", "Lê Thị Hằng", "Mẹ"},
		{"VO: TRAN THI HOA", "TRAN THI HOA", "VO"},
		{"CH NGUYEN VAN THANH", "NGUYEN VAN THANH", "CH"},
		{"Hạ sĩ Nguyễn Văn An", "Nguyễn Văn An", ""},
		{"Thượng úy Lê Văn Bình", "Lê Văn Bình", ""},
		{"THUONG SI LE VAN BINH", "LE VAN BINH", ""},
		{"Binh nhất Phạm Văn Cường", "Phạm Văn Cường", ""},
		// Names as they are.
		{"Ông Văn Dũng", "Ông Văn Dũng", ""},
		{"VO VAN KIET", "VO VAN KIET", ""},
		{"Võ Văn Kiệt", "Võ Văn Kiệt", ""},
		{"CHAU THI MY", "CHAU THI MY", ""},
		{"Trung Văn Sĩ", "Trung Văn Sĩ", ""},
		{"Anh Nguyễn Văn Em", "Anh Nguyễn Văn Em", ""},
		{"Nguyễn Thị Em", "Nguyễn Thị Em", ""},
		{"Con bà Trần Thị Bình", "Con bà Trần Thị Bình", ""},
	}
	rows := [][]string{{"Họ và tên", "Năm sinh"}}
	for _, tt := range tests {
		rows = append(rows, []string{tt.cell, "1980"})
	}
	for ext, g := range importRows(t, rows) {
		if len(g.items) != len(tests) {
			t.Fatalf("%s: %d items, want %d", ext, len(g.items), len(tests))
		}
		for i, it := range g.items {
			tt := tests[i]
			if it.Record == nil {
				t.Errorf("%s %q: rejected %+v", ext, tt.cell, it.Reject)
				continue
			}
			noted := false
			for _, n := range it.Notes {
				noted = noted || n.Reason == NoteNameRelation
			}
			stripped := tt.name != tt.cell && tt.cell != "Nguyễn Văn Thành (chủ hộ)"
			if it.Record.FullName != tt.name || it.Record.RelationToHead != tt.relation || noted != stripped {
				t.Errorf("%s %q: name %q relation %q noted %v; want %q %q %v", ext, tt.cell, it.Record.FullName, it.Record.RelationToHead, noted, tt.name, tt.relation, stripped)
			}
		}
	}
}

// TestSeparatorsAsContainsAny: separators reads bytes where it called
// strings.ContainsAny(full, "-–—,"), and trimRelationMarks looks at a
// word's first and last bytes before strings.Trim; each agrees with the
// call it stands for on every string of up
// to four bytes drawn from the bytes that make the separators, their
// neighbours and other runes' starts (valid UTF-8 or not), on every rune
// to U+20000 between letters, and on random names.
func TestSeparatorsAsContainsAny(t *testing.T) {
	same := func(s string) {
		t.Helper()
		if got, want := separators(s) != nil, strings.ContainsAny(s, "-–—,"); got != want {
			t.Fatalf("separators(%q) = %v, ContainsAny %v", s, got, want)
		}
		if got, want := trimRelationMarks(s), strings.Trim(s, ".:;,-–— "); got != want {
			t.Fatalf("trimRelationMarks(%q) = %q, strings.Trim %q", s, got, want)
		}
	}
	bytes := []byte{'a', ' ', '-', ',', '.', ':', 0xE2, 0x80, 0x93, 0x94, 0x95, 0x92, 0xE1, 0xC3, 0xF0, 0xBB}
	sweep.Bytes(bytes, 4, same)
	for r := rune(0); r < 0x20000; r++ {
		same("Lê" + string(r) + "Văn")
	}
	sweep.Random(rand.New(rand.NewPCG(27, 13)), []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊÔƯáàảãạếềểễệ ,.-–—‒―−'\uFFFD"), 200000, 24, same)
}

// TestASCIISetsAsContainsAny: hasASCIIDigit and hasEither, which stand
// for strings.ContainsAny with sets of ASCII bytes in a row's validation,
// agree with it on every string of up to four bytes of twelve chosen ones
// and on random texts.
func TestASCIISetsAsContainsAny(t *testing.T) {
	same := func(s string) {
		t.Helper()
		if got, want := hasASCIIDigit(s), strings.ContainsAny(s, "0123456789"); got != want {
			t.Fatalf("hasASCIIDigit(%q) = %v, ContainsAny %v", s, got, want)
		}
		for _, set := range []string{",;", "eE"} {
			if got, want := hasEither(s, set[0], set[1]), strings.ContainsAny(s, set); got != want {
				t.Fatalf("hasEither(%q, %q) = %v, ContainsAny %v", s, set, got, want)
			}
		}
	}
	bytes := []byte{'a', 'e', 'E', ',', ';', '0', '9', '/', ':', 0xE1, 0xBB, 0x80}
	sweep.Bytes(bytes, 4, same)
	sweep.Random(rand.New(rand.NewPCG(27, 15)), []rune("aeEbcNguyễnVănAn ,;.0123456789/:"), 100000, 30, same)
}
