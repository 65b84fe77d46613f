package coverage

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.New("coverage.html").Funcs(template.FuncMap{"share": share}).ParseFS(assets, "assets/coverage.html"))

// Handler serves the analysts' coverage pages, mounted by `dancu serve`
// behind its session middleware (analyst, supervisor and admin roles):
//
//	GET /coverage                      the page: maps of both eras, bar chart, progress, drill-down
//	                                   (?era=old|new&province=CODE&level=district|commune&metric=persons_pct|with_id_pct
//	                                   &since=YYYY-MM: the share with a number then, and the change
//	                                   &order=lowest: the bars and the table lowest share first)
//	GET /coverage/map.svg?era=old|new  the province map alone, one <path> per province (&metric=…)
//	GET /coverage/static/…             the page's script and style sheet, from the binary
//	GET /api/coverage?level=…&era=…    the report as JSON (&province=CODE&since=YYYY-MM)
//
// Everything it needs is embedded: it works offline. It sets no security
// headers itself; the server's response builder does.
type Handler struct {
	// Scope, when set, says which provinces (today's codes) the caller of
	// a request may read below the province level (districts, communes):
	// all when national, else those, in either era (an old province by
	// the province it became). The province level, the maps and the
	// provinces' table, is open to every caller the server admits, as the
	// ministry publishes it. `dancu serve` sets web.CallerScope. Default:
	// nil, every caller national.
	Scope func(r *http.Request) (provinces []string, national bool)

	// Account, when set, draws the bar at the top of the page for the
	// caller of a request: who is signed in, the server's other pages
	// their role opens, and the sign-out form, as the server's own pages
	// show it. `dancu serve` sets web.AccountBar. Default: nil, no bar.
	Account func(r *http.Request) template.HTML

	conn driver.Conn
	log  *slog.Logger
	mux  *http.ServeMux
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns the coverage handler reading from conn. log may be nil.
func NewHandler(conn driver.Conn, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{conn: conn, log: log, mux: http.NewServeMux()}
	for _, rt := range h.routes() {
		h.mux.Handle(rt.pattern, rt.handler)
	}
	return h
}

// route is one route the handler serves.
type route struct {
	pattern string // net/http pattern with method
	handler http.Handler
}

// routes are every route of the handler, the one table its mux is built
// from (NewHandler) and Routes reads.
func (h *Handler) routes() []route {
	static, _ := fs.Sub(assets, "assets/static")
	return []route{
		{"GET /coverage", http.HandlerFunc(h.page)},
		{"GET /coverage/map.svg", http.HandlerFunc(h.mapSVG)},
		{"GET /coverage/static/", http.StripPrefix("/coverage/static/", http.FileServerFS(static))},
		{"GET /api/coverage", http.HandlerFunc(h.api)},
	}
}

// Routes lists the patterns the handler serves. `dancu serve`'s route
// table (web) lists each with its roles, one row a route: a route added
// here is not reachable through the server until it has its own row
// there (TestEveryRouteHasAMatrixRow).
func (h *Handler) Routes() []string {
	var out []string
	for _, rt := range h.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// ServeHTTP routes the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// params are the query parameters every route shares.
type params struct {
	opt    Options
	metric string
	order  string // the page's: "" (bars highest first, the table by code) or "lowest" (both lowest first)
}

func parseParams(q url.Values, defaultLevel Level) (params, error) {
	p := params{opt: Options{Era: Era(q.Get("era")), Level: Level(q.Get("level")), Province: q.Get("province")}, metric: q.Get("metric")}
	if p.opt.Era == "" {
		p.opt.Era = Old
	}
	if p.opt.Level == "" {
		p.opt.Level = defaultLevel
		if p.opt.Province != "" && defaultLevel == Province {
			p.opt.Level = Commune
		}
	}
	if p.metric == "" {
		p.metric = "persons_pct"
	}
	var errs []error
	if p.metric != "persons_pct" && p.metric != "with_id_pct" {
		errs = append(errs, fmt.Errorf("metric %q: want persons_pct or with_id_pct", p.metric))
	}
	if p.order = q.Get("order"); p.order != "" && p.order != orderLowest {
		errs = append(errs, fmt.Errorf("order %q: want lowest, or none (bars highest first, the table by code)", p.order))
	}
	if s := q.Get("since"); s != "" {
		t, err := time.Parse("2006-01", s)
		if err != nil {
			errs = append(errs, fmt.Errorf("since %q: want YYYY-MM", s))
		}
		p.opt.Since = t
	}
	if err := p.opt.Validate(); err != nil {
		errs = append(errs, err)
	}
	return p, errors.Join(errs...)
}

// orderLowest is the page's order=lowest: the bars and the table's units
// lowest share first, so that the units that lag come first.
const orderLowest = "lowest"

// forbidden returns why the caller may not read the report of opt, or nil.
func (h *Handler) forbidden(r *http.Request, opt Options) error {
	if h.Scope == nil || opt.Level == Province {
		return nil
	}
	provinces, national := h.Scope(r)
	if national {
		return nil
	}
	mine := "none"
	if len(provinces) > 0 {
		mine = strings.Join(provinces, ", ")
	}
	if opt.Province == "" {
		return fmt.Errorf("level %s of the whole country: your account reads units below the province only in its provinces (%s): add province=CODE", opt.Level, mine)
	}
	if !inScope(opt.Era, opt.Province, provinces) {
		return fmt.Errorf("province %s (%s era): your account reads units below the province only in its provinces (%s)", opt.Province, opt.Era, mine)
	}
	return nil
}

// inScope reports whether province (a code of era) is, or became, one of
// provinces (today's codes).
func inScope(era Era, province string, provinces []string) bool {
	if era == Old {
		u, err := loadUnits()
		if err != nil {
			return false
		}
		province = u.oldToNew[province]
	}
	return province != "" && slices.Contains(provinces, province)
}

// drillable returns whether the caller of r may drill into province.
func (h *Handler) drillable(r *http.Request, era Era, province string) bool {
	return h.forbidden(r, Options{Era: era, Level: Commune, Province: province}) == nil
}

// refuse answers an error: under /api/ as the server's API does,
// {"error": msg} in JSON, so that a tool reads every refusal of the API
// alike (the session check's 401 and the role check's 403 are JSON);
// elsewhere as text.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		http.Error(w, msg, status)
		return
	}
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("coverage", "path", r.URL.Path, "err", err)
	refuse(w, r, http.StatusInternalServerError, "coverage: could not read the aggregates")
}

