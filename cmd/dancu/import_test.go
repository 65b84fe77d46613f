package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/xlsxtest"
)

const importCSV = "DANH SÁCH NHÂN KHẨU\nSTT,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân\n" +
	"1,Nguyễn Văn An,15/03/1990,Nam,001090012345\n" +
	"2,,1991,Nữ,\n" +
	"3,Trần Thị Bình,32/13/1992,Nữ,12ab\n" // two digits off: no one-digit reading (31/02 is kept as 1992 since acc37)

func TestImportDryRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "thon1_20240501.csv")
	if err := os.WriteFile(p, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	var out, errb bytes.Buffer
	// No broker is running at this address: a dry run must not need one.
	err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", "--report", report, p}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{"rows 5 = accepted 2 + rejected 1 + skipped 2 (1 title, 1 header)", "row 4  missing full name (Họ và tên)", "Họ và tên", "→ full_name", "source date 2024-05-01 (from file name)", "nothing published", "birth_date: impossible date of birth"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Nguyễn Văn An") || strings.Contains(s, "001090012345") {
		t.Errorf("dry run shows a full name or number:\n%s", s)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Files []struct {
			Stats  struct{ Rows, Read, Accepted, Rejected, Skipped int64 }
			Sheets []struct {
				Skips []struct {
					Row     int
					Kind    string
					Preview string
				}
				Rejects []struct {
					Row     int
					Reason  string
					Preview string
				}
			}
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Files) != 1 || rep.Files[0].Stats.Read != 3 || rep.Files[0].Stats.Rejected != 1 ||
		rep.Files[0].Stats.Rows != 5 || rep.Files[0].Stats.Skipped != 2 {
		t.Fatalf("report %s: %v", b, err)
	}
	sh := rep.Files[0].Sheets[0]
	if len(sh.Skips) != 2 || sh.Skips[0].Kind != "title" || sh.Skips[1].Kind != "header" || sh.Skips[1].Row != 2 ||
		len(sh.Rejects) != 1 || sh.Rejects[0].Row != 4 || sh.Rejects[0].Reason != "missing full name" || sh.Rejects[0].Preview != "2 | 1991 | Nữ" {
		t.Errorf("report lists skipped rows %+v and rejected rows %+v", sh.Skips, sh.Rejects)
	}
}

func TestImportCommand(t *testing.T) {
	addr := brokertest.Start(t)
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--kafka", addr, "import", p}, nil, &out, &errb); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out.String(), errb.String())
	}
	if s := out.String(); !strings.Contains(s, "published 2 records, 1 rejects") {
		t.Errorf("output:\n%s", s)
	}
	for _, bad := range [][]string{{"import"}, {"import", "--source-date", "2024-13-01", p}, {"import", "--mapping", "/nonexistent.yaml", p}} {
		if err := run(context.Background(), append([]string{"--kafka", addr}, bad...), nil, &out, &errb); err == nil {
			t.Errorf("dancu %v succeeded", bad)
		}
	}
}

// TestImportKafkaDown: with no broker, the first and only thing import
// says is which address is down and how to start the embedded broker —
// no file line, no summary before it.
func TestImportKafkaDown(t *testing.T) {
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var out, errb bytes.Buffer
	err = run(context.Background(), []string{"--kafka", addr, "import", p}, nil, &out, &errb)
	if err == nil {
		t.Fatalf("import with no broker succeeded:\n%s", out.String())
	}
	if msg := err.Error(); !strings.Contains(msg, addr) || !strings.Contains(msg, "`dancu broker`") || strings.Contains(msg, "\n") {
		t.Errorf("error %q: want one line naming %s and `dancu broker`", msg, addr)
	}
	if out.Len() > 0 || errb.Len() > 0 {
		t.Errorf("import printed before the error:\n%s%s", out.String(), errb.String())
	}
}

