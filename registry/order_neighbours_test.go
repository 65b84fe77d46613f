package registry_test

import (
	"cmp"
	"math/rand"
	"slices"
	"sort"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// TestWindowNeighboursComparedInAnyOrder pins what the registry's
// persons may and may not owe to the arrival order (issue 9, det1). A
// block larger than its rule's max_block gives a new record the side
// neighbours on each side by sort value among the members that came
// before it, so which pairs of such a block are compared depends on the
// order; what does not is the set every order compares: every pair of
// a block that never grows past max_block, and every pair of a larger
// block with fewer than side other members whose sort values lie between
// theirs (ends included) — at the later one's arrival at most those were
// between them. Every such pair scored at or above the review threshold
// must be an edge after any arrival order and batch size; the edges
// outside that set are the only ones the order may add or leave out
// (logged). Rules with max_block get max_block 4 and window 4 (side 2)
// so that the generated population's blocks pass it.
func TestWindowNeighboursComparedInAnyOrder(t *testing.T) {
	p := generated(t)
	s := windowsOf(p.settings, 2, 4)
	f := frameOf(s, registry.NewRecords(), p.recs)
	sure, windowed := pairsEveryOrderCompares(t, f, s)
	var pairs [][2]int32
	for pr := range sure {
		pairs = append(pairs, pr)
	}
	scored, err := matching.ScorePairs(f, s, pairs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]bool{}
	for _, pr := range scored {
		want[idPair(f.ID(int(pr.A)), f.ID(int(pr.B)))] = true
	}
	t.Logf("%d pairs every order compares (%d of them only through a window), %d at or above the review threshold", len(sure), windowed, len(want))
	if windowed == 0 || len(want) == 0 {
		t.Fatalf("no windowed pair (%d) or none scored (%d): the test shows nothing", windowed, len(want))
	}
	var first map[string]string
	var firstEdges map[[2]string]float32
	for _, order := range []int64{0, 5, 6} {
		recs := append([]schemas.Record(nil), p.recs...)
		if order > 0 {
			rand.New(rand.NewSource(order)).Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		}
		for _, n := range []int{9, 400} {
			got, _, reg := stream(t, s, recs, n)
			st := reg.Stats()
			if st.GenericMasked != 0 || st.BlocksLarge == 0 {
				t.Fatalf("order %d batch %d: %d records masked (generic values), %d blocks larger than max_block: want 0 and some", order, n, st.GenericMasked, st.BlocksLarge)
			}
			edges, err := registry.StoredEdges(reg)
			if err != nil {
				t.Fatal(err)
			}
			missing := 0
			for pr := range want {
				if _, ok := edges[pr]; !ok {
					if missing++; missing <= 5 {
						t.Errorf("order %d batch %d: records %s and %s are compared in any order and score at or above review, but are no edge", order, n, pr[0], pr[1])
					}
				}
			}
			if missing > 0 {
				t.Errorf("order %d batch %d: %d of %d such pairs are no edge", order, n, missing, len(want))
			}
			if first == nil {
				first, firstEdges = got, edges
				continue
			}
			moved := 0
			for pr := range edges {
				if _, ok := firstEdges[pr]; !ok {
					moved++
				}
			}
			for pr := range firstEdges {
				if _, ok := edges[pr]; !ok {
					moved++
				}
			}
			t.Logf("order %d batch %d: %d edges differ from the file order's in batches of 9 (none of them among the pairs every order compares); persons F1 against it %.5f",
				order, n, moved, eval.Clusters(first, got).F1)
		}
	}
}

// windowsOf returns a copy of s whose rules with a max_block have
// max_block maxBlock and window window.
func windowsOf(s *settings.Settings, maxBlock, window int) *settings.Settings {
	c := *s
	c.Blocking = slices.Clone(s.Blocking)
	for i := range c.Blocking {
		if c.Blocking[i].MaxBlock > 0 {
			c.Blocking[i].MaxBlock, c.Blocking[i].Window = maxBlock, window
		}
	}
	return &c
}

func idPair(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// pairsEveryOrderCompares returns the pairs of f's rows (A < B) that the
// registry compares whatever order the rows arrive in (see
// TestWindowNeighboursComparedInAnyOrder), and how many of them share
// only blocks larger than their max_block.
func pairsEveryOrderCompares(t *testing.T, f *matching.Frame, s *settings.Settings) (map[[2]int32]bool, int) {
	t.Helper()
	km, err := matching.NewKeyMaker(f, s)
	if err != nil {
		t.Fatal(err)
	}
	type member struct {
		row  int32
		sort string
	}
	all, windowed := map[[2]int32]bool{}, map[[2]int32]bool{}
	add := func(a, b int32, viaWindow bool) {
		pr := [2]int32{min(a, b), max(a, b)}
		if viaWindow {
			if !all[pr] {
				windowed[pr] = true
			}
		} else {
			delete(windowed, pr)
		}
		all[pr] = true
	}
	for r := range s.Blocking {
		rule := km.Rule(r)
		blocks := map[uint64][]member{}
		for i := 0; i < f.Len(); i++ {
			if k, ok := km.Key(f, i, r); ok {
				blocks[k.Hash] = append(blocks[k.Hash], member{int32(i), k.Sort})
			}
		}
		for _, ms := range blocks {
			if rule.MaxBlock <= 0 || len(ms) <= rule.MaxBlock {
				for a := range ms {
					for b := a + 1; b < len(ms); b++ {
						add(ms[a].row, ms[b].row, false)
					}
				}
				continue
			}
			side := (rule.Window + 1) / 2
			slices.SortStableFunc(ms, func(x, y member) int { return cmp.Compare(x.sort, y.sort) })
			for a := range ms {
				lo := sort.Search(len(ms), func(i int) bool { return ms[i].sort >= ms[a].sort })
				for b := a + 1; b < len(ms); b++ {
					hi := sort.Search(len(ms), func(i int) bool { return ms[i].sort > ms[b].sort })
					if hi-lo-2 >= side {
						break // further ones have at least as many between
					}
					add(ms[a].row, ms[b].row, true)
				}
			}
		}
	}
	return all, len(windowed)
}
