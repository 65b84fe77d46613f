package pipelines

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A republish's messages written again after a crash count once in
// coverage: the load stage died after a message's coverage deltas were
// inserted and before its rows (persons, then retired persons), and the
// message came again; or after all of it. Coverage's persons by province
// then equal a count of the living persons, and the retired ones carry
// their events.
func TestRepublishReplayedCountsOnce(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	s := &ClickHouseSink{Conn: conn}
	t0 := time.Now().UTC().Add(-time.Hour)
	founded := registry.PersonID("r2") // r2 founded it; the new model puts r2 in P1
	old := []schemas.Person{
		{PersonID: "P1", ProvinceCode: "01", IDNumber: "001090000001", RecordCount: 1, Version: 4, UpdatedAt: t0},
		{PersonID: founded, ProvinceCode: "02", RecordCount: 1, Version: 3, UpdatedAt: t0},
		{PersonID: "Pgone", ProvinceCode: "02", RecordCount: 1, Version: 5, UpdatedAt: t0}, // the old model's last batch: the republish's version
	}
	var deltas []schemas.PersonDelta
	for i, p := range old {
		d := schemas.CoverageOf(p).Delta(nil, p)
		d.Batch = fmt.Sprint("old-", i)
		deltas = append(deltas, d)
	}
	if err := s.Write(ctx, &Batch{Persons: old, PersonDeltas: deltas}); err != nil {
		t.Fatal(err)
	}
	r := Republish{Version: 5, Since: time.Now().UTC(), Reason: "model upgrade a → b", Model: "b"}
	at := r.Since.Add(time.Second)
	persons := Republished{Republish: r, Persons: []schemas.Person{
		{PersonID: "P1", ProvinceCode: "03", IDNumber: "001090000001", RecordCount: 2, Version: 5, UpdatedAt: at},
		{PersonID: "P3", ProvinceCode: "01", RecordCount: 1, Version: 5, UpdatedAt: at},
	}}
	links := Republished{Republish: r, Links: []schemas.Link{
		{RecordID: "r1", PersonID: "P1", Version: 5, LinkedAt: at},
		{RecordID: "r2", PersonID: "P1", Version: 5, LinkedAt: at},
		{RecordID: "r3", PersonID: "P3", Version: 5, LinkedAt: at},
	}}
	end := Republished{Republish: r, End: true}
	// byProvince reads (province, count) rows, leaving out zeros.
	byProvince := func(q string) string {
		t.Helper()
		out := map[string]int64{}
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			var n int64
			if err := rows.Scan(&p, &n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				out[p] = n
			}
		}
		return fmt.Sprint(out)
	}
	check := func(when string) {
		t.Helper()
		got := byProvince("SELECT province_code, sum(persons) FROM coverage_persons GROUP BY province_code")
		want := byProvince("SELECT province_code, toInt64(count()) FROM persons FINAL WHERE merged_into = '' GROUP BY province_code")
		if got != want {
			t.Errorf("%s: coverage's persons %v, a count of the living %v", when, got, want)
		}
	}
	check("before")
	// The persons' deltas in, the rows not: the message again.
	held, err := s.personsHeld(ctx, []string{"P1", "P3"}, "")
	if err != nil {
		t.Fatal(err)
	}
	p1 := held["P1"]
	d, ok := coverageChange(&p1, persons.Persons[0])
	if !ok {
		t.Fatal("P1 moved province: no coverage change")
	}
	if err := s.insertDeltas(ctx, &Batch{PersonDeltas: []schemas.PersonDelta{d}}, &refusals{}); err != nil {
		t.Fatal(err)
	}
	for i, b := range []*Batch{{Republished: []Republished{persons, links}}, {Republished: []Republished{persons, links}}} {
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprint("persons and links, written ", i+1, " times"))
	}
	// The end's retirement: its deltas in, its rows not; then all twice.
	stale, err := s.readPersons(ctx, "SELECT "+heldColumns+" FROM persons FINAL WHERE "+r.staleWhere())
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 1 || stale[0].PersonID != "Pgone" {
		t.Fatalf("living from before the republish: %+v, want Pgone alone", stale)
	}
	gone := schemas.Person{PersonID: "Pgone", MergedInto: UpgradedPrefix + r.Model, Version: r.Version}
	if d, ok = coverageChange(&stale[0], gone); !ok {
		t.Fatal("Pgone retired: no coverage change")
	}
	if err := s.insertDeltas(ctx, &Batch{PersonDeltas: []schemas.PersonDelta{d}}, &refusals{}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := s.Write(ctx, &Batch{Republished: []Republished{end}}); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprint("end, written ", i+1, " times"))
	}
	for id, want := range map[string]string{founded: "P1", "Pgone": UpgradedPrefix + "b", "P1": "", "P3": ""} {
		var into string
		if err := conn.QueryRow(ctx, "SELECT merged_into FROM persons FINAL WHERE person_id = $1", id).Scan(&into); err != nil || into != want {
			t.Errorf("person %s: merged into %q (%v), want %q", id, into, err, want)
		}
	}
	var kinds string
	if err := conn.QueryRow(ctx, "SELECT arrayStringConcat(groupArray(concat(kind, ' ', person_id, ' ', arrayStringConcat(others, ','), ' ', reason)), '; ') FROM (SELECT * FROM person_events FINAL ORDER BY kind, person_id)").Scan(&kinds); err != nil {
		t.Fatal(err)
	}
	want := "merge P1 " + founded + " model upgrade a → b; retired Pgone  model upgrade a → b"
	if kinds != want {
		t.Errorf("events: %s\nwant %s", kinds, want)
	}
}