// badFiles writes the three files the issue found imported as nothing
// with exit 0 — a CSV of 50 rows with no header row, random bytes (no
// NUL, so they look like text) named .xlsx, a header with no rows — and
// a one-column list under a valid "Họ và tên" header, which is imported.
func badFiles(t *testing.T, dir string) (noHeader, random, headerOnly, oneColumn string) {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&b, "%d,Nguyễn Văn %c,%02d/03/1990,Nam,00109001%04d\n", i, 'A'+rune(i%26), i%28+1, i)
	}
	rnd := make([]byte, 4096)
	for i := range rnd {
		rnd[i] = byte(1 + (i*131+17)%255)
	}
	files := map[string][]byte{
		"khong_tieu_de.csv": []byte(b.String()),
		"danhsach.xlsx":     rnd,
		"chi_tieu_de.csv":   []byte("STT,Họ và tên,Ngày sinh\n"),
		"mot_cot.csv":       []byte("Họ và tên\nNguyễn Văn An\nTrần Thị Bình\nLê Văn Cường\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "khong_tieu_de.csv"), filepath.Join(dir, "danhsach.xlsx"), filepath.Join(dir, "chi_tieu_de.csv"), filepath.Join(dir, "mot_cot.csv")
}

// TestImportNothingIsAnError: each bad file fails with a message naming
// the file and what was expected; a multi-file import goes on with the
// other files and fails at the end; dancu link fails on them too.
func TestImportNothingIsAnError(t *testing.T) {
	dir := t.TempDir()
	noHeader, random, headerOnly, oneColumn := badFiles(t, dir)
	for _, tc := range []struct {
		file string
		want []string
	}{
		{noHeader, []string{noHeader, "no header row", "50 rows were not read", "Họ và tên", "--mapping"}},
		{random, []string{random, "not an Excel workbook", "save it again"}},
		{headerOnly, []string{headerOnly, "nothing to import", "no row below it", "--mapping"}},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"import", "--dry-run", tc.file}, nil, &out, &errb)
		if err == nil {
			t.Errorf("import %s succeeded:\n%s", tc.file, out.String())
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("import %s: error %q lacks %q", tc.file, err, w)
			}
		}
		if strings.Contains(err.Error(), "Nguyễn Văn") {
			t.Errorf("error shows a full name: %v", err)
		}
		err = run(context.Background(), []string{"link", "--in", tc.file, "--out", filepath.Join(dir, "c.csv")}, nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("link %s: %v, want an error naming the file", tc.file, err)
		}
	}

	// A one-column list of names under a valid header is imported, and
	// says it carries names only.
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", oneColumn}, nil, &out, &errb); err != nil {
		t.Fatalf("one-column list: %v", err)
	}
	if s := out.String(); !strings.Contains(s, "rows 4 = accepted 3 + rejected 0 + skipped 1") || !strings.Contains(s, "names only") {
		t.Errorf("one-column list:\n%s", s)
	}

	// Several files: the good ones are imported (published), the bad ones
	// named, and the command fails at the end.
	addr := brokertest.Start(t)
	out.Reset()
	errb.Reset()
	good := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(good, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"--kafka", addr, "import", noHeader, good, random, oneColumn, headerOnly}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "3 of 5 files failed") {
		t.Fatalf("multi-file import: %v, want 3 of 5 files failed\n%s%s", err, out.String(), errb.String())
	}
	if s := out.String(); !strings.Contains(s, "published 2 records, 1 rejects") || !strings.Contains(s, "published 3 records, 0 rejects") {
		t.Errorf("the good files were not published:\n%s", s)
	}
	for _, f := range []string{noHeader, random, headerOnly} {
		if !strings.Contains(errb.String(), "FAILED: import: ") || !strings.Contains(errb.String(), f) {
			t.Errorf("stderr does not name %s:\n%s", f, errb.String())
		}
	}
}

