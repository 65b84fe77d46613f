package coverage_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/coverage"

	"github.com/dancu-vn/dancu/internal/chstore"
)

func TestLeadLoad10M(t *testing.T) {
	addr := os.Getenv("LEAD_CH")
	if addr == "" {
		t.Skip()
	}
	conn, err := chstore.Open(context.Background(), chstore.Config{Addr: addr, Database: "cov10m", CreateDatabase: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chstore.Migrate(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	n := envInt("DANCU_BENCH_COVERAGE_ROWS", 10_000_000)
	units := benchUnits(t, conn)
	for i := 0; i < n; i += 1_000_000 {
		synthRecords(t, conn, i, min(1_000_000, n-i), units)
	}
	synthPersons(t, conn, n*3/5, units, 11)
	t.Logf("conflicts %d", synthConflicts(t, conn, n*3/5))
}

func TestLeadCompute(t *testing.T) {
	addr := os.Getenv("LEAD_CH")
	if addr == "" {
		t.Skip()
	}
	ctx := context.Background()
	conn, err := chstore.Open(ctx, chstore.Config{Addr: addr, Database: "cov10m"})
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := os.ReadFile("/tmp/lead/chpid")
	cpu := func() float64 {
		b, _ := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
		f := strings.Fields(string(b))
		u, _ := strconv.Atoi(f[13])
		s, _ := strconv.Atoi(f[14])
		return float64(u+s) * 10
	}
	for _, o := range []coverage.Options{{Era: coverage.Old}, {Era: coverage.New}, {Era: coverage.Old, Level: coverage.Commune, Province: "40"},
		{Era: coverage.New, Level: coverage.Commune, Province: "40"}, {Era: coverage.Old, Level: coverage.District}, {Era: coverage.Old, Level: coverage.Commune}} {
		var best time.Duration
		var cpus []float64
		var rep *coverage.Report
		for i := 0; i < 3; i++ {
			c0 := cpu()
			s := time.Now()
			r, err := coverage.Compute(ctx, conn, o)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(s); i == 0 || d < best {
				best = d
			}
			cpus = append(cpus, cpu()-c0)
			rep = r
		}
		t.Logf("%s %s %q: %d rows, conflicts %d+%d: best %v, engine cpu ms %v", o.Era, o.Level, o.Province, len(rep.Rows), rep.Total.ConflictsOpen, rep.Total.ConflictsDecided, best.Round(time.Millisecond), cpus)
	}
}
