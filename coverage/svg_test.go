package coverage_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/coverage"
)

// The map has one <path> per province of each era, each with its code,
// coloured by its value; it is well-formed XML and labels both archipelagos.
func TestRenderMap(t *testing.T) {
	for era, n := range map[coverage.Era]int{coverage.Old: 63, coverage.New: 34} {
		var buf bytes.Buffer
		vals := map[string]float64{"40": 80, "01": 10}
		if err := coverage.RenderMap(&buf, era, vals, coverage.MapOptions{Max: 100, Legend: "persons with id %"}); err != nil {
			t.Fatal(err)
		}
		s := buf.String()
		if got := strings.Count(s, "<path "); got != n {
			t.Errorf("%s: %d paths, want %d", era, got, n)
		}
		dec := xml.NewDecoder(strings.NewReader(s))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not well-formed: %v", era, err)
			}
		}
		for _, want := range []string{"Hoàng Sa", "Trường Sa"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: no %s label", era, want)
			}
		}
		m := regexp.MustCompile(`id="p-40"[^>]*fill="([^"]+)"`).FindStringSubmatch(s)
		if m == nil || m[1] != coverage.Colour(80, 100) {
			t.Errorf("%s: Nghệ An fill %v, want %s", era, m, coverage.Colour(80, 100))
		}
		m = regexp.MustCompile(`id="p-48"[^>]*fill="([^"]+)"`).FindStringSubmatch(s)
		if m == nil || m[1] == coverage.Colour(80, 100) {
			t.Errorf("%s: Đà Nẵng (no value) fill %v", era, m)
		}
		if os.Getenv("DANCU_WRITE_MAP") != "" {
			os.WriteFile("/tmp/map-"+string(era)+".svg", buf.Bytes(), 0o644)
		}
		t.Logf("%s map: %d bytes", era, buf.Len())
	}
}

// dancu coverage --format svg colours the provinces on the scale of the
// page's maps: the largest share of the expected population is the
// darkest, however small the shares (early in a collection).
func TestWriteMapScaleAsThePage(t *testing.T) {
	rep := &coverage.Report{Era: coverage.New, Level: coverage.Province, Rows: []coverage.Row{
		{Kind: coverage.KindUnit, Code: "40", Persons: 700, PersonsPct: 0.02},
		{Kind: coverage.KindUnit, Code: "01", Persons: 900, PersonsPct: 0.01},
	}}
	var buf bytes.Buffer
	if err := rep.WriteMap(&buf, "persons_pct"); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`id="p-40"[^>]*fill="([^"]+)"`).FindStringSubmatch(buf.String())
	if m == nil || m[1] != coverage.Colour(0.02, 0.02) {
		t.Errorf("Nghệ An, the largest share, fill %v, want the darkest %s as on the page", m, coverage.Colour(0.02, 0.02))
	}
}

// The legend lies in the sea or beyond the border, never over a province
// (it covered the tip of Cà Mau at the bottom left), at the page's width
// and at the CLI's.
func TestMapLegendCoversNoProvince(t *testing.T) {
	num := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	for _, era := range []coverage.Era{coverage.Old, coverage.New} {
		for _, width := range []int{420, 640} {
			var buf bytes.Buffer
			legend := "persons, % of expected population"
			if err := coverage.RenderMap(&buf, era, nil, coverage.MapOptions{Width: width, Legend: legend}); err != nil {
				t.Fatal(err)
			}
			s := buf.String()
			_, g, _ := strings.Cut(s, `<g class="legend">`)
			g, _, _ = strings.Cut(g, `</g>`)
			// The legend's box: its swatches, the numbers below them, its
			// label above (about 6 px a letter, from its anchor).
			x0, y0, x1, y1 := 1e9, 1e9, -1e9, -1e9
			for _, m := range regexp.MustCompile(`<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"`).FindAllStringSubmatch(g, -1) {
				x, y, w, h := num(m[1]), num(m[2]), num(m[3]), num(m[4])
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+w), max(y1, y+h+14)
			}
			for _, m := range regexp.MustCompile(`<text x="([\d.]+)" y="([\d.]+)"([^>]*)>([^<]*)</text>`).FindAllStringSubmatch(g, -1) {
				x, y, n := num(m[1]), num(m[2]), 6*float64(len([]rune(m[4])))
				if strings.Contains(m[3], `text-anchor="end"`) {
					x -= n
				}
				x0, y0, x1, y1 = min(x0, x), min(y0, y-11), max(x1, x+n), max(y1, y+2)
			}
			if x0 > x1 {
				t.Fatalf("%s %d px: no legend", era, width)
			}
			for _, p := range regexp.MustCompile(`<path id="p-(\d+)"[^>]* d="([^"]*)"`).FindAllStringSubmatch(s, -1) {
				for _, pt := range regexp.MustCompile(`[ML]([\d.]+) ([\d.]+)`).FindAllStringSubmatch(p[2], -1) {
					if x, y := num(pt[1]), num(pt[2]); x >= x0 && x <= x1 && y >= y0 && y <= y1 {
						t.Errorf("%s map %d px: the legend (%.0f,%.0f)–(%.0f,%.0f) covers province %s at (%.0f,%.0f)", era, width, x0, y0, x1, y1, p[1], x, y)
						break
					}
				}
			}
			if x0 < 0 || x1 > float64(width) {
				t.Errorf("%s map %d px: the legend (%.0f–%.0f) runs off the map", era, width, x0, x1)
			}
		}
	}
}
