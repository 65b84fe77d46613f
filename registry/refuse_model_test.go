package registry_test

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
)

// A store opened with another model is refused with both ways out: the
// same --settings (the operator forgot them) or a rebuild (an upgrade).
// Before, it said only "remove the directory to rebuild it", which
// rebuilt with the wrong model when --settings had been forgotten.
func TestAnotherModelRefusedWithBothWaysOut(t *testing.T) {
	dir := t.TempDir()
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	other, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	other.Thresholds.Match += 0.01
	if reg, err := registry.Open(registry.Config{Dir: dir, Settings: other}); err == nil {
		reg.Close()
		t.Fatal("a store built with another model opened")
	} else {
		for _, want := range []string{registry.Fingerprint(s), registry.Fingerprint(other), "same --settings", "rebuilt from the changelog", "move the directory aside"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("refusal %q does not say %q", err, want)
			}
		}
	}
}
