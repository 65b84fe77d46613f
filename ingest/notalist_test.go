package ingest

import (
	"errors"
	"strings"
	"testing"
)

// TestSheetsThatAreNotLists: a workbook's sheets without header are told
// apart. A cover (titles, signatures) and a summary of counts hold no row
// that reads as a person's: they are skipped, kind "not a list", and the
// workbook imports the list beside them. A sheet without header whose rows
// read as persons' (a list whose header is not recognised), typed in
// Unicode or TCVN3, or one of names alone, still fails, naming the sheet,
// those rows masked and the way out. A workbook of a cover alone gives no
// data.
func TestSheetsThatAreNotLists(t *testing.T) {
	dir := t.TempDir()
	list := [][]any{{"STT", "Họ và tên", "Ngày sinh", "Số CCCD"}, {"1", "Nguyễn Văn An", "15/03/1990", "001090012345"}, {"2", "Lê Thị Hoa", "02/11/1987", ""}}
	cover := [][]any{{"ỦY BAN NHÂN DÂN", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}, {"XÃ TÂN MINH", "", "Độc lập - Tự do - Hạnh phúc"}, {},
		{"", "DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ"}, {"", "Năm 2026"}, {},
		{"Người lập biểu", "", "TM. UBND XÃ"}, {"", "", "(Ký, ghi rõ họ tên, đóng dấu)"}, {"Trần Thị Bình", "", "Nguyễn Văn Thắng"},
		{"", "Tân Minh, ngày 05 tháng 12 năm 2026"}}
	summary := [][]any{{"TỔNG HỢP NHÂN KHẨU THEO THÔN"}, {}, {"STT", "Thôn", "Số hộ", "Số nhân khẩu", "Nam", "Nữ"},
		{1, "Thôn Đông", 2, 2, 1, 1}, {2, "Đoàn Kết", 410, 1987, 990, 997}, {"Tổng cộng", "", 412, 1989, 991, 998}}
	// A list whose header names nothing dancu knows: its rows read as
	// persons' all the same.
	unknown := [][]any{{"Số TT", "Công dân", "Sinh ngày", "Căn cước"}, {"1", "Phạm Văn Cường", "04/07/1979", "001079012345"}, {"2", "Hoàng Thị Dung", "1982", ""}}
	tcvn3 := [][]any{{"TT", "C«ng d©n", "Sinh"}, {"1", "NguyÔn V¨n An", "15/03/1990"}, {"2", "NguyÔn ThÞ ¸nh", "02/11/1987"}}
	names := [][]any{{"Phạm Văn Cường"}, {"Hoàng Thị Dung"}, {"Nguyễn Văn An"}, {"Lê Thị Hoa"}, {"Trần Văn Bình"}}
	// Fewer than namesMakeAList names, each after its row number, with
	// nothing else or words alone beside it (rv8: both were skipped as
	// summaries, their rows dropped with exit 0).
	three := [][]any{{"TT", "Công dân"}, {"1", "Nguyễn Văn An"}, {"2", "Lê Thị Hoa"}, {"3", "Nguyễn Văn Bình"}}
	dotted := [][]any{{"TT", "Công dân"}, {"1.", "Nguyễn Văn An"}, {"2.", "Lê Thị Hoa"}, {"3.", "Nguyễn Văn Bình"}}
	household := [][]any{{"TT", "Công dân", "Quan hệ", "Dân tộc"}, {1, "Nguyễn Văn An", "Chủ hộ", "Kinh"}, {2, "Lê Thị Hoa", "Vợ", "Kinh"}, {3, "Nguyễn Văn Bình", "Con", "Kinh"}}
	// rv8's two left: an age beside the row number (two numbers a row,
	// as a summary's counts), and names with their relation to the head
	// and no number at all.
	aged := [][]any{{"TT", "Công dân", "Tuổi"}, {1, "Nguyễn Văn An", 36}, {2, "Lê Thị Hoa", 34}, {3, "Nguyễn Văn Bình", 9}}
	related := [][]any{{"Công dân", "Quan hệ"}, {"Nguyễn Văn An", "Chủ hộ"}, {"Lê Thị Hoa", "Vợ"}, {"Nguyễn Văn Bình", "Con"}}

	p := writeXLSX(t, dir, "xa.xlsx", map[string][][]any{"Bìa": cover, "Tổng hợp": summary, "Thôn Đông": list}, "Bìa", "Tổng hợp", "Thôn Đông")
	items, d := openAll(t, p, Options{})
	if err := d.Check(); err != nil {
		t.Fatalf("a workbook with a cover and a summary beside its list: %v", err)
	}
	if len(items) != 2 {
		t.Errorf("%d items, want the list's 2", len(items))
	}
	for i, want := range []string{NotAList + "cover", NotAList + "summary", ""} {
		l := d.Sheets[i]
		if l.Skipped != want || l.Problem != "" {
			t.Errorf("sheet %q: skipped %q, problem %q; want skipped %q and no problem", l.Sheet, l.Skipped, l.Problem, want)
		}
		if l.Rows != l.Accepted+l.Rejected+l.SkippedRows {
			t.Errorf("sheet %q: rows %d != %d + %d + %d", l.Sheet, l.Rows, l.Accepted, l.Rejected, l.SkippedRows)
		}
		if want != "" && (l.ByKind[SkipNoHeader] != 0 || l.ByKind[SkipNotList]+l.ByKind[SkipBlank] != l.Rows) {
			t.Errorf("sheet %q: rows by kind %v, want every row %q or blank", l.Sheet, l.ByKind, SkipNotList)
		}
	}

	for _, tc := range []struct {
		name  string
		rows  [][]any
		want  []string
		leaks []string
	}{
		{"unknown", unknown, []string{`sheet "Danh sách"`, "2 of its rows read as a person's record", "row 2 ", "row 3 ", "--sheet", "--mapping"}, []string{"Phạm Văn Cường", "001079012345"}},
		{"tcvn3", tcvn3, []string{`sheet "Danh sách"`, "2 of its rows read as a person's record", "row 2 ", "--sheet"}, []string{"Nguyễn Văn An", "NguyÔn V¨n An"}},
		{"names alone", names, []string{`sheet "Danh sách"`, "5 of its rows hold a name", "--sheet"}, []string{"Phạm Văn Cường"}},
		{"three numbered names", three, []string{`sheet "Danh sách"`, "3 of its rows read as a person's record", "--sheet"}, []string{"Nguyễn Văn Bình"}},
		{"numbered 1., 2.", dotted, []string{`sheet "Danh sách"`, "3 of its rows read as a person's record", "--sheet"}, []string{"Nguyễn Văn Bình"}},
		{"household", household, []string{`sheet "Danh sách"`, "3 of its rows read as a person's record", "--sheet"}, []string{"Nguyễn Văn Bình"}},
		{"names with an age", aged, []string{`sheet "Danh sách"`, "3 of its rows hold a name", "--sheet"}, []string{"Nguyễn Văn Bình"}},
		{"names with their relation", related, []string{`sheet "Danh sách"`, "3 of its rows hold a name", "--sheet"}, []string{"Nguyễn Văn Bình"}},
	} {
		p := writeXLSX(t, dir, tc.name+".xlsx", map[string][][]any{"Bìa": cover, "Danh sách": tc.rows, "Thôn Đông": list}, "Bìa", "Danh sách", "Thôn Đông")
		_, d := openAll(t, p, Options{})
		err := d.Check()
		if !errors.Is(err, ErrNoHeader) {
			t.Errorf("%s: a list sheet whose header is not recognised: %v, want %v", tc.name, err, ErrNoHeader)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q: %v", tc.name, w, err)
			}
		}
		for _, leak := range tc.leaks {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%s: error shows %q unmasked: %v", tc.name, leak, err)
			}
		}
		if strings.Contains(err.Error(), `"Bìa"`) {
			t.Errorf("%s: the cover named as a problem: %v", tc.name, err)
		}
	}

	p = writeXLSX(t, dir, "bia.xlsx", map[string][][]any{"Bìa": cover, "Tổng hợp": summary}, "Bìa", "Tổng hợp")
	_, d = openAll(t, p, Options{})
	err := d.Check()
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), `sheet "Bìa" (cover`) || !strings.Contains(err.Error(), `sheet "Tổng hợp" (summary`) {
		t.Errorf("a workbook of a cover and a summary: %v, want %v naming both", err, ErrNoData)
	}
}

