package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanWrongJSONTypes checks that a value of the wrong JSON type in a
// form (as an OCR vendor writes one) is taken as text where it can be —
// an ID written as a number is then checked, and dropped with a note,
// as any malformed ID is — and otherwise rejects the form naming the
// field and the kind of value, not encoding/json's Go types.
func TestScanWrongJSONTypes(t *testing.T) {
	name := `"full_name":{"text":"Lê Văn An","confidence":0.9}`
	lines := []string{
		`{"form_id":"DC01-1","fields":{` + name + `,"id_number":{"text":1.0e11,"confidence":0.9}}}`,
		`{"form_id":"DC01-2","fields":{` + name + `,"id_number":{"text":1090012345,"confidence":0.9}}}`,
		`{"form_id":3,"fields":{` + name + `,"sex":"NAM"}}`,
		`{"form_id":"DC01-4","fields":{` + name + `,"sex":{"text":"NAM","confidence":"0.9"}}}`,
		`{"form_id":"DC01-5","fields":{` + name + `,"sex":{"text":{"v":"NAM"}}}}`,
		`{"form_id":"DC01-6","fields":{` + name + `,"sex":[1]}}`,
		`{"form_id":"DC01-7","fields":"Lê Văn An"}`,
		`{"form_id":["DC01-8"],"fields":{` + name + `}}`,
	}
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != len(lines) {
		t.Fatalf("%d items from %d lines", len(items), len(lines))
	}
	for i := 0; i < 3; i++ {
		if it := items[i]; it.Record == nil {
			t.Errorf("line %d rejected: %+v", i+1, it.Reject)
		}
	}
	if r := items[0].Record; r != nil && (r.IDNumber != "" || len(items[0].Notes) != 1 || items[0].Notes[0].Field != FieldIDNumber) {
		t.Errorf("line 1: id %q, notes %+v; want the ID 1e11 dropped with a note", r.IDNumber, items[0].Notes)
	}
	// As in a spreadsheet's number cell, the leading zeros lost are put back.
	if r := items[1].Record; r != nil && r.IDNumber != "001090012345" {
		t.Errorf("line 2: id %q, want 001090012345", r.IDNumber)
	}
	if r := items[2].Record; r != nil && (r.FormID != "3" || r.Sex == "") {
		t.Errorf("line 3: form id %q, sex %q; want 3 and the bare text", r.FormID, r.Sex)
	}
	want := []struct{ column, reason string }{
		{"sex", "confidence of field sex is text, not a number"},
		{"sex", "text of field sex is an object, not text"},
		{"sex", "field sex is a list, not an object of text and confidence"},
		{"fields", "fields is text, not an object of fields"},
		{"form_id", "form_id is a list, not text"},
	}
	for i, w := range want {
		it := items[3+i]
		if it.Reject == nil || it.Reject.Column != w.column || it.Reject.Reason != w.reason || it.Reject.Row != uint32(4+i) {
			t.Errorf("line %d: %+v, want rejected at column %s: %s", 4+i, it.Reject, w.column, w.reason)
		}
	}
}

// TestScanBrokenLines checks the rejects of lines that are not a form: a
// form split over two lines and a cut-off last line are named as such,
// and the rejected value hides the names and ID numbers the line holds.
func TestScanBrokenLines(t *testing.T) {
	form := `{"form_id":"DC01-1","fields":{"id_number":{"text":"001090012345"},"full_name":{"text":"NGUYỄN VĂN AN"},"birth_date":{"text":"1985"}}}`
	k := strings.Index(form, `"full_name"`)
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	data := "\ufeff" + form[:k] + "\r\n" + form[k:] + "\r\n" + form + "\r\n" + form[:len(form)-5]
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != 4 || items[2].Record == nil {
		t.Fatalf("items %+v; want 4, the third accepted", items)
	}
	for _, i := range []int{0, 1, 3} {
		r := items[i].Reject
		if r == nil {
			t.Fatalf("line %d accepted", i+1)
		}
		if !strings.Contains(r.Reason, "split over two lines") {
			t.Errorf("line %d: reason %q does not say what may have happened", i+1, r.Reason)
		}
		if strings.Contains(r.Value, "NGUYỄN VĂN AN") || strings.Contains(r.Value, "001090012345") {
			t.Errorf("line %d: value %q shows a full name or ID", i+1, r.Value)
		}
	}
	if r := items[3].Reject; r != nil && !strings.Contains(r.Reason, "cut-off") {
		t.Errorf("last line: reason %q, want a cut-off line named", r.Reason)
	}
}

// TestScanJSONList checks that a batch written as one JSON list (not
// JSON lines) fails naming the file and what is expected, instead of
// one reject per line of the list.
func TestScanJSONList(t *testing.T) {
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(p, []byte("\ufeff[\n  {\"form_id\": \"DC01-1\",\n   \"fields\": {}}\n]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "batch.jsonl") || !strings.Contains(err.Error(), "one form (a JSON object) per line") {
		t.Fatalf("open of a JSON list: %v", err)
	}
}

// TestScanNotUTF8 checks that a form whose text is in legacy bytes (TCVN3
// here) is rejected naming the byte, not accepted with its Vietnamese
// letters dropped ("Nguyn Vn An").
func TestScanNotUTF8(t *testing.T) {
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	line := "{\"form_id\":\"DC01-1\",\"fields\":{\"full_name\":{\"text\":\"Nguy\xd3n V\xa8n An\",\"confidence\":0.9}}}\n"
	if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	items, _ := openAll(t, p, Options{})
	if len(items) != 1 || items[0].Reject == nil {
		t.Fatalf("items %+v, want one reject", items)
	}
	at := fmt.Sprintf("byte %d ", strings.IndexByte(line, 0xd3)+1)
	if r := items[0].Reject.Reason; !strings.Contains(r, at) || !strings.Contains(r, "not UTF-8") {
		t.Errorf("reason %q, want %snamed as not UTF-8", r, at)
	}
}
