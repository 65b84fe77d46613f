package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// The shipped trained Vietnamese model loads, matches the settings it is
// embedded beside (same comparisons and levels), carries frozen term
// frequencies and the version of its content.
func TestTrainedShipped(t *testing.T) {
	s, err := Trained()
	if err != nil {
		t.Fatal(err)
	}
	base, err := Settings()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Model.Comparisons) != len(base.Comparisons) {
		t.Fatalf("model has %d comparisons, settings %d: retrain (matching/vietnamese/TRAINING.md)", len(s.Model.Comparisons), len(base.Comparisons))
	}
	for k, c := range base.Comparisons {
		cm := s.Model.Comparisons[k]
		if cm.Name != c.Name || len(cm.M) != len(c.Levels)+1 {
			t.Errorf("comparison %d: model %s with %d levels, settings %s with %d+else: retrain", k, cm.Name, len(cm.M), c.Name, len(c.Levels))
		}
	}
	if len(s.Model.TermFrequencies["given"]) == 0 || s.Model.TermFloor <= 0 {
		t.Errorf("no frozen term frequencies for given names (floor %g)", s.Model.TermFloor)
	}
	if v := settings.ModelVersion(s); s.Model.Version != v {
		t.Errorf("model version %q, content says %q", s.Model.Version, v)
	}
}
