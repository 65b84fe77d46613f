package registry

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching/vietnamese"
)

// The set of ids rebuilt when the registry opens holds the ids the store
// held then and those batches wrote while it was built (kept aside,
// idsSince), and few others (an id it holds wrongly is a look-up for
// nothing; one it lacks would be numbered again).
func TestIDSetKeepsIDsWrittenWhileBuilt(t *testing.T) {
	s, err := vietnamese.Trained()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(Config{Dir: t.TempDir(), Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	<-r.blocksDone
	const n = 5000
	for i := 0; i < n; i++ {
		if err := r.db.Set(idKey(fmt.Sprint("stored", i)), idValue(uint64(i), nil), pebble.NoSync); err != nil {
			t.Fatal(err)
		}
	}
	// A rebuild from the store as it is now, ids written before it ends.
	it, err := r.db.NewIter(&pebble.IterOptions{LowerBound: []byte{kID}, UpperBound: []byte{kID + 1}})
	if err != nil {
		t.Fatal(err)
	}
	r.ids, r.idsSince, r.blocksDone, r.blocksReady = nil, &blockSet{}, make(chan struct{}), make(chan struct{})
	for i := 0; i < n; i++ {
		r.noteID(fmt.Sprint("meanwhile", i))
		if !r.mayHold(fmt.Sprint("never", i)) || !r.mayHold(fmt.Sprint("stored", i)) {
			t.Fatal("while the set is built, an id was said not in the store: every id must be looked up")
		}
	}
	r.loadBlocks(nil, []*pebble.Iterator{it}, nil)
	if r.ids == nil || r.idsSince != nil {
		t.Fatalf("set of ids not built (%v), or ids kept aside still (%v)", r.ids != nil, r.idsSince != nil)
	}
	wrong := 0
	for i := 0; i < n; i++ {
		if !r.mayHold(fmt.Sprint("stored", i)) {
			t.Fatalf("stored id %d not in the set", i)
		}
		if !r.mayHold(fmt.Sprint("meanwhile", i)) {
			t.Fatalf("id %d written while the set was built not in it", i)
		}
		if r.mayHold(fmt.Sprint("never", i)) {
			wrong++
		}
	}
	if wrong > n/100 {
		t.Errorf("%d of %d ids never written said to be in the store", wrong, n)
	}
}
