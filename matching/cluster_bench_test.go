package matching_test

import (
	"context"
	"testing"

	"github.com/dancu-vn/dancu/matching"
)

// BenchmarkClusterAssign clusters a generated population's scored pairs
// and names its persons as dancu link does after scoring (Cluster, then
// Assign: the summaries and conflicts), with the model the embedded
// Vietnamese settings train on it (average linkage, guards, the
// term-frequency adjustments within a province). $DANCU_CLUSTER_PERSONS
// sets the persons generated (default 20,000: about 36,000 records).
// cpu-s/op is the process's CPU time per op (every core); wall time per
// op is the figure the single-core parts decide.
func BenchmarkClusterAssign(b *testing.B) {
	s, f := benchPopulation(b, "DANCU_CLUSTER_PERSONS")
	res, err := matching.Link(context.Background(), f, s)
	if err != nil {
		b.Fatal(err)
	}
	persons0 := 0
	benchCPU(b, f.Len(), func() {
		cl, err := matching.Cluster(f, res.Settings, res.Pairs)
		if err != nil {
			b.Fatal(err)
		}
		r := *res
		r.Clusters = cl
		_, sums, _ := matching.Assign(&r, nil)
		persons0 = len(sums)
	})
	b.ReportMetric(float64(persons0), "persons")
}
