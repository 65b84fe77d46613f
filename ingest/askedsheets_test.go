package ingest

import (
	"strings"
	"testing"
)

// TestAskedSheetsMustExist: a sheet asked for (--sheet) that the workbook
// does not have stops the open with both the name asked and the
// workbook's sheets, instead of "nothing to import" or, beside a sheet
// that does exist, that sheet's rows alone without a word.
func TestAskedSheetsMustExist(t *testing.T) {
	p := writeXLSX(t, t.TempDir(), "xa_tan_minh.xlsx", map[string][][]any{
		"Thôn Đông": {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}},
		"Thôn Tây":  {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Trần Thị Bình", "1991"}},
	}, "Thôn Đông", "Thôn Tây")
	for _, asked := range [][]string{{"Thon Dong"}, {"Thôn Đông", "Thôn Bắc"}} {
		src, err := Open(p, Options{Sheets: asked})
		if err == nil {
			src.Close()
			t.Fatalf("--sheet %q: opened, want an error", asked)
		}
		if !strings.Contains(err.Error(), `"`+asked[len(asked)-1]+`"`) || !strings.Contains(err.Error(), `"Thôn Đông", "Thôn Tây"`) {
			t.Errorf("--sheet %q: %v, want the missing name and the workbook's sheets", asked, err)
		}
	}
	src, err := Open(p, Options{Sheets: []string{"Thôn Tây"}})
	if err != nil {
		t.Fatalf("a sheet the workbook has: %v", err)
	}
	src.Close()
}
