package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal (a character device that
// takes the cursor movements a bar is redrawn with).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Options say what a Reporter shows.
type Options struct {
	// Label starts every line ("import list.csv"); the bar leaves it out.
	Label string
	// Total is the amount of work, in bytes; 0 when it is not known, which
	// shows a spinner and the counts without percentage or time left.
	Total int64
	// A bar is drawn when w is a terminal (IsTerminal), lines otherwise;
	// ForceTerminal or ForceLines decide instead.
	ForceTerminal, ForceLines bool
	// Every is the time between two lines without a terminal, the first
	// coming about a second in. Default: 5 s.
	Every time.Duration
	// Clock tells the time. Default: time.Now.
	Clock func() time.Time
}

// redraw is the least time between two drawings of the bar.
const redraw = 200 * time.Millisecond

// Reporter shows one task's progress. Its methods are called from one
// goroutine.
type Reporter struct {
	w      io.Writer
	o      Options
	bar    *progressbar.ProgressBar
	start  time.Time
	last   time.Time // when the bar was drawn or the last line written
	lastLn string    // and what it said
	done   int64
	rows   int64
	detail string
	now    func() time.Time
}

// New starts a Reporter writing to w.
func New(w io.Writer, o Options) *Reporter {
	if o.Every <= 0 {
		o.Every = 5 * time.Second
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	r := &Reporter{w: w, o: o, now: o.Clock}
	r.start = r.now()
	// The first line about a second in, then one every o.Every.
	r.last = r.start.Add(time.Second - o.Every)
	terminal := o.ForceTerminal || (!o.ForceLines && IsTerminal(w))
	if terminal {
		max := o.Total
		if max <= 0 {
			max = -1 // a spinner
		}
		r.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("0 rows"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(20),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			// Update throttles: the bar is drawn by each of its two calls
			// (the number, then the text), so the library must not.
			progressbar.OptionThrottle(0),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionUseIECUnits(true),
		)
	}
	return r
}

// Update records that done bytes of the total have been read, and rows
// rows; detail is shown after them in the lines ("1,200 rejected").
func (r *Reporter) Update(done, rows int64, detail string) {
	r.done, r.rows, r.detail = done, rows, detail
	if r.bar != nil {
		if t := r.now(); t.Sub(r.last) >= redraw || done >= r.o.Total && r.o.Total > 0 {
			r.last = t
			r.draw()
		}
		return
	}
	if t := r.now(); t.Sub(r.last) >= r.o.Every {
		r.last = t
		r.println()
	}
}

// Finish draws the bar a last time as it stands (full or not: an import
// that failed half-way shows where it stopped) and ends its line; without
// a terminal it writes a last line, unless the last one said the same.
func (r *Reporter) Finish() {
	if r.bar != nil {
		r.draw()
		_ = r.bar.Exit()
		fmt.Fprintln(r.w)
		return
	}
	r.println()
}

// draw redraws the bar: its number, then its text (each draws it).
func (r *Reporter) draw() {
	_ = r.bar.Set64(r.done)
	r.bar.Describe(r.describe())
}

func (r *Reporter) println() {
	if l := r.line(); l != r.lastLn {
		r.lastLn = l
		fmt.Fprintln(r.w, l)
	}
}

// describe is the bar's text before the bar itself: rows, rate and time
// left. It is short, so that the bar fits an 80-column terminal (the bar
// narrows to fit): the label and the detail are left to the lines, as
// the command has already named the file above the bar.
func (r *Reporter) describe() string {
	s := fmt.Sprintf("%s rows, %s rows/s", Count(r.rows), Count(int64(r.rate())))
	if eta, ok := r.eta(); ok {
		s += ", ETA " + Duration(eta)
	}
	return s
}

// line is a progress line without a terminal.
func (r *Reporter) line() string {
	s := fmt.Sprintf("%s: %d rows", r.o.Label, r.rows)
	if r.detail != "" {
		s += " (" + r.detail + ")"
	}
	s += fmt.Sprintf(", %.0f rows/s", r.rate())
	if r.o.Total > 0 {
		s += fmt.Sprintf(", %.0f%% of %s", 100*float64(min(r.done, r.o.Total))/float64(r.o.Total), Bytes(r.o.Total))
		if eta, ok := r.eta(); ok {
			s += ", ETA " + Duration(eta)
		}
	}
	return s
}

func (r *Reporter) rate() float64 {
	el := r.now().Sub(r.start).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(r.rows) / el
}

// eta is the time left at the pace so far, once a second has passed and
// while some work is left.
func (r *Reporter) eta() (time.Duration, bool) {
	if r.o.Total <= 0 || r.done <= 0 {
		return 0, false
	}
	el := r.now().Sub(r.start)
	if el < time.Second || r.done >= r.o.Total {
		return 0, false // too early to tell, or nothing left
	}
	left := float64(r.o.Total-r.done) / float64(r.done) * float64(el)
	return time.Duration(left), true
}

// Count writes n with thousands separators: 1,234,567.
func Count(n int64) string {
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}

// Duration writes d as h:mm:ss or m:ss, rounded to the second.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// Bytes writes n in binary units: 512 B, 3.2 MiB, 1.5 GiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
