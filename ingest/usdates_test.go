package ingest

import (
	"slices"
	"testing"
	"time"
)

// excelSerial is the 1900-system serial of a day.
func excelSerial(y int, m time.Month, d int) float64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

// TestDatesTypedUnderUSLocale: an officer types "05/03/1978" (5 March)
// into Excel set to United States formats: Excel takes it for 3 May and
// stores that serial, while "13/03/1980", no month 13, stays text. Such a
// column — serials of days 1–12 beside text dates whose first number is
// always over 12 — has its serials read with day and month exchanged,
// with a note. A column typed under Vietnamese formats, whose serials
// fall on any day, is read as stored.
func TestDatesTypedUnderUSLocale(t *testing.T) {
	us := [][]any{{"Họ và tên", "Ngày sinh"},
		{"Nguyễn Văn An", excelSerial(1978, time.May, 3)}, // typed 05/03/1978
		{"Trần Thị Bình", "13/03/1980"},
		{"Lê Văn Cường", excelSerial(2001, time.December, 10)}, // typed 12/10/2001
		{"Phạm Thị Dung", "25/12/1990"},
		{"Hoàng Văn Em", "31/01/2001"},
		{"Vũ Văn Phong", excelSerial(1965, time.July, 1)}, // typed 07/01/1965
		{"Đỗ Thị Giang", "17/08/1972"},
		{"Bùi Văn Hải", "20/02/1999"},
	}
	// The same typed under Vietnamese formats: serials of every day, and
	// text dates among them.
	vnRows := [][]any{{"Họ và tên", "Ngày sinh"},
		{"Nguyễn Văn An", excelSerial(1978, time.May, 3)},
		{"Trần Thị Bình", "13/03/1980"},
		{"Lê Văn Cường", excelSerial(2001, time.December, 10)},
		{"Phạm Thị Dung", "25/12/1990"},
		{"Hoàng Văn Em", "31/01/2001"},
		{"Vũ Văn Phong", excelSerial(1965, time.January, 27)},
		{"Đỗ Thị Giang", "17/08/1972"},
		{"Bùi Văn Hải", "20/02/1999"},
	}
	path := writeXLSX(t, t.TempDir(), "ds.xlsx", map[string][][]any{"US": us, "VN": vnRows}, "US", "VN")
	items, _ := openAll(t, path, Options{})
	got := map[string][]string{}
	notes := map[string]int{}
	for _, it := range items {
		got[it.Record.Sheet] = append(got[it.Record.Sheet], it.Record.BirthDate)
		notes[it.Record.Sheet] += len(it.Notes)
	}
	if want := []string{"1978-03-05", "1980-03-13", "2001-10-12", "1990-12-25", "2001-01-31", "1965-01-07", "1972-08-17", "1999-02-20"}; !slices.Equal(got["US"], want) {
		t.Errorf("US-typed sheet: dates %q, want %q", got["US"], want)
	}
	if notes["US"] != 3 {
		t.Errorf("US-typed sheet: %d notes, want 3 (the serials read exchanged)", notes["US"])
	}
	if want := []string{"1978-05-03", "1980-03-13", "2001-12-10", "1990-12-25", "2001-01-31", "1965-01-27", "1972-08-17", "1999-02-20"}; !slices.Equal(got["VN"], want) || notes["VN"] != 0 {
		t.Errorf("VN-typed sheet: dates %q (%d notes), want %q", got["VN"], notes["VN"], want)
	}
}
