package registry_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

func ExampleRegistry_AddRecords() {
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	s, err := vietnamese.Trained()
	if err != nil {
		fmt.Println(err)
		return
	}
	reg, err := registry.Open(registry.Config{Dir: dir, Settings: s})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()
	ad := registry.NewRecords()
	a := schemas.Record{RecordID: "file1/row2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "file2/row7", "NGUYEN THI THU HA"
	c := schemas.Record{RecordID: "file2/row8", FullName: "Trần Văn Bình", BirthDate: "1975-01-02", BirthYear: 1975, Sex: "M"}
	out, err := reg.AddRecords(context.Background(), ad, []schemas.Record{a, b, c})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range out.Links {
		fmt.Println(l.RecordID, l.PersonID == registry.PersonID("file1/row2"))
	}
	// The same batch again (a re-flush): the same output.
	again, _ := reg.AddRecords(context.Background(), ad, []schemas.Record{a, b, c})
	fmt.Println(len(out.Persons), len(again.Persons), reg.Len())
	// Output:
	// file1/row2 true
	// file2/row7 true
	// file2/row8 false
	// 2 2 3
}

// The registry scaled out: its new records go, one Item per blocking
// key, to two Scorers (each holding the blocks of the keys Partition
// routes to it); the registry clusters the edges they return.
func ExampleLocal() {
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	s, err := vietnamese.Trained()
	if err != nil {
		fmt.Println(err)
		return
	}
	var scorers []*registry.Scorer
	for i := 0; i < 2; i++ {
		sc, err := registry.OpenScorer(registry.ScorerConfig{Dir: fmt.Sprintf("%s/score%d", dir, i), Settings: s})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer sc.Close()
		scorers = append(scorers, sc)
	}
	reg, err := registry.Open(registry.Config{Dir: dir + "/registry", Settings: s, Score: registry.Local(scorers)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()
	a := schemas.Record{RecordID: "file1/row2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "file2/row7", "NGUYEN THI THU HA"
	ad := registry.NewRecords()
	if _, err := reg.AddRecords(context.Background(), ad, []schemas.Record{a}); err != nil {
		fmt.Println(err)
		return
	}
	out, err := reg.AddRecords(context.Background(), ad, []schemas.Record{b})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range out.Links {
		fmt.Println(l.RecordID, l.PersonID == registry.PersonID("file1/row2"))
	}
	fmt.Println(reg.Stats().Edges)
	// Output:
	// file2/row7 true
	// 1
}

// The block cache follows the process's soft memory limit (dancu run
// --memory-limit): a quarter of it, at least 256 MB.
func ExampleDefaultCacheBytes() {
	old := debug.SetMemoryLimit(4 << 30)
	defer debug.SetMemoryLimit(old)
	fmt.Println(registry.DefaultCacheBytes() >> 20)
	debug.SetMemoryLimit(512 << 20)
	fmt.Println(registry.DefaultCacheBytes() >> 20)
	debug.SetMemoryLimit(math.MaxInt64) // no limit
	fmt.Println(registry.DefaultCacheBytes() >> 20)
	// Output:
	// 1024
	// 256
	// 256
}

// The scoring frame kept between batches (the decoded candidates) also
// follows the soft memory limit: a quarter of it at 1 KiB a row, at
// least 400,000 rows.
func ExampleDefaultFrameRows() {
	old := debug.SetMemoryLimit(4 << 30)
	defer debug.SetMemoryLimit(old)
	fmt.Println(registry.DefaultFrameRows())
	debug.SetMemoryLimit(math.MaxInt64) // no limit
	fmt.Println(registry.DefaultFrameRows())
	// Output:
	// 1048576
	// 400000
}

// The store's memtable follows the soft memory limit too: a sixteenth of
// it, at least 64 MB (fewer flushes, fewer rewrites of the base level).
func ExampleDefaultMemTableBytes() {
	old := debug.SetMemoryLimit(4 << 30)
	defer debug.SetMemoryLimit(old)
	fmt.Println(registry.DefaultMemTableBytes() >> 20)
	debug.SetMemoryLimit(512 << 20)
	fmt.Println(registry.DefaultMemTableBytes() >> 20)
	debug.SetMemoryLimit(math.MaxInt64) // no limit
	fmt.Println(registry.DefaultMemTableBytes() >> 20)
	// Output:
	// 256
	// 64
	// 64
}
