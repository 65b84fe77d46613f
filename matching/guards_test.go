package matching

import (
	"context"
	"math"
	"slices"
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

// TestAverageLinkageAveragesComparedPairs: average linkage averages the
// cross pairs some blocking rule proposes and leaves out those no rule
// proposes (two records of one person sharing no key), which the model
// scores near 0 whatever the rest of the cluster says — unless most cross
// pairs share no key (a chain), when the mean is 0. On fake_1000's
// profile (dev seed 403) it finds a person with a record sharing no key
// with one of the others, and checks the mean against both averages; and
// a cluster against a record sharing no key with most of it.
func TestAverageLinkageAveragesComparedPairs(t *testing.T) {
	s, f, ps := fakeStyleFrame(t, 1250, 403)
	res, err := Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	byPerson := map[string][]int32{}
	idx := map[string]int32{}
	for i := 0; i < f.Len(); i++ {
		idx[f.ID(i)] = int32(i)
	}
	for _, row := range ps.Rows {
		byPerson[row[6]] = append(byPerson[row[6]], idx[row[0]])
	}
	persons := make([]string, 0, len(byPerson))
	for p := range byPerson {
		persons = append(persons, p)
	}
	slices.Sort(persons)
	for _, person := range persons {
		rows := byPerson[person]
		if len(rows) < 3 {
			continue
		}
		a, err := newAverageLinkage(f, res.Settings)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		last := rows[len(rows)-1]
		var all, compared float64
		nAll, nCmp := 0, 0
		for _, r := range rows[:len(rows)-1] {
			for k := range a.c.comps {
				a.g[k] = a.c.gamma(f, k, r, last)
			}
			p := probability(a.ws.score(a.c, f, a.g, r, last))
			all += p
			nAll++
			if a.compared(r, last) {
				compared += p
				nCmp++
			}
		}
		if nCmp == 0 || nCmp == nAll || 2*nCmp < nAll {
			continue
		}
		for _, r := range rows[1 : len(rows)-1] {
			a.join(rows[0], r)
		}
		got := a.mean(rows[0], last)
		want, old := compared/float64(nCmp), all/float64(nAll)
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("person of rows %v: mean %.4f, want %.4f over the %d compared cross pairs (%.4f over all %d)", rows, got, want, nCmp, old, nAll)
		}
		// Against a record sharing a key with fewer than half of the
		// cluster's rows, the mean is 0 whatever the compared pairs say.
		members := rows[:len(rows)-1]
		for x := int32(0); x < int32(f.Len()); x++ {
			if slices.Contains(rows, x) {
				continue
			}
			n := 0
			for _, r := range members {
				if a.compared(min(r, x), max(r, x)) {
					n++
				}
			}
			if n > 0 && 2*n < len(members) {
				if got := a.mean(rows[0], x); got != 0 {
					t.Errorf("row %d shares keys with %d of the %d rows of the cluster: mean %.4f, want 0", x, n, len(members), got)
				}
				return
			}
		}
		t.Fatal("no record sharing a key with fewer than half of the cluster")
	}
	t.Fatal("no person with a record sharing no blocking key with another")
}
