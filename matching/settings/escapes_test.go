package settings

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBlockingEscapes: the documented example leaves no one or two
// fields that escape every rule; the round-1 held-out German settings
// (every rule keys on a name) do, and the warning says so.
func TestBlockingEscapes(t *testing.T) {
	doc := Doc()
	start := strings.Index(doc, "```yaml\n") + len("```yaml\n")
	end := start + strings.Index(doc[start:], "```")
	s, err := Parse([]byte(doc[start:end]))
	if err != nil {
		t.Fatalf("the documented example does not parse: %v", err)
	}
	if w := BlockingEscapes(s); len(w) != 0 {
		t.Errorf("the documented example's blocking: %v", w)
	}
	h, err := Load(filepath.Join("..", "..", "testdata", "benchmarks", "heldout", "german.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	w := BlockingEscapes(h)
	if len(w) != 1 || !strings.Contains(w[0], "last_name and first_name") {
		t.Errorf("held-out German settings: %v, want first and last name named", w)
	}
	// A birthday key on a date from parts reads its month and day fields
	// only: with the names rule, no one or two fields escape both.
	bd := *h
	bd.Blocking = []BlockingRule{{Name: "names", Keys: []string{"first_sx", "last_sx"}}, {Name: "birthday", Keys: []string{"dob.monthday", "zip"}}}
	if w := BlockingEscapes(&bd); len(w) != 1 || strings.Contains(w[0], "birth_year") || !strings.Contains(w[0], "birth_month") {
		t.Errorf("names and birthday rules: %v, want pairs with birth_month, none with birth_year", w)
	}
	s.Blocking = s.Blocking[:1]
	if w := BlockingEscapes(s); len(w) != 2 || !strings.Contains(w[0], "every rule keys on first_name") {
		t.Errorf("one rule on both names: %v, want first_name and last_name named alone", w)
	}
}
