package matching

import (
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestGuardsRefuseTwoNumbers: a cluster-level distinct guard keeps a
// cluster with one valid number apart from a record with another, whatever
// the edge between them; the explanation names the guard.
func TestGuardsRefuseTwoNumbers(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: guards
columns:
  - {name: name}
  - {name: id, kind: code}
  - {name: dob, kind: date}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
guards:
  - {kind: distinct, column: id}
  - {kind: year_span, column: dob, max: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	rec := map[string]map[string]string{
		"r1": {"name": "lan", "id": "001190000001", "dob": "1990-01-01"},
		"r2": {"name": "lan", "dob": "1991"},
		"r3": {"name": "lan", "id": "001190000777", "dob": "1990-01-01"},
	}
	for _, id := range []string{"r1", "r2", "r3"} {
		_ = f.Add(id, 0, func(k string) string { return rec[id][k] }, nil)
	}
	gs, err := newGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	p := gs.Merge(gs.Summary(f, 0), gs.Summary(f, 1))
	ok, _, why := gs.Compatible(p, gs.Summary(f, 2))
	if ok || why != "two different id values" {
		t.Errorf("r1+r2 against r3: compatible %v (%q), want refused for two different id values", ok, why)
	}
	if ok, _, why := gs.Compatible(gs.Summary(f, 0), gs.Summary(f, 1)); !ok {
		t.Errorf("r1 against r2 (no number, born a year later): refused (%q), want compatible", why)
	}
}
