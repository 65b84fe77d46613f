package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
)

// dancu link with the shipped model on lists where one number was copied
// onto 30 records: it says how many records carried a generic number and
// which, masked, never in full, and no record's output row gives it.
func TestLinkReportsGenericNumbersMasked(t *testing.T) {
	const number = "001190000045"
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 300, Seed: 5, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	name := "danhsach_20240501.csv"
	rows := readCSVFile(t, filepath.Join(dir, name))
	col := colOf(t, rows[0], "Số định danh cá nhân")
	n := 0
	for i := 1; i < len(rows) && n < 30; i += 5 {
		rows[i][col] = number
		n++
	}
	in := filepath.Join(t.TempDir(), name)
	fh, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := csv.NewWriter(fh).WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	out := filepath.Join(t.TempDir(), "clusters.csv")
	var so, se bytes.Buffer
	if err := run(context.Background(), []string{"link", "--settings", "../../matching/vietnamese/trained.yaml", "--in", in, "--out", out}, nil, &so, &se); err != nil {
		t.Fatalf("link: %v\n%s", err, se.String())
	}
	msg := so.String() + se.String()
	if !strings.Contains(msg, "generic values: 30 records carried one of 1 id values") || !strings.Contains(msg, "id 0011******45: 30 records") {
		t.Errorf("link's output does not report the number on 30 records, masked:\n%s", msg)
	}
	if strings.Contains(msg, number) {
		t.Errorf("link's messages give the generic number in full:\n%s", msg)
	}
	got := readCSVFile(t, out)
	idCol := colOf(t, got[0], "identification_number")
	for _, r := range got[1:] {
		if r[idCol] == number {
			t.Fatalf("a record's row gives the generic number as its identification number: %v", r)
		}
	}
}
