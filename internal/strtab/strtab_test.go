package strtab

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestTable checks that the strings read back are those added, empty
// ones included, across growth and Clip, and that a string added is a
// copy: it does not alias the string it came from.
func TestTable(t *testing.T) {
	var tab Table
	line := "r1,Nguyễn Văn An,,BG0001"
	want := append(strings.Split(line, ","), "")
	for i := range 1000 {
		want = append(want, strconv.Itoa(i*7919))
	}
	tab.Grow(10, 4)
	for i, s := range want {
		if k, ok := tab.Add(s); !ok || k != i {
			t.Fatalf("Add(%q) = %d, %v, want %d", s, k, ok, i)
		}
	}
	tab.Clip()
	if tab.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(want))
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(line)))
	for i, s := range want {
		got := tab.At(i)
		if got != s {
			t.Fatalf("At(%d) = %q, want %q", i, got, s)
		}
		if p := uintptr(unsafe.Pointer(unsafe.StringData(got))); got != "" && p >= lo && p < lo+uintptr(len(line)) {
			t.Errorf("At(%d) aliases the line it was added from", i)
		}
		if b := tab.FirstByte(i); (s == "" && b != 0) || (s != "" && b != s[0]) {
			t.Errorf("FirstByte(%d) = %q, want the first of %q", i, b, s)
		}
	}
	if cap(tab.end) != len(tab.end) && cap(tab.end)-len(tab.end) > len(tab.end)/8 {
		t.Errorf("Clip left room for %d strings beside %d", cap(tab.end)-len(tab.end), len(tab.end))
	}
}
