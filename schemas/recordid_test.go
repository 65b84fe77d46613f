package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/cputime"
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

// TestRecordIDsAsRecordID checks a file's id maker against RecordID, with
// file hashes of one block (the readers' hex SHA-256) and of other sizes,
// sheets long and short, and rows of any size.
func TestRecordIDsAsRecordID(t *testing.T) {
	hashes := []string{"", "h", strings.Repeat("a", 63), strings.Repeat("b", 65), strings.Repeat("f", 128)}
	for i := range 5 {
		sum := sha256.Sum256([]byte{byte(i)})
		hashes = append(hashes, hex.EncodeToString(sum[:]))
	}
	for _, fh := range hashes {
		ids := NewRecordIDs(fh)
		if len(fh) == 64 && ids.state == nil {
			t.Fatalf("NewRecordIDs(%q) keeps no state", fh)
		}
		for _, sheet := range []string{"", "Sheet1", "Danh sách", strings.Repeat("x", 300)} {
			for _, row := range []int{0, 1, 2, 9, 10, 199534, 1 << 40, -3} {
				if got, want := ids.ID(sheet, row), RecordID(fh, sheet, row); got != want {
					t.Fatalf("NewRecordIDs(%q).ID(%q, %d) = %s, RecordID %s", fh, sheet, row, got, want)
				}
			}
		}
	}
}

// BenchmarkRecordIDs makes the ids of a file's rows, by RecordID and by
// the file's RecordIDs, in wall time and in the thread's CPU time
// (cpu-ns/op: what a shared machine's load moves less).
func BenchmarkRecordIDs(b *testing.B) {
	sum := sha256.Sum256([]byte("file"))
	fh := hex.EncodeToString(sum[:])
	ids := NewRecordIDs(fh)
	for _, bc := range []struct {
		name string
		id   func(row int) string
	}{
		{"RecordID", func(row int) string { return RecordID(fh, "", row) }},
		{"RecordIDs", func(row int) string { return ids.ID("", row) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, ok := cputime.Thread()
			n := 0
			for i := 0; b.Loop(); i++ {
				n += len(bc.id(i + 2))
			}
			if cpu1, _ := cputime.Thread(); ok && n > 0 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
