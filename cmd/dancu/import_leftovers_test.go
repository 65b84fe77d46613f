package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// formLine is a scanned form (JSON lines) with the given form id, date of
// birth and number.
func formLine(id, dob, number string) string {
	return `{"form_id":"` + id + `","scan_ref":"s","unit_code":"03826","collected_on":"2019-06-07","fields":{"full_name":{"text":"NGUYỄN THỊ PHƯƠNG QUYÊN","confidence":0.96},"birth_date":{"text":"` + dob + `","confidence":0.91},"id_number":{"text":"` + number + `","confidence":0.97}}}`
}

// TestImportScannedFormsSayLine: a scanned-form batch's rejects, warnings
// and dropped fields are placed by line, as the file is made of lines.
func TestImportScannedFormsSayLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "forms.jsonl")
	lines := []string{
		formLine("DC01-1", "17/5/1989", "014189027227"),
		formLine("DC01-1", "17/5/1989", "014189027227"), // the same form twice
		`{broken`,
		formLine("DC01-4", "17/5/1989", "01418902"), // a number dropped
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", "--rows", "0", p}, nil, &out, &errb); err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	for _, want := range []string{
		"rejected lines:\n      line 3 ",
		`warning: duplicate source id  line 2 column "form_id"`,
		"already used by line 1,",
		`line 4, column "id_number"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if m := regexp.MustCompile(`\brows? \d`).FindString(s); m != "" {
		t.Errorf("summary places a form by %q, not by line:\n%s", m, s)
	}
}

// TestImportExchangedDatesNotDropped: a date kept with day and month
// exchanged is listed under its own heading, not among the fields
// dropped, in the summary and in the dry run's rows.
func TestImportExchangedDatesNotDropped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ds.csv")
	csv := "STT,Họ và tên,Ngày sinh,Số CCCD\n" +
		"1,Nguyễn Văn An,15/03/1990,001090012345\n" +
		"2,Trần Thị Bình,03/25/1992,0011920\n" + // exchanged, and a number dropped
		"3,Lê Văn Cường,02/11/1985,001085012345\n"
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"import", "--dry-run", p}, nil, &out, &errb); err != nil {
		t.Fatalf("dry run: %v\n%s%s", err, out.String(), errb.String())
	}
	s := out.String()
	dropped, kept, ok := strings.Cut(s, "fields dropped from accepted rows:\n")
	if !ok {
		t.Fatalf("no dropped fields listed:\n%s", s)
	}
	dropped, kept, ok = strings.Cut(kept, "dates kept, read with day and month exchanged")
	kept, _, _ = strings.Cut(kept, "first rows")
	if !ok || !strings.Contains(dropped, "id_number") || strings.Contains(dropped, "exchanged") ||
		!strings.Contains(kept, `"03/25/1992"`) || strings.Contains(kept, "id_number") {
		t.Errorf("want the number under the dropped fields, the date under its own heading:\n%s", s)
	}
	if !regexp.MustCompile(`"kept":\["birth_date: day and month exchanged[^"]*"\]`).MatchString(s) ||
		regexp.MustCompile(`"dropped":\[[^\]]*exchanged`).MatchString(s) {
		t.Errorf("dry run's row 2 lists the exchanged date as dropped:\n%s", s)
	}
}
