package registry_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dancu-vn/dancu/matching/vietnamese"
	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A registry closed saves its set of blocks (its blocking index) beside
// its store; opened again, it reads it back instead of making every
// record's blocking keys again, and only the records added after the
// save are read from the store.
func ExampleConfig_blockSetCheckpoint() {
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	s, err := vietnamese.Trained()
	if err != nil {
		fmt.Println(err)
		return
	}
	ad := registry.NewRecords()
	a := schemas.Record{RecordID: "file1/row2", FullName: "Nguyễn Thị Thu Hà", BirthDate: "1990-03-15", BirthYear: 1990, Sex: "F",
		IDNumber: "001190012345", PermProvinceCode: "01", PermCommuneCode: "00004"}
	b := a
	b.RecordID, b.FullName = "file2/row7", "NGUYEN THI THU HA"
	for _, batch := range [][]schemas.Record{{a}, {b}} {
		// Saved only when closed (a negative checkpoint).
		reg, err := registry.Open(registry.Config{Dir: dir, Settings: s, BlockSetCheckpoint: -1})
		if err != nil {
			fmt.Println(err)
			return
		}
		out, err := reg.AddRecords(context.Background(), ad, batch) // waits for the set
		if err != nil {
			fmt.Println(err)
			return
		}
		st := reg.Stats()
		fmt.Printf("read from its file %v, %d records after it; %s founded by file1/row2: %v\n", st.BlockSetFromFile, st.BlockSetReplayed,
			out.Links[0].RecordID, out.Links[0].PersonID == registry.PersonID("file1/row2"))
		if err := reg.Close(); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Output:
	// read from its file false, 0 records after it; file1/row2 founded by file1/row2: true
	// read from its file true, 0 records after it; file2/row7 founded by file1/row2: true
}
