package registry_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// loaded is what the load stage holds after a registry's outputs: each
// record's person (withdrawn ones gone), each person's last row, and the
// coverage aggregates the deltas sum to (each (batch, seq) once).
type loaded struct {
	person  map[string]string
	persons map[string]schemas.Person
	records map[string]int // record coverage key → count
	people  map[string]int // person coverage key → count of living persons
	seen    map[string]bool
	events  []schemas.PersonEvent
}

func newLoaded() *loaded {
	return &loaded{person: map[string]string{}, persons: map[string]schemas.Person{}, records: map[string]int{}, people: map[string]int{}, seen: map[string]bool{}}
}

func recordCovKey(province, district, commune, newProvince, newCommune, kind string, month string, withID, cmnd bool) string {
	return strings.Join([]string{province, district, commune, newProvince, newCommune, kind, month, fmt.Sprint(withID), fmt.Sprint(cmnd)}, "|")
}

func personCovKey(province, commune, newProvince, newCommune string, year uint16, withID, cmnd bool) string {
	return strings.Join([]string{province, commune, newProvince, newCommune, fmt.Sprint(year), fmt.Sprint(withID), fmt.Sprint(cmnd)}, "|")
}

func (l *loaded) apply(t *testing.T, out *registry.Output) {
	t.Helper()
	for _, id := range out.Withdrawn {
		delete(l.person, id)
	}
	for _, k := range out.Links {
		l.person[k.RecordID] = k.PersonID
	}
	for _, p := range out.Persons {
		if old, ok := l.persons[p.PersonID]; !ok || old.Version <= p.Version {
			l.persons[p.PersonID] = p
		}
	}
	l.events = append(l.events, out.Events...)
	if len(out.Deltas) > 0 {
		t.Fatalf("%d per-person deltas; a registry keeping states from the start sums them all", len(out.Deltas))
	}
	for _, d := range out.RecordDeltas {
		if k := fmt.Sprintf("r %s %d", d.Batch, d.Seq); !l.seen[k] {
			l.seen[k] = true
			m := d.SourceMonth.Format("2006-01")
			// The three counts are nested: with an id, CMND only, neither.
			withID := int(d.AddedWithID) - int(d.RemovedWithID)
			cmnd := int(d.AddedCMNDOnly) - int(d.RemovedCMNDOnly)
			all := int(d.Added) - int(d.Removed)
			l.records[recordCovKey(d.ProvinceCode, d.DistrictCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.SourceKind, m, true, false)] += withID
			l.records[recordCovKey(d.ProvinceCode, d.DistrictCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.SourceKind, m, false, true)] += cmnd
			l.records[recordCovKey(d.ProvinceCode, d.DistrictCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.SourceKind, m, false, false)] += all - withID - cmnd
		}
	}
	for _, d := range out.PersonDeltaSums {
		if k := fmt.Sprintf("p %s %d", d.Batch, d.Seq); !l.seen[k] {
			l.seen[k] = true
			withID := int(d.AddedWithID) - int(d.RemovedWithID)
			cmnd := int(d.AddedCMNDOnly) - int(d.RemovedCMNDOnly)
			all := int(d.Added) - int(d.Removed)
			l.people[personCovKey(d.ProvinceCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.BirthYear, true, false)] += withID
			l.people[personCovKey(d.ProvinceCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.BirthYear, false, true)] += cmnd
			l.people[personCovKey(d.ProvinceCode, d.CommuneCode, d.NewProvinceCode, d.NewCommuneCode, d.BirthYear, false, false)] += all - withID - cmnd
		}
	}
}

// checkCoverage compares the aggregates the deltas sum to with a count,
// from scratch, of the records left and of the living persons' last rows.
func (l *loaded) checkCoverage(t *testing.T, recs []schemas.Record) {
	t.Helper()
	want := map[string]int{}
	for i := range recs {
		if _, ok := l.person[recs[i].RecordID]; !ok {
			continue
		}
		c := schemas.RecordCoverageOf(&recs[i])
		want[recordCovKey(c.ProvinceCode, c.DistrictCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.SourceKind, c.SourceMonth.Format("2006-01"), c.HasID, c.CMNDOnly)]++
	}
	diff(t, "records' coverage", l.records, want)
	want = map[string]int{}
	living := map[string]int{}
	for _, pid := range l.person {
		living[pid]++
	}
	for pid, p := range l.persons {
		c := schemas.CoverageOf(p)
		if !c.Living {
			if living[pid] > 0 {
				t.Errorf("person %s retired (merged into %q) holds %d records", pid, p.MergedInto, living[pid])
			}
			continue
		}
		if int(p.RecordCount) != living[pid] {
			t.Errorf("person %s: row says %d records, the links %d", pid, p.RecordCount, living[pid])
		}
		want[personCovKey(c.ProvinceCode, c.CommuneCode, c.NewProvinceCode, c.NewCommuneCode, c.BirthYear, c.HasID, c.CMNDOnly)]++
	}
	diff(t, "persons' coverage", l.people, want)
}

