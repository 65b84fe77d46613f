package registry

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/cputime"
	"github.com/dancu-vn/dancu/internal/ingesttest"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// reclusterBench is a registry that linked a generated population in
// five batches, and the last batch's records.
type reclusterBench struct {
	r     *Registry
	seeds []uint64
}

// newReclusterBench links DANCU_BENCH_RECLUSTER_PERSONS generated
// persons (synth, seed 97; 4,000 when unset) into a new registry in five
// batches.
func newReclusterBench(tb testing.TB) *reclusterBench {
	tb.Helper()
	recs, s := reclusterRecords(tb)
	r, err := Open(Config{Dir: tb.TempDir(), Settings: s})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	first, _ := addInBatches(tb, r, NewRecords(), recs)
	rb := &reclusterBench{r: r}
	for s := first; s < r.next; s++ {
		rb.seeds = append(rb.seeds, s)
	}
	return rb
}

// reclusterRecords are the records of DANCU_BENCH_RECLUSTER_PERSONS
// generated persons (synth, seed 97; 4,000 when unset), in the order the
// sources list them, and the settings they are linked with.
func reclusterRecords(tb testing.TB) ([]schemas.Record, *settings.Settings) {
	tb.Helper()
	persons, _ := strconv.Atoi(os.Getenv("DANCU_BENCH_RECLUSTER_PERSONS"))
	if persons <= 0 {
		persons = 4000
	}
	dir := tb.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 97, OutDir: dir, Formats: []string{"csv", "jsonl"}})
	if err != nil {
		tb.Fatal(err)
	}
	var recs []schemas.Record
	for _, rec := range ingesttest.Records(tb, ingest.Options{}, m.SourcePaths(dir)...) {
		recs = append(recs, *rec)
	}
	s, err := vietnamese.Trained()
	if err != nil {
		tb.Fatal(err)
	}
	return recs, s
}

// addInBatches adds recs to r in five batches, as the demo's match stage
// does with its few large micro-batches, and returns the sequence number
// of the last batch's first record and the batches' outputs.
func addInBatches(tb testing.TB, r *Registry, ad *Records, recs []schemas.Record) (uint64, []*Output) {
	tb.Helper()
	per := (len(recs) + 4) / 5
	var first uint64
	var outs []*Output
	for i := 0; i < len(recs); i += per {
		first = r.next
		out, err := r.AddRecords(context.Background(), ad, recs[i:min(i+per, len(recs))])
		if err != nil {
			tb.Fatal(err)
		}
		outs = append(outs, out)
	}
	return first, outs
}

// batch is what Add's recluster is given beside wb: the batch's edges
// (none here: the seeds are committed), so that the committed edges are
// read as Add reads them, from the store and not through wb.
func (rb *reclusterBench) batch() *batchEdges { return &batchEdges{from: rb.r.next} }

