package vn_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

func TestChildOf(t *testing.T) {
	tests := []struct {
		cell, parent string
		who          vn.Parent
		ok           bool
	}{
		{"Con bà Nguyễn Thị Lan", "Nguyễn Thị Lan", vn.Mother, true},
		{"Con chị Lan", "Lan", vn.Mother, true},
		{"CON BA NGUYEN THI LAN", "NGUYEN THI LAN", vn.Mother, true},
		{"con bà: Lê Thị Hoa", "Lê Thị Hoa", vn.Mother, true},
		{"Con ông Trần Văn Nam", "Trần Văn Nam", vn.Father, true},
		{"Con anh Nam", "Nam", vn.Father, true},
		{"Con của Nguyễn Thị Lan", "Nguyễn Thị Lan", vn.Mother, true},
		{"Con của Trần Văn Nam", "Trần Văn Nam", vn.Father, true},
		{"Con của Trần Minh Nam", "Trần Minh Nam", vn.ParentUnknown, true},
		{"Con của bà Lê Thị Hoa", "Lê Thị Hoa", vn.Mother, true},
		{"Con trai bà Lê Thị Hoa", "Lê Thị Hoa", vn.Mother, true},
		{"Con gái ông Lê Văn Hòa", "Lê Văn Hòa", vn.Father, true},
		{"CB Nguyễn Thị Lan", "Nguyễn Thị Lan", vn.Mother, true},
		// The child's own name after a relation word, or a name.
		{"Con: Lê Văn An", "", 0, false},
		{"Con Lê Văn An", "", 0, false},
		{"Nguyễn Văn Con", "", 0, false},
		{"Cao Thị Bà", "", 0, false},
		{"Con bà", "", 0, false},
		{"CB", "", 0, false},
		{"CB Lan", "", 0, false},
		{"cb nguyễn thị lan", "", 0, false},
		{"Chu Văn An", "", 0, false},
	}
	for _, tt := range tests {
		p, who, ok := vn.ChildOf(tt.cell)
		if p != tt.parent || who != tt.who || ok != tt.ok {
			t.Errorf("ChildOf(%q) = %q, %d, %v; want %q, %d, %v", tt.cell, p, who, ok, tt.parent, tt.who, tt.ok)
		}
	}
}

func ExampleChildOf() {
	for _, cell := range []string{"Con bà Nguyễn Thị Lan", "Con ông Trần Văn Nam", "Con: Lê Văn An"} {
		parent, who, ok := vn.ChildOf(cell)
		fmt.Printf("%q: %q %v %v\n", cell, parent, who == vn.Mother, ok)
	}
	// Output:
	// "Con bà Nguyễn Thị Lan": "Nguyễn Thị Lan" true true
	// "Con ông Trần Văn Nam": "Trần Văn Nam" false true
	// "Con: Lê Văn An": "" false false
}
