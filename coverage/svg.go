package coverage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strconv"
	"sync"

	"github.com/dancu-vn/dancu/internal/refdata"
)

// shape is one province outline: rings of lon/lat points.
type shape struct {
	Code, Name string
	Rings      [][][2]float64
}

type geo struct {
	shapes         []shape
	minLon, maxLon float64
	minLat, maxLat float64
}

var (
	geoOnce sync.Once
	geoVal  map[Era]*geo
	geoErr  error
)

// geoFiles are the province outlines of each era, embedded from
// internal/refdata (attribution in data/coverage/SOURCES.md, §6). Hoàng Sa
// is part of the Đà Nẵng feature and Trường Sa of the Khánh Hòa feature.
var geoFiles = map[Era]string{
	Old: "coverage/vn_provinces_63_pre2025.geojson",
	New: "coverage/vn_provinces_34_2025.geojson",
}

func loadGeo() (map[Era]*geo, error) {
	geoOnce.Do(func() {
		geoVal = map[Era]*geo{}
		for era, name := range geoFiles {
			g, err := readGeo(name)
			if err != nil {
				geoErr = err
				return
			}
			geoVal[era] = g
		}
	})
	return geoVal, geoErr
}

func readGeo(name string) (*geo, error) {
	f, err := refdata.FS().Open(name)
	if err != nil {
		return nil, fmt.Errorf("coverage: map outlines: %w", err)
	}
	defer f.Close()
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"province_code"`
				Name string `json:"province_name"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.NewDecoder(f).Decode(&fc); err != nil {
		return nil, fmt.Errorf("coverage: map outlines %s: %w", name, err)
	}
	g := &geo{minLon: math.Inf(1), maxLon: math.Inf(-1), minLat: math.Inf(1), maxLat: math.Inf(-1)}
	for i, ft := range fc.Features {
		s := shape{Code: ft.Properties.Code, Name: ft.Properties.Name}
		var polys [][][][2]float64
		switch ft.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			err = json.Unmarshal(ft.Geometry.Coordinates, &p)
			polys = append(polys, p)
		case "MultiPolygon":
			err = json.Unmarshal(ft.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry type %q: want Polygon or MultiPolygon", ft.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("coverage: map outlines %s feature %d (%s): %w", name, i, s.Code, err)
		}
		for _, p := range polys {
			for _, ring := range p {
				for _, pt := range ring {
					g.minLon, g.maxLon = math.Min(g.minLon, pt[0]), math.Max(g.maxLon, pt[0])
					g.minLat, g.maxLat = math.Min(g.minLat, pt[1]), math.Max(g.maxLat, pt[1])
				}
				s.Rings = append(s.Rings, ring)
			}
		}
		g.shapes = append(g.shapes, s)
	}
	sort.Slice(g.shapes, func(i, j int) bool { return g.shapes[i].Code < g.shapes[j].Code })
	return g, nil
}

// MapOptions shape a choropleth map.
type MapOptions struct {
	// Width of the SVG in pixels; the height follows the map's aspect.
	// Default: 640.
	Width int
	// Title is drawn at the top left. Default: none.
	Title string
	// Legend names the value shown. Default: "%".
	Legend string
	// Max is the value of the darkest colour. Default: the largest value, at least 1.
	Max float64
	// Href, when set, makes each province a link (drill-down without
	// script); a province for which it returns "" is not one.
	Href func(code string) string
}

