package registry_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A tool that writes person rows itself (not through a Registry) computes
// the coverage deltas the load stage expects with a CoverageTracker: a new
// person counts +1 where it lives, a person that gains a 12-digit number
// moves from "without" to "with", and a row that changes nothing coverage
// counts emits no delta.
func ExampleCoverageTracker() {
	var tr registry.CoverageTracker
	p := schemas.Person{PersonID: "P-a", Version: 1, ProvinceCode: "40", CommuneCode: "17173", BirthYear: 1990}
	show := func(ds []schemas.PersonDelta) {
		fmt.Println(len(ds), "delta(s)")
		for _, d := range ds {
			fmt.Printf("  %s living %d has_id %d (before: living %d has_id %d)\n",
				d.PersonID, d.Living, d.HasID, d.OldLiving, d.OldHasID)
		}
	}
	show(tr.Deltas([]schemas.Person{p}))
	p.Version, p.IDNumber = 2, "040090012345"
	show(tr.Deltas([]schemas.Person{p}))
	p.Version = 3 // a new record joined; nothing coverage counts changed
	show(tr.Deltas([]schemas.Person{p}))
	// Output:
	// 1 delta(s)
	//   P-a living 1 has_id 0 (before: living 0 has_id 0)
	// 1 delta(s)
	//   P-a living 1 has_id 1 (before: living 1 has_id 0)
	// 0 delta(s)
}
