package pipelines_test

import (
	"context"
	"fmt"
	"github.com/dancu-vn/dancu/internal/syncbuf"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// withThreshold is the shipped model with another match threshold (and
// linkage, when set): a model of another fingerprint that groups some
// records otherwise.
func withThreshold(t *testing.T, match float64, linkage string) *settings.Settings {
	t.Helper()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	s.Thresholds.Match, s.Thresholds.Review = match, min(s.Thresholds.Review, match)
	if linkage != "" {
		s.Clustering.Linkage = linkage
	}
	return s
}

// chState is what ClickHouse says of persons: each record's person (open
// links), each living person's row (without its version and time), the
// person events, and coverage's persons beside a brute-force count.
type chState struct {
	person    map[string]string
	living    map[string]schemas.Person
	retired   int
	events    uint64
	coverage  string
	bruteLike string
	conflicts map[string]schemas.Conflict // conflicts FINAL, every status, as they are
}

func readState(t *testing.T, e *env) chState {
	t.Helper()
	ctx := context.Background()
	s := chState{person: map[string]string{}, living: map[string]schemas.Person{}}
	rows, err := e.conn.Query(ctx, "SELECT record_id, person_id FROM links FINAL WHERE person_id != ''")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r, p string
		if err := rows.Scan(&r, &p); err != nil {
			t.Fatal(err)
		}
		s.person[r] = p
	}
	rows.Close()
	rows, err = e.conn.Query(ctx, "SELECT * FROM persons FINAL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p schemas.Person
		if err := rows.ScanStruct(&p); err != nil {
			t.Fatal(err)
		}
		if p.MergedInto != "" {
			s.retired++
			continue
		}
		p.Version, p.UpdatedAt = 0, time.Time{}
		s.living[p.PersonID] = p
	}
	rows.Close()
	s.events = e.count(t, "SELECT count() FROM person_events FINAL")
	s.conflicts = map[string]schemas.Conflict{}
	rows, err = e.conn.Query(ctx, "SELECT * FROM conflicts FINAL")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c schemas.Conflict
		if err := rows.ScanStruct(&c); err != nil {
			t.Fatal(err)
		}
		s.conflicts[c.ConflictID] = c
	}
	rows.Close()
	rep, err := coverage.Compute(ctx, e.conn, coverage.Options{Era: coverage.Old, Level: coverage.Province})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for _, r := range rep.Rows {
		if r.Persons != 0 || r.PersonsWithID != 0 {
			got[r.Code] = [2]int64{r.Persons, r.PersonsWithID}
		}
	}
	s.coverage = fmt.Sprint(got)
	want := map[string][2]int64{}
	for _, p := range s.living {
		w := want[p.ProvinceCode]
		w[0]++
		if schemas.CoverageOf(p).HasID {
			w[1]++
		}
		want[p.ProvinceCode] = w
	}
	s.bruteLike = fmt.Sprint(want)
	return s
}

