package pipelines_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// The match stage's linker over the identity registry: without brokers
// it keeps no changelog (dancu run gives it one). A police decision then
// separates two records the model joined.
func ExampleOpenRegistry() {
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	a := schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "f2/7", "NGUYEN THI THU HA"
	res, err := l.Link(ctx, []schemas.Record{a, b})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Persons), res.Links[0].PersonID == registry.PersonID("f1/2"), res.Links[1].PersonID == registry.PersonID("f1/2"))
	res, err = l.Decide(ctx, schemas.Decision{DecisionID: "d1", RecordIDs: []string{"f1/2", "f2/7"}, Decision: schemas.DecisionDifferentPersons})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Events[0].Kind, res.Events[0].Reason)
	// Output:
	// 1 true true
	// split decision:d1
}

// The match stage hands the registry linker the records it has already
// encoded for its output (schemas.EncodeRecords of consecutive runs, in
// order), so that the changelog carries the same bytes instead of a
// second encoding; the result is Link's.
func ExampleRegistryLinker_LinkChunks() {
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	l, _, err := pipelines.OpenRegistry(ctx, pipelines.RegistryConfig{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	a := schemas.Record{RecordID: "f1/2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "f2/7", "NGUYEN THI THU HA"
	recs := []schemas.Record{a, b}
	chunk, err := schemas.EncodeRecords(recs)
	if err != nil {
		fmt.Println(err)
		return
	}
	var linker pipelines.ChunkLinker = l
	res, err := linker.LinkChunks(ctx, recs, [][]byte{chunk})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Persons), res.Links[0].PersonID == res.Links[1].PersonID)
	// Output:
	// 1 true
}
