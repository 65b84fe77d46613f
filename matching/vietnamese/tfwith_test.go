package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// TestNameWithoutMarksWeighsItsFrequencyAsExact checks that a family and
// a given name agreeing only without their marks (an old system's list in
// capitals) take the term-frequency adjustment of the pairs agreeing on
// the folded name (tf_with: [exact]), not one lowered by the share of
// those pairs exact took: before acc51 "NGUYEN" / "Nguyễn" was adjusted
// 2.9 bits below "Nguyễn" / "Nguyễn", and a mover's 2016 record in
// capitals was missed against his 2024 one. With tf_with the folded
// level's adjustment is log2((u_exact+u)/tf), near exact's
// log2(u_exact/tf) for the same value (the folded name's tf is a little
// larger: Phương and Phượng fold alike).
func TestNameWithoutMarksWeighsItsFrequencyAsExact(t *testing.T) {
	a, b, c := base(), base(), base()
	a.FullName, b.FullName, c.FullName = "Nguyễn Văn Phương", "NGUYEN VAN PHUONG", "Nguyễn Văn Phương"
	for _, r := range []*schemas.Record{&a, &b, &c} {
		r.Sex = "M"
	}
	a.RecordID, b.RecordID, c.RecordID = "a", "b", "c"
	f, s := trainedFrame(t, []schemas.Record{a, b, c}, true)
	step := func(x, y int32, comparison string) matching.Step {
		e := matching.ExplainPair(f, s, x, y)
		if e.Err != nil {
			t.Fatal(e.Err)
		}
		for _, st := range e.Steps {
			if st.Comparison == comparison {
				return st
			}
		}
		t.Fatalf("no step %s", comparison)
		return matching.Step{}
	}
	for _, comp := range []string{"family_name", "given_name"} {
		exact, folded := step(0, 2, comp), step(0, 1, comp)
		if exact.Level != "exact" || folded.Level[:len("same without diacritics")] != "same without diacritics" {
			t.Fatalf("%s: levels %q and %q, want exact and same without diacritics", comp, exact.Level, folded.Level)
		}
		t.Logf("%s: exact %+.2f, without marks %+.2f", comp, exact.TF, folded.TF)
		if folded.TF < exact.TF-1 {
			t.Errorf("%s: tf adjustment without marks %+.2f, more than a bit below exact's %+.2f for the same name", comp, folded.TF, exact.TF)
		}
		if folded.TF > exact.TF+1 {
			t.Errorf("%s: tf adjustment without marks %+.2f, more than a bit above exact's %+.2f", comp, folded.TF, exact.TF)
		}
	}
}
