package vietnamese

import (
	"testing"
)

// TestMiddleInitialReadWithTheSex checks that a woman's middle name
// written T. (a province's sheet abbreviating Thị) compares as Thị, and
// that a man's T. does not (Thị is a woman's middle name): before acc51
// both landed on the middle name's else, −3.9 bits against a record
// writing Thị, which kept a mover's two records apart.
func TestMiddleInitialReadWithTheSex(t *testing.T) {
	tests := []struct {
		a, b, sex, want string
	}{
		{"Nguyễn Thị Hà", "Nguyễn T. Hà", "F", "exact"},
		{"NGUYEN THI HA", "Nguyễn T. Hà", "F", "same without diacritics"},
		{"Trần Văn Hùng", "Trần V. Hùng", "M", "exact"},
		{"Nguyễn Thị Hà", "Nguyễn T. Hà", "M", "else"},
		{"Nguyễn Thu Hà", "Nguyễn T. Hà", "F", "else"},
	}
	for _, tt := range tests {
		a, b := base(), base()
		a.FullName, b.FullName = tt.a, tt.b
		a.Sex, b.Sex = tt.sex, tt.sex
		if got := vnLevels(t, a, b)["middle_name"]; got != tt.want {
			t.Errorf("%q / %q (%s): middle_name %q, want %q", tt.a, tt.b, tt.sex, got, tt.want)
		}
	}
}
