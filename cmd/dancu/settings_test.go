package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestSettingsCheck: a good file is summarised; a bad one fails with the
// command's name, the file and every wrong field with its line.
func TestSettingsCheck(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"settings", "check", filepath.Join("..", "..", "matching", "settings", "febrl.yaml")}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `settings "febrl"`) {
		t.Errorf("summary: %q", out.String())
	}
	p := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "version: 1\nname: x\ncolumns:\n  - {name: a, transforms: [upper]}\nblocking: [{name: b, keys: [a]}]\n" +
		"comparisons:\n  - {name: a, null_columns: [a], levels: [{label: x, op: jaro, column: a}]}\n"
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"settings", "check", p}, nil, &out, &errOut)
	if err == nil {
		t.Fatal("a bad settings file passed the check")
	}
	for _, want := range []string{"settings check: ", p, `line 4: columns[0].transforms: unknown "upper"`, `line 7: comparisons[0].levels[0].op: unknown "jaro"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// docBlock returns the fenced ```yaml block of dancu settings doc whose
// text starts with prefix.
func docBlock(t *testing.T, prefix string) string {
	t.Helper()
	doc := settings.Doc()
	for rest := doc; ; {
		i := strings.Index(rest, "```yaml\n")
		if i < 0 {
			t.Fatalf("no yaml block starting %q in dancu settings doc", prefix)
		}
		rest = rest[i+len("```yaml\n"):]
		end := strings.Index(rest, "```")
		if strings.HasPrefix(rest, prefix) {
			return rest[:end]
		}
		rest = rest[end:]
	}
}

// TestDocMappingExample runs the guide's "Reading your CSV" steps on a
// small CSV: its mapping (record id column, settings beside it, a rename)
// with its first settings example reads the file, blocking is analysed,
// the model is trained and written, and link's clusters carry the file's
// own record ids. Without the rename the header lacks a field the
// settings read, and link says so.
func TestDocMappingExample(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mapping := docBlock(t, "# people_mapping.yaml")
	write("people.yaml", docBlock(t, "version: 1\nname: people"))
	mp := write("people_mapping.yaml", mapping)
	firsts := []string{"Anna", "Jürgen", "Maria", "Thomas", "Sabine", "Peter", "Ursula", "Klaus", "Monika", "Stefan", "Petra", "Andreas"}
	lasts := []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch"}
	cities := []string{"Berlin", "Hamburg", "Bonn", "Köln", "Essen", "Mainz", "Trier"}
	var b strings.Builder
	b.WriteString("person_ref,first_name,surname,birth_year,birth_month,birth_day,city,postcode\n")
	n := 0
	for i := 0; i < 200; i++ {
		f, l, c := firsts[i%len(firsts)], lasts[(i/len(firsts))%len(lasts)], cities[i%len(cities)]
		y, m, d := 1930+(i*17)%70, 1+(i*5)%12, 1+(i*11)%28
		pc := fmt.Sprintf("%05d", 10000+(i*7919)%89999)
		n++
		fmt.Fprintf(&b, "r%03d,%s,%s,%d,%d,%d,%s,%s\n", n, f, l, y, m, d, c, pc)
		if i%4 == 0 { // a duplicate with a typo in the surname
			n++
			fmt.Fprintf(&b, "r%03d,%s,%se,%d,%d,%d,%s,%s\n", n, f, l, y, m, d, c, pc)
		}
	}
	in := write("people.csv", b.String())
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"link", "--in", in, "--mapping", mp, "--analyse-blocking"}, nil, &out, &errOut); err != nil {
		t.Fatalf("link --analyse-blocking with the guide's mapping: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "last_city") || !strings.Contains(errOut.String()+out.String(), fmt.Sprintf("read %d records", n)) {
		t.Errorf("--analyse-blocking:\n%s\n%s", out.String(), errOut.String())
	}
	trained := filepath.Join(dir, "people_trained.yaml")
	if err := run(context.Background(), []string{"train", "--in", in, "--mapping", mp, "--out", trained}, nil, &out, &errOut); err != nil {
		t.Fatalf("train: %v\n%s", err, errOut.String())
	}
	clusters := filepath.Join(dir, "clusters.csv")
	if err := run(context.Background(), []string{"link", "--in", in, "--mapping", mp, "--settings", trained, "--out", clusters}, nil, &out, &errOut); err != nil {
		t.Fatalf("link: %v\n%s", err, errOut.String())
	}
	rows := readCSVFile(t, clusters)
	if len(rows) != n+1 {
		t.Fatalf("clusters: %d rows, want %d records", len(rows)-1, n)
	}
	id := colOf(t, rows[0], "record_id")
	for _, r := range rows[1:] {
		if len(r[id]) != 4 || r[id][0] != 'r' {
			t.Fatalf("record id %q is not the file's person_ref", r[id])
		}
	}
	bad := write("bad_mapping.yaml", strings.Replace(mapping, "last_name: surname", "last_name: family_name", 1))
	err := run(context.Background(), []string{"link", "--in", in, "--mapping", bad, "--out", clusters}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), `column last reads "family_name"`) {
		t.Errorf("a rename to a column the header lacks: %v, want the column and field named", err)
	}
}
