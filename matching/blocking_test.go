package matching

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestMonthdayKey checks the col.monthday key part: records of one name
// born on the same day and month of different years share a block (a
// misread birth year), a date without its day or month has no key, and
// the registry's KeyMaker agrees with offline blocking.
func TestMonthdayKey(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings,
		"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n",
		"  - {name: birthday, keys: [last, dob.monthday]}\n  - {name: year, keys: [last, dob.year]}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"last": "nguyen", "dob": "1978-06-20"},
		{"last": "nguyen", "dob": "1977-06-20"},
		{"last": "nguyen", "dob": "1977-06-21"},
		{"last": "nguyen", "dob": "1977"},
		{"last": "tran", "dob": "1977-06-20"},
	}
	ids := []string{"a", "b", "c", "d", "e"}
	f := toyFrame(t, s, rows, ids)
	st, err := AnalyseBlocking(f, s, 1)
	if err != nil {
		t.Fatal(err)
	}
	// birthday: a-b only; year: b-c, b-d, c-d.
	if st.Rules[0].Pairs != 1 || st.Rules[1].Pairs != 3 || st.Candidates != 4 {
		t.Errorf("pairs per rule %d, %d, candidates %d; want 1, 3, 4", st.Rules[0].Pairs, st.Rules[1].Pairs, st.Candidates)
	}
	if got := st.Rules[0].Largest[0].Key; got != "nguyen | 06-20" {
		t.Errorf("largest birthday block %q, want %q", got, "nguyen | 06-20")
	}
	c, err := PairsCompleteness(f, s, map[string]string{"a": "1", "b": "1", "d": "1"})
	if err != nil {
		t.Fatal(err)
	}
	// a-b only by birthday, b-d only by year, a-d by none.
	if c.TruePairs != 3 || c.Covered != 2 || c.Only[0] != 1 || c.Only[1] != 1 {
		t.Errorf("completeness %+v, want 2 of 3 covered, one only by each rule", c)
	}
	km, err := NewKeyMaker(NewFrame(s), s)
	if err != nil {
		t.Fatal(err)
	}
	key := func(i int) uint64 {
		for _, k := range km.Keys(f, i, nil) {
			if k.Rule == 0 {
				return k.Hash
			}
		}
		return 0
	}
	if key(0) == 0 || key(0) != key(1) || key(2) == key(1) || key(4) == key(1) || key(3) != 0 {
		t.Errorf("KeyMaker birthday keys %x %x %x %x %x: want a = b, c and e apart, none for a year alone", key(0), key(1), key(2), key(3), key(4))
	}
	bad := strings.Replace(toySettings, "keys: [last]}", "keys: [city.monthday]}", 1)
	sb, err := settings.Parse([]byte(bad))
	if err == nil {
		_, err = AnalyseBlocking(toyFrame(t, sb, rows, ids), sb, 1)
	}
	if err == nil || !strings.Contains(err.Error(), "city") {
		t.Errorf("city.monthday (not a date): error %v, want one naming city", err)
	}
}

// TestKeysAsBefore checks KeyMaker.Keys against the plain form it
// replaced (hash/fnv's New64a over the key values, the sort values as
// sortValue formats them): stores built before keep their keys; and
// KeyMaker.Key, one rule's key, against Keys.
func TestKeysAsBefore(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings,
		"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n",
		"  - {name: last, keys: [last], max_block: 5, sort_by: [dob, first], window: 2}\n"+
			"  - {name: year, keys: [last, dob.year], max_block: 5, sort_by: [first], window: 2}\n"+
			"  - {name: day, keys: [first, dob.monthday], max_block: 5, sort_by: [dob, first], window: 2}\n"+
			"  - {name: city, keys: [city]}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	dates := []string{"", "1977", "1977-06", "1977-06-20", "2001-12-31", "0999-01-02"}
	var rows []map[string]string
	var ids []string
	for i := 0; i < 300; i++ {
		rows = append(rows, map[string]string{"first": firsts[rng.Intn(len(firsts))], "last": []string{"", "nguyen", "tran"}[rng.Intn(3)],
			"dob": dates[rng.Intn(len(dates))], "city": []string{"", "hue"}[rng.Intn(2)]})
		ids = append(ids, fmt.Sprint(i))
	}
	f := toyFrame(t, s, rows, ids)
	km, err := NewKeyMaker(NewFrame(s), s)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < f.Len(); i++ {
		got := km.Keys(f, i, nil)
		var want []RowKey
		for r, kr := range km.rules {
			h := fnv.New64a()
			ok := true
			for _, p := range kr.parts {
				c := &f.cols[p.col]
				v := c.vals.at(i)
				if c.date {
					v = p.value(v)
				}
				if v == 0 {
					ok = false
					break
				}
				h.Write([]byte{byte(p.col)})
				if c.date {
					h.Write(binary.BigEndian.AppendUint32(nil, v))
				} else {
					h.Write([]byte(c.dict.at(v)))
					h.Write([]byte{0})
				}
			}
			if !ok {
				continue
			}
			var sv []string
			for _, p := range kr.sortBy {
				sv = append(sv, f.sortValue(p, i))
			}
			want = append(want, RowKey{Rule: r, Hash: h.Sum64(), Sort: strings.Join(sv, "\x00")})
		}
		if !slices.Equal(got, want) {
			t.Fatalf("row %d (%v): keys %v, want %v", i, rows[i], got, want)
		}
		// Key, one rule at a time, gives each of them, and none other.
		k := 0
		for r := range km.rules {
			one, ok := km.Key(f, i, r)
			if has := k < len(want) && want[k].Rule == r; ok != has || has && one != want[k] {
				t.Fatalf("row %d (%v), rule %d: key %v (%v), want %v", i, rows[i], r, one, ok, want)
			}
			if ok {
				k++
			}
		}
	}
}

