package ingest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCellBlocksReused checks the ownership rule of the blocks CSV rows'
// cells are cut from (cellBlock): a block is cut from again only once
// every row cut from it is released, a row held keeps its block (and its
// cells) as they were read, and a released block's cells read
// releasedCell, not another row's. Rows span lines and hold quotes now
// and then, so both ways of csvLines cut cells.
func TestCellBlocksReused(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		switch {
		case i%53 == 0:
			fmt.Fprintf(&b, "%d,\"Lê \"\"Văn\"\" %d\",\"Thôn 1,\nxã An\",x,y,z,w\n", i, i) // the general way
		default:
			fmt.Fprintf(&b, "%d,Lê Văn %d,19/08/1989,Nam,0010890%05d,Kinh,\"Số %d, Xã An Nhơn\"\n", i, i, i, i%40)
		}
	}
	text := b.String()
	ref := readAllRef(t, strings.NewReader(text), ',')
	type row struct {
		cells []string
		blk   *cellBlock
	}
	read := func(c *csvLines) (row, bool) {
		rec, _, _, err := c.record()
		if err == io.EOF {
			return row{}, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return row{rec, c.last}, true
	}
	newLines := func() *csvLines {
		return &csvLines{r: bufio.NewReaderSize(strings.NewReader(text), 4096), comma: ',', max: maxCSVLine}
	}

	// Nothing released: no block is cut from twice, every row stays as read.
	c := newLines()
	var rows []row
	for r, ok := read(c); ok; r, ok = read(c) {
		rows = append(rows, r)
	}
	blocks := map[*cellBlock]bool{}
	for i, r := range rows {
		if !reflect.DeepEqual(r.cells, ref[i].fields) {
			t.Fatalf("row %d held, unreleased: %q, want %q", i, r.cells, ref[i].fields)
		}
		blocks[r.blk] = true
	}
	if want := 3000 * 7 / cellBlockLen; len(blocks) < want {
		t.Fatalf("%d blocks for rows never released, want at least %d", len(blocks), want)
	}

	// Every row released once read but the first: its block is never cut
	// from again and it stays as read; the others are reused.
	c = newLines()
	first, _ := read(c)
	blocks = map[*cellBlock]bool{first.blk: true}
	left := false // the reader has cut from another block than the first row's
	for i := 1; ; i++ {
		r, ok := read(c)
		if !ok {
			if i != len(ref) {
				t.Fatalf("%d rows, want %d", i, len(ref))
			}
			break
		}
		if !reflect.DeepEqual(r.cells, ref[i].fields) {
			t.Fatalf("row %d as read: %q, want %q", i, r.cells, ref[i].fields)
		}
		if r.blk == first.blk && left {
			t.Fatalf("row %d cut from the first row's block again, which that row holds", i)
		}
		left = left || r.blk != first.blk
		blocks[r.blk] = true
		(&rawRow{cells: r.cells, blk: r.blk}).release()
	}
	if !reflect.DeepEqual(first.cells, ref[0].fields) {
		t.Fatalf("the row held: %q, want %q", first.cells, ref[0].fields)
	}
	if len(blocks) > 3 {
		t.Errorf("%d blocks with every row but one released as read, want at most 3 (the held row's and two reused)", len(blocks))
	}

	// Released, the first row's block is handed back: its cells read
	// releasedCell, and the next block cut from is it.
	first.blk.release()
	if i := slices.IndexFunc(first.cells, func(s string) bool { return s != releasedCell }); i >= 0 {
		t.Errorf("released cell %d reads %q, want releasedCell", i, first.cells[i])
	}
	c.block.release() // the reader's own reference to the block it was cutting from
	seen := map[*cellBlock]bool{}
	for range 2 {
		seen[c.newBlock(7)] = true
	}
	if !seen[first.blk] {
		t.Error("the released block was not cut from again")
	}
}

// TestSkippedRowsFreeTheirBlocks: the rows of a list that are no data
// (a section heading, a blank row, the header again, a footer) are
// released once counted, as data rows are once assembled: a row never
// released keeps its block from reuse, and a commune's list has such a
// row every hundred rows or so, in every block. Read row by row as Next
// reads them, the data rows are cut from a few blocks, not one block per
// ~580 rows.
func TestSkippedRowsFreeTheirBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "messy.csv")
	if err := os.WriteFile(path, []byte(messyCSV(20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tb := src.(*tabular)
	blocks := map[*cellBlock]bool{}
	rows := 0
	for {
		pr, err := tb.nextPending()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if pr.r.blk != nil {
			blocks[pr.r.blk] = true
		}
		rows++
		tb.finish(pr, &pr.sh.cols.memo)
	}
	d := tb.Describe()
	if rows < 19000 || d.Sheets[0].SkippedRows < 500 {
		t.Fatalf("%d data rows, %d skipped: the test reads no messy list", rows, d.Sheets[0].SkippedRows)
	}
	if len(blocks) > 4 {
		t.Errorf("%d data rows cut from %d blocks, want at most 4: rows skipped keep their blocks from reuse", rows, len(blocks))
	}
}