// Palette: light to dark blue, 6 steps; provinces without a value are grey.
var palette = []string{"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}

const noData = "#e0e0e0"

// Colour returns the fill for value v on a scale up to max (0 < v).
func Colour(v, max float64) string {
	if math.IsNaN(v) || v < 0 || max <= 0 {
		return noData
	}
	i := int(v / max * float64(len(palette)))
	if i >= len(palette) {
		i = len(palette) - 1
	}
	return palette[i]
}

// RenderMap writes an SVG choropleth of the provinces of era: one <path>
// per province (id "p-CODE", data-code, data-name, data-value, a <title>
// tooltip), coloured by values (province code → value; a province missing
// from values is drawn grey), with Hoàng Sa and Trường Sa labelled.
func RenderMap(w io.Writer, era Era, values map[string]float64, opt MapOptions) error {
	gs, err := loadGeo()
	if err != nil {
		return err
	}
	g := gs[era]
	if g == nil {
		return fmt.Errorf("coverage: map: era %q: want old or new", era)
	}
	if opt.Width <= 0 {
		opt.Width = 640
	}
	if opt.Legend == "" {
		opt.Legend = "%"
	}
	if opt.Max <= 0 {
		opt.Max = 1
		for _, v := range values {
			opt.Max = math.Max(opt.Max, v)
		}
	}
	// Equirectangular, x scaled by cos of the middle latitude.
	const pad = 8.0
	k := math.Cos((g.minLat + g.maxLat) / 2 * math.Pi / 180)
	spanX := (g.maxLon - g.minLon) * k
	spanY := g.maxLat - g.minLat
	scale := (float64(opt.Width) - 2*pad) / spanX
	height := int(math.Ceil(spanY*scale + 2*pad))
	px := func(lon, lat float64) (float64, float64) {
		return pad + (lon-g.minLon)*k*scale, pad + (g.maxLat-lat)*scale
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" class="coverage-map" data-era="%s" font-family="sans-serif">`+"\n",
		opt.Width, height, opt.Width, height, era)
	fmt.Fprintf(bw, `<rect width="%d" height="%d" fill="#f7fbff"/>`+"\n", opt.Width, height)
	if opt.Title != "" {
		fmt.Fprintf(bw, `<text x="%d" y="22" font-size="13" font-weight="bold" text-anchor="end">%s</text>`+"\n", opt.Width-8, html.EscapeString(opt.Title))
	}
	for _, s := range g.shapes {
		v, ok := values[s.Code]
		fill, val := noData, ""
		if ok {
			fill, val = Colour(v, opt.Max), strconv.FormatFloat(v, 'f', 2, 64)
		}
		href := ""
		if opt.Href != nil {
			href = opt.Href(s.Code)
		}
		if href != "" {
			fmt.Fprintf(bw, `<a href="%s">`, html.EscapeString(href))
		}
		fmt.Fprintf(bw, `<path id="p-%s" data-code="%s" data-name="%s" data-value="%s" fill="%s" stroke="#555" stroke-width="0.4" fill-rule="evenodd" d="`,
			s.Code, s.Code, html.EscapeString(s.Name), val, fill)
		for _, ring := range s.Rings {
			var lastX, lastY float64
			n := 0
			for i, pt := range ring {
				x, y := px(pt[0], pt[1])
				x, y = math.Round(x*2)/2, math.Round(y*2)/2
				if i > 0 && x == lastX && y == lastY {
					continue
				}
				if n == 0 {
					bw.WriteByte('M')
				} else {
					bw.WriteByte('L')
				}
				bw.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
				bw.WriteByte(' ')
				bw.WriteString(strconv.FormatFloat(y, 'f', -1, 64))
				lastX, lastY = x, y
				n++
			}
			if n > 0 {
				bw.WriteByte('Z')
			}
		}
		label := s.Name
		if ok {
			label += ": " + val + " " + opt.Legend
		} else {
			label += ": no data"
		}
		fmt.Fprintf(bw, `"><title lang="vi">%s</title></path>`, html.EscapeString(label))
		if href != "" {
			bw.WriteString(`</a>`)
		}
		bw.WriteByte('\n')
	}
	// The archipelagos: part of Đà Nẵng (Hoàng Sa) and Khánh Hòa (Trường Sa).
	for _, a := range []struct {
		name     string
		lon, lat float64
	}{{"Quần đảo Hoàng Sa (Đà Nẵng)", 111.9, 17.5}, {"Quần đảo Trường Sa (Khánh Hòa)", 113.6, 12.0}} {
		x, y := px(a.lon, a.lat)
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" font-size="10" fill="#333" text-anchor="middle" lang="vi">%s</text>`+"\n", x, y, a.name)
	}
	// Legend: at the top right, under the title, beyond the northern
	// border and over the sea (at the bottom left it covered Cà Mau).
	lx, ly := float64(opt.Width)-8-156, 44.0
	fmt.Fprintf(bw, `<g class="legend"><text x="%.0f" y="%.0f" font-size="11" text-anchor="end">%s</text>`, lx+156, ly-6, html.EscapeString(opt.Legend))
	for i, c := range palette {
		fmt.Fprintf(bw, `<rect x="%.0f" y="%.0f" width="26" height="12" fill="%s" stroke="#999" stroke-width="0.5"/>`, lx+float64(i)*26, ly, c)
	}
	fmt.Fprintf(bw, `<text x="%.0f" y="%.0f" font-size="10">0</text><text x="%.0f" y="%.0f" font-size="10" text-anchor="end">%s</text>`,
		lx, ly+24, lx+156, ly+24, strconv.FormatFloat(opt.Max, 'f', -1, 64))
	fmt.Fprintf(bw, `<rect x="%.0f" y="%.0f" width="12" height="12" fill="%s"/><text x="%.0f" y="%.0f" font-size="10">no data</text></g>`,
		lx-70, ly, noData, lx-55, ly+10)
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// WriteMap writes the province map of the report's era coloured by metric
// ("persons_pct" or "with_id_pct"). The report must be at province level.
func (r *Report) WriteMap(w io.Writer, metric string) error {
	if r.Level != Province {
		return fmt.Errorf("coverage: map: report is by %s, want province", r.Level)
	}
	// The same scale as the page's maps (metricValues): up to the largest
	// share for persons_pct, 0–100 for with_id_pct.
	vals, max := metricValues(r, metric)
	legend := "persons, % of expected population"
	if metric == "with_id_pct" {
		legend = "persons with an ID number, %"
	}
	era := "63 provinces (before 1 July 2025)"
	if r.Era == New {
		era = "34 provinces (since 1 July 2025)"
	}
	return RenderMap(w, r.Era, vals, MapOptions{Title: "Coverage, " + era, Legend: legend, Max: max})
}
