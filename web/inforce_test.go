package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// offeredChoice is a choice the correction form offers: an enabled radio
// input's value.
var offeredChoice = regexp.MustCompile(`<input type="radio" name="(?:decision|tie)" value="([^"]+)"`)

// correctionForm returns the correction form of the conflict page a
// caller reads (the HTML from its id to its end), the choices it offers,
// and how many choices it marks as the ruling in force.
func correctionForm(t *testing.T, c *webtest.Client, id string) (string, []string, int) {
	t.Helper()
	st, body := c.Do(t, "GET", "/conflicts/"+id, nil)
	if st != http.StatusOK {
		t.Fatalf("the page of %s: %d", id, st)
	}
	page := string(body)
	i := strings.Index(page, `id="correct"`)
	if i < 0 {
		t.Fatalf("the page of %s has no correction form", id)
	}
	form := page[i:]
	form = form[:strings.Index(form, "</form>")]
	var offered []string
	for _, m := range offeredChoice.FindAllStringSubmatch(form, -1) {
		offered = append(offered, m[1])
	}
	return form, offered, strings.Count(form, "— the ruling in force")
}

// TestCorrectionFormOffersOnlyChanges: the correction form of a decided
// conflict names the ruling in force and marks its choice as such, not
// offered, and offers each choice that would change something — which
// the server takes (a correction to what is in force stays refused, 409).
// On a grey zone ruled same person, then corrected to different persons;
// on an ambiguous tie whose record was placed with one person; on three
// records kept apart in groups (a regrouping is a change: offered). Until
// user33 the form offered the ruling in force, and sending it answered
// 409 "already the ruling in force" (user32).
func TestCorrectionFormOffersOnlyChanges(t *testing.T) {
	env := webtest.Start(t, web.Config{SessionIdle: 2 * time.Hour})
	grey := env.SeedConflict(t, "c_inforce", schemas.ConflictGreyZone, "01", "01")
	three := env.SeedConflict(t, "c_inforce3", schemas.ConflictGreyZone, "01", "01", "01")
	tie, _, _, tieRecs, _ := env.SeedTie(t, "c_inforce_tie", 2)
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	rev, sup := env.Login(t, "rev"), env.Login(t, "sup")
	rule := func(c *webtest.Client, path string, body map[string]any, want int) {
		t.Helper()
		if st, b := c.Do(t, "POST", path, body); st != want {
			t.Fatalf("POST %s %v: %d %s, want %d", path, body, st, b, want)
		}
	}
	check := func(id, why string, inForce string, offered, notOffered []string) {
		t.Helper()
		form, got, marked := correctionForm(t, sup, id)
		if !strings.Contains(form, `id="in-force"`) || !strings.Contains(form, "In force: <strong>"+inForce+"</strong>") {
			t.Errorf("%s: the form does not name the ruling in force (%s): %.600s", why, inForce, form)
		}
		for _, v := range offered {
			if !slices.Contains(got, v) {
				t.Errorf("%s: %s not offered (offered %v)", why, v, got)
			}
		}
		for _, v := range notOffered {
			if slices.Contains(got, v) {
				t.Errorf("%s: %s, the ruling in force, offered (offered %v)", why, v, got)
			}
		}
		if want := min(len(notOffered), 1); marked != want {
			t.Errorf("%s: %d choices marked as the ruling in force, want %d", why, marked, want)
		}
	}

	rule(rev, "/api/conflicts/"+grey+"/decision", map[string]any{"decision": "same_person"}, http.StatusOK)
	check(grey, "same person in force", "same person", []string{"different_persons"}, []string{"same_person"})
	rule(sup, "/api/conflicts/"+grey+"/correction", map[string]any{"decision": "same_person", "reason": "lại"}, http.StatusConflict)
	env.Clock.Advance(time.Minute)
	rule(sup, "/api/conflicts/"+grey+"/correction", map[string]any{"decision": "different_persons", "reason": "khác cha mẹ"}, http.StatusOK)
	check(grey, "corrected to different persons", "different persons", []string{"same_person"}, []string{"different_persons"})

	rule(rev, "/api/conflicts/"+tie+"/decision", map[string]any{"decision": "same_person", "person": tieRecs[1]}, http.StatusOK)
	check(tie, "tie placed with the second person", "same person", []string{"record:" + tieRecs[0], "neither", "one"}, []string{"record:" + tieRecs[1]})
	rule(sup, "/api/conflicts/"+tie+"/correction", map[string]any{"decision": "same_person", "person": tieRecs[1], "reason": "lại"}, http.StatusConflict)

	rule(rev, "/api/conflicts/"+three+"/decision", map[string]any{"decision": "different_persons",
		"groups": [][]string{{"r_c_inforce3_0", "r_c_inforce3_1"}, {"r_c_inforce3_2"}}}, http.StatusOK)
	check(three, "three records in two groups", "different persons", []string{"same_person", "different_persons"}, nil)
}
