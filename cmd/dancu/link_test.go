package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/internal/xlsxtest"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/pipelines"
)

// readCSVFile reads a whole CSV file.
func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func colOf(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

// TestLinkFilesReusingLocalCodes links two generated lists whose local
// record codes ("Mã bản ghi") were renumbered 1, 2, 3… in each file, so
// that every code of one file is reused by the other. Identity is
// file-scoped, so link must neither stop nor take the second file's rows
// for the first's: it must find the same persons as on the original
// files, where the codes were unique.
func TestLinkFilesReusingLocalCodes(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 400, Seed: 7, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	truthRows := readCSVFile(t, filepath.Join(dir, "truth.csv"))
	truth := map[string]string{} // original code → person
	for _, r := range truthRows[1:] {
		truth[r[0]] = r[1]
	}
	files := []string{"danhsach_20240501.csv", "danhsach_20251001.csv"}
	reused := t.TempDir()
	var orig, renum []string
	for _, name := range files {
		rows := readCSVFile(t, filepath.Join(dir, name))
		code := colOf(t, rows[0], "Mã bản ghi")
		for i, r := range rows[1:] {
			r[code] = "NK" + strconv.Itoa(i+1)
		}
		p := filepath.Join(reused, name)
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(fh)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		orig = append(orig, "--in", filepath.Join(dir, name))
		renum = append(renum, "--in", p)
	}

	link := func(in []string) [][]string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "clusters.csv")
		var so, se bytes.Buffer
		if err := run(context.Background(), append(append([]string{"link"}, in...), "--out", out), nil, &so, &se); err != nil {
			t.Fatalf("link %v: %v\n%s", in, err, se.String())
		}
		return readCSVFile(t, out)
	}
	a, b := link(orig), link(renum)
	if len(a) != len(b) || len(a) < 500 {
		t.Fatalf("%d and %d clustered rows", len(a)-1, len(b)-1)
	}
	aSrc, aPerson := colOf(t, a[0], "source_record_id"), colOf(t, a[0], "person_id")
	bID, bSrc, bPerson := colOf(t, b[0], "record_id"), colOf(t, b[0], "source_record_id"), colOf(t, b[0], "person_id")

	// Rows come in file order in both runs: row i is the same physical row.
	trueOf := map[string]string{}
	predA, predB := map[string]string{}, map[string]string{}
	reusedCodes := map[string]int{}
	for i := 1; i < len(a); i++ {
		person, ok := truth[a[i][aSrc]]
		if !ok {
			t.Fatalf("row %d: source code %q of the original run is not in truth.csv", i, a[i][aSrc])
		}
		id := b[i][bID]
		if _, dup := trueOf[id]; dup {
			t.Fatalf("record id %s given to two rows", id)
		}
		trueOf[id] = person
		predA[id] = a[i][aPerson]
		predB[id] = b[i][bPerson]
		reusedCodes[b[i][bSrc]]++
	}
	twice := 0
	for _, n := range reusedCodes {
		if n == 2 {
			twice++
		}
	}
	if twice < 100 {
		t.Fatalf("only %d local codes are used by both files: the test does not exercise reuse", twice)
	}
	ma, mb := eval.Clusters(trueOf, predA), eval.Clusters(trueOf, predB)
	t.Logf("unique codes: %s\nreused codes: %s", ma, mb)
	if mb.Records != len(a)-1 || mb.MissingInPred != 0 {
		t.Errorf("reused codes: %d records evaluated, %d missing, want %d and 0", mb.Records, mb.MissingInPred, len(a)-1)
	}
	if mb.TP != ma.TP || mb.PredPairs != ma.PredPairs {
		t.Errorf("reused codes link differently: %d predicted pairs (%d true), unique codes %d (%d true)", mb.PredPairs, mb.TP, ma.PredPairs, ma.TP)
	}
	if ma.TP == 0 {
		t.Errorf("no true pair found: %s", ma)
	}
}

