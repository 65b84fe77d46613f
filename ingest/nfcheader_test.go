package ingest

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestDecomposedHeaderComposed: a header written with combining tone
// marks (as LibreOffice gives an Excel 95 workbook's Windows-1258 text)
// is reported composed (NFC) and with single spaces, as the data is — the
// summary's column table lined up by characters — and maps the columns
// as the same header composed does.
func TestDecomposedHeaderComposed(t *testing.T) {
	header := []string{"STT", "Họ  và tên", "Ngày sinh", "Giới tính", "Số CMND/CCCD", "Quan hệ với chủ hộ", "Ghi chú riêng"}
	title := "Danh sách nhân khẩu thôn Đông"
	rows := func(nfd bool) [][]any {
		f := func(s string) any {
			if nfd {
				return norm.NFD.String(s)
			}
			return s
		}
		h := make([]any, len(header))
		for i, s := range header {
			h[i] = f(s)
		}
		return [][]any{{f(title)}, h,
			{1, "Nguyễn Văn An", "15/03/1990", "Nam", "001090012345", "Chủ hộ", ""},
			{2, "Trần Thị Bình", "02/11/1992", "Nữ", "001192012345", "Vợ", ""}}
	}
	dir := t.TempDir()
	_, want := openAll(t, writeXLSX(t, dir, "nfc.xlsx", map[string][][]any{"S": rows(false)}, "S"), Options{})
	_, got := openAll(t, writeXLSX(t, dir, "nfd.xlsx", map[string][][]any{"S": rows(true)}, "S"), Options{})
	w, g := want.Sheets[0], got.Sheets[0]
	if len(g.Columns) != len(header) || len(w.Columns) != len(header) {
		t.Fatalf("columns %+v, want %d", g.Columns, len(header))
	}
	for i, c := range g.Columns {
		h := strings.Join(strings.Fields(header[i]), " ")
		if c.Header != h || c.Field != w.Columns[i].Field {
			t.Errorf("column %s: header %q → %q, want %q → %q (as composed)", c.Letter, c.Header, c.Field, h, w.Columns[i].Field)
		}
	}
	if len(g.Skips) == 0 || len(w.Skips) == 0 || g.Skips[0].Preview != w.Skips[0].Preview || !norm.NFC.IsNormalString(g.Skips[0].Preview) {
		t.Errorf("title previews %+v, want %+v", g.Skips, w.Skips)
	}
	if g.Accepted != 2 || g.Accepted != w.Accepted {
		t.Errorf("accepted %d, want 2", g.Accepted)
	}
}

// excel95Header checks the column table of the Excel 95 fixture
// (TestOldExcel): composed as typed.
func excel95Header(t *testing.T, d Description) {
	t.Helper()
	want := []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính"}
	for i, c := range d.Sheets[0].Columns {
		if i < len(want) && c.Header != want[i] {
			t.Errorf("Excel 95 column %s: header %q (%+q), want %q", c.Letter, c.Header, c.Header, want[i])
		}
	}
}
