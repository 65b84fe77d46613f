package registry

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
)

// binaryGuards rewrites the persons' guard summaries a store of format 6
// or before keeps as JSON in the binary form of reg25
// (matching.CompactPersonGuards: about a quarter of the bytes, issue 9)
// and marks the store as of storeFormat, in that order: a rewrite
// stopped half way is done again, the summaries already rewritten left
// as they are (a JSON summary starts with '{'). The states beside them
// are kept byte for byte. A summary that does not read is left as it is:
// the registry judges such a person by its records in the batch, as one
// without a summary (neighbourGuards).
func binaryGuards(db *pebble.DB) error {
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{kGuards}, UpperBound: []byte{kGuards + 1}})
	if err != nil {
		return fmt.Errorf("guard summaries: %w", err)
	}
	wb := db.NewBatch()
	defer func() { wb.Close() }()
	for ok := it.First(); ok; ok = it.Next() {
		state, g, err := splitPersonValue(it.Value())
		if err != nil || len(g) == 0 || g[0] != '{' {
			continue
		}
		bin, err := matching.CompactPersonGuards(g)
		if err != nil {
			continue
		}
		wb.Set(it.Key(), appendPersonValue(nil, state, bin), nil)
		if wb.Count() >= 4096 {
			if err := wb.Commit(pebble.NoSync); err != nil {
				it.Close()
				return fmt.Errorf("guard summaries: %w", err)
			}
			wb.Close()
			wb = db.NewBatch()
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return fmt.Errorf("guard summaries: %w", err)
	}
	wb.Set(metaKey("format"), []byte(storeFormat), nil)
	if err := wb.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("guard summaries: %w", err)
	}
	return nil
}
