package registry

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// Tombstones (wd6): a record id a withdrawal names stays withdrawn, as
// ClickHouse keeps it (withdrawn_records, migration 0022: the view
// records_in_force leaves it out for good). The same id published again
// — the old file re-imported some other way than dancu import, a batch
// replayed from the dead letters, a hand-published message — is refused
// by Add (Output.Refused), never linked nor counted in coverage: before,
// it came back in the registry as a new arrival while ClickHouse kept it
// out.
//
// Key (beside those of store.go, conflicts.go, decide.go, withdraw.go):
//
//	'z' id → the import batch of the corrected file whose withdrawal
//	         named the record (schemas.Withdrawal.Batch)
//
// The batch is the reason the operator is told; it is written in full,
// not numbered through a table of its own: a withdrawal's ids share it,
// and the bottom level's zstd blocks store such a run of one value in a
// few bytes. Every id a withdrawal names is tombstoned, held or not: an id
// the registry never held is withdrawn in ClickHouse all the same
// (ClickHouseSink.closeWithdrawn closes it if it comes later). The first
// withdrawal naming an id keeps its mark; a later one naming it again
// changes nothing (Withdraw: Output.AlreadyWithdrawn).
//
// Tombstones are written in the withdrawal's commit, so a store restored
// from a copy holds them, and a rebuild from the changelog, which replays
// the withdrawal in its place between the batches, writes them again and
// refuses the same later arrivals. A withdrawal applied by a dancu before
// tombstones left none: a rebuild from the changelog writes them.
const kTombstone = 'z'

func init() { spaceNames[kTombstone] = "withdrawn record ids (tombstones)" }

func tombstoneKey(id string) []byte { return append([]byte{kTombstone}, id...) }

// Refusal is a record Add refused: its id was withdrawn (a tombstone).
type Refusal struct {
	RecordID string
	// WithdrawnBy is the import batch of the corrected file whose
	// withdrawal named the record.
	WithdrawnBy string
}

// Reason is the refusal as the operator reads it (no personal data: a
// record id is a source file's hash, sheet and row).
func (f Refusal) Reason() string {
	return fmt.Sprintf("record %s was withdrawn by the corrected file of import batch %s: a withdrawn record id is refused for good (give the record a new id)", f.RecordID, f.WithdrawnBy)
}

// hasTombstones says whether the store holds any tombstone (read when
// the registry opens; set by a withdrawal's commit): until then no id is
// looked up.
func hasTombstones(rd pebble.Reader) (bool, error) {
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kTombstone}, UpperBound: []byte{kTombstone + 1}})
	if err != nil {
		return false, err
	}
	ok := it.First()
	return ok, errors.Join(it.Error(), it.Close())
}

// tombstoned returns the ids of ids (sorted) the store holds a tombstone
// of, with the batch that withdrew each; nil when the store holds none.
func (r *Registry) tombstoned(rd pebble.Reader, ids []string) (map[string]string, error) {
	if !r.tombs || len(ids) == 0 {
		return nil, nil
	}
	var out map[string]string
	err := r.scan(rd, kTombstone, len(ids), func(i int) []byte { return tombstoneKey(ids[i]) }, func(i int, v []byte) error {
		if out == nil {
			out = map[string]string{}
		}
		out[ids[i]] = string(v)
		return nil
	})
	return out, err
}

// writeTombstones marks in wb the ids of w (sorted, distinct) that carry
// no tombstone yet as withdrawn by w.Batch, and returns those that carry
// one of another batch (withdrawn before by another corrected file).
func (r *Registry) writeTombstones(wb *pebble.Batch, w schemas.Withdrawal, ids []string) ([]Refusal, error) {
	marked, err := r.tombstoned(wb, ids)
	if err != nil {
		return nil, err
	}
	var before []Refusal
	for _, id := range ids {
		by, ok := marked[id]
		switch {
		case !ok:
			wb.Set(tombstoneKey(id), []byte(w.Batch), nil)
			// The set of ids holds every id the store may hold or have
			// withdrawn (ids.go): one never held is added (a hash too
			// many if the commit fails: it is looked up, as before).
			r.noteID(id)
		case by != w.Batch:
			before = append(before, Refusal{RecordID: id, WithdrawnBy: by})
		}
	}
	return before, nil
}

// withoutRefused returns in without the inputs whose ids are tombstoned
// (refused, in input order, each id once), and those refusals. ids are
// the ids of in the store may hold (sorted), known those it holds.
func (r *Registry) withoutRefused(in []Input, ids []string, known map[string]uint64) ([]Input, []Refusal, error) {
	if !r.tombs {
		return in, nil, nil
	}
	var unknown []string
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	marked, err := r.tombstoned(r.db, slices.Compact(unknown))
	if err != nil || len(marked) == 0 {
		return in, nil, err
	}
	kept := make([]Input, 0, len(in))
	var refused []Refusal
	for _, x := range in {
		by, ok := marked[x.ID]
		if !ok {
			kept = append(kept, x)
			continue
		}
		if by != "" {
			refused = append(refused, Refusal{RecordID: x.ID, WithdrawnBy: by})
			marked[x.ID] = "" // once
		}
	}
	return kept, refused, nil
}
