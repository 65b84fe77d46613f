package settings

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestDocCurrent checks that matching/SETTINGS.md is what dancu settings
// doc prints, and that every documented example level parses.
func TestDocCurrent(t *testing.T) {
	b, err := os.ReadFile("../SETTINGS.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Doc() {
		t.Error("SETTINGS.md is stale: go run ./cmd/dancu settings doc > matching/SETTINGS.md")
	}
	for _, o := range opDocs {
		var l Level
		if err := yaml.Unmarshal([]byte(o.Example), &l); err != nil || l.Op != o.Op {
			t.Errorf("example of %s does not parse: %v", o.Op, err)
		}
		if !isOp(o.Op) {
			t.Errorf("documented op %s is refused", o.Op)
		}
	}
	if isOp("jaro") {
		t.Error("an undocumented op is accepted")
	}
	for _, tr := range Transforms() {
		name := strings.Replace(strings.Replace(tr, "N", "3", 1), "PATTERN", "x", 1)
		if err := checkTransform(name); err != nil {
			t.Errorf("documented transform %s: %v", tr, err)
		}
	}
	for _, bad := range []string{"first:N", "first:0", "regex:(", "regex:(a)(b)", "upper"} {
		if checkTransform(bad) == nil {
			t.Errorf("transform %q accepted", bad)
		}
	}
}

// TestEmbedded checks that every embedded settings file parses and that
// an unknown name says which ones there are.
func TestEmbedded(t *testing.T) {
	ns := names()
	if len(ns) < 2 {
		t.Fatalf("embedded settings: %v, want febrl and fake_1000", ns)
	}
	for _, name := range ns {
		s, err := Default(name)
		if err != nil {
			t.Errorf("embedded %s: %v", name, err)
			continue
		}
		if s.Version != Version || s.LinkType == "" {
			t.Errorf("embedded %s: defaults not applied: version %d, link type %q", name, s.Version, s.LinkType)
		}
	}
	if _, err := Default("nope"); err == nil || !strings.Contains(err.Error(), "febrl") {
		t.Errorf("unknown settings: %v, want the names embedded", err)
	}
}

// TestDocExamplesParse: every settings example in the guide parses, with
// the values its comments describe, and so do the column and blocking
// rule examples written inline.
func TestDocExamplesParse(t *testing.T) {
	doc := Doc()
	var blocks []*Settings
	for rest := doc; ; {
		i := strings.Index(rest, "```yaml\n")
		if i < 0 {
			break
		}
		rest = rest[i+len("```yaml\n"):]
		end := strings.Index(rest, "```")
		if strings.HasPrefix(rest, "version:") {
			s, err := Parse([]byte(rest[:end]))
			if err != nil {
				t.Errorf("settings example %q… does not parse: %v", rest[:40], err)
				continue
			}
			blocks = append(blocks, s)
		}
		rest = rest[end:]
	}
	if len(blocks) != 2 {
		t.Fatalf("%d settings examples, want the first one and More options", len(blocks))
	}
	more := blocks[1]
	if c := more.Columns[0]; c.Kind != "date" || c.DateFormat != "dmy" || c.Pivot != 30 {
		t.Errorf("More options: one-column date %+v", c)
	}
	if r := more.Blocking[2]; r.MaxBlock != 500 || r.Window != 20 || len(r.SortBy) != 1 || r.SortBy[0] != "given" {
		t.Errorf("More options: sorted-neighbourhood rule %+v", r)
	}
	tr := more.Training
	if len(tr.Rules) != 2 || len(tr.Deterministic) != 1 || tr.Deterministic[0].Keys[0] != "number" || tr.Recall != 0.6 || tr.MaxIterations != 50 || tr.URandomPairs != 1000000 {
		t.Errorf("More options: training %+v", tr)
	}
	if more.LinkType != LinkOnly {
		t.Errorf("More options: link type %q", more.LinkType)
	}
	for _, ex := range []struct {
		start string
		into  any
	}{
		{"`{name: dob, kind: date, date_format: ymd}`", &ColumnSpec{}},
		{"`{name: last_year, keys: [last_sx, dob.year], max_block: 500", &BlockingRule{}},
	} {
		i := strings.Index(doc, ex.start)
		if i < 0 {
			t.Errorf("inline example %s not in the guide", ex.start)
			continue
		}
		text := doc[i+1:]
		text = text[:strings.Index(text, "`")]
		if err := yaml.Unmarshal([]byte(text), ex.into); err != nil {
			t.Errorf("inline example %s: %v", text, err)
		}
	}
}
