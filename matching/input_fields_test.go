package matching

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestAddTableRefusesFieldsNotInHeader: a column reading a field the
// file's header lacks (a misspelt from) would be blank on every record;
// AddTable says which column, which field and what the header holds, and a
// rename in the mapping makes it read.
func TestAddTableRefusesFieldsNotInHeader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(p, []byte("unique_id,Vorname,surname\n1,Anna,Weiß\n2,Ana,Weiss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := settings.Parse([]byte(`
version: 1
name: people
columns:
  - {name: first, from: first_name, transforms: [fold]}
  - {name: last, from: surname, transforms: [fold]}
blocking:
  - {name: last, keys: [last]}
comparisons:
  - {name: first, null_columns: [first], levels: [{label: exact, op: exact, column: first}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ReadTable(p)
	if err != nil {
		t.Fatal(err)
	}
	err = AddTable(NewFrame(s), tb, &Mapping{ID: "unique_id"}, 0)
	for _, want := range []string{p, `column first reads "first_name"`, "unique_id, Vorname, surname", "rename"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	if err := tb.CheckFields(s, &Mapping{ID: "unique_id"}); err == nil || !strings.Contains(err.Error(), `settings "people"`) {
		t.Errorf("CheckFields: %v, want the settings named", err)
	}
	f := NewFrame(s)
	if err := AddTable(f, tb, &Mapping{ID: "unique_id", Rename: map[string]*FieldSource{"first_name": {Column: "Vorname"}}}, 0); err != nil {
		t.Fatal(err)
	}
	if got := f.Value("first", 0); got != "anna" {
		t.Errorf("first of record 1 through the rename: %q, want anna", got)
	}
}
