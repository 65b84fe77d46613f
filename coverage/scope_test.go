package coverage_test

import (
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
)

// An analyst added with --province (README: only a role without one is
// national) reads the districts and communes of that province only, in
// both eras, through the page and the API; the province level stays open.
// A national analyst reads everything.
func TestAnalystOfOneProvince(t *testing.T) {
	env, ch := mountCoverage(t)
	ch.Scope = web.CallerScope // as dancu serve mounts it
	var recs []schemas.Record
	for i, a := range places {
		recs = append(recs, record("r"+string(rune('a'+i)), a, schemas.KindScan, "040190000001", "", 3))
	}
	write(t, env.Conn, recs, nil)
	env.AddUser(t, "analyst.na", store.RoleAnalyst, "40") // Nghệ An (40 in both eras)
	env.AddUser(t, "analyst", store.RoleAnalyst)
	na, all := env.Login(t, "analyst.na"), env.Login(t, "analyst")
	for _, tc := range []struct {
		path     string
		na, all  int
		naBodyOK string // in analyst.na's answer
	}{
		{"/api/coverage?level=commune&era=old&province=40", 200, 200, `"code": "16681"`},
		{"/api/coverage?level=district&era=old&province=40", 200, 200, `"code": "412"`},
		{"/api/coverage?level=commune&era=new&province=40", 200, 200, `"code": "16681"`},
		{"/api/coverage?level=commune&era=old&province=01", 403, 200, "only in its provinces (40)"},
		{"/api/coverage?level=commune&era=new&province=01", 403, 200, "only in its provinces (40)"},
		{"/api/coverage?level=commune", 403, 200, "add province=CODE"},
		{"/api/coverage?level=district&era=old", 403, 200, "add province=CODE"},
		{"/api/coverage?level=province&era=new", 200, 200, `"code": "01"`},
		{"/coverage?era=old&province=01", 403, 200, "only in its provinces"},
		{"/coverage?era=new&province=40&level=commune", 200, 200, `<span lang="vi">Tỉnh Nghệ An</span>, by commune`},
		{"/coverage", 200, 200, `href="/coverage?era=old&amp;metric=persons_pct&amp;province=40"`},
	} {
		st, body := na.Do(t, "GET", tc.path, nil)
		if st != tc.na || !strings.Contains(string(body), tc.naBodyOK) {
			t.Errorf("analyst of Nghệ An, %s: %d %.200q, want %d with %q", tc.path, st, body, tc.na, tc.naBodyOK)
		}
		if st, body := all.Do(t, "GET", tc.path, nil); st != tc.all {
			t.Errorf("national analyst, %s: %d %.200q, want %d", tc.path, st, body, tc.all)
		}
	}
	// A province merged in 2025: today's Tuyên Quang (08) took in Hà Giang
	// (02), whose communes of the old era its analyst reads.
	env.AddUser(t, "analyst.tq", store.RoleAnalyst, "08")
	tq := env.Login(t, "analyst.tq")
	for path, want := range map[string]int{"/api/coverage?level=commune&era=old&province=02": 200, "/api/coverage?level=district&era=old&province=08": 200,
		"/api/coverage?level=commune&era=new&province=08": 200, "/api/coverage?level=commune&era=old&province=06": 403} {
		if st, body := tq.Do(t, "GET", path, nil); st != want {
			t.Errorf("analyst of Tuyên Quang, %s: %d %.200q, want %d", path, st, body, want)
		}
	}
	// The maps and bars link only the provinces the analyst may drill into.
	_, body := na.Do(t, "GET", "/coverage", nil)
	if strings.Contains(string(body), "province=01") {
		t.Errorf("the page of the analyst of Nghệ An links Hà Nội's drill-down")
	}
	if _, body := all.Do(t, "GET", "/coverage", nil); !strings.Contains(string(body), "province=01") {
		t.Errorf("the page of the national analyst does not link Hà Nội's drill-down")
	}
}
