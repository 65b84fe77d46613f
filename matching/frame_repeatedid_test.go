package matching

import (
	"errors"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestFrameRepeatedIDError: a repeated record id (with a mapping, an
// identification number or a name) is not in the error's message, which
// any caller may print; the error carries it, for errors.As, and is
// ErrRepeatedID for errors.Is — from Add and from AddBatch alike.
func TestFrameRepeatedIDError(t *testing.T) {
	s := &settings.Settings{Columns: []settings.ColumnSpec{{Name: "name", From: "name", Transforms: []string{"fold"}}}}
	get := func(field string) string { return "Nguyễn Văn An" }
	const id = "001078001234"
	f := NewFrame(s)
	if err := f.Add(id, 0, get, nil); err != nil {
		t.Fatal(err)
	}
	check := func(how string, err error) {
		t.Helper()
		var rep *RepeatedIDError
		switch {
		case err == nil:
			t.Fatalf("%s: a repeated id was not refused", how)
		case strings.Contains(err.Error(), id):
			t.Errorf("%s: %q carries the id in its message", how, err)
		case !errors.Is(err, ErrRepeatedID):
			t.Errorf("%s: %v is not ErrRepeatedID", how, err)
		case !errors.As(err, &rep) || rep.ID != id:
			t.Errorf("%s: %v does not carry the id %s", how, err, id)
		}
	}
	check("Add", f.Add(id, 0, get, nil))
	b := f.NewBatch()
	b.Add("r1", 0, get, nil)
	b.Add(id, 0, get, nil)
	added, err := f.AddBatch(b)
	if added != 1 {
		t.Errorf("AddBatch added %d records before the repeated id, want 1", added)
	}
	check("AddBatch", err)
}
