package pipelines

import (
	"context"
	"fmt"
	"testing"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
)

// The sink's own Native blocks at the edges the sink's tables reach only
// with a large batch or unusual data, read back as the engine stored them:
// a LowCardinality dictionary on each side of the one-, two- and four-byte
// key boundaries (255/256 and 65,535/65,536 values besides the empty
// string), strings with a NUL and with bytes that are not UTF-8, empty
// inner arrays, dates before 1970 and a DateTime64 with a time zone.
func TestNativeBlockEdges(t *testing.T) {
	conn, _ := chdbtest.Open(t)
	ni, ok := conn.(nativeInserter)
	if !ok {
		t.Fatalf("%T does not take Native blocks", conn)
	}
	ctx := context.Background()
	if err := conn.Exec(ctx, `CREATE TABLE edges (i UInt32, s String, lc LowCardinality(String),
		aa Array(Array(String)), d Date32, dt DateTime64(3, 'Asia/Ho_Chi_Minh')) ENGINE = MergeTree ORDER BY i`); err != nil {
		t.Fatal(err)
	}
	layout := []clickhouse.ColumnNameAndType{
		{Name: "i", Type: "UInt32"}, {Name: "s", Type: "String"}, {Name: "lc", Type: "LowCardinality(String)"},
		{Name: "aa", Type: "Array(Array(String))"}, {Name: "d", Type: "Date32"}, {Name: "dt", Type: "DateTime64(3, 'Asia/Ho_Chi_Minh')"},
	}
	odd := []string{"a\x00b", "\xff\xfe", "Nguy\xe1\xbb", "", "\x00"}
	for _, distinct := range []int{255, 256, 65535, 65536} {
		n := distinct + 3 // each value, the empty string, and two repeats
		ids := make([]uint32, n)
		ss := make([]string, n)
		lcs := make([]string, n)
		aas := make([][][]string, n)
		ds := make([]time.Time, n)
		dts := make([]time.Time, n)
		for i := range n {
			ids[i] = uint32(i)
			ss[i] = odd[i%len(odd)] + fmt.Sprint(i)
			switch {
			case i < distinct:
				lcs[i] = fmt.Sprintf("v%d", i)
				if i < len(odd) {
					lcs[i] = odd[i] + "!"
				}
			case i == distinct:
				lcs[i] = ""
			default:
				lcs[i] = lcs[i-distinct-1]
			}
			switch i % 4 {
			case 0:
				aas[i] = [][]string{}
			case 1:
				aas[i] = [][]string{{}, {"x"}, {}}
			case 2:
				aas[i] = [][]string{{odd[0], odd[1]}}
			default:
				aas[i] = [][]string{{}, {}}
			}
			ds[i] = time.Date(1900+i%200, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
			dts[i] = time.Date(1965+i%80, 3, 9, 23, 59, 1, int(i%1000)*1e6, time.UTC)
		}
		var buf chproto.Buffer
		if !nativeBlock(&buf, layout, []any{ids, ss, lcs, aas, ds, dts}, n) {
			t.Fatal("nativeBlock refused the layout")
		}
		if err := conn.Exec(ctx, "TRUNCATE TABLE edges"); err != nil {
			t.Fatal(err)
		}
		if err := ni.InsertNative(ctx, "INSERT INTO edges (i, s, lc, aa, d, dt)", buf.Buf); err != nil {
			t.Fatalf("%d distinct values: %v", distinct, err)
		}
		rows, err := conn.Query(ctx, "SELECT i, s, lc, aa, d, dt FROM edges ORDER BY i")
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for rows.Next() {
			var (
				i     uint32
				s, lc string
				aa    [][]string
				d, dt time.Time
			)
			if err := rows.Scan(&i, &s, &lc, &aa, &d, &dt); err != nil {
				t.Fatal(err)
			}
			if int(i) != got {
				t.Fatalf("%d distinct values: row %d read as %d", distinct, got, i)
			}
			want := fmt.Sprintf("%q %q %q %s %s", ss[i], lcs[i], aas[i], ds[i].Format(time.DateOnly), dts[i].UTC().Format(time.RFC3339Nano))
			if g := fmt.Sprintf("%q %q %q %s %s", s, lc, aa, d.Format(time.DateOnly), dt.UTC().Format(time.RFC3339Nano)); g != want {
				t.Fatalf("%d distinct values, row %d:\n got %s\nwant %s", distinct, i, g, want)
			}
			got++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Fatalf("%d distinct values: %d rows read back, %d written", distinct, got, n)
		}
	}
}
