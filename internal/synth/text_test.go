package synth

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestStripDiacritics(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Thủy":          "Nguyen Thi Thuy",
		"ĐẶNG VĂN ĐỨC":             "DANG VAN DUC",
		"Phường Ba Đình, Hà Nội":   "Phuong Ba Dinh, Ha Noi",
		"abc":                      "abc",
		norm.NFD.String("Hoà ưng"): "Hoa ung",
	} {
		if got := stripDiacritics(in); got != want {
			t.Errorf("stripDiacritics(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestToneStyle(t *testing.T) {
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new string }{
		{"Nguyễn Thị Hòa", "Nguyễn Thị Hoà"},
		{"Thủy, Khỏe", "Thuỷ, Khoẻ"},
		{"HÒA BÌNH", "HOÀ BÌNH"},
		{"Hòa Bình", "Hoà Bình"},
		{"Toàn Huỳnh Quý", "Toàn Huỳnh Quý"}, // final consonant or qu: same in both styles
	} {
		if got := toneStyle(c.old, tb.tonePairs, true); got != c.new {
			t.Errorf("to new %q = %q, want %q", c.old, got, c.new)
		}
		if got := toneStyle(c.new, tb.tonePairs, false); got != c.old {
			t.Errorf("to old %q = %q, want %q", c.new, got, c.old)
		}
	}
}

func TestNoiseOps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	changed := 0
	for i := 0; i < 200; i++ {
		s := "Nguyễn Thị Thương"
		got, hit := ocrText(s, r, 0.2)
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("ocrText gave %q", got)
		}
		if hit != (got != s) && got != s {
			t.Errorf("ocrText reported %v for %q", hit, got)
		}
		if stripDiacritics(got) != stripDiacritics(s) && !strings.Contains(stripDiacritics(got), "Nguyen") {
			t.Errorf("ocrText changed base letters: %q", got)
		}
		if hit {
			changed++
		}
		ty := typo(s, r)
		if d := utf8.RuneCountInString(ty) - utf8.RuneCountInString(s); d < -1 || d > 1 || ty == s {
			t.Errorf("typo(%q) = %q", s, ty)
		}
		o := ocrDigits("001085012345", r)
		if len(o) != 12 || o == "001085012345" {
			t.Errorf("ocrDigits gave %q", o)
		}
	}
	if changed < 100 {
		t.Errorf("ocrText changed only %d of 200 names at 20%% per letter", changed)
	}
	if got, hit := ocrText("Hà Nội", r, 0); hit || got != "Hà Nội" {
		t.Errorf("ocrText at rate 0 changed %q", got)
	}
}

func TestAddressSample(t *testing.T) {
	a := AddressSample(1, 400)
	b := AddressSample(1, 400)
	if len(a) != 400 {
		t.Fatalf("got %d addresses", len(a))
	}
	pre, post := 0, 0
	for i, x := range a {
		if x != b[i] {
			t.Fatalf("not deterministic at %d: %+v vs %+v", i, x, b[i])
		}
		if x.Text == "" || len(x.CommuneCode) != 5 || len(x.DistrictCode) != 3 || len(x.NewCommuneCode) != 5 || len(x.NewProvinceCode) != 2 {
			t.Fatalf("incomplete: %+v", x)
		}
		if x.AsOf >= "2025-07-01" {
			post++
			for _, part := range strings.FieldsFunc(strings.ToUpper(stripDiacritics(x.Text)), func(r rune) bool { return r == ',' || r == '-' }) {
				for _, w := range []string{"HUYEN ", "QUAN ", "THI TRAN ", "THI XA "} {
					if strings.HasPrefix(strings.TrimSpace(part), w) {
						t.Errorf("post-reform address with a district: %q", x.Text)
					}
				}
			}
		} else {
			pre++
		}
	}
	if pre < 100 || post < 100 {
		t.Errorf("pre %d post %d", pre, post)
	}
}

func TestRowWriterMatchesEncodingCSV(t *testing.T) {
	rows := [][]string{
		{"a", "", " lead", "x,y", `say "hi"`, "line\nbreak", "cr\r\nlf", "lone\rcr", `\.`, "Nguyễn Thị Hoà"},
		{"", "", ""},
		{"\tTab", "ok"},
		{""},
	}
	var want, got bytes.Buffer
	cw := csv.NewWriter(&want)
	cw.WriteAll(rows)
	bw := bufio.NewWriter(&got)
	rw := &rowWriter{bw: bw}
	for _, r := range rows {
		if err := rw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	bw.Flush()
	if got.String() != want.String() {
		t.Errorf("rowWriter wrote\n%q\nencoding/csv writes\n%q", got.String(), want.String())
	}
}

func TestPermuteIsBijection(t *testing.T) {
	for _, mod := range []uint64{10, 1000, 100000} {
		seen := make([]bool, mod)
		for x := uint64(0); x < mod; x++ {
			y := permute(x, mod, 12345)
			if y >= mod || seen[y] {
				t.Fatalf("mod %d: %d → %d out of range or repeated", mod, x, y)
			}
			seen[y] = true
		}
	}
	a := newIDAllocator(1)
	s1, s2 := a.serial("001090", 6), a.serial("001090", 6)
	if s1 == s2 || len(s1) != 6 {
		t.Errorf("serials %q %q", s1, s2)
	}
}
