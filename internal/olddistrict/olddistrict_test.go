package olddistrict_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/internal/olddistrict"
)

func TestLocHa(t *testing.T) {
	if d, ok := olddistrict.OfCommune("18409"); !ok || d != "448" {
		t.Errorf("Xã Tân Lộc (18409): district %q, %v; want 448", d, ok)
	}
	if n := olddistrict.Name("448"); n != "Huyện Lộc Hà" {
		t.Errorf("Name(448) = %q", n)
	}
	cs, ds := olddistrict.Moved()
	i := slices.Index(cs, "18409")
	if i < 0 || ds[i] != "448" {
		t.Errorf("Moved: Xã Tân Lộc not moved to 448 (index %d)", i)
	}
	if len(cs) == 0 || len(cs) != len(ds) {
		t.Errorf("Moved: %d communes, %d districts", len(cs), len(ds))
	}
	for i, c := range cs {
		if d, _ := olddistrict.OfCommune(c); d != ds[i] {
			t.Errorf("Moved: %s -> %s, OfCommune %s", c, ds[i], d)
		}
	}
}

func ExampleOfCommune() {
	d, _ := olddistrict.OfCommune("18409") // Xã Tân Lộc, Hà Tĩnh
	fmt.Println(d, olddistrict.Name(d))
	// Output: 448 Huyện Lộc Hà
}
