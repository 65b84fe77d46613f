package web_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// benchSize is the positive integer in the environment variable name, or def.
func benchSize(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// cpuTime is the process's CPU time, user and system: the embedded
// engine runs in the test's process, so it counts the engine's work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timed runs f and gives its wall and CPU time.
func timed(t *testing.T, f func() error) string {
	t.Helper()
	c0, t0 := cpuTime(), time.Now()
	if err := f(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%v wall, %v CPU", time.Since(t0).Round(time.Millisecond), (cpuTime() - c0).Round(time.Millisecond))
}

// TestQueueLatency (DANCU_BENCH_DESK=1; minutes, not in the default run)
// times the queue page's query, the first page after new conflicts
// arrive, and one conflict's reads (the conflict, its records with their
// links, its persons' history and events, withdrawals) on
// DANCU_BENCH_DESK_RECORDS records (default 1,000,000), each linked to a
// person, and DANCU_BENCH_DESK_CONFLICTS conflicts (default 10,000) of
// 2–3 records each spread over the whole table, written straight into
// the engine: the figures the desk gives a reviewer of one province at
// that size.
func TestQueueLatency(t *testing.T) {
	if os.Getenv("DANCU_BENCH_DESK") == "" {
		t.Skip("set DANCU_BENCH_DESK=1 to time the queue on 1M records")
	}
	nr := benchSize(t, "DANCU_BENCH_DESK_RECORDS", 1000000)
	nc := benchSize(t, "DANCU_BENCH_DESK_CONFLICTS", 10000)
	const fresh = 500 // conflicts arriving after the first pages
	env := webtest.Start(t, web.Config{})
	provs := "['01','79','31','48','92','38','40','46','52','56']"
	conflicts := func(from, n int) string {
		return fmt.Sprintf(`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT concat('c', toString(number)), arrayElement(['shared_id','two_ids','id_contradicts','grey_zone'], 1 + number %% 4), '', '',
       [concat('p', toString(number * 97 %% %[3]d)), concat('p', toString((number * 97 + 1) %% %[3]d))],
       arraySlice([concat('r', toString(cityHash64(number * 97 %% %[3]d))), concat('r', toString(cityHash64((number * 97 + 1) %% %[3]d))),
                   concat('r', toString(cityHash64((number * 97 + 2) %% %[3]d)))], 1, 2 + number %% 2),
       (number %% 100) / 100, 'seeded', 'open', 1
FROM numbers(%[1]d, %[2]d)`, from, n, nr)
	}
	t0 := time.Now()
	env.Exec(t, `INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_province_code, perm_district_code, perm_new_province_code, cur_province_code, cur_new_province_code)
SELECT concat('r', toString(cityHash64(number))), concat('Nguyễn Văn ', toString(number)), 1940 + number % 80, 'M', '',
       arrayElement(`+provs+`, 1 + number % 10), concat(arrayElement(`+provs+`, 1 + number % 10), toString(number % 7)),
       arrayElement(`+provs+`, 1 + number % 10), arrayElement(`+provs+`, 1 + number % 10), arrayElement(`+provs+`, 1 + number % 10)
FROM numbers(`+strconv.Itoa(nr)+`)`,
		`INSERT INTO links (record_id, person_id, match_probability, version)
SELECT concat('r', toString(cityHash64(number))), concat('p', toString(number)), 1, 1 FROM numbers(`+strconv.Itoa(nr)+`)`,
		conflicts(0, nc))
	t.Logf("seeded %d records with their links and %d conflicts in %v", nr, nc, time.Since(t0).Round(time.Millisecond))
	ctx := context.Background()
	sc := store.Scope{Provinces: []string{"79"}}
	var rows []store.ConflictRow
	page := func() error {
		var err error
		rows, _, err = env.Store.Conflicts(ctx, sc, store.Filter{Status: "open"})
		return err
	}
	for i := 0; i < 3; i++ {
		// The first call also fills conflict_places for all conflicts.
		took := timed(t, page)
		t.Logf("queue page %d (province 79, open, first 200): %d rows in %s", i+1, len(rows), took)
	}
	if len(rows) == 0 {
		t.Fatal("no conflict of province 79")
	}
	env.Exec(t, conflicts(nc, fresh))
	for i := 0; i < 2; i++ {
		took := timed(t, page)
		t.Logf("queue page %d after %d new conflicts: %d rows in %s", i+1, fresh, len(rows), took)
	}
	for _, r := range rows[:3] {
		var c store.ConflictRow
		took := timed(t, func() (err error) {
			c, err = env.Store.Conflict(ctx, sc, r.ConflictID)
			return err
		})
		var recs []store.Record
		rest := timed(t, func() error {
			var err error
			if recs, err = env.Store.Records(ctx, c.RecordIDs); err != nil {
				return err
			}
			if _, err = env.Store.PersonHistory(ctx, c.PersonIDs); err != nil {
				return err
			}
			if _, err = env.Store.PersonEvents(ctx, c.PersonIDs); err != nil {
				return err
			}
			_, err = env.Store.Withdrawals(ctx, c.RecordIDs, nil)
			return err
		})
		if len(recs) != len(c.RecordIDs) || recs[0].PersonID == "" {
			t.Fatalf("conflict %s: %d records of %d, first linked to %q", c.ConflictID, len(recs), len(c.RecordIDs), recs[0].PersonID)
		}
		t.Logf("one conflict: %s; its records, persons, events, withdrawals: %s", took, rest)
	}
}
