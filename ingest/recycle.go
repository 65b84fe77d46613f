package ingest

import (
	"sync"

	"github.com/dancu-vn/dancu/schemas"
)

// Recycler is implemented by the Sources Open returns. A caller done with
// an accepted item's record — it reads neither the record nor its
// OCRConfidence map any more — hands it back with Recycle, and a later
// row (of this file or another) is read into it instead of a new record.
// pipelines.Import does, once a record is encoded: a new record a row
// (~900 bytes) and a scanned form's new map of confidences (~1 KB) were
// the most of what an import allocated. Recycle may be called from any
// goroutine, also after the source has returned io.EOF or was closed
// (the record then serves another source's rows).
type Recycler interface {
	Recycle(*schemas.Record)
}

// freeRecords holds the records handed back (Recycle) for the next rows
// of any source: an import's records in flight (its partitions' open
// messages and those being encoded, up to ~20,000) are as many as a
// file's rows, so a pool of each source's own would serve only files
// larger than that; the next file of a run takes them. A record kept
// is zeroed but for a scanned form's map of confidences, emptied.
var freeRecords sync.Pool

// putRecord zeroes r and keeps it, with its map of confidences emptied
// when keepMap (a scanned form's source, which fills one a form).
func putRecord(r *schemas.Record, keepMap bool) {
	if r == nil {
		return
	}
	m := r.OCRConfidence
	*r = schemas.Record{}
	if keepMap && m != nil {
		clear(m)
		r.OCRConfidence = m
	}
	freeRecords.Put(r)
}

// getRecord returns a record handed back, zeroed but for an empty map of
// confidences it may hold, or nil.
func getRecord() *schemas.Record {
	r, _ := freeRecords.Get().(*schemas.Record)
	return r
}

var (
	_ Recycler = (*tabular)(nil)
	_ Recycler = (*scanSource)(nil)
)

// Recycle hands r back for a later row (Recycler).
func (t *tabular) Recycle(r *schemas.Record) { putRecord(r, false) }

// Recycle hands r back for a later form, its map of confidences with it
// (Recycler).
func (s *scanSource) Recycle(r *schemas.Record) { putRecord(r, true) }

// newRecord is the record a row of t is assembled into: one handed back,
// else Options.NewRecord's, else a new one.
func (t *tabular) newRecord() *schemas.Record {
	if r := getRecord(); r != nil {
		r.OCRConfidence = nil // a typed row has none; a record of another source may have come back
		return r
	}
	if t.opts.NewRecord != nil {
		return t.opts.NewRecord()
	}
	return &schemas.Record{}
}
