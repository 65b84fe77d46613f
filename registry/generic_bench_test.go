package registry_test

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// TestGenericNumbersMeasured measures the registry on dancu gen's lists
// into which a number was copied (DANCU_GENERIC_DIR: danhsach_*.csv,
// truth.csv, and planted.txt, the planted rows' source record ids, one a
// line), with the shipped model with and without its generic_values, in
// batches of 2,000 as the demo's match stage takes them: wall and CPU
// time, comparisons, pairwise F1 against the truth and against offline
// linking, persons holding planted records of more than one true person.
// Skipped without DANCU_GENERIC_DIR.
func TestGenericNumbersMeasured(t *testing.T) {
	dir := os.Getenv("DANCU_GENERIC_DIR")
	if dir == "" {
		t.Skip("DANCU_GENERIC_DIR not set")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	var recs []schemas.Record
	for _, r := range ingesttest.Records(t, ingest.Options{}, paths...) {
		recs = append(recs, *r)
	}
	bySource := map[string]string{}
	if err := readCSV(filepath.Join(dir, "truth.csv"), func(row []string) { bySource[row[0]] = row[1] }); err != nil {
		t.Fatal(err)
	}
	truth, planted := map[string]string{}, map[string]bool{}
	plantedSource := map[string]bool{}
	if fh, err := os.Open(filepath.Join(dir, "planted.txt")); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			plantedSource[sc.Text()] = true
		}
		fh.Close()
	}
	for _, r := range recs {
		truth[r.RecordID] = bySource[r.SourceRecordID]
		if plantedSource[r.SourceRecordID] {
			planted[r.RecordID] = true
		}
	}
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	offline, _ := offlineLinkOf(t, s, recs)
	for _, generic := range []bool{false, true} {
		sv := *s
		if !generic {
			sv.GenericValues = nil
		}
		t0, c0 := time.Now(), cputime.Process()
		got, _, reg := stream(t, &sv, recs, 2000)
		wall, cpu := time.Since(t0), cputime.Process()-c0
		st := reg.Stats()
		t.Logf("generic_values %v: %d records, %d planted; %v wall, %v CPU; %d batches, %d comparisons, %d masked; F1 vs truth %.4f, vs offline (generic_values on) %.5f; persons holding planted records of >1 true person: %d",
			generic, len(recs), len(planted), wall.Round(time.Millisecond), cpu.Round(time.Millisecond), st.Batches, st.Comparisons, st.GenericMasked,
			eval.Clusters(truth, got).F1, eval.Clusters(offline, got).F1, wronglyMerged(truth, got, planted))
	}
}
