package matching

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/vn"
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

// TestCleanMissing checks that a column reads its missing values in any
// case (as strings.ToLower would), and keeps everything else.
func TestCleanMissing(t *testing.T) {
	c := column{missing: map[string]bool{}}
	for _, m := range DefaultMissing {
		m = strings.ToLower(strings.TrimSpace(m))
		c.missing[m] = true
		c.missingMax = max(c.missingMax, len(m))
	}
	for _, v := range []string{"N/A", " null ", "NONE", "Không Rõ", "KHÔNG CÓ", "-", "chưa rõ"} {
		if got := c.clean(v); got != "" {
			t.Errorf("clean(%q) = %q, want missing", v, got)
		}
	}
	for _, v := range []string{"Nguyễn", "NAM", "0010", "Không Rõ Ràng", "KHÔNGG", "a very long value that no missing value can be"} {
		if got := c.clean(v); got != strings.TrimSpace(v) {
			t.Errorf("clean(%q) = %q, want it kept", v, got)
		}
	}
}

// TestNameKeys checks that the keys cut from a name's key are the keys
// folded afresh, on every name the generator knows in several orders and
// on names that are hard to parse.
func TestNameKeys(t *testing.T) {
	names, err := synth.AllNames()
	if err != nil {
		t.Fatal(err)
	}
	more := []string{"", "Lan", "Thị Lan", "Nguyễn Thị  Lan", "  ĐẶNG  quốc anh tuấn ", "Tôn Nữ Thị Hoa", "Công Tằng Tôn Nữ Bảo Châu",
		"Nguyễn Phúc Vĩnh Lộc", "Nguye\u0303n Văn A", "O'Brien Lan", "H'Hen Niê", "Lê\u200bVăn Tám", "Văn", "X Æ A-12"}
	n := 0
	for i, a := range append(more, names...) {
		full := a
		if i >= len(more) && i+1 < len(more)+len(names) {
			full = a + " " + names[i-len(more)+1] // two names: more words
		}
		p := vn.ParseName(full)
		f, m, g := nameKeys(p)
		if f != vn.Fold(p.Family) || m != vn.Fold(p.Middle) || g != vn.Fold(p.Given) {
			t.Fatalf("nameKeys(%q) = %q %q %q, want %q %q %q", full, f, m, g, vn.Fold(p.Family), vn.Fold(p.Middle), vn.Fold(p.Given))
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d names checked", n)
	}
}
