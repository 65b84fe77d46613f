package vietnamese

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Two men of a common name born the same day, one registered in Hà Nội
// with his 12-digit number, the other in Hà Tĩnh with no number and no
// parents: the link rests on the name and the birthday alone, and the
// register holds Nguyễn Văn Nam born on one day about twice (λ 2.1,
// vn.Namesakes). They are not merged: two persons and a possible_match
// conflict naming both records (acc54). The same pair with the rule off
// (thresholds.namesakes −1) is one person, as before; a rare name (λ far
// below 1), one province or a parent's name in common are links as any.
func TestCommonNameAndBirthdayAloneIsAPossibleMatch(t *testing.T) {
	pair := func(name string, edit func(b *schemas.Record)) []schemas.Record {
		a, b := base(), base()
		a.FullName, b.FullName = name, name
		a.Sex, b.Sex = "M", "M"
		a.IDNumber, a.CMND = "001090012345", ""
		b.IDNumber, b.CMND = "", ""
		a.FatherName, a.MotherName, b.FatherName, b.MotherName = "", "", "", ""
		b.PermCommuneCode, b.PermDistrictCode, b.PermProvinceCode = "18073", "436", "42"
		b.PermNewCommuneCode, b.PermNewProvinceCode = "18073", "42"
		if edit != nil {
			edit(&b)
		}
		a.RecordID, b.RecordID = "a", "b"
		return []schemas.Record{a, b}
	}
	link := func(recs []schemas.Record, namesakes float64) (*matching.Result, []schemas.Conflict) {
		t.Helper()
		f, s := trainedFrame(t, recs, false)
		s.Thresholds.Namesakes = namesakes
		res, err := matching.Link(context.Background(), f, s)
		if err != nil {
			t.Fatal(err)
		}
		_, cs := matching.Summarise(res, func(root int32) string { return "P" + strconv.Itoa(int(root)) })
		return res, cs
	}
	possible := func(cs []schemas.Conflict) []schemas.Conflict {
		var out []schemas.Conflict
		for _, c := range cs {
			if c.Kind == schemas.ConflictPossibleMatch {
				out = append(out, c)
			}
		}
		return out
	}

	recs := pair("Nguyễn Văn Nam", nil)
	res, cs := link(recs, -1)
	if of := res.Clusters.Of; of[0] != of[1] {
		t.Fatalf("rule off: clusters %v, want the pair linked (pairs %v) as before", of, res.Pairs)
	}
	if p := possible(cs); len(p) != 0 {
		t.Fatalf("rule off: possible matches %v", p)
	}
	res, cs = link(recs, 0) // the default: 1
	if of := res.Clusters.Of; of[0] == of[1] {
		t.Fatalf("clusters %v: a common name and a birthday alone merged two records", of)
	}
	p := possible(cs)
	if len(p) != 1 || !slices.Equal(p[0].RecordIDs, []string{"a", "b"}) || len(p[0].PersonIDs) != 2 || p[0].Score < 0.5 {
		t.Fatalf("possible matches %+v, want one naming a and b, two persons, the link's probability", p)
	}
	if !schemas.MandatoryConflict(schemas.ConflictGreyZone) || schemas.MandatoryConflict(p[0].Kind) {
		t.Fatal("a possible match is not a mandatory review item, a grey-zone pair is")
	}
	for _, c := range cs {
		if c.Kind == schemas.ConflictGreyZone {
			t.Fatalf("the pair is also a grey-zone conflict: %+v", c)
		}
	}

	for _, tc := range []struct {
		what string
		recs []schemas.Record
	}{
		{"a rare name", pair("Khổng Minh Triết", nil)},
		{"one province", pair("Nguyễn Văn Nam", func(b *schemas.Record) {
			b.PermCommuneCode, b.PermDistrictCode, b.PermProvinceCode = "00610", "019", "01"
			b.PermNewCommuneCode, b.PermNewProvinceCode = "00610", "01"
		})},
		{"the father's name", pair("Nguyễn Văn Nam", func(b *schemas.Record) { b.FatherName = "Nguyễn Văn Hùng" })},
	} {
		if tc.what == "the father's name" {
			tc.recs[0].FatherName = "Nguyễn Văn Hùng"
		}
		res, cs := link(tc.recs, 0)
		if of := res.Clusters.Of; of[0] != of[1] {
			t.Errorf("%s: clusters %v, want one person (pairs %v)", tc.what, of, res.Pairs)
		}
		if p := possible(cs); len(p) != 0 {
			t.Errorf("%s: possible matches %v", tc.what, p)
		}
	}
}
