package matching

import "testing"

// The shipped trained Vietnamese model loads, matches the settings it is
// embedded beside (same comparisons and levels), carries frozen term
// frequencies and the version of its content.
func TestTrainedSettingsShipped(t *testing.T) {
	s, err := TrainedSettings("vietnamese")
	if err != nil {
		t.Fatal(err)
	}
	base, err := DefaultSettings("vietnamese")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Model.Comparisons) != len(base.Comparisons) {
		t.Fatalf("model has %d comparisons, settings %d: retrain (matching/trained/README.md)", len(s.Model.Comparisons), len(base.Comparisons))
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
	if v := ModelVersion(s); s.Model.Version != v {
		t.Errorf("model version %q, content says %q", s.Model.Version, v)
	}
	if _, err := TrainedSettings("febrl"); err == nil {
		t.Error("febrl has no shipped model, yet TrainedSettings gave one")
	}
}