func diff(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	n := 0
	for k, v := range got {
		if v != want[k] && n < 5 {
			t.Errorf("%s %s: deltas sum to %d, a count gives %d", what, k, v, want[k])
			n++
		}
	}
	for k, v := range want {
		if _, ok := got[k]; !ok && v != 0 && n < 5 {
			t.Errorf("%s %s: deltas sum to 0, a count gives %d", what, k, v)
			n++
		}
	}
}

// offlineOf links recs offline (dancu link's rule) with s: each record's
// cluster, named by a record of it.
func offlineOf(t *testing.T, s *settings.Settings, recs []schemas.Record) map[string]string {
	t.Helper()
	f := frameOf(s, registry.NewRecords(), recs)
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i := 0; i < f.Len(); i++ {
		out[f.ID(i)] = f.ID(int(res.Clusters.Of[i]))
	}
	return out
}

// samePartition returns how many records are not in a cluster of the
// same records in a and b (0: the same partition).
func samePartition(a, b map[string]string) int {
	canon := func(m map[string]string) map[string]string {
		first := map[string]string{}
		for id, c := range m {
			if f, ok := first[c]; !ok || id < f {
				first[c] = id
			}
		}
		out := map[string]string{}
		for id, c := range m {
			out[id] = first[c]
		}
		return out
	}
	ca, cb := canon(a), canon(b)
	n := len(ca) - len(cb)
	if n < 0 {
		n = -n
	}
	for id, c := range ca {
		if d, ok := cb[id]; ok && d != c {
			n++
		}
	}
	return n
}

// pickWithdrawn picks about frac of recs, preferring records of persons
// of several records (a withdrawal there can split a person), by seed.
func pickWithdrawn(recs []schemas.Record, offline map[string]string, frac float64, seed int64) []string {
	size := map[string]int{}
	for _, r := range recs {
		size[offline[r.RecordID]]++
	}
	rng := rand.New(rand.NewSource(seed))
	var out []string
	for _, r := range recs {
		p := frac / 2
		if size[offline[r.RecordID]] > 2 {
			p = frac * 2
		}
		if rng.Float64() < p {
			out = append(out, r.RecordID)
		}
	}
	return out
}

func without(recs []schemas.Record, ids []string) []schemas.Record {
	gone := map[string]bool{}
	for _, id := range ids {
		gone[id] = true
	}
	var out []schemas.Record
	for _, r := range recs {
		if !gone[r.RecordID] {
			out = append(out, r)
		}
	}
	return out
}

func withdrawal(batch string, ids []string) schemas.Withdrawal {
	return schemas.Withdrawal{WithdrawalID: "w-" + batch, Batch: batch, Replaces: "old-" + batch, RecordIDs: ids, User: "test"}
}

