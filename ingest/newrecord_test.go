package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// TestNewRecordReused reads a messy list with Options.NewRecord handing
// out records the reader has given back (as dancu link does: each record
// zeroed and pooled once it is done with) and checks that the records are
// those read without it, that every one came from NewRecord, and that
// records were reused — with workers and without.
func TestNewRecordReused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.csv")
	if err := os.WriteFile(p, []byte(messyCSV(4000)), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, workers := range []int{0, 2} {
		opts := Options{Now: func() time.Time { return now }, Workers: workers}
		want, _ := openAll(t, p, opts)
		var mu sync.Mutex
		var free []*schemas.Record
		given := map[*schemas.Record]bool{}
		calls, reused := 0, 0
		opts.NewRecord = func() *schemas.Record {
			mu.Lock()
			defer mu.Unlock()
			calls++
			var r *schemas.Record
			if n := len(free); n > 0 {
				r, free = free[n-1], free[:n-1]
				reused++
			} else {
				r = new(schemas.Record)
			}
			given[r] = true
			return r
		}
		src, err := Open(p, opts)
		if err != nil {
			t.Fatal(err)
		}
		records := 0
		for i := 0; ; i++ {
			it, err := src.Next()
			if err != nil {
				break
			}
			if i >= len(want) {
				t.Fatalf("workers %d: more items than without NewRecord (%d)", workers, len(want))
			}
			if it.Record != nil {
				records++
				mu.Lock()
				from := given[it.Record]
				mu.Unlock()
				if !from {
					t.Fatalf("workers %d: item %d: a record NewRecord did not give", workers, i)
				}
			}
			if !reflect.DeepEqual(it, want[i]) {
				t.Fatalf("workers %d: item %d\n got %+v\nwant %+v", workers, i, it, want[i])
			}
			if it.Record != nil {
				*it.Record = schemas.Record{} // done with: back to the pool
				mu.Lock()
				free = append(free, it.Record)
				mu.Unlock()
			}
		}
		src.Close()
		if records == 0 || calls < records || reused == 0 {
			t.Errorf("workers %d: %d records, NewRecord called %d times, %d records reused", workers, records, calls, reused)
		}
	}
}
