package pipelines

import (
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// recordSlab is the array the match stage decodes consecutive messages'
// records into (prepare), so that a micro-batch of them is one slice of it
// (matchBatch.records) rather than a slice a message joined by a copy at
// flush: 768 bytes a record allocated and copied once more, ~77 MB for
// 100,000 records.
//
// A slab's run ends where the micro-batch fills (MaxRecords records from
// its first), before a withdrawal and where the load month changes, as
// the micro-batch's; a message that does not fit, or a micro-batch that
// starts within a run (after a flush on MaxWait), spans two slabs and is
// joined by a copy, as before. A message ending a run ends its
// micro-batch too (prepared.runEnd), which brings the two back in step.
// Slabs are never reused: the linker may keep what it was given.
type recordSlab struct {
	full  int              // records in a run before it ends
	size  int              // records a slab holds: full plus a message's worth
	buf   []schemas.Record // the current slab (len = cap); nil: none
	used  int              // records of buf handed out
	month time.Time        // the run's load month (loadMonth)
}

func newRecordSlab(maxRecords, chunkRows int) *recordSlab {
	return &recordSlab{full: maxRecords, size: maxRecords + max(chunkRows, 2000)}
}

// slabRecords are one message's records, decoded by recordSlab.decode:
// recs[i] is buf[lo+i] when buf is not nil.
type slabRecords struct {
	recs   []schemas.Record
	buf    []schemas.Record
	lo     int
	runEnd bool // the message ends its run (the next starts a new slab)
}

// decode decodes message value v, loaded in month (loadMonth of its
// LoadedAt), into the slab.
func (s *recordSlab) decode(v []byte, month time.Time) (slabRecords, error) {
	if s.buf != nil && s.used > 0 && !s.month.Equal(month) {
		s.buf = nil
	}
	if s.buf == nil || s.used == 0 {
		s.month = month
	}
	var parts [][]schemas.Record
	var bufs [][]schemas.Record
	var los []int
	err := schemas.DecodeRowsInto(v, func(n int) []schemas.Record {
		if s.buf == nil || len(s.buf)-s.used < n {
			s.buf, s.used = make([]schemas.Record, max(s.size, n)), 0
		}
		p := s.buf[s.used : s.used+n : s.used+n]
		parts, bufs, los = append(parts, p), append(bufs, s.buf), append(los, s.used)
		s.used += n
		return p
	})
	if err != nil {
		// Rows handed out may hold part of v: none of them is used again.
		s.buf = nil
		return slabRecords{}, err
	}
	var out slabRecords
	switch {
	case len(parts) == 0:
	case contiguous(bufs, los, parts):
		out = slabRecords{buf: bufs[0], lo: los[0]}
		out.recs = out.buf[out.lo:s.used:s.used]
	default:
		out.recs = joinRows(parts, func(p *[]schemas.Record) []schemas.Record { return *p })
	}
	if s.used >= s.full {
		s.buf = nil
		out.runEnd = true
	}
	return out, nil
}

// contiguous says whether parts (parts[i] = bufs[i][los[i]:…]) lie one
// after the other in one slab.
func contiguous(bufs [][]schemas.Record, los []int, parts [][]schemas.Record) bool {
	for i := 1; i < len(parts); i++ {
		if &bufs[i][0] != &bufs[0][0] || los[i] != los[i-1]+len(parts[i-1]) {
			return false
		}
	}
	return true
}

// endRun ends the current run: the next message starts a new slab (a
// withdrawal comes between, which the micro-batch is flushed before).
func (s *recordSlab) endRun() { s.buf = nil }