// TestPersonLikeCells: what makes a row of a sheet without header read as
// a person's.
func TestPersonLikeCells(t *testing.T) {
	for _, tc := range []struct {
		s    string
		name bool
	}{
		{"Nguyễn Văn An", true}, {"NGUYỄN VĂN AN", true}, {"Lê Thị Hằng", true},
		{"ỦY BAN NHÂN DÂN", false}, {"DANH SÁCH NHÂN KHẨU", false}, {"Người lập biểu", false}, {"Thôn Đông", false},
		{"Nguyễn Văn An 1990", false}, {"Hà Nội, ngày 5", false}, {"An", false}, {"TM. UBND XÃ", false}, {"Công dân", false}, {"Nguyễn Thị ánh", true},
	} {
		if got := fullNameText(tc.s); got != tc.name {
			t.Errorf("fullNameText(%q) = %v, want %v", tc.s, got, tc.name)
		}
	}
	for _, tc := range []struct {
		s      string
		person bool
	}{
		{"15/03/1990", true}, {"1990", true}, {"001090012345", true}, {"Nam", true}, {"Nữ", true}, {"Thôn Đông, xã Tân Minh", true},
		{"12", false}, {"410", false}, {"Trần Thị Bình", false}, {"CHỦ TỊCH", false},
	} {
		if got := personValue(tc.s); got != tc.person {
			t.Errorf("personValue(%q) = %v, want %v", tc.s, got, tc.person)
		}
	}
}
