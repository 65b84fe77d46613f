package coverage_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// The persons' aggregates fed by the registry's own deltas (migration
// 0013), on the real engine: a real registry links batches of records
// (persons found, joined, re-homed when a batch brings an earlier record,
// merged and split by police decisions); each output goes through the
// ClickHouse sink as the load stage writes it, and the aggregates are
// compared with the brute-force FINAL query after every step — also after
// the same output is written twice (a replay after a crash), after the
// registry re-flushes a batch (same output again) and after a redelivery
// of known records (no new delta).
func TestAggregatesFromRegistryDeltas(t *testing.T) {
	conn := openDB(t)
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	reg, err := registry.Open(registry.Config{Dir: t.TempDir(), Settings: s, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	ad := registry.NewRecords()
	ctx := context.Background()
	var deltas int
	load := func(step string, recs []schemas.Record, out *registry.Output) {
		t.Helper()
		deltas += len(out.Deltas) + len(out.PersonDeltaSums)
		b := &pipelines.Batch{Records: recs, Persons: out.Persons, Links: out.Links, Conflicts: out.Conflicts,
			PersonEvents: out.Events, PersonDeltas: slices.Clone(out.Deltas), RecordDeltas: slices.Clone(out.RecordDeltas),
			PersonDeltaSums: slices.Clone(out.PersonDeltaSums)}
		if err := (&pipelines.ClickHouseSink{Conn: conn}).Write(ctx, b); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		check(t, conn, step)
	}
	add := func(step string, recs []schemas.Record) *registry.Output {
		t.Helper()
		out, err := reg.AddRecords(ctx, ad, recs)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		load(step, recs, out)
		return out
	}

	// Twelve persons, each in one of the places, written in two or three
	// records (the later ones with the name in capitals, no diacritics);
	// some with a 12-digit number, some with only a CMND, two born after
	// 2010.
	names := []string{"Nguyễn Thị Thu Hà", "Trần Văn Bình", "Lê Thị Mai", "Phạm Văn Đức", "Hoàng Thị Lan", "Vũ Văn Nam",
		"Đặng Thị Hồng", "Bùi Văn Tuấn", "Đỗ Thị Hoa", "Hồ Văn Sơn", "Ngô Thị Nga", "Dương Văn Long"}
	rec := func(i, copy int) schemas.Record {
		a := places[i%len(places)]
		year := 1950 + 3*i
		if i%6 == 5 {
			year = 2012 + i%3
		}
		sex, idSex := "M", 0
		if i%2 == 0 {
			sex, idSex = "F", 1
		}
		if year >= 2000 {
			idSex += 2
		}
		r := record(fmt.Sprintf("f%d/%d", copy, i), a, schemas.KindCSV, "", "", 3)
		r.FullName, r.Sex, r.BirthYear, r.BirthDate = names[i], sex, uint16(year), fmt.Sprintf("%d-0%d-1%d", year, 1+i%9, i%10)
		switch i % 4 {
		case 0, 1:
			r.IDNumber = fmt.Sprintf("%s%d%02d%06d", map[string]string{"": "001"}[a.p]+a.p+map[bool]string{true: "0", false: ""}[a.p != ""], idSex, year%100, 100+i)
		case 2:
			r.CMND = fmt.Sprintf("%09d", 123456000+i)
		}
		if len(r.IDNumber) != 12 {
			r.IDNumber = ""
		}
		if copy > 0 {
			r.FullName = upperASCII(r.FullName)
		}
		return r
	}
	var b1, b2, b3 []schemas.Record
	for i := range names {
		b1 = append(b1, rec(i, 1))
		if i%3 != 0 {
			b2 = append(b2, rec(i, 2))
		}
	}
	// The third batch brings a 12-digit number for four persons that had
	// none (two of them only a CMND): their state changes in place, from
	// "without a number" to "with one", in the same unit.
	for _, i := range []int{2, 3, 6, 7} {
		r := rec(i, 3)
		r.IDNumber = rec(i-2, 3).IDNumber[:4] + fmt.Sprintf("%02d%06d", r.BirthYear%100, 500+i)
		b3 = append(b3, r)
	}
	out1 := add("first batch", b1)
	if len(out1.PersonDeltaSums) == 0 {
		t.Fatal("first batch: no deltas")
	}
	load("the first batch's output written again (replay)", b1, out1)
	out2 := add("second batch", b2)
	again, err := reg.AddRecords(ctx, ad, b2) // the same batch again: the registry re-flushes its last output
	if err != nil {
		t.Fatal(err)
	}
	// The kept output names its coverage rows, which are read again.
	if !reflect.DeepEqual(again.RecordDeltas, out2.RecordDeltas) || !reflect.DeepEqual(again.PersonDeltaSums, out2.PersonDeltaSums) ||
		len(out2.RecordDeltas) == 0 {
		t.Errorf("re-flush: %d records' and %d persons' coverage rows, first %d and %d (or not the same)",
			len(again.RecordDeltas), len(again.PersonDeltaSums), len(out2.RecordDeltas), len(out2.PersonDeltaSums))
	}
	load("second batch re-flushed", b2, again)
	out3 := add("third batch (numbers for persons without)", b3)
	if len(out3.PersonDeltaSums) == 0 {
		t.Error("third batch: no deltas, want the four persons moved to \"with a number\"")
	}
	again3, err := reg.AddRecords(ctx, ad, b3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again3.PersonDeltaSums, out3.PersonDeltaSums) || !reflect.DeepEqual(again3.RecordDeltas, out3.RecordDeltas) {
		t.Errorf("re-flush of the third batch: %d persons' coverage rows, first %d (or not the same)", len(again3.PersonDeltaSums), len(out3.PersonDeltaSums))
	}
	redelivered := add("redelivery of the first batch", b1)
	// The persons' states name the batches that emitted them: a
	// redelivery emits those batches' summed rows again (which the load
	// stage already has), no per-person delta.
	if len(redelivered.Deltas) != 0 || len(redelivered.PersonDeltaSums) == 0 {
		t.Errorf("redelivery: %d per-person deltas and %d summed rows, want none and the earlier batches' rows again",
			len(redelivered.Deltas), len(redelivered.PersonDeltaSums))
	}
	// The match stage stopped after the registry committed a batch and
	// before its output was written; it then forms its next batch
	// differently (the same records and one more): the records are known,
	// their persons come again with deltas the load stage completes.
	var b4 []schemas.Record
	for i := 0; i < 3; i++ {
		r := rec(i, 4)
		r.RecordID, r.FullName, r.BirthDate = fmt.Sprintf("f4/%d", i), names[(i+5)%len(names)]+" Anh", fmt.Sprintf("19%d0-11-2%d", 6+i, i)
		b4 = append(b4, r)
	}
	if _, err := reg.AddRecords(ctx, ad, b4[:2]); err != nil { // output lost
		t.Fatal(err)
	}
	add("a batch after a lost output", b4)
	// Address corrections (the same records, their addresses resolved
	// otherwise): the registry moves each from its old unit to its new
	// one. Then a correction whose output is lost, and a later batch
	// holding the corrected records and one more: the rows of the lost
	// batch are emitted again and count once.
	fix := func(r schemas.Record, a addr) schemas.Record {
		r.PermProvinceCode, r.PermDistrictCode, r.PermCommuneCode, r.PermNewProvinceCode, r.PermNewCommuneCode = a.p, a.d, a.c, a.np, a.nc
		return r
	}
	corrected := add("address corrections", []schemas.Record{fix(b1[0], places[5]), fix(b1[7], places[0]), fix(b2[1], addr{})})
	if len(corrected.RecordDeltas) == 0 {
		t.Error("address corrections: no records' deltas")
	}
	lostFix := []schemas.Record{fix(b1[1], places[3]), fix(b2[4], places[6])}
	if _, err := reg.AddRecords(ctx, ad, lostFix); err != nil { // output lost
		t.Fatal(err)
	}
	add("a batch after a lost correction", append(slices.Clone(lostFix), fix(b1[2], places[1])))
	add("the corrected records delivered again", lostFix)
	split, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{b1[4].RecordID, b2[2].RecordID}, Decision: schemas.DecisionDifferentPersons})
	if err != nil {
		t.Fatal(err)
	}
	load("split by a decision", nil, split)
	join, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d2", RecordIDs: []string{b1[3].RecordID, b1[8].RecordID}, Decision: schemas.DecisionSamePerson})
	if err != nil {
		t.Fatal(err)
	}
	load("merge by a decision", nil, join)
	// A merge whose output is lost (the match stage stopped after the
	// registry committed the decision): persons FINAL and the aggregates
	// still count the retired person. The next delivery of its records
	// writes its retired row and a not-living delta again.
	lost, err := reg.Decide(ctx, schemas.Decision{DecisionID: "d3", RecordIDs: []string{b1[6].RecordID, b1[11].RecordID}, Decision: schemas.DecisionSamePerson})
	if err != nil {
		t.Fatal(err)
	}
	var retired []string
	for _, p := range lost.Persons {
		if p.MergedInto != "" {
			retired = append(retired, p.PersonID)
		}
	}
	if len(retired) == 0 {
		t.Fatal("the lost merge retired no person")
	}
	living := func() uint64 {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM persons FINAL WHERE has(?, person_id) AND merged_into = ''", retired).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := living(); n != uint64(len(retired)) {
		t.Fatalf("before the redelivery %d of the %d persons the lost merge retired are living in persons FINAL, want all", n, len(retired))
	}
	add("redelivery after a lost merge", b1)
	if n := living(); n != 0 {
		t.Errorf("after the redelivery %d of the %d persons the lost merge retired are still living in persons FINAL", n, len(retired))
	}
	if len(split.PersonDeltaSums) == 0 || len(join.PersonDeltaSums) == 0 {
		t.Errorf("decisions: %d and %d deltas, want some for each", len(split.PersonDeltaSums), len(join.PersonDeltaSums))
	}
	var records, rkeys uint64
	if err := conn.QueryRow(ctx, "SELECT toUInt64(sum(records)) FROM coverage_records").Scan(&records); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT count() FROM coverage_delta_keys FINAL WHERE kind = 1").Scan(&rkeys); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records counted, %d records' delta rows kept", records, rkeys)
	var persons, keys uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM persons FINAL WHERE merged_into = ''").Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT (SELECT count() FROM person_delta_keys FINAL) + (SELECT count() FROM coverage_delta_keys FINAL WHERE kind = 2)").Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if persons < 8 || int(keys) >= deltas {
		t.Errorf("%d living persons (want 8 or more), %d delta keys for %d deltas written (replays must not add keys)", persons, keys, deltas)
	}
	t.Logf("%d living persons; %d deltas written, %d kept", persons, deltas, keys)
}

