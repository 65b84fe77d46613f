package settings

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestDocCurrent checks that matching/SETTINGS.md is what dancu settings
// doc prints, and that every documented example level parses.
func TestDocCurrent(t *testing.T) {
	b, err := os.ReadFile("../SETTINGS.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Doc() {
		t.Error("SETTINGS.md is stale: go run ./cmd/dancu settings doc > matching/SETTINGS.md")
	}
	for _, o := range opDocs {
		var l Level
		if err := yaml.Unmarshal([]byte(o.Example), &l); err != nil || l.Op != o.Op {
			t.Errorf("example of %s does not parse: %v", o.Op, err)
		}
		if !isOp(o.Op) {
			t.Errorf("documented op %s is refused", o.Op)
		}
	}
	if isOp("jaro") {
		t.Error("an undocumented op is accepted")
	}
	for _, tr := range Transforms() {
		name := strings.Replace(strings.Replace(tr, "N", "3", 1), "PATTERN", "x", 1)
		if err := checkTransform(name); err != nil {
			t.Errorf("documented transform %s: %v", tr, err)
		}
	}
	for _, bad := range []string{"first:N", "first:0", "regex:(", "regex:(a)(b)", "upper"} {
		if checkTransform(bad) == nil {
			t.Errorf("transform %q accepted", bad)
		}
	}
}

// TestEmbedded checks that every embedded settings file parses and that
// an unknown name says which ones there are.
func TestEmbedded(t *testing.T) {
	ns := names()
	if len(ns) < 2 {
		t.Fatalf("embedded settings: %v, want febrl and fake_1000", ns)
	}
	for _, name := range ns {
		s, err := Default(name)
		if err != nil {
			t.Errorf("embedded %s: %v", name, err)
			continue
		}
		if s.Version != Version || s.LinkType == "" {
			t.Errorf("embedded %s: defaults not applied: version %d, link type %q", name, s.Version, s.LinkType)
		}
	}
	if _, err := Default("nope"); err == nil || !strings.Contains(err.Error(), "febrl") {
		t.Errorf("unknown settings: %v, want the names embedded", err)
	}
}