// TestLinkEveryName: dancu link reads a list whose names use every name
// of the tables and every name that folds to a footer or header word,
// and links every row: accepted + rejected = rows generated.
func TestLinkEveryName(t *testing.T) {
	names, err := synth.AllNames()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rows := [][]string{{"Họ và tên", "Ngày sinh", "Giới tính", "Nơi thường trú"}}
	rejects := 0
	for i, n := range names {
		if i%500 == 499 {
			rows = append(rows, []string{"", "01/01/1980", "Nam", "Thôn 1, xã Đông Anh"})
			rejects++
		}
		rows = append(rows, []string{n, fmt.Sprintf("%02d/%02d/%d", i%28+1, i%12+1, 1930+i%90), []string{"Nam", "Nữ"}[i%2], fmt.Sprintf("Thôn %d, xã Đông Anh, Hà Nội", i%9+1)})
	}
	in := filepath.Join(dir, "moi_ten.csv")
	fh, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := csv.NewWriter(fh).WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	out := filepath.Join(dir, "clusters.csv")
	var so, se bytes.Buffer
	if err := run(context.Background(), []string{"link", "--in", in, "--out", out}, nil, &so, &se); err != nil {
		t.Fatalf("link: %v\n%s", err, se.String())
	}
	got := readCSVFile(t, out)
	if len(got)-1 != len(names) || !strings.Contains(se.String(), fmt.Sprintf("%d rows rejected", rejects)) {
		t.Errorf("generated %d rows (%d without a name): linked %d; stderr:\n%s", len(rows)-1, rejects, len(got)-1, se.String())
	}
}

// TestLinkFileThatCannotBeOpened links a list with a file that does not
// exist, first and second: each next file is opened while the one before
// is read, and the run must still stop with the missing file named, and
// an error in the first file must not wait on or leak the second.
func TestLinkFileThatCannotBeOpened(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 100, Seed: 5, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	good, later := filepath.Join(dir, "danhsach_20240501.csv"), filepath.Join(dir, "danhsach_20251001.csv")
	missing := filepath.Join(dir, "khong_co.csv")
	junk := filepath.Join(dir, "junk.csv")
	if err := os.WriteFile(junk, []byte("\x00\x01\x02 not a list"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{good, missing}, missing},
		{[]string{missing, good}, missing},
		{[]string{junk, good}, junk},
		{[]string{good, later, missing}, missing},
	} {
		args := []string{"link", "--out", filepath.Join(dir, "c.csv")}
		for _, p := range tc.in {
			args = append(args, "--in", p)
		}
		var so, se bytes.Buffer
		err := run(context.Background(), args, nil, &so, &se)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("link %v: error %v, want one naming %s", tc.in, err, tc.want)
		}
	}
}

// TestLinkStopsWhileReading: a context cancelled during the read phase
// (dancu link's first SIGTERM) ends the link with the context's error,
// without waiting for the read, and writes no output.
func TestLinkStopsWhileReading(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 100, Seed: 5, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "c.csv")
	started, release := make(chan struct{}), make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer close(release)
	go func() { <-started; cancel() }()
	load := func() (*settings.Settings, *matching.Mapping, *matching.Frame, error) {
		close(started)
		<-release // a read that lasts until the test ends
		return nil, nil, nil, errors.New("not reached")
	}
	if _, _, err := loadUnlessStopped(ctx, load); !errors.Is(err, context.Canceled) {
		t.Fatalf("read stopped: %v, want context.Canceled", err)
	}
	var so, se bytes.Buffer
	args := []string{"link", "--in", filepath.Join(dir, "danhsach_20240501.csv"), "--out", out}
	if err := run(ctx, args, nil, &so, &se); !errors.Is(err, context.Canceled) {
		t.Fatalf("link with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("link stopped while reading wrote %s (%v)", out, err)
	}
}

