package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// snakeKey is how every key of the API's JSON is written.
var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// jsonKeys returns every object key of the JSON document b, at any depth.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	var keys []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				keys = append(keys, k)
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	slices.Sort(keys)
	return slices.Compact(keys)
}

// TestAPIKeysSnakeCase: every key of every JSON answer of the API is
// snake_case — the conflict's persons' history and events (person_id,
// merged_into, …) included, which were written CamelCase ("PersonID",
// "MergedInto") beside the rest's snake_case until 7 December (user31).
func TestAPIKeysSnakeCase(t *testing.T) {
	env := webtest.Start(t, web.Config{Publisher: &recordingPublisher{}})
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	env.AddUser(t, "aud", store.RoleAuditor)
	id := env.SeedConflict(t, "c_keys", schemas.ConflictSharedID, "01", "01")
	tie, _, _, _, _ := env.SeedTie(t, "c_keys_tie", 2)
	env.Exec(t, `INSERT INTO person_events (event_id, kind, person_id, others, records, reason, version, at)
VALUES ('e_keys', 'merge', 'p_c_keys_0', ['p_old'], 2, 'edges', 1, now())`,
		`INSERT INTO persons (person_id, id_number, full_name, record_count, merged_into, version) VALUES ('p_c_keys_1', '001090012345', 'Nguyễn Văn An 1', 0, 'p_c_keys_0', 2)`)
	sup := env.Login(t, "sup")
	type call struct {
		method, path string
		body         any
		status       int
	}
	calls := []call{
		{"GET", "/api/me", nil, http.StatusOK},
		{"GET", "/api/conflicts?status=all", nil, http.StatusOK},
		{"GET", "/api/conflicts/" + id, nil, http.StatusOK},
		{"GET", "/api/conflicts/" + tie, nil, http.StatusOK},
		{"POST", "/api/conflicts/" + id + "/assign", map[string]string{"assignee": "sup"}, http.StatusOK},
		{"POST", "/api/conflicts/" + id + "/decision", map[string]string{"decision": "same_person", "note": "một người"}, http.StatusOK},
		{"POST", "/api/conflicts/" + id + "/correction", map[string]string{"decision": "different_persons", "reason": "nhầm"}, http.StatusOK},
		{"GET", "/api/conflicts/" + id, nil, http.StatusOK},
		{"GET", "/api/conflicts/nothing", nil, http.StatusNotFound},
		{"GET", "/api/conflicts?status=nothing", nil, http.StatusBadRequest},
	}
	for _, c := range calls {
		st, b := sup.Do(t, c.method, c.path, c.body)
		if st != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, st, b, c.status)
			continue
		}
		for _, k := range jsonKeys(t, b) {
			if !snakeKey.MatchString(k) {
				t.Errorf("%s %s: key %q is not snake_case", c.method, c.path, k)
			}
		}
	}
	// The persons' history and events are there, under their keys.
	_, b := sup.Do(t, "GET", "/api/conflicts/"+id, nil)
	var show struct {
		History []struct {
			PersonID   string `json:"person_id"`
			MergedInto string `json:"merged_into"`
		} `json:"person_history"`
		Events []struct {
			PersonID string   `json:"person_id"`
			Others   []string `json:"others"`
		} `json:"person_events"`
	}
	if err := json.Unmarshal(b, &show); err != nil || len(show.History) != 2 || len(show.Events) != 1 ||
		show.Events[0].PersonID != "p_c_keys_0" || !slices.Equal(show.Events[0].Others, []string{"p_old"}) ||
		!slices.ContainsFunc(show.History, func(p struct {
			PersonID   string `json:"person_id"`
			MergedInto string `json:"merged_into"`
		}) bool {
			return p.PersonID == "p_c_keys_1" && p.MergedInto == "p_c_keys_0"
		}) {
		t.Errorf("person_history and person_events: %+v %v in %s", show, err, b)
	}
	// A conflict nobody has ruled on: its lists are [], never null.
	_, b = sup.Do(t, "GET", "/api/conflicts/"+tie, nil)
	var lists map[string]json.RawMessage
	if err := json.Unmarshal(b, &lists); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"records", "id_checks", "person_history", "person_events", "decisions"} {
		if v := strings.TrimSpace(string(lists[k])); !strings.HasPrefix(v, "[") {
			t.Errorf("GET /api/conflicts/%s: %q is %s, want a list", tie, k, v)
		}
	}
	aud := env.Login(t, "aud")
	st, b := aud.Do(t, "GET", "/api/audit?limit=20", nil)
	if st != http.StatusOK {
		t.Fatalf("audit: %d %s", st, b)
	}
	for _, k := range jsonKeys(t, b) {
		if !snakeKey.MatchString(k) {
			t.Errorf("GET /api/audit: key %q is not snake_case", k)
		}
	}
}
