package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/internal/broker/brokertest"
	"github.com/dancu-vn/dancu/pipelines"
)

// TestImportProgressBarOnATerminal imports a CSV into the embedded broker
// with stderr on a pseudo-terminal, and reads what the user sees there:
// a bar with the rows, their rate, the time left, the percentage and the
// file's size as total, redrawn in place, left full at the end on a line
// of its own (every byte of the file counted). With stderr not a terminal, the
// same import writes plain lines with the percentage of the file's bytes.
func TestImportProgressBarOnATerminal(t *testing.T) {
	addr := brokertest.Start(t)
	var b strings.Builder
	b.WriteString("STT,Họ và tên,Ngày sinh,Giới tính\n")
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&b, "%d,Nguyễn Văn An,15/03/1990,Nam\n", i) // no digit: a typed name holding one is rejected
	}
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = io.Copy(&screen, ptmx) }()
	var out bytes.Buffer
	err = run(context.Background(), []string{"--kafka", addr, "import", p}, nil, &out, tty)
	tty.Close()
	wg.Wait()
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out.String(), screen.String())
	}
	s := screen.String()
	st, _ := os.Stat(p)
	kib := fmt.Sprintf("%.0f", float64(st.Size())/1024)
	if !strings.HasPrefix(s, "\r0 rows   0% |                    | ( 0 B/"+kib+" KiB) \r") {
		t.Errorf("terminal does not start with an empty bar and the file's size (%s KiB):\n%q", kib, s)
	}
	if !regexp.MustCompile(`\r3,000 rows, [0-9,]+ rows/s +100% \|█{20}\| \(` + kib + `/` + kib + ` KiB, [0-9.]+ [KM]iB/s\) \r?\n$`).MatchString(s) {
		t.Errorf("terminal does not end with the full bar and a new line:\n%q", s)
	}
	if !strings.Contains(out.String(), "published 3000 records") {
		t.Errorf("summary:\n%s", out.String())
	}

	// Not a terminal: lines. The import takes less than the second before
	// the first line, so the one line is the last.
	var errb bytes.Buffer
	out.Reset()
	if err := run(context.Background(), []string{"--kafka", addr, "import", p}, nil, &out, &errb); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out.String(), errb.String())
	}
	if !regexp.MustCompile(`^import list\.csv: 3000 rows \(3000 accepted, 0 rejected, 3000 published\), [0-9]+ rows/s, 100% of [0-9.]+ KiB\n$`).MatchString(errb.String()) {
		t.Errorf("lines without a terminal:\n%q", errb.String())
	}
}

// TestImportSummaryUnfinished: the summary of an import that stopped
// before the end (Kafka out of disk) gives the rows read, which add up,
// not "rows 0 = accepted 9130 + rejected 0 + skipped 0".
func TestImportSummaryUnfinished(t *testing.T) {
	var b strings.Builder
	st := pipelines.Stats{Read: 9130, Accepted: 9128, Rejected: 2, PublishedRecords: 6094}
	printSummary(&b, ingest.Description{}, st, false)
	s := b.String()
	if !strings.Contains(s, "NOT FINISHED: 9130 rows read = accepted 9128 + rejected 2") || strings.Contains(s, "rows 0 =") {
		t.Errorf("summary of an unfinished import:\n%s", s)
	}
	st.Done, st.Rows = true, 9130
	b.Reset()
	printSummary(&b, ingest.Description{}, st, false)
	if s := b.String(); !strings.Contains(s, "total: rows 9130 = accepted 9128 + rejected 2 + skipped 0") {
		t.Errorf("summary of a finished import:\n%s", s)
	}
}
