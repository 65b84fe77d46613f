package main

import (
	"bytes"
	"context"
	"fmt"
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
	dropped, kept, ok = strings.Cut(kept, "values kept, read another way")
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

// TestLinkMasksRecordIDs: with a mapping, dancu link's record id is a
// column as given — here identification numbers, then names — and its
// prints (a date column's unread values, a repeated id's error) mask it.
func TestLinkMasksRecordIDs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "benchmarks", "public", "febrl", "dataset1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[:121]
	dir := t.TempDir()
	mapping := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(mapping, []byte("id: rec_id\nsettings: febrl\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		id   func(i int, f []string) string
		full *regexp.Regexp // an id in full
	}{
		{"numbers", func(i int, _ []string) string { return fmt.Sprintf("0010900%05d", i) }, regexp.MustCompile(`0010900\d{5}`)},
		{"names", func(i int, f []string) string { return "Nguyễn Văn " + f[2] + fmt.Sprint(i) }, regexp.MustCompile(`Văn`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := []string{lines[0]}
			for i, l := range lines[1:] {
				f := strings.Split(l, ", ")
				f[0] = c.id(i, f)
				if i < 3 {
					f[9] = "19901332" // date_of_birth: month 13, unread
				}
				out = append(out, strings.Join(f, ", "))
			}
			in := filepath.Join(dir, c.name+".csv")
			link := func() (string, error) {
				var so, se bytes.Buffer
				err := run(context.Background(), []string{"link", "--mapping", mapping, "--in", in, "--out", filepath.Join(dir, "c.csv")}, nil, &so, &se)
				return so.String() + se.String(), err
			}
			if err := os.WriteFile(in, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := link()
			if err != nil {
				t.Fatalf("link: %v\n%s", err, s)
			}
			if !strings.Contains(s, "could not be read as dates (first in record ") || c.full.MatchString(s) {
				t.Errorf("link prints a record id in full, or no unread dates:\n%s", s)
			}
			// The last row's id again.
			if err := os.WriteFile(in, []byte(strings.Join(append(out, out[1]), "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err = link()
			if err == nil || !strings.Contains(err.Error(), "line 122") || !strings.Contains(err.Error(), "repeated") || c.full.MatchString(err.Error()+s) {
				t.Errorf("a repeated id: %v, want an error naming line 122 and the id masked\n%s", err, s)
			}
		})
	}
}
