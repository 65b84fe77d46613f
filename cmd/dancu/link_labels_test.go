package main

import (
	"strconv"
	"testing"
)

// TestLabelsPresized checks that the labels are sized once for the
// records expected when labelsPresizeAt are held, and read back as added
// (a label equal to its id is kept as "").
func TestLabelsPresized(t *testing.T) {
	const expect = 3 * labelsPresizeAt
	o := &linkOptions{expect: expect}
	o.labelled(nil)
	for i := range expect {
		id := "r" + strconv.Itoa(i)
		label := "BG" + strconv.Itoa(i)
		if i%5 == 0 {
			label = id
		}
		if err := o.addLabel(id, label); err != nil {
			t.Fatal(err)
		}
		if i+1 == labelsPresizeAt && o.labels.Cap() < expect {
			t.Fatalf("after %d labels, room for %d, want %d", i+1, o.labels.Cap(), expect)
		}
	}
	for i := range expect {
		want := "BG" + strconv.Itoa(i)
		if i%5 == 0 {
			want = ""
		}
		if got := o.labels.At(i); got != want {
			t.Fatalf("label %d = %q, want %q", i, got, want)
		}
	}
}
