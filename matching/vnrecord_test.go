package matching

import (
	"strings"
	"testing"
)

// TestDerivedSlots checks that every vn.* field the adapter declares, and
// every one the embedded settings read, has its slot in the adapter's
// array (a field without one would read as missing on every record).
func TestDerivedSlots(t *testing.T) {
	for f := range derivedInputs {
		if derivedSlot(f) < 0 {
			t.Errorf("derived field %s has no slot", f)
		}
	}
	for _, name := range []string{"vietnamese"} {
		s, err := DefaultSettings(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.withDefaults().Columns {
			if strings.HasPrefix(c.From, "vn.") && derivedSlot(c.From) < 0 {
				t.Errorf("settings %s: column %s reads %s, which the adapter does not make", name, c.Name, c.From)
			}
		}
	}
	if derivedSlot("full_name") != -1 || derivedSlot("vn.nope") != -2 {
		t.Errorf("derivedSlot: canonical column %d, unknown vn field %d", derivedSlot("full_name"), derivedSlot("vn.nope"))
	}
}