// TestImportBadReportPathFailsFirst: a --report that cannot be written
// fails the command before any file is read or published.
func TestImportBadReportPathFailsFirst(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "thon1_20240501.csv")
	if err := os.WriteFile(p, []byte(importCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "import", "--report", filepath.Join(dir, "no", "such", "dir", "r.json"), p}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--report") {
		t.Fatalf("import with an unwritable --report: %v, want an error naming --report", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed before failing:\n%s", out.String())
	}
}

// TestImportNamesTheSheetsToKeep: a commune workbook with a summary sheet
// ("Tổng hợp", no header, no person) beside its village sheets imports
// them, the summary reported as not a list; one with a sheet whose rows
// read as persons under a header dancu does not recognise fails the
// import, as any list without a header does; the error names that sheet's
// rows, says the village sheets were read and gives the --sheet flags that
// import them alone — which then succeed.
func TestImportNamesTheSheetsToKeep(t *testing.T) {
	dir := t.TempDir()
	villages := map[string][][]any{
		"Thôn Đông": {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}},
		"Thôn Tây":  {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Trần Thị Bình", "1991"}},
		"Tổng hợp":  {{"Tổng hợp"}, {"Thôn Đông", "1"}, {"Thôn Tây", "1"}},
	}
	p := xlsxtest.Write(t, dir, "xa_tan_minh.xlsx", villages, "Thôn Đông", "Thôn Tây", "Tổng hợp")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", p}, nil, &out, &errb); err != nil {
		t.Fatalf("import of a workbook with a summary sheet: %v\n%s", err, out.String())
	}
	for _, want := range []string{"sheet Tổng hợp: not a list: summary: rows 3, all skipped (3 not a list)", "total: rows 7 = accepted 2 + rejected 0 + skipped 5"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("import of a workbook with a summary sheet: output lacks %q:\n%s", want, out.String())
		}
	}
	villages["Cũ"] = [][]any{{"Số TT", "Công dân", "Sinh ngày"}, {"1", "Đỗ Văn Hùng", "04/07/1979"}}
	p = xlsxtest.Write(t, dir, "xa_tan_minh_2.xlsx", villages, "Thôn Đông", "Thôn Tây", "Tổng hợp", "Cũ")
	out.Reset()
	err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", p}, nil, &out, &errb)
	want := `the other sheets were read; to import only the sheets with data, name them: --sheet "Thôn Đông" --sheet "Thôn Tây"`
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `sheet "Cũ"`) ||
		!strings.Contains(err.Error(), `1 of its rows read as a person's record`) || strings.Contains(err.Error(), "Đỗ Văn Hùng") {
		t.Fatalf("import of a workbook with a list whose header is not recognised: %v, want an error naming the sheet, its row masked, and ending %q", err, want)
	}
	if strings.Contains(err.Error(), `sheet "Tổng hợp"`) {
		t.Errorf("the summary named as a problem: %v", err)
	}
	out.Reset()
	args := []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", "--sheet", "Thôn Đông", "--sheet", "Thôn Tây", p}
	if err := run(context.Background(), args, nil, &out, &errb); err != nil {
		t.Fatalf("with the sheets named: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "accepted 2") {
		t.Errorf("with the sheets named:\n%s", out.String())
	}
}

