package ingest

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

// TestColumnTextMemo checks that remembered texts equal the texts cleaned
// afresh, in every encoding, and that a column of values that do not
// repeat stops remembering.
func TestColumnTextMemo(t *testing.T) {
	c := &columns{field: []string{FieldEthnicity, FieldFullName, FieldPermAddress},
		enc: []vn.Encoding{vn.Unicode, vn.Unicode, vn.TCVN3}}
	repeated := []string{"Kinh", "  Tày ", "Mường\u00a0", "Kho\u0301ng", "Ê Đê", ""}
	legacy := []string{"Hµ Néi", "Thanh Ho¸", "Hµ  Néi "}
	for round := 0; round < 3; round++ {
		for _, raw := range repeated {
			if got, want := c.text(0, raw), cleanText(decodeText(raw, vn.Unicode)); got != want {
				t.Fatalf("round %d: text(%q) = %q, want %q", round, raw, got, want)
			}
		}
		for _, raw := range legacy {
			if got, want := c.text(2, raw), cleanText(decodeText(raw, vn.TCVN3)); got != want {
				t.Fatalf("round %d: legacy text(%q) = %q, want %q", round, raw, got, want)
			}
		}
	}
	if c.memo[0].hits == 0 || c.memo[0].off {
		t.Fatalf("repeated column: %d hits, off %v", c.memo[0].hits, c.memo[0].off)
	}
	// (with two spaces, so that each takes the path that cleans: a clean
	// cell is returned as it is, without the memo)
	for i := 0; i < memoTrial+10; i++ {
		raw := fmt.Sprintf("Nguyễn  Văn %d", i)
		if got, want := c.text(1, raw), fmt.Sprintf("Nguyễn Văn %d", i); got != want {
			t.Fatalf("text(%q) = %q", raw, got)
		}
	}
	if !c.memo[1].off || c.memo[1].m != nil {
		t.Fatalf("column of distinct names still remembered (%d values)", len(c.memo[1].m))
	}
}