// allowed reads r's parameters and says whether its caller may read
// what they ask for; when not, it has answered r (400 or 403).
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request) (params, bool) {
	p, err := parseParams(r.URL.Query(), Province)
	if err != nil {
		refuse(w, r, http.StatusBadRequest, err.Error())
		return p, false
	}
	if err := h.forbidden(r, p.opt); err != nil {
		refuse(w, r, http.StatusForbidden, err.Error())
		return p, false
	}
	return p, true
}

func (h *Handler) api(w http.ResponseWriter, r *http.Request) {
	p, ok := h.allowed(w, r)
	if !ok {
		return
	}
	p.opt.Months = true
	rep, err := Compute(r.Context(), h.conn, p.opt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(buf.Bytes())
}

func (h *Handler) mapSVG(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("era") != "old" && q.Get("era") != "new" {
		refuse(w, r, http.StatusBadRequest, fmt.Sprintf("era %q: want old or new", q.Get("era")))
		return
	}
	q.Del("level")
	q.Del("province")
	p, err := parseParams(q, Province)
	if err != nil {
		refuse(w, r, http.StatusBadRequest, err.Error())
		return
	}
	rep, err := Compute(r.Context(), h.conn, p.opt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteMap(&buf, p.metric); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(buf.Bytes())
}

// pageData is what the page template shows.
type pageData struct {
	Era, Metric, MetricName string
	Since                   string // YYYY-MM, the month compared with; "" none
	BarsName                string // what the bars show: the metric, or persons where it is not known
	Province, ProvinceName  string
	Level                   Level
	Levels                  []Level
	MapOld, MapNew          template.HTML
	Bars, Progress          template.HTML
	Report                  *Report
	Rows                    []Row // the report's rows in the table's order
	Order                   string
	Links                   map[string]string
	Account                 template.HTML // the server's bar: who is signed in, sign out
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	p, ok := h.allowed(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	since := ""
	if !p.opt.Since.IsZero() {
		since = p.opt.Since.Format("2006-01")
	}
	// Every link keeps the month compared with (but "nosince"'s):
	// drilling down answers "since March" for the communes too.
	linkOrder := func(order, since string, era Era, province string, level Level, metric string) string {
		v := url.Values{"era": {string(era)}, "metric": {metric}}
		if since != "" {
			v.Set("since", since)
		}
		if order != "" {
			v.Set("order", order)
		}
		if province != "" {
			v.Set("province", province)
			if level != "" {
				v.Set("level", string(level))
			}
		}
		return "/coverage?" + v.Encode()
	}
	// Every link keeps the order too: the lagging provinces, then their
	// lagging communes.
	link := func(era Era, province string, level Level, metric string) string {
		return linkOrder(p.order, since, era, province, level, metric)
	}
	d := pageData{Era: string(p.opt.Era), Metric: p.metric, Since: since, Province: p.opt.Province, Level: p.opt.Level, Order: p.order, Links: map[string]string{}}
	if h.Account != nil {
		d.Account = h.Account(r)
	}
	d.MetricName = "persons, % of expected population"
	if p.metric == "with_id_pct" {
		d.MetricName = "persons with an ID number, %"
	}
	// Both maps, each a link per province into the drill-down.
	for _, era := range []Era{Old, New} {
		rep, err := Compute(ctx, h.conn, Options{Era: era})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		vals, max := metricValues(rep, p.metric)
		var buf bytes.Buffer
		title := "63 provinces, until 30 June 2025"
		if era == New {
			title = "34 provinces, since 1 July 2025"
		}
		e := era
		if err := RenderMap(&buf, era, vals, MapOptions{Width: 420, Title: title, Legend: d.MetricName, Max: max,
			Href: func(code string) string {
				if !h.drillable(r, e, code) {
					return ""
				}
				return link(e, code, "", p.metric)
			}}); err != nil {
			h.fail(w, r, err)
			return
		}
		if era == Old {
			d.MapOld = template.HTML(buf.String())
		} else {
			d.MapNew = template.HTML(buf.String())
		}
	}
	p.opt.Months = true
	rep, err := Compute(ctx, h.conn, p.opt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Report = rep
	if p.opt.Province != "" {
		d.ProvinceName = rep.Total.Name
		d.Levels = []Level{Commune}
		if p.opt.Era == Old {
			d.Levels = []Level{District, Commune}
		}
	}
	var bars []Bar
	_, max := metricValues(rep, p.metric)
	// Communes have no expected population (districts only the 2019
	// census): there the bars show persons, not a share of 0.00%.
	d.BarsName = d.MetricName
	byPersons := p.metric == "persons_pct" && !anyPopulation(rep)
	if byPersons {
		d.BarsName, max = "persons (no expected population is known by "+string(p.opt.Level)+")", 0
	}
	// Lowest first (order=lowest): the table's units, and the bars in
	// the same order; else the table in the report's order (by code) and
	// the bars highest first.
	d.Rows = rep.Rows
	if p.order == orderLowest {
		d.Rows = lowestFirst(rep.Rows, p.metric, byPersons)
	}
	for _, row := range d.Rows {
		if row.Kind != KindUnit || (row.Records == 0 && row.Persons == 0) {
			continue
		}
		v := metricOf(row, p.metric)
		b := Bar{Code: row.Code, Label: row.Name, Value: v, Text: fmt.Sprintf("%.2f%% (%s)", v, humanInt(float64(row.Persons))), Key: exactMetric(row, p.metric)}
		if byPersons {
			b.Value, b.Text, b.Key = float64(row.Persons), humanInt(float64(row.Persons)), 0
		}
		if p.opt.Level == Province && h.drillable(r, p.opt.Era, row.Code) {
			b.Href = link(p.opt.Era, row.Code, "", p.metric)
		}
		bars = append(bars, b)
	}
	var buf bytes.Buffer
	if len(bars) > 0 {
		if p.order != orderLowest {
			bars = sortedBars(bars)
		}
		RenderBars(&buf, bars, max, 480)
	}
	d.Bars = template.HTML(buf.String())
	buf.Reset()
	// Progress: the state at the end of each month from the first load on;
	// then records by the month their source describes. Every month of
	// each span is drawn, those without a change too, so that the axis is
	// time (2020-06 and 2024-05 are not neighbours).
	var labels, srcLabels []string
	var persons, withID, records, bySource []float64
	byMonth := map[string]Month{}
	var first, last, firstSrc, lastSrc string
	for _, m := range rep.Months {
		if m.Month == "unknown" {
			continue
		}
		byMonth[m.Month] = m
		if m.Loaded && first == "" {
			first = m.Month
		}
		if first != "" {
			last = m.Month
		}
		if m.RecordsBySourceDate != 0 {
			if firstSrc == "" {
				firstSrc = m.Month
			}
			lastSrc = m.Month
		}
	}
	var state Month
	for _, m := range monthSpan(first, last, byMonth) {
		if x, ok := byMonth[m]; ok {
			state = x
		}
		labels = append(labels, m)
		persons = append(persons, float64(state.Persons))
		withID = append(withID, float64(state.PersonsWithID))
		records = append(records, float64(state.Records))
	}
	for _, m := range monthSpan(firstSrc, lastSrc, byMonth) {
		srcLabels = append(srcLabels, m)
		bySource = append(bySource, float64(byMonth[m].RecordsBySourceDate))
	}
	if len(labels) > 0 {
		RenderLines(&buf, labels, []Series{{"records", "#9ecae1", records}, {"persons", "#3182bd", persons}, {"persons with ID", "#e6550d", withID}}, 480, 200)
	}
	if len(srcLabels) > 0 {
		buf.WriteString(`<h2>Records by the month their source describes</h2>`)
		RenderLines(&buf, srcLabels, []Series{{"records", "#756bb1", bySource}}, 480, 160)
	}
	d.Progress = template.HTML(buf.String())
	d.Links["old"] = link(Old, "", "", p.metric)
	d.Links["new"] = link(New, "", "", p.metric)
	d.Links["persons_pct"] = link(p.opt.Era, p.opt.Province, levelIfDrill(p), "persons_pct")
	d.Links["with_id_pct"] = link(p.opt.Era, p.opt.Province, levelIfDrill(p), "with_id_pct")
	d.Links["up"] = link(p.opt.Era, "", "", p.metric)
	d.Links["nosince"] = linkOrder(p.order, "", p.opt.Era, p.opt.Province, levelIfDrill(p), p.metric)
	d.Links["order"] = linkOrder("", since, p.opt.Era, p.opt.Province, levelIfDrill(p), p.metric)
	d.Links["order_lowest"] = linkOrder(orderLowest, since, p.opt.Era, p.opt.Province, levelIfDrill(p), p.metric)
	for _, l := range d.Levels {
		d.Links[string(l)] = link(p.opt.Era, p.opt.Province, l, p.metric)
	}
	buf.Reset()
	if err := pageTmpl.Execute(&buf, d); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// maxSpan is the most months a progress chart draws one by one; a longer
// span (a source date decades off) draws only the months that have data.
const maxSpan = 240

// monthSpan returns the months (YYYY-MM) from first to last, every one
// of them; or, past maxSpan months, those of have in that span, in order.
func monthSpan(first, last string, have map[string]Month) []string {
	a, err1 := time.Parse("2006-01", first)
	b, err2 := time.Parse("2006-01", last)
	if err1 != nil || err2 != nil || b.Before(a) {
		return nil
	}
	var out []string
	if n := (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1; n > maxSpan {
		for m := range have {
			if m >= first && m <= last {
				out = append(out, m)
			}
		}
		slices.Sort(out)
		return out
	}
	for t := a; !t.After(b); t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}

func levelIfDrill(p params) Level {
	if p.opt.Province == "" {
		return ""
	}
	return p.opt.Level
}

// anyPopulation reports whether a unit of the report has an expected
// population.
func anyPopulation(rep *Report) bool {
	for _, row := range rep.Rows {
		if row.Kind == KindUnit && (row.Population2024 > 0 || row.Population2019 > 0) {
			return true
		}
	}
	return false
}

// lowestFirst returns rows with the units lowest first by what the bars
// show (the metric, or persons where no unit has an expected population:
// byPersons), ties by code; a unit without the share (no expected
// population, or no persons to take a share of) after those with one;
// the other rows (addresses not resolved) after the units, in their order.
func lowestFirst(rows []Row, metric string, byPersons bool) []Row {
	has := func(r Row) bool {
		switch {
		case byPersons:
			return true
		case metric == "with_id_pct":
			return r.Persons > 0
		}
		return r.Population2024 > 0 || r.Population2019 > 0
	}
	value := func(r Row) float64 {
		if byPersons {
			return float64(r.Persons)
		}
		return exactMetric(r, metric)
	}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b Row) int {
		ua, ub := a.Kind == KindUnit, b.Kind == KindUnit
		switch {
		case ua != ub:
			return boolFirst(ua)
		case !ua:
			return 0
		case has(a) != has(b):
			return boolFirst(has(a))
		}
		return cmp.Or(cmp.Compare(value(a), value(b)), strings.Compare(a.Code, b.Code))
	})
	return out
}

// boolFirst orders a true before a false: -1 when first holds, else 1.
func boolFirst(first bool) int {
	if first {
		return -1
	}
	return 1
}

// exactMetric is metricOf unrounded, for ordering: with demo-sized data
// every province's share of its population rounds to 0.01%, and the bars
// and "lowest first" sorted by it fell back to the codes (user31).
func exactMetric(r Row, metric string) float64 {
	if metric == "with_id_pct" {
		if r.Persons == 0 {
			return 0
		}
		return 100 * float64(r.PersonsWithID) / float64(r.Persons)
	}
	pop := r.Population2024
	if pop == 0 {
		pop = r.Population2019
	}
	if pop == 0 {
		return 0
	}
	return 100 * float64(r.Persons) / float64(pop)
}

func metricOf(r Row, metric string) float64 {
	if metric == "with_id_pct" {
		return r.WithIDPct
	}
	return r.PersonsPct
}

// metricValues returns the metric of every unit row with persons, and the
// top of the colour scale (100 for shares of persons).
func metricValues(rep *Report, metric string) (map[string]float64, float64) {
	vals := map[string]float64{}
	max := 0.0
	for _, row := range rep.Rows {
		if row.Kind == KindUnit && row.Persons > 0 {
			vals[row.Code] = metricOf(row, metric)
			if vals[row.Code] > max {
				max = vals[row.Code]
			}
		}
	}
	if metric == "with_id_pct" {
		max = 100
	}
	return vals, max
}