// TestImportSheetsOfSeveralFiles: --sheet with several workbooks names
// the sheets of all of them (a commune's village sheets, the police
// post's "DS"): each is imported for the names it has, and a name none
// has fails the command.
func TestImportSheetsOfSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	commune := xlsxtest.Write(t, dir, "xa_tan_minh.xlsx", map[string][][]any{
		"Thôn Đông": {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}},
		"Tổng hợp":  {{"Tổng hợp"}, {"Thôn Đông", "1"}},
	}, "Thôn Đông", "Tổng hợp")
	police := xlsxtest.Write(t, dir, "ca_tan_minh.xlsx", map[string][][]any{
		"DS": {{"TT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}, {"2", "Trần Thị Bình", "1991"}},
	}, "DS")
	var out, errb bytes.Buffer
	args := []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", "--sheet", "Thôn Đông", "--sheet", "DS", commune, police}
	if err := run(context.Background(), args, nil, &out, &errb); err != nil {
		t.Fatalf("two workbooks with their sheets named: %v\n%s%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "accepted 1 ") || !strings.Contains(out.String(), "accepted 2 ") {
		t.Errorf("want 1 row of the commune's and 2 of the police post's accepted:\n%s", out.String())
	}
	out.Reset()
	errb.Reset()
	err := run(context.Background(), append(args, "--sheet", "Thôn Tây"), nil, &out, &errb)
	if err == nil || !strings.Contains(errb.String()+err.Error(), `--sheet "Thôn Tây": a sheet of none of the files`) {
		t.Errorf("a name that is no file's sheet: %v, want the command failed naming it\n%s", err, errb.String())
	}
	if strings.Contains(out.String(), "accepted") {
		t.Errorf("a name that is no file's sheet: told after the files were read, want before a row is read:\n%s", out.String())
	}
}

// TestImportWarns: dancu import's summary warns of a source record id (Mã
// bản ghi) used by two rows and of a date column read month first (a CSV
// saved with United States dates), naming row, column and value, the ids
// masked like any number; counts them under the total; --report writes
// them; --date-order says the order and refuses what is none.
func TestImportWarns(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ds.csv")
	if err := os.WriteFile(p, []byte("STT,Mã bản ghi,Họ và tên,Ngày sinh\n"+
		"1,001090012345,Nguyễn Văn An,03/25/1990\n"+
		"2,001090012346,Trần Thị Bình,05/03/1978\n"+
		"3,001090012345,Lê Văn Cường,12/31/2001\n"+
		"4,001090012347,Phạm Thị Dung,11/14/1999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", "--report", report, p}, nil, &out, &errb); err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{
		`warning: date order`, `row 2 column "Ngày sinh" "03/25/1990": read month/day/year`,
		`warning: duplicate source id`, `row 4 column "Mã bản ghi" "0010******45": source record id already used by row 2`,
		"warnings (rows accepted, to look at): 1 date order, 1 duplicate source id", `"birth_date":"1978-05-03"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "001090012345") {
		t.Errorf("output shows a full number:\n%s", s)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"kind": "duplicate source id"`) || !strings.Contains(string(b), `"warning_counts"`) {
		t.Errorf("report lacks the warnings:\n%s", b)
	}

	out.Reset()
	if err := run(context.Background(), []string{"import", "--dry-run", "--date-order", "dmy", p}, nil, &out, &errb); err != nil {
		t.Fatalf("--date-order dmy: %v", err)
	}
	if s := out.String(); !strings.Contains(s, `"birth_date":"1978-03-05"`) || !strings.Contains(s, "read day first, but 3 dates can only be month/day/year") {
		t.Errorf("--date-order dmy:\n%s", s)
	}
	err = run(context.Background(), []string{"import", "--dry-run", "--date-order", "us", p}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--date-order") {
		t.Errorf("--date-order us: %v", err)
	}
}

// TestImportDryRunMasksRejectValues: --dry-run's first rows show a
// rejected row's value, which for a name over 120 characters (a garbled
// row) was 64 characters of it in full; it is masked as names are.
func TestImportDryRunMasksRejectValues(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ds.csv")
	long := strings.TrimSpace(strings.Repeat("Nguyễn Văn An ", 10))
	if err := os.WriteFile(p, []byte("STT,Họ và tên,Ngày sinh\n1,"+long+",15/03/1990\n2,Trần Thị Bình,13/03/1980\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", p}, nil, &out, &errb); err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	if !strings.Contains(s, `"value":"Nguyễn V. A. N. V. A.`) || strings.Contains(s, "Văn An") || strings.Contains(s, "Thị Bình") {
		t.Errorf("dry run shows a name in full, or not the masked reject:\n%s", s)
	}
}
