package vn

import "testing"

// A CMND field that clerks could not leave blank is filled with a
// placeholder; read as a number it would give every such person "the same
// CMND" and one block of them all (issue 9: a block past a million
// members stops the registry's batches).
func TestCMNDPlaceholderNotValid(t *testing.T) {
	for _, s := range []string{"000000000", "999999999", "111 111 111", "CMND: 000000000"} {
		id := ParseID(s)
		if id.Valid || id.Kind != KindCMND || id.Error == "" {
			t.Errorf("ParseID(%q) = valid %v, kind %q, error %q; want an invalid CMND with a reason", s, id.Valid, id.Kind, id.Error)
		}
	}
	for _, s := range []string{"123456789", "012345678", "001000000", "272727272"} {
		if id := ParseID(s); !id.Valid || id.Kind != KindCMND {
			t.Errorf("ParseID(%q) = valid %v, kind %q, error %q; want a valid CMND", s, id.Valid, id.Kind, id.Error)
		}
	}
}
