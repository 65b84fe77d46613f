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

// TestGrowHoldingOnlyEmpty checks that a table holding only empty
// strings (as a frame's column holds its empty value) makes room for n
// strings of the average given, and one holding text for n of its own
// average, whatever the average given.
func TestGrowHoldingOnlyEmpty(t *testing.T) {
	var tab Table
	tab.Add("")
	tab.Grow(100, 12)
	if cap(tab.b) < 1200 || cap(tab.end) < 101 {
		t.Errorf("room for %d bytes and %d strings, want 1200 and 101", cap(tab.b), cap(tab.end))
	}
	var full Table
	full.Add("")
	full.Add("abcd")
	full.Grow(100, 1000)
	if c := cap(full.b); c < 4+200 || c >= 1000*100 {
		t.Errorf("room for %d bytes after Grow(100, 1000) of a table averaging 2 bytes", c)
	}
}
