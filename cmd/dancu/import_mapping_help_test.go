package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/vn"
)

// The mapping file of dancu import --mapping was described only in a Go
// comment: its help shows one, and that example must parse as a mapping.
func TestImportHelpShowsAMappingThatParses(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "--help"}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	start := strings.Index(help, "\n  sheets:")
	if start < 0 {
		t.Fatalf("import --help shows no mapping file:\n%s", help)
	}
	var yaml []string
	for _, line := range strings.Split(help[start+1:], "\n") {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		yaml = append(yaml, line[2:])
	}
	m, err := ingest.ParseMapping(strings.NewReader(strings.Join(yaml, "\n")))
	if err != nil {
		t.Fatalf("the help's mapping does not parse: %v\n%s", err, strings.Join(yaml, "\n"))
	}
	if len(m.Columns) == 0 || len(m.HeaderRows) == 0 || m.DateOrder == "" {
		t.Errorf("the help's mapping lost keys in parsing: %+v", m)
	}
}

// A mapping with a key it does not know names the keys it has and where
// the example is, not only the Go type the YAML decoder fills.
func TestImportBadMappingNamesTheKeys(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "layout.yaml")
	if err := os.WriteFile(mapping, []byte("header_row: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(list, []byte("Họ và tên,Ngày sinh\nNguyễn Văn An,01/02/1990\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := dryRunImportError(t, "--mapping", mapping, list)
	for _, want := range []string{"header_rows", "dancu import --help"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// A list whose header is not found sends dancu import's user to where the
// mapping file is shown, not only to dancu link's guide.
func TestImportNoHeaderPointsAtTheMappingExample(t *testing.T) {
	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("a,b,c\n1,2,3\n4,5,6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := dryRunImportError(t, list)
	if !strings.Contains(err.Error(), "--mapping FILE") || !strings.Contains(err.Error(), "dancu import --help") {
		t.Errorf("error %q does not point at --mapping and dancu import --help", err)
	}
}

// dryRunImportError runs dancu import --dry-run with args (no broker: the
// errors tested come before any) and returns its error, which must be one.
func dryRunImportError(t *testing.T, args ...string) error {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"import", "--dry-run", "--kafka", "127.0.0.1:1"}, args...), strings.NewReader(""), &out, &out)
	if err == nil {
		t.Fatalf("dancu import --dry-run %v: no error", args)
	}
	return err
}

// import --help says which names are no name: each it lists is one for the
// reader (vn.NoName), and the name it says is a name is not (user23: the
// help said only "no name (or a name with no letters)", though NA and KR
// have been rejected since 6 December).
func TestImportHelpNamesTheNoNames(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "--help"}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	start := strings.Index(help, "only says none (")
	if start < 0 {
		t.Fatalf("import --help does not say a name that says none is rejected:\n%s", help)
	}
	list, _, _ := strings.Cut(help[start+len("only says none ("):], ")")
	nones, name, ok := strings.Cut(list, "; the given name ")
	if !ok {
		t.Fatalf("import --help names no name that is a name: %q", list)
	}
	for _, none := range strings.Split(strings.TrimSuffix(nones, " …"), ", ") {
		if !vn.NoName(none) {
			t.Errorf("import --help says %q is no name; vn.NoName reads it as a name", none)
		}
	}
	if given, _, _ := strings.Cut(name, " "); vn.NoName(given) {
		t.Errorf("import --help says %q is a name; vn.NoName reads it as none", given)
	}
}

// A mapping naming a header text the list does not have fails the import
// naming the mapping file, the field and the columns the header has
// (user24: the text was left unread without a word, the import a success).
func TestImportMappingTextNotInTheHeader(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "layout.yaml")
	if err := os.WriteFile(mapping, []byte("columns:\n  birth_date: Ngày tháng năm sinh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(list, []byte("Họ và tên,Ngày sinh\nNguyễn Văn An,01/02/1990\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := dryRunImportError(t, "--mapping", mapping, list)
	for _, want := range []string{"list.csv", "--mapping " + mapping, `birth_date: "Ngày tháng năm sinh"`, `B "Ngày sinh"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// Two columns exchanged (sexes under "Ngày sinh", dates under "Giới
// tính") pass as a list whose every date is impossible: the summary says
// of a field dropped from every accepted row that its column may be read
// wrong, and where to look (user24: it listed the dropped values only);
// a field dropped from some rows only is not warned of.
func TestImportWarnsOfAFieldDroppedFromEveryRow(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(list, []byte("STT,Họ và tên,Ngày sinh,Giới tính\n1,Nguyễn Văn An,Nam,01/02/1980\n2,Trần Thị Bình,Nữ,03/04/1985\n3,Lê Văn Cường,12/05/1990,Nam\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", "--kafka", "127.0.0.1:1", list}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "warning: birth_date was dropped from every accepted row") {
		t.Errorf("warned of birth_date, dropped from 2 rows of 3:\n%s", s)
	}
	if err := os.WriteFile(list, []byte("STT,Họ và tên,Ngày sinh,Giới tính\n1,Nguyễn Văn An,Nam,01/02/1980\n2,Trần Thị Bình,Nữ,03/04/1985\n3,Lê Văn Cường,Nam,12/05/1990\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"import", "--dry-run", "--kafka", "127.0.0.1:1", list}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	s = out.String()
	for _, want := range []string{`warning: birth_date was dropped from every accepted row: if column "Ngày sinh"`, `warning: sex was dropped from every accepted row: if column "Giới tính"`, "--mapping FILE"} {
		if !strings.Contains(s, want) {
			t.Errorf("the summary does not say %q:\n%s", want, s)
		}
	}
}
