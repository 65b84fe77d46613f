package matching

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
)

// Assignment is one record's person, as written by dancu link.
type Assignment struct {
	RecordID         string
	PersonID         string
	IDNumber         string
	IDStatus         string
	MatchProbability float64
}

// Assign names the clusters of res and returns one assignment per record
// in frame order, the person summaries and the conflicts. ids, when not
// nil, gives the person id of a cluster by its first row; clusters it
// does not name are numbered P000001… in order of their first record
// (skipping names ids already uses).
func Assign(res *Result, ids map[int32]string) ([]Assignment, []PersonSummary, []schemas.Conflict) {
	f := res.Frame
	// The names by root row, not in a map: every record asks for its
	// cluster's (link4). The names used are kept only when ids gives
	// some: the numbered ones never meet one another.
	names := make([]string, f.Len())
	var used map[string]bool
	if len(ids) > 0 {
		used = map[string]bool{}
		for _, v := range ids {
			used[v] = true
		}
	}
	seq := 0
	nameOf := func(root int32) string {
		if n := names[root]; n != "" {
			return n
		}
		n := ids[root]
		for n == "" || (used[n] && ids[root] != n) {
			seq++
			n = fmt.Sprintf("P%06d", seq)
		}
		if used != nil {
			used[n] = true
		}
		names[root] = n
		return n
	}
	for i := 0; i < f.Len(); i++ {
		nameOf(res.Clusters.Of[i])
	}
	sums, conflicts := Summarise(res, nameOf)
	out := make([]Assignment, f.Len())
	for _, s := range sums {
		for _, r := range s.Rows {
			out[r] = Assignment{RecordID: f.ID(int(r)), PersonID: names[s.Root], IDNumber: s.IDNumber,
				IDStatus: s.IDStatus, MatchProbability: res.Clusters.Prob[r]}
		}
	}
	return out, sums, conflicts
}
