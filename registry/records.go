package registry

import (
	"context"
	"runtime"
	"sync"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// Records adapts canonical records for Add: each is read through the
// Vietnamese record adapter (names, dates, addresses resolved by
// packages vn and address) and identified by its canonical record id
// (source file hash + sheet + row), never by the source's own code.
type Records struct {
	ad *vietnamese.Adapter
}

// NewRecords returns an adapter; addresses are resolved through
// address.Resolve, whose cache of recent results is shared by the process.
func NewRecords() *Records { return &Records{ad: vietnamese.NewAdapter()} }

// minInputsPerWorker is the fewest records a goroutine of Inputs
// adapts: fewer are adapted on the caller's goroutine.
var minInputsPerWorker = 64

// Inputs returns the inputs of recs, in order. The records are adapted
// on every core (GOMAXPROCS), in consecutive parts: the adapter derives
// every field when asked for a record's (vietnamese.Adapter.Fields:
// names parsed and folded, numbers, the addresses' codes a record does
// not carry — the native place's always), most of a record's cost
// before it is scored, and each record's is its own.
func (a *Records) Inputs(recs []schemas.Record) []Input {
	out := make([]Input, len(recs))
	one := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			get, conf := a.ad.Fields(&recs[i])
			c := schemas.RecordCoverageOf(&recs[i])
			out[i] = Input{ID: recs[i].RecordID, Get: get, Conf: conf, Coverage: &c, LoadedAt: recs[i].LoadedAt}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(recs)/minInputsPerWorker))
	if workers == 1 {
		one(0, len(recs))
		return out
	}
	chunk := (len(recs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(recs); lo += chunk {
		wg.Go(func() { one(lo, min(lo+chunk, len(recs))) })
	}
	wg.Wait()
	return out
}

// AddRecords adds canonical records (see Records).
func (r *Registry) AddRecords(ctx context.Context, ad *Records, recs []schemas.Record) (*Output, error) {
	return r.Add(ctx, ad.Inputs(recs))
}
