package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// A handler mounted for the coverage pages learns the caller's provinces.
func TestCallerScope(t *testing.T) {
	cov := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, national := web.CallerScope(r)
		fmt.Fprint(w, p, national)
	})
	env := webtest.Start(t, web.Config{Coverage: cov})
	env.AddUser(t, "analyst1", store.RoleAnalyst)
	env.AddUser(t, "analyst.hn", store.RoleAnalyst, "01", "79")
	for user, want := range map[string]string{"analyst1": "[] true", "analyst.hn": "[01 79] false"} {
		if st, body := env.Login(t, user).Do(t, "GET", "/api/coverage", nil); st != http.StatusOK || string(body) != want {
			t.Errorf("%s: %d %q, want %q", user, st, body, want)
		}
	}
}
