package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// seedWithdrawal seeds a conflict of two records of Huế whose second
// record was withdrawn (dancu import --replaces as the load stage writes
// it): its mark in withdrawn_records, its link closed, its person retired
// "withdrawn:bnew", the other person's split event of that reason, and
// the conflict resolved by the registry.
func seedWithdrawal(t *testing.T, env *webtest.Env) string {
	t.Helper()
	id := env.SeedConflict(t, "c_withdrawn", schemas.ConflictSharedID, "46", "46")
	env.Exec(t,
		`INSERT INTO withdrawn_records (record_id, withdrawal_id, batch, replaces, user, withdrawn_at)
VALUES ('r_c_withdrawn_1', 'w1', 'bnew', 'danhsach_hue_20240501.xlsx', 'data.hue', '2026-12-06 04:00:00')`,
		`INSERT INTO links (record_id, person_id, match_probability, match_rule, version) VALUES ('r_c_withdrawn_1', '', 1, 'withdrawn', 2)`,
		`INSERT INTO persons (person_id, id_number, full_name, record_count, merged_into, version)
VALUES ('p_c_withdrawn_1', '001090012345', 'Nguyễn Văn An 1', 0, 'withdrawn:bnew', 2)`,
		`INSERT INTO person_events (event_id, kind, person_id, others, records, reason, version, at)
VALUES ('e_w', 'split', 'p_c_withdrawn_0', ['p_c_withdrawn_1'], 1, 'withdrawn:bnew', 2, '2026-12-06 04:00:00')`,
		`INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
	'Resolved by the registry: a record it names was withdrawn, its file replaced by a corrected one.\n\n' || explanation, 'resolved_by_registry', version + 1
FROM conflicts FINAL WHERE conflict_id = 'c_withdrawn'`)
	return id
}

// A conflict resolved because a record it names was withdrawn says so,
// with the corrected import, the file it replaced, who and when; the
// withdrawn record belongs to no person; the retired person reads as
// withdrawn, not "merged into withdrawn:bnew", and its split event gives
// its reason in words. The API says the same.
func TestConflictResolvedByWithdrawal(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := seedWithdrawal(t, env)
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	rev := env.Login(t, "rev.hue")
	st, body := rev.Do(t, "GET", "/conflicts/"+id, nil)
	page := string(body)
	if st != http.StatusOK {
		t.Fatalf("GET /conflicts/%s: %d", id, st)
	}
	for _, want := range []string{`id="withdrawals"`, "bnew", "danhsach_hue_20240501.xlsx", "data.hue", "2026-12-06 04:00",
		"That is why the registry resolved this conflict", "none: withdrawn (corrected import bnew)",
		"withdrawn: no record left once the corrected import bnew replaced its file",
		"records withdrawn: the corrected import bnew replaced their file"} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	for _, not := range []string{"withdrawn:bnew", `id="decide"`} {
		if strings.Contains(page, not) {
			t.Errorf("conflict page shows %q", not)
		}
	}
	st, body = rev.Do(t, "GET", "/api/conflicts/"+id, nil)
	var d struct {
		ByWithdrawal bool               `json:"resolved_by_withdrawal"`
		Withdrawals  []store.Withdrawal `json:"withdrawals"`
	}
	if err := json.Unmarshal(body, &d); st != http.StatusOK || err != nil {
		t.Fatalf("GET /api/conflicts/%s: %d %v", id, st, err)
	}
	if !d.ByWithdrawal || len(d.Withdrawals) != 1 || d.Withdrawals[0].Replaces != "danhsach_hue_20240501.xlsx" ||
		strings.Join(d.Withdrawals[0].RecordIDs, ",") != "r_c_withdrawn_1" {
		t.Errorf("API: resolved by withdrawal %v, withdrawals %+v", d.ByWithdrawal, d.Withdrawals)
	}
}

