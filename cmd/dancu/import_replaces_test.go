package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// replacesOld is a list as a commune first sends it; replacesNew is its
// correction: row 2's birth date corrected, row 3 removed, a row added.
const (
	replacesHeader = "STT,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Địa chỉ thường trú\n"
	replacesOld    = replacesHeader +
		"1,Nguyễn Văn An,15/03/1990,Nam,001090012345,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"2,Trần Thị Bình,02/07/1985,Nữ,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"3,Lê Văn Cường,20/11/1978,Nam,036078054321,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"4,Phạm Thị Dung,09/09/2001,Nữ,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"5,Hoàng Văn Em,01/01/1960,Nam,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n"
	replacesNew = replacesHeader +
		"1,Nguyễn Văn An,15/03/1990,Nam,001090012345,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"2,Trần Thị Bình,02/07/1986,Nữ,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"3,Phạm Thị Dung,09/09/2001,Nữ,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"4,Hoàng Văn Em,01/01/1960,Nam,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n" +
		"5,Vũ Thị Giang,12/12/2012,Nữ,,\"Xã Đông Hội, Huyện Đông Anh, Hà Nội\"\n"
)

func writeReplacesFiles(t *testing.T) (oldPath, newPath string) {
	t.Helper()
	dir := t.TempDir()
	oldPath, newPath = filepath.Join(dir, "dong_hoi_20240501.csv"), filepath.Join(dir, "dong_hoi_sua_20240501.csv")
	if err := os.WriteFile(oldPath, []byte(replacesOld), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newPath, []byte(replacesNew), 0o644); err != nil {
		t.Fatal(err)
	}
	return oldPath, newPath
}

// --dry-run --replaces compares the rows by their content (the row
// removed moves the rows after it up: they are unchanged all the same),
// says what would be withdrawn, masks names, and publishes nothing (no
// broker at this address). --rows 1 shows one row of each kind: the
// changed row does not hide the gone one.
func TestImportReplacesDryRun(t *testing.T) {
	oldPath, newPath := writeReplacesFiles(t)
	report := filepath.Join(t.TempDir(), "report.json")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "--clickhouse", "http://127.0.0.1:1", "import", "--dry-run", "--rows", "1", "--report", report, "--replaces", oldPath, newPath}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{"3 rows unchanged, 1 changed, 1 new, 1 gone", "would withdraw 5 records of batch b", "changed: row 3", `birth_date "1985-07-02" → "1986-07-02"`, "gone: row 4", "new: row 6"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, name := range []string{"Trần Thị Bình", "Lê Văn Cường", "Vũ Thị Giang", "036078054321"} {
		if strings.Contains(s, name) {
			t.Errorf("dry run shows %q:\n%s", name, s)
		}
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Files []struct {
			Replaces struct {
				Batch     string
				Withdrawn int
				Rows      rowDiff
			}
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Files) != 1 {
		t.Fatalf("report %s: %v", b, err)
	}
	r := rep.Files[0].Replaces
	if r.Withdrawn != 5 || !strings.HasPrefix(r.Batch, "b") || r.Rows.Unchanged != 3 || r.Rows.Changed != 1 || r.Rows.New != 1 || r.Rows.Gone != 1 {
		t.Errorf("report's replacement %+v", r)
	}
}

// A file cannot replace itself, and --replaces wants one file; a batch
// that is not a file is read from ClickHouse, which is not there: the
// error names it. Another commune's list, with no row in common, is not
// the list a correction replaces (all its records would be withdrawn); a
// list that gives no record has nothing to withdraw.
func TestImportReplacesRefusals(t *testing.T) {
	oldPath, newPath := writeReplacesFiles(t)
	otherPath := filepath.Join(t.TempDir(), "thon_3_20240501.csv")
	other := replacesHeader +
		"1,Nguyễn Văn An,15/03/1991,Nam,001091099999,\"Xã Xuân Nộn, Huyện Đông Anh, Hà Nội\"\n" +
		"2,Đỗ Thị Hoa,02/02/1972,Nữ,,\"Xã Xuân Nộn, Huyện Đông Anh, Hà Nội\"\n"
	if err := os.WriteFile(otherPath, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyPath := filepath.Join(t.TempDir(), "thon_4_20240501.csv") // a header, no row
	if err := os.WriteFile(emptyPath, []byte(replacesHeader), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--dry-run", "--replaces", oldPath, oldPath}, "the same file"},
		{[]string{"import", "--dry-run", "--replaces", oldPath, oldPath, newPath}, "give one file"},
		{[]string{"--clickhouse", "http://127.0.0.1:1", "import", "--dry-run", "--replaces", "b0123456789abcdef", newPath}, "--replaces b0123456789abcdef"},
		{[]string{"import", "--dry-run", "--replaces", filepath.Join(t.TempDir(), "gone.csv"), newPath}, "no such file"},
		{[]string{"import", "--dry-run", "--replaces", emptyPath, newPath}, "no record read from it, so there is nothing to withdraw"},
		{[]string{"import", "--dry-run", "--replaces", otherPath, newPath}, "the two lists have no row in common (none unchanged, none paired by its source id, number, or name and birth date; 4 new, 1 gone)"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"--kafka", "127.0.0.1:1", "--clickhouse", "http://127.0.0.1:1"}, c.args...), nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.args, err, c.want)
		}
	}
}

