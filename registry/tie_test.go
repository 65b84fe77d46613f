package registry_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A record giving only its birth year (a police list) whose links to two
// namesakes of one village and one year, born months apart, weigh
// exactly the same joins neither, whatever the arrival order and batch
// size: before, it joined the namesake the clustering's rows put first,
// which depended on the order of arrival.
func TestTieJoinsNeitherInAnyOrder(t *testing.T) {
	a := schemas.Record{RecordID: "hk/1", FullName: "Cầm Thị Phanh", BirthDate: "1990-03-22", BirthYear: 1990, Sex: "F",
		PermProvinceCode: "14", PermCommuneCode: "03898"}
	b := a
	b.RecordID, b.BirthDate = "hk/2", "1990-10-05"
	y := a
	y.RecordID, y.BirthDate = "ca/7", ""
	recs := []schemas.Record{a, b, y}
	orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, ord := range orders {
		for _, n := range []int{1, 2, 3} {
			reg := openVietnamese(t)
			person := map[string]string{}
			for i := 0; i < len(ord); i += n {
				var batch []schemas.Record
				for _, k := range ord[i:min(i+n, len(ord))] {
					batch = append(batch, recs[k])
				}
				out, err := reg.AddRecords(context.Background(), registry.NewRecords(), batch)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range out.Links {
					person[l.RecordID] = l.PersonID
				}
			}
			pa, pb, py := person[a.RecordID], person[b.RecordID], person[y.RecordID]
			if pa == "" || pb == "" || py == "" || pa == pb || py == pa || py == pb {
				t.Errorf("order %v batch %d: persons %s %s %s (namesakes, year-only record), want three", ord, n, pa, pb, py)
			}
		}
	}
}
