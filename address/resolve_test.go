package address

import (
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var (
	before = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	after  = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
)

// TestResolve covers the ways addresses are written: each row gives the
// codes Resolve must return ("" = must be left empty, "-" = not checked).
func TestResolve(t *testing.T) {
	tests := []struct {
		name, text          string
		asOf                time.Time
		prov, dist, comm    string
		newProv, newComm    string
		minCand, wantStreet int // minCand: at least this many candidates
		street, hamlet      string
	}{
		{name: "full official", text: "Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội", asOf: before, prov: "01", dist: "001", comm: "00004", newProv: "01", newComm: "00004"},
		{name: "abbreviations", text: "P. Trúc Bạch, Q. Ba Đình, TP. Hà Nội", asOf: before, prov: "01", dist: "001", comm: "00004", newProv: "01", newComm: "00004"},
		{name: "numbered ward and district", text: "123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM", asOf: before, prov: "79", dist: "774", comm: "27307", newProv: "79", newComm: "-", street: "123/4 Nguyễn Trãi"},
		{name: "F15 glued", text: "F15 Q10 HCM", asOf: before, prov: "79", dist: "771", comm: "-", newProv: "79", newComm: "-"},
		{name: "no diacritics no commas", text: "thon 3 xa Ea Kao tp Buon Ma Thuot Dak Lak", asOf: before, prov: "66", dist: "643", comm: "24169", newProv: "66", newComm: "24169", hamlet: "thon 3"},
		{name: "reordered", text: "Hà Nội, Ba Đình, Trúc Bạch", asOf: before, prov: "01", dist: "001", comm: "00004", newProv: "01", newComm: "00004"},
		{name: "dashes and upper case", text: "PHƯỜNG TRÚC BẠCH - QUẬN BA ĐÌNH - HÀ NỘI", asOf: before, prov: "01", dist: "001", comm: "00004", newProv: "01", newComm: "00004"},
		{name: "district only", text: "Số 12 ngõ 34 Hoàng Hoa Thám, Ba Đình, HN", asOf: before, prov: "01", dist: "001", comm: "", newProv: "01", newComm: "", street: "Số 12 ngõ 34 Hoàng Hoa Thám"},
		{name: "typo in commune", text: "Xã Hồng Vânn, Huyện Thường Tín, Hà Nội", asOf: before, prov: "01", dist: "-", comm: "-", newProv: "01", newComm: "-"},
		{name: "typo in province", text: "Xã Nghĩa Lâm, Huyện Nghĩa Đàn, Tỉnh Nghệ Ann", asOf: before, prov: "40", dist: "-", comm: "-", newProv: "40", newComm: "-"},
		{name: "tone styles alike", text: "Phường Bến Thuỷ, Vinh, Nghệ An", asOf: before, prov: "40", dist: "412", comm: "-", newProv: "40", newComm: "-"},
		{name: "renamed before the reform", text: "Phường Văn Miếu, Quận Đống Đa, Hà Nội", asOf: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), prov: "01", dist: "006", comm: "00181", newProv: "01", newComm: "-"},
		{name: "merged before the reform", text: "P. Quốc Tử Giám, Đống Đa, HN", asOf: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), prov: "01", dist: "006", comm: "00181", newProv: "01", newComm: "-"},
		{name: "post-reform address", text: "Thôn Đông, Xã Hồng Vân, TP Hà Nội", asOf: after, prov: "01", dist: "-", comm: "", newProv: "01", newComm: "10210", minCand: 2, hamlet: "Thôn Đông"},
		{name: "same text, two eras (old)", text: "Hoàn Kiếm, Hà Nội", asOf: before, prov: "01", dist: "002", comm: "", newProv: "01", newComm: ""},
		{name: "same text, two eras (new)", text: "Hoàn Kiếm, Hà Nội", asOf: after, prov: "01", dist: "", comm: "", newProv: "01", newComm: "00070", minCand: 2},
		{name: "bare code, old era", text: "00004", asOf: before, prov: "01", dist: "001", comm: "00004", newProv: "01", newComm: "00004"},
		{name: "bare code, new era", text: "00004", asOf: after, prov: "01", dist: "-", comm: "", newProv: "01", newComm: "00004", minCand: 2},
		{name: "namesake wards", text: "Phường Hàm Rồng", asOf: before, prov: "", dist: "", comm: "", newProv: "", newComm: "", minCand: 2},
		{name: "split commune", text: "Phường Điện Biên, Quận Ba Đình, Hà Nội", asOf: before, prov: "01", dist: "001", comm: "00019", newProv: "01", newComm: "", minCand: 2},
		{name: "island district", text: "Huyện Côn Đảo, Bà Rịa - Vũng Tàu", asOf: before, prov: "77", dist: "755", comm: "", newProv: "79", newComm: "26732"},
		{name: "province only", text: "Tỉnh Hà Giang", asOf: before, prov: "02", dist: "", comm: "", newProv: "08", newComm: ""},
		{name: "nothing", text: "xin chào", asOf: before},
		{name: "empty", text: "", asOf: before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Resolve(tt.text, tt.asOf)
			check := func(level, want string, got Unit) {
				t.Helper()
				if want != "-" && got.Code != want {
					t.Errorf("%s = %+v, want code %q (result %+v)", level, got, want, r)
				}
			}
			check("province", tt.prov, r.Province)
			check("district", tt.dist, r.District)
			check("commune", tt.comm, r.Commune)
			check("new province", tt.newProv, r.NewProvince)
			check("new commune", tt.newComm, r.NewCommune)
			if len(r.Candidates) < tt.minCand {
				t.Errorf("%d candidates, want at least %d", len(r.Candidates), tt.minCand)
			}
			if tt.street != "" && r.Street != tt.street {
				t.Errorf("street %q, want %q", r.Street, tt.street)
			}
			if tt.hamlet != "" && r.Hamlet != tt.hamlet {
				t.Errorf("hamlet %q, want %q", r.Hamlet, tt.hamlet)
			}
			if r.Confidence < 0 || r.Confidence > 1 {
				t.Errorf("confidence %v outside [0,1]", r.Confidence)
			}
			if r.Commune.IsZero() && r.Province.IsZero() && r.NewCommune.IsZero() && r.NewProvince.IsZero() && len(r.Candidates) == 0 && r.Confidence != 0 {
				t.Errorf("nothing found but confidence %v", r.Confidence)
			}
		})
	}
}

