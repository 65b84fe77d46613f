package vn

import "testing"

// TestParseDateEnglishMonth: a date Excel wrote in an English format
// ("5-Mar-87", "d-mmm-yy") reads as the date; before, "unexpected word".
func TestParseDateEnglishMonth(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"5-Mar-87", "1987-03-05"},
		{"16-Dec-86", "1986-12-16"},
		{"05-Mar-1987", "1987-03-05"},
		{"Mar 5, 1987", "1987-03-05"},
		{"5 March 1987", "1987-03-05"},
		{"1987-Mar-05", "1987-03-05"},
		{"23-Sept-47", "1947-09-23"},
		{"7-May-05", "2005-05-07"},
		{"Mar-87", "1987-03"},
	} {
		d, err := ParseDate(c.in)
		if err != nil || d.ISO() != c.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", c.in, d.ISO(), err, c.want)
		}
	}
	for _, bad := range []string{"30-Feb-87", "5-Foo-87", "Mar", "5-Mar-Apr-87", "5-Mar-987"} {
		if d, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %q, want an error", bad, d.ISO())
		}
	}
}
