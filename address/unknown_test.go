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

// TestBareUnknownCommuneNamed: the same commune written without its type
// word ("Thạch Bằng, Huyện Lộc Hà")
// was left as the street without a word (user28's leftover): named too,
// the part just before a rural district. A known commune written bare, a
// hamlet, a house number, a street before a city's district are not.
func TestBareUnknownCommuneNamed(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, name string }{
		{"Thạch Bằng, Huyện Lộc Hà", "Thạch Bằng"},
		{"Thạch Bằng, Huyện Lộc Hà, Hà Tĩnh", "Thạch Bằng"},
		{"Thạch Bằng, H. Lộc Hà, T. Hà Tĩnh", "Thạch Bằng"},
		{"Thôn Bắc Sơn, Thạch Bằng, Huyện Lộc Hà, Tỉnh Hà Tĩnh", "Thạch Bằng"},
		{"Thạch Kim, Lộc Hà", ""},
		{"Đông Hội, Đông Anh, Hà Nội", ""},
		{"Thôn Bắc Sơn, Huyện Lộc Hà, Tỉnh Hà Tĩnh", ""},
		{"Số 5 Lê Lợi, Huyện Lộc Hà, Tỉnh Hà Tĩnh", ""},
		{"12 Nguyễn Trãi, Quận 1, TP HCM", ""},
		{"Trần Phú, Quận Hà Đông, Hà Nội", ""},
	} {
		name, _, ok := UnknownCommune(tc.text, day)
		if name != tc.name || ok != (tc.name != "") {
			t.Errorf("%q: %q %v; want %q", tc.text, name, ok, tc.name)
		}
	}
	// "Lộc Hà" without "Huyện": read after the 2025 reform as the district
	// (Thạch Hà's, which it joined), leaving Thạch Bằng bare. Before it,
	// as Thị trấn Lộc Hà, a commune: the record has its code, and the
	// bare name is not named.
	for _, tc := range []struct {
		day  time.Time
		name string
	}{{time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), "Thạch Bằng"}, {day, ""}} {
		if name, _, _ := UnknownCommune("Thôn Bắc Sơn, Thạch Bằng, Lộc Hà, Hà Tĩnh", tc.day); name != tc.name {
			t.Errorf("on %s: %q; want %q", tc.day.Format("2006-01-02"), name, tc.name)
		}
	}
}
