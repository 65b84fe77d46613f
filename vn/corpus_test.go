package vn

import (
	"bufio"
	"io/fs"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// unicodeCorpus returns every name in names/* and every unit name in the
// administrative tables: real Unicode Vietnamese from official sources.
func unicodeCorpus(t testing.TB) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, f := range []string{"names/surnames.csv", "names/middle_names.csv", "names/given_names.csv"} {
		tab, err := refdata.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range tab.Rows {
			add(r[0])
		}
	}
	for _, f := range []string{"names/duyet_boy_given_names.txt", "names/duyet_girl_given_names.txt"} {
		fh, err := refdata.FS().Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			add(sc.Text())
		}
		fh.Close()
	}
	tables, err := fs.Glob(refdata.FS(), "*.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tables {
		if !strings.HasPrefix(f, "admin_") && !strings.HasPrefix(f, "province_") && !strings.HasPrefix(f, "id_") {
			continue
		}
		tab, err := refdata.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range tab.Header {
			if !strings.Contains(h, "name") {
				continue
			}
			for _, r := range tab.Rows {
				if i < len(r) {
					add(r[i])
				}
			}
		}
	}
	if len(out) < 1000 {
		t.Fatalf("corpus has only %d strings", len(out))
	}
	return out
}

// encodeTCVN3 is the inverse of DecodeTCVN3 for text the normal (not "H")
// font can hold; ok is false for text it cannot (upper-case letters with
// tones).
func encodeTCVN3(s string) (string, bool) {
	t := loadLegacy()
	var b strings.Builder
	for _, r := range s {
		if l, ok := t.tcvnFrom[r]; ok {
			b.WriteRune(l)
			continue
		}
		if r >= 0x80 {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// encodeVNI is the inverse of DecodeVNI.
func encodeVNI(s string) (string, bool) {
	t := loadLegacy()
	var b strings.Builder
	for _, r := range s {
		if l, ok := t.vniFrom[r]; ok {
			b.WriteString(l)
			continue
		}
		if r >= 0x80 {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}
