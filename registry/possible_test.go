package registry_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// Two men named Nguyễn Văn Nam born the same day, one of Hà Nội with his
// 12-digit number (two records), one of Hà Tĩnh without a number (two
// records): the links between them rest on the name and the birthday
// alone, a name and day the register holds about twice (acc54). The
// registry keeps them two persons and holds one possible_match conflict
// naming a record of each, as dancu link does, whatever the arrival order
// and batch size.
func TestPossibleMatchAsOfflineInAnyOrder(t *testing.T) {
	a := schemas.Record{RecordID: "hk/1", FullName: "Nguyễn Văn Nam", BirthDate: "1990-03-05", BirthYear: 1990, Sex: "M",
		IDNumber: "001090012345", PermProvinceCode: "01", PermDistrictCode: "001", PermCommuneCode: "00004",
		PermNewProvinceCode: "01", PermNewCommuneCode: "00004"}
	a2 := a
	a2.RecordID = "ca/2"
	b := schemas.Record{RecordID: "ht/3", FullName: "Nguyễn Văn Nam", BirthDate: "1990-03-05", BirthYear: 1990, Sex: "M",
		PermProvinceCode: "42", PermDistrictCode: "436", PermCommuneCode: "18073", PermNewProvinceCode: "42", PermNewCommuneCode: "18073"}
	b2 := b
	b2.RecordID = "yt/4"
	recs := []schemas.Record{a, a2, b, b2}
	groups := [][]string{{a.RecordID, a2.RecordID}, {b.RecordID, b2.RecordID}}

	possible := func(cs map[string]schemas.Conflict) [][]string {
		var out [][]string
		for _, c := range cs {
			if c.Kind == schemas.ConflictPossibleMatch && c.Status == schemas.StatusOpen {
				out = append(out, slices.Sorted(slices.Values(c.RecordIDs)))
			}
		}
		return out
	}
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	f := frameOf(s, registry.NewRecords(), recs)
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	offline := map[string]string{}
	for i := range f.Len() {
		offline[f.ID(i)] = f.ID(int(res.Clusters.Of[i]))
	}
	checkPersons(t, offline, groups)
	_, cs := matching.Summarise(res, func(root int32) string { return "p-" + f.ID(int(root)) })
	byID := map[string]schemas.Conflict{}
	for _, c := range cs {
		byID[c.ConflictID] = c
	}
	want := possible(byID)
	if len(want) != 1 || len(want[0]) != 2 {
		t.Fatalf("dancu link: possible matches %v, want one pair (conflicts %+v)", want, cs)
	}
	for _, ord := range permutations(len(recs)) {
		for n := 1; n <= len(recs); n++ {
			person, open := arrive(t, recs, ord, n)
			checkPersons(t, person, groups)
			if got := possible(open); len(got) != 1 || !slices.Equal(got[0], want[0]) {
				t.Errorf("order %v batch %d: open possible matches %v, want dancu link's %v", ord, n, got, want)
			}
		}
	}
}
