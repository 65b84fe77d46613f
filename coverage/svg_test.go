package coverage_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"regexp"
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
