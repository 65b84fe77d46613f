package registry

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// awkward are strings encoding/json escapes in each of its ways.
var awkward = []string{"", "plain", "Nguyễn Văn An", `a"b\c`, "<&>", "tab\tnl\nret\rbs\bff\f", "\x00\x01\x1f\x7f",
	"bad \xff utf-8 \xe1\xba", "line\u2028para\u2029", "😀 đ Đ", "</script>"}

// fillAll sets every field of the struct v points to from i (strings
// from awkward), so that a field marshalLastOutput does not write makes
// the test fail.
func fillAll(v reflect.Value, i int) {
	for f := 0; f < v.NumField(); f++ {
		fv := v.Field(f)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(awkward[(i+f)%len(awkward)])
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fv.SetUint(uint64(i*7+f) % 60000)
		case reflect.Float64, reflect.Float32:
			fv.SetFloat([]float64{0, 1, 0.5, 0.9999999, 1e-7, 3.2e-12, 1e21, 123456789.125, -0.25, 5e-324}[(i+f)%10])
		case reflect.Slice:
			if i%3 != 0 {
				fv.Set(reflect.ValueOf(awkward[:i%len(awkward)]))
			}
		case reflect.Struct:
			if fv.Type() == reflect.TypeFor[time.Time]() {
				ts := []time.Time{{}, time.Date(2026, 12, 5, 21, 0, 0, 123456789, time.UTC),
					time.Date(2026, 12, 5, 21, 0, 0, 0, time.FixedZone("ICT", 7*3600)), time.Now()}
				fv.Set(reflect.ValueOf(ts[(i/4)%len(ts)]))
			}
		}
	}
}

// marshalLastOutput writes the bytes json.Marshal(lastOutputOf(out))
// writes: every field of every person and link, awkward strings, floats
// of both formats, several times (and the same one row after row), nil
// and empty lists, and the fields after the links.
func TestMarshalLastOutput(t *testing.T) {
	check := func(name string, out *Output) {
		t.Helper()
		got, err := marshalLastOutput(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := json.Marshal(lastOutputOf(out))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	check("empty", &Output{})
	check("empty lists", &Output{Persons: []schemas.Person{}, Links: []schemas.Link{}, Conflicts: []schemas.Conflict{}})
	var out Output
	for i := 0; i < 40; i++ {
		var p schemas.Person
		fillAll(reflect.ValueOf(&p).Elem(), i)
		out.Persons = append(out.Persons, p)
		var l schemas.Link
		fillAll(reflect.ValueOf(&l).Elem(), i)
		out.Links = append(out.Links, l)
	}
	check("persons and links", &out)
	var c schemas.Conflict
	fillAll(reflect.ValueOf(&c).Elem(), 5)
	var e schemas.PersonEvent
	fillAll(reflect.ValueOf(&e).Elem(), 6)
	var rd schemas.RecordDelta
	fillAll(reflect.ValueOf(&rd).Elem(), 7)
	var ps schemas.PersonDeltaSum
	fillAll(reflect.ValueOf(&ps).Elem(), 8)
	out.Conflicts, out.Events = []schemas.Conflict{c}, []schemas.PersonEvent{e}
	out.RecordDeltas, out.PersonDeltaSums = []schemas.RecordDelta{rd, rd}, []schemas.PersonDeltaSum{ps}
	check("every field", &out)

	// What encoding/json refuses is refused here too.
	bad := Output{Links: []schemas.Link{{MatchProbability: math.NaN()}}}
	if _, err := marshalLastOutput(&bad); err == nil {
		t.Error("a NaN probability written without an error")
	}
	bad = Output{Persons: []schemas.Person{{UpdatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, err := marshalLastOutput(&bad); err == nil || !strings.Contains(err.Error(), "MarshalJSON") {
		t.Errorf("a year 10000 written: %v", err)
	}
}

// BenchmarkMarshalLastOutput: a batch of 20,000 records' output (20,000
// links, 15,000 persons, one time) kept as encoding/json writes it and
// as marshalLastOutput does.
func BenchmarkMarshalLastOutput(b *testing.B) {
	now := time.Date(2026, 12, 5, 21, 0, 0, 0, time.UTC)
	var out Output
	for i := 0; i < 20000; i++ {
		id := "sheet_a.csv/" + strconv.Itoa(100000+i)
		pid := PersonID(id)
		out.Links = append(out.Links, schemas.Link{RecordID: id, PersonID: pid, MatchProbability: 1 - float64(i%97)/1e4, MatchRule: "fellegi-sunter", Version: 9, LinkedAt: now})
		if i%4 != 0 {
			out.Persons = append(out.Persons, schemas.Person{PersonID: pid, IDNumber: "0012030" + strconv.Itoa(10000+i), IDStatus: "valid",
				FullName: "Nguyễn Thị Minh Khai", BirthDate: "1987-03-1" + strconv.Itoa(i%10), BirthYear: 1987, Sex: "F", ProvinceCode: "01",
				NewProvinceCode: "01", CommuneCode: "00" + strconv.Itoa(100+i%900), NewCommuneCode: "00" + strconv.Itoa(100+i%900), RecordCount: 2, Version: 9, UpdatedAt: now})
		}
	}
	for _, c := range []struct {
		name string
		fn   func(*Output) ([]byte, error)
	}{
		{"encoding-json", func(o *Output) ([]byte, error) { return json.Marshal(lastOutputOf(o)) }},
		{"registry", marshalLastOutput},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.fn(&out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
