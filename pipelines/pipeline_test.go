package pipelines_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/internal/chstore"
	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/pipelines"
)

func TestMain(m *testing.M) {
	brokertest.RunChildIfAsked()
	chdbtest.Main(m)
}

// env is one test's real broker and ClickHouse database, migrated.
type env struct {
	brokers []string
	conn    driver.Conn
	cfg     pipelines.StagesConfig
}

func newEnv(t *testing.T) *env {
	t.Helper()
	conn, _ := chdbtest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := chstore.Migrate(ctx, conn); err != nil {
		t.Fatal(err)
	}
	brokers := []string{brokertest.Start(t)}
	return &env{brokers: brokers, conn: conn, cfg: pipelines.StagesConfig{
		Brokers: brokers, Conn: conn, Match: true, Load: true, Enrich: pipelines.ResolveAddresses, RegistryDir: t.TempDir(),
		MatchConfig: pipelines.MatchConfig{MaxWait: 100 * time.Millisecond},
		LoadConfig:  pipelines.LoadConfig{MaxWait: 100 * time.Millisecond},
	}}
}

// runStages starts the match and load stages and stops them at cleanup.
func (e *env) runStages(t *testing.T) {
	t.Cleanup(e.runStagesStoppable(t))
}

// runStagesStoppable starts the match and load stages and returns the
// function that stops them (drained) and checks their error.
func (e *env) runStagesStoppable(t *testing.T) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pipelines.RunStages(ctx, e.cfg, nil) }()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("stages: %v", err)
			}
		})
	}
}

func (e *env) importFile(t *testing.T, path string, date time.Time) pipelines.Stats {
	t.Helper()
	src, err := ingest.Open(path, ingest.Options{SourceDate: date})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := pipelines.Import(ctx, pipelines.ImportConfig{Brokers: e.brokers}, src, nil)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if st.Read != st.Accepted+st.Rejected {
		t.Fatalf("import %s: read %d != accepted %d + rejected %d", path, st.Read, st.Accepted, st.Rejected)
	}
	return st
}

// newLoadedEnv is an env whose running stages have loaded a generated
// population of persons (CSV lists) into ClickHouse.
func newLoadedEnv(t *testing.T, persons int) *env {
	t.Helper()
	e := newEnv(t)
	dir, m := generate(t, persons, "csv")
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range sourceFiles(t, dir, m) {
		e.importFile(t, f, date)
	}
	e.runStages(t)
	e.drain(t)
	return e
}

