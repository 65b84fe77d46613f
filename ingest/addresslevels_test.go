package ingest

import (
	"slices"
	"testing"
)

// TestAddressInLevelColumns: a two-row header with "Nơi thường trú" over
// "Thôn/Xóm | Xã | Huyện | Tỉnh" splits each address across four columns.
// Only the first (the village) was read, the commune, district and
// province left unused; they are joined now, in column order. Two address
// columns under no common parent still read the first alone.
func TestAddressInLevelColumns(t *testing.T) {
	head := [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Nơi thường trú", "", "", ""},
		{"", "", "", "Thôn/Xóm", "Xã", "Huyện", "Tỉnh"},
	}
	people := [][]string{
		{"1", "Nguyễn Văn Hùng", "1973", "Thôn Đông", "Tân Minh", "Sóc Sơn", "Hà Nội"},
		{"2", "Trần Thị Thủy", "1978", "Xóm 3", "", "Sóc Sơn", "Hà Nội"},
		{"3", "Lê Đức Thắng", "1980", "", "", "", ""},
	}
	want := []string{"Thôn Đông, Tân Minh, Sóc Sơn, Hà Nội", "Xóm 3, Sóc Sơn, Hà Nội", ""}
	for ext, got := range importRows(t, append(append([][]string{}, head...), people...)) {
		var addrs []string
		for _, it := range got.items {
			if it.Record == nil {
				t.Fatalf("%s: reject %+v", ext, it.Reject)
			}
			addrs = append(addrs, it.Record.PermAddress)
		}
		if !slices.Equal(addrs, want) {
			t.Errorf("%s: addresses %q, want %q (columns %+v)", ext, addrs, want, got.d.Sheets[0].Columns)
		}
	}

	// The same list typed in TCVN3, header too, with no font names.
	var legacy [][]any
	for _, r := range append(append([][]string{}, head...), people...) {
		var row []any
		for _, c := range r {
			row = append(row, tcvn3(t, c, false))
		}
		legacy = append(legacy, row)
	}
	items, d := openAll(t, writeXLSX(t, t.TempDir(), "tcvn3.xlsx", map[string][][]any{"DS": legacy}, "DS"), Options{})
	var addrs []string
	for _, it := range items {
		if it.Record != nil {
			addrs = append(addrs, it.Record.PermAddress)
		}
	}
	if !slices.Equal(addrs, want) {
		t.Errorf("TCVN3: addresses %q, want %q (columns %+v)", addrs, want, d.Sheets[0].Columns)
	}

	// Side by side, no parent: the first column, as before.
	rows := [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Địa chỉ thường trú", "Địa chỉ"},
		{"1", "Nguyễn Văn Hùng", "1973", "Thôn Đông, xã Tân Minh", "Thôn Tây, xã Tân Minh"},
	}
	for ext, got := range importRows(t, rows) {
		if len(got.items) != 1 || got.items[0].Record == nil || got.items[0].Record.PermAddress != "Thôn Đông, xã Tân Minh" {
			t.Errorf("%s: items %+v", ext, got.items)
		}
	}
}
