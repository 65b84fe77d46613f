package matching

import "fmt"

// Assignment is one record's person, as written by dancu link.
type Assignment struct {
	RecordID         string
	PersonID         string
	IDNumber         string
	IDStatus         string
	MatchProbability float64
}

// Assign names the clusters of res and returns one assignment per record,
// in frame order. ids, when not nil, gives the person id of each cluster
// (by its first row); otherwise persons are numbered P000001… in order of
// their first record.
func Assign(res *Result, ids map[int32]string) []Assignment {
	f := res.Frame
	out := make([]Assignment, f.Len())
	names := map[int32]string{}
	for i := 0; i < f.Len(); i++ {
		root := res.Clusters.Of[i]
		name, ok := names[root]
		if !ok {
			if ids != nil {
				name = ids[root]
			}
			if name == "" {
				name = fmt.Sprintf("P%06d", len(names)+1)
			}
			names[root] = name
		}
		out[i] = Assignment{RecordID: f.ID(i), PersonID: name, MatchProbability: res.Clusters.Prob[i]}
	}
	return out
}
