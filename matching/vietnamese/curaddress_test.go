package vietnamese

import (
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// TestCurrentAddressAlone checks that a record giving only where the
// person lives now (a police post's list, after the reform) is compared
// and blocked on that place as its permanent address, so that it meets a
// commune register's record of the same place written before the reform,
// while a record with a permanent address keeps its own.
func TestCurrentAddressAlone(t *testing.T) {
	police := &schemas.Record{FullName: "Trần Thị Mai", CurAddress: "Tổ 5, Phường Hồng Hà, Thành phố Hà Nội",
		SourceDate: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC)}
	register := &schemas.Record{FullName: "Trần Thị Mai", PermAddress: "Tổ 5, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
		SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	both := &schemas.Record{FullName: "Trần Thị Mai", PermAddress: "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội",
		CurAddress: "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh", SourceDate: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	a := NewAdapter()
	p, _ := a.Fields(police)
	r, _ := a.Fields(register)
	b, _ := a.Fields(both)
	if p("vn.cur_new_commune") == "" {
		t.Fatalf("the police record's current address resolved to no commune")
	}
	for _, f := range []string{"vn.perm_new_commune", "vn.perm_new_province", "vn.perm_province"} {
		if p(f) == "" || p(f) != r(f) {
			t.Errorf("%s: police record %q, register %q; want the same place", f, p(f), r(f))
		}
	}
	if b("vn.perm_new_commune") != r("vn.perm_new_commune") || b("vn.perm_new_commune") == b("vn.cur_new_commune") {
		t.Errorf("a record with both addresses: permanent %q, current %q; want its own permanent one (%q)",
			b("vn.perm_new_commune"), b("vn.cur_new_commune"), r("vn.perm_new_commune"))
	}
}
