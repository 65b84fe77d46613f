package matching

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestTransformDocExamples: each transform's example in dancu settings
// doc ("IN" → "OUT", or "T on "IN" → "OUT"" for a parameterised one)
// is what the engine makes of IN — the soundex note's accented names too.
func TestTransformDocExamples(t *testing.T) {
	doc := settings.Doc()
	for _, name := range settings.Transforms() {
		i := strings.Index(doc, "| `"+name+"` |")
		if i < 0 {
			t.Errorf("transform %s not in the guide's table", name)
			continue
		}
		line := doc[i : i+strings.Index(doc[i:], "\n")]
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "\x00"), "|")
		ex := strings.ReplaceAll(strings.Trim(strings.TrimSpace(cells[len(cells)-2]), "`"), "\x00", "|")
		tr := name
		if k := strings.Index(ex, ` on "`); k >= 0 {
			tr, ex = ex[:k], ex[k+len(" on "):]
		}
		in, out, ok := strings.Cut(ex, " → ")
		if !ok {
			t.Errorf("transform %s: example %q is not IN → OUT", name, ex)
			continue
		}
		in, out = strings.Trim(in, `"`), strings.Trim(out, `"`)
		if got := applyTransforms(in, []string{tr}); got != out {
			t.Errorf("transform %s on %q: %q, the guide says %q", tr, in, got, out)
		}
	}
	for _, c := range []struct{ in, ts, want string }{
		{"Ümit", "soundex", "M300"}, {"Ümit", "fold soundex", "U530"},
		{"Weiß", "fold soundex", "W000"}, {"Weiss", "fold soundex", "W200"},
	} {
		if got := applyTransforms(c.in, strings.Fields(c.ts)); got != c.want {
			t.Errorf("%s on %q: %q, the guide's soundex note says %q", c.ts, c.in, got, c.want)
		}
	}
}
