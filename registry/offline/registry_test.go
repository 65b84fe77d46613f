package offline

import (
	"context"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// toySettings, toyRows: package matching's toy population (four fields,
// noisy copies), enough to make merges between runs.
const toySettings = synth.ToySettings

func toyRows(n int, seed int64) ([]map[string]string, []string, map[string]string) {
	return synth.ToyRows(n, seed)
}

// TestRelinkKeepsPersonIDs: dancu link --registry relinks everything it
// holds at each run (Registry keeps the records, matching.Link relinks them all);
// what it must keep is the persons' ids: a record keeps its person's id
// across runs unless that person was merged. The incremental registry of
// the pipeline, which links only the new records, is checked by
// pipelines.TestIncrementalMatchesBatchAndKeepsIDs and package registry.
func TestRelinkKeepsPersonIDs(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(600, 2)
	// Train once on everything; both runs use this model.
	f0 := matching.NewFrame(s)
	for i, r := range rows {
		if err := f0.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	model, _, err := matching.Train(context.Background(), f0, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Model = model
	reg := New()
	reg.Settings = s
	half := len(rows) / 2
	var first map[string]string
	for step, part := range [][2]int{{0, half}, {half, len(rows)}} {
		for i := part[0]; i < part[1]; i++ {
			r := rows[i]
			reg.Add(Capture(s, ids[i], 0, func(k string) string { return r[k] }, nil))
		}
		f, err := reg.Frame(s)
		if err != nil {
			t.Fatal(err)
		}
		res, err := matching.Link(context.Background(), f, s)
		if err != nil {
			t.Fatal(err)
		}
		names := reg.Name(res, testNow)
		if step == 0 {
			first = map[string]string{}
			for k, v := range reg.PersonOf {
				first[k] = v
			}
			continue
		}
		// Every record is named after its cluster.
		for i := 0; i < f.Len(); i++ {
			if reg.PersonOf[f.ID(i)] != names[res.Clusters.Of[i]] {
				t.Fatalf("record %s: person %q, its cluster is named %q", f.ID(i), reg.PersonOf[f.ID(i)], names[res.Clusters.Of[i]])
			}
		}
		// Old persons keep their ids unless merged.
		merged := map[string]bool{}
		for _, e := range reg.Events {
			for _, o := range e.Others {
				merged[o] = true
			}
		}
		changed := 0
		for rec, p := range first {
			if reg.PersonOf[rec] != p && !merged[p] {
				changed++
			}
		}
		if changed > 0 {
			t.Errorf("%d records changed person id without a merge", changed)
		}
	}
}
