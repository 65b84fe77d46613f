package web

import (
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// readTie tells the tied record from the conflict's pairs: the record in
// every pair, also once a ruling has joined it to a candidate (its
// person is then the candidate's); a tied person of two records, each
// paired with another candidate, by the person in every pair; and says
// why when nothing tells.
func TestReadTie(t *testing.T) {
	pair := func(a, b string) string { return "\n\n" + a + " ↔ " + b + "\ncomparison level weight\n" }
	rec := func(id, person string) store.Record {
		return store.Record{RecordID: id, PersonID: person, FullName: "Cầm Thị Phanh"}
	}
	for _, tc := range []struct {
		name       string
		persons    []string
		expl       string
		recs       []store.Record
		tied       []string
		candidates []string // their records
		unknown    bool
	}{
		{"one tied record", []string{"PA", "PB", "PY"}, pair("hk/1", "ca/7") + pair("ca/7", "hk/2"),
			[]store.Record{rec("ca/7", "PY"), rec("hk/1", "PA"), rec("hk/2", "PB")}, []string{"ca/7"}, []string{"hk/1", "hk/2"}, false},
		{"after a placement with B", []string{"PA", "PB", "PY"}, pair("hk/1", "ca/7") + pair("ca/7", "hk/2"),
			[]store.Record{rec("ca/7", "PB"), rec("hk/1", "PA"), rec("hk/2", "PB")}, []string{"ca/7"}, []string{"hk/1", "hk/2"}, false},
		{"a tied person of two records", []string{"PA", "PB", "PY"}, pair("ca/7", "hk/1") + pair("ca/8", "hk/2"),
			[]store.Record{rec("ca/7", "PY"), rec("ca/8", "PY"), rec("hk/1", "PA"), rec("hk/2", "PB")}, []string{"ca/7", "ca/8"}, []string{"hk/1", "hk/2"}, false},
		{"three candidates", []string{"PA", "PB", "PC", "PY"}, pair("ca/7", "hk/1") + pair("ca/7", "hk/2") + pair("ca/7", "hk/3"),
			[]store.Record{rec("ca/7", "PY"), rec("hk/1", "PA"), rec("hk/2", "PB"), rec("hk/3", "PC")}, []string{"ca/7"}, []string{"hk/1", "hk/2", "hk/3"}, false},
		{"no pairs compared", []string{"PA", "PB", "PY"}, "records match 2 persons",
			[]store.Record{rec("ca/7", "PY"), rec("hk/1", "PA"), rec("hk/2", "PB")}, nil, nil, true},
		{"a record without a person", []string{"PA", "PB", "PY"}, pair("hk/1", "ca/7") + pair("ca/7", "hk/2"),
			[]store.Record{rec("ca/7", ""), rec("hk/1", "PA"), rec("hk/2", "PB")}, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ids []string
			for _, r := range tc.recs {
				ids = append(ids, r.RecordID)
			}
			c := store.ConflictRow{ConflictID: "k", Kind: schemas.ConflictAmbiguousTie, PersonIDs: tc.persons,
				RecordIDs: slices.Sorted(slices.Values(ids)), Explanation: "records match" + tc.expl}
			got := readTie(c, tc.recs, nil)
			if (got.Unknown != "") != tc.unknown {
				t.Fatalf("unknown %q, want %v", got.Unknown, tc.unknown)
			}
			var cands []string
			for _, cd := range got.Candidates {
				cands = append(cands, cd.RecordIDs...)
			}
			slices.Sort(cands)
			if !tc.unknown && (!slices.Equal(got.RecordIDs, tc.tied) || !slices.Equal(cands, tc.candidates)) {
				t.Errorf("tied %v, candidates' records %v; want %v and %v", got.RecordIDs, cands, tc.tied, tc.candidates)
			}
		})
	}
}
