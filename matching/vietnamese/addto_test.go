package vietnamese

import (
	"fmt"
	"testing"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// TestAddToSame checks that records prepared with AddTo (the derived
// fields' room reused from record to record) and added with AddBatch
// give the frame that Fields and Frame.Add give, value for value — OCR
// confidences included. The batch is reused, 64 records at a time, as
// dancu link reuses its batches: the parents' names folded into its
// scratch bytes (a different name each record) are written over by the
// next records' after Reset, so a value the frame kept in place of a copy
// would read another's; so are the names' parts and keys (five names, a
// batch's records not in step with the batch before's).
func TestAddToSame(t *testing.T) {
	s, err := Trained() // with a model: the pair below is explained with its weights
	if err != nil {
		t.Fatal(err)
	}
	var recs []*schemas.Record
	for i := range 300 {
		r := &schemas.Record{
			RecordID:    fmt.Sprintf("r%03d", i),
			FullName:    []string{"Nguyễn Văn An", "Trần Thị Bình", "LE VAN CUONG", "Phạm Thị Thu Hà", "Thị Hoa Lê"}[i%5],
			BirthDate:   fmt.Sprintf("19%02d-%02d-%02d", 50+i%40, 1+i%12, 1+i%28),
			Sex:         []string{"Nam", "Nữ", ""}[i%3],
			IDNumber:    fmt.Sprintf("0010%08d", 89000000+i%97),
			PermAddress: []string{"Số 5, Xã Tam Hiệp, H. Phúc Thọ, TP. Hà Nội", "Phường Bến Nghé, Quận 1, TP.HCM", ""}[i%3],
			CurAddress:  []string{"Xã Tam Hiệp, Huyện Phúc Thọ, Hà Nội", "Thôn 2, X. Tam Hiệp, Phúc Thọ"}[i%2],
			NativePlace: "Tỉnh Nam Định",
			FatherName:  []string{"Nguyễn Văn ", "", "TRẦN VĂN ", "nguyen van "}[i%4] + []string{"Ánh", "Bảo", "Cường", "Dũng", "Đạt", "Giang", "Hưng"}[i%7],
			MotherName:  []string{"Lê Thị Năm", "le thi nam", "Lê Thị " + fmt.Sprint(i)}[i%3],
			Ethnicity:   []string{"Kinh", "Tày"}[i%2],
		}
		if i%7 == 0 {
			r.OCRConfidence = map[string]float32{"full_name": 0.62, "birth_date": 0.9}
		}
		recs = append(recs, r)
	}
	ad := NewAdapter()
	want := matching.NewFrame(s)
	for _, r := range recs {
		if err := ad.AddRecord(want, r, 1); err != nil {
			t.Fatal(err)
		}
	}
	got := matching.NewFrame(s)
	b := got.NewBatch()
	for start := 0; start < len(recs); start += 64 {
		b.Reset()
		part := recs[start:min(start+64, len(recs))]
		for _, r := range part {
			ad.AddTo(b, r, 1)
		}
		if n, err := got.AddBatch(b); err != nil || n != len(part) {
			t.Fatalf("AddBatch: %d, %v", n, err)
		}
	}
	for i := range recs {
		if got.ID(i) != want.ID(i) || got.Source(i) != want.Source(i) {
			t.Fatalf("row %d: %s/%d, want %s/%d", i, got.ID(i), got.Source(i), want.ID(i), want.Source(i))
		}
		for _, c := range s.Columns {
			if g, w := got.Value(c.Name, i), want.Value(c.Name, i); g != w {
				t.Errorf("row %d column %s = %q, want %q", i, c.Name, g, w)
			}
		}
	}
	e1, e2 := matching.ExplainPair(want, s, 0, 7), matching.ExplainPair(got, s, 0, 7)
	if fmt.Sprint(e1) != fmt.Sprint(e2) {
		t.Errorf("the pair of a record with OCR confidences explains differently:\n%v\n%v", e2, e1)
	}
}
