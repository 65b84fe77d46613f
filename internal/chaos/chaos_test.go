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

// requireSamePersons makes TestCrashAnywhere fail when the persons (as
// sets of records in force) differ from the clean run. With the identity
// registry they held in every run of `dancu chaos` with withdrawals.
// Person ids may still differ: a person's id comes from its founding
// record, and a kill can change which of its records reached the registry
// first (Diff.PersonIDsDiffering, not checked; a few between two clean
// runs too).
const requireSamePersons = true

// requireWithdrawalsKept makes TestCrashAnywhere fail when a withdrawn
// record's link is left open, or coverage's aggregates are off a
// brute-force count. Before f5acec0 both were seen: links left open in 6
// of 42 runs with kills, mostly where ClickHouse was killed soon after the
// correction (the load stage had written the withdrawals before the links
// they close, so its INSERT … SELECT closed nothing); coverage off in 1
// (--seed 31, run 2, three kills of ClickHouse; not diagnosed). Since
// f5acec0 the load stage writes closed the links that arrive after their
// records' withdrawal (closeWithdrawn), and neither was seen in 63 runs
// with 252 kills (`dancu chaos` --seed 61 --runs 10; --seed 101, 201 and
// 501 --runs 10; --persons 300 with --seed 301 --runs 10, --seed 31 --runs 3
// and --seed 401 --runs 10 at gaps of 0.3–2 s; docs/registry-rounds.md).
const requireWithdrawalsKept = true

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
	bin := buildDancu(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	rep, err := Campaign(ctx, Config{
		Binary: bin, Dir: filepath.Join(dir, "chaos"), Persons: 300, Seed: seed, Runs: 1, Kills: 3, AimAtCorrection: true,
		RunTimeout: 2 * time.Minute, Log: testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	corr := rep.Correction
	if corr == nil || corr.Changed == 0 || corr.Removed == 0 || corr.Added == 0 {
		t.Fatalf("correction %+v: want rows changed, removed and added", corr)
	}
	if rep.Clean.Records == 0 || rep.Clean.Records+rep.Clean.Rejects != rep.Records+corr.Rows {
		t.Fatalf("clean run: %d records + %d rejects, generated %d and %d corrected", rep.Clean.Records, rep.Clean.Rejects, rep.Records, corr.Rows)
	}
	// Every record of the corrected list is withdrawn (its rejects are
	// not records): the old list's rows less the removed ones' share.
	if old := corr.Rows - corr.Added + corr.Removed; rep.Clean.Withdrawn == 0 || rep.Clean.Withdrawn > old {
		t.Errorf("clean run: %d records withdrawn, want some of the old list's %d rows", rep.Clean.Withdrawn, old)
	}
	if rep.CleanDiff.Broken() {
		t.Errorf("clean run against itself: %s", rep.CleanDiff)
	}
	run := rep.Runs[0]
	if len(run.Kills) != 4 {
		t.Errorf("%d kills, want 3 and one aimed at the correction", len(run.Kills))
	}
	if run.RowsLost != 0 || run.RowsDoubled != 0 || run.WithdrawnDiffering != 0 || run.Unlinked != 0 {
		t.Errorf("after kills %s: %s", killList(run.Kills), run.Diff)
	}
	if run.LinksNotClosed != 0 || run.CoverageOff != 0 {
		if requireWithdrawalsKept {
			t.Errorf("after kills %s: withdrawn records' links open or coverage off: %s", killList(run.Kills), run.Diff)
		} else {
			t.Logf("after kills %s: withdrawn records' links open or coverage off (known, see requireWithdrawalsKept): %s", killList(run.Kills), run.Diff)
		}
	}
	if run.PersonsDiffering != 0 && requireSamePersons {
		t.Errorf("persons differ from the clean run: %s", run.Diff)
	}
	for _, s := range run.Stalls {
		// Liveness, not loss: reported, not failed on (see the report of
		// issue 8: a consumer group that stops after restarts).
		t.Logf("stall: %s", s)
	}
	t.Logf("collateral restarts %v, import attempts %d, run %.1fs", run.Restarts, run.Imports, run.Elapsed.Seconds())
}

// buildDancu builds the dancu binary into dir.
func buildDancu(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dancu")
	start := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/dancu-vn/dancu/cmd/dancu").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built dancu in %.1fs", time.Since(start).Seconds())
	return bin
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

// TestCompareWithdrawn: records withdrawn are left out of the persons
// and must have their links closed; a record withdrawn in one run and in
// force in the other, an open link of a withdrawn record and coverage off
// its brute force are each counted.
func TestCompareWithdrawn(t *testing.T) {
	clean := &Snapshot{
		Records:   map[string]bool{"a": true, "b": true, "c": true, "w": true},
		Withdrawn: map[string]bool{"w": true},
		Links:     map[string]string{"a": "P1", "b": "P1", "c": "P2"},
		Closed:    map[string]bool{"w": true},
	}
	if d := compare(clean, clean); d.Broken() || d.CleanPersons != 2 {
		t.Errorf("clean against itself: %s", d)
	}
	got := &Snapshot{
		Records:     map[string]bool{"a": true, "b": true, "c": true, "w": true},
		Withdrawn:   map[string]bool{"w": true, "c": true},
		Links:       map[string]string{"a": "P1", "b": "P1", "w": "P1"},
		Closed:      map[string]bool{"c": true},
		CoverageOff: 2,
	}
	d := compare(clean, got)
	if d.RowsLost != 0 || d.RowsDoubled != 0 || d.WithdrawnDiffering != 1 || d.LinksNotClosed != 1 || d.Unlinked != 0 || d.CoverageOff != 2 || d.PersonsDiffering != 1 || !d.Broken() {
		t.Errorf("compare = %s; want withdrawn differing 1 (c), links open 1 (w), coverage off 2, persons differing 1 of 2 (c gone; w, withdrawn, is no member of P1's)", d)
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
	// rows lost 0, rows doubled 0, withdrawn differing 0, records in force unlinked 0, withdrawn links open 0, coverage off 0, persons differing 1 of 20 (records with another person id 0)
}

// TestRunArgs: with Loaders the process named Run runs the match stage
// alone (the load processes run the load stage), scaled out or not.
func TestRunArgs(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "run --progress 0"},
		{Config{Matchers: 2}, "run --progress 0 --scale-out"},
		{Config{Loaders: 1}, "run --progress 0 --stages match"},
		{Config{Matchers: 3, Loaders: 2}, "run --progress 0 --stages match --scale-out"},
	} {
		if got := fmt.Sprint(runArgs(c.cfg)); got != "["+c.want+"]" {
			t.Errorf("Matchers %d, Loaders %d: %s, want [%s]", c.cfg.Matchers, c.cfg.Loaders, got, c.want)
		}
	}
}
