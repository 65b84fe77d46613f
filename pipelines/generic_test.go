package pipelines_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/pipelines"
)

// plantNumber writes the generated lists with number written as the
// identification number of n rows of n different persons (truth.csv),
// and returns the files and the planted rows' source record ids.
func plantNumber(t *testing.T, dir string, files []string, number string, n int) ([]string, map[string]bool) {
	t.Helper()
	truth := map[string]string{}
	readAll := func(path string) [][]string {
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		rows, err := csv.NewReader(fh).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for _, row := range readAll(filepath.Join(dir, "truth.csv"))[1:] {
		truth[row[0]] = row[1]
	}
	used, planted := map[string]bool{}, map[string]bool{}
	var out []string
	for _, path := range files {
		rows := readAll(path)
		rec, num := -1, -1
		for c, h := range rows[0] {
			switch h {
			case "Mã bản ghi":
				rec = c
			case "Số định danh cá nhân":
				num = c
			}
		}
		if rec < 0 || num < 0 {
			t.Fatalf("%s: no record id or number column in %v", path, rows[0])
		}
		// Every third row, one a person, up to n: spread over the file
		// (and so over micro-batches).
		for i := 1; i < len(rows) && len(planted) < n; i += 3 {
			if p := truth[rows[i][rec]]; p != "" && !used[p] {
				used[p], planted[rows[i][rec]] = true, true
				rows[i][num] = number
			}
		}
		dst := filepath.Join(t.TempDir(), filepath.Base(path))
		fh, err := os.Create(dst)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(fh)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
		out = append(out, dst)
	}
	if len(planted) != n {
		t.Fatalf("planted the number on %d rows, want %d", len(planted), n)
	}
	return out, planted
}

// A number copied onto 60 records of 60 persons, through the real broker
// and engine: the match stage links the records after the first 20 that
// carry it without it (the Vietnamese settings' generic_values, id at 20)
// and counts them (MatchStats.Generic, the progress line's
// generic_records); no person in ClickHouse holds two of the planted
// records' true persons, and at most the first 20 persons are given the
// number (before, every planted person could be, and every record
// carrying it was compared with every other).
func TestGenericNumberThroughThePipeline(t *testing.T) {
	const number = "001190000045"
	e := newEnv(t)
	dir, m := generate(t, 400, "csv")
	files, planted := plantNumber(t, dir, sourceFiles(t, dir, m), number, 60)
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		e.importFile(t, f, date)
	}
	st := &pipelines.StageStats{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pipelines.RunStages(ctx, e.cfg, st) }()
	e.drain(t)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := st.Match.Generic.Load(); got != 40 {
		t.Errorf("the match stage linked %d records without the copied number, want 40 (60 carry it, the first 20 keep it)", got)
	}
	if got := e.count(t, "SELECT count() FROM persons FINAL WHERE merged_into = '' AND id_number = '"+number+"'"); got > 20 {
		t.Errorf("%d persons are given the copied number, want at most the first 20", got)
	}
	ids := make([]string, 0, len(planted))
	for id := range planted {
		ids = append(ids, "'"+id+"'")
	}
	q := "SELECT count(DISTINCT l.person_id) FROM links AS l FINAL INNER JOIN (SELECT record_id FROM records FINAL WHERE source_record_id IN (" +
		strings.Join(ids, ",") + ")) AS r ON r.record_id = l.record_id"
	if got := e.count(t, q); got != uint64(len(planted)) {
		t.Errorf("the %d planted records of %d persons are in %d persons", len(planted), len(planted), got)
	}
}
