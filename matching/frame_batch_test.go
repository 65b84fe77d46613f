package matching

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestAddBatchSame checks that records prepared in batches (Batch.Add)
// and added with AddBatch give the frame that Add gives one record at a
// time: the same ids, values, value ids and counts, confidences, unread
// dates — across the row where the frame sizes its tables (presizeAt),
// with batches of several sizes, prepared with Add or with AddSlotted,
// and that a repeated id stops the batch where Add would stop, with the
// records before it added.
func TestAddBatchSame(t *testing.T) {
	s := &settings.Settings{Columns: []settings.ColumnSpec{
		{Name: "id", Kind: "code", From: "id", Confidence: "id"},
		{Name: "name", From: "name", Transforms: []string{"fold"}},
		{Name: "sex", Kind: "code", From: "sex"},
		{Name: "dob", Kind: "date", From: "dob", Confidence: "dob"},
		{Name: "note", Kind: "code", From: "note"},
		{Name: "both", Kind: "code", Join: []string{"sex", "note"}},
	}}
	const n = 2*presizeAt + 333
	get := func(i int) Getter {
		return func(field string) string {
			switch field {
			case "id":
				return "0010" + strconv.Itoa(1_000_000+i%(n-7)) // a few repeat
			case "name":
				return "Nguyễn Văn " + strconv.Itoa(i/3)
			case "sex":
				return []string{"M", "F", ""}[i%3]
			case "dob":
				return []string{strconv.Itoa(1+i%28) + "/0" + strconv.Itoa(1+i%9) + "/19" + strconv.Itoa(50+i%50), "??", ""}[i%5%3]
			case "note":
				return []string{"không rõ", "N/A", " ", "x" + strconv.Itoa(i%3)}[i%4]
			}
			return ""
		}
	}
	conf := func(i int) ConfidenceGetter {
		if i < 100 {
			return nil // no confidences until row 100
		}
		return func(key string) (float32, bool) { return float32(i%7) / 7, key == "dob" || i%2 == 0 }
	}
	want := NewFrame(s)
	want.Grow(n)
	var wantErrs []string
	for i := range n {
		if err := want.Add("r"+strconv.Itoa(i%(n-5)), i%2, get(i), conf(i)); err != nil {
			wantErrs = append(wantErrs, err.Error())
		}
	}
	if len(wantErrs) == 0 {
		t.Fatal("the test data repeats no id")
	}
	// AddSlotted: id, name and dob read from an array, the rest through
	// the getter
	slot := func(field string) int {
		switch field {
		case "id":
			return 0
		case "name":
			return 1
		case "dob":
			return 2
		}
		return -1
	}
	for _, tc := range []struct {
		size    int
		slotted bool
		grow    bool // Grow for the batch's records after its first
	}{{1, false, false}, {7, false, false}, {512, false, false}, {n, false, false}, {7, true, false}, {n, true, false},
		{7, false, true}, {512, true, true}, {n, true, true}} {
		size := tc.size
		f := NewFrame(s)
		f.Grow(n)
		b := f.NewBatch()
		var errs []string
		for i := 0; i < n; {
			b.Reset()
			for ; i < n && b.Len() < size; i++ {
				if tc.grow && b.Len() == 1 {
					b.Grow(size - 1)
				}
				if g := get(i); tc.slotted {
					b.AddSlotted("r"+strconv.Itoa(i%(n-5)), i%2, slot, []string{g("id"), g("name"), g("dob")}, func(field string) string {
						if slot(field) >= 0 {
							return "not to be read"
						}
						return g(field)
					}, conf(i))
				} else {
					b.Add("r"+strconv.Itoa(i%(n-5)), i%2, g, conf(i))
				}
			}
			// Add keeps going after a repeated id: so does this, with
			// the rest of the batch.
			for k := 0; k < b.Len(); {
				added, err := f.AddBatch(b.slice(k))
				k += added
				if err != nil {
					errs = append(errs, err.Error())
					k++
				}
			}
		}
		if !reflect.DeepEqual(errs, wantErrs) {
			t.Errorf("batches of %d: errors %q, want %q", size, errs, wantErrs)
		}
		if !reflect.DeepEqual(f.ids, want.ids) || !reflect.DeepEqual(f.src, want.src) || !reflect.DeepEqual(f.idx.Load(), want.idx.Load()) {
			t.Fatalf("batches of %d: ids, sources or index differ", size)
		}
		for ci := range f.cols {
			c, w := &f.cols[ci], &want.cols[ci]
			name := c.spec.Name
			if !reflect.DeepEqual(c.vals, w.vals) || !reflect.DeepEqual(c.dict, w.dict) || !reflect.DeepEqual(c.counts, w.counts) || !reflect.DeepEqual(c.runes, w.runes) {
				t.Errorf("batches of %d: column %s's values differ", size, name)
			}
			if !reflect.DeepEqual(c.conf, w.conf) {
				t.Errorf("batches of %d: column %s's confidences differ", size, name)
			}
			if c.unread != w.unread || c.firstUnread != w.firstUnread {
				t.Errorf("batches of %d: column %s unread %d (%s), want %d (%s)", size, name, c.unread, c.firstUnread, w.unread, w.firstUnread)
			}
		}
		if f.cols[3].unread == 0 || f.cols[0].conf == nil || !strings.Contains(strings.Join(errs, ""), "repeated") {
			t.Errorf("batches of %d: the data should have unread dates, confidences and repeated ids", size)
		}
	}
	other := NewFrame(s)
	if _, err := other.AddBatch(want.NewBatch()); err == nil {
		t.Error("AddBatch took a batch prepared for another frame")
	}
}

