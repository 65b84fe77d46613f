package matching

import (
	"context"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestModelFitNamesAFewPlaces: a model trained on records from many
// postcodes, used on records from three, weighs a shared postcode as if
// it were rare; ModelFit names that level, and nothing on the records the
// model was trained on.
func TestModelFitNamesAFewPlaces(t *testing.T) {
	s, err := settings.Parse([]byte(`
version: 1
name: fit
link_type: dedupe_only
columns:
` + blankColumns + `  - {name: born, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: plz, kind: code, from: zip}
blocking:
  - {name: ln_born, keys: [ln, born]}
  - {name: fn_plz, keys: [fn, plz]}
comparisons:
` + blankComparisons))
	if err != nil {
		t.Fatal(err)
	}
	frame := func(tb *Table) *Frame {
		f := NewFrame(s)
		if err := AddTable(f, tb, &Mapping{ID: "id"}, 0); err != nil {
			t.Fatal(err)
		}
		return f
	}
	// A postcode per person, from 2,000 (germanDedupe's cities are few).
	places := func(n int) *Table {
		tb := germanDedupe(4000, 0.1, 5)
		for _, row := range tb.Rows {
			c, _ := strconv.Atoi(row[8])
			row[7] = strconv.Itoa(10000 + c*7919%n)
		}
		return tb
	}
	f := frame(places(2000))
	m, _, err := Train(context.Background(), f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	trained := *s
	trained.Model = m
	mis, err := ModelFit(f, &trained)
	if err != nil {
		t.Fatal(err)
	}
	if len(mis) != 0 {
		t.Errorf("on its own training records, the model misfits %v", mis)
	}
	mis, err = ModelFit(frame(places(3)), &trained)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range mis {
		t.Log(x)
		if x.Comparison == "plz" && x.Level == "exact" {
			found = x.Share > 0.3 && x.Supported < x.Weight-3
		} else {
			t.Errorf("named a level the postcodes do not explain: %v", x)
		}
	}
	if !found {
		t.Errorf("records from three postcodes: plz exact not named as misfit (%v)", mis)
	}
}
