package schemas

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// tableColumns extracts "name type" pairs of CREATE TABLE name from the migrations.
func tableColumns(t *testing.T, table string) []Column {
	t.Helper()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)CREATE TABLE IF NOT EXISTS ` + table + `\s*\((.*)\)\s*ENGINE`)
	// Columns later migrations add (materialised ones excepted: the
	// engine computes them, no Go field writes them).
	add := regexp.MustCompile(`(?m)^\s*(?:ALTER TABLE ` + table + `\s+)?ADD COLUMN IF NOT EXISTS (\w+) (\S+)(.*?),?$`)
	var cols []Column
	found := false
	for _, m := range ms {
		for _, st := range m.Statements {
			if g := re.FindStringSubmatch(st); g != nil && !found {
				found = true
				for _, line := range strings.Split(g[1], "\n") {
					line = strings.TrimSuffix(strings.TrimSpace(line), ",")
					if line == "" {
						continue
					}
					name, typ, _ := strings.Cut(line, " ")
					cols = append(cols, Column{name, typ})
				}
				continue
			}
			if found && (strings.HasPrefix(st, "ALTER TABLE "+table+"\n") || strings.HasPrefix(st, "ALTER TABLE "+table+" ")) {
				for _, g := range add.FindAllStringSubmatch(st, -1) {
					if !strings.Contains(g[3], "MATERIALIZED") {
						cols = append(cols, Column{g[1], g[2]})
					}
				}
			}
		}
	}
	if !found {
		t.Fatalf("no CREATE TABLE %s in migrations", table)
	}
	return cols
}

func TestRecordInStep(t *testing.T) {
	ddl := tableColumns(t, "records")
	tags := Tags(Record{})
	if len(ddl) != len(RecordColumns) || len(tags) != len(RecordColumns) {
		t.Fatalf("records: %d DDL columns, %d Go fields, %d RecordColumns", len(ddl), len(tags), len(RecordColumns))
	}
	for i, c := range RecordColumns {
		if ddl[i] != c {
			t.Errorf("column %d: DDL %v, RecordColumns %v", i, ddl[i], c)
		}
		if tags[i] != c.Name {
			t.Errorf("column %d: Go tag %q, RecordColumns %q", i, tags[i], c.Name)
		}
	}
}

func TestOtherTablesInStep(t *testing.T) {
	for table, v := range map[string]any{"persons": Person{}, "links": Link{}, "conflicts": Conflict{}, "rejects": Reject{}} {
		ddl := tableColumns(t, table)
		tags := Tags(v)
		if len(ddl) != len(tags) {
			t.Fatalf("%s: %d DDL columns, %d Go fields", table, len(ddl), len(tags))
		}
		for i := range tags {
			if ddl[i].Name != tags[i] {
				t.Errorf("%s column %d: DDL %q, Go %q", table, i, ddl[i].Name, tags[i])
			}
		}
	}
}

func TestRecordIDDeterministic(t *testing.T) {
	a := RecordID("abc", "Thôn 1", 7)
	if a != RecordID("abc", "Thôn 1", 7) {
		t.Fatal("same input, different id")
	}
	for _, b := range []string{RecordID("abd", "Thôn 1", 7), RecordID("abc", "Thôn 2", 7), RecordID("abc", "Thôn 1", 8)} {
		if a == b {
			t.Fatalf("different rows share id %s", a)
		}
	}
}

// The desk reads and writes decisions by column name (SELECT *, its
// columns in another order than Decision's fields): every column a
// field, every field a column, the groups of migration 0020 included.
func TestDecisionsInStep(t *testing.T) {
	var ddl []string
	for _, c := range tableColumns(t, "decisions") {
		ddl = append(ddl, c.Name)
	}
	tags := Tags(Decision{})
	slices.Sort(ddl)
	slices.Sort(tags)
	if !slices.Equal(ddl, tags) || !slices.Contains(tags, "groups") {
		t.Errorf("decisions: DDL columns %v, Go fields %v", ddl, tags)
	}
}

func TestCheckGroups(t *testing.T) {
	recs := []string{"r1", "r2", "r3"}
	for _, c := range []struct {
		groups [][]string
		want   string // in the refusal; "" accepted
	}{
		{[][]string{{"r1", "r3"}, {"r2"}}, ""},
		{[][]string{{"r1"}, {"r2"}, {"r3"}}, ""},
		{nil, "two groups or more"},
		{[][]string{{"r1", "r2", "r3"}}, "two groups or more"},
		{[][]string{{"r1", "r2"}, {}, {"r3"}}, "group 2 is empty"},
		{[][]string{{"r1", "r2"}, {"r4"}}, `"r4" is not one`},
		{[][]string{{"r1", "r2"}, {"r2", "r3"}}, `"r2" is in more than one group`},
		{[][]string{{"r1"}, {"r2"}}, "in no group: r3"},
	} {
		got := CheckGroups(recs, c.groups)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("CheckGroups(%v) = %q, want %q", c.groups, got, c.want)
		}
	}
}