func BenchmarkKeyMakerKeys(b *testing.B) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings,
		"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n",
		"  - {name: last, keys: [last], max_block: 5, sort_by: [dob], window: 2}\n"+
			"  - {name: year, keys: [last, dob.year], max_block: 5, sort_by: [first], window: 2}\n"+
			"  - {name: first_city, keys: [first, city], max_block: 5, sort_by: [dob], window: 2}\n"+
			"  - {name: day, keys: [first, dob.monthday], max_block: 5, sort_by: [dob], window: 2}\n", 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	var rows []map[string]string
	var ids []string
	for i := 0; i < 1000; i++ {
		rows = append(rows, map[string]string{"first": firsts[rng.Intn(len(firsts))], "last": "nguyen",
			"dob": fmt.Sprintf("%04d-%02d-%02d", 1940+rng.Intn(70), 1+rng.Intn(12), 1+rng.Intn(28)), "city": "hue"})
		ids = append(ids, fmt.Sprint(i))
	}
	f := toyFrame(b, s, rows, ids)
	km, err := NewKeyMaker(NewFrame(s), s)
	if err != nil {
		b.Fatal(err)
	}
	var dst []RowKey
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < f.Len(); i++ {
			dst = km.Keys(f, i, dst[:0])
		}
	}
}

// TestPairsPerRecordBounded checks what a rule with max_block at most
// 2·window+1 promises (issue 9): a record meets at most 2·window others
// whatever its block's size, so the rule's pairs grow with the records,
// not with their square, while a larger max_block lets a block below it
// give each record all the others.
func TestPairsPerRecordBounded(t *testing.T) {
	const w = 2
	pairsOf := func(rule string, n int) (total int64, most int) {
		s, err := settings.Parse([]byte(strings.Replace(toySettings,
			"  - {name: last, keys: [last]}\n  - {name: dob, keys: [dob]}\n", rule, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]string
		var ids []string
		for i := 0; i < n; i++ {
			rows = append(rows, map[string]string{"first": firsts[i%len(firsts)], "last": "nguyen"})
			ids = append(ids, fmt.Sprint(i))
		}
		f := toyFrame(t, s, rows, ids)
		bs, err := blockAll(f, s.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		per := make([]int, n)
		forPairs(f, bs, 0, true, s.LinkType, func(_ int, i, j int32) { total++; per[i]++; per[j]++ })
		return total, slices.Max(per)
	}
	windowed := fmt.Sprintf("  - {name: last, keys: [last], max_block: %d, sort_by: [first], window: %d}\n", 2*w+1, w)
	for _, n := range []int{3, 2*w + 1, 2*w + 2, 40, 400} {
		total, most := pairsOf(windowed, n)
		want := int64(n * (n - 1) / 2)
		if n > 2*w+1 {
			want = int64(w*n - w*(w+1)/2)
		}
		if most > 2*w || total != want {
			t.Errorf("%d records, max_block %d, window %d: %d pairs, at most %d a record; want %d, at most %d", n, 2*w+1, w, total, most, want, 2*w)
		}
	}
	wide := fmt.Sprintf("  - {name: last, keys: [last], max_block: 50, sort_by: [first], window: %d}\n", w)
	if _, most := pairsOf(wide, 40); most != 39 {
		t.Errorf("40 records under max_block 50: at most %d pairs a record, want 39 (all against all)", most)
	}
}

// TestVietnameseBlockingBounded checks that every rule of the shipped
// Vietnamese settings (and of the trained model the registry loads, which
// must block alike: issue 9's invariant (b)) bounds a record's pairs
// whatever the file's size: max_block at most 2·window+1, except the
// rules on a number alone, whose blocks hold one person's records, not
// namesakes.
func TestVietnameseBlockingBounded(t *testing.T) {
	var rules [][]settings.BlockingRule
	for _, name := range []string{"vietnamese/settings.yaml", "vietnamese/trained.yaml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := settings.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		s = s.WithDefaults()
		for _, r := range s.Blocking {
			if slices.Equal(r.Keys, []string{"id"}) || slices.Equal(r.Keys, []string{"cmnd"}) {
				continue
			}
			if r.MaxBlock <= 0 || r.MaxBlock > 2*r.Window+1 {
				t.Errorf("%s: rule %s: max_block %d, window %d: a record's pairs grow with the file (want 0 < max_block ≤ 2·window+1)", name, r.Name, r.MaxBlock, r.Window)
			}
		}
		rules = append(rules, s.Blocking)
	}
	if !reflect.DeepEqual(rules[0], rules[1]) {
		t.Errorf("trained.yaml blocks unlike settings.yaml:\n%+v\n%+v", rules[1], rules[0])
	}
}
