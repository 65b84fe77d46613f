package schemas_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
)

// EachColumn hands the columns of the chosen rows over one at a time, in
// the order of the ch tags; a column's slice is reused for the next of its
// type, so it is read (here: written out) before fn returns.
func ExampleEachColumn() {
	links := []schemas.Link{
		{RecordID: "r1", PersonID: "P1", MatchProbability: 0.98, MatchRule: "score", Version: 3},
		{RecordID: "r2", PersonID: "P1", MatchProbability: 0.91, MatchRule: "score", Version: 3},
		{RecordID: "r3", PersonID: "P2", MatchProbability: 1, MatchRule: "decision", Version: 4},
	}
	names := schemas.Tags(schemas.Link{})
	err := schemas.EachColumn(links, []int{2, 0}, func(j int, col any) bool {
		if j < 5 { // the link time last: its values are time.Time
			fmt.Printf("%s %v\n", names[j], col)
		}
		return true
	})
	fmt.Println(err)
	// Output:
	// record_id [r3 r1]
	// person_id [P2 P1]
	// match_probability [1 0.98]
	// match_rule [decision score]
	// version [4 3]
	// <nil>
}
