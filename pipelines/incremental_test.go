package pipelines_test

import (
	"context"
	"math/rand"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// generatedRecords reads the accepted records of a generated population
// with the noise of real forms (middle names added, OCR look-alikes,
// years misread): records of one person that do not all match each other
// directly, so that some persons merge when a later record joins them.
func generatedRecords(t *testing.T, persons int) []schemas.Record {
	t.Helper()
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 21, OutDir: dir, Formats: []string{"csv", "jsonl"},
		SourceDate: "2024-05-01", NoiseProfile: "forms", Noise: 1.5, ExtraRecord: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	return readRecords(t, sourceFiles(t, dir, m))
}

// TestIncrementalMatchesBatchAndKeepsIDs feeds a generated population, in
// a shuffled order and micro-batches of 40, to the match stage's linker
// (pipelines.RegistryLinker over the on-disk registry, what dancu run
// links with), records what every batch returns, and checks what the
// name says:
//   - incremental: a batch returns only what it changed — person rows of
//     persons its records joined or its events name, links of its own
//     records or of records that moved — never the registry's other
//     persons, as a relink of everything would;
//   - matches batch: the persons in the end are those of offline linking
//     (matching.Link, dancu link) of all the records at once with the
//     same model;
//   - keeps ids: a record's person id changes only through a recorded
//     event: a merge naming the old id among the ids merged into the new
//     one, or a split between the two.
func TestIncrementalMatchesBatchAndKeepsIDs(t *testing.T) {
	recs := generatedRecords(t, 1000)
	rand.New(rand.NewSource(3)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	const batch = 20
	person := map[string]string{} // record id → person id, as the batches said
	known := map[string]bool{}    // person ids returned so far
	var merges, splits, moved, personRows int
	for b := 0; b*batch < len(recs); b++ {
		part := recs[b*batch : min((b+1)*batch, len(recs))]
		res, err := l.Link(ctx, part)
		if err != nil {
			t.Fatal(err)
		}
		inBatch := map[string]bool{}
		for _, r := range part {
			inBatch[r.RecordID] = true
		}
		// The events of this batch: what may change an id.
		named := map[string]bool{}
		mergedInto := map[string]string{} // old id → the id it was merged into
		splitPair := map[[2]string]bool{}
		for _, ev := range res.Events {
			named[ev.PersonID] = true
			for _, o := range ev.Others {
				named[o] = true
				switch ev.Kind {
				case schemas.PersonMerge:
					mergedInto[o] = ev.PersonID
				case schemas.PersonSplit:
					splitPair[[2]string{ev.PersonID, o}], splitPair[[2]string{o, ev.PersonID}] = true, true
				}
			}
			switch ev.Kind {
			case schemas.PersonMerge:
				merges++
			case schemas.PersonSplit:
				splits++
			}
		}
		joined := map[string]bool{} // persons this batch's links point to
		for _, lk := range res.Links {
			joined[lk.PersonID] = true
			old, seen := person[lk.RecordID]
			switch {
			case !seen && !inBatch[lk.RecordID]:
				t.Fatalf("batch %d: a link for record %s, which no batch has given", b, lk.RecordID)
			case seen && old == lk.PersonID:
				t.Errorf("batch %d: record %s linked again to its own person %s: not incremental", b, lk.RecordID, old)
			case seen && mergedInto[old] != lk.PersonID && !splitPair[[2]string{old, lk.PersonID}]:
				t.Errorf("batch %d: record %s moved from %s to %s with no merge or split recorded (events %+v)", b, lk.RecordID, old, lk.PersonID, res.Events)
			case seen:
				moved++
			}
			person[lk.RecordID] = lk.PersonID
		}
		for _, r := range part {
			if _, ok := person[r.RecordID]; !ok {
				t.Fatalf("batch %d: record %s has no person", b, r.RecordID)
			}
		}
		for _, p := range res.Persons {
			personRows++
			if !joined[p.PersonID] && !named[p.PersonID] {
				t.Errorf("batch %d: returned person %s, which none of its records joined and no event names: not incremental", b, p.PersonID)
			}
			known[p.PersonID] = true
		}
		// A merged id's records are all moved by the same batch.
		for rec, p := range person {
			if into, ok := mergedInto[p]; ok {
				t.Errorf("batch %d: record %s still in %s, merged into %s", b, rec, p, into)
			}
		}
	}
	if len(person) != len(recs) {
		t.Fatalf("%d records have a person, want %d", len(person), len(recs))
	}

	// The same records linked at once, offline, with the same model.
	f := matching.NewFrame(s)
	for _, in := range registry.NewRecords().Inputs(recs) {
		if err := f.Add(in.ID, in.Source, in.Get, in.Conf); err != nil {
			t.Fatal(err)
		}
	}
	res, err := matching.Link(ctx, f, s)
	if err != nil {
		t.Fatal(err)
	}
	offline := map[string]string{}
	for i := 0; i < f.Len(); i++ {
		offline[f.ID(i)] = f.ID(int(res.Clusters.Of[i]))
	}
	m := eval.Clusters(offline, person)
	persons := map[string]bool{}
	for _, p := range person {
		persons[p] = true
	}
	t.Logf("%d records in %d batches: %d persons (offline %d clusters); %d person rows returned, %d merges, %d splits, %d records moved; vs offline: %s",
		len(recs), (len(recs)+batch-1)/batch, len(persons), len(slices.Compact(slices.Sorted(func(yield func(string) bool) {
			for _, v := range offline {
				if !yield(v) {
					return
				}
			}
		}))), personRows, merges, splits, moved, m)
	// The registry's own test allows the same margin for arrival order
	// (registry.TestStreamingEqualsOffline).
	if m.F1 < 0.999 || m.BCubedF1 < 0.999 {
		t.Errorf("incremental differs from offline: pairwise F1 %.5f, B-cubed F1 %.5f", m.F1, m.BCubedF1)
	}
	if merges == 0 || moved == 0 {
		t.Errorf("%d merges, %d records moved: a shuffled stream of persons with several records each should merge some", merges, moved)
	}
	// Incremental, in sum: a relink of everything would return every
	// known person at every batch.
	if personRows >= len(known)*((len(recs)+batch-1)/batch)/2 {
		t.Errorf("%d person rows returned for %d persons: the batches return far more than they change", personRows, len(known))
	}
}
