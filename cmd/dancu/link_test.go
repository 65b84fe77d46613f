package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
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