func (e *env) drain(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := pipelines.WaitDrained(ctx, e.cfg, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

func (e *env) count(t *testing.T, q string) uint64 {
	t.Helper()
	var n uint64
	if err := e.conn.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func generate(t *testing.T, persons int, formats ...string) (string, *synth.Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 7, OutDir: dir, Formats: formats, SourceDate: "2024-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

func sourceFiles(t *testing.T, dir string, m *synth.Manifest) []string {
	out := m.SourcePaths(dir)
	if len(out) == 0 {
		t.Fatalf("generator wrote no source files: %+v", m.Files)
	}
	return out
}

// The walking pipeline end to end: every generated row ends in ClickHouse
// as a record or a reject, every record is linked to a person, coverage
// counts them, and importing the same files again adds nothing (FINAL).
func TestPipelineEndToEndIdempotent(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 300, "csv", "jsonl")
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var accepted, rejected int64
	for _, f := range sourceFiles(t, dir, m) {
		st := e.importFile(t, f, date)
		accepted += st.Accepted
		rejected += st.Rejected
	}
	if int(accepted+rejected) != m.Records {
		t.Fatalf("generated %d records, import read %d", m.Records, accepted+rejected)
	}
	e.runStages(t)
	e.drain(t)

	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(accepted) {
		t.Errorf("records in ClickHouse %d, accepted %d", got, accepted)
	}
	if got := e.count(t, "SELECT count() FROM rejects FINAL"); got != uint64(rejected) {
		t.Errorf("rejects in ClickHouse %d, rejected %d", got, rejected)
	}
	if got := e.count(t, "SELECT count() FROM links FINAL"); got != uint64(accepted) {
		t.Errorf("links %d, want one per record (%d)", got, accepted)
	}
	unlinked := e.count(t, "SELECT count() FROM records AS r FINAL LEFT ANTI JOIN (SELECT record_id FROM links FINAL) AS l ON l.record_id = r.record_id")
	if unlinked != 0 {
		t.Errorf("%d records without a link", unlinked)
	}
	resolved := e.count(t, "SELECT countIf(perm_province_code != '') FROM records FINAL")
	if resolved < uint64(accepted)*8/10 {
		t.Errorf("only %d of %d records have a resolved province", resolved, accepted)
	}

	for era, provinces := range map[coverage.Era]int{coverage.Old: 63, coverage.New: 34} {
		rep, err := coverage.Compute(context.Background(), e.conn, coverage.Options{Era: era})
		if err != nil {
			t.Fatal(err)
		}
		var sum, persons int64
		units := 0
		for _, r := range rep.Rows {
			sum += r.Records
			persons += r.Persons
			if r.Kind == coverage.KindUnit {
				units++
			}
		}
		if units != provinces {
			t.Errorf("coverage %s: %d provinces, want %d", era, units, provinces)
		}
		if sum != rep.Total.Records || rep.Total.Records != accepted {
			t.Errorf("coverage %s: rows sum to %d records, total %d (accepted %d)", era, sum, rep.Total.Records, accepted)
		}
		if persons == 0 || persons != rep.Total.Persons {
			t.Errorf("coverage %s: rows sum to %d persons, total %d", era, persons, rep.Total.Persons)
		}
	}

	// Import everything again: the same deterministic ids, so no new rows.
	for _, f := range sourceFiles(t, dir, m) {
		e.importFile(t, f, date)
	}
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(accepted) {
		t.Errorf("after re-import: records %d, want %d", got, accepted)
	}
	if got := e.count(t, "SELECT count() FROM rejects FINAL"); got != uint64(rejected) {
		t.Errorf("after re-import: rejects %d, want %d", got, rejected)
	}
	// The second copy did arrive (FINAL is what removes it), so the check
	// above is not vacuous.
	if raw := e.count(t, "SELECT count() FROM records"); raw < uint64(accepted) {
		t.Errorf("raw rows %d < accepted %d", raw, accepted)
	}
}

// An import killed half-way and run again leaves one copy of each row.
func TestInterruptedImportThenRerun(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 2000, "csv")
	path := sourceFiles(t, dir, m)[0]
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

	src, err := ingest.Open(path, ingest.Options{SourceDate: date})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	partial, err := pipelines.Import(ctx, pipelines.ImportConfig{Brokers: e.brokers, BatchRows: 100},
		&afterRows{Source: src, n: 500, do: cancel}, nil)
	src.Close()
	cancel()
	if err == nil || partial.Done {
		t.Fatalf("import was not interrupted (err %v, done %v)", err, partial.Done)
	}
	full := e.importFile(t, path, date)
	e.runStages(t)
	e.drain(t)
	if got := e.count(t, "SELECT count() FROM records FINAL"); got != uint64(full.Accepted) {
		t.Errorf("records %d, want %d", got, full.Accepted)
	}
	if dup := e.count(t, "SELECT count() FROM (SELECT record_id FROM records FINAL GROUP BY record_id HAVING count() > 1)"); dup != 0 {
		t.Errorf("%d records doubled", dup)
	}
}

// readTruth reads the generator's truth.csv (source record id → person).
func readTruth(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		src, pid, ok := strings.Cut(line, ",")
		if i == 0 || !ok {
			continue
		}
		out[src] = pid
	}
	return out
}

// A matcher that restarts keeps its registry on disk, and one whose disk
// state is lost rebuilds it from the changelog topic: records imported
// after the restart link to the persons found before it, whose ids do not
// change, and the clusters score well against the truth.
func TestMatcherRestartKeepsPersonIDs(t *testing.T) {
	e := newEnv(t)
	dir, m := generate(t, 400, "csv", "jsonl")
	files := sourceFiles(t, dir, m)
	if len(files) != 2 {
		t.Fatalf("want a CSV and a JSONL source, got %v", files)
	}
	// The spreadsheet first, linked by one matcher; then the scanned forms
	// of the same population, linked by a second matcher whose registry
	// directory is new (the first one's disk is lost).
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	first := e.importFile(t, files[0], date)
	ctx := context.Background()

	stop := e.runStagesStoppable(t)
	e.drain(t)
	stop()
	before, err := pipelines.SourceClusters(ctx, e.conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != int(first.Accepted) {
		t.Fatalf("%d records linked, %d accepted", len(before), first.Accepted)
	}

	e.cfg.RegistryDir = t.TempDir()
	l, n, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: e.cfg.RegistryDir, Brokers: e.brokers})
	if err != nil {
		t.Fatal(err)
	}
	if n != int(first.Accepted) || l.Registry.Len() != uint64(first.Accepted) {
		t.Fatalf("rebuilt %d records from the changelog, registry holds %d (want %d)", n, l.Registry.Len(), first.Accepted)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	e.runStages(t)
	e.importFile(t, files[1], date)
	e.drain(t)
	after, err := pipelines.SourceClusters(ctx, e.conn)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for src, pid := range before {
		if after[src] != pid {
			moved++
		}
	}
	// Persons may merge when new records bridge them (the older id
	// survives), but almost every earlier id must survive.
	if moved > len(before)/50 {
		t.Errorf("%d of %d earlier records changed person after the restart", moved, len(before))
	}
	var events uint64
	if err := e.conn.QueryRow(ctx, "SELECT count() FROM person_events FINAL").Scan(&events); err != nil {
		t.Fatal(err)
	}
	truth := readTruth(t, filepath.Join(dir, "truth.csv"))
	mt := eval.Clusters(truth, after)
	t.Logf("after restart: %d records, %d moved, %d person events; pairwise P %.4f R %.4f F1 %.4f", mt.Records, moved, events, mt.Precision, mt.Recall, mt.F1)
	if mt.Records != len(after) || mt.F1 < 0.95 {
		t.Errorf("clusters after restart: %+v", mt)
	}
}

// afterRows calls do once, after n rows have been read from Source: a
// deterministic point at which to interrupt an import.
type afterRows struct {
	ingest.Source
	n, read int
	do      func()
}

func (a *afterRows) Next() (ingest.Item, error) {
	it, err := a.Source.Next()
	if a.read++; a.read == a.n {
		a.do()
	}
	return it, err
}
