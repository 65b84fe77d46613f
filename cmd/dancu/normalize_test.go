package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runNormalize(t *testing.T, input string, args ...string) []map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"normalize"}, args...), strings.NewReader(input), &out, &errb); err != nil {
		t.Fatalf("dancu normalize %v: %v (stderr %s)", args, err, errb.String())
	}
	var rows []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		rows = append(rows, m)
	}
	return rows
}

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	// Sorted for a stable comparison.
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return strings.Join(ks, ",")
}

func TestNormalizeShapes(t *testing.T) {
	tests := []struct {
		cmd, input, keys string
		lines            int
	}{
		{"name", "Nguyễn Văn An\r\n\nTôn Nữ Thị Hoà\n", "family,given,input,key,middle,normalized,ocr_key", 3},
		{"id", "001090012345\nabc\n", "birth_year_suffix,century,error,input,kind,number,province_code,sex,valid", 2},
		{"date", "15/03/1990\n31/02/1990\n", "day,error,input,iso,month,precision,swapped,year", 2},
		{"sex", "Nữ\nx\n", "error,input,sex", 2},
	}
	for _, tt := range tests {
		rows := runNormalize(t, tt.input, tt.cmd)
		if len(rows) != tt.lines {
			t.Errorf("%s: %d output lines, want %d", tt.cmd, len(rows), tt.lines)
		}
		for _, r := range rows {
			if k := keysOf(r); k != tt.keys {
				t.Errorf("%s: keys %s, want %s", tt.cmd, k, tt.keys)
			}
		}
	}
	rows := runNormalize(t, "Tôn Nữ Thị Hoà\n", "name")
	if rows[0]["family"] != "Tôn Nữ" || rows[0]["given"] != "Hòa" {
		t.Errorf("name row = %v", rows[0])
	}
	rows = runNormalize(t, "NguyÔn V¨n An\nTrÇn ThÞ B×nh\n", "name", "--encoding", "auto")
	if rows[0]["normalized"] != "Nguyễn Văn An" || rows[1]["normalized"] != "Trần Thị Bình" {
		t.Errorf("auto-decoded names = %v", rows)
	}
	// Raw TCVN3 bytes, as a legacy program saved them (not UTF-8).
	rows = runNormalize(t, "Nguy\xd4n V\xa8n An\n", "name", "--encoding", "auto")
	if rows[0]["normalized"] != "Nguyễn Văn An" {
		t.Errorf("raw TCVN3 bytes decoded to %v", rows[0]["normalized"])
	}
	rows = runNormalize(t, "Nguy\xd4n V\xa8n An\n", "name", "--encoding", "tcvn3")
	if rows[0]["normalized"] != "Nguyễn Văn An" {
		t.Errorf("raw TCVN3 bytes with --encoding tcvn3 decoded to %v", rows[0]["normalized"])
	}
	// A newborn named by its mother is no name of its own, as ingest reads
	// it: the parts stay empty and the mother's name is given apart.
	rows = runNormalize(t, "Con bà Nguyễn Thị Lan\nCon ông Trần Văn Nam\n", "name")
	if rows[0]["family"] != "" || rows[0]["given"] != "" || rows[0]["parent"] != "mother" {
		t.Errorf("child of its mother = %v", rows[0])
	}
	if c, _ := rows[0]["child_of"].(map[string]any); c == nil || c["normalized"] != "Nguyễn Thị Lan" {
		t.Errorf("child_of = %v", rows[0]["child_of"])
	}
	if rows[1]["parent"] != "father" {
		t.Errorf("child of its father = %v", rows[1])
	}
	rows = runNormalize(t, "03/25/1990\n", "date")
	if rows[0]["iso"] != "1990-03-25" || rows[0]["swapped"] != true {
		t.Errorf("date row = %v", rows[0])
	}
}

func TestNormalizeBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"normalize", "name", "--encoding", "ebcdic"}, strings.NewReader("x\n"), &out, &errb); err == nil {
		t.Error("unknown encoding accepted")
	}
	if err := run(context.Background(), []string{"normalize", "address", "--as-of", "yesterday"}, strings.NewReader("x\n"), &out, &errb); err == nil {
		t.Error("bad --as-of accepted")
	}
}

func TestVersionFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--version"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dancu ", "commit ", "libchdb 26.5.3", "record schema v"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--version printed %q, want it to contain %q", out.String(), want)
		}
	}
}

func TestByteSizeFlag(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"3GiB", 3 << 30, false},
		{"512MiB", 512 << 20, false},
		{"2GB", 2_000_000_000, false},
		{"0", 0, false},
		{"1048576", 1 << 20, false},
		{"lots", 0, true},
	}
	for _, tt := range tests {
		var b byteSize
		err := b.Set(tt.in)
		if (err != nil) != tt.err || int64(b) != tt.want {
			t.Errorf("Set(%q) = %d, %v; want %d, error %v", tt.in, b, err, tt.want, tt.err)
		}
	}
}

func TestPlantedText(t *testing.T) {
	if got := plantedText(nil); got != "none" {
		t.Errorf("plantedText(nil) = %q, want none", got)
	}
	got := plantedText(map[string]int{"shared_id": 3, "two_ids": 1, "grey": 0})
	if want := "4 — 3 shared id, 1 two ids"; got != want {
		t.Errorf("plantedText = %q, want %q", got, want)
	}
}