// (a), (e), (f): after a subset of the records is withdrawn, the registry
// holds offline linking's partition of the records left; persons keep
// their ids by the founding-record rules, every withdrawal writes its
// events with its reason, and the coverage deltas sum to a count of what
// is left. Withdrawing again, or ids never held, changes nothing.
func TestWithdrawEqualsOfflineOnTheRecordsLeft(t *testing.T) {
	p := generated(t)
	ctx := context.Background()
	for _, seed := range []int64{1, 2} {
		reg := openWith(t, p.settings)
		l := newLoaded()
		ad := registry.NewRecords()
		for i := 0; i < len(p.recs); i += 500 {
			out, err := reg.AddRecords(ctx, ad, p.recs[i:min(i+500, len(p.recs))])
			if err != nil {
				t.Fatal(err)
			}
			l.apply(t, out)
		}
		before := maps(l.person)
		gone := pickWithdrawn(p.recs, p.offline, 0.08, seed)
		out, err := reg.Withdraw(ctx, withdrawal("b1", append(gone, "never-held")))
		if err != nil {
			t.Fatal(err)
		}
		l.apply(t, out)
		if !slices.Equal(out.Withdrawn, slices.Sorted(slices.Values(gone))) {
			t.Fatalf("seed %d: withdrew %d records, want the %d given (without the unknown one)", seed, len(out.Withdrawn), len(gone))
		}
		left := without(p.recs, gone)
		want := offlineOf(t, p.settings, left)
		if len(l.person) != len(left) {
			t.Fatalf("seed %d: %d records linked, want %d", seed, len(l.person), len(left))
		}
		n := samePartition(want, l.person)
		m := eval.Clusters(want, l.person)
		t.Logf("seed %d: %d of %d records withdrawn; %d events; vs offline on the records left: %d records placed otherwise, F1 %.5f",
			seed, len(gone), len(p.recs), len(out.Events), n, m.F1)
		if m.F1 < 0.999 {
			t.Errorf("seed %d: pairwise F1 vs offline on the records left %.5f < 0.999", seed, m.F1)
		}
		// The same records streamed from the start (no withdrawal): the
		// same partition, exactly (the settings' blocks hold no window
		// here that a withdrawal would change).
		fresh, _, _ := stream(t, p.settings, left, 500)
		if k := samePartition(fresh, l.person); k != 0 {
			t.Errorf("seed %d: %d records placed otherwise than by streaming the records left from the start", seed, k)
		}
		checkIDs(t, before, l, gone, "withdrawn:b1")
		l.checkCoverage(t, p.recs)
		// Again: nothing new (the same output, an identical re-flush); a
		// withdrawal of the same records under another id: nothing.
		again, err := reg.Withdraw(ctx, withdrawal("b1", append(gone, "never-held")))
		if err != nil {
			t.Fatal(err)
		}
		l.apply(t, again)
		other, err := reg.Withdraw(ctx, withdrawal("b2", gone))
		if err != nil {
			t.Fatal(err)
		}
		if len(other.Persons)+len(other.Links)+len(other.Events)+len(other.Withdrawn)+len(other.RecordDeltas)+len(other.PersonDeltaSums) != 0 {
			t.Errorf("seed %d: withdrawing withdrawn records again: %d persons, %d links, %d events, %d withdrawn", seed, len(other.Persons), len(other.Links), len(other.Events), len(other.Withdrawn))
		}
		l.checkCoverage(t, p.recs)
	}
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func openWith(t *testing.T, s *settings.Settings) *registry.Registry {
	t.Helper()
	reg, err := registry.Open(registry.Config{Dir: t.TempDir(), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

// checkIDs checks (e): every person before the withdrawal that still has
// records has its id in exactly one of its parts — the part holding its
// founding record, or, that record withdrawn, its earliest record left;
// a person with no record left is retired as withdrawn; a split is an
// event with the withdrawal's reason.
func checkIDs(t *testing.T, before map[string]string, l *loaded, gone []string, reason string) {
	t.Helper()
	withdrawn := map[string]bool{}
	for _, id := range gone {
		withdrawn[id] = true
	}
	left := map[string][]string{} // old person → its records left
	for id, pid := range before {
		if !withdrawn[id] {
			left[pid] = append(left[pid], id)
		}
	}
	holders := map[string]map[string]bool{} // new person → old persons
	for id, pid := range l.person {
		if holders[pid] == nil {
			holders[pid] = map[string]bool{}
		}
		holders[pid][before[id]] = true
	}
	oldPersons := map[string]bool{}
	for _, pid := range before {
		oldPersons[pid] = true
	}
	splits := map[string]bool{}
	for _, e := range l.events {
		if e.Reason == reason && e.Kind == schemas.PersonSplit {
			splits[e.PersonID] = true
		}
	}
	for o := range oldPersons {
		recs := left[o]
		if len(recs) == 0 {
			if p := l.persons[o]; p.MergedInto != registry.WithdrawnInto+strings.TrimPrefix(reason, "withdrawn:") || p.RecordCount != 0 {
				t.Errorf("person %s, all its records withdrawn: row %+v, want retired as withdrawn", o, p)
			}
			continue
		}
		// Where its records left went.
		parts := map[string]bool{}
		for _, id := range recs {
			parts[l.person[id]] = true
		}
		if len(parts) > 1 && !splits[o] && parts[o] {
			t.Errorf("person %s split into %d persons without a split event of reason %s", o, len(parts), reason)
		}
		if !parts[o] {
			// Its id went with no part: only when it merged into another
			// (retired, MergedInto set to a living person).
			if p := l.persons[o]; p.MergedInto == "" || strings.HasPrefix(p.MergedInto, registry.WithdrawnInto) {
				t.Errorf("person %s has records left but its id is on none of them (row %+v)", o, p)
			}
		}
	}
}
