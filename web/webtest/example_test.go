package webtest_test

import (
	"net/http"
	"testing"

	"github.com/dancu-vn/dancu/internal/chdb/chdbtest"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

func TestMain(m *testing.M) { chdbtest.Main(m) }

// TestMountCoverage shows how the coverage pages' tests use webtest: mount
// a handler, sign an analyst in, call the route.
func TestMountCoverage(t *testing.T) {
	cov := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("map")) })
	env := webtest.Start(t, web.Config{Coverage: cov})
	env.AddUser(t, "analyst1", store.RoleAnalyst)
	env.AddUser(t, "reviewer1", store.RoleReviewer, "01")
	if st, body := env.Login(t, "analyst1").Do(t, "GET", "/coverage/map.svg?era=new", nil); st != http.StatusOK || string(body) != "map" {
		t.Errorf("analyst: %d %s", st, body)
	}
	if st, _ := env.Login(t, "reviewer1").Do(t, "GET", "/api/coverage", nil); st != http.StatusForbidden {
		t.Errorf("reviewer on coverage: %d, want 403", st)
	}
	if st, _ := env.NewClient().Do(t, "GET", "/api/coverage", nil); st != http.StatusUnauthorized {
		t.Errorf("anonymous on coverage: %d, want 401", st)
	}
}
