package progress_test

import (
	"os"
	"time"

	"github.com/dancu-vn/dancu/internal/progress"
)

// Without a terminal (here, the example's captured output), a Reporter
// writes a line about a second in, then every few seconds, and a last one
// at Finish. On a terminal the same calls redraw a bar in place.
func ExampleNew() {
	t := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t }
	r := progress.New(os.Stdout, progress.Options{Label: "import list.csv", Total: 10 << 20, Clock: clock})
	for i := int64(1); i <= 4; i++ {
		t = t.Add(2 * time.Second)
		r.Update(i*(2<<20), i*20000, "")
	}
	r.Finish()
	// Output:
	// import list.csv: 20000 rows, 10000 rows/s, 20% of 10.0 MiB, ETA 0:08
	// import list.csv: 80000 rows, 10000 rows/s, 80% of 10.0 MiB, ETA 0:02
}
