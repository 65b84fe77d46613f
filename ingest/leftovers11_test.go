package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGarbledNameSaysLineForScans: a full name over 120 characters is
// rejected as a garbled row; a scanned form is a line, as every other
// message about scanned forms says (RowWord), a CSV row a row.
func TestGarbledNameSaysLineForScans(t *testing.T) {
	long := strings.Repeat("Nguyễn Văn An ", 10)
	dir := t.TempDir()
	scan := filepath.Join(dir, "forms.jsonl")
	if err := os.WriteFile(scan, []byte(`{"form_id":"DC01-1","fields":{"full_name":{"text":"`+long+`","confidence":0.9}}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(csv, []byte("Họ và tên,Năm sinh\n"+long+",1970\nTrần Thị Thủy,1978\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{scan: "the line looks garbled", csv: "the row looks garbled"} {
		items, _ := openAll(t, path, Options{})
		var reasons []string
		for _, it := range items {
			if it.Reject != nil {
				reasons = append(reasons, it.Reject.Reason)
			}
		}
		if len(reasons) != 1 || !strings.HasSuffix(reasons[0], want) {
			t.Errorf("%s: rejects %q, want one ending %q", filepath.Base(path), reasons, want)
		}
	}
}
