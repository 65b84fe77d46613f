package vietnamese

import (
	"context"
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// copiedNumberRecords returns n records of n different persons carrying
// one number (a clerk's, copied down the column): the first two are two
// women of one given name and birth year in one commune, of different
// families, birthdays and parents; the others have names of their own.
func copiedNumberRecords(n int) []schemas.Record {
	const number = "001190000045" // a woman born 1990: "own" for both women
	var recs []schemas.Record
	for i := 0; i < n; i++ {
		r := base()
		r.RecordID, r.IDNumber, r.CMND = fmt.Sprintf("r%03d", i), number, ""
		switch i {
		case 0:
			r.FullName, r.BirthDate, r.FatherName, r.MotherName = "Nguyễn Thị Hà", "1990-03-05", "Nguyễn Văn An", "Trần Thị Bình"
		case 1:
			r.FullName, r.BirthDate, r.FatherName, r.MotherName = "Lê Thị Hà", "1990-08-21", "Lê Văn Tám", "Phạm Thị Lan"
		default:
			r.FullName = fmt.Sprintf("%s Văn %s", []string{"Trần", "Phạm", "Hoàng", "Vũ", "Đặng"}[i%5], []string{"Minh", "Tuấn", "Hùng", "Dũng", "Quang", "Long", "Sơn"}[i%7])
			r.Sex, r.BirthDate, r.BirthYear = "M", fmt.Sprintf("%d-01-%02d", 1940+i, 1+i%28), uint16(1940+i)
			r.FatherName, r.MotherName = "", ""
		}
		recs = append(recs, r)
	}
	return recs
}

// A number copied onto more records than generic_values' max_records
// (20 for id) is no evidence: the two women of one given name and birth
// year who carry it are two persons, and the link says which value it
// read as missing, on how many records. Without generic_values the same
// records make them one person (the number's weight and its exemption
// from the full_date guard), which is what dancu link did before (ids1).
func TestNumberCopiedOntoManyRecordsIsNoEvidence(t *testing.T) {
	link := func(recs []schemas.Record, generic bool) *matching.Result {
		t.Helper()
		f, s := trainedFrame(t, recs, false)
		if !generic {
			s.GenericValues = nil
		}
		res, err := matching.Link(context.Background(), f, s)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := link(copiedNumberRecords(30), false)
	if of := res.Clusters.Of; of[0] != of[1] {
		t.Fatalf("without generic_values the two women sharing the copied number are two persons: the test no longer shows the harm")
	}
	res = link(copiedNumberRecords(30), true)
	if of := res.Clusters.Of; of[0] == of[1] {
		t.Errorf("the two women sharing a number copied onto 30 records are one person")
	}
	if len(res.Generic) != 1 || res.Generic[0].Column != "id" || res.Generic[0].Records != 30 {
		t.Errorf("generic values %v, want id on 30 records", res.Generic)
	}
	if got := res.Generic[0].String(); got != "id 0011******45: 30 records" {
		t.Errorf("generic value described as %q, want the number masked", got)
	}
	if n := res.Frame.Value("id", 0); n != "" {
		t.Errorf("record 0's number reads %q after the link, want none", n)
	}
	// At max_records records the number is still evidence.
	res = link(copiedNumberRecords(20), true)
	if len(res.Generic) != 0 {
		t.Errorf("a number on 20 records (max_records 20) read as generic: %v", res.Generic)
	}
	if of := res.Clusters.Of; of[0] != of[1] {
		t.Errorf("a number on 20 records is no evidence: the two women are two persons")
	}
}
