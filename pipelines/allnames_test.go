package pipelines_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/pipelines"
)

// writeAllNames writes a list of one person per name of synth.AllNames
// (every name of the tables and every name that collides with a footer
// or header word) with a birth date, sex and address, no STT column, and
// every 400th row without a name (a reject). It returns the rows written
// and the names.
func writeAllNames(t *testing.T, path string) (rows int, names []string) {
	t.Helper()
	all, err := synth.AllNames()
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(fh)
	w.Write([]string{"Họ và tên", "Ngày sinh", "Giới tính", "Nơi thường trú"})
	for i, n := range all {
		if i%400 == 399 {
			w.Write([]string{"", fmt.Sprintf("%02d/01/1980", i%28+1), "Nam", "Thôn 1, xã Đông Anh"})
			rows++
		}
		w.Write([]string{n, fmt.Sprintf("%02d/%02d/%d", i%28+1, i%12+1, 1930+i%90), []string{"Nam", "Nữ"}[i%2], fmt.Sprintf("Thôn %d, xã Đông Anh, huyện Đông Anh, Hà Nội", i%9+1)})
		rows++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return rows, all
}

// TestEveryNameThroughPipeline: a population whose names include every
// name of the tables (and the names that fold to footer and header words)
// goes file → Kafka → match → ClickHouse with accepted + rejected = rows
// generated, and every name arrives as written.
func TestEveryNameThroughPipeline(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(t.TempDir(), "moi_ten.csv")
	rows, names := writeAllNames(t, path)
	src, err := ingest.Open(path, ingest.Options{SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := pipelines.Import(ctx, pipelines.ImportConfig{Brokers: e.brokers}, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if int(st.Accepted+st.Rejected) != rows || int(st.Accepted) != len(names) || st.Rows != st.Accepted+st.Rejected+st.Skipped || st.Skipped != 1 {
		t.Fatalf("generated %d rows (%d names): import %d rows = accepted %d + rejected %d + skipped %d", rows, len(names), st.Rows, st.Accepted, st.Rejected, st.Skipped)
	}
	e.runStages(t)
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(st.Accepted) {
		t.Errorf("records in ClickHouse %d, accepted %d", got, st.Accepted)
	}
	if got := e.count(t, "SELECT count() FROM rejects FINAL"); got != uint64(st.Rejected) {
		t.Errorf("rejects in ClickHouse %d, rejected %d", got, st.Rejected)
	}
	if got := e.count(t, "SELECT count() FROM links FINAL"); got != uint64(st.Accepted) {
		t.Errorf("links %d, want one per record (%d)", got, st.Accepted)
	}
	r, err := e.conn.Query(context.Background(), "SELECT full_name FROM records FINAL")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := map[string]int{}
	for r.Next() {
		var n string
		if err := r.Scan(&n); err != nil {
			t.Fatal(err)
		}
		got[n]++
	}
	want := map[string]int{}
	for _, n := range names {
		want[n]++
	}
	missing := 0
	for n, k := range want {
		if got[n] != k {
			missing++
			if missing <= 5 {
				t.Errorf("name %q: %d in ClickHouse, %d generated", n, got[n], k)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d names differ", missing, len(want))
	}
}
