package ingest

import (
	"path/filepath"
	"testing"
)

// TestLegacyRowPreviews: the previews of user27's VNI and TCVN3 lists
// showed a reject's sex mark raw ("Nöõ" for Nữ: its column has no text
// encoding), the province of an address masked as a name ("Nghi Xuân, Hà
// T."), the totals word of a VNI sheet read as TCVN3 ("Coọng") and the
// commune of the place-and-date line masked ("Thạch K. ngày 20 tháng 11
// năm 2024"). A mark is decoded in the sheet's legacy encoding, an address
// column holds places (its long numbers still masked), a VNI sheet's
// footer is read in VNI, and the words before ", ngày" of a date line are
// its place. The name stays masked.
func TestLegacyRowPreviews(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ho_do.xlsx")
	s := "Sheet1"
	V := "VNI-Times"
	v := func(x string) string { return vni(t, x, false) }
	writeFontBook(t, path, []bookCell{
		{s, "A1", "STT", ""}, {s, "B1", "Hộ số", ""}, {s, "C1", "Họ và tên", ""}, {s, "D1", "Năm sinh", ""}, {s, "E1", "Nam", ""}, {s, "F1", "Nữ", ""}, {s, "G1", "Quê quán", ""},
		{s, "A2", 1, ""}, {s, "C2", v("Nguyễn Văn Hùng"), V}, {s, "D2", 1970, ""}, {s, "E2", "x", ""}, {s, "G2", v("Nghệ An"), V},
		{s, "A3", 2, ""}, {s, "C3", v("Trần Thị 2"), V}, {s, "D3", 1972, ""}, {s, "F3", v("Nữ"), V}, {s, "G3", v("Nghi Xuân, Hà Tĩnh"), V},
		{s, "B5", v("Cộng"), V}, {s, "C5", 2, ""},
		{s, "G6", v("Thạch Kim, ngày 20 tháng 11 năm 2024"), V},
	})
	_, desc := openAll(t, path, Options{})
	l := desc.Sheets[0]
	if len(l.Rejects) != 1 || l.Rejects[0].Preview != "2 | Trần T. 2. | 1972 | Nữ | Nghi Xuân, Hà Tĩnh" {
		t.Errorf("rejects %+v; want row 3 previewed \"2 | Trần T. 2. | 1972 | Nữ | Nghi Xuân, Hà Tĩnh\"", l.Rejects)
	}
	got := skipPreviews(t, desc, s)
	if got[5].Preview != "Cộng | 2" || got[6].Preview != "Thạch Kim, ngày 20 tháng 11 năm 2024" {
		t.Errorf("footer rows 5 %q, 6 %q; want \"Cộng | 2\" and the date line as written", got[5].Preview, got[6].Preview)
	}
}
