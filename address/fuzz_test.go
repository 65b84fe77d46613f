package address

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzResolve: Resolve never panics, its text output is valid UTF-8, its
// confidence lies in [0, 1], and resolving the normalised text of a
// result again gives the same units.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM",
		"thon 3 xa Ea Kao tp Buon Ma Thuot Dak Lak",
		"Ấp Tân Hòa, X. Tân Phú, H. Châu Thành, T. Tiền Giang",
		"Thôn Đông, Xã Hồng Vân, TP Hà Nội",
		"Số 12 ngõ 34 Hoàng Hoa Thám, Ba Đình, HN",
		"PHƯỜNG TRÚC BẠCH - QUẬN BA ĐÌNH - HÀ NỘI",
		"F15 Q10 HCM", "00004", "", "\xff\xfe", "Ea H'Leo", "P.,,,Q..--",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, post bool) {
		asOf := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		if post {
			asOf = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
		}
		r := Resolve(s, asOf)
		for _, v := range []string{r.Street, r.Hamlet, r.Province.Name, r.District.Name, r.Commune.Name, r.NewProvince.Name, r.NewCommune.Name} {
			if !utf8.ValidString(v) {
				t.Fatalf("invalid UTF-8 %q from %q", v, s)
			}
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("confidence %v from %q", r.Confidence, s)
		}
		n := r.Normalized()
		r2 := Resolve(n, asOf)
		if r2.Province != r.Province || r2.District != r.District || r2.Commune != r.Commune ||
			r2.NewProvince != r.NewProvince || r2.NewCommune != r.NewCommune {
			t.Fatalf("%q → %q resolves differently:\n%+v\n%+v", s, n, r, r2)
		}
	})
}
