package matching

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestTFWithNamesAnEarlierLevelWithTF: tf_with must name earlier levels
// of the comparison that carry tf, on a level that carries tf itself.
func TestTFWithNamesAnEarlierLevelWithTF(t *testing.T) {
	const levels = `      - {label: exact, op: exact, column: name, tf: name}
      - {label: folded, op: exact, column: key, tf: key, tf_with: [exact]}`
	tmpl := `
version: 1
name: tfwith
columns:
  - {name: name}
  - {name: key}
blocking:
  - {name: key, keys: [key]}
comparisons:
  - name: name
    null_columns: [name]
    levels:
LEVELS
`
	if _, err := settings.Parse([]byte(strings.Replace(tmpl, "LEVELS", levels, 1))); err != nil {
		t.Fatalf("tf_with on the folded level: %v", err)
	}
	for _, bad := range []struct{ levels, want string }{
		{strings.Replace(levels, "tf_with: [exact]", "tf_with: [exact2]", 1), "no earlier level"},
		{strings.Replace(levels, ", tf: key, tf_with", ", tf_with", 1), "needs tf"},
		{strings.Replace(levels, "column: name, tf: name}", "column: name}", 1), "has no tf"},
	} {
		_, err := settings.Parse([]byte(strings.Replace(tmpl, "LEVELS", bad.levels, 1)))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want one saying %q", bad.levels, err, bad.want)
		}
	}
}
