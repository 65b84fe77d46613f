package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// ConflictsChunk is one part of the registry's conflicts as Conflicts
// streams them: every conflict the registry holds (as last raised: open,
// or decided when a police ruling already answers it) that names a person
// whose id is in (After, Through] — Through "" has no bound above — each
// once. The chunks' ranges follow one another and together cover every
// person id, so that a reader may take a chunk as the whole truth about
// the conflicts of its range: one it holds elsewhere naming a person of
// the range is no longer raised.
type ConflictsChunk struct {
	After, Through string
	Conflicts      []schemas.Conflict
}

// Conflicts streams the conflicts the registry holds to fn, in chunks of
// persons (by id, through the index of conflicts by person) whose
// conflicts' stored forms (JSON) add up to about maxBytes (default 256
// KiB; a person's conflicts are never split). It calls fn at least once:
// a registry without conflicts gives one empty chunk covering every
// person. It reads the store and writes nothing; the registry's lock is
// held for one chunk at a time. The conflicts carry the version and time
// of the batch that last raised them.
func (r *Registry) Conflicts(ctx context.Context, maxBytes int, fn func(ConflictsChunk) error) error {
	if maxBytes <= 0 {
		maxBytes = 256 << 10
	}
	after := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, more, err := r.conflictsAfter(after, maxBytes)
		if err != nil {
			return fmt.Errorf("registry conflicts: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
		if !more {
			return nil
		}
		after = c.Through
	}
}

// conflictsAfter returns the conflicts of the persons after after, up to
// maxBytes of them, and whether persons with conflicts are left.
func (r *Registry) conflictsAfter(after string, maxBytes int) (ConflictsChunk, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return ConflictsChunk{}, false, errors.New("registry closed")
	}
	lo := []byte{kConflictOf}
	if after != "" {
		// Past every key of after ('q' person 0 conflict), before those
		// of any later person.
		lo = append(append(lo, after...), 1)
	}
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: []byte{kConflictOf + 1}})
	if err != nil {
		return ConflictsChunk{}, false, err
	}
	out := ConflictsChunk{After: after}
	seen := map[string]bool{}
	size, last := 0, ""
	ok := it.First()
	for ; ok; ok = it.Next() {
		k := it.Key()[1:]
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			return ConflictsChunk{}, false, errors.Join(fmt.Errorf("conflict index key %q without a separator", k), it.Close())
		}
		person, id := string(k[:i]), string(k[i+1:])
		if person != last && size >= maxBytes {
			break // the persons so far are complete
		}
		last = person
		if seen[id] {
			continue
		}
		seen[id] = true
		v, cl, err := r.db.Get(conflictKey(id))
		if err != nil {
			return ConflictsChunk{}, false, errors.Join(fmt.Errorf("conflict %s: %w", id, err), it.Close())
		}
		var c schemas.Conflict
		err = json.Unmarshal(v, &c)
		size += len(v)
		cl.Close()
		if err != nil {
			return ConflictsChunk{}, false, errors.Join(fmt.Errorf("conflict %s: %w", id, err), it.Close())
		}
		out.Conflicts = append(out.Conflicts, c)
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return ConflictsChunk{}, false, err
	}
	if ok {
		out.Through = last
	}
	return out, ok, nil
}
