package matching

import (
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestFrameGrowSame checks that a frame told how many records to expect
// (Grow, which sizes the tables of the columns with mostly distinct
// values after presizeAt records) holds exactly what a frame grown step
// by step holds: the same values, ids and value counts — with a guess
// too low and one too high.
func TestFrameGrowSame(t *testing.T) {
	s := &settings.Settings{Columns: []settings.ColumnSpec{
		{Name: "id", Kind: "code", From: "id"},     // all distinct
		{Name: "name", From: "name"},               // half distinct
		{Name: "sex", Kind: "code", From: "sex"},   // two values
		{Name: "dob", Kind: "date", From: "dob"},   // a date
		{Name: "note", Kind: "code", From: "note"}, // mostly missing
	}}
	const n = 3*presizeAt + 17
	get := func(i int) Getter {
		return func(field string) string {
			switch field {
			case "id":
				return "0010" + strconv.Itoa(1_000_000+i)
			case "name":
				return "Nguyễn Văn " + strconv.Itoa(i/2)
			case "sex":
				return []string{"M", "F"}[i%2]
			case "dob":
				return strconv.Itoa(1+i%28) + "/0" + strconv.Itoa(1+i%9) + "/19" + strconv.Itoa(50+i%50)
			case "note":
				return []string{"không rõ", "N/A", " ", "x" + strconv.Itoa(i%3)}[i%4]
			}
			return ""
		}
	}
	plain := NewFrame(s)
	for i := range n {
		if err := plain.Add("r"+strconv.Itoa(i), 0, get(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, guess := range []int{n / 5, 4 * n} {
		f := NewFrame(s)
		f.Grow(guess)
		for i := range n {
			if err := f.Add("r"+strconv.Itoa(i), 0, get(i), nil); err != nil {
				t.Fatal(err)
			}
		}
		if guess > n && cap(f.cols[0].dict) < guess {
			t.Errorf("Grow(%d): the id column's values were not sized for it (capacity %d)", guess, cap(f.cols[0].dict))
		}
		if f.Len() != plain.Len() {
			t.Fatalf("Grow(%d): %d records, want %d", guess, f.Len(), plain.Len())
		}
		for ci, c := range f.cols {
			p := &plain.cols[ci]
			if len(c.dict) != len(p.dict) {
				t.Errorf("Grow(%d): column %s has %d values, want %d", guess, c.spec.Name, len(c.dict), len(p.dict))
			}
			for id := range min(len(c.counts), len(p.counts)) {
				if c.counts[id] != p.counts[id] {
					t.Errorf("Grow(%d): column %s value %q counted %d times, want %d", guess, c.spec.Name, c.dict[id], c.counts[id], p.counts[id])
					break
				}
			}
			for i := range n {
				if got, want := f.Value(c.spec.Name, i), plain.Value(c.spec.Name, i); got != want {
					t.Fatalf("Grow(%d): column %s row %d = %q, want %q", guess, c.spec.Name, i, got, want)
				}
			}
		}
		for i := range n {
			if j, ok := f.Index("r" + strconv.Itoa(i)); !ok || j != i {
				t.Fatalf("Grow(%d): Index(r%d) = %d, %v", guess, i, j, ok)
			}
		}
	}
	// the missing values read as missing, the others kept
	if got := plain.Value("note", 0); got != "" {
		t.Errorf("note of row 0 = %q, want missing", got)
	}
	if got := plain.Value("note", 3); got != "x0" {
		t.Errorf("note of row 3 = %q, want x0", got)
	}
}

// TestInternTable checks the value table against a map: the same id for
// a value seen before, a new id for a new one, across growth and a table
// rebuilt from the values (as after Compact).
func TestInternTable(t *testing.T) {
	dict := []string{""}
	want := map[string]uint32{}
	tab := newInternTable(dict, 0)
	for i := range 50_000 {
		v := strconv.Itoa(i % 30_011 * 7919)
		if i%5 == 0 {
			v = "Nguyễn " + v
		}
		id, added := tab.find(v, dict)
		w, seen := want[v]
		switch {
		case seen && (added || id != w):
			t.Fatalf("%q: id %d (added %v), want %d", v, id, added, w)
		case !seen && (!added || id != uint32(len(dict))):
			t.Fatalf("%q: new value got id %d (added %v), want %d", v, id, added, len(dict))
		}
		if added {
			dict = append(dict, v)
			want[v] = id
		}
	}
	again := newInternTable(dict, 10)
	for v, w := range want {
		if id, added := again.find(v, dict); added || id != w {
			t.Fatalf("rebuilt: %q: id %d (added %v), want %d", v, id, added, w)
		}
	}
	if id, added := again.find("không có", dict); !added || id != uint32(len(dict)) {
		t.Errorf("rebuilt: a new value got id %d (added %v)", id, added)
	}
}
