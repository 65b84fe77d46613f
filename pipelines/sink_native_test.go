package pipelines

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/schemas"
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

// nativeBlockRows writes, a column at a time, the bytes nativeBlock writes
// of schemas.Columns of the same rows — records (with the records table's
// own types: LowCardinality, Date32, a Map), persons, links and conflicts
// (arrays), every row or those of idx —, and refuses a layout that is not
// the rows' columns or a column type it does not write, as nativeBlock
// does.
func TestNativeBlockRowsSameBytes(t *testing.T) {
	at := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	recs := make([]schemas.Record, 300)
	for i := range recs {
		recs[i] = schemas.Record{RecordID: fmt.Sprintf("r%03d", i), SchemaVersion: schemas.Version, SourceKind: schemas.KindScan,
			Row: uint32(i), SourceDate: at.AddDate(0, 0, -i), FullName: fmt.Sprintf("Nguyễn Văn %d", i), BirthYear: uint16(1950 + i%60),
			Sex: []string{"M", "F", ""}[i%3], PermProvinceCode: fmt.Sprintf("%02d", i%64), Remark: strings.Repeat("x", i%200)}
		if i%4 == 0 {
			recs[i].OCRConfidence = map[string]float32{"full_name": float32(i) / 300} // one entry: a map's order is Go's
		}
	}
	recLayout := make([]clickhouse.ColumnNameAndType, len(schemas.RecordColumns))
	for i, c := range schemas.RecordColumns {
		recLayout[i] = clickhouse.ColumnNameAndType{Name: c.Name, Type: c.CHType}
	}
	persons := []schemas.Person{{PersonID: "p1", RecordCount: 2, Version: 7, UpdatedAt: at}, {PersonID: "p2", FullName: "Lê Thị Hoa", UpdatedAt: at.Add(time.Hour)}}
	links := []schemas.Link{{RecordID: "r1", PersonID: "p1", MatchProbability: 0.97, LinkedAt: at}}
	conflicts := []schemas.Conflict{{ConflictID: "c1", PersonIDs: []string{"p1", "p2"}, RecordIDs: []string{}, Score: 0.5, CreatedAt: at}, {ConflictID: "c2"}}

	sameBytes(t, recs, recLayout, nil)
	sameBytes(t, recs, recLayout, []int{299, 0, 17, 17, 150})
	sameBytes(t, persons, layoutOf(t, persons), nil)
	sameBytes(t, links, layoutOf(t, links), []int{0})
	sameBytes(t, conflicts, layoutOf(t, conflicts), nil)

	var buf chproto.Buffer
	if nativeBlockRows(&buf, recLayout[1:], recs, nil, len(recs)) {
		t.Error("a layout of one column fewer than the rows': written")
	}
	odd := slices.Clone(recLayout)
	odd[3].Type = "FixedString(8)"
	if nativeBlock(&buf, odd, mustColumns(t, recs, nil), len(recs)) || nativeBlockRows(&buf, odd, recs, nil, len(recs)) {
		t.Error("a FixedString column: written")
	}
}

func sameBytes[T any](t *testing.T, rows []T, layout []clickhouse.ColumnNameAndType, idx []int) {
	t.Helper()
	n := len(rows)
	if idx != nil {
		n = len(idx)
	}
	var want, got chproto.Buffer
	if !nativeBlock(&want, layout, mustColumns(t, rows, idx), n) {
		t.Fatalf("%T: nativeBlock refused the layout", rows)
	}
	if !nativeBlockRows(&got, layout, rows, idx, n) {
		t.Fatalf("%T: nativeBlockRows refused the layout", rows)
	}
	if !bytes.Equal(got.Buf, want.Buf) {
		t.Errorf("%T, idx %v: %d bytes, nativeBlock's %d, not the same", rows, idx, len(got.Buf), len(want.Buf))
	}
}

func mustColumns[T any](t *testing.T, rows []T, idx []int) []any {
	t.Helper()
	cols, err := schemas.Columns(rows, idx)
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// layoutOf is a layout of rows' columns with the type each column's Go
// type is written as.
func layoutOf[T any](t *testing.T, rows []T) []clickhouse.ColumnNameAndType {
	t.Helper()
	var zero T
	names := schemas.Tags(zero)
	var out []clickhouse.ColumnNameAndType
	for j, c := range mustColumns(t, rows, nil) {
		typ := map[string]string{"[]string": "String", "[]uint16": "UInt16", "[]uint32": "UInt32", "[]uint64": "UInt64",
			"[]float32": "Float32", "[]float64": "Float64", "[]time.Time": "DateTime64(3, 'UTC')", "[][]string": "Array(String)",
			"[][][]string": "Array(Array(String))", "[]map[string]float32": "Map(String, Float32)"}[fmt.Sprintf("%T", c)]
		if typ == "" {
			t.Fatalf("%T column %s: %T", zero, names[j], c)
		}
		out = append(out, clickhouse.ColumnNameAndType{Name: names[j], Type: typ})
	}
	return out
}