// TestLinkPrintsTrueBlockingRecall: link --truth prints, after the link,
// the true blocking recall beside training's estimate, counted as
// --analyse-blocking --truth counts its pairs completeness.
func TestLinkPrintsTrueBlockingRecall(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 400, Seed: 7, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	in := []string{"--in", filepath.Join(dir, "danhsach_20240501.csv"), "--in", filepath.Join(dir, "danhsach_20251001.csv"),
		"--truth", filepath.Join(dir, "truth.csv")}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), append([]string{"link", "--out", filepath.Join(dir, "clusters.csv")}, in...), nil, &out, &errOut); err != nil {
		t.Fatalf("link --truth: %v\n%s", err, errOut.String())
	}
	var est, tru float64
	var covered, pairs int
	line := ""
	for _, l := range strings.Split(errOut.String(), "\n") {
		if strings.HasPrefix(l, "blocking recall: ") {
			line = l
		}
	}
	if _, err := fmt.Sscanf(line, "blocking recall: estimated %f", &est); err != nil {
		t.Fatalf("no estimate in %q (%v)\n%s", line, err, errOut.String())
	}
	i := strings.Index(line, "true ")
	if i < 0 {
		t.Fatalf("no true recall in %q", line)
	}
	if _, err := fmt.Sscanf(line[i:], "true %f (%d of %d true pairs", &tru, &covered, &pairs); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	out.Reset()
	if err := run(context.Background(), append([]string{"link", "--analyse-blocking"}, in...), nil, &out, &errOut); err != nil {
		t.Fatalf("link --analyse-blocking --truth: %v", err)
	}
	want := fmt.Sprintf("pairs completeness: %d of %d true pairs are candidates", covered, pairs)
	if pairs < 100 || !strings.Contains(out.String(), want) {
		t.Errorf("link --truth printed %q; --analyse-blocking does not say %q:\n%s", line, want, out.String())
	}
	if est <= 0.5 || est > 1 || math.Abs(tru-float64(covered)/float64(pairs)) > 1e-5 {
		t.Errorf("%q: estimate %.5f, true %.5f for %d of %d", line, est, tru, covered, pairs)
	}
	t.Log(line)
}

// TestLinkReadsAddressesAtTheFileDate: a list dated after the 1 July 2025
// reform by its name (danhsach_20251001.csv), its addresses written in the
// new units, is read by dancu link at that date, as dancu import's path
// reads it (the file's date from sourceDateOf, then the match stage's
// enrich, pipelines.ResolveAddresses): the frame link builds holds the
// units enrich gives the same rows. Read at a zero date (pre-reform text)
// "Xã Đông Anh, Thành phố Hà Nội" is the old district's commune and has
// no new commune; at the file's date it is the new Xã Đông Anh, 00454.
func TestLinkReadsAddressesAtTheFileDate(t *testing.T) {
	want := linkReadsAsImport(t, "danhsach_20251001.csv", "2025-10-01")
	if want[0][4] != "00454" {
		t.Fatalf("enrich: Xã Đông Anh at 2025-10-01 has new commune %q, want 00454", want[0][4])
	}
}

// TestLinkReadsUndatedAsImport: a list whose name gives no date and no
// --source-date is read the same way by both paths (issue 9, invariant
// b): the match stage's enrich read an undated record at today's date
// (post-reform) while link's adapter read it at the zero date
// (pre-reform), so "Xã Đông Anh, Thành phố Hà Nội" was the new commune
// 00454 in the pipeline and the old one in the offline link.
func TestLinkReadsUndatedAsImport(t *testing.T) {
	linkReadsAsImport(t, "danhsach.csv", "")
}

