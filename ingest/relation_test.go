package ingest

import "testing"

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