// run reclusters the last batch's records as Add did, their persons
// forgotten (in a batch that is not committed), and returns the output.
func (rb *reclusterBench) run(tb testing.TB) *Output {
	wb := rb.r.db.NewIndexedBatch()
	defer wb.Close()
	for _, s := range rb.seeds {
		wb.Delete(seqKey(kPerson, s), nil)
	}
	out, err := rb.r.recluster(context.Background(), wb, rb.batch(), nil, rb.seeds, nil, "edges")
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkRecluster reclusters the last of five batches of a generated
// population (DANCU_BENCH_RECLUSTER_PERSONS persons, 4,000 when unset):
// all is the whole recluster (the unit's frame, matching's Cluster and
// Summarise, the guards, the person rows and the conflicts, without the
// scoring and the commit); unit is the unit alone (its records' edges,
// persons and frame: buildUnit); cluster and summarise are those two
// alone on the batch's unit. cpu-ns/op is the process's CPU time an op; the
// output's digest (its persons, links, events and conflicts) is logged,
// so that two versions of the code can be compared.
func BenchmarkRecluster(b *testing.B) {
	rb := newReclusterBench(b)
	out := rb.run(b)
	b.Logf("seeds %d, output digest %s", len(rb.seeds), outputDigest(b, out))
	perOp := func(b *testing.B, fn func()) {
		b.ReportAllocs()
		c0 := cputime.Process()
		for b.Loop() {
			fn()
		}
		b.ReportMetric(float64(cputime.Process()-c0)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(len(rb.seeds)), "records/op")
	}
	b.Run("all", func(b *testing.B) { perOp(b, func() { rb.run(b) }) })
	wb := rb.r.db.NewIndexedBatch()
	defer wb.Close()
	for _, s := range rb.seeds {
		wb.Delete(seqKey(kPerson, s), nil)
	}
	b.Run("unit", func(b *testing.B) {
		perOp(b, func() {
			if _, err := rb.r.buildUnit(wb, rb.batch(), rb.seeds, nil); err != nil {
				b.Fatal(err)
			}
		})
	})
	u, err := rb.r.buildUnit(wb, rb.batch(), rb.seeds, nil)
	if err != nil {
		b.Fatal(err)
	}
	if u.holders, err = rb.r.numberHolders(wb, rb.batch(), u); err != nil {
		b.Fatal(err)
	}
	b.Run("cluster", func(b *testing.B) {
		perOp(b, func() {
			if _, err := rb.r.cluster(u); err != nil {
				b.Fatal(err)
			}
		})
	})
	cl, err := rb.r.cluster(u)
	if err != nil {
		b.Fatal(err)
	}
	if err := rb.r.neighbourGuards(wb, u, cl); err != nil {
		b.Fatal(err)
	}
	name := func(root int32) string { return u.f.ID(int(root)) }
	b.Run("summarise", func(b *testing.B) { perOp(b, func() { rb.r.summarise(wb, u, cl, name) }) })
	sums, _, err := rb.r.summarise(wb, u, cl, name)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("guards", func(b *testing.B) {
		perOp(b, func() {
			if _, err := rb.r.personGuards(u, sums, name); err != nil {
				b.Fatal(err)
			}
		})
	})
	// all again once the store holds a police decision's cannot-link
	// (between the first two records, outside the batch): a recluster
	// then looks its records up among those ruled on (apartPairs).
	if err := rb.r.db.Set(apartKey(0, 1), []byte("bench"), nil); err != nil {
		b.Fatal(err)
	}
	rb.r.apartOf[0], rb.r.apartOf[1] = true, true
	b.Run("all-after-a-decision", func(b *testing.B) { perOp(b, func() { rb.run(b) }) })
}

// outputDigest hashes what an output says, its times left out.
func outputDigest(tb testing.TB, out *Output) string {
	h := sha256.New()
	put := func(v any) {
		j, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		h.Write(j)
	}
	for _, p := range out.Persons {
		p.UpdatedAt = time.Time{}
		put(p)
	}
	for _, l := range out.Links {
		l.LinkedAt = time.Time{}
		put(l)
	}
	for _, e := range out.Events {
		e.At = time.Time{}
		put(e)
	}
	for _, c := range out.Conflicts {
		c.CreatedAt = time.Time{}
		put(c)
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:8])
}

// BenchmarkAddInBatches links the population of BenchmarkRecluster
// (DANCU_BENCH_RECLUSTER_PERSONS persons, 4,000 when unset) into a new
// registry in five batches, as the demo's match stage adds its few large
// micro-batches (the 100k demo: six of ~16,700 records): the blocking
// keys, the set of blocks, scoring, reclustering and the commit of
// batches whose blocks are mostly new. cpu-ns/op is the process's CPU
// time an op (Pebble's background work included); the digest of the
// batches' outputs (outputDigest) is logged, so that two versions of the
// code can be compared.
func BenchmarkAddInBatches(b *testing.B) {
	recs, s := reclusterRecords(b)
	ad := NewRecords()
	b.ReportAllocs()
	var c time.Duration
	var digest string
	for b.Loop() {
		r, err := Open(Config{Dir: b.TempDir(), Settings: s})
		if err != nil {
			b.Fatal(err)
		}
		c0 := cputime.Process()
		_, outs := addInBatches(b, r, ad, recs)
		c += cputime.Process() - c0
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
		if digest == "" {
			b.StopTimer()
			h := sha256.New()
			for _, out := range outs {
				h.Write([]byte(outputDigest(b, out)))
			}
			digest = fmt.Sprintf("%x", h.Sum(nil)[:8])
			b.StartTimer()
		}
	}
	b.Logf("%d records, outputs' digest %s", len(recs), digest)
	b.ReportMetric(float64(c)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(recs)), "records/op")
}