// TestBatchGrow checks that a batch grown for n more records keeps those
// it holds and takes the n without making its columns' arrays again.
func TestBatchGrow(t *testing.T) {
	s := &settings.Settings{Columns: []settings.ColumnSpec{
		{Name: "name", From: "name", Transforms: []string{"fold"}},
		{Name: "sex", Kind: "code", From: "sex"},
	}}
	f := NewFrame(s)
	b := f.NewBatch()
	get := func(i int) Getter {
		return func(field string) string {
			if field == "name" {
				return "Trần Thị " + strconv.Itoa(i)
			}
			return []string{"M", "F"}[i%2]
		}
	}
	b.Add("r0", 0, get(0), nil)
	const n = 1000
	b.Grow(n)
	val, ids := &b.val[0], &b.ids[:1][0]
	for i := 1; i <= n; i++ {
		b.Add("r"+strconv.Itoa(i), 0, get(i), nil)
	}
	if &b.val[0] != val || &b.ids[0] != ids {
		t.Errorf("adding the %d records a batch was grown for made its arrays again (room %d)", n, b.room)
	}
	if got := b.vals(0)[0]; got != "tran thi 0" {
		t.Errorf("the first record's name after Grow: %q, want %q", got, "tran thi 0")
	}
	if _, err := f.AddBatch(b); err != nil || f.Len() != n+1 {
		t.Fatalf("AddBatch: %d records, %v; want %d", f.Len(), err, n+1)
	}
}

// slice returns the records of b from k on, as a new batch.
func (b *Batch) slice(k int) *Batch {
	c := b.f.NewBatch()
	for c.room < len(b.ids)-k {
		c.grow()
	}
	c.ids, c.idh, c.src = append(c.ids, b.ids[k:]...), append(c.idh, b.idh[k:]...), append(c.src, b.src[k:]...)
	for ci := range b.f.cols {
		copy(c.vals(ci), b.vals(ci)[k:])
		copy(c.hashes(ci), b.hashes(ci)[k:])
		copy(c.confs(ci), b.confs(ci)[k:])
	}
	return c
}