// TestResolveForms checks that the forms of one address — NFC, NFD, no
// diacritics, upper case, the other tone style — resolve alike.
func TestResolveForms(t *testing.T) {
	base := "Phường Lộc Thọ, Thành phố Nha Trang, Tỉnh Khánh Hòa"
	want := Resolve(base, before)
	if want.Commune.Code != "22363" {
		t.Fatalf("base resolves to %+v", want.Commune)
	}
	for _, s := range []string{
		norm.NFD.String(base),
		"Phuong Loc Tho, Thanh pho Nha Trang, Tinh Khanh Hoa",
		"PHƯỜNG LỘC THỌ, THÀNH PHỐ NHA TRANG, TỈNH KHÁNH HOÀ",
		"Phường Lộc Thọ, Thành phố Nha Trang, Tỉnh Khánh Hoà",
		"P.Lộc Thọ,TP.Nha Trang,Khánh Hòa",
		"Khánh Hòa - Nha Trang - Lộc Thọ",
	} {
		if r := Resolve(s, before); r.Commune != want.Commune || r.District != want.District || r.Province != want.Province {
			t.Errorf("%q → %+v / %+v / %+v, want %+v", s, r.Commune, r.District, r.Province, want.Commune)
		}
	}
}

// TestNoSilentGuess checks that a commune name shared by several communes
// of one province, with the district missing, is not resolved to one of
// them.
func TestNoSilentGuess(t *testing.T) {
	r := Resolve("Phường 5, Thành phố Hồ Chí Minh", before)
	if !r.Commune.IsZero() || len(r.Candidates) < 2 {
		t.Fatalf("ambiguous ward resolved to %+v with %d candidates", r.Commune, len(r.Candidates))
	}
	for _, c := range r.Candidates {
		if c.Commune.Name != "Phường 5" && c.Commune.Name != "Phường 05" {
			t.Errorf("candidate %+v is not a Phường 5", c.Commune)
		}
	}
	if r.Confidence >= 0.9 {
		t.Errorf("ambiguous result has confidence %v", r.Confidence)
	}
}

func TestNormalizedRoundTrip(t *testing.T) {
	for _, s := range []string{
		"123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM",
		"thon 3 xa Ea Kao tp Buon Ma Thuot Dak Lak",
		"Thôn Đông, Xã Hồng Vân, TP Hà Nội",
	} {
		r := Resolve(s, before)
		n := r.Normalized()
		r2 := Resolve(n, before)
		if r2.Province != r.Province || r2.District != r.District || r2.Commune != r.Commune || r2.NewCommune != r.NewCommune {
			t.Errorf("%q → %q → %+v, want %+v", s, n, r2, r)
		}
	}
}

// TestResolveConcurrent resolves from several goroutines at once (run
// with -race): the gazetteer is shared and read-only, scratch space is
// per call.
func TestResolveConcurrent(t *testing.T) {
	inputs := []string{"123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM", "thon 3 xa Ea Kao tp Buon Ma Thuot Dak Lak", "Phường 5, TP.HCM", "Xã Hồng Vânn, Huyện Thường Tín, Hà Nội"}
	want := make([]Result, len(inputs))
	for i, s := range inputs {
		want[i] = Resolve(s, before)
	}
	done := make(chan string, 8)
	for w := 0; w < 8; w++ {
		go func(w int) {
			for k := 0; k < 200; k++ {
				i := (w + k) % len(inputs)
				r := Resolve(inputs[i], before)
				if r.Commune != want[i].Commune || r.District != want[i].District || len(r.Candidates) != len(want[i].Candidates) {
					done <- inputs[i]
					return
				}
			}
			done <- ""
		}(w)
	}
	for w := 0; w < 8; w++ {
		if s := <-done; s != "" {
			t.Errorf("concurrent Resolve(%q) differs", s)
		}
	}
}
