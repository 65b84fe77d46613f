package web_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestQueueLatency (DANCU_BENCH_DESK=1; minutes, not in the default run)
// times the queue page's query and one conflict's on 1M records and
// 10,000 conflicts of 2–3 records each, written straight into the
// engine: the figures the desk gives a reviewer of one province at that
// size.
func TestQueueLatency(t *testing.T) {
	if os.Getenv("DANCU_BENCH_DESK") == "" {
		t.Skip("set DANCU_BENCH_DESK=1 to time the queue on 1M records")
	}
	env := webtest.Start(t, web.Config{})
	provs := "['01','79','31','48','92','38','40','46','52','56']"
	t0 := time.Now()
	env.Exec(t, `INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_province_code, perm_district_code, perm_new_province_code, cur_province_code, cur_new_province_code)
SELECT concat('r', toString(cityHash64(number))), concat('Nguyễn Văn ', toString(number)), 1940 + number % 80, 'M', '',
       arrayElement(`+provs+`, 1 + number % 10), concat(arrayElement(`+provs+`, 1 + number % 10), toString(number % 7)),
       arrayElement(`+provs+`, 1 + number % 10), arrayElement(`+provs+`, 1 + number % 10), arrayElement(`+provs+`, 1 + number % 10)
FROM numbers(1000000)`,
		`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT concat('c', toString(number)), arrayElement(['shared_id','two_ids','id_contradicts','grey_zone'], 1 + number % 4), '', '',
       [concat('p', toString(number)), concat('q', toString(number))],
       arraySlice([concat('r', toString(cityHash64(number * 97 % 1000000))), concat('r', toString(cityHash64((number * 97 + 1) % 1000000))),
                   concat('r', toString(cityHash64((number * 97 + 2) % 1000000)))], 1, 2 + number % 2),
       (number % 100) / 100, 'seeded', 'open', 1
FROM numbers(10000)`)
	t.Logf("seeded 1M records and 10,000 conflicts in %v", time.Since(t0).Round(time.Millisecond))
	ctx := context.Background()
	sc := store.Scope{Provinces: []string{"79"}}
	var rows []store.ConflictRow
	for i := 0; i < 3; i++ {
		t1 := time.Now()
		var err error
		rows, _, err = env.Store.Conflicts(ctx, sc, store.Filter{Status: "open"})
		if err != nil {
			t.Fatal(err)
		}
		// The first call also fills conflict_places for all 10,000.
		t.Logf("queue page %d (province 79, open, first 200): %d rows in %v", i+1, len(rows), time.Since(t1).Round(time.Millisecond))
	}
	if len(rows) == 0 {
		t.Fatal("no conflict of province 79")
	}
	for _, r := range rows[:3] {
		t1 := time.Now()
		if _, err := env.Store.Conflict(ctx, sc, r.ConflictID); err != nil {
			t.Fatal(err)
		}
		t.Logf("one conflict: %v", time.Since(t1).Round(time.Millisecond))
	}
}