// linkReadsAsImport writes four rows in the new units to a list named
// name, checks the date sourceDateOf gives it (wantDate, "" for none), and
// that the frame dancu link builds holds the units import's path (the
// file's date, then the match stage's enrich) gives the same rows, which
// it returns.
func linkReadsAsImport(t *testing.T, name, wantDate string) [][10]string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	list := "STT,Họ và tên,Ngày sinh,Giới tính,Nơi thường trú,Nơi ở hiện tại\n" +
		"1,Nguyễn Văn An,01/02/1980,Nam,\"Xã Đông Anh, Thành phố Hà Nội\",\"Xã Đông Anh, Thành phố Hà Nội\"\n" +
		"2,Trần Thị Bình,03/04/1985,Nữ,\"Xã Biển Hồ, Tỉnh Gia Lai\",\"Phường Pleiku, Gia Lai\"\n" +
		"3,Lê Văn Cường,05/06/1990,Nam,\"Thôn 3, Xã Định Hòa, Tỉnh An Giang\",\"Xã Krông Nô, Tỉnh Lâm Đồng\"\n" +
		"4,Phạm Thị Dung,07/08/1975,Nữ,\"Xã Mù Cang Chải, Tỉnh Lào Cai\",\"Phường Hà Giang 1, Tỉnh Tuyên Quang\"\n"
	if err := os.WriteFile(p, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}

	// dancu import's path: the file's date, then enrich.
	sd, from := sourceDateOf("", p)
	if wantDate == "" && !sd.IsZero() || wantDate != "" && (sd.Format("2006-01-02") != wantDate || from != "file name") {
		t.Fatalf("sourceDateOf(%s) = %v from %q, want %q from the file name", p, sd, from, wantDate)
	}
	src, err := ingest.Open(p, ingest.Options{SourceDate: sd})
	if err != nil {
		t.Fatal(err)
	}
	var want [][10]string
	for {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.Record == nil {
			continue
		}
		r := it.Record
		pipelines.ResolveAddresses(r)
		want = append(want, [10]string{r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode,
			r.CurProvinceCode, r.CurDistrictCode, r.CurCommuneCode, r.CurNewProvinceCode, r.CurNewCommuneCode})
	}
	src.Close()
	if len(want) != 4 {
		t.Fatalf("import's path read %d records, want 4", len(want))
	}

	// dancu link's read, into the frame it links.
	o := linkOptions{in: []string{p}, warn: io.Discard}
	_, _, f, err := o.load()
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != len(want) {
		t.Fatalf("link read %d records, want %d", f.Len(), len(want))
	}
	cols := []string{"perm_province", "perm_district", "perm_commune", "perm_new_province", "perm_new_commune",
		"cur_province", "cur_district", "cur_commune", "cur_new_province", "cur_new_commune"}
	for i := range want {
		for c, name := range cols {
			if got := f.Value(name, i); got != want[i][c] {
				t.Errorf("row %d %s: link read %q, import's path (enrich) %q", i+1, name, got, want[i][c])
			}
		}
	}
	return want
}

// TestSourceDateOf: the flag wins; else a date in a list's name; a batch
// of scanned forms takes none from its name (each form keeps its
// collected_on).
func TestSourceDateOf(t *testing.T) {
	for _, tc := range []struct{ flag, path, want, from string }{
		{"", "/x/danhsach_20251001.csv", "2025-10-01", "file name"},
		{"", "/x/list-2024-05-01.xlsx", "2024-05-01", "file name"},
		{"2024-05-01", "/x/danhsach_20251001.csv", "2024-05-01", "--source-date"},
		{"", "/x/danhsach.csv", "", ""},
		{"", "/x/phieu_dc01_20190607.jsonl", "", ""},
		{"2019-06-07", "/x/phieu_dc01.jsonl", "2019-06-07", "--source-date"},
	} {
		d, from := sourceDateOf(tc.flag, tc.path)
		got := ""
		if !d.IsZero() {
			got = d.Format("2006-01-02")
		}
		if got != tc.want || from != tc.from {
			t.Errorf("sourceDateOf(%q, %q) = %q from %q, want %q from %q", tc.flag, tc.path, got, from, tc.want, tc.from)
		}
	}
}

