package eval_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching/eval"
)

// Pairwise and B-cubed scores of predicted clusters against the truth.
func ExampleClusters() {
	truth := map[string]string{"a": "1", "b": "1", "c": "1", "d": "2"}
	pred := map[string]string{"a": "P1", "b": "P1", "c": "P2", "d": "P2"}
	m := eval.Clusters(truth, pred)
	fmt.Printf("P %.3f R %.3f F1 %.3f B-cubed F1 %.3f\n", m.Precision, m.Recall, m.F1, m.BCubedF1)
	// Output: P 0.500 R 0.333 F1 0.400 B-cubed F1 0.706
}

// Conflicts found against conflicts planted: a found conflict counts when
// it has the kind of a planted one and shares a number or a record with
// it; kinds never planted (grey_zone) stay out of precision.
func ExampleConflicts() {
	planted := []eval.ConflictRef{
		{Kind: "shared_id", Numbers: []string{"001190012345"}, Records: []string{"r1", "r2"}},
		{Kind: "two_ids", Numbers: []string{"001190000001", "001190000002"}, Records: []string{"r7"}},
	}
	found := []eval.ConflictRef{
		{Kind: "shared_id", Numbers: []string{"001190012345"}, Records: []string{"r2", "r9"}},
		{Kind: "shared_id", Numbers: []string{"079190000003"}, Records: []string{"r4", "r5"}},
		{Kind: "grey_zone", Records: []string{"r1", "r3"}},
	}
	m := eval.Conflicts(planted, found)
	for _, k := range m.Kinds {
		fmt.Printf("%s: found %d of %d planted, %d of %d predicted correct\n", k.Kind, k.Found, k.Planted, k.Correct, k.Predicted)
	}
	// Output:
	// shared_id: found 1 of 1 planted, 1 of 2 predicted correct
	// two_ids: found 0 of 1 planted, 0 of 0 predicted correct
}
