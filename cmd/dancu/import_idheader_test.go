package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDryRunShowsAnIDColumnReadByCells: user24's english.csv —
// a column headed "ID" of 12-digit identification numbers — is shown by
// --dry-run as the identification number, with the note saying why and
// how to say otherwise, and its rows carry the number, masked; a father's
// name that is a number is listed among the fields dropped.
func TestImportDryRunShowsAnIDColumnReadByCells(t *testing.T) {
	p := filepath.Join(t.TempDir(), "english.csv")
	body := "Name,DOB,Gender,ID,Father\nNguyen Van An,01/02/1980,Nam,001080012345,079190001234\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--kafka", "127.0.0.1:1", "import", "--dry-run", p}, nil, &out, &errb); err != nil {
		t.Fatalf("import --dry-run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		`note: column D ("ID"): its cells are 12-digit identification numbers, read as the identification number, not as the source's record id (a mapping's "source_record_id: D" says otherwise)`,
		"D  ID      → id_any",
		`"id_number":"0010******45"`,
		"father_name: looks like an identification number, not a name",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, leak := range []string{"001080012345", "079190001234", "source_record_id\":"} {
		if strings.Contains(got, leak) {
			t.Errorf("output shows %q:\n%s", leak, got)
		}
	}
}
