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

// TestOneRecordConflictClosedVerified: a conflict of one record (an ID
// number contradicting its own record) is sent to field verification and,
// once checked, closed by the ruling verified, whose note says what the
// check found: it is then decided (the queue's decided, not its open or
// needs verification), published for the match stage (which changes
// nothing), and a later ruling is refused naming it (409). verified needs
// a note, and fits no conflict of two records; a supervisor corrects it
// with another verified (the reason the new finding), not with a ruling
// on two records. Before, no ruling closed such a conflict: it stayed
// needs_verification for ever (user31).
func TestOneRecordConflictClosedVerified(t *testing.T) {
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_one_v", schemas.ConflictIDContradicts, "01")
	two := env.SeedConflict(t, "c_two_v", schemas.ConflictIDContradicts, "01", "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	env.AddUser(t, "rev2", store.RoleReviewer, "01")
	env.AddUser(t, "sup", store.RoleSupervisor, "01")
	rev := env.Login(t, "rev")
	path := "/api/conflicts/" + id + "/decision"
	if st, b := rev.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionNeedsVerification, "note": "gửi công an xã"}); st != http.StatusOK {
		t.Fatalf("needs_verification: %d %s", st, b)
	}
	if st, b := rev.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionVerified}); st != http.StatusBadRequest || !strings.Contains(string(b), "note: required") {
		t.Errorf("verified without a note: %d %s, want 400 asking for the note", st, b)
	}
	if st, b := rev.Do(t, "POST", "/api/conflicts/"+two+"/decision", map[string]string{"decision": schemas.DecisionVerified, "note": "x"}); st != http.StatusBadRequest || !strings.Contains(string(b), "one record") {
		t.Errorf("verified on two records: %d %s, want 400", st, b)
	}
	st, b := rev.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionVerified, "note": "Số đúng; năm sinh trong hồ sơ ghi sai"})
	var d schemas.Decision
	if err := json.Unmarshal(b, &d); st != http.StatusOK || err != nil || d.Decision != schemas.DecisionVerified ||
		d.StatusBefore != schemas.StatusNeedsVerification || d.StatusAfter != schemas.StatusDecided || d.Effective() {
		t.Fatalf("verified with a note: %d %s %v, want 200, needs_verification → decided, no constraint", st, b, err)
	}
	if n := len(pub.got); n != 2 || pub.got[1].DecisionID != d.DecisionID {
		t.Errorf("published %+v, want the needs_verification and the verified", pub.got)
	}
	queue := func(status string) string {
		_, b := rev.Do(t, "GET", "/api/conflicts?status="+status, nil)
		return string(b)
	}
	if !strings.Contains(queue("decided"), id) || strings.Contains(queue("open"), id) || strings.Contains(queue("needs_verification"), id) {
		t.Errorf("the queue: decided %s; open %s; needs_verification %s", queue("decided"), queue("open"), queue("needs_verification"))
	}
	if st, b := env.Login(t, "rev2").Do(t, "POST", path, map[string]string{"decision": schemas.DecisionNeedsVerification}); st != http.StatusConflict || !strings.Contains(string(b), "verified by rev") {
		t.Errorf("a ruling after verified: %d %s, want 409 naming it", st, b)
	}
	sup := env.Login(t, "sup")
	cpath := "/api/conflicts/" + id + "/correction"
	if st, b := sup.Do(t, "POST", cpath, map[string]string{"decision": schemas.DecisionSamePerson, "reason": "x"}); st != http.StatusBadRequest || !strings.Contains(string(b), "a correction rules verified") {
		t.Errorf("a same_person correction of one record: %d %s, want 400", st, b)
	}
	_, page := sup.Do(t, "GET", "/conflicts/"+id, nil)
	form, _, _ := strings.Cut(string(page[strings.Index(string(page), `id="correct"`)+1:]), "</form>")
	if !strings.Contains(form, `value="verified"`) || strings.Contains(form, `value="same_person"`) || strings.Contains(form, `value="different_persons"`) {
		t.Errorf("the one-record conflict's correction form:\n%s", form)
	}
	if st, b := sup.Do(t, "POST", cpath, map[string]string{"decision": schemas.DecisionVerified, "reason": "Kiểm tra lại: số sai, không phải của người này"}); st != http.StatusOK {
		t.Errorf("a verified correction: %d %s", st, b)
	}
	ds, _ := env.Store.Decisions(context.Background(), id)
	if len(ds) != 3 || ds[2].Decision != schemas.DecisionVerified || ds[2].StatusBefore != schemas.StatusDecided || ds[2].User != "sup" {
		t.Errorf("stored decisions %+v", ds)
	}
	if labels, err := env.Store.Labels(context.Background()); err != nil || len(labels) != 0 {
		t.Errorf("labels from verified rulings: %+v %v, want none", labels, err)
	}
}

// TestBrowserVerifiedClosesOneRecord: a reviewer of Hà Nội opens a
// conflict of one record, rules it verified with a note, and sees it
// decided with the note (desk-verified.png).
func TestBrowserVerifiedClosesOneRecord(t *testing.T) {
	env := webtest.Start(t, web.Config{})
	id := env.SeedConflict(t, "c9e4a2d6f1b8", schemas.ConflictIDContradicts, "01")
	env.AddUser(t, "reviewer.hn", store.RoleReviewer, "01")
	ctx := webtest.Browser(t)
	if err := webtest.SignIn(ctx, env.URL, "reviewer.hn"); err != nil {
		t.Fatal(err)
	}
	if err := webtest.Do(ctx, "open the conflict", chromedp.Navigate(env.URL+"/conflicts/"+id), chromedp.WaitVisible("#decide")); err != nil {
		t.Fatal(err)
	}
	dir := shotDir(t)
	writePNG(t, filepath.Join(dir, "desk-one-record.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	ruleInBrowser(t, ctx, `input[name="decision"][value="verified"]`, "Số đúng; năm sinh trong hồ sơ ghi sai")
	writePNG(t, filepath.Join(dir, "desk-verified.png"), run(t, ctx, chromedp.FullScreenshot(100)))
	if got := run(t, ctx, chromedp.Text("#decisions")); !strings.Contains(got, "verified by reviewer.hn") || !strings.Contains(got, "năm sinh trong hồ sơ ghi sai") {
		t.Errorf("decisions: %q", got)
	}
}
