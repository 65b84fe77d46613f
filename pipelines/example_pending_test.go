package pipelines_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dancu-vn/dancu/pipelines"
)

// Before coverage.Rebuild, with the load stages stopped, the inserts of
// deltas they left unfinished go (dancu coverage --rebuild does it for
// --home/load): the rebuild counts their rows from the tables. A load
// directory that was never used holds none.
func ExampleDropPendingInserts() {
	home, err := os.MkdirTemp("", "dancu-home")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(home)
	n, err := pipelines.DropPendingInserts(filepath.Join(home, "load"))
	fmt.Println(n, err)
	// Output: 0 <nil>
}