// exported is the registry's own export: each record's person, each
// person's row (without its version and time) and each conflict it holds.
func exported(t *testing.T, dir string, s *settings.Settings) (map[string]string, map[string]schemas.Person, map[string]schemas.Conflict) {
	t.Helper()
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	person, persons, conflicts := map[string]string{}, map[string]schemas.Person{}, map[string]schemas.Conflict{}
	if err := reg.Conflicts(context.Background(), 4<<10, func(c registry.ConflictsChunk) error {
		for _, x := range c.Conflicts {
			conflicts[x.ConflictID] = x // one naming persons of two chunks is in both
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Persons(context.Background(), 0, func(c registry.PersonsChunk) error {
		for _, p := range c.Persons {
			p.Version, p.UpdatedAt = 0, time.Time{}
			persons[p.PersonID] = p
		}
		for _, l := range c.Links {
			person[l.RecordID] = l.PersonID
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return person, persons, conflicts
}

func differing(a, b map[string]string) int {
	n := 0
	for k, v := range a {
		if b[k] != v {
			n++
		}
	}
	return n + max(0, len(b)-len(a))
}

// After a model upgrade the match stage, its registry rebuilt from the
// changelog with the new model, republishes it: ClickHouse's persons and
// links become the registry's (its export), persons the new model no
// longer holds are retired with an event giving the upgrade, coverage
// equals a count of the living persons; the conflicts ClickHouse holds
// open or decided become the registry's, those the new model no longer
// raises resolved, but a conflict decided (on the desk, or raised
// decided) is left as it was; and a republish again changes nothing.
// Twice: to a model that merges persons, then to one that splits some —
// the second while ClickHouse refuses some of the republished persons,
// which go to the dead letters, the stages going on, and are replayed.
func TestRepublishAfterModelUpgrade(t *testing.T) {
	e := newEnv(t)
	logs := &syncbuf.Buffer{}
	e.cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: 300, Seed: 21, OutDir: dir, Formats: []string{"csv", "jsonl"},
		SourceDate: "2024-05-01", NoiseProfile: "forms", Noise: 1.5, ExtraRecord: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range sourceFiles(t, dir, m) {
		e.importFile(t, f, date)
	}
	// The old model splits some persons the shipped one holds together.
	e.cfg.Settings = withThreshold(t, 0.99999, "")
	stop := e.runStagesStoppable(t)
	e.drain(t)
	stop()
	ctx := context.Background()
	// A person ClickHouse holds living that no record founds: the
	// republish retires it at its end.
	ghost := schemas.Person{PersonID: "Pghost", FullName: "X", ProvinceCode: "01", RecordCount: 1, Version: 1, UpdatedAt: time.Now()}
	gd := schemas.CoverageOf(ghost).Delta(nil, ghost)
	gd.Batch = "test-ghost"
	sink := &pipelines.ClickHouseSink{Conn: e.conn}
	if err := sink.Write(ctx, &pipelines.Batch{Persons: []schemas.Person{ghost}, PersonDeltas: []schemas.PersonDelta{gd}}); err != nil {
		t.Fatal(err)
	}
	// Conflicts decided: every fourth open one on the desk (a decision),
	// every fourth from the third raised decided (a ruling answers it).
	// A republish leaves them as they are.
	held := readState(t, e).conflicts
	var open []string
	for id, c := range held {
		if c.Status == schemas.StatusOpen {
			open = append(open, id)
		}
	}
	slices.Sort(open)
	ruled := map[string]string{} // conflict → its row as it was
	var decidedRows []schemas.Conflict
	b, err := e.conn.PrepareBatch(ctx, "INSERT INTO decisions")
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range open {
		c := held[id]
		switch i % 4 {
		case 0:
			if err := b.AppendStruct(&schemas.Decision{DecisionID: "dtest" + id, ConflictID: id, PersonIDs: c.PersonIDs, RecordIDs: c.RecordIDs,
				Decision: schemas.DecisionDifferentPersons, User: "test", DecidedAt: time.Now(), ConflictKind: c.Kind, Role: "reviewer",
				StatusBefore: schemas.StatusOpen, StatusAfter: schemas.StatusDecided, Groups: [][]string{}}); err != nil {
				t.Fatal(err)
			}
			ruled[id] = ""
		case 2:
			c.Status = schemas.StatusDecided
			decidedRows = append(decidedRows, c)
			ruled[id] = ""
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	if err := sink.Write(ctx, &pipelines.Batch{Conflicts: decidedRows}); err != nil {
		t.Fatal(err)
	}
	if len(ruled) < 2 {
		t.Fatalf("%d open conflicts: too few to decide some", len(open))
	}
	before := readState(t, e)
	for id := range ruled {
		ruled[id] = fmt.Sprint(before.conflicts[id])
	}
	if before.coverage != before.bruteLike {
		t.Fatalf("before any upgrade: coverage %s, brute force %s", before.coverage, before.bruteLike)
	}
	published := func() string {
		b, _ := os.ReadFile(e.cfg.RegistryDir + ".published")
		return strings.TrimSpace(string(b))
	}
	if published() == "" {
		t.Fatal("the first start noted no model beside the registry")
	}
	old := published()
	republished := 0
	// run starts the stages on s, waits for the republish it must make
	// and stops them.
	run := func(s *settings.Settings, force bool) {
		t.Helper()
		e.cfg.Settings, e.cfg.Republish = s, force
		sctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- pipelines.RunStages(sctx, e.cfg, nil) }()
		deadline := time.After(2 * time.Minute)
		for logs.Count("registry republished") == republished {
			select {
			case err := <-done:
				cancel()
				t.Fatalf("the stages stopped before a republish: %v", err)
			case <-deadline:
				cancel()
				t.Fatalf("no republish in 2 minutes; logs:\n%s", logs.String())
			case <-time.After(50 * time.Millisecond):
			}
		}
		republished++
		e.drain(t)
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("stages: %v", err)
		}
	}
	resolvedAll, ruledAwayAll := 0, 0
	shipped, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	// Upgrades: to the shipped model, which merges persons the old one
	// split, then to one that splits some again.
	for i, s := range []*settings.Settings{shipped, withThreshold(t, 0.999, settings.SingleLinkage)} {
		now := registry.Fingerprint(s)
		// The upgrade as README says: the old registry moved aside, the
		// match stage started on the new model.
		if err := os.Rename(e.cfg.RegistryDir, e.cfg.RegistryDir+fmt.Sprint(".old", i)); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			// ClickHouse refuses the republish's rows of one person in 8.
			q := fmt.Sprintf("ALTER TABLE persons ADD CONSTRAINT republish_refused CHECK cityHash64(person_id) %% 8 != 0 OR toUnixTimestamp64Milli(updated_at) < %d", time.Now().UnixMilli())
			if err := e.conn.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		run(s, false)
		if i == 1 {
			refusedAndReplayed(t, e, logs)
		}
		if published() != now {
			t.Errorf("upgrade %d: the model noted beside the registry is %q, want %q", i, published(), now)
		}
		person, persons, conflicts := exported(t, e.cfg.RegistryDir, s)
		moved := differing(before.person, person)
		after := readState(t, e)
		t.Logf("upgrade %d: %d of %d records in another person than the old model's; persons %d → %d living, %d retired; events %d → %d",
			i, moved, len(person), len(before.living), len(after.living), after.retired, before.events, after.events)
		if moved == 0 {
			t.Fatalf("upgrade %d: the new model groups every record as the old one did: nothing to test", i)
		}
		if k := differing(person, after.person); k != 0 || len(after.person) != len(person) {
			t.Errorf("upgrade %d: %d records linked in ClickHouse otherwise than in the registry (%d open links, %d records)", i, k, len(after.person), len(person))
		}
		if len(after.living) != len(persons) {
			t.Errorf("upgrade %d: ClickHouse holds %d living persons, the registry %d", i, len(after.living), len(persons))
		}
		bad := 0
		for id, p := range persons {
			if q, ok := after.living[id]; !ok || q != p {
				if bad++; bad <= 3 {
					t.Errorf("upgrade %d: person %s in ClickHouse\n%+v\nin the registry\n%+v", i, id, q, p)
				}
			}
		}
		if after.coverage != after.bruteLike {
			t.Errorf("upgrade %d: coverage %s, brute force %s", i, after.coverage, after.bruteLike)
		}
		reason := pipelines.RepublishReason(old, now)
		// Conflicts: ClickHouse's open and decided ones are the
		// registry's, but for those decided, as they were.
		bad = 0
		for id, c := range conflicts {
			q, ok := after.conflicts[id]
			if _, r := ruled[id]; r || ok && sameConflict(q, c) {
				continue
			}
			if bad++; bad <= 3 {
				t.Errorf("upgrade %d: conflict %s in ClickHouse: %s\nin the registry: %s", i, id, conflictText(q), conflictText(c))
			}
		}
		resolved, changed := 0, 0
		for id, q := range after.conflicts {
			if strings.HasPrefix(q.Explanation, pipelines.RepublishResolved+reason+".") {
				resolved++
			}
			if b := before.conflicts[id]; fmt.Sprint(b) != fmt.Sprint(q) {
				changed++
			}
			if _, r := ruled[id]; r {
				if fmt.Sprint(q) != ruled[id] {
					t.Errorf("upgrade %d: decided conflict %s changed: %s", i, id, conflictText(q))
				}
				continue
			}
			if _, ok := conflicts[id]; !ok && q.Status != schemas.StatusResolvedByRegistry {
				if bad++; bad <= 6 {
					t.Errorf("upgrade %d: ClickHouse holds conflict %s, the registry does not: %s", i, id, conflictText(q))
				}
			}
		}
		ruledAway := 0
		for id := range ruled {
			if c, ok := conflicts[id]; !ok || !sameConflict(before.conflicts[id], c) {
				ruledAway++
			}
		}
		t.Logf("upgrade %d: conflicts: %d in the registry, %d rows changed in ClickHouse, %d resolved by the republish; %d of %d decided ones held otherwise by the registry",
			i, len(conflicts), changed, resolved, ruledAway, len(ruled))
		resolvedAll += resolved
		ruledAwayAll += ruledAway
		if n := e.count(t, "SELECT count() FROM person_events FINAL WHERE reason = '"+reason+"'"); n == 0 {
			t.Errorf("upgrade %d: no person event of reason %q", i, reason)
		}
		if i == 0 {
			var into string
			if err := e.conn.QueryRow(ctx, "SELECT merged_into FROM persons FINAL WHERE person_id = 'Pghost'").Scan(&into); err != nil || into != pipelines.UpgradedPrefix+now {
				t.Errorf("the person no record founds: merged into %q (%v), want %q", into, err, pipelines.UpgradedPrefix+now)
			}
		}
		// Again, asked for: nothing changes.
		deltas := e.count(t, "SELECT count() FROM person_delta_keys")
		run(s, true)
		again := readState(t, e)
		if fmt.Sprint(after.conflicts) != fmt.Sprint(again.conflicts) {
			t.Errorf("upgrade %d: republished again, the conflicts changed", i)
		}
		if differing(after.person, again.person) != 0 || fmt.Sprint(after.living) != fmt.Sprint(again.living) || after.retired != again.retired ||
			after.events != again.events || again.coverage != after.coverage {
			t.Errorf("upgrade %d: republished again, ClickHouse changed: %d links, %d → %d living, %d → %d retired, %d → %d events, coverage %s → %s",
				i, differing(after.person, again.person), len(after.living), len(again.living), after.retired, again.retired, after.events, again.events, after.coverage, again.coverage)
		}
		if n := e.count(t, "SELECT count() FROM person_delta_keys"); n != deltas {
			t.Errorf("upgrade %d: republished again, %d coverage deltas more", i, n-deltas)
		}
		before, old = after, now
	}
	if resolvedAll == 0 || ruledAwayAll == 0 {
		t.Errorf("%d conflicts resolved by the republishes, %d times a decided one held otherwise by the new model: the test checks too little", resolvedAll, ruledAwayAll)
	}
}

// sameConflict reports whether ClickHouse's conflict q says what the
// registry's c does (their versions and times aside).
func sameConflict(q, c schemas.Conflict) bool {
	return q.Status == c.Status && q.Kind == c.Kind && q.ProvinceCode == c.ProvinceCode && q.IDNumber == c.IDNumber &&
		slices.Equal(q.PersonIDs, c.PersonIDs) && slices.Equal(q.RecordIDs, c.RecordIDs) && q.Score == c.Score && q.Explanation == c.Explanation
}

// conflictText is what a failure says of a conflict: not its
// explanation, which quotes names and numbers.
func conflictText(c schemas.Conflict) string {
	return fmt.Sprintf("%s %s persons %v records %v version %d created %s", c.Kind, c.Status, c.PersonIDs, c.RecordIDs, c.Version, c.CreatedAt.Format(time.RFC3339Nano))
}

// refusedAndReplayed checks, after a republish while persons refused
// one person in 8 (constraint republish_refused), that the refused rows
// went to the dead letters as refused rows do, and replays them with the
// constraint dropped.
func refusedAndReplayed(t *testing.T, e *env, logs *syncbuf.Buffer) {
	t.Helper()
	ctx := context.Background()
	dead, err := pipelines.ReadDeadLetters(ctx, e.brokers)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range dead {
		if d.Stage != "load" || d.Kind != pipelines.KindPersons || d.Table != "persons" || d.Rows != 1 || d.Replayed ||
			!strings.Contains(d.Error, "republish_refused") || !strings.HasPrefix(d.Source, pipelines.TopicMatched+"/") {
			t.Errorf("dead letter %+v: want one person refused by the load stage", d)
		}
		keys = append(keys, d.Key)
	}
	if len(keys) == 0 {
		t.Fatal("no republished person refused: the test checks nothing")
	}
	if n := logs.Count("row refused by the sink, sent to dead letters"); n != len(keys) {
		t.Errorf("%d refusals logged, %d dead letters", n, len(keys))
	}
	if n := e.count(t, "SELECT countIf(cityHash64(k) % 8 != 0) FROM (SELECT arrayJoin(["+quoted(keys)+"]) AS k)"); n != 0 {
		t.Errorf("%d of %d dead letters name a person the constraint allows", n, len(keys))
	}
	t.Logf("%d republished persons refused and dead-lettered", len(keys))
	if err := e.conn.Exec(ctx, "ALTER TABLE persons DROP CONSTRAINT republish_refused"); err != nil {
		t.Fatal(err)
	}
	if _, err := pipelines.ReplayDeadLetters(ctx, e.brokers, false); err != nil {
		t.Fatal(err)
	}
	stop := e.runStagesStoppable(t)
	e.drain(t)
	stop()
}

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + strings.ReplaceAll(s, "'", "\\'") + "'"
	}
	return strings.Join(q, ", ")
}
