package vn_test

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/vn"
)

func TestMiddleInitial(t *testing.T) {
	tests := []struct {
		name, sex, want string
		ok              bool
	}{
		{"Nguyễn T. Thảo", "F", "Nguyễn Thị Thảo", true},
		{"Vũ T Thuỳ", "F", "Vũ Thị Thùy", true},
		{"NGUYEN T. THAO", "F", "Nguyen Thi Thao", true},
		{"Trần V. Hùng", "M", "Trần Văn Hùng", true},
		{"Tran V. Hung", "M", "Tran Van Hung", true},
		{"Nguyễn T. Hùng", "M", "", false}, // T. of a man: Thanh, Tiến, Tuấn … never Thị
		{"Trần V. Hoa", "F", "", false},    // V. of a woman: Văn is a man's
		{"Nguyễn T. Thảo", "", "", false},  // no ticked sex
		{"Nguyễn Thị Thảo", "F", "", false},
		{"Nguyễn Th. Thảo", "F", "", false}, // two letters: not read
		{"Nguyễn T. Ngọc Thảo", "F", "", false},
		{"T. Thảo", "F", "", false}, // no family name to keep
	}
	for _, tt := range tests {
		got, ok := vn.ParseName(tt.name).MiddleInitial(tt.sex)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%q (%s): got %q %v, want %q %v", tt.name, tt.sex, got, ok, tt.want, tt.ok)
		}
		if ok {
			if n := vn.ParseName(got); n.Middle == "T" || n.Middle == "V" {
				t.Errorf("%q read again keeps the initial: %+v", got, n)
			}
		}
	}
}

func ExampleName_MiddleInitial() {
	n := vn.ParseName("Nguyễn T. Thảo")
	fmt.Println(n.Middle)
	full, _ := n.MiddleInitial("F")
	fmt.Println(full, vn.ParseName(full).SexHint())
	_, ok := n.MiddleInitial("M")
	fmt.Println(ok)
	// Output:
	// T
	// Nguyễn Thị Thảo F
	// false
}
