package matching

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
	"gopkg.in/yaml.v3"
)

const sexUnlessSettings = `
version: 1
name: sexunless
columns:
  - {name: name}
  - {name: sex, kind: code}
  - {name: cmnd, kind: code}
blocking:
  - {name: name, keys: [name]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
      - {label: exact, op: exact, column: name}
guards:
  - {kind: distinct, column: sex, unless_shared: cmnd}
  - {kind: values, column: cmnd}
`

// TestDistinctGuardUnlessShared: a distinct guard with unless_shared
// keeps two clusters of different values apart unless they share a value
// of the named column (a values guard's, which itself keeps nothing
// apart): a sex ticked wrong on a record holding the person's CMND joins
// the person, a namesake of the other sex with another CMND, or none,
// stays apart, and a merged cluster keeps every CMND it holds.
func TestDistinctGuardUnlessShared(t *testing.T) {
	s, err := settings.Parse([]byte(sexUnlessSettings))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	rec := map[string]map[string]string{
		"r1": {"name": "lan", "sex": "M", "cmnd": "058088439"},
		"r2": {"name": "lan", "sex": "F", "cmnd": "058088439"}, // the wrong box
		"r3": {"name": "lan", "sex": "F", "cmnd": "012345678"}, // a namesake
		"r4": {"name": "lan", "sex": "F"},                      // no CMND
		"r5": {"name": "lan", "sex": "M", "cmnd": "012345678"},
	}
	for _, id := range []string{"r1", "r2", "r3", "r4", "r5"} {
		_ = f.Add(id, 0, func(k string) string { return rec[id][k] }, nil)
	}
	gs, err := newGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(i int) clusterSummary { return gs.Summary(f, i) }
	for _, c := range []struct {
		a, b int
		ok   bool
	}{
		{0, 1, true},  // one CMND: the tick does not split them
		{0, 2, false}, // other CMNDs, other sex
		{0, 3, false}, // no CMND on one side
		{2, 4, true},
		{1, 2, true}, // same sex, whatever the CMNDs (values keeps nothing apart)
	} {
		ok, gi, why := gs.Compatible(sum(c.a), sum(c.b))
		if ok != c.ok {
			t.Errorf("r%d against r%d: compatible %v (guard %d, %q), want %v", c.a+1, c.b+1, ok, gi, why, c.ok)
		}
	}
	// r1+r2 hold both sexes and r1's CMND; r3+r5 hold both sexes and
	// the other CMND: they share none, so the sexes keep them apart.
	a := gs.Merge(sum(0), sum(1))
	b := gs.Merge(sum(2), sum(4))
	if ok, _, why := gs.Compatible(a, b); ok || why != "two different sex values" {
		t.Errorf("r1+r2 against r3+r5: compatible %v (%q), want refused for two different sex values", ok, why)
	}
	if ok, _, why := gs.Compatible(gs.Merge(a, sum(4)), sum(2)); !ok {
		t.Errorf("r1+r2+r5 against r3 (they share r5's CMND): refused (%q), want compatible", why)
	}
}

// TestUnlessSharedNeedsAnotherColumn: unless_shared on a distinct guard
// names the column of another distinct or values guard; a year_span guard
// takes none.
func TestUnlessSharedNeedsAnotherColumn(t *testing.T) {
	for _, bad := range []string{
		strings.Replace(sexUnlessSettings, "unless_shared: cmnd", "unless_shared: name", 1),
		strings.Replace(sexUnlessSettings, "unless_shared: cmnd", "unless_shared: sex", 1),
		strings.Replace(sexUnlessSettings, "  - {kind: values, column: cmnd}\n", "", 1),
	} {
		if _, err := settings.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "unless_shared") {
			t.Errorf("settings parsed (%v), want an error naming unless_shared:\n%s", err, bad)
		}
	}
}

// TestDistinctGuardUnlessSharedAny: unless_shared may name several
// columns; two clusters sharing a value of any of them are not kept apart
// (acc44: a sex ticked wrong on a record that shares the person's full
// name and birthday, and no CMND). The settings written back name one
// column as a name, as before, and several as a list.
func TestDistinctGuardUnlessSharedAny(t *testing.T) {
	src := strings.Replace(sexUnlessSettings, "unless_shared: cmnd}", "unless_shared: [cmnd, born]}\n  - {kind: values, column: born}", 1)
	src = strings.Replace(src, "  - {name: cmnd, kind: code}\n", "  - {name: cmnd, kind: code}\n  - {name: born, kind: code}\n", 1)
	s, err := settings.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	rec := map[string]map[string]string{
		"r1": {"name": "lan", "sex": "M", "born": "lan|1990-03-05|01"},
		"r2": {"name": "lan", "sex": "F", "born": "lan|1990-03-05|01"}, // the wrong box
		"r3": {"name": "lan", "sex": "F", "born": "lan|1990-03-06|01"}, // another birthday
		"r4": {"name": "lan", "sex": "F", "cmnd": "058088439"},
		"r5": {"name": "lan", "sex": "M", "cmnd": "058088439"},
	}
	for _, id := range []string{"r1", "r2", "r3", "r4", "r5"} {
		_ = f.Add(id, 0, func(k string) string { return rec[id][k] }, nil)
	}
	gs, err := newGuardSet(f, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a, b int
		ok   bool
	}{
		{0, 1, true},  // one name and birthday
		{0, 2, false}, // another birthday
		{3, 4, true},  // one CMND
		{0, 3, false},
	} {
		ok, gi, why := gs.Compatible(gs.Summary(f, c.a), gs.Summary(f, c.b))
		if ok != c.ok {
			t.Errorf("r%d against r%d: compatible %v (guard %d, %q), want %v", c.a+1, c.b+1, ok, gi, why, c.ok)
		}
	}
	for _, c := range []struct {
		in   settings.Columns
		want string
	}{{settings.Columns{"cmnd"}, "cmnd\n"}, {settings.Columns{"cmnd", "born"}, "- cmnd\n- born\n"}} {
		b, err := yaml.Marshal(c.in)
		if err != nil || string(b) != c.want {
			t.Errorf("%v written %q (%v), want %q", c.in, b, err, c.want)
		}
		var back settings.Columns
		if err := yaml.Unmarshal(b, &back); err != nil || !slices.Equal(back, c.in) {
			t.Errorf("%q read back %v (%v), want %v", b, back, err, c.in)
		}
		j, _ := json.Marshal(c.in)
		back = nil
		if err := json.Unmarshal(j, &back); err != nil || !slices.Equal(back, c.in) {
			t.Errorf("JSON %s read back %v (%v), want %v", j, back, err, c.in)
		}
	}
}
