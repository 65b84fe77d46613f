package address

import (
	"testing"
	"time"
)

// TestUnknownCommuneNamed: a commune merged before the earliest list the
// gazetteer holds (Xã Thạch Bằng, Lộc Hà, Hà Tĩnh: in none of the lists of
// 2021–2025 nor of the reform) was left without a commune code and
// without a word (user27): UnknownCommune names it, with the units the
// address was read in. A known commune, a street, a ward by number are
// not named.
func TestUnknownCommuneNamed(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		text, name, district string
	}{
		{"Thôn Bắc Sơn, Xã Thạch Bằng, Huyện Lộc Hà, Tỉnh Hà Tĩnh", "Xã Thạch Bằng", "448"},
		{"xã Thạch Bằng, huyện Lộc Hà, Hà Tĩnh", "xã Thạch Bằng", "448"},
		{"Xã Thạch Kim, Huyện Lộc Hà, Tỉnh Hà Tĩnh", "", ""},
		{"Số 12 Lê Lợi, Phường 3, Quận 5, TP Hồ Chí Minh", "", ""},
		{"Xóm 3, Xã Thạch Kim, Lộc Hà, Hà Tĩnh", "", ""},
	} {
		name, r, ok := UnknownCommune(tc.text, day)
		if name != tc.name || ok != (tc.name != "") {
			t.Errorf("%q: %q %v; want %q", tc.text, name, ok, tc.name)
			continue
		}
		if ok && r.District.Code != tc.district {
			t.Errorf("%q: district %+v; want %s", tc.text, r.District, tc.district)
		}
	}
}
