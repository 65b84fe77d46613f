package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/kafkax"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// A batch is dated by its import (Record.LoadedAt), and the changelog
// keeps that date: a registry rebuilt from the changelog a month later
// (its clock moved from April to May) replays the January and February
// batches and the March withdrawal into the same rows as the first time —
// byte for byte: load months, persons' and links' times. A batch of an
// older dancu (no stamp) is dated by the clock, the first time and on
// the replay (April, then May): what was done before.
func TestReplayedBatchKeepsItsLoadTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	brokers := []string{brokertest.Start(t)}
	recs := rebuildRecords(120)
	for i := range recs {
		recs[i].PermProvinceCode = fmt.Sprintf("%02d", 1+i%3)
	}
	jan, feb := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC), time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	mar := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	batches := [][]schemas.Record{recs[:40], recs[40:80], recs[80:]}
	stampLoaded(batches[0], jan)
	stampLoaded(batches[1], feb)
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b-new", Replaces: "b-old", RecordIDs: []string{"r00003", "r00041"},
		User: "test", At: time.Date(2026, 4, 9, 0, 0, 0, 0, time.UTC), LoadedAt: mar}
	april, may := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	clock := func(at time.Time) func() time.Time { return func() time.Time { return at } }
	month := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	wantMonths := []time.Time{month(jan), month(feb), month(april), month(mar)}

	text := func(res LinkResult) string {
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// checkDated checks that every row of res is dated in month m.
	checkDated := func(what string, res LinkResult, m time.Time) {
		t.Helper()
		if len(res.RecordDeltas) == 0 || len(res.Persons) == 0 {
			t.Fatalf("%s: %d record deltas and %d persons, want some of each", what, len(res.RecordDeltas), len(res.Persons))
		}
		for _, d := range res.RecordDeltas {
			if !d.LoadMonth.Equal(m) {
				t.Errorf("%s: a record delta of load_month %s, want %s", what, d.LoadMonth.Format("2006-01"), m.Format("2006-01"))
				break
			}
		}
		for _, p := range res.Persons {
			if !month(p.UpdatedAt).Equal(m) {
				t.Errorf("%s: person %s updated at %s, want in %s", what, p.PersonID, p.UpdatedAt, m.Format("2006-01"))
				break
			}
		}
	}

	first, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Brokers: brokers, Now: clock(april)})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, b := range batches {
		res, err := first.Link(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		checkDated(fmt.Sprintf("batch %d", i), res, wantMonths[i])
		want = append(want, text(res))
	}
	res, err := first.Withdraw(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	checkDated("withdrawal", res, wantMonths[3])
	want = append(want, text(res))
	first.Close()

	// The replay, a month later, message by message as catchUp does.
	later, _, err := OpenRegistry(ctx, RegistryConfig{Dir: t.TempDir(), Now: clock(may)})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: kafkax.TopicRegistryChangelog, Partition: 0, MaxWait: 50 * time.Millisecond})
	defer r.Close()
	var batch []schemas.Record
	var c caughtUp
	for i := 0; i < len(want); {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, err := replayMessage(ctx, later, m, &batch, &c)
		if err != nil {
			t.Fatal(err)
		}
		if out == nil {
			continue
		}
		got := linkResult(out)
		if i == 2 { // the unstamped batch: the clock's month, May now
			checkDated("unstamped batch replayed", got, month(may))
		} else if g := text(got); g != want[i] {
			t.Errorf("operation %d replayed a month later gives other rows:\n got %.400s\nwant %.400s", i, g, want[i])
		}
		i++
	}
}

// An import's load date is stored in Date columns (load_month,
// change_month), which hold 1970-01-01 to 2149-06-06 and wrap what is
// outside: a load date before 1970 (a year mistyped, 1026 for 2026) is
// refused before anything is published, as one after the clock is.
func TestImportLoadedBeforeTheFirstMonthRefused(t *testing.T) {
	for _, at := range []time.Time{time.Date(1026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)} {
		_, err := Import(context.Background(), ImportConfig{Brokers: []string{"127.0.0.1:1"}, LoadedAt: at}, nil, nil)
		if err == nil || !strings.Contains(err.Error(), "before 1970-01-01") {
			t.Errorf("loaded at %s: %v, want it refused as before 1970-01-01", at.Format(time.DateOnly), err)
		}
	}
}
