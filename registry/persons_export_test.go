package registry_test

import (
	"context"
	"slices"
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
	addAll(t, reg, p.recs, l)
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
	testConflictsExport(t, l, reg)
	if after := reg.Stats(); after.Records != before.Records {
		t.Errorf("the export changed the registry's records: %d, then %d", before.Records, after.Records)
	}
}

// testConflictsExport checks Conflicts against the outputs: every
// conflict they last left open or decided, as they said it, in the chunk
// of each person it names and no other conflict; the chunks' ranges
// follow one another from the first person id to no bound.
func testConflictsExport(t *testing.T, l *loaded, reg *registry.Registry) {
	want := map[string]schemas.Conflict{}
	for id, c := range l.conflicts {
		if c.Status != schemas.StatusResolvedByRegistry {
			want[id] = c
		}
	}
	if len(want) < 2 {
		t.Fatalf("%d conflicts held: too few to test their export", len(want))
	}
	for _, size := range []int{1, 0} {
		var chunks []registry.ConflictsChunk
		after := ""
		if err := reg.Conflicts(context.Background(), size, func(c registry.ConflictsChunk) error {
			if c.After != after {
				t.Errorf("size %d: a chunk after %q follows one through %q", size, c.After, after)
			}
			after = c.Through
			chunks = append(chunks, c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if after != "" {
			t.Errorf("size %d: the last chunk ends at %q, not at no bound", size, after)
		}
		if size == 1 && len(chunks) < 2 || size == 0 && len(chunks) != 1 {
			t.Errorf("size %d: %d chunks for %d conflicts", size, len(chunks), len(want))
		}
		in := func(c registry.ConflictsChunk, p string) bool {
			return p > c.After && (c.Through == "" || p <= c.Through)
		}
		for _, c := range chunks {
			seen := map[string]bool{}
			for _, x := range c.Conflicts {
				w, ok := want[x.ConflictID]
				if !ok || seen[x.ConflictID] || !slices.ContainsFunc(x.PersonIDs, func(p string) bool { return in(c, p) }) ||
					x.Status != w.Status || x.Explanation != w.Explanation || x.Version != w.Version || !slices.Equal(x.PersonIDs, w.PersonIDs) ||
					!slices.Equal(x.RecordIDs, w.RecordIDs) || !x.CreatedAt.Equal(w.CreatedAt) {
					t.Errorf("size %d: chunk (%q, %q] gives conflict %+v (again: %v); the outputs said %+v", size, c.After, c.Through, x, seen[x.ConflictID], w)
				}
				seen[x.ConflictID] = true
			}
			for id, w := range want {
				if slices.ContainsFunc(w.PersonIDs, func(p string) bool { return in(c, p) }) && !seen[id] {
					t.Errorf("size %d: chunk (%q, %q] lacks conflict %s of persons %v", size, c.After, c.Through, id, w.PersonIDs)
				}
			}
		}
	}
}
