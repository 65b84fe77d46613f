package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/internal/synth"
)

// messyCSV is a list with every kind of row the reader sorts out: title
// rows above the header, blank rows, a repeated header, a section
// heading, rows without a name (rejects), impossible dates and malformed
// numbers (notes), NFD and padded cells, a footer followed by data again,
// and, last, a quote left open (an unreadable row).
func messyCSV(n int) string {
	var b strings.Builder
	b.WriteString("DANH SÁCH NHÂN KHẨU\nThôn Đông,,,,,\n\n")
	header := "STT,Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Dân tộc,Nơi thường trú\n"
	b.WriteString(header)
	for i := 1; i <= n; i++ {
		switch {
		case i%97 == 0:
			b.WriteString(",,,,,,\n") // blank
		case i%101 == 0:
			b.WriteString(header) // the header again, on a new page
		case i%113 == 0:
			b.WriteString(",Thôn Tây,,,,,\n") // a section heading in the name column
		case i%89 == 0:
			fmt.Fprintf(&b, "%d,,01/02/1990,Nam,001090012345,Kinh,Thôn 1\n", i) // no name: a reject
		case i%83 == 0:
			fmt.Fprintf(&b, "%d,Nguyễn Văn %d,31/02/1990,Nam,12-34,Kinh,Thôn 1\n", i, i) // bad date and number: notes
		case i%7 == 0:
			fmt.Fprintf(&b, "%d,  Tra\u0302\u0300n Thi\u0323 %d ,05/11/1987,Nữ,001187004321,  Kinh ,\"Thôn %d, xã Đông Anh\"\n", i, i, i%5)
		default:
			fmt.Fprintf(&b, "%d,Lê Văn %d,19-08-1989,Nam,0010890%05d,Mường,\"Số %d, Xã An Nhơn, Tỉnh Lâm Đồng\"\n", i, i, i, i%40)
		}
		if i == n/2 {
			b.WriteString(",Người lập biểu,,,,,\n,Trưởng thôn,,,,,\n") // a footer, then data again
		}
	}
	b.WriteString("9999,\"Trần Thị\n")
	return b.String()
}

// TestParallelSameItems reads CSV files with Options.Workers and without
// it and checks that Next returns the same items in the same order and
// Describe the same account: a generated list, and a messy one.
func TestParallelSameItems(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: 600, Seed: 9, OutDir: dir, Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "danhsach_*.csv"))
	messy := filepath.Join(dir, "messy.csv")
	if err := os.WriteFile(messy, []byte(messyCSV(3000)), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, messy)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, p := range files {
		for _, strict := range []bool{false, true} {
			opts := Options{Now: func() time.Time { return now }, Strict: strict, NoNameParts: strict}
			want, wantD := openAll(t, p, opts)
			records, rejects, notes := 0, 0, 0
			for _, it := range want {
				switch {
				case it.Record != nil:
					records++
				case it.Reject != nil:
					rejects++
				}
				notes += len(it.Notes)
			}
			if records == 0 {
				t.Fatalf("%s: no records", p)
			}
			if p == messy && (rejects == 0 || notes == 0 && !strict || len(wantD.Sheets[0].Skips) == 0) {
				t.Fatalf("messy list: %d rejects, %d notes, skips %+v: the test reads no messy rows", rejects, notes, wantD.Sheets[0].Skips)
			}
			for _, w := range []int{2, 3} {
				opts.Workers = w
				got, gotD := openAll(t, p, opts)
				if len(got) != len(want) {
					t.Fatalf("%s workers %d strict %v: %d items, want %d", filepath.Base(p), w, strict, len(got), len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("%s workers %d strict %v: item %d\n got %+v\nwant %+v", filepath.Base(p), w, strict, i, got[i], want[i])
					}
				}
				if !reflect.DeepEqual(gotD, wantD) {
					t.Errorf("%s workers %d strict %v: account\n got %+v\nwant %+v", filepath.Base(p), w, strict, gotD, wantD)
				}
			}
		}
	}
}

// TestParallelClose closes a source read with workers before its end and
// after it: no goroutine is left blocked, and Next after Close ends.
func TestParallelClose(t *testing.T) {
	p := filepath.Join(t.TempDir(), "l.csv")
	if err := os.WriteFile(p, []byte(messyCSV(5000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, stopAt := range []int{0, 1, 300, 1 << 30} {
		src, err := Open(p, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < stopAt; i++ {
			if _, err := src.Next(); err != nil {
				break
			}
		}
		done := make(chan error, 1)
		go func() { done <- src.Close() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("close after %d items: %v", stopAt, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("close after %d items: still waiting after 10 s", stopAt)
		}
		if _, err := src.Next(); err == nil {
			t.Fatalf("next after close (stopped at %d) returned an item", stopAt)
		}
	}
}
