package coverage_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/schemas"
)

func get(t *testing.T, srv *httptest.Server, path string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestHandler(t *testing.T) {
	conn := openDB(t)
	var recs []schemas.Record
	var persons []schemas.Person
	for i, a := range places {
		recs = append(recs, record("r"+string(rune('a'+i)), a, schemas.KindScan, "040190000001", "", 3))
		persons = append(persons, person("p"+string(rune('a'+i)), 1, a, "040190000001", 2022, "", 3))
	}
	write(t, conn, recs, persons)
	srv := httptest.NewServer(coverage.NewHandler(conn, nil))
	defer srv.Close()

	code, ct, body := get(t, srv, "/coverage")
	if code != 200 || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("/coverage: %d %s", code, ct)
	}
	if n := strings.Count(body, `<path id="p-`); n != 63+34 {
		t.Errorf("/coverage: %d province paths, want 63+34", n)
	}
	if !strings.Contains(body, `href="/coverage?era=old&amp;metric=persons_pct&amp;province=40"`) {
		t.Errorf("/coverage: no drill-down link for Nghệ An")
	}
	// Lowest first: every link keeps the order (drilling down into a
	// lagging province lists its lagging communes first).
	if code, _, body := get(t, srv, "/coverage?order=lowest"); code != 200 || !strings.Contains(body, `href="/coverage?era=old&amp;metric=persons_pct&amp;order=lowest&amp;province=40"`) ||
		!strings.Contains(body, `name="order" value="lowest"`) {
		t.Errorf("/coverage?order=lowest: %d, drill-down and the month form keep the order: %v, %v", code,
			strings.Contains(body, `order=lowest&amp;province=40"`), strings.Contains(body, `name="order" value="lowest"`))
	}
	code, _, body = get(t, srv, "/coverage?era=old&province=40&level=commune&metric=with_id_pct")
	if code != 200 || !strings.Contains(body, `<span lang="vi">Tỉnh Nghệ An</span>, by commune`) || !strings.Contains(body, `data-code="16681"`) {
		t.Errorf("drill-down into Nghệ An: %d, commune 16681 shown: %v", code, strings.Contains(body, `data-code="16681"`))
	}
	// Communes have no expected population: their bars show persons, and
	// the table no share, never a row of 0.00%.
	code, _, body = get(t, srv, "/coverage?era=old&province=40&level=commune&metric=persons_pct")
	_, tbody, _ := strings.Cut(body, "<tbody>")
	tbody, _, _ = strings.Cut(tbody, "</tbody>")
	if code != 200 || strings.Contains(body, "0.00% (") || strings.Contains(tbody, "<td>0.00</td></tr>") || !strings.Contains(body, "by commune — persons (no expected population") {
		t.Errorf("Nghệ An by commune, coloured by persons / expected population: %d; bars of 0.00%%: %v, a share in the table's rows: %v, bars of persons: %v",
			code, strings.Contains(body, "0.00% ("), strings.Contains(tbody, "<td>0.00</td></tr>"), strings.Contains(body, "by commune — persons (no expected population"))
	}
	code, ct, body = get(t, srv, "/coverage/map.svg?era=new")
	if code != 200 || ct != "image/svg+xml" || strings.Count(body, "<path ") != 34 {
		t.Errorf("/coverage/map.svg?era=new: %d %s, %d paths", code, ct, strings.Count(body, "<path "))
	}
	code, ct, body = get(t, srv, "/api/coverage?level=commune&era=old&province=40")
	if code != 200 || !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("/api/coverage: %d %s %s", code, ct, body)
	}
	var rep struct {
		Rows []struct {
			Kind    string `json:"kind"`
			Code    string `json:"code"`
			Records int64  `json:"records"`
			Persons int64  `json:"persons"`
		} `json:"rows"`
		Total struct {
			Records int64 `json:"records"`
			Persons int64 `json:"persons"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, r := range rep.Rows {
		sum += r.Records
	}
	if sum != rep.Total.Records || rep.Total.Records != 4 {
		t.Errorf("/api/coverage Nghệ An: rows sum to %d, total %d, want 4 (3 communes + 1 province-only)", sum, rep.Total.Records)
	}
	for _, bad := range []string{"/api/coverage?era=mid", "/api/coverage?level=district&era=new", "/coverage/map.svg", "/api/coverage?province=99", "/coverage?metric=x", "/api/coverage?level=communes", "/coverage?order=highest"} {
		code, ct, body := get(t, srv, bad)
		if code != http.StatusBadRequest {
			t.Errorf("%s: %d %q, want 400", bad, code, body)
		}
		// The API refuses in JSON, as the server's API does (its 401 and 403).
		var e struct {
			Error string `json:"error"`
		}
		if strings.HasPrefix(bad, "/api/") && (!strings.HasPrefix(ct, "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Error == "") {
			t.Errorf("%s: %s %q, want JSON {\"error\": …}", bad, ct, body)
		}
	}
	for _, asset := range []string{"/coverage/static/coverage.js", "/coverage/static/coverage.css"} {
		if code, _, body := get(t, srv, asset); code != 200 || len(body) < 100 {
			t.Errorf("%s: %d, %d bytes", asset, code, len(body))
		}
	}
}

// The progress charts draw every month of their span, so that their axis
// is time: records described in January and April show February and
// March at zero, not April beside January.
func TestPageProgressMonthByMonth(t *testing.T) {
	conn := openDB(t)
	write(t, conn, []schemas.Record{
		record("r1", places[0], schemas.KindScan, "040190000001", "", 1),
		record("r2", places[1], schemas.KindCSV, "", "", 4),
	}, nil)
	srv := httptest.NewServer(coverage.NewHandler(conn, nil))
	defer srv.Close()
	code, _, body := get(t, srv, "/coverage?era=new")
	_, src, _ := strings.Cut(body, "Records by the month their source describes")
	for _, want := range []string{"records 2026-01: 1", "records 2026-02: 0", "records 2026-03: 0", "records 2026-04: 1"} {
		if code != 200 || !strings.Contains(src, want) {
			t.Errorf("/coverage: %d, the chart of records by source month has no point %q", code, want)
		}
	}
}