// The same list saved as a workbook from its CSV (a sheet of its own
// name, the same cells) is the same rows: the dry run says every row is
// unchanged, with or without --sheet. Until 6 December it said every row changed, for the
// format's name (source_kind) the records carry.
func TestImportReplacesSameListResaved(t *testing.T) {
	oldPath, _ := writeReplacesFiles(t)
	xlsx := filepath.Join(t.TempDir(), "dong_hoi_20240501.xlsx")
	writeWorkbook(t, xlsx, replacesOld, "")
	// --sheet names the corrected workbook's sheet, not the old CSV's:
	// until 6 December the old list was read with it, gave no record, and
	// the import withdrew nothing, saying so only in its figures.
	for _, sheet := range [][]string{nil, {"--sheet", "Danh sách"}} {
		var out, errb bytes.Buffer
		args := append(append([]string{"--kafka", "127.0.0.1:1", "--clickhouse", "http://127.0.0.1:1", "import", "--dry-run"}, sheet...), "--replaces", oldPath, xlsx)
		if err := run(context.Background(), args, nil, &out, &errb); err != nil {
			t.Fatalf("dry run %v: %v\n%s%s", sheet, err, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), "5 rows unchanged, 0 changed, 0 new, 0 gone") {
			t.Errorf("the same list as a workbook %v:\n%s", sheet, out.String())
		}
	}
}

// writeWorkbook writes the lines of CSV text as the sheet "Danh sách" of
// a workbook at path, with, as communes send them, extra sheets: with
// wbCover, a cover ("Bìa": titles, a signature) before it and a sheet
// "Tổng hợp" of totals after it, neither a list; with wbUnknownList, a
// sheet "Danh sách 2" after it, a list of persons whose header dancu
// does not recognise.
// The extra sheets writeWorkbook can add.
const (
	wbCover       = "cover"
	wbUnknownList = "unknown list"
)

func writeWorkbook(t *testing.T, path, text string, extra string) {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Danh sách")
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, line := range lines {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		cells := make([]any, len(rec))
		for j, c := range rec {
			cells[j] = c
		}
		if err := f.SetSheetRow("Danh sách", "A"+strconv.Itoa(i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(sheet string, rows ...[]any) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	switch extra {
	case wbCover:
		rows("Bìa", []any{"ỦY BAN NHÂN DÂN XÃ ĐÔNG HỘI"}, []any{"DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ (BẢN SỬA)"}, []any{},
			[]any{"Người lập biểu", "", "TM. UBND XÃ"}, []any{"Trần Thị Bình", "", "Nguyễn Văn Thắng"})
		if err := f.MoveSheet("Bìa", "Danh sách"); err != nil {
			t.Fatal(err)
		}
		rows("Tổng hợp", []any{"Tổng số nhân khẩu", len(lines) - 1})
	case wbUnknownList:
		rows("Danh sách 2", []any{"Số TT", "Công dân", "Sinh ngày"}, []any{"1", "Đỗ Văn Hùng", "04/07/1979"}, []any{"2", "Đỗ Thị Lan", "1982"})
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestImportReplacesWorkbookWithCover: a corrected workbook as a commune
// sends it, with a cover and a sheet of totals beside its list, replaces
// the old list (neither sheet is a list: until 6 December each failed the
// import); one with a second list whose header is not recognised is
// refused, naming that sheet and how to leave it out.
func TestImportReplacesWorkbookWithCover(t *testing.T) {
	oldPath, _ := writeReplacesFiles(t)
	dir := t.TempDir()
	cover, unknown := filepath.Join(dir, "dong_hoi_sua_20240501.xlsx"), filepath.Join(dir, "dong_hoi_sua2_20240501.xlsx")
	writeWorkbook(t, cover, replacesNew, wbCover)
	writeWorkbook(t, unknown, replacesNew, wbUnknownList)
	base := []string{"--kafka", "127.0.0.1:1", "--clickhouse", "http://127.0.0.1:1", "import", "--dry-run", "--replaces", oldPath}
	var out, errb bytes.Buffer
	if err := run(context.Background(), append(base, cover), nil, &out, &errb); err != nil {
		t.Fatalf("a corrected workbook with a cover: %v\n%s%s", err, out.String(), errb.String())
	}
	for _, want := range []string{"3 rows unchanged, 1 changed, 1 new, 1 gone", `sheet Bìa: not a list: cover`, `sheet Tổng hợp: not a list: summary`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("a corrected workbook with a cover: output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	err := run(context.Background(), append(base, unknown), nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), `sheet "Danh sách 2": no header row found`) || !strings.Contains(err.Error(), `--sheet "Danh sách"`) {
		t.Errorf("a corrected workbook with a list whose header is not recognised: %v, want it refused naming the sheet and --sheet", err)
	}
}
