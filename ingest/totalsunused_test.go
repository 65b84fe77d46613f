package ingest

import (
	"path/filepath"
	"testing"
)

// TestTotalsInAnUnusedLegacyColumn: "Tổng cộng" typed in .VnTime (or
// "Cộng" in VNI-Times) in a column dancu leaves unread — or the household
// number's, "Hộ số", read since user28 — with its COUNTA beside it under the name: the row
// was rejected, "full name has no letters" (user27's Thạch Kim and Hộ
// Độ workbooks), the totals word read as raw bytes. It is the footer now,
// as the same word in the STT column is.
func TestTotalsInAnUnusedLegacyColumn(t *testing.T) {
	for _, tc := range []struct {
		name, font, word string
	}{
		{"tcvn3", ".VnTime", tcvn3(t, "Tổng cộng", false)},
		{"vni", "VNI-Times", vni(t, "Cộng", false)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kim_hai.xlsx")
			s := "Sheet1"
			enc := func(v string) string {
				if tc.name == "vni" {
					return vni(t, v, false)
				}
				return tcvn3(t, v, false)
			}
			writeFontBook(t, path, []bookCell{
				{s, "A1", "STT", ""}, {s, "B1", "Hộ số", ""}, {s, "C1", "Họ và tên", ""}, {s, "D1", "Năm sinh", ""},
				{s, "A2", 1, ""}, {s, "B2", 1, ""}, {s, "C2", enc("Nguyễn Văn Hùng"), tc.font}, {s, "D2", 1970, ""},
				{s, "A3", 2, ""}, {s, "C3", enc("Trần Thị Thủy"), tc.font}, {s, "D3", 1972, ""},
				{s, "B5", tc.word, tc.font}, {s, "C5", 2, tc.font},
			})
			items, desc := openAll(t, path, Options{})
			_, rejects, _ := byRow(items)
			if rejects[5] != nil {
				t.Errorf("row 5 rejected: %+v; want the footer", rejects[5])
			}
			if s := skipPreviews(t, desc, "Sheet1")[5]; s.Kind != SkipFooter {
				t.Errorf("row 5: %+v; want the footer", s)
			}
		})
	}
}
