package matching_test

import (
	"fmt"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// Prepare records in a batch (on any goroutine: several batches at
// once), then add the batches to the frame in order.
func ExampleFrame_AddBatch() {
	s := &settings.Settings{Columns: []settings.ColumnSpec{
		{Name: "name", Transforms: []string{"fold"}},
		{Name: "dob", Kind: "date"},
	}}
	f := matching.NewFrame(s)
	b := f.NewBatch()
	for i, r := range []map[string]string{
		{"name": "Nguyễn Văn An", "dob": "01/02/1990"},
		{"name": "NGUYEN VAN AN", "dob": "1990-02-01"},
		{"name": "Trần Thị Bình", "dob": "ngày 40"},
	} {
		b.Add(fmt.Sprint("r", i), 0, func(field string) string { return r[field] }, nil)
	}
	n, err := f.AddBatch(b)
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(n, f.Len())
	for i := range f.Len() {
		fmt.Printf("%s %q %q\n", f.ID(i), f.Value("name", i), f.Value("dob", i))
	}
	fmt.Println(f.UnreadDates())
	// Output:
	// 3 3
	// r0 "nguyen van an" "1990-02-01"
	// r1 "nguyen van an" "1990-02-01"
	// r2 "tran thi binh" ""
	// [{dob 1 r2}]
}
