package vietnamese

import (
	"bytes"
	"testing"

	"gopkg.in/yaml.v3"

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
			continue
		}
		// A mover's address (else_m_min, the census's share of movers
		// between provinces) weighs what the settings say, not EM's
		// m of a training population without movers.
		if e := cm.M[len(cm.M)-1]; e < c.ElseMMin {
			t.Errorf("comparison %s: else's m %g below its else_m_min %g: retrain", c.Name, e, c.ElseMMin)
		}
	}
	if len(s.Model.TermFrequencies["given"]) == 0 || s.Model.TermFloor <= 0 {
		t.Errorf("no frozen term frequencies for given names (floor %g)", s.Model.TermFloor)
	}
	if v := settings.ModelVersion(s); s.Model.Version != v {
		t.Errorf("model version %q, content says %q", s.Model.Version, v)
	}
}

// The shipped model was trained with today's settings: it carries them
// (guards, blocking, vetoes and every other rule, as settings.yaml writes
// them), and training's fit of every guard training fits. A rule added to
// settings.yaml after the model was trained leaves the shipped file
// unreproducible by the command in TRAINING.md: on 6 December the file
// carried the full_date guard (copied into its settings) but no fit of it,
// and the command wrote another model (acc33). The comparison above would
// notice neither.
func TestTrainedCarriesTodaysSettings(t *testing.T) {
	shipped, err := Trained()
	if err != nil {
		t.Fatal(err)
	}
	base, err := Settings()
	if err != nil {
		t.Fatal(err)
	}
	a, b := *shipped, *base
	a.Model, b.Model = nil, nil
	ya, err := yaml.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	yb, err := yaml.Marshal(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ya, yb) {
		la, lb := bytes.Split(ya, []byte("\n")), bytes.Split(yb, []byte("\n"))
		for i := 0; i < len(la) || i < len(lb); i++ {
			var x, y []byte
			if i < len(la) {
				x = la[i]
			}
			if i < len(lb) {
				y = lb[i]
			}
			if !bytes.Equal(x, y) {
				t.Fatalf("trained.yaml's settings differ from settings.yaml's at line %d: shipped %q, settings %q: retrain (matching/vietnamese/TRAINING.md)", i+1, x, y)
			}
		}
	}
	fitted := map[string]bool{}
	for _, g := range shipped.Model.Guards {
		fitted[g.Kind+" "+g.Column] = true
	}
	for _, g := range base.Guards {
		if (g.Kind == "year_span" || g.Kind == "full_date") && !fitted[g.Kind+" "+g.Column] {
			t.Errorf("the shipped model has no fit of the %s guard on %s, which training fits: retrain (matching/vietnamese/TRAINING.md)", g.Kind, g.Column)
		}
	}
}
