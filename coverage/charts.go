package coverage

import (
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Code, Label string
	Value       float64 // drawn length, on a 0..Max scale
	Text        string  // printed after the bar
	Href        string  // link, if any
	// Key orders the bars (sortedBars) where it is set: the unrounded
	// share, so that bars whose Value rounds alike (0.01% of a province
	// with demo-sized data) still sort by what they show.
	Key float64
}

// RenderBars writes a horizontal SVG bar chart, one row per bar, in the
// order given; each bar carries data-code for the page's script.
func RenderBars(w io.Writer, bars []Bar, max float64, width int) error {
	if width <= 0 {
		width = 520
	}
	if max <= 0 {
		max = 1
		for _, b := range bars {
			max = math.Max(max, b.Value)
		}
	}
	const rowH, labelW = 16, 190
	// The figure after a bar gets the room of the widest one (about 6.3 px
	// a character at this size): a full bar's "100.00% (1,234,567)" ran
	// past the picture's edge, which an SVG clips.
	textW := 90
	for _, b := range bars {
		if w := int(math.Ceil(6.3*float64(utf8.RuneCountInString(b.Text)))) + 8; w > textW {
			textW = w
		}
	}
	barW := float64(width - labelW - textW)
	h := len(bars)*rowH + 4
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, h, width, h)
	for i, b := range bars {
		y := i*rowH + 2
		if b.Href != "" {
			fmt.Fprintf(&sb, `<a href="%s">`, html.EscapeString(b.Href))
		}
		l := barW * math.Max(0, b.Value) / max
		fmt.Fprintf(&sb, `<g class="bar" data-code="%s"><text x="%d" y="%d" text-anchor="end" lang="vi">%s</text><rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/><text x="%.1f" y="%d">%s</text><title lang="vi">%s: %s</title></g>`,
			html.EscapeString(b.Code), labelW-4, y+11, html.EscapeString(b.Label), labelW, y+1, l, rowH-3, Colour(b.Value, max),
			float64(labelW)+l+4, y+11, html.EscapeString(b.Text), html.EscapeString(b.Label), html.EscapeString(b.Text))
		if b.Href != "" {
			sb.WriteString("</a>")
		}
		sb.WriteByte('\n')
	}
	sb.WriteString("</svg>\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

// Series is one line of a line chart.
type Series struct {
	Name   string
	Colour string
	Values []float64
}

// RenderLines writes an SVG line chart of series over the labels (months).
func RenderLines(w io.Writer, labels []string, series []Series, width, height int) error {
	if width <= 0 {
		width = 520
	}
	if height <= 0 {
		height = 200
	}
	const left, top, bottom = 60, 24, 34
	// A month's label is centred under its point: the last one needs half
	// its width to the right of the plot (about 6.4 px a digit at this
	// size; "2026-11" lost its last digit with 10 px).
	right := 10
	for _, l := range labels {
		right = max(right, int(math.Ceil(3.2*float64(utf8.RuneCountInString(l))))+2)
	}
	max := 1.0
	for _, s := range series {
		for _, v := range s.Values {
			max = math.Max(max, v)
		}
	}
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 {
		if len(labels) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return top + ph - ph*v/max }
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="lines" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="10">`+"\n", width, height, width, height)
	fmt.Fprintf(&sb, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999"/><line x1="%d" y1="%d" x2="%d" y2="%.1f" stroke="#999"/>`+"\n", left, y(0), width-right, y(0), left, top, left, y(0))
	for _, t := range []float64{0, max / 2, max} {
		fmt.Fprintf(&sb, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, left-4, y(t)+3, humanInt(t))
	}
	step := 1 + len(labels)/8
	for i, l := range labels {
		if i%step == 0 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(i), y(0)+14, html.EscapeString(l))
		}
	}
	sb.WriteByte('\n')
	lx := left // legend entries side by side, each as wide as its name
	for _, s := range series {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		fmt.Fprintf(&sb, `<polyline class="series" data-name="%s" fill="none" stroke="%s" stroke-width="2" points="%s"/>`, html.EscapeString(s.Name), s.Colour, strings.Join(pts, " "))
		for i, v := range s.Values {
			fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s</title></circle>`, x(i), y(v), s.Colour, html.EscapeString(s.Name), html.EscapeString(labels[i]), humanInt(v))
		}
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx, 6, s.Colour, lx+14, 15, html.EscapeString(s.Name))
		lx += 14 + 6*utf8.RuneCountInString(s.Name) + 16
	}
	sb.WriteString("</svg>\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

func humanInt(v float64) string {
	n := int64(math.Round(v))
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// sortedBars orders bars by Key (else Value), highest first, ties by code.
func sortedBars(bars []Bar) []Bar {
	key := func(b Bar) float64 {
		if b.Key != 0 {
			return b.Key
		}
		return b.Value
	}
	sort.SliceStable(bars, func(i, j int) bool {
		if ki, kj := key(bars[i]), key(bars[j]); ki != kj {
			return ki > kj
		}
		return bars[i].Code < bars[j].Code
	})
	return bars
}