// upperASCII writes a Vietnamese name as old lists do: capitals, no
// diacritics (the adapter folds both).
func upperASCII(s string) string {
	var out []rune
	for _, r := range s {
		switch {
		case r == 'Đ' || r == 'đ':
			r = 'D'
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r > 127:
			r = fold(r)
		}
		out = append(out, r)
	}
	return string(out)
}

func fold(r rune) rune {
	for base, set := range map[rune]string{'A': "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'E': "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ", 'I': "ìíỉĩịÌÍỈĨỊ",
		'O': "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'U': "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ", 'Y': "ỳýỷỹỵỲÝỶỸỴ"} {
		for _, c := range set {
			if c == r {
				return base
			}
		}
	}
	return r
}

var _ driver.Conn // the helpers above take one

// A database that dancu migrate brought to 0015, whose persons were
// counted one delta each (person_deltas, as the registry emitted them
// before 0016), is migrated to 0016 by the same code (chstore.Migrate
// applies 0016, then any later migration) and its aggregates stay equal to FINAL: after the
// migration the summed rows count the changes of those persons (their
// states known to the registry), and a person last emitted before 0016
// and delivered again comes one by one (old_known = 0) and is compared
// with person_state — including one whose last output before the
// migration was lost.
func TestAggregatesThroughMigration16(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ctx := context.Background()
	// As dancu migrate of a release with migrations up to 0015 left it.
	if _, err := chstore.MigrateTo(ctx, conn, 15); err != nil {
		t.Fatal(err)
	}
	recordsV2Columns(t, conn)
	tr := tracker(conn) // the registry's states, kept across the upgrade
	rtr := recordTracker(conn)
	s := &pipelines.ClickHouseSink{Conn: conn}
	at := func(month int) time.Time { return time.Date(2026, time.Month(month), 10, 0, 0, 0, 0, time.UTC) }
	var recs []schemas.Record
	var persons []schemas.Person
	for i := 0; i < 12; i++ {
		recs = append(recs, record(fmt.Sprintf("r%02d", i), places[i%len(places)], schemas.KindCSV, "", "", 3))
	}
	for i := 0; i < 6; i++ {
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf("0010900%05d", i)
		}
		persons = append(persons, person(fmt.Sprintf("p%d", i), 1, places[i%len(places)], id, 2012+i, "", 3))
	}
	// Before 0016: one delta per person, into person_deltas; the records'
	// deltas into record_deltas, as the load stage of that release sent
	// them (the sink's one insert is of 0027).
	if err := s.Write(ctx, &pipelines.Batch{Records: recs, Persons: persons, PersonDeltas: tr.Deltas(persons)}); err != nil {
		t.Fatal(err)
	}
	insertAsBefore(t, conn, "record_deltas", rtr.Deltas(recs, at(3)))
	check(t, conn, "at 0015")
	// An output the registry emitted before 0016 that never reached
	// ClickHouse: p5 moved (its state in the registry says so).
	lost := persons[5]
	lost.Version, lost.ProvinceCode, lost.CommuneCode, lost.NewProvinceCode, lost.NewCommuneCode, lost.UpdatedAt = 2, "01", "00004", "01", "00004", at(4)
	tr.Deltas([]schemas.Person{lost})

	applied, err := chstore.Migrate(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || !strings.HasPrefix(applied[0], "0016_") {
		t.Fatalf("migrate from 0015 applied %v, want 0016 first", applied)
	}
	check(t, conn, "after migrating to 0016")

	// After: changes come summed (the states are known): a correction
	// (p1 moves), a number (p3), a merge (p2 into p0), p4 as it was.
	p1, p3, p2, p0, p4 := persons[1], persons[3], persons[2], persons[0], persons[4]
	p1.Version, p1.ProvinceCode, p1.CommuneCode, p1.NewProvinceCode, p1.NewCommuneCode, p1.UpdatedAt = 3, "40", "17920", "40", "17920", at(5)
	p3.Version, p3.IDNumber, p3.UpdatedAt = 3, "001090012345", at(5)
	p2.Version, p2.MergedInto, p2.UpdatedAt = 3, "p0", at(5)
	p0.Version, p0.UpdatedAt = 3, at(5)
	legacy, sums := registry.SumPersonDeltas(tr.Deltas([]schemas.Person{p1, p3, p2, p0, p4}))
	if len(legacy) != 0 || len(sums) == 0 {
		t.Fatalf("after 0016: %d per-person deltas and %d summed rows, want none and some", len(legacy), len(sums))
	}
	corrected := recs[1]
	corrected.PermProvinceCode, corrected.PermDistrictCode, corrected.PermCommuneCode, corrected.PermNewProvinceCode, corrected.PermNewCommuneCode = "40", "431", "17920", "40", "17920"
	if err := s.Write(ctx, &pipelines.Batch{Records: []schemas.Record{corrected}, Persons: []schemas.Person{p1, p3, p2, p0, p4},
		PersonDeltaSums: sums, RecordDeltas: rtr.Deltas([]schemas.Record{corrected}, at(5))}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "correction, number and merge after 0016")
	// The same rows again (a replay): nothing more.
	if err := s.Write(ctx, &pipelines.Batch{PersonDeltaSums: slices.Clone(sums)}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "replay after 0016")

	// p5's records delivered again: its state was last emitted before
	// 0016 (no batch named), so the registry emits its row with an
	// old_known = 0 delta, which the load stage compares with
	// person_state (still p5 as first counted): the lost move counts now,
	// once; p4, delivered again too, changes nothing.
	again := &registry.CoverageTracker{Legacy: true}
	redelivered := again.Deltas([]schemas.Person{lost, p4})
	if err := s.Write(ctx, &pipelines.Batch{Persons: []schemas.Person{lost, p4}, PersonDeltas: redelivered}); err != nil {
		t.Fatal(err)
	}
	check(t, conn, "redelivery of persons last emitted before 0016")
	var n int64
	if err := conn.QueryRow(ctx, "SELECT toInt64(sum(persons)) FROM coverage_persons WHERE commune_code = '00004'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var want int64
	if err := conn.QueryRow(ctx, "SELECT toInt64(count()) FROM persons FINAL WHERE commune_code = '00004' AND merged_into = ''").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if n != want || want == 0 {
		t.Errorf("commune 00004 counts %d persons, FINAL %d (the lost move of p5 must count once)", n, want)
	}
}
