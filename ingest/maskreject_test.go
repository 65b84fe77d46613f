package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaskRejectValueOnce: a remark that says the person moved away
// ("Chuyển đi Hà Nội") or died rejects its row with the remark as the
// value, masked as free text when the row is read ("Chuyển đi Hà N.").
// The dry run's first rows masked it again with MaskValue, which takes a
// text without digits for one name: "Chuyển Đ. H. N." (user28's
// leftover). MaskRejectValue leaves such a value as the reader masked
// it; a garbled name (no remark) is still masked as a name.
func TestMaskRejectValueOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ds.csv")
	long := strings.TrimSpace(strings.Repeat("Nguyễn Văn An ", 10))
	csv := "STT,Họ và tên,Năm sinh,Ghi chú\n" +
		"1,Trần Thị Thủy,1950,Chuyển đi Hà Nội\n" +
		"2,Lê Văn Sơn (chuyển đi Huế),1955,\n" +
		"3,Nguyễn Văn Hùng,1940,Đã chết năm 2023\n" +
		"4," + long + ",1960,\n" +
		"5,Phan Văn Đạt,1980,Đi làm ăn xa\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, path, Options{})
	_, rejects, _ := byRow(items)
	for _, tc := range []struct {
		row  int
		want string
	}{
		{2, "Chuyển đi Hà N."},
		{3, "(chuyển đi Huế)"},
		{4, "Đã chết năm 2023"},
	} {
		r := rejects[tc.row]
		if r == nil {
			t.Errorf("row %d: not rejected", tc.row)
			continue
		}
		if got := MaskRejectValue(r); got != tc.want || got != r.Value {
			t.Errorf("row %d (%s): MaskRejectValue %q, value %q; want %q, as read", tc.row, r.Reason, got, r.Value, tc.want)
		}
	}
	if r := rejects[5]; r == nil || MaskRejectValue(r) != MaskValue(r.Value) || strings.Contains(MaskRejectValue(r), "Văn An") {
		t.Errorf("row 5, a garbled name: %+v; want it masked as a name", r)
	}
}
