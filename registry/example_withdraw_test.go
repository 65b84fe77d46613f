package registry_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A corrected file replaced file1: its records are withdrawn. The person
// file1/row2 founded keeps its id on its record left (file2/row7); the
// person whose only record was withdrawn is retired.
func ExampleRegistry_Withdraw() {
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
	ctx := context.Background()
	a := schemas.Record{RecordID: "file1/row2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "file2/row7", "NGUYEN THI THU HA"
	c := schemas.Record{RecordID: "file1/row3", FullName: "Trần Văn Bình", BirthDate: "1975-01-02", BirthYear: 1975, Sex: "M"}
	if _, err := reg.AddRecords(ctx, registry.NewRecords(), []schemas.Record{a, b, c}); err != nil {
		fmt.Println(err)
		return
	}
	w := schemas.Withdrawal{WithdrawalID: "w1", Batch: "b2", Replaces: "b1", RecordIDs: []string{"file1/row2", "file1/row3"}}
	out, err := reg.Withdraw(ctx, w)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("withdrawn", out.Withdrawn)
	for _, p := range out.Persons {
		switch p.PersonID {
		case registry.PersonID("file1/row2"):
			fmt.Println("Hà's person keeps its id:", p.RecordCount, "record")
		case registry.PersonID("file1/row3"):
			fmt.Println("Bình's person retired:", p.MergedInto == registry.WithdrawnInto+"b2")
		}
	}
	// The same withdrawal again (a re-flush: its output was not written)
	// returns the same output and changes nothing.
	again, _ := reg.Withdraw(ctx, w)
	fmt.Println("again", again.Withdrawn)
	// Output:
	// withdrawn [file1/row2 file1/row3]
	// Hà's person keeps its id: 1 record
	// Bình's person retired: true
	// again [file1/row2 file1/row3]
}
