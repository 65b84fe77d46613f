package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// TestMask: what identifies a person never leaves mask in full; dates and
// short codes, which identify no one alone, do.
func TestMask(t *testing.T) {
	for _, c := range []struct {
		comparison, in, want string
	}{
		{"email", "lucas.p37@gallagher.info", "l***@g***.info"},
		{"name", "lucas.p37@gallagher.info", "l***@g***.info"},
		{"email", "jjones@turner.biz", "j***@t***.biz"},
		{"name", "lucas.p37", "l********"},
		{"address", "12 Hàng Bạc", "1* H*** B**"},
		{"id", "001090012345", "0010******45"},
		{"phone", "0912345678", "0912****78"},
		{"dob", "1990-05-12", "1990-05-12"},
		{"name", "05-12", "05-12"},
		{"name", "1990", "1990"},
		{"name", "R163", "R163"},
		{"postcode", "10115", "10115"},
		{"sex", "F", "F"},
		{"city", "Hanoi", "Hanoi"},
		{"full_name", "Nguyễn Văn An", "Nguyễn V. A."},
		{"last", "Jones Smith", "Jones S."},
		{"first", "Anna Maria", "A. M."},
		{"given_name", "An", "A."},
		{"surname", "Weiß Müller", "Weiß M."},
		{"name", "", ""},
	} {
		if got := mask(c.comparison, c.in); got != c.want {
			t.Errorf("mask(%q, %q) = %q, want %q", c.comparison, c.in, got, c.want)
		}
	}
}

// TestPrintBlockingMasks: --analyse-blocking's largest blocks show no
// e-mail address or long number in full unless unmasked.
func TestPrintBlockingMasks(t *testing.T) {
	st := &matching.BlockingStats{Rules: []matching.RuleStats{{
		Name: "email", Pairs: 21, Blocks: 1,
		Largest: []matching.BlockSize{{Key: "lucas.p37@gallagher.info", Records: 7}, {Key: "R163 | 001090012345", Records: 3}},
	}}}
	var masked, full bytes.Buffer
	printBlocking(&masked, st, nil, false)
	printBlocking(&full, st, nil, true)
	for _, leak := range []string{"lucas", "gallagher", "001090012345"} {
		if strings.Contains(masked.String(), leak) {
			t.Errorf("masked output shows %q:\n%s", leak, masked.String())
		}
		if !strings.Contains(full.String(), leak) {
			t.Errorf("--unmasked output lacks %q:\n%s", leak, full.String())
		}
	}
	if !strings.Contains(masked.String(), "[R*** | 0010******45]=3") {
		t.Errorf("masked output:\n%s", masked.String())
	}
}

// TestExplainWithoutModelSaysWhichSettings: explain on the default
// settings, which carry no model, names --settings and the pipeline's model
// beside --train (user23: it said "run dancu train, or give --train", and a
// data team asking why the pipeline linked two records could not tell that
// the pipeline's model was a file to give).
func TestExplainWithoutModelSaysWhichSettings(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "list.csv")
	content := []byte("Họ và tên,Ngày sinh\nNguyễn Văn An,13/02/1990\nNguyễn Văn An,13/02/1990\n")
	if err := os.WriteFile(in, content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	ids := []string{schemas.RecordID(hex.EncodeToString(sum[:]), "", 2), schemas.RecordID(hex.EncodeToString(sum[:]), "", 3)}
	var out bytes.Buffer
	err := run(context.Background(), []string{"explain", "--in", in, "--a", ids[0], "--b", ids[1]}, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "--settings") || !strings.Contains(err.Error(), "trained.yaml") || !strings.Contains(err.Error(), "--train") {
		t.Errorf("explain without a model: %v, want it to name --settings, the pipeline's trained.yaml and --train", err)
	}
}
