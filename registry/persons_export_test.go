package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// Persons gives every living person once, as the registry's own outputs
// last wrote it, with a link for each of its records and no other: after
// batches and a withdrawal, in chunks smaller than a person's span of
// sequences, it reads the store and changes nothing in it; in one
// process and in the cluster role of two scorers (no blocking index).
func TestPersonsExportsWhatTheOutputsSaid(t *testing.T) {
	p := generated(t)
	t.Run("one process", func(t *testing.T) { testPersonsExport(t, p, openWith(t, p.settings)) })
	t.Run("two scorers", func(t *testing.T) {
		// The cluster role, which holds no blocking index.
		var scorers []*registry.Scorer
		for range 2 {
			sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: t.TempDir(), Settings: p.settings})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sc.Close() })
			scorers = append(scorers, sc)
		}
		reg, err := registry.Open(registry.Config{Dir: t.TempDir(), Settings: p.settings, Score: registry.Local(scorers), Withdraw: registry.LocalWithdraw(scorers)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { reg.Close() })
		testPersonsExport(t, p, reg)
	})
}

func testPersonsExport(t *testing.T, p *population, reg *registry.Registry) {
	ctx := context.Background()
	l := newLoaded()
	ad := registry.NewRecords()
	for i := 0; i < len(p.recs); i += 500 {
		out, err := reg.AddRecords(ctx, ad, p.recs[i:min(i+500, len(p.recs))])
		if err != nil {
			t.Fatal(err)
		}
		l.apply(t, out)
	}
	out, err := reg.Withdraw(ctx, withdrawal("b1", pickWithdrawn(p.recs, p.offline, 0.05, 3)))
	if err != nil {
		t.Fatal(err)
	}
	l.apply(t, out)
	before := reg.Stats()
	for _, chunk := range []int{37, 0} {
		persons := map[string]schemas.Person{}
		person := map[string]string{}
		ver, err := reg.Persons(ctx, chunk, func(c registry.PersonsChunk) error {
			for _, q := range c.Persons {
				if _, ok := persons[q.PersonID]; ok {
					t.Errorf("chunk %d: person %s given twice", chunk, q.PersonID)
				}
				persons[q.PersonID] = q
			}
			for _, k := range c.Links {
				if _, ok := person[k.RecordID]; ok {
					t.Errorf("chunk %d: record %s linked twice", chunk, k.RecordID)
				}
				person[k.RecordID] = k.PersonID
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if k := samePartition(l.person, person); k != 0 || len(person) != len(l.person) {
			t.Errorf("chunk %d: %d of %d records linked otherwise than the outputs said (%d linked)", chunk, k, len(l.person), len(person))
		}
		moved := 0
		for id, pid := range l.person {
			if person[id] != pid {
				moved++
			}
		}
		if moved > 0 {
			t.Errorf("chunk %d: %d records in a person of another id", chunk, moved)
		}
		living, differ := 0, 0
		for id, q := range l.persons {
			if q.MergedInto != "" {
				if _, ok := persons[id]; ok {
					t.Errorf("chunk %d: retired person %s exported", chunk, id)
				}
				continue
			}
			living++
			got, ok := persons[id]
			if !ok {
				t.Errorf("chunk %d: living person %s not exported", chunk, id)
				continue
			}
			if got.Version != ver {
				t.Errorf("chunk %d: person %s at version %d, want %d", chunk, id, got.Version, ver)
			}
			got.Version, got.UpdatedAt = q.Version, q.UpdatedAt
			if got != q && differ < 3 {
				differ++
				t.Errorf("chunk %d: person exported\n%+v\nthe outputs said\n%+v", chunk, got, q)
			}
		}
		if len(persons) != living {
			t.Errorf("chunk %d: %d persons exported, %d living", chunk, len(persons), living)
		}
	}
	if after := reg.Stats(); after.Records != before.Records {
		t.Errorf("the export changed the registry's records: %d, then %d", before.Records, after.Records)
	}
}
