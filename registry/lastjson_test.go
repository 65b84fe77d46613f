package registry_test

import (
	"testing"

	"github.com/dancu-vn/dancu/registry"
)

// The last output the registry keeps for a re-flush is, byte for byte,
// encoding/json's of the outputs a generated population's batches give
// (persons, links, conflicts, events and coverage deltas of real Adds).
func TestLastOutputAsEncodingJSON(t *testing.T) {
	p := generated(t)
	_, outs, _ := stream(t, p.settings, p.recs, 400)
	links := 0
	for i, out := range outs {
		mine, std, err1, err2 := registry.LastOutputJSONs(out)
		if err1 != nil || err2 != nil {
			t.Fatalf("batch %d: %v, %v", i, err1, err2)
		}
		if string(mine) != string(std) {
			t.Errorf("batch %d: the kept output differs from encoding/json's (%d and %d bytes)", i, len(mine), len(std))
		}
		links += len(out.Links)
	}
	if links == 0 {
		t.Fatal("no links to compare")
	}
}