// A republish's conflicts message: ClickHouse's conflicts naming a person
// of its range become the registry's — changed ones written with the
// time ClickHouse first had them, those no longer raised resolved with
// the republish's reason — while a decided one, one the desk has a
// decision on, one written by a later batch and one outside the range
// stay as they are. A row ClickHouse refuses is named with itself and
// its message, the others written; written again, nothing is inserted.
func TestRepublishConflicts(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	s := &ClickHouseSink{Conn: conn}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	conflict := func(id, status string, ver uint64, expl string, persons ...string) schemas.Conflict {
		return schemas.Conflict{ConflictID: id, Kind: schemas.ConflictGreyZone, PersonIDs: persons, RecordIDs: []string{"r" + id},
			Explanation: expl, Status: status, Version: ver, CreatedAt: t0}
	}
	held := []schemas.Conflict{
		conflict("cA", schemas.StatusOpen, 5, "old", "P1", "P2"),
		conflict("cB", schemas.StatusOpen, 4, "gone", "P3"),
		conflict("cC", schemas.StatusDecided, 5, "ruled", "P1"),
		conflict("cD", schemas.StatusOpen, 5, "on the desk", "P2"),
		conflict("cE", schemas.StatusOpen, 7, "a later batch", "P4"),
		conflict("cF", schemas.StatusOpen, 5, "another range", "Q9"),
		conflict("cH", schemas.StatusOpen, 3, "the same", "P3"),
	}
	if err := s.Write(ctx, &Batch{Conflicts: held}); err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, "INSERT INTO decisions (decision_id, conflict_id, decision, user, decided_at, status_after) VALUES ('d1', 'cD', 'needs_verification', 'u', now64(3), 'needs_verification')"); err != nil {
		t.Fatal(err)
	}
	r := Republish{Version: 5, Since: time.Now().UTC(), Reason: "model upgrade a → b", Model: "b", Through: "P5"}
	now := time.Now().UTC().Truncate(time.Millisecond)
	fresh := conflict("cG", schemas.StatusOpen, 5, "new", "P1")
	fresh.CreatedAt = now
	msg := Republished{Republish: r, OfConflicts: true, Conflicts: []schemas.Conflict{
		conflict("cA", schemas.StatusOpen, 5, "new", "P1", "P2"),
		conflict("cC", schemas.StatusOpen, 5, "raised again", "P1"),
		conflict("cE", schemas.StatusOpen, 5, "older", "P4"),
		fresh,
		conflict("cH", schemas.StatusOpen, 5, "the same", "P3"),
	}}
	msg.Conflicts[0].CreatedAt = now
	if err := conn.Exec(ctx, "ALTER TABLE conflicts ADD CONSTRAINT refuse_cg CHECK conflict_id != 'cG'"); err != nil {
		t.Fatal(err)
	}
	// At position 1 of the batch's republish messages.
	err := s.Write(ctx, &Batch{Republished: []Republished{{Republish: r, End: true}, msg}})
	var rr *RefusedRows
	if !errors.As(err, &rr) || len(rr.Rows) != 1 {
		t.Fatalf("a refused conflict: %v, want one row refused", err)
	}
	if got := rr.Rows[0]; got.Kind != KindConflicts || got.Table != "conflicts" || got.Key != "cG" || got.Index != 1 || got.Row == nil {
		t.Errorf("refused %+v, want conflict cG of message 1, with its row", got)
	} else if rows, err := schemas.DecodeRows[schemas.Conflict](got.Row); err != nil || len(rows) != 1 || rows[0].ConflictID != "cG" {
		t.Errorf("the refused row decodes as %+v (%v), want conflict cG", rows, err)
	}
	if err := conn.Exec(ctx, "ALTER TABLE conflicts DROP CONSTRAINT refuse_cg"); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, &Batch{Republished: []Republished{msg}}); err != nil {
		t.Fatal(err)
	}
	var rows uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM conflicts").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	got := map[string]schemas.Conflict{}
	all, err := s.conflictsHeld(ctx, []string{"cA", "cB", "cC", "cD", "cE", "cF", "cG", "cH"})
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(got, all)
	want := map[string]schemas.Conflict{}
	for _, c := range held {
		want[c.ConflictID] = c
	}
	want["cA"] = conflict("cA", schemas.StatusOpen, 5, "new", "P1", "P2") // created_at kept
	b := want["cB"]
	b.Status, b.Version, b.Explanation = schemas.StatusResolvedByRegistry, 5, RepublishResolved+r.Reason+".\n\ngone"
	want["cB"] = b
	want["cG"] = fresh
	for id, w := range want {
		if g := got[id]; !sameConflict(g, w) || g.Version != w.Version {
			t.Errorf("conflict %s:\n%+v\nwant\n%+v", id, g, w)
		}
	}
	if err := s.Write(ctx, &Batch{Republished: []Republished{msg}}); err != nil {
		t.Fatal(err)
	}
	var again uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM conflicts").Scan(&again); err != nil {
		t.Fatal(err)
	}
	if again != rows {
		t.Errorf("written again: %d conflict rows inserted", again-rows)
	}
}
