package matching

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

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
		if guess > n && f.cols[0].dict.Cap() < guess {
			t.Errorf("Grow(%d): the id column's values were not sized for it (capacity %d)", guess, f.cols[0].dict.Cap())
		}
		if f.Len() != plain.Len() {
			t.Fatalf("Grow(%d): %d records, want %d", guess, f.Len(), plain.Len())
		}
		for ci, c := range f.cols {
			p := &plain.cols[ci]
			if c.dict.len() != p.dict.len() {
				t.Errorf("Grow(%d): column %s has %d values, want %d", guess, c.spec.Name, c.dict.len(), p.dict.len())
			}
			for id := range min(len(c.counts), len(p.counts)) {
				if c.counts[id] != p.counts[id] {
					t.Errorf("Grow(%d): column %s value %q counted %d times, want %d", guess, c.spec.Name, c.dict.at(uint32(id)), c.counts[id], p.counts[id])
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
	dict := newStrTab()
	want := map[string]uint32{}
	tab := newInternTable(&dict, 0)
	for i := range 50_000 {
		v := strconv.Itoa(i % 30_011 * 7919)
		if i%5 == 0 {
			v = "Nguyễn " + v
		}
		id, added := tab.find(v, &dict)
		w, seen := want[v]
		switch {
		case seen && (added || id != w):
			t.Fatalf("%q: id %d (added %v), want %d", v, id, added, w)
		case !seen && (!added || id != uint32(dict.len())):
			t.Fatalf("%q: new value got id %d (added %v), want %d", v, id, added, dict.len())
		}
		if added {
			if got, ok := dict.add(v); !ok || got != id {
				t.Fatalf("%q: added as %d (%v), want %d", v, got, ok, id)
			}
			want[v] = id
		}
	}
	again := newInternTable(&dict, 10)
	for v, w := range want {
		if id, added := again.find(v, &dict); added || id != w {
			t.Fatalf("rebuilt: %q: id %d (added %v), want %d", v, id, added, w)
		}
		if got := dict.at(w); got != v {
			t.Fatalf("value %d = %q, want %q", w, got, v)
		}
	}
	if id, added := again.find("không có", &dict); !added || id != uint32(dict.len()) {
		t.Errorf("rebuilt: a new value got id %d (added %v)", id, added)
	}
}

// TestColumnTables checks what a column keeps of its values: a copy of
// each (not a slice of the line it was read from), the runes of a text
// value that is not ASCII, and an ASCII value's runes widened from its
// bytes when asked for, the same as []rune of the value.
func TestColumnTables(t *testing.T) {
	s := &settings.Settings{LinkType: "dedupe_only", Columns: []settings.ColumnSpec{
		{Name: "name", From: "name"}, {Name: "code", Kind: "code", From: "code"}}}
	f := NewFrame(s)
	line := "Nguyễn Văn An,hoa,NGUYEN VAN AN,x1"
	fields := strings.Split(line, ",")
	rows := [][2]string{{fields[0], fields[3]}, {fields[1], fields[3]}, {fields[2], "mã số"}}
	for i, r := range rows {
		get := func(field string) string {
			if field == "name" {
				return r[0]
			}
			return r[1]
		}
		if err := f.Add("r"+strconv.Itoa(i), 0, get, nil); err != nil {
			t.Fatal(err)
		}
	}
	lo, hi := uintptr(unsafe.Pointer(unsafe.StringData(line))), uintptr(unsafe.Pointer(unsafe.StringData(line)))+uintptr(len(line))
	for ci := range f.cols {
		c := &f.cols[ci]
		for v := 1; v < c.dict.len(); v++ {
			x := c.dict.at(uint32(v))
			if p := uintptr(unsafe.Pointer(unsafe.StringData(x))); p >= lo && p < hi {
				t.Errorf("column %s keeps %q as a slice of the line it was read from", c.spec.Name, x)
			}
			var buf [4]rune
			if got, want := c.runes.of(uint32(v), x, buf[:0]), []rune(x); !slices.Equal(got, want) {
				t.Errorf("column %s: runes of %q = %q, want %q", c.spec.Name, x, string(got), string(want))
			}
		}
	}
	name := &f.cols[f.byName["name"]]
	if got, want := len(name.runes.r), len([]rune(fields[0])); got != want {
		t.Errorf("the text column keeps %d runes, want %d (those of its one value that is not ASCII)", got, want)
	}
	if f.cols[f.byName["code"]].runes.end != nil {
		t.Error("a code column keeps runes")
	}
	if got := f.Value("name", 1); got != "hoa" {
		t.Errorf("name of row 1 = %q, want hoa", got)
	}
}

// TestValuesNarrow checks that a frame stores each column's values in
// the fewest bytes that hold them (1, 2 or 4), widened as larger ones
// come, and that it reads the same after Compact and after a record added
// past it (the record ids still found, their table dropped and rebuilt).
func TestValuesNarrow(t *testing.T) {
	s := &settings.Settings{LinkType: "dedupe_only", Columns: []settings.ColumnSpec{
		{Name: "sex", Kind: "code", From: "sex"},   // 2 values: 1 byte
		{Name: "town", Kind: "code", From: "town"}, // 300 values: 2 bytes
		{Name: "id", Kind: "code", From: "id"},     // 70,000 values: 4 bytes
		{Name: "dob", Kind: "date", From: "dob"},   // packed dates: 4 bytes
	}}
	const n = 70_000
	get := func(i int) Getter {
		return func(field string) string {
			switch field {
			case "sex":
				return []string{"Nam", "Nữ"}[i%2]
			case "town":
				return "t" + strconv.Itoa(i%300)
			case "id":
				return strconv.Itoa(i * 7)
			}
			return "1990-01-02"
		}
	}
	f := NewFrame(s)
	for i := range n {
		if err := f.Add("r"+strconv.Itoa(i), 0, get(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]string{}
	for _, c := range f.cols {
		for i := range n {
			want[c.spec.Name] = append(want[c.spec.Name], f.Value(c.spec.Name, i))
		}
	}
	f.Compact()
	for name, w := range map[string]int{"sex": 1, "town": 2, "id": 4, "dob": 4} {
		c := &f.cols[f.byName[name]]
		got := 4
		switch {
		case c.vals.w8 != nil:
			got = 1
		case c.vals.w16 != nil:
			got = 2
		}
		if got != w || c.vals.len() != n {
			t.Errorf("column %s: %d values of %d bytes, want %d of %d", name, c.vals.len(), got, n, w)
		}
	}
	check := func(when string, rows int) {
		for _, c := range f.cols {
			for i := range rows {
				if got := f.Value(c.spec.Name, i); got != want[c.spec.Name][i] {
					t.Fatalf("%s: column %s row %d = %q, want %q", when, c.spec.Name, i, got, want[c.spec.Name][i])
				}
			}
		}
		for _, i := range []int{0, 1, rows / 2, rows - 1} {
			if j, ok := f.Index("r" + strconv.Itoa(i)); !ok || j != i {
				t.Fatalf("%s: Index(r%d) = %d, %v", when, i, j, ok)
			}
		}
	}
	check("after Compact", n)
	if err := f.Add("r"+strconv.Itoa(n), 0, get(n), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Add("r0", 0, get(0), nil); err == nil {
		t.Error("a repeated id added after Compact was not refused")
	}
	for _, c := range f.cols {
		want[c.spec.Name] = append(want[c.spec.Name], get(n)(c.spec.Name))
	}
	check("after an Add past Compact", n+1)
}
