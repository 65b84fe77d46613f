package vietnamese

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// linkRecords links canonical records with the shipped settings and model
// and returns each record's cluster.
func linkRecords(t *testing.T, recs []schemas.Record) []int32 {
	t.Helper()
	for i := range recs {
		recs[i].RecordID = string(rune('a' + i))
	}
	f, s := trainedFrame(t, recs, false)
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	return res.Clusters.Of
}

// A record carrying its household head's number (born 1965) beside the
// person's own records (born 1990, own number): the copied number is not
// the person's, so the guard on valid numbers must not keep the record
// from its person. Before id_own, the guard read every valid number and
// the record stayed alone.
func TestHeadNumberOnARecordDoesNotSplitThePerson(t *testing.T) {
	own, other := base(), base()
	other.IDNumber = "001065098765" // the head's: a man born 1965
	third := base()
	third.CMND = ""
	of := linkRecords(t, []schemas.Record{own, other, third})
	if of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: the record with the head's number is not with its person", of)
	}
	// Her husband's number, of her own birth year but a man's: it
	// contradicts the sex ticked, so it is not taken for hers either.
	spouse := base()
	spouse.IDNumber = "001090098765"
	of = linkRecords(t, []schemas.Record{base(), spouse, third})
	if of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: the record with her husband's number is not with its person", of)
	}
	// The same number of the person's own birth year is a second number
	// of hers: two valid numbers still keep records apart.
	two := base()
	two.IDNumber = "001190098765"
	of = linkRecords(t, []schemas.Record{base(), two})
	if of[0] == of[1] {
		t.Fatalf("two numbers of the person's birth year were linked: clusters %v", of)
	}
}

// A wrong sex ticked on one record whose own number encodes the sex of
// the person's other records: the sex guard must not split the person.
// Before sex_sure it did (distinct sex).
func TestWrongSexTickDoesNotSplitThePerson(t *testing.T) {
	a, b := base(), base()
	b.Sex = "M" // 001190…: century digit 1, a woman born 1990
	of := linkRecords(t, []schemas.Record{a, b, base()})
	if of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: the record with the wrong sex ticked is not with its person", of)
	}
}

// A record with only its CMND (no number to say the sex) and the man's
// box ticked beside the woman's own records: her middle name Thị says
// the tick may be the wrong one, so it keeps nothing apart (othernoise's
// cmnd_in_id with sex_wrong). A Văn ticked as a woman is the same.
func TestWrongSexTickAgainstTheMiddleName(t *testing.T) {
	a, b := base(), base()
	b.IDNumber, b.Sex = "", "M" // Nguyễn Thị Thu Hà, her CMND only
	if of := linkRecords(t, []schemas.Record{a, b, base()}); of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: Thị ticked as a man is not with her records", of)
	}
	man := func() schemas.Record {
		r := base()
		r.FullName, r.Sex, r.IDNumber = "Nguyễn Văn Hà", "M", "001090012345"
		return r
	}
	c := man()
	c.IDNumber, c.Sex = "", "F"
	if of := linkRecords(t, []schemas.Record{man(), c, man()}); of[0] != of[1] || of[0] != of[2] {
		t.Fatalf("clusters %v: Văn ticked as a woman is not with his records", of)
	}
}