// TestLinkNamesTheSheetsToRead links a commune's workbook whose summary
// sheet has no header and no person: it links the villages' records and
// nothing of the summary. With a sheet of persons under a header dancu
// does not recognise, the link stops naming that sheet, and with the
// villages' sheets named (as dancu import --sheet) it links their records
// alone.
func TestLinkNamesTheSheetsToRead(t *testing.T) {
	dir := t.TempDir()
	sheets := map[string][][]any{
		"Thôn Đông": {{"STT", "Họ và tên", "Ngày sinh", "Nơi thường trú"}, {"1", "Nguyễn Văn An", "15/03/1990", "Thôn Đông, xã Tân Minh, Hà Nội"}, {"2", "Lê Thị Hoa", "02/11/1987", "Thôn Đông, xã Tân Minh, Hà Nội"}},
		"Thôn Tây":  {{"STT", "Họ và tên", "Ngày sinh", "Nơi thường trú"}, {"1", "Trần Thị Bình", "1991", "Thôn Tây, xã Tân Minh, Hà Nội"}},
		"Tổng hợp":  {{"Tổng hợp"}, {"Thôn Đông", "2"}, {"Thôn Tây", "1"}},
	}
	p := xlsxtest.Write(t, dir, "xa_tan_minh.xlsx", sheets, "Thôn Đông", "Thôn Tây", "Tổng hợp")
	out := filepath.Join(dir, "clusters.csv")
	var so, se bytes.Buffer
	if err := run(context.Background(), []string{"link", "--in", p, "--out", out}, nil, &so, &se); err != nil {
		t.Fatalf("link of a workbook with a summary sheet: %v\n%s", err, se.String())
	}
	if got := readCSVFile(t, out); len(got)-1 != 3 {
		t.Errorf("with a summary sheet: %d records linked, want 3 (the villages' rows)\n%s", len(got)-1, se.String())
	}
	sheets["Cũ"] = [][]any{{"Số TT", "Công dân", "Sinh ngày"}, {"1", "Đỗ Văn Hùng", "04/07/1979"}}
	p = xlsxtest.Write(t, dir, "xa_tan_minh_2.xlsx", sheets, "Thôn Đông", "Thôn Tây", "Tổng hợp", "Cũ")
	err := run(context.Background(), []string{"link", "--in", p, "--out", out}, nil, &so, &se)
	if err == nil || !strings.Contains(err.Error(), `sheet "Cũ"`) || !strings.Contains(err.Error(), "--sheet") {
		t.Fatalf("link of a workbook with a list whose header is not recognised: %v, want an error naming it and --sheet\n%s", err, se.String())
	}
	se.Reset()
	args := []string{"link", "--in", p, "--sheet", "Thôn Đông", "--sheet", "Thôn Tây", "--out", out}
	if err := run(context.Background(), args, nil, &so, &se); err != nil {
		t.Fatalf("with the sheets named: %v\n%s", err, se.String())
	}
	if got := readCSVFile(t, out); len(got)-1 != 3 {
		t.Errorf("with the sheets named: %d records linked, want 3 (the villages' rows)\n%s", len(got)-1, se.String())
	}
	mapping := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(mapping, []byte("id: STT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), append(args, "--mapping", mapping), nil, &so, &se)
	if err == nil || !strings.Contains(err.Error(), "--sheet") {
		t.Errorf("--sheet with --mapping: %v, want an error saying --sheet does not apply", err)
	}
}

// TestLinkSheetsOfSeveralWorkbooks links a commune's workbook (village
// sheets and a summary with no header) with the police post's list (one
// sheet, "DS"): --sheet names the sheets of both, each workbook is read
// for those it has, and a name that is a sheet of neither is an error.
func TestLinkSheetsOfSeveralWorkbooks(t *testing.T) {
	dir := t.TempDir()
	commune := xlsxtest.Write(t, dir, "xa_tan_minh.xlsx", map[string][][]any{
		"Thôn Đông": {{"STT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}, {"2", "Lê Thị Hoa", "02/11/1987"}},
		"Tổng hợp":  {{"Tổng hợp"}, {"Thôn Đông", "2"}},
	}, "Thôn Đông", "Tổng hợp")
	police := xlsxtest.Write(t, dir, "ca_tan_minh.xlsx", map[string][][]any{
		"DS": {{"TT", "Họ và tên", "Ngày sinh"}, {"1", "Nguyễn Văn An", "15/03/1990"}},
	}, "DS")
	out := filepath.Join(dir, "clusters.csv")
	var so, se bytes.Buffer
	args := []string{"link", "--in", commune, "--in", police, "--sheet", "Thôn Đông", "--sheet", "DS", "--out", out}
	if err := run(context.Background(), args, nil, &so, &se); err != nil {
		t.Fatalf("link of two workbooks with their sheets named: %v\n%s", err, se.String())
	}
	if got := readCSVFile(t, out); len(got)-1 != 3 {
		t.Errorf("%d records linked, want 3 (the village's 2 and the police post's 1)\n%s", len(got)-1, se.String())
	}
	so.Reset()
	se.Reset()
	err := run(context.Background(), append(args, "--sheet", "Thôn Tây"), nil, &so, &se)
	if err == nil || !strings.Contains(err.Error(), `"Thôn Tây"`) {
		t.Errorf("--sheet naming a sheet of neither workbook: %v, want an error naming it", err)
	}
	// Told before a row is read: not after the rows of a workbook that
	// cannot be read (a sheet "DS" with no list in it).
	empty := xlsxtest.Write(t, dir, "ca_tan_minh_cu.xlsx", map[string][][]any{"DS": {{"Danh sách đang lập"}}}, "DS")
	err = run(context.Background(), []string{"link", "--in", commune, "--in", empty, "--sheet", "Thôn Đông", "--sheet", "DS", "--sheet", "Thôn Tây", "--out", out}, nil, &so, &se)
	if err == nil || !strings.Contains(err.Error(), `--sheet "Thôn Tây": a sheet of none of the files`) {
		t.Errorf("--sheet naming a sheet of neither workbook, the second unreadable: %v, want the name told first", err)
	}
	err = run(context.Background(), []string{"link", "--in", commune, "--in", police, "--sheet", "Thôn Tây", "--out", out}, nil, &so, &se)
	if err == nil || !strings.Contains(err.Error(), "none of the sheets named") {
		t.Errorf("--sheet naming no sheet of the first workbook: %v, want it refused", err)
	}
}

// TestAnalyseBlockingMasksShortKeys: a block key of eight characters or
// fewer is no less personal — FEBRL's rule on soc_sec_id keys on the whole
// seven-digit number, a rule on first:6 of an identification number on a
// piece of it, a names rule on a given name — so --analyse-blocking masks
// them by the key's column, and shows dates and places (a birth date
// kept as a code, a year, a postcode, a commune's code) in full.
func TestAnalyseBlockingMasksShortKeys(t *testing.T) {
	s := &settings.Settings{
		Columns: []settings.ColumnSpec{{Name: "soc_sec_id", Kind: "code"}, {Name: "given_name"}, {Name: "surname"},
			{Name: "dob", Kind: "date"}, {Name: "dob_s", Kind: "code"}, {Name: "postcode", Kind: "code"},
			{Name: "surname_sx"}, {Name: "id6", Kind: "code"}, {Name: "perm_new_commune", Kind: "code"}},
		Blocking: []settings.BlockingRule{
			{Name: "ssid", Keys: []string{"soc_sec_id"}},
			{Name: "names", Keys: []string{"given_name", "surname"}},
			{Name: "dob", Keys: []string{"dob_s"}},
			{Name: "sx_year", Keys: []string{"surname_sx", "postcode", "dob.year"}},
			{Name: "id_piece", Keys: []string{"id6", "perm_new_commune"}},
		},
	}
	st := &matching.BlockingStats{Rules: []matching.RuleStats{
		{Name: "ssid", Largest: []matching.BlockSize{{Key: "5304218", Records: 2}}},
		{Name: "names", Largest: []matching.BlockSize{{Key: "michael | smith", Records: 2}}},
		{Name: "dob", Largest: []matching.BlockSize{{Key: "19530306", Records: 4}}},
		{Name: "sx_year", Largest: []matching.BlockSize{{Key: "S530 | 2615 | 1953", Records: 2}}},
		{Name: "id_piece", Largest: []matching.BlockSize{{Key: "001079 | 24748", Records: 3}}},
	}}
	var masked, full bytes.Buffer
	printBlocking(&masked, st, s, false)
	printBlocking(&full, st, s, true)
	for _, leak := range []string{"5304218", "michael", "S530", "001079"} {
		if strings.Contains(masked.String(), leak) {
			t.Errorf("masked output shows %q:\n%s", leak, masked.String())
		}
		if !strings.Contains(full.String(), leak) {
			t.Errorf("--unmasked output lacks %q:\n%s", leak, full.String())
		}
	}
	for _, want := range []string{"[5******]=2", "[m. | S.]=2", "[19530306]=4", "[S*** | 2615 | 1953]=2", "[0***** | 24748]=3"} {
		if !strings.Contains(masked.String(), want) {
			t.Errorf("masked output lacks %s:\n%s", want, masked.String())
		}
	}
}
