package registry

import (
	"context"

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

// Inputs returns the inputs of recs, in order.
func (a *Records) Inputs(recs []schemas.Record) []Input {
	out := make([]Input, len(recs))
	for i := range recs {
		get, conf := a.ad.Fields(&recs[i])
		c := schemas.RecordCoverageOf(&recs[i])
		out[i] = Input{ID: recs[i].RecordID, Get: get, Conf: conf, Coverage: &c, LoadedAt: recs[i].LoadedAt}
	}
	return out
}

// AddRecords adds canonical records (see Records).
func (r *Registry) AddRecords(ctx context.Context, ad *Records, recs []schemas.Record) (*Output, error) {
	return r.Add(ctx, ad.Inputs(recs))
}
