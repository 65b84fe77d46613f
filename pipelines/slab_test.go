package pipelines

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// slabRecords0 are n records with a few fields set, each its own.
func slabRecords0(n int) []schemas.Record {
	recs := make([]schemas.Record, n)
	for i := range recs {
		recs[i] = schemas.Record{RecordID: fmt.Sprintf("r%06d", i), SchemaVersion: schemas.Version, SourceKind: schemas.KindCSV,
			Row: uint32(i + 2), FullName: "Nguyễn Thị Thuỷ", GivenName: "Thuỷ", BirthYear: uint16(1930 + i%70), Sex: "F",
			IDNumber: fmt.Sprintf("001%09d", i), PermAddress: fmt.Sprintf("Số %d ngõ 34 phố Hòe Nhai", i%200)}
	}
	return recs
}

// slabMessages encodes recs in messages of the sizes given.
func slabMessages(t *testing.T, recs []schemas.Record, sizes ...int) [][]byte {
	t.Helper()
	var out [][]byte
	for _, n := range sizes {
		v, err := schemas.EncodeRecords(recs[:n])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
		recs = recs[n:]
	}
	return out
}

// prepareAll decodes msgs through slab as the match stage's prepare does.
func prepareAll(t *testing.T, slab *recordSlab, month time.Time, msgs [][]byte) []prepared {
	t.Helper()
	var out []prepared
	for i, v := range msgs {
		sr, err := slab.decode(v, month)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, prepared{m: kafka.Message{Offset: int64(i)}, recs: sr.recs, slab: sr.buf, lo: sr.lo, runEnd: sr.runEnd})
	}
	return out
}

func sameRecords(t *testing.T, got, want []schemas.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("record %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// The match stage decodes consecutive messages into one slab: a
// micro-batch of them is a slice of it, not a copy, equal to the
// messages' records in order; a run ends where the micro-batch fills,
// and so does the micro-batch that started within it (after a flush on
// MaxWait), which brings the two back in step.
func TestMatchBatchRecordsShareTheSlab(t *testing.T) {
	recs := slabRecords0(5000)
	msgs := slabMessages(t, recs, 700, 700, 700, 700, 700, 700)
	slab := newRecordSlab(2000, 2000)
	ps := prepareAll(t, slab, time.Time{}, msgs)
	for i, p := range ps {
		if p.runEnd != (i%3 == 2) {
			t.Fatalf("message %d: run end %v, want runs of three messages (2,100 ≥ 2,000 records)", i, p.runEnd)
		}
	}
	if ps[3].lo != 0 || &ps[3].slab[0] == &ps[2].slab[0] {
		t.Fatalf("the message after a run's end starts at %d of the same slab, want 0 of a new one", ps[3].lo)
	}

	b := &matchBatch{cfg: MatchConfig{MaxRecords: 2000}}
	for i, p := range ps[:3] {
		if full := b.add(p); full != (i == 2) {
			t.Fatalf("message %d: full %v", i, full)
		}
	}
	got := b.records()
	sameRecords(t, got, recs[:2100])
	if &got[0] != &ps[0].recs[0] || cap(got) != len(got) {
		t.Fatalf("the micro-batch's records were copied (or reach past it: cap %d of %d)", cap(got), len(got))
	}

	// A micro-batch that starts within a run (the one before it flushed on
	// MaxWait after one message) ends with the run, below MaxRecords.
	b = &matchBatch{cfg: MatchConfig{MaxRecords: 2000}}
	b.add(ps[3])
	b.msgs, b.parts, b.n, b.slab = nil, nil, 0, nil // flushed
	if b.add(ps[4]) {
		t.Fatal("full after one message")
	}
	if !b.add(ps[5]) {
		t.Fatal("the run ended without the micro-batch")
	}
	got = b.records()
	sameRecords(t, got, recs[2800:4200])
	if &got[0] != &ps[4].recs[0] {
		t.Fatal("the micro-batch's records were copied")
	}
}

// A message that does not fit starts a new slab, and a micro-batch over
// two slabs, or of two load months, is joined by a copy, with the records
// in order.
func TestMatchBatchRecordsOverTwoSlabs(t *testing.T) {
	recs := slabRecords0(6000)
	msgs := slabMessages(t, recs, 1500, 3000, 500)
	slab := newRecordSlab(2000, 2000) // 4,000 records a slab
	ps := prepareAll(t, slab, time.Time{}, msgs)
	if ps[1].lo != 0 || &ps[1].slab[0] == &ps[0].slab[0] {
		t.Fatal("3,000 records after 1,500 in a slab of 4,000: want a new slab")
	}
	b := &matchBatch{cfg: MatchConfig{MaxRecords: 6000}}
	b.add(ps[0])
	b.add(ps[1])
	got := b.records()
	sameRecords(t, got, recs[:4500])
	if &got[0] == &ps[0].recs[0] {
		t.Fatal("records over two slabs not copied")
	}

	// A new load month starts a new slab.
	m1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	m2 := m1.AddDate(0, 1, 0)
	slab = newRecordSlab(2000, 2000)
	a := prepareAll(t, slab, m1, msgs[2:])
	c := prepareAll(t, slab, m2, msgs[2:])
	if c[0].lo != 0 || &c[0].slab[0] == &a[0].slab[0] {
		t.Fatal("another load month in the same slab")
	}
	// A withdrawal ends the run.
	slab.endRun()
	d := prepareAll(t, slab, m2, msgs[2:])
	if d[0].lo != 0 || &d[0].slab[0] == &c[0].slab[0] {
		t.Fatal("a message after a withdrawal in the same slab")
	}
}

// BenchmarkMatchBatchRecords: the match stage's micro-batch of 20,000
// records from ten messages of 2,000, decoded into a slice each and joined
// (join: what the stage did before) or into one slab (slab).
func BenchmarkMatchBatchRecords(b *testing.B) {
	recs := slabRecords0(20000)
	var msgs [][]byte
	for i := 0; i < len(recs); i += 2000 {
		v, err := schemas.EncodeRecords(recs[i : i+2000])
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, v)
	}
	b.Run("decoder=join", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var parts [][]schemas.Record
			for _, v := range msgs {
				rs, err := schemas.DecodeRecords(v)
				if err != nil {
					b.Fatal(err)
				}
				parts = append(parts, rs)
			}
			if got := joinRows(parts, func(p *[]schemas.Record) []schemas.Record { return *p }); len(got) != len(recs) {
				b.Fatal(len(got))
			}
		}
	})
	b.Run("decoder=slab", func(b *testing.B) {
		b.ReportAllocs()
		slab := newRecordSlab(20000, 2000)
		for range b.N {
			mb := &matchBatch{cfg: MatchConfig{MaxRecords: 20000}}
			for i, v := range msgs {
				sr, err := slab.decode(v, time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				mb.add(prepared{m: kafka.Message{Offset: int64(i)}, recs: sr.recs, slab: sr.buf, lo: sr.lo, runEnd: sr.runEnd})
			}
			if got := mb.records(); len(got) != len(recs) || mb.slab == nil {
				b.Fatal(len(got), mb.slab == nil)
			}
		}
	})
}
