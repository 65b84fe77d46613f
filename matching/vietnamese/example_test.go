package vietnamese_test

import (
	"context"
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/schemas"
)

// Link three canonical records with the shipped model: two spellings of
// one person (one without diacritics, the same identification number)
// and someone else.
func ExampleAdapter() {
	s, err := vietnamese.Trained()
	if err != nil {
		fmt.Println(err)
		return
	}
	recs := []schemas.Record{
		{RecordID: "r1", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-05", Sex: "F", IDNumber: "001190012345"},
		{RecordID: "r2", FullName: "Nguyen Thi Thu Ha", BirthDate: "1990-03-05", Sex: "F", IDNumber: "001190012345"},
		{RecordID: "r3", FullName: "Lê Văn Tám", BirthDate: "1971-01-02", Sex: "M", IDNumber: "079071000001"},
	}
	f := matching.NewFrame(s)
	ad := vietnamese.NewAdapter()
	for i := range recs {
		if err := ad.AddRecord(f, &recs[i], 0); err != nil {
			fmt.Println(err)
			return
		}
	}
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range recs {
		fmt.Println(vietnamese.RecordKey(&recs[i]), "person", res.Clusters.Of[i] == res.Clusters.Of[0])
	}
	// Output:
	// r1 person true
	// r2 person true
	// r3 person false
}

// Prepare records in a batch (on a worker: several batches at once), then
// add the batch to the frame, in order.
func ExampleAdapter_AddTo() {
	s, err := vietnamese.Settings()
	if err != nil {
		fmt.Println(err)
		return
	}
	f := matching.NewFrame(s)
	b := f.NewBatch()
	ad := vietnamese.NewAdapter()
	for _, r := range []*schemas.Record{
		{RecordID: "r1", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-05", IDNumber: "001190012345"},
		{RecordID: "r2", FullName: "NGUYEN THI THU HA", BirthDate: "1990-03-05", FatherName: "Nguyễn Văn Ba"},
	} {
		ad.AddTo(b, r, 0)
	}
	if _, err := f.AddBatch(b); err != nil {
		fmt.Println(err)
		return
	}
	for i := range f.Len() {
		fmt.Println(f.ID(i), f.Value("name_key", i), "|", f.Value("father", i), "|", f.Value("id", i))
	}
	// Output:
	// r1 nguyen thi thu ha |  | 001190012345
	// r2 nguyen thi thu ha | nguyen van ba |
}
