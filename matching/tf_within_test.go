package matching

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// tfWithinSettings compares a first name with its term frequency, counted
// within the record's place when within is set.
const tfWithinSettings = `
version: 1
name: tfwithin
columns:
  - {name: first, transforms: [lower]%s}
  - {name: place, kind: code, from: city}
blocking:
  - {name: first, keys: [first]}
comparisons:
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
`

// TestTFWithinLocality: a name common in its place but rare in the file
// weighs by its place's frequency, the pair's own two records left out;
// a name no other record of the place carries, a place too small to tell
// a frequency below the level's u, a pair without a place, and a place
// whose count the file's frequency explains (2 others where it expects
// 1.6: its own share, 2/198, is larger) keep the file's frequency; so
// does a model with frozen frequencies.
func TestTFWithinLocality(t *testing.T) {
	var rows []map[string]string
	add := func(n int, city, first string) {
		for i := range n {
			name := first
			if name == "" {
				name = fmt.Sprintf("%s%d", city, i) // a name of its own
			}
			rows = append(rows, map[string]string{"first": name, "city": city})
		}
	}
	add(20, "village", "giang") // rows 0-19
	add(20, "village", "")
	add(2, "town", "rare") // rows 40, 41
	add(2, "town", "giang")
	add(956, "town", "")
	add(3, "hamlet", "giang") // rows 1000-1002: 5 records, 2 others
	add(2, "hamlet", "")
	add(2, "", "giang")   // rows 1005, 1006: no place
	add(4, "city", "mai") // rows 1007-1010: two others, as the file's rate expects
	add(196, "city", "")
	add(6, "town", "mai")
	const u = 0.05 // 1/u = 20 other records tell a frequency below u
	model := &settings.Model{Lambda: 0.01, Comparisons: []settings.ComparisonModel{{Name: "first", M: []float64{0.9, 0.1}, U: []float64{u, 1 - u}}}}
	adjOf := func(within string, frozen map[string]map[string]float64) func(a, b int32) float64 {
		s, err := settings.Parse([]byte(fmt.Sprintf(tfWithinSettings, within)))
		if err != nil {
			t.Fatal(err)
		}
		m := *model
		m.TermFrequencies, m.TermFloor = frozen, 1/float64(len(rows))
		s.Model = &m
		f, c, ws := scoredFrame(t, s, rows)
		return func(a, b int32) float64 {
			_, adj := ws.weight(c, f, 0, 1, a, b)
			return adj
		}
	}
	file, local := adjOf("", nil), adjOf(", tf_within: place", nil)
	n := float64(len(rows))
	frozen := adjOf(", tf_within: place", map[string]map[string]float64{"first": {"giang": 27 / n}})
	want := func(tf float64) float64 { return math.Log2(u / tf) }
	for _, tc := range []struct {
		name      string
		a, b      int32
		file, loc float64 // term frequencies
	}{
		{"common in the village", 0, 1, 27 / n, 18.0 / 38},
		{"rare in the town, only the pair", 40, 41, 2 / n, 2 / n},
		{"the village's name twice in the town", 42, 43, 27 / n, 27 / n},
		{"a hamlet too small to tell", 1000, 1001, 27 / n, 27 / n},
		{"no place", 1005, 1006, 27 / n, 27 / n},
		{"one in the village, one in the town", 0, 42, 27 / n, 19.0 / 39},
		{"as common in the city as in the file", 1007, 1008, 10 / n, 10 / n},
	} {
		if got := file(tc.a, tc.b); math.Abs(got-want(tc.file)) > 1e-12 {
			t.Errorf("%s: file's adjustment %v, want %v", tc.name, got, want(tc.file))
		}
		if got := local(tc.a, tc.b); math.Abs(got-want(tc.loc)) > 1e-12 {
			t.Errorf("%s: adjustment within the place %v, want %v", tc.name, got, want(tc.loc))
		}
	}
	// Frozen frequencies: the frame's localities are not counted.
	if got := frozen(0, 1); math.Abs(got-want(27/n)) > 1e-12 {
		t.Errorf("frozen frequencies, common in the village: adjustment %v, want the frozen file's %v", got, want(27/n))
	}
}

// scoredFrame returns a frame of rows (ids "0", "1", …) under s, which
// carries a model, with its compiled settings and weights.
func scoredFrame(t *testing.T, s *settings.Settings, rows []map[string]string) (*Frame, *compiled, *weights) {
	t.Helper()
	f := NewFrame(s)
	for i, r := range rows {
		if err := f.Add(fmt.Sprint(i), 0, func(k string) string { return r[k] }, nil); err != nil {
			t.Fatal(err)
		}
	}
	c, err := compile(s, f)
	if err != nil {
		t.Fatal(err)
	}
	return f, c, newWeights(c, s.Model, s.Training.Prior)
}

// TestTFWithinValidate: tf_within names another code column.
func TestTFWithinValidate(t *testing.T) {
	for _, within := range []string{"nowhere", "first", "city_text"} {
		y := strings.Replace(fmt.Sprintf(tfWithinSettings, ", tf_within: "+within), "columns:\n", "columns:\n  - {name: city_text, from: city}\n", 1)
		if _, err := settings.Parse([]byte(y)); err == nil || !strings.Contains(err.Error(), "tf_within") {
			t.Errorf("tf_within: %s: error %v, want one naming tf_within", within, err)
		}
	}
}
