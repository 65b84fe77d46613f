package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// TestRecordIDUnchanged checks RecordID against the definition it has
// always had (sha256 of file hash, NUL, sheet, NUL, row in decimal; "r"
// and the first 12 bytes in hex): record ids are stored and published,
// and must never change — with sheet names longer than its stack buffer
// and rows of any size.
func TestRecordIDUnchanged(t *testing.T) {
	ref := func(fileHash, sheet string, row int) string {
		h := sha256.New()
		h.Write([]byte(fileHash))
		h.Write([]byte{0})
		h.Write([]byte(sheet))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(row)))
		return "r" + hex.EncodeToString(h.Sum(nil)[:12])
	}
	hash := strings.Repeat("9f", 32)
	for _, c := range []struct {
		hash, sheet string
		row         int
	}{
		{hash, "Danh sách", 2},
		{hash, "", 0},
		{"", "Sheet1", 1_000_000},
		{hash, strings.Repeat("Danh sách hộ ", 40), 17},
		{hash, "x", -3},
	} {
		if got, want := RecordID(c.hash, c.sheet, c.row), ref(c.hash, c.sheet, c.row); got != want {
			t.Errorf("RecordID(%q, %q, %d) = %s, want %s", c.hash, c.sheet, c.row, got, want)
		}
	}
}

func BenchmarkRecordID(b *testing.B) {
	b.ReportAllocs()
	hash := strings.Repeat("9f", 32)
	for i := 0; b.Loop(); i++ {
		RecordID(hash, "Danh sách", i)
	}
}
