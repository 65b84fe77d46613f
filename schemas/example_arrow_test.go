package schemas_test

import (
	"fmt"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// A batch of canonical records as it travels on dancu.records.
func ExampleEncodeRecords() {
	rs := []schemas.Record{{
		RecordID:      schemas.RecordID("9f2c…", "Danh sách", 2),
		SchemaVersion: schemas.Version,
		SourceKind:    schemas.KindCSV,
		Row:           2,
		SourceDate:    time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
		FullName:      "Nguyễn Thị Thuỷ",
		BirthYear:     1990,
		OCRConfidence: map[string]float32{"full_name": 0.97},
	}}
	b, err := schemas.EncodeRecords(rs)
	if err != nil {
		fmt.Println(err)
		return
	}
	back, err := schemas.DecodeRecords(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := back[0]
	fmt.Println(r.FullName, r.BirthYear, r.SourceDate.Format("2006-01-02"), r.OCRConfidence["full_name"])
	// Output: Nguyễn Thị Thuỷ 1990 2025-07-01 0.97
}

// The match stage ships persons, links and conflicts on one topic; the
// load stage peeks at each batch to pick the decoder.
func ExamplePeekBatch() {
	b, _ := schemas.EncodeRows([]schemas.Link{{RecordID: "r1", PersonID: "p1", MatchProbability: 0.99}})
	info, _ := schemas.PeekBatch(b)
	switch info.RowType {
	case "link":
		links, _ := schemas.DecodeRows[schemas.Link](b)
		fmt.Println(info.SchemaVersion == schemas.Version, links[0].PersonID)
	}
	// Output: true p1
}

// Two messages decoded one after the other into one array, as the match
// stage gathers a micro-batch: their rows are consecutive, no copy joins
// them.
func ExampleDecodeRowsInto() {
	m1, _ := schemas.EncodeRows([]schemas.Link{{RecordID: "r1", PersonID: "p1"}, {RecordID: "r2", PersonID: "p1"}})
	m2, _ := schemas.EncodeRows([]schemas.Link{{RecordID: "r3", PersonID: "p2"}})
	buf := make([]schemas.Link, 16)
	used := 0
	for _, m := range [][]byte{m1, m2} {
		err := schemas.DecodeRowsInto(m, func(n int) []schemas.Link {
			rows := buf[used : used+n]
			used += n
			return rows
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, l := range buf[:used] {
		fmt.Print(l.RecordID, "→", l.PersonID, " ")
	}
	fmt.Println()
	// Output: r1→p1 r2→p1 r3→p2
}