// The queue says which resolved conflicts a withdrawal closed, not only
// "resolved by registry": the page marks the row, and the API gives the
// reason and the flag; a conflict resolved otherwise is not marked.
func TestQueueMarksWithdrawal(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := seedWithdrawal(t, env)
	other := env.SeedConflict(t, "c_merged", schemas.ConflictSharedID, "46", "46")
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
	'Resolved by the registry: persons p_c_merged_1 merged into p_c_merged_0 (event e_m, new records).\n\n' || explanation, 'resolved_by_registry', version + 1
FROM conflicts FINAL WHERE conflict_id = 'c_merged'`)
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	rev := env.Login(t, "rev.hue")
	st, body := rev.Do(t, "GET", "/conflicts?status=resolved_by_registry", nil)
	if st != http.StatusOK {
		t.Fatalf("GET /conflicts: %d", st)
	}
	rowOf := func(page, cid string) string {
		i := strings.Index(page, `data-conflict="`+cid+`"`)
		if i < 0 {
			t.Fatalf("queue lacks %s", cid)
		}
		row, _, _ := strings.Cut(page[i:], "</tr>")
		return row
	}
	if row := rowOf(string(body), id); !strings.Contains(row, "record withdrawn") || !strings.Contains(row, "a record it names was withdrawn") {
		t.Errorf("withdrawn conflict's row: %s", row)
	}
	if row := rowOf(string(body), other); strings.Contains(row, "record withdrawn") || !strings.Contains(row, "merged into p_c_merged_0") {
		t.Errorf("merged conflict's row: %s", row)
	}
	st, body = rev.Do(t, "GET", "/api/conflicts?status=resolved_by_registry", nil)
	var list struct {
		Conflicts []struct {
			ID           string `json:"conflict_id"`
			Resolution   string `json:"resolution"`
			ByWithdrawal bool   `json:"resolved_by_withdrawal"`
		} `json:"conflicts"`
	}
	if err := json.Unmarshal(body, &list); st != http.StatusOK || err != nil {
		t.Fatalf("GET /api/conflicts: %d %v %s", st, err, body)
	}
	seen := 0
	for _, c := range list.Conflicts {
		switch c.ID {
		case id:
			seen++
			if !c.ByWithdrawal || !strings.HasPrefix(c.Resolution, "a record it names was withdrawn") {
				t.Errorf("API, withdrawn conflict: %+v", c)
			}
		case other:
			seen++
			if c.ByWithdrawal || !strings.HasPrefix(c.Resolution, "persons p_c_merged_1 merged") {
				t.Errorf("API, merged conflict: %+v", c)
			}
		}
	}
	if seen != 2 {
		t.Errorf("API listed %d of the 2 resolved conflicts: %s", seen, body)
	}
	// A conflict resolved by a split that another record's withdrawal
	// made (the registry's reason) counts as resolved by a withdrawal
	// too, and the queue and the conflict's own page say the same of each.
	split := env.SeedConflict(t, "c_split", schemas.ConflictSharedID, "46", "46")
	env.Exec(t, `INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)
SELECT conflict_id, kind, province_code, id_number, person_ids, record_ids, score,
	'Resolved by the registry: person p_c_split_0 split, records moved to p_c_split_9 (event e_s, records withdrawn by bnew).\n\n' || explanation, 'resolved_by_registry', version + 1
FROM conflicts FINAL WHERE conflict_id = 'c_split'`)
	_, body = rev.Do(t, "GET", "/api/conflicts?status=resolved_by_registry", nil)
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{id: true, other: false, split: true}
	for _, c := range list.Conflicts {
		w, ok := want[c.ID]
		if !ok {
			continue
		}
		if c.ByWithdrawal != w {
			t.Errorf("queue: %s resolved by withdrawal %v, want %v", c.ID, c.ByWithdrawal, w)
		}
		st, page := rev.Do(t, "GET", "/api/conflicts/"+c.ID, nil)
		var d struct {
			ByWithdrawal bool `json:"resolved_by_withdrawal"`
		}
		if err := json.Unmarshal(page, &d); st != http.StatusOK || err != nil {
			t.Fatalf("GET /api/conflicts/%s: %d %v", c.ID, st, err)
		}
		if d.ByWithdrawal != w {
			t.Errorf("page: %s resolved by withdrawal %v, want %v (the queue says %v)", c.ID, d.ByWithdrawal, w, c.ByWithdrawal)
		}
		delete(want, c.ID)
	}
	if len(want) != 0 {
		t.Errorf("not listed: %v", want)
	}
}

// TestBrowserWithdrawnConflict opens the withdrawn conflict in a real
// Chromium (DANCU_SCREENSHOTS=DIR keeps desk-withdrawn.png) and finds the
// opening audited.
func TestBrowserWithdrawnConflict(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := seedWithdrawal(t, env)
	env.AddUser(t, "rev.hue", store.RoleReviewer, "46")
	ctx := webtest.Browser(t)
	err := webtest.Do(ctx, "open the queue",
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "rev.hue"),
		chromedp.SendKeys("#password", webtest.Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("#queue"),
		chromedp.Navigate(env.URL+"/conflicts?status=resolved_by_registry"),
		chromedp.WaitVisible("#queue"),
	)
	if err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-queue-withdrawn.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if queue := run(t, ctx, chromedp.Text("#queue")); strings.Count(queue, "record withdrawn") != 1 {
		t.Errorf("the queue marks the withdrawn conflict %d times: %q", strings.Count(queue, "record withdrawn"), queue)
	}
	err = webtest.Do(ctx, "open the conflict",
		chromedp.Navigate(env.URL+"/conflicts/"+id),
		chromedp.WaitVisible("#withdrawals"),
	)
	if err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(shotDir(t), "desk-withdrawn.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	text := run(t, ctx, chromedp.Text("#withdrawals"))
	if !strings.Contains(text, "danhsach_hue_20240501.xlsx") || !strings.Contains(text, "data.hue") {
		t.Errorf("withdrawals shown: %q", text)
	}
	if res := run(t, ctx, chromedp.Text("#resolution")); !strings.Contains(res, "withdrawn") {
		t.Errorf("resolution shown: %q", res)
	}
	es, err := env.Store.AuditLog(context.Background(), store.Scope{National: true}, store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range es {
		audited = audited || e.Action == store.ActionOpenConflict && e.ObjectID == id && e.Username == "rev.hue"
	}
	if !audited {
		t.Errorf("opening %s is not in the audit log", id)
	}
}
