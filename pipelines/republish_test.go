package pipelines_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
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

// logBuffer is a slog destination the test reads while the stages write.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

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

// exported is the registry's own export: each record's person and each
// person's row (without its version and time).
func exported(t *testing.T, dir string, s *settings.Settings) (map[string]string, map[string]schemas.Person) {
	t.Helper()
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	person, persons := map[string]string{}, map[string]schemas.Person{}
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
	return person, persons
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
// equals a count of the living persons, and a republish again changes
// nothing. Twice: to a model that merges persons, then to one that
// splits some.
func TestRepublishAfterModelUpgrade(t *testing.T) {
	e := newEnv(t)
	logs := &logBuffer{}
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
	before := readState(t, e)
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
		for logs.count("registry republished") == republished {
			select {
			case err := <-done:
				cancel()
				t.Fatalf("the stages stopped before a republish: %v", err)
			case <-deadline:
				cancel()
				t.Fatalf("no republish in 2 minutes; logs:\n%s", logs.b.String())
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
		run(s, false)
		if published() != now {
			t.Errorf("upgrade %d: the model noted beside the registry is %q, want %q", i, published(), now)
		}
		person, persons := exported(t, e.cfg.RegistryDir, s)
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
}
