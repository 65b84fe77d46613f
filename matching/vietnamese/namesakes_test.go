package vietnamese

import (
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Two cousins of one village, of one name and birth year, born on
// different days and without numbers, and a police list's record giving
// only the name and the year, which fits either: the year-only record
// may join one of them, never both (the full_date guard). Before it,
// the year-only record chained them into one person (acc19's same-year
// namesakes on fourthpop).
func TestSameYearNamesakesNotChainedThroughAYearOnlyRecord(t *testing.T) {
	cousin := func(date string) schemas.Record {
		r := base()
		r.FullName, r.Sex, r.IDNumber, r.CMND = "Nguyễn Văn Nam", "M", "", ""
		r.FatherName, r.MotherName = "", ""
		r.BirthDate, r.BirthYear = date, 1994
		return r
	}
	police := cousin("")
	police.BirthDate = ""
	of := linkRecords(t, []schemas.Record{cousin("1994-10-15"), police, cousin("1994-04-05")})
	if of[0] == of[2] {
		t.Fatalf("clusters %v: the two cousins born 15 October and 5 April are one person", of)
	}
	// The same person's records, one with the day and month swapped:
	// one birthday, one person.
	of = linkRecords(t, []schemas.Record{cousin("1994-10-05"), police, cousin("1994-05-10")})
	if of[0] != of[2] || of[0] != of[1] {
		t.Fatalf("clusters %v: records with the day and month swapped are not one person", of)
	}
}

// A Khmer name written clan last on one list ("Sóc Kha Lâm") and clan
// first on another ("Lâm Sóc Kha"), of one birth year: the name and year
// rule proposes the pair (its key is the name's words sorted). Before,
// no rule did: the family, given and full names all differ.
func TestClanWrittenLastIsCompared(t *testing.T) {
	a, b := base(), base()
	a.FullName, a.Sex, a.BirthDate, a.BirthYear = "Lâm Sóc Kha", "M", "", 1953
	b.FullName, b.Sex, b.BirthDate, b.BirthYear = "Sóc Kha Lâm", "M", "1953-07-14", 1953
	a.IDNumber, a.CMND, b.IDNumber, b.CMND = "", "", "", ""
	a.FatherName, a.MotherName = "", ""
	a.RecordID, b.RecordID = "a", "b"
	f, s := trainedFrame(t, []schemas.Record{a, b}, false)
	c, err := matching.PairsCompleteness(f, s, map[string]string{"a": "p", "b": "p"})
	if err != nil {
		t.Fatal(err)
	}
	if c.TruePairs != 1 || c.Covered != 1 {
		t.Fatalf("blocking makes %d of %d true pairs, want the two records compared", c.Covered, c.TruePairs)
	}
}
