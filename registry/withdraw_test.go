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
	// conflicts: each conflict's last row.
	conflicts map[string]schemas.Conflict
}

func newLoaded() *loaded {
	return &loaded{person: map[string]string{}, persons: map[string]schemas.Person{}, records: map[string]int{}, people: map[string]int{}, seen: map[string]bool{}, conflicts: map[string]schemas.Conflict{}}
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
	for _, c := range out.Conflicts {
		l.conflicts[c.ConflictID] = c
	}
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
	for _, seed := range []int64{1} {
		reg := openWith(t, p.settings)
		l := newLoaded()
		addAll(t, reg, p.recs, l)
		before := maps(l.person)
		gone := pickWithdrawn(p.recs, p.offline, 0.08, seed)
		// And a record of each open conflict (few in this population).
		open := 0
		for _, c := range l.conflicts {
			if c.Status == schemas.StatusOpen {
				open++
				if !slices.Contains(gone, c.RecordIDs[0]) {
					gone = append(gone, c.RecordIDs[0])
				}
			}
		}
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
		// The conflicts open before that named a withdrawn record are
		// resolved by the withdrawal; none open names one.
		resolved := 0
		for _, c := range out.Conflicts {
			if slices.ContainsFunc(c.RecordIDs, func(id string) bool { return slices.Contains(gone, id) }) && c.Status == schemas.StatusResolvedByRegistry {
				resolved++
			}
		}
		for _, c := range l.conflicts {
			if c.Status == schemas.StatusOpen && slices.ContainsFunc(c.RecordIDs, func(id string) bool { return slices.Contains(gone, id) }) {
				t.Errorf("seed %d: conflict %s (%s) open, naming a withdrawn record", seed, c.ConflictID, c.Kind)
			}
		}
		t.Logf("seed %d: %d of the %d open conflicts resolved by the withdrawal (it named a record of each)", seed, resolved, open)
		if open > 0 && resolved == 0 {
			t.Errorf("seed %d: no conflict naming a withdrawn record resolved", seed)
		}
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

// op is one step of a registry's life: a batch added (recs), a
// withdrawal (w), or a restart (the registry closed and opened again).
type op struct {
	recs    []schemas.Record
	w       *schemas.Withdrawal
	d       *schemas.Decision
	restart bool
}

// adds cuts recs into batches of n.
func adds(recs []schemas.Record, n int) []op {
	var out []op
	for i := 0; i < len(recs); i += n {
		out = append(out, op{recs: recs[i:min(i+n, len(recs))]})
	}
	return out
}

// run applies ops to a new registry of cfg (Dir set here) and returns
// what the load stage holds after its outputs.
func run(t *testing.T, cfg registry.Config, ops []op) (*loaded, *registry.Registry) {
	t.Helper()
	cfg.Dir = t.TempDir()
	reg, err := registry.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	l := newLoaded()
	ad := registry.NewRecords()
	for _, o := range ops {
		var out *registry.Output
		if reg, out = runOp(t, reg, cfg, ad, o); out != nil {
			l.apply(t, out)
		}
	}
	return l, reg
}

// runOp applies o to reg (of cfg) and returns the registry (another one
// after a restart) and its output (nil after a restart).
func runOp(t *testing.T, reg *registry.Registry, cfg registry.Config, ad *registry.Records, o op) (*registry.Registry, *registry.Output) {
	t.Helper()
	ctx := context.Background()
	var out *registry.Output
	var err error
	switch {
	case o.restart:
		if err := reg.Close(); err != nil {
			t.Fatal(err)
		}
		if reg, err = registry.Open(cfg); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { reg.Close() })
		return reg, nil
	case o.w != nil:
		out, err = reg.Withdraw(ctx, *o.w)
	case o.d != nil:
		out, err = reg.Decide(ctx, *o.d)
	default:
		out, err = reg.AddRecords(ctx, ad, o.recs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return reg, out
}

// bridges returns records whose withdrawal splits their person: for each
// person of three records or more (offline), the records whose removal
// leaves the others in two clusters or more when they are linked alone.
func bridges(t *testing.T, p *population, recs []schemas.Record) []string {
	t.Helper()
	of := map[string][]schemas.Record{}
	for _, r := range recs {
		of[p.offline[r.RecordID]] = append(of[p.offline[r.RecordID]], r)
	}
	var out []string
	for _, rs := range of {
		if len(rs) < 3 {
			continue
		}
		for i := range rs {
			rest := append(append([]schemas.Record(nil), rs[:i]...), rs[i+1:]...)
			parts := map[string]bool{}
			for _, c := range offlineOf(t, p.settings, rest) {
				parts[c] = true
			}
			if len(parts) > 1 {
				out = append(out, rs[i].RecordID)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// (b), (d), (e): withdrawals that split persons (bridging records), take
// founding records and leave persons with no record, in any order with
// the adds and any batch size, give offline linking's partition of the
// records left; the ids are those of the founding-record rules and stay
// on their records through later batches, a restart, and a rebuild (the
// same operations replayed into a new registry, as from the changelog).
func TestWithdrawSplitsInAnyOrder(t *testing.T) {
	p := generated(t)
	recs := append([]schemas.Record(nil), p.recs...)
	rand.New(rand.NewSource(4)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	half := len(recs) / 2
	first, second := recs[:half], recs[half:]
	// Withdrawn from the first half: bridges, founding records of
	// persons of several records, and records of one-record persons.
	// The model's clusters of this population have no bridging record
	// (bridges finds none): police rulings make them. Five pairs of
	// persons of two records or more are ruled one person through their
	// founding records (same_person on the two), and those records are
	// withdrawn with the others: the ruling's link goes with them, and
	// each pair splits again.
	w1 := bridges(t, p, first)
	size := map[string]int{}
	for _, r := range first {
		size[p.offline[r.RecordID]]++
	}
	var rulings []op
	var pending string
	var founders []string
	singles := 0
	seen := map[string]bool{}
	for _, r := range first { // in arrival order: the first of a person founds it
		c := p.offline[r.RecordID]
		if seen[c] {
			continue
		}
		seen[c] = true
		switch {
		case size[c] >= 2 && len(rulings) < 5 && !slices.Contains(w1, r.RecordID):
			if pending == "" {
				pending = r.RecordID
				continue
			}
			d := schemas.Decision{DecisionID: fmt.Sprintf("d%d", len(rulings)), Decision: schemas.DecisionSamePerson, RecordIDs: []string{pending, r.RecordID}}
			rulings = append(rulings, op{d: &d})
			w1 = append(w1, pending, r.RecordID)
			pending = ""
		case size[c] >= 2 && len(founders) < 15 && !slices.Contains(w1, r.RecordID):
			w1 = append(w1, r.RecordID)
			founders = append(founders, r.RecordID)
		case size[c] == 1 && singles < 15:
			w1 = append(w1, r.RecordID)
			singles++
		}
	}
	w2 := pickWithdrawn(second, p.offline, 0.05, 9)
	gone := append(append([]string(nil), w1...), w2...)
	left := without(recs, gone)
	want := offlineOf(t, p.settings, left)
	W1, W2 := withdrawal("b1", w1), withdrawal("b2", w2)
	var reference map[string]string
	var straight *loaded // batches of 500
	for _, n := range []int{500, 7} {
		ops := append(append(adds(first, n), rulings...), op{w: &W1})
		ops = append(append(ops, adds(second, n)...), op{w: &W2})
		l, _ := run(t, registry.Config{Settings: p.settings}, ops)
		k := samePartition(want, l.person)
		t.Logf("batch %d: %d withdrawn (%d bridges, %d ruled pairs), %d events; vs offline on the records left: %d records placed otherwise, F1 %.5f",
			n, len(gone), len(w1)-len(founders)-singles-2*len(rulings), len(rulings), len(l.events), k, eval.Clusters(want, l.person).F1)
		if k != 0 {
			t.Errorf("batch %d: %d records placed otherwise than offline linking of the records left", n, k)
		}
		l.checkCoverage(t, recs)
		splits := 0
		for _, e := range l.events {
			if e.Reason == "withdrawn:b1" && e.Kind == schemas.PersonSplit {
				splits++
			}
		}
		if splits == 0 {
			t.Errorf("batch %d: no split of reason withdrawn:b1 though bridging records were withdrawn", n)
		}
		if n == 500 {
			reference, straight = l.person, l
			continue
		}
		// Same arrival order: the same ids, whatever the batch size,
		// where nothing split on evidence (a person the adds split keeps
		// the id on the part the registry held first).
		if d := differentIDs(reference, l.person); d > 0 {
			t.Logf("batch %d: %d records with another person id than batches of 500", n, d)
		}
	}
	// The ids at each step: after W1, every person of before keeps its id
	// on one part (checkIDs); then through more batches, a restart and a
	// rebuild.
	before, _ := run(t, registry.Config{Settings: p.settings}, append(adds(first, 500), rulings...))
	after, _ := run(t, registry.Config{Settings: p.settings}, append(append(adds(first, 500), rulings...), op{w: &W1}))
	checkIDs(t, before.person, after, w1, "withdrawn:b1")
	// A person whose founding record went keeps its id on the part
	// holding its earliest record left (unless that part merged into an
	// older person, which a withdrawn number's guard may let happen).
	arrival := map[string]int{}
	for i, r := range first {
		arrival[r.RecordID] = i
	}
	kept := 0
	for _, id := range founders {
		o := before.person[id]
		if registry.PersonID(id) != o {
			continue // not its founder in the registry's order
		}
		heir := ""
		for rid, pid := range before.person {
			if pid == o && rid != id && !slices.Contains(w1, rid) && (heir == "" || arrival[rid] < arrival[heir]) {
				heir = rid
			}
		}
		if heir == "" {
			continue
		}
		if got := after.person[heir]; got != o {
			if pr := after.persons[o]; pr.MergedInto == "" || pr.MergedInto != got {
				t.Errorf("person %s, its founding record withdrawn: its earliest record left %s is in %s (row of %s: %+v)", o, heir, got, o, pr)
			}
			continue
		}
		kept++
	}
	if kept == 0 {
		t.Error("no person kept its id through the withdrawal of its founding record")
	}
	splits := 0
	for _, e := range after.events {
		if e.Kind == schemas.PersonSplit && e.Reason == "withdrawn:b1" {
			splits++
		}
	}
	if splits < len(rulings) {
		t.Errorf("%d splits of reason withdrawn:b1, want one for each of the %d ruled pairs at least", splits, len(rulings))
	}
	t.Logf("%d persons kept their ids through the withdrawal of their founding records; %d splits", kept, splits)
	ops := append(append(adds(first, 500), rulings...), op{w: &W1})
	ops = append(append(ops, adds(second, 500)...), op{w: &W2})
	at := len(adds(first, 500)) + len(rulings)
	restarted := append(append(append([]op(nil), ops[:at]...), op{restart: true}, op{w: &W1}, op{restart: true}), ops[at+1:]...)
	again, _ := run(t, registry.Config{Settings: p.settings}, restarted)
	rebuilt, _ := run(t, registry.Config{Settings: p.settings}, ops)
	for name, l := range map[string]*loaded{"restarted": again, "rebuilt": rebuilt} {
		if d := differentIDs(straight.person, l.person); d != 0 || len(l.person) != len(straight.person) {
			t.Errorf("%s: %d of %d records in another person than without (%d)", name, d, len(l.person), len(straight.person))
		}
	}
}

// differentIDs counts the records of a whose person id differs in b.
func differentIDs(a, b map[string]string) int {
	n := 0
	for id, pid := range a {
		if b[id] != pid {
			n++
		}
	}
	return n
}

// A record withdrawn and published again is refused (tombstones.go), as
// ClickHouse keeps it out for good: founding records of persons of
// several records and one-record persons, given again alone, then with
// new records, with their fields corrected, after a restart (the set of
// ids rebuilt from the store) and in a registry rebuilt by the same
// operations (a changelog's replay), are never linked nor counted; the
// registry holds offline linking's partition of the records left.
func TestWithdrawnRecordAddedAgain(t *testing.T) {
	p := generated(t)
	recs := p.recs
	var ids []string
	var back []schemas.Record
	seen := map[string]bool{}
	for _, r := range recs[:len(recs)-60] {
		c := p.offline[r.RecordID]
		if !seen[c] && len(ids) < 40 {
			ids = append(ids, r.RecordID)
			back = append(back, r)
		}
		seen[c] = true
	}
	later := recs[len(recs)-60:] // new records, after the withdrawal
	corrected := slices.Clone(back[:5])
	for i := range corrected {
		c := &corrected[i]
		c.FullName, c.FamilyName, c.MiddleName, c.GivenName = "Khổng Tử Quý", "Khổng", "Tử", "Quý"
		c.IDNumber, c.CMND, c.BirthDate = "", "", "1901-02-03"
	}
	W := withdrawal("b1", ids)
	ops := append(adds(recs[:len(recs)-60], 500), op{w: &W}, op{recs: back}, op{recs: append(slices.Clone(later[:30]), back[5:15]...)},
		op{recs: corrected}, op{restart: true}, op{recs: append(slices.Clone(back[10:]), later[30:]...)})
	for _, name := range []string{"live", "rebuilt"} {
		cfg := registry.Config{Settings: p.settings, Dir: t.TempDir()}
		reg, err := registry.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		l := newLoaded()
		refused := map[string]int{}
		withdrawn := false
		for _, o := range ops {
			var out *registry.Output
			if reg, out = runOp(t, reg, cfg, registry.NewRecords(), o); out == nil {
				// The set of ids rebuilt from the store (ids.go): the
				// withdrawn ids in it, else they are never looked up.
				registry.WaitBlockSet(reg)
				continue
			}
			if !withdrawn {
				withdrawn = o.w != nil
				l.apply(t, out)
				continue
			}
			for _, f := range out.Refused {
				refused[f.RecordID]++
				if f.WithdrawnBy != "b1" {
					t.Errorf("%s: record %s refused as withdrawn by %q, want b1", name, f.RecordID, f.WithdrawnBy)
				}
			}
			for _, k := range out.Links {
				if slices.Contains(ids, k.RecordID) {
					t.Errorf("%s: withdrawn record %s linked again, to %s", name, k.RecordID, k.PersonID)
				}
			}
			l.apply(t, out)
		}
		// back: each of ids once, then 10, then 5 corrected, then 30.
		for i, id := range ids {
			want := 1 + btoi(i >= 5 && i < 15) + btoi(i < 5) + btoi(i >= 10)
			if refused[id] != want {
				t.Errorf("%s: record %s refused %d times, given again %d times", name, id, refused[id], want)
			}
		}
		left := without(recs, ids)
		if len(l.person) != len(left) {
			t.Errorf("%s: %d records linked, want the %d left", name, len(l.person), len(left))
		}
		if k := samePartition(offlineOf(t, p.settings, left), l.person); k != 0 {
			t.Errorf("%s: %d records placed otherwise than offline linking of the records left", name, k)
		}
		l.checkCoverage(t, left)
		// Counted since the registry opened: live, after its restart.
		if want := map[string]int64{"live": 30, "rebuilt": int64(len(ids) + 10 + 5 + 30)}[name]; reg.Stats().Refused != want {
			t.Errorf("%s: Stats.Refused %d, want %d", name, reg.Stats().Refused, want)
		}
		if err := reg.Close(); err != nil {
			t.Fatal(err)
		}
		ops = slices.DeleteFunc(slices.Clone(ops), func(o op) bool { return o.restart }) // rebuilt: one life
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// (c): scaled out, with the Scorers told of withdrawals (LocalWithdraw),
// 1 and 3 Scorers give the persons — the same ids — the registry's own
// scoring gives, through withdrawals, more batches and records given
// again after their withdrawal (refused); without them told (3 Scorers),
// the registry drops the edges naming withdrawn records and still gives
// those persons when no record comes again.
func TestWithdrawScorersScaleOut(t *testing.T) {
	p := generated(t)
	recs := append([]schemas.Record(nil), p.recs...)
	rand.New(rand.NewSource(6)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	half := len(recs) / 2
	first, second := recs[:half], recs[half:]
	w1 := pickWithdrawn(first, p.offline, 0.1, 3)
	w2 := pickWithdrawn(second, p.offline, 0.05, 4)
	W1, W2 := withdrawal("b1", w1), withdrawal("b2", w2)
	back := recs[:0:0]
	for _, r := range first {
		if slices.Contains(w1[:len(w1)/2], r.RecordID) {
			back = append(back, r)
		}
	}
	ops := append(adds(first, 250), op{w: &W1})
	ops = append(append(ops, adds(second, 250)...), op{w: &W2})
	withBack := append(append([]op(nil), ops...), op{recs: back})
	local, _ := run(t, registry.Config{Settings: p.settings}, withBack)
	localNoBack, _ := run(t, registry.Config{Settings: p.settings}, ops)
	scorers := func(n int) []*registry.Scorer {
		var out []*registry.Scorer
		for i := 0; i < n; i++ {
			sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: t.TempDir(), Settings: p.settings})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sc.Close() })
			out = append(out, sc)
		}
		return out
	}
	for _, n := range []int{1, 3} {
		scs := scorers(n)
		got, _ := run(t, registry.Config{Settings: p.settings, Score: registry.Local(scs), Withdraw: registry.LocalWithdraw(scs)}, withBack)
		if d := differentIDs(local.person, got.person); d != 0 || len(got.person) != len(local.person) {
			t.Errorf("%d scorers told of withdrawals: %d of %d records in another person than the registry's own scoring gives", n, d, len(local.person))
		}
		got.checkCoverage(t, recs)
		if n == 1 {
			continue
		}
		scs = scorers(n)
		got, _ = run(t, registry.Config{Settings: p.settings, Score: registry.Local(scs)}, ops)
		if d := differentIDs(localNoBack.person, got.person); d != 0 || len(got.person) != len(localNoBack.person) {
			t.Errorf("%d scorers not told: %d of %d records in another person than the registry's own scoring gives", n, d, len(localNoBack.person))
		}
	}
	// Those given again are refused: offline linking of the records left.
	left := without(recs, append(slices.Clone(w1), w2...))
	if k := samePartition(offlineOf(t, p.settings, left), local.person); k != 0 || len(local.person) != len(left) {
		t.Errorf("the registry's own scoring vs offline of the %d records left: %d placed otherwise (%d linked)", len(left), k, len(local.person))
	}
}

// A person of one record, withdrawn alone (no record of it is linked to
// any other: nothing to recluster): its row comes again retired, with no
// record, MergedInto WithdrawnInto + batch; coverage counts it and its
// record out; withdrawing it again changes nothing.
func TestWithdrawOnlyRecordOfAPerson(t *testing.T) {
	p := generated(t)
	recs := p.recs[:300]
	l, reg := run(t, registry.Config{Settings: p.settings}, adds(recs, 100))
	count := map[string]int{}
	for _, pid := range l.person {
		count[pid]++
	}
	var id string
	for _, r := range recs {
		if count[l.person[r.RecordID]] == 1 {
			id = r.RecordID
			break
		}
	}
	if id == "" {
		t.Fatal("no person of one record")
	}
	pid := l.person[id]
	out, err := reg.Withdraw(context.Background(), withdrawal("b9", []string{id}))
	if err != nil {
		t.Fatal(err)
	}
	l.apply(t, out)
	var row *schemas.Person
	for i := range out.Persons {
		if out.Persons[i].PersonID == pid {
			row = &out.Persons[i]
		}
	}
	if row == nil || row.MergedInto != registry.WithdrawnInto+"b9" || row.RecordCount != 0 {
		t.Fatalf("person %s, its only record withdrawn: row %+v, want retired %q", pid, row, registry.WithdrawnInto+"b9")
	}
	if len(out.Links) != 0 || len(out.RecordDeltas) == 0 || len(out.PersonDeltaSums) == 0 {
		t.Errorf("%d links (want 0), %d record deltas, %d person deltas (want some)", len(out.Links), len(out.RecordDeltas), len(out.PersonDeltaSums))
	}
	l.checkCoverage(t, recs)
	if _, ok := l.person[id]; ok {
		t.Errorf("record %s still linked", id)
	}
}

// With blocks far larger than max_block (windows of neighbours by sort
// value), a withdrawal does not draw the windows of the records left
// again: the registry can differ from streaming the records left from the
// start, as streaming differs from offline linking there. How much is
// logged; the partition must stay close (pairwise F1 ≥ 0.99).
func TestWithdrawWithWindows(t *testing.T) {
	p := generated(t)
	s, _ := smallWindows(p.settings)
	gone := pickWithdrawn(p.recs, p.offline, 0.08, 5)
	W := withdrawal("b1", gone)
	left := without(p.recs, gone)
	got, _ := run(t, registry.Config{Settings: s}, append(adds(p.recs, 500), op{w: &W}))
	fresh, _ := run(t, registry.Config{Settings: s}, adds(left, 500))
	want := offlineOf(t, s, left)
	m := eval.Clusters(fresh.person, got.person)
	t.Logf("max_block 3, window 2: %d withdrawn; vs streaming the records left from the start: %d records placed otherwise, F1 %.5f; "+
		"vs offline: %d (F1 %.5f), streaming from the start vs offline: %d (F1 %.5f)", len(gone), samePartition(fresh.person, got.person), m.F1,
		samePartition(want, got.person), eval.Clusters(want, got.person).F1, samePartition(want, fresh.person), eval.Clusters(want, fresh.person).F1)
	if m.F1 < 0.99 {
		t.Errorf("max_block 3: pairwise F1 vs streaming the records left %.5f < 0.99", m.F1)
	}
	got.checkCoverage(t, p.recs)
}

// A registry keeping no coverage state (Config.NoCoverage) withdraws as
// well: offline linking's partition of the records left, no coverage
// rows.
func TestWithdrawWithoutCoverage(t *testing.T) {
	p := generated(t)
	recs := p.recs[:600]
	gone := pickWithdrawn(recs, p.offline, 0.1, 7)
	W := withdrawal("b1", gone)
	l, _ := run(t, registry.Config{Settings: p.settings, NoCoverage: true}, append(adds(recs, 200), op{w: &W}))
	left := without(recs, gone)
	if k := samePartition(offlineOf(t, p.settings, left), l.person); k != 0 || len(l.person) != len(left) {
		t.Errorf("%d records placed otherwise than offline linking of the %d left (%d linked)", k, len(left), len(l.person))
	}
	if len(l.records)+len(l.people) != 0 {
		t.Errorf("coverage rows without coverage: %d records' units, %d persons'", len(l.records), len(l.people))
	}
}

// addAll adds recs to reg 500 at a time, as one reader's batches, and
// applies each output to l.
func addAll(t *testing.T, reg *registry.Registry, recs []schemas.Record, l *loaded) {
	t.Helper()
	ad := registry.NewRecords()
	for i := 0; i < len(recs); i += 500 {
		out, err := reg.AddRecords(context.Background(), ad, recs[i:min(i+500, len(recs))])
		if err != nil {
			t.Fatal(err)
		}
		l.apply(t, out)
	}
}

// A withdrawal whose output was lost and that comes again after another
// call (chaos run 3 of stop 33: the registry caught up from its
// changelog, which applied the withdrawal and dropped its output, then
// withdrew another list before the lost one came again from its input)
// emits its coverage rows again, under their keys: the records it took
// out are counted out once, whether or not the first output arrived.
func TestWithdrawnAgainAfterAnotherCallEmitsItsCoverage(t *testing.T) {
	p := generated(t)
	recs := p.recs[:400]
	l, reg := run(t, registry.Config{Settings: p.settings}, adds(recs, 100))
	ctx := context.Background()
	w1 := withdrawal("b1", pickWithdrawn(recs[:200], p.offline, 0.2, 3))
	w2 := withdrawal("b2", pickWithdrawn(recs[200:], p.offline, 0.2, 4))
	lost, err := reg.Withdraw(ctx, w1) // committed; its output never reaches the load stage
	if err != nil {
		t.Fatal(err)
	}
	if len(lost.RecordDeltas) == 0 || len(lost.PersonDeltaSums) == 0 {
		t.Fatalf("withdrawal of %d records: %d record deltas, %d person deltas (want some)", len(w1.RecordIDs), len(lost.RecordDeltas), len(lost.PersonDeltaSums))
	}
	for _, w := range []schemas.Withdrawal{w2, w1} {
		out, err := reg.Withdraw(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		l.apply(t, out)
	}
	for _, id := range lost.Withdrawn { // the load stage marks them withdrawn (withdrawn_records) from the message
		delete(l.person, id)
	}
	l.checkCoverage(t, recs)
}
