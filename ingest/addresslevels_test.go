package ingest

import (
	"slices"
	"strings"
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

// TestAddressLevelsSideBySide: a single-row header with the levels of the
// address side by side and no parent over them ("Thôn/Xóm | Xã/Phường |
// Huyện/Quận | Tỉnh/Thành phố"; also in capitals, without tone marks, in
// TCVN3) read no address at all; the run is the permanent address now,
// joined as under a parent, and the sheet's note names its columns. With a
// permanent address column besides, the levels are left unused.
func TestAddressLevelsSideBySide(t *testing.T) {
	people := [][]string{
		{"1", "Phạm Văn Khải", "1969", "Thôn Bình Tây", "Tân Hòa", "Châu Thành", "Long An"},
		{"2", "Đỗ Thị Nga", "1975", "", "Tân Hòa", "", "Long An"},
	}
	want := []string{"Thôn Bình Tây, Tân Hòa, Châu Thành, Long An", "Tân Hòa, Long An"}
	heads := [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Thôn/Xóm", "Xã/Phường", "Huyện/Quận", "Tỉnh/Thành phố"},
		{"STT", "HỌ VÀ TÊN", "NĂM SINH", "ẤP", "XÃ/THỊ TRẤN", "THỊ XÃ", "TỈNH"},
		{"STT", "Ho va ten", "Nam sinh", "Ban", "Xa", "Huyen", "Tinh/TP"},
	}
	addrs := func(items []Item) []string {
		var out []string
		for _, it := range items {
			if it.Record == nil {
				t.Fatalf("reject %+v", it.Reject)
			}
			out = append(out, it.Record.PermAddress)
		}
		return out
	}
	for _, head := range heads {
		for ext, got := range importRows(t, append([][]string{head}, people...)) {
			if a := addrs(got.items); !slices.Equal(a, want) {
				t.Errorf("%s %q: addresses %q, want %q (columns %+v)", ext, head, a, want, got.d.Sheets[0].Columns)
			}
			if n := got.d.Sheets[0].Note; !strings.Contains(n, "columns D–G") {
				t.Errorf("%s %q: note %q names not the address's columns", ext, head, n)
			}
		}
	}

	// TCVN3, header too, with no font names.
	var legacy [][]any
	for _, r := range append([][]string{heads[0]}, people...) {
		var row []any
		for _, c := range r {
			row = append(row, tcvn3(t, c, false))
		}
		legacy = append(legacy, row)
	}
	items, d := openAll(t, writeXLSX(t, t.TempDir(), "tcvn3.xlsx", map[string][][]any{"DS": legacy}, "DS"), Options{})
	if a := addrs(items); !slices.Equal(a, want) {
		t.Errorf("TCVN3: addresses %q, want %q (columns %+v)", a, want, d.Sheets[0].Columns)
	}

	// A permanent address column besides: the levels are not guessed at.
	head := append(append([]string{}, heads[0]...), "Nơi thường trú")
	var rows [][]string
	for _, p := range people {
		rows = append(rows, append(append([]string{}, p...), "Số 5, Tân Hòa"))
	}
	for ext, got := range importRows(t, append([][]string{head}, rows...)) {
		if a := addrs(got.items); !slices.Equal(a, []string{"Số 5, Tân Hòa", "Số 5, Tân Hòa"}) {
			t.Errorf("%s: with a permanent address column, addresses %q", ext, a)
		}
	}

	// One level alone, or levels without a commune, district or province,
	// are not an address.
	for _, head := range [][]string{
		{"STT", "Họ và tên", "Năm sinh", "Thôn", "Ghi chú", "Tỉnh", "Nghề"},
		{"STT", "Họ và tên", "Năm sinh", "Thôn", "Tổ dân phố", "Ghi chú", "Nghề"},
	} {
		for ext, got := range importRows(t, append([][]string{head}, people...)) {
			if a := addrs(got.items); !slices.Equal(a, []string{"", ""}) {
				t.Errorf("%s %q: addresses %q, want none", ext, head, a)
			}
		}
	}
}
