package pipelines_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
)

// A model upgrade where one score instance was left on the old model: the
// match stage (scaled out, with the new model) must stop with an error
// naming both models, not cluster edges another model scored. Here the
// match stage rebuilds its registry from the changelog through the score
// instance, the first thing an upgraded match stage does; before, the
// rebuild went through without a word (live: 4,975 records rebuilt in
// 1.6 s, scored by two instances on the shipped model for a match stage
// on a model dancu train had made), and the instance indexed the items.
func TestScaleOutRefusesAnotherModel(t *testing.T) {
	ctx := context.Background()
	dir, m := generate(t, 100, "csv")
	recs := readRecords(t, sourceFiles(t, dir, m))
	shipped, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	upgraded := *shipped
	upgraded.Name += "-upgraded"
	brokers := []string{brokertest.Start(t)}
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: t.TempDir(), Settings: &upgraded, Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Link(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	var st pipelines.ScoreStats
	startScoreStats(t, brokers, t.TempDir(), 0, 1, &st) // the shipped model
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = pipelines.RunStages(rctx, pipelines.StagesConfig{Brokers: brokers, Match: true, ScaleOut: true, Settings: &upgraded, RegistryDir: t.TempDir()}, nil)
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("match stage on another model than its score instance: %v, want a refusal", err)
	}
	for _, fp := range []string{registry.Fingerprint(shipped), registry.Fingerprint(&upgraded)} {
		if !strings.Contains(err.Error(), fp) {
			t.Errorf("the refusal does not name model %q: %v", fp, err)
		}
	}
	if st.Refused.Load() == 0 || st.Items.Load() != 0 {
		t.Errorf("score instance: %d messages refused, %d items scored; want some refused, none scored", st.Refused.Load(), st.Items.Load())
	}
	t.Log(err)
}
