package compare

import (
	"fmt"
	"math"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.9611},
		{"DWAYNE", "DUANE", 0.84},
		{"DIXON", "DICKSONX", 0.8133},
		{"", "", 1},
		{"abc", "", 0},
		{"nguyen", "nguyen", 1},
		{"thuy", "thuy", 1},
		{"abc", "xyz", 0},
	}
	for _, tt := range tests {
		got := JaroWinkler([]rune(tt.a), []rune(tt.b))
		if math.Abs(got-tt.want) > 0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", tt.a, tt.b, got, tt.want)
		}
		if back := JaroWinkler([]rune(tt.b), []rune(tt.a)); math.Abs(back-got) > 1e-9 {
			t.Errorf("JaroWinkler not symmetric on %q, %q: %v vs %v", tt.a, tt.b, got, back)
		}
	}
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"001090012345", "001090012345", 2, 0},
		{"001090012345", "001090012346", 2, 1},
		{"001090012345", "001090013245", 2, 1}, // transposition
		{"001090012345", "001090099945", 1, 2}, // beyond max
		{"abc", "", 5, 3},
		{"ca", "abc", 3, 3},
		{"kitten", "sitting", 5, 3},
	}
	for _, tt := range tests {
		if got := OSA(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("OSA(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func BenchmarkJaroWinkler(b *testing.B) {
	x, y := []rune("nguyễn thị thuỷ"), []rune("nguyen thi thuy")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		JaroWinkler(x, y)
	}
}

func BenchmarkOSA(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		OSA("001090012345", "001090013245", 1)
	}
}

func ExampleJaroWinkler() {
	fmt.Printf("%.3f\n", JaroWinkler([]rune("thuy"), []rune("thuyf")))
	// Output: 0.960
}

func TestWithinOneEdit(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"001090012345", "001090012345"}, {"001090012345", "001090012346"}, {"001090012345", "001090013245"},
		{"001090012345", "00109001234"}, {"01090012345", "001090012345"}, {"001090012345", "101090012344"},
		{"", ""}, {"a", ""}, {"ab", "ba"}, {"abc", "cab"}, {"12", "1234"},
	} {
		want := OSA(tt.a, tt.b, 1) <= 1
		if got := WithinOneEdit(tt.a, tt.b); got != want {
			t.Errorf("WithinOneEdit(%q, %q) = %v, OSA says %v", tt.a, tt.b, got, want)
		}
	}
}

func BenchmarkWithinOneEdit(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		WithinOneEdit("001090012345", "001090013245")
	}
}

func TestOCRCost(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		conf float64
		want float64
	}{
		{"ANH", "AMH", 1, 1}, // one look-alike on typed text
		{"NGUYEN", "NGVYEN", 0.5, 0.5},
		{"PHUONG", "PBVOMG", 0.4, 1.2}, // three look-alikes at confidence 0.4
		{"ANH", "AKH", 1, 2},           // not a look-alike: an ordinary edit
		{"HA", "HAI", 1, 2},            // insertion
		{"lan", "LAN", 1, 0},           // case ignored
	} {
		if got := OCRCost(tt.a, tt.b, tt.conf, 5); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("OCRCost(%q, %q, %v) = %v, want %v", tt.a, tt.b, tt.conf, got, tt.want)
		}
	}
	if got := OCRCost("ABCDEFG", "A", 1, 1); got <= 1 {
		t.Errorf("over the limit: %v", got)
	}
}

func TestWordsSubset(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"trong", "anh trong", true}, {"anh trong", "trong", true}, {"van", "thi", false},
		{"", "van", false}, {"thi thu", "thu", true}, {"thu", "thu ha", true}, {"thi", "thu ha", false},
	} {
		if got := WordsSubset(tt.a, tt.b); got != tt.want {
			t.Errorf("WordsSubset(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFirstWordMoved(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"an nguyen van", "nguyen van an", true}, {"nguyen van an", "an nguyen van", true},
		{"hoa le thi", "le thi hoa", true}, {"an nguyen", "nguyen an", true},
		{"nguyen van an", "nguyen van an", false}, // the same order
		{"van an nguyen", "an nguyen van", true},  // the other's first word moved
		{"an van nguyen", "nguyen van an", false}, // reversed, not moved
		{"thu nguyen thi ha", "nguyen thi thu ha", false},
		{"an nguyen van", "nguyen van anh", false}, {"an", "an", false}, {"an", "na", false}, {"", "", false},
	} {
		if got := FirstWordMoved(tt.a, tt.b); got != tt.want {
			t.Errorf("FirstWordMoved(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLookAlikeKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"NGVYỄN", "Nguyễn"}, {"PBƯỢMG", "Phượng"}, {"Btch", "Bich"}, {"MINH", "ninh"},
	} {
		if LookAlikeKey(c.a) != LookAlikeKey(c.b) {
			t.Errorf("LookAlikeKey(%q) = %q, LookAlikeKey(%q) = %q: want equal", c.a, LookAlikeKey(c.a), c.b, LookAlikeKey(c.b))
		}
	}
	if LookAlikeKey("Lan") == LookAlikeKey("Lâm") || LookAlikeKey("Hoa") == LookAlikeKey("Hòa") {
		t.Error("letters that are not look-alikes were merged")
	}
}

func ExampleLookAlikeKey() {
	fmt.Println(LookAlikeKey("NGVYỄM"), LookAlikeKey("Nguyễn"))
	// Output: nguyễn nguyễn
}
