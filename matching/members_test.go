package matching

import (
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"testing"
)

// TestMembers checks Members' counting pass against the map it replaced
// (membersByMap) on random partitions: roots that are their cluster's
// smallest row (as Cluster makes them) and roots that are any row of the
// cluster, every row alone, one cluster, and none.
func TestMembers(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for _, tc := range []struct {
		n, clusters int
		smallest    bool
	}{{0, 1, true}, {1, 1, true}, {50, 50, true}, {50, 1, false}, {1000, 300, true}, {1000, 300, false}, {20000, 9000, false}} {
		// Each row draws a cluster; a cluster's root is its first row
		// (smallest) or a random row of it.
		of := make([]int32, tc.n)
		byCluster := map[int][]int32{}
		for i := range of {
			k := rng.Intn(tc.clusters)
			byCluster[k] = append(byCluster[k], int32(i))
		}
		for _, rows := range byCluster {
			root := rows[0]
			if !tc.smallest {
				root = rows[rng.Intn(len(rows))]
			}
			for _, r := range rows {
				of[r] = root
			}
		}
		c := &Clusters{Of: of}
		got, want := c.Members(), c.membersByMap()
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("n %d, %d clusters, smallest roots %v: Members %v, want %v", tc.n, tc.clusters, tc.smallest, head(got), head(want))
		}
		for k := range got {
			if cap(got[k]) != len(got[k]) {
				t.Fatalf("cluster %d: capacity %d beyond its %d rows: an append would write into the next cluster", k, cap(got[k]), len(got[k]))
			}
		}
	}
}

func head(m [][]int32) [][]int32 { return m[:min(len(m), 4)] }

// TestLargest checks largest against the stable sort of every cluster by
// size, descending, that CheckLargest did before, for several tops.
func TestLargest(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for _, n := range []int{0, 1, 3, 40, 2000} {
		var members [][]int32
		for k := 0; k < n; k++ {
			sz := 1 + rng.Intn(3)
			if rng.Intn(50) == 0 {
				sz = 4 + rng.Intn(6)
			}
			members = append(members, make([]int32, sz))
			members[k][0] = int32(k)
		}
		for _, top := range []int{0, 1, 2, 5, 30, 1999, 5000} {
			want := slices.Clone(members)
			sort.SliceStable(want, func(x, y int) bool { return len(want[x]) > len(want[y]) })
			want = want[:min(top, len(want))]
			got := largest(members, top)
			if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("%d clusters, top %d: largest %v, want %v", n, top, head(got), head(want))
			}
		}
	}
}

// TestMembersNegativeRoots checks that a row whose root is negative is in
// no cluster (registry's storedCoverage leaves the rows of persons it
// does not want out so): the clusters are those of the other rows,
// ordered by their first row, each row once.
func TestMembersNegativeRoots(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{1, 50, 3000} {
		of := make([]int32, n)
		byRoot := map[int32][]int32{}
		for i := range of {
			switch {
			case rng.Intn(3) == 0:
				of[i] = -1
			case i > 0 && rng.Intn(2) == 0 && of[i-1] >= 0:
				of[i] = of[i-1]
			default:
				of[i] = int32(i)
			}
			if of[i] >= 0 {
				byRoot[of[i]] = append(byRoot[of[i]], int32(i))
			}
		}
		var want [][]int32
		for _, rows := range byRoot {
			want = append(want, rows)
		}
		sort.Slice(want, func(x, y int) bool { return want[x][0] < want[y][0] })
		got := (&Clusters{Of: of}).Members()
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("n %d: Members %v, want %v", n, head(got), head(want))
		}
	}
}
