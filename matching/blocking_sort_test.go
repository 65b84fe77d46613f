package matching

import (
	"cmp"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestSortKeyRows checks sortKeyRows' bucket pass against a sort of all
// the keyed rows by key, then row, on short and long lists of random
// keys, of few distinct keys (big blocks) and of keys that share their
// top bits (one bucket).
func TestSortKeyRows(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for _, tc := range []struct {
		n        int
		distinct int    // 0: every key drawn anew
		mask     uint64 // keys ANDed with it
	}{
		{0, 0, ^uint64(0)}, {1, 0, ^uint64(0)}, {100, 10, ^uint64(0)}, {4095, 0, ^uint64(0)},
		{4096, 0, ^uint64(0)}, {50000, 0, ^uint64(0)}, {50000, 3000, ^uint64(0)},
		{50000, 7, ^uint64(0)}, {50000, 0, 1<<20 - 1}, {70001, 40000, 0xffffff << 40},
	} {
		keys := make([]uint64, tc.distinct)
		for i := range keys {
			keys[i] = rng.Uint64() & tc.mask
		}
		var kr []keyRow
		for i := 0; i < tc.n; i++ {
			k := rng.Uint64() & tc.mask
			if tc.distinct > 0 {
				k = keys[rng.Intn(tc.distinct)]
			}
			if rng.Intn(5) == 0 {
				continue // a row without a key
			}
			kr = append(kr, keyRow{k, int32(i)})
		}
		want := slices.Clone(kr)
		slices.SortFunc(want, compareKeyRows)
		if got := sortKeyRows(kr); !slices.Equal(got, want) {
			t.Errorf("n %d, %d distinct keys, mask %x: sortKeyRows differs from a sort by key and row", tc.n, tc.distinct, tc.mask)
		}
	}
}

// TestSplitBlockOrder checks that a split block's records come in the
// order the blocker had before compareSort: sorted (stably, from row
// order) by sortValue's text of each sort_by part, dates formatted by
// formatDate — on random rows of repeated names and dates of every
// precision, including a year before 1000.
func TestSplitBlockOrder(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings,
		"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n",
		"  - {name: last, keys: [last], max_block: 5, sort_by: [dob, first], window: 2}\n"+
			"  - {name: year, keys: [last, dob.year], max_block: 5, sort_by: [first], window: 2}\n"+
			"  - {name: city, keys: [city], max_block: 7, sort_by: [first, dob], window: 3}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(5))
	dates := []string{"", "1977", "1977-06", "1977-06-20", "1977-11-02", "1977-11", "2001-12-31", "0999-01-02", "1985-02-28", "1985"}
	var rows []map[string]string
	var ids []string
	for i := 0; i < 2000; i++ {
		rows = append(rows, map[string]string{"first": firsts[rng.Intn(len(firsts))], "last": []string{"", "nguyen", "tran", "le"}[rng.Intn(4)],
			"dob": dates[rng.Intn(len(dates))], "city": []string{"", "hue", "hanoi"}[rng.Intn(3)]})
		ids = append(ids, fmt.Sprint(i))
	}
	f := toyFrame(t, s, rows, ids)
	split := 0
	for _, r := range s.Blocking {
		b, err := newBlocker(f, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, br := range b.blocks {
			if !br.split {
				continue
			}
			split++
			got := b.order[br.start:br.end]
			want := slices.Clone(got)
			slices.Sort(want)
			sort.SliceStable(want, func(x, y int) bool {
				for _, p := range b.sortBy {
					vx, vy := f.sortValue(p, int(want[x])), f.sortValue(p, int(want[y]))
					if vx != vy {
						return vx < vy
					}
				}
				return want[x] < want[y]
			})
			if !slices.Equal(got, want) {
				t.Fatalf("rule %s: split block %v, want %v", r.Name, got, want)
			}
		}
	}
	if split < 6 {
		t.Fatalf("only %d split blocks: the test checks nothing", split)
	}
}

// TestPackedDateOrder checks that, for dates packDate makes, the packed
// order is formatDate's text order, which compareSort relies on.
func TestPackedDateOrder(t *testing.T) {
	var ps []uint32
	for _, y := range []int{1, 9, 10, 99, 100, 999, 1000, 1899, 1977, 1978, 2024, 9999} {
		for m := 0; m <= 12; m++ {
			for _, d := range []int{0, 1, 9, 10, 28, 31} {
				if p := packDate(y, m, d); p != 0 && packedDate(p) {
					ps = append(ps, p)
				}
			}
		}
	}
	ps = append(ps, 0)
	for _, a := range ps {
		for _, b := range ps {
			if want := strings.Compare(formatDate(a), formatDate(b)); cmp.Compare(a, b) != want {
				t.Fatalf("%q against %q: packed order %d, text order %d", formatDate(a), formatDate(b), cmp.Compare(a, b), want)
			}
		}
	}
	if packedDate(10000<<9) || packedDate(1977<<9|13<<5) || packedDate(1977<<9|5) {
		t.Errorf("packedDate accepts a value packDate does not make")
	}
}
