package progress

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock               { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }
func lines(s string) []string            { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
func mustMatch(t *testing.T, re, s string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(s) {
		t.Errorf("%q does not match %s", s, re)
	}
}

// TestBarOnATerminal draws the bar on a real pseudo-terminal (New finds
// out it is one by itself) and reads what a user would see: rows, rate,
// time left, percentage, the bar, and the part done of the total bytes.
func TestBarOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err) // Linux has /dev/ptmx
	}
	defer ptmx.Close()
	if !IsTerminal(tty) {
		t.Fatal("IsTerminal(pty) = false")
	}
	var out bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = io.Copy(&out, ptmx) }()

	const total = 4 << 20
	clock := newClock()
	r := New(tty, Options{Label: "import list.csv", Total: total, Clock: clock.now})
	if r.bar == nil {
		t.Fatal("no bar on a terminal")
	}
	for i := int64(1); i <= 4; i++ {
		clock.add(2 * time.Second)
		r.Update(i*total/8, i*10000, "0 rejected")
	}
	tty.Close() // EOF for the reader once the output is read
	wg.Wait()
	screen := out.String()
	// The last drawing before Finish: half done at 20,000 rows in 8 s, so
	// 5,000 rows/s and 8 s left.
	for _, want := range []string{"40,000 rows, 5,000 rows/s, ETA 0:08  50% |██████████          | (2.0/4.0 MiB, "} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal shows no %q:\n%q", want, screen)
		}
	}
	if !strings.Contains(screen, "\r") || strings.Contains(screen, "\n") {
		t.Errorf("the bar is not redrawn in place (carriage returns, no new line):\n%q", screen)
	}
}

// TestLinesWithoutATerminal: a first line about a second in, then one
// every Every, each with rows, rate, percentage and time left, and a last
// line at Finish.
func TestLinesWithoutATerminal(t *testing.T) {
	var out bytes.Buffer
	if IsTerminal(&out) {
		t.Fatal("a buffer is a terminal?")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	if IsTerminal(f) {
		t.Fatal("a file is a terminal?")
	}
	f.Close()
	clock := newClock()
	r := New(&out, Options{Label: "import a.xlsx", Total: 1000, Every: 5 * time.Second, Clock: clock.now})
	step := func(d time.Duration, done, rows int64) int {
		clock.add(d)
		r.Update(done, rows, "")
		return len(lines(out.String()))
	}
	step(500*time.Millisecond, 50, 100)
	if out.Len() != 0 {
		t.Fatalf("a line half a second in: %q", out.String())
	}
	if step(500*time.Millisecond, 100, 200) != 1 || out.Len() == 0 {
		t.Fatalf("no line a second in: %q", out.String())
	}
	mustMatch(t, `^import a\.xlsx: 200 rows, 200 rows/s, 10% of 1000 B, ETA 0:09\n$`, out.String())
	if n := step(4*time.Second, 500, 1000); n != 1 {
		t.Fatalf("a line 4 s after the last: %q", out.String())
	}
	if n := step(time.Second, 600, 1200); n != 2 {
		t.Fatalf("no line 5 s after the last: %q", out.String())
	}
	mustMatch(t, `^import a\.xlsx: 1200 rows, 200 rows/s, 60% of 1000 B, ETA 0:04$`, lines(out.String())[1])
	if n := step(time.Second, 1000, 1400); n != 2 {
		t.Fatalf("a line 1 s after the last: %q", out.String())
	}
	r.Finish()
	l := lines(out.String())
	if len(l) != 3 {
		t.Fatalf("%d lines after Finish: %q", len(l), out.String())
	}
	mustMatch(t, `^import a\.xlsx: 1400 rows, 200 rows/s, 100% of 1000 B$`, l[2])
	r.Finish()
	if n := len(lines(out.String())); n != 3 {
		t.Errorf("a second Finish repeated the last line: %q", out.String())
	}
}

// TestUnknownTotal: without a total there is no percentage and no time
// left, on a terminal (a spinner) or not.
func TestUnknownTotal(t *testing.T) {
	var out bytes.Buffer
	clock := newClock()
	r := New(&out, Options{Label: "import x", Clock: clock.now})
	clock.add(2 * time.Second)
	r.Update(500, 10, "")
	r.Finish()
	if s := out.String(); strings.Contains(s, "%") || strings.Contains(s, "ETA") || !strings.Contains(s, "import x: 10 rows, 5 rows/s") {
		t.Errorf("lines %q", s)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Count(0), "0"}, {Count(999), "999"}, {Count(1000), "1,000"}, {Count(-1234567), "-1,234,567"},
		{Duration(59 * time.Second), "0:59"}, {Duration(61*time.Minute + 1500*time.Millisecond), "1:01:02"},
		{Bytes(1023), "1023 B"}, {Bytes(1536), "1.5 KiB"}, {Bytes(3 << 30), "3.0 GiB"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
