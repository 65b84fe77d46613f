package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestNormalizeAddress runs `dancu normalize address` end to end: one JSON
// object per input line, in order, with the public field names.
func TestNormalizeAddress(t *testing.T) {
	in := "123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM\n\nThôn Đông, Xã Hồng Vân, TP Hà Nội\r\n"
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"normalize", "address", "--as-of", "2024-03-01"}, strings.NewReader(in), &out, &errb); err != nil {
		t.Fatalf("normalize address: %v (stderr %s)", err, errb.String())
	}
	var rows []map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rows = append(rows, m)
	}
	if len(rows) != 3 {
		t.Fatalf("%d output lines for 3 input lines", len(rows))
	}
	for _, k := range []string{"input", "province", "district", "commune", "new_province", "new_commune", "street", "hamlet", "confidence", "candidates"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("field %q missing from %v", k, rows[0])
		}
	}
	if c := rows[0]["commune"].(map[string]any); c["code"] != "27307" || c["name"] != "Phường 2" {
		t.Errorf("commune %v, want 27307 Phường 2", c)
	}
	if rows[2]["input"] != "Thôn Đông, Xã Hồng Vân, TP Hà Nội" || rows[2]["hamlet"] != "Thôn Đông" {
		t.Errorf("third line %v", rows[2])
	}
}

func TestEvalAddresses(t *testing.T) {
	var out bytes.Buffer
	err := evalAddresses(&globals{}, []string{filepath.Join("..", "..", "testdata", "addresses", "handwritten.csv")}, &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"province", "district", "commune", "new_commune", "strict", "lenient", "dated from 2025-07-01"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if err := evalAddresses(&globals{}, []string{"no/such/file.csv"}, &out); err == nil {
		t.Error("missing file gave no error")
	}
}
