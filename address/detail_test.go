package address

import (
	"testing"
	"time"
)

// TestNumberedDetailSetAside checks that a first part made of a hamlet or
// street word that may also begin a unit's name and numbers only ("Tổ
// 28", "Số 162", "Xóm 1"), or a first part ended by a spaced dash, is set
// aside like any other street or hamlet part: the address resolves to
// what its rest resolves to, with the part as street or hamlet, and the
// addresses of one commune that differ only in it are searched once.
// A part that may be a unit ("Bản Hòa Bình": a word, not a number) is not.
func TestNumberedDetailSetAside(t *testing.T) {
	asOf := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		text, rest, street, hamlet string
	}{
		{"Số 162, Khu phố 11, Thị Trấn Ngọc Lặc, Tỉnh Thanh Hóa", "Thị Trấn Ngọc Lặc, Tỉnh Thanh Hóa", "Số 162", "Khu phố 11"},
		{"Tổ 28, Thị trấn Hậu Nghĩa, Huyện Đức Hoà, Tỉnh Long An", "Thị trấn Hậu Nghĩa, Huyện Đức Hoà, Tỉnh Long An", "", "Tổ 28"},
		{"Xóm 1 - Xã Bảo Thanh - Huyện Phù Ninh - Tỉnh Phú Thọ", "Xã Bảo Thanh - Huyện Phù Ninh - Tỉnh Phú Thọ", "", "Xóm 1"},
	} {
		g, err := load()
		if err != nil {
			t.Fatal(err)
		}
		st := &state{}
		st.reset(g, c.text)
		if st.detailEnd() == 0 {
			t.Errorf("%q: the first part is not set aside", c.text)
		}
		got, want := resolveText(c.text, false, false), resolveText(c.rest, false, false)
		if want.Commune.Code == "" {
			t.Fatalf("%q: no commune", c.rest)
		}
		if got.Commune != want.Commune || got.District != want.District || got.Province != want.Province || got.NewCommune != want.NewCommune {
			t.Errorf("%q: %v / %v, want %v / %v as %q", c.text, got.Commune, got.District, want.Commune, want.District, c.rest)
		}
		if got.Street != c.street || got.Hamlet != c.hamlet {
			t.Errorf("%q: street %q hamlet %q, want %q %q", c.text, got.Street, got.Hamlet, c.street, c.hamlet)
		}
	}
	for _, s := range []string{"Bản Hòa Bình, Xã Gia Phù, Huyện Phù Yên, Tỉnh Sơn La", "Tổ dân phố Hòa Bình, Phường Yên Thế"} {
		g, _ := load()
		st := &state{}
		st.reset(g, s)
		if st.detailEnd() != 0 {
			t.Errorf("%q: a part that may name a unit was set aside", s)
		}
	}
	before := Stats()
	for _, s := range []string{
		"Số 12, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
		"Số 14, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
		"Tổ 3, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội",
	} {
		if r := Resolve(s, asOf); r.Commune.Name != "Xã Tam Hiệp" {
			t.Errorf("%q: commune %q", s, r.Commune.Name)
		}
	}
	if n := Stats().Searches - before.Searches; n != 1 {
		t.Errorf("three addresses of one commune differing in the number: %d searches, want 1", n)
	}
}
