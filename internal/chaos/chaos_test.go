package chaos

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// requireSamePersons makes TestCrashAnywhere fail when the persons differ
// from the clean run. The match stage numbers persons per process and
// rebuilds its registry from ClickHouse on start, so a kill of `dancu run`
// can change persons today; the registry rewrite (issue 9) makes them
// deterministic, and then this becomes true.
const requireSamePersons = false

// The short form of the crash-anywhere harness: the real processes, three
// SIGKILLs of randomly chosen ones at random moments, and ClickHouse
// compared with a clean run. DANCU_CHAOS_SEED repeats a schedule.
func TestCrashAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes (about a minute)")
	}
	seed := time.Now().UnixNano() % 1_000_000
	if s := os.Getenv("DANCU_CHAOS_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("DANCU_CHAOS_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (DANCU_CHAOS_SEED=%d repeats this schedule)", seed, seed)
	dir := t.TempDir()
	bin := filepath.Join(dir, "dancu")
	start := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/dancu-vn/dancu/cmd/dancu").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built dancu in %.1fs", time.Since(start).Seconds())
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	rep, err := Campaign(ctx, Config{
		Binary: bin, Dir: filepath.Join(dir, "chaos"), Persons: 300, Seed: seed, Runs: 1, Kills: 3,
		RunTimeout: 2 * time.Minute, Log: testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Clean.Records == 0 || rep.Clean.Records+rep.Clean.Rejects != rep.Records {
		t.Fatalf("clean run: %d records + %d rejects, generated %d", rep.Clean.Records, rep.Clean.Rejects, rep.Records)
	}
	run := rep.Runs[0]
	if len(run.Kills) != 3 {
		t.Errorf("%d kills, want 3", len(run.Kills))
	}
	if run.RowsLost != 0 || run.RowsDoubled != 0 || run.Unlinked != 0 {
		t.Errorf("after kills %s: %s", killList(run.Kills), run.Diff)
	}
	if run.PersonsDiffering != 0 {
		if requireSamePersons {
			t.Errorf("persons differ from the clean run: %s", run.Diff)
		} else {
			t.Logf("persons differ from the clean run (known: issue 9): %s", run.Diff)
		}
	}
	for _, s := range run.Stalls {
		// Liveness, not loss: reported, not failed on (see the report of
		// issue 8: a consumer group that stops after restarts).
		t.Logf("stall: %s", s)
	}
	t.Logf("collateral restarts %v, import attempts %d, run %.1fs", run.Restarts, run.Imports, run.Elapsed.Seconds())
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

func TestCompare(t *testing.T) {
	clean := &Snapshot{
		Records: map[string]bool{"a": true, "b": true, "c": true},
		Rejects: map[string]bool{"x": true},
		Links:   map[string]string{"a": "P1", "b": "P1", "c": "P2"},
	}
	same := &Snapshot{
		Records: map[string]bool{"a": true, "b": true, "c": true},
		Rejects: map[string]bool{"x": true},
		Links:   map[string]string{"a": "Q7", "b": "Q7", "c": "Q8"},
	}
	if d := compare(clean, same); d.RowsLost+d.RowsDoubled+d.Unlinked+d.PersonsDiffering != 0 || d.PersonIDsDiffering != 3 {
		t.Errorf("same partition under other ids: %s", d)
	}
	worse := &Snapshot{
		Records:    map[string]bool{"a": true, "c": true, "d": true},
		Rejects:    map[string]bool{},
		Links:      map[string]string{"a": "P1", "c": "P1"},
		SlotCopies: 1,
	}
	d := compare(clean, worse)
	if d.RowsLost != 2 || d.RowsDoubled != 2 || d.Unlinked != 1 || d.PersonsDiffering != 2 || d.CleanPersons != 2 {
		t.Errorf("compare = %+v, want lost 2 (b, x), doubled 2 (d, a slot copy), unlinked 1 (d), persons differing 2 of 2", d)
	}
}

func ExampleReport() {
	rep := &Report{Runs: []RunResult{
		{Kills: []Kill{{Process: Broker}, {Process: Run}}, Diff: Diff{CleanPersons: 10}},
		{Kills: []Kill{{Process: Run}}, Diff: Diff{CleanPersons: 10, PersonsDiffering: 1}},
	}}
	k := rep.KillsBy()
	fmt.Println("kills:", k[Broker], "broker,", k[Run], "run")
	fmt.Println(rep.Total())
	// Output:
	// kills: 1 broker, 2 run
	// rows lost 0, rows doubled 0, records unlinked 0, persons differing 1 of 20 (records with another person id 0)
}
