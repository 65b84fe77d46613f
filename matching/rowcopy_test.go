package matching

import (
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestRowCopierAsAdd copies a shuffled half of a frame's rows into a new
// frame (in two runs, as the registry carries its scoring frame over)
// and checks each copied row reads and compares as the record added
// afresh would: the same values, term frequencies, confidences and
// comparison levels against every other copied row.
func TestRowCopierAsAdd(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings, "{name: first, transforms: [lower]}", "{name: first, transforms: [lower], confidence: first}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(400, 3)
	conf := func(i int) ConfidenceGetter {
		if i%3 != 0 {
			return nil
		}
		return func(k string) (float32, bool) { return float32(i%7) / 7, k == "first" }
	}
	add := func(f *Frame, i int) {
		r := rows[i]
		if err := f.Add(ids[i], 0, func(k string) string { return r[k] }, conf(i)); err != nil {
			t.Fatal(err)
		}
	}
	src := NewFrame(s)
	for i := range rows {
		add(src, i)
	}
	pick := rand.New(rand.NewSource(5)).Perm(len(rows))[:len(rows)/2]
	fresh, copied := NewFrame(s), NewFrame(s)
	for _, i := range pick[:10] { // rows the new frame holds already
		add(fresh, i)
		add(copied, i)
	}
	rc, err := NewRowCopier(copied, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range pick[10:] {
		add(fresh, i)
		if err := rc.Copy(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := rc.Copy(pick[20]); err == nil {
		t.Error("a record copied twice was accepted")
	}
	if fresh.Len() != copied.Len() {
		t.Fatalf("%d rows copied, %d added", copied.Len(), fresh.Len())
	}
	readsAsAdded(t, s, fresh, copied)
}

// BenchmarkRowCopier puts 2,000 records into a new frame by Add (as the
// registry read a candidate from its store: cleaning, transforms,
// interning) and by copying them from a frame holding them (as it
// carries its scoring frame over, or builds a recluster unit).
func BenchmarkRowCopier(b *testing.B) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		b.Fatal(err)
	}
	rows, ids, _ := toyRows(2000, 3)
	src := NewFrame(s)
	for i, r := range rows {
		if err := src.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("add", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f := NewFrame(s)
			for i, r := range rows {
				if err := f.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f := NewFrame(s)
			rc, err := NewRowCopier(f, src)
			if err != nil {
				b.Fatal(err)
			}
			for i := range rows {
				if err := rc.Copy(i); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestRowCopierIntoEmptyFrame copies rows into an empty frame (grown
// for them first), whose values then come only through the copier
// (appended without their lookup table), adds records by Add among the
// copies (the table built again from the values) and copies more: every
// column must hold each distinct value once, with the counts, term
// frequencies and comparison levels of the same records added afresh in
// the same order.
func TestRowCopierIntoEmptyFrame(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(400, 3)
	add := func(f *Frame, i int) {
		r := rows[i]
		if err := f.Add(ids[i], 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	src := NewFrame(s)
	for i := range rows[:300] {
		add(src, i)
	}
	pick := rand.New(rand.NewSource(7)).Perm(len(rows))
	fresh, copied := NewFrame(s), NewFrame(s)
	rc, err := NewRowCopier(copied, src)
	if err != nil {
		t.Fatal(err)
	}
	rc.Grow(300)
	if c := copied.ids.Cap(); c < 301 {
		t.Errorf("Grow(300) made room for %d ids", c)
	}
	for ci := range copied.cols {
		if c := &copied.cols[ci]; !c.date && src.cols[ci].dict.len() > 1 && c.dict.Cap() < 2 {
			t.Errorf("Grow(300) made no room in column %s", c.spec.Name)
		}
	}
	n := 0
	for _, i := range pick {
		switch {
		case i >= 300: // not in src: added, as the registry adds a record read from its store
			add(copied, i)
		case n < 150 || n%4 != 0:
			if err := rc.Copy(i); err != nil {
				t.Fatal(err)
			}
		default:
			add(copied, i)
		}
		if i < 300 {
			n++
		}
		add(fresh, i)
	}
	if err := rc.Copy(pick[slices.IndexFunc(pick, func(i int) bool { return i < 300 })]); err == nil {
		t.Error("a record held already was accepted")
	}
	if fresh.Len() != copied.Len() {
		t.Fatalf("%d rows in the copy, %d added", copied.Len(), fresh.Len())
	}
	for ci := range fresh.cols {
		fc, cc := &fresh.cols[ci], &copied.cols[ci]
		if fc.date {
			continue
		}
		if fc.dict.len() != cc.dict.len() {
			t.Errorf("column %s: %d distinct values copied, %d added", fc.spec.Name, cc.dict.len(), fc.dict.len())
		}
	}
	readsAsAdded(t, s, fresh, copied)
}

// readsAsAdded checks that each row of copied reads and compares as the
// same row of fresh (the records added afresh): the same ids, values,
// confidences and term frequencies, and the same comparison levels
// against every later row.
func readsAsAdded(t *testing.T, s *settings.Settings, fresh, copied *Frame) {
	t.Helper()
	cf, err := compile(s, fresh)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := compile(s, copied)
	if err != nil {
		t.Fatal(err)
	}
	for a := 0; a < fresh.Len(); a++ {
		if fresh.ID(a) != copied.ID(a) {
			t.Fatalf("row %d: %s copied, %s added", a, copied.ID(a), fresh.ID(a))
		}
		for ci := range fresh.cols {
			name := fresh.cols[ci].spec.Name
			if fv, cv := fresh.Value(name, a), copied.Value(name, a); fv != cv {
				t.Errorf("row %d %s: %q copied, %q added", a, name, cv, fv)
			}
			if fv, cv := fresh.confidence(ci, a), copied.confidence(ci, a); fv != cv {
				t.Errorf("row %d %s: confidence %v copied, %v added", a, name, cv, fv)
			}
			if fv, cv := fresh.tf(ci, a), copied.tf(ci, a); fv != cv {
				t.Errorf("row %d %s: term frequency %v copied, %v added", a, name, cv, fv)
			}
		}
		for b := a + 1; b < fresh.Len(); b++ {
			for k := range cf.comps {
				if gf, gc := cf.gamma(fresh, k, int32(a), int32(b)), cc.gamma(copied, k, int32(a), int32(b)); gf != gc {
					t.Fatalf("rows %d, %d comparison %d: level %d copied, %d added", a, b, k, gc, gf)
				}
			}
		}
	}
}

// TestCopyRowsAsCopy builds a frame from another's rows twice — by Copy
// row by row, and by CopyRows in runs between records added afresh (as
// the registry builds a recluster unit: rows it holds copied, others
// read from its store) — into frames that held rows already and into
// empty ones, and checks the two frames are the same, field for field
// (values, their tables and counts, confidences, term frequencies, the
// copier's translations), and that a row repeated in a run copies the
// rows before it and is an error, as Copy is.
func TestCopyRowsAsCopy(t *testing.T) {
	s, err := settings.Parse([]byte(strings.Replace(toySettings, "{name: first, transforms: [lower]}", "{name: first, transforms: [lower], confidence: first}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(600, 11)
	conf := func(i int) ConfidenceGetter {
		if i%5 != 0 {
			return nil
		}
		return func(k string) (float32, bool) { return float32(i%7) / 7, k == "first" }
	}
	add := func(f *Frame, i int) {
		r := rows[i]
		if err := f.Add(ids[i], 0, func(k string) string { return r[k] }, conf(i)); err != nil {
			t.Fatal(err)
		}
	}
	src := NewFrame(s)
	for i := range rows[:500] {
		add(src, i)
	}
	for _, held := range []int{0, 20} {
		pick := rand.New(rand.NewSource(int64(13 + held))).Perm(len(rows))
		one, runs := NewFrame(s), NewFrame(s)
		for _, i := range pick[:held] { // rows the frames hold already
			add(one, i)
			add(runs, i)
		}
		rcOne, err := NewRowCopier(one, src)
		if err != nil {
			t.Fatal(err)
		}
		rcRuns, err := NewRowCopier(runs, src)
		if err != nil {
			t.Fatal(err)
		}
		var run []int
		flush := func() {
			if err := rcRuns.CopyRows(run); err != nil {
				t.Fatal(err)
			}
			run = run[:0]
		}
		for k, i := range pick[held:] {
			if i >= 500 || k%9 == 4 { // not in src, or read afresh
				add(one, i)
				flush()
				add(runs, i)
				continue
			}
			if err := rcOne.Copy(i); err != nil {
				t.Fatal(err)
			}
			run = append(run, i)
			if k%37 == 0 && k > 0 { // the source grows between runs
				flush()
			}
		}
		flush()
		if one.Len() == 0 || one.Len() != runs.Len() {
			t.Fatalf("held %d: %d rows by Copy, %d by CopyRows", held, one.Len(), runs.Len())
		}
		sameFrames(t, one, runs)
		if !reflect.DeepEqual(rcOne.xl, rcRuns.xl) || !reflect.DeepEqual(rcOne.own, rcRuns.own) {
			t.Errorf("held %d: the copiers' translations differ", held)
		}
		// A run into an empty frame whose first confidence comes with
		// its fourth row (the rows before it get none).
		byOne, byRun := NewFrame(s), NewFrame(s)
		rcOne, _ = NewRowCopier(byOne, src)
		rcRuns, _ = NewRowCopier(byRun, src)
		for _, i := range []int{1, 2, 3, 5, 6} {
			if err := rcOne.Copy(i); err != nil {
				t.Fatal(err)
			}
		}
		if err := rcRuns.CopyRows([]int{1, 2, 3, 5, 6}); err != nil {
			t.Fatal(err)
		}
		sameFrames(t, byOne, byRun)
		// A run holding a record the frame holds: the rows before it
		// are copied, then the error.
		fresh := NewFrame(s)
		rc, err := NewRowCopier(fresh, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.CopyRows([]int{3, 4, 3, 5}); err == nil {
			t.Errorf("held %d: a row repeated in a run was accepted", held)
		}
		if fresh.Len() != 2 || fresh.ID(0) != src.ID(3) || fresh.ID(1) != src.ID(4) {
			t.Errorf("held %d: a run with a repeated row left %d rows", held, fresh.Len())
		}
	}
}

// sameFrames checks that two frames hold the same, field for field: ids,
// sources, and each column's values, tables, counts, confidences and term
// frequencies (their lookup tables' contents, not their addresses).
func sameFrames(t *testing.T, a, b *Frame) {
	t.Helper()
	if !reflect.DeepEqual(a.ids, b.ids) || !slices.Equal(a.src, b.src) {
		t.Error("the frames' ids or sources differ")
	}
	if x, y := a.idx.Load(), b.idx.Load(); (x == nil) != (y == nil) || x != nil && (!slices.Equal(x.slots, y.slots) || !slices.Equal(x.lo, y.lo) || x.n != y.n) {
		t.Error("the frames' id tables differ")
	}
	for ci := range a.cols {
		ca, cb := a.cols[ci], b.cols[ci]
		ca.local, cb.local = nil, nil // built on first use, by address
		if !reflect.DeepEqual(ca, cb) {
			t.Errorf("column %s differs", ca.spec.Name)
		}
	}
}
