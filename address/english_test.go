package address

import (
	"testing"
	"time"
)

// TestWebWords resolves addresses in the forms webWords reads (English
// type words before a number and after a name, numbers written in words,
// a province cut to its initial, a label, a telephone number, the
// country, a postal code, " / " between parts, a digit left on a name's
// word), and names that look like them but are names: the unit each must
// give is written as the gazetteer names it.
func TestWebWords(t *testing.T) {
	asOf := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ text, province, district, commune string }{
		{"Ward 5, District 3, Ho Chi Minh City, Vietnam", "Thành phố Hồ Chí Minh", "Quận 3", "Phường 5"},
		{"Ward 8, Phu Nhuan District, HCMC", "Thành phố Hồ Chí Minh", "Quận Phú Nhuận", "Phường 8"},
		{"Tan Dinh Ward, Dist 1", "Thành phố Hồ Chí Minh", "Quận 1", "Phường Tân Định"},
		{"90 Nguyen Van Cu Street, Thanh Commune, Huong Hoa District", "Tỉnh Quảng Trị", "Huyện Hướng Hóa", "Xã Thanh"},
		{"Hamlet 10, Thanh Minh Commune, Phu Tho Town, Phu Tho", "Tỉnh Phú Thọ", "Thị xã Phú Thọ", "Xã Thanh Minh"},
		{"120/48 Tay Son St., Tung Vai Commune, Quan Ba Dist.", "Tỉnh Hà Giang", "Huyện Quản Bạ", "Xã Tùng Vài"},
		{"Da Nang City, Vietnam", "Thành phố Đà Nẵng", "", ""},
		{"phường Mười Hai, quận Gò Vấp, TP.HCM", "Thành phố Hồ Chí Minh", "Quận Gò Vấp", "Phường 12"},
		{"Phường Ba, Quận Ba, TP.HCM", "Thành phố Hồ Chí Minh", "Quận 3", "Phường 3"},
		{"doi 7, phuong bay, q. tan binh, tp ho chi minh", "Thành phố Hồ Chí Minh", "Quận Tân Bình", "Phường 7"},
		{"Xã Minh Tân, Huyện Kiến Xương, T.Bình", "Tỉnh Thái Bình", "Huyện Kiến Xương", "Xã Minh Tân"},
		{"Lô 18, KDC Nam Long, Phường Tân Thuận Đông, Quận 7 700000", "Thành phố Hồ Chí Minh", "Quận 7", "Phường Tân Thuận Đông"},
		{"ĐC: xã Phúc Thịnh, Chiêm Hóa, Tuyên Quang. ĐT: 0912345678", "Tỉnh Tuyên Quang", "Huyện Chiêm Hóa", "Xã Phúc Thịnh"},
		{"xã Phúc Thịnh5, huyện Chiêm Hóa, tỉnh Tuyên Quang", "Tỉnh Tuyên Quang", "Huyện Chiêm Hóa", "Xã Phúc Thịnh"},
		{"To 1, KP12 / Huong Son / Phu Binh / Thai Nguyen", "Tỉnh Thái Nguyên", "Huyện Phú Bình", "Thị trấn Hương Sơn"},
		// names, not numbers or type words
		{"Phương Nam, Uông Bí", "Tỉnh Quảng Ninh", "Thành phố Uông Bí", "Phường Phương Nam"},
		{"Phường Trúc Bạch, Quận Ba Đình, Hà Nội", "Thành phố Hà Nội", "Quận Ba Đình", "Phường Trúc Bạch"},
		{"So 114, To dan pho 1, F.Tam Quan, TX.Hoai Nhon, Binh Dinh", "Tỉnh Bình Định", "Thị xã Hoài Nhơn", "Phường Tam Quan"},
	} {
		r := Resolve(c.text, asOf)
		if r.Province.Name != c.province || r.District.Name != c.district || r.Commune.Name != c.commune {
			t.Errorf("%q: got %q / %q / %q, want %q / %q / %q", c.text, r.Province.Name, r.District.Name, r.Commune.Name, c.province, c.district, c.commune)
		}
	}
}
