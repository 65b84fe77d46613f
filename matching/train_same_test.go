package matching

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dancu-vn/dancu/matching/settings"
)

// TestTrainSameModel: training on one frame gives one model, bit for bit,
// whatever the number of workers counting the pairs and whatever order Go
// ranges over its maps in (a new one on every range): floats summed in
// another order differ in their last digits, and a model's version is a
// hash of them (cmd/dancu's TestTrainSameBytes trains the Vietnamese
// settings the same way, GOMAXPROCS included).
func TestTrainSameModel(t *testing.T) {
	s, err := settings.Parse([]byte(toySettings))
	if err != nil {
		t.Fatal(err)
	}
	rows, ids, _ := toyRows(3000, 11)
	f := toyFrame(t, s, rows, ids)
	defer func(w int) { workers = w }(workers)
	var first []byte
	for run, w := range []int{2, 2, 1, 3} {
		workers = w
		m, _, err := Train(context.Background(), f, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Errorf("run %d (%d workers): another model than run 0 (2 workers):\n%s\n%s", run, w, b, first)
		}
	}
}
