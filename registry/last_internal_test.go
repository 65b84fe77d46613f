package registry

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/schemas"
)

// An identical re-flush whose kept output (kLast) no longer reads is an
// error, for a batch as for a withdrawal, and again on the next try:
// neither is run a second time as if it were new (a batch was, which hid
// the broken store).
func TestLastOutputUnreadable(t *testing.T) {
	now := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	r := openAt(t, now)
	ctx := context.Background()
	ad := NewRecords()
	batch := []schemas.Record{vnRecord(now, "r1", "Nguyễn Thị Thu Hà", "1985-03-15", ""), vnRecord(now, "r2", "Trần Thị Bình", "1972-11-02", "")}
	// breakLast keeps the token of the last output and breaks what follows.
	breakLast := func() {
		t.Helper()
		v, c, err := r.db.Get([]byte{kLast})
		if err != nil {
			t.Fatal(err)
		}
		v = slices.Clone(v)
		c.Close()
		v = append(v[:sha256.Size], lastS2, 0xff, 0xff, 0xff)
		if err := r.db.Set([]byte{kLast}, v, pebble.Sync); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.AddRecords(ctx, ad, batch); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AddRecords(ctx, ad, batch); err != nil {
		t.Fatalf("identical re-flush, output intact: %v", err)
	}
	breakLast()
	dups := r.stats.Duplicates
	for try := 1; try <= 2; try++ {
		if _, err := r.AddRecords(ctx, ad, batch); err == nil || !strings.Contains(err.Error(), "re-flush") {
			t.Fatalf("batch, try %d, on an unreadable kept output: err %v, want the kept output's error", try, err)
		}
	}
	if r.stats.Duplicates != dups {
		t.Errorf("duplicates counted %d → %d on a re-flush that failed", dups, r.stats.Duplicates)
	}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b2", RecordIDs: []string{"r2"}}
	if _, err := r.Withdraw(ctx, w); err != nil {
		t.Fatal(err)
	}
	breakLast()
	for try := 1; try <= 2; try++ {
		if _, err := r.Withdraw(ctx, w); err == nil || !strings.Contains(err.Error(), "re-flush") {
			t.Fatalf("withdrawal, try %d, on an unreadable kept output: err %v, want the kept output's error", try, err)
		}
	}
}
