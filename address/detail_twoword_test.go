package address

import "testing"

// TestTwoWordTypeWordKeepsPart: a first part with a two-word type word
// after its number ("12 thị trấn Xuân Mai") names a unit, so it is not
// set aside as a street: detailEnd asks the two words together, as its
// comment says ("thị xã"), not the first of them twice.
func TestTwoWordTypeWordKeepsPart(t *testing.T) {
	g, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"12 thị trấn Xuân Mai, Chương Mỹ, Hà Nội", "Ngõ 5 thành phố Bắc Ninh, Bắc Ninh", "Thôn 2 thị xã Sơn Tây, Hà Nội", "Số 3 thành phố Bắc Ninh, Bắc Ninh"} {
		st := &state{}
		st.reset(g, s)
		if k := st.detailEnd(); k != 0 {
			t.Errorf("%q: the first part, which names a unit, was set aside (word %d)", s, k)
		}
	}
}
