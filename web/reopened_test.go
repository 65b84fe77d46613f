package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web"
	"github.com/dancu-vn/dancu/web/store"
	"github.com/dancu-vn/dancu/web/webtest"
)

// TestDecidedConflictGainingARecordReopens: a conflict of one record
// ruled verified, which the matcher then raises again — same id — with a
// record carrying the number that the field check never saw, is open
// again on the desk (the store's status, the queue's open and not its
// decided, the page's "reopened" naming the new record, the ruling kept
// in the history, the decision form offered); the ruling taken then is on
// the conflict's records now and leaves it decided. The same conflict
// written again with the records ruled — open, as a batch raises it before
// the ruling reaches the registry, or decided, as the registry raises it
// once it holds the ruling (a redelivery, a restart, a republish) — stays
// decided. The verified taken again is on both records (verifiable:
// the field check answers for every record carrying the number). Before,
// the desk read the decisions first and showed the conflict decided
// whatever the matcher raised (user33 found it).
func TestDecidedConflictGainingARecordReopens(t *testing.T) {
	ctx := context.Background()
	pub := &recordingPublisher{}
	env := webtest.Start(t, web.Config{Publisher: pub})
	id := env.SeedConflict(t, "c_reopen", schemas.ConflictIDContradicts, "01")
	env.AddUser(t, "rev", store.RoleReviewer, "01")
	rev := env.Login(t, "rev")
	sc := store.Scope{Provinces: []string{"01"}}
	first, err := env.Store.Conflict(ctx, sc, id)
	if err != nil {
		t.Fatal(err)
	}
	version := uint64(1)
	raise := func(status string, records ...string) {
		t.Helper()
		version++
		b, err := env.Conn.PrepareBatch(ctx, "INSERT INTO conflicts (conflict_id, kind, province_code, id_number, person_ids, record_ids, score, explanation, status, version)")
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Append(id, first.Kind, "", first.IDNumber, first.PersonIDs, records, first.Score, "raised again", status, version); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(); err != nil {
			t.Fatal(err)
		}
	}
	path := "/api/conflicts/" + id + "/decision"
	rule := func(note string) schemas.Decision {
		t.Helper()
		st, b := rev.Do(t, "POST", path, map[string]string{"decision": schemas.DecisionVerified, "note": note})
		var d schemas.Decision
		if err := json.Unmarshal(b, &d); st != http.StatusOK || err != nil {
			t.Fatalf("verified: %d %s %v", st, b, err)
		}
		return d
	}
	listed := func(status string) (bool, bool) {
		t.Helper()
		st, b := rev.Do(t, "GET", "/api/conflicts?status="+status, nil)
		var l struct {
			Conflicts []struct {
				ID       string `json:"conflict_id"`
				Reopened bool   `json:"reopened"`
			} `json:"conflicts"`
		}
		if err := json.Unmarshal(b, &l); st != http.StatusOK || err != nil {
			t.Fatalf("the queue %s: %d %s %v", status, st, b, err)
		}
		for _, c := range l.Conflicts {
			if c.ID == id {
				return true, c.Reopened
			}
		}
		return false, false
	}
	// want checks the conflict's status at the store, in the queue and on
	// the page.
	want := func(why, status string, reopened bool) string {
		t.Helper()
		c, err := env.Store.Conflict(ctx, sc, id)
		if err != nil || c.Status != status || c.Reopened != reopened {
			t.Errorf("%s: the store reads %s (reopened %v) %v, want %s (reopened %v)", why, c.Status, c.Reopened, err, status, reopened)
		}
		other := schemas.StatusDecided
		if status == schemas.StatusDecided {
			other = schemas.StatusOpen
		}
		if in, re := listed(status); !in || re != reopened {
			t.Errorf("%s: in the queue's %s %v (reopened %v), want listed (reopened %v)", why, status, in, re, reopened)
		}
		if in, _ := listed(other); in {
			t.Errorf("%s: listed in the queue's %s too", why, other)
		}
		st, page := rev.Do(t, "GET", "/conflicts/"+id, nil)
		if st != http.StatusOK {
			t.Fatalf("%s: the page %d", why, st)
		}
		if got := strings.Contains(string(page), `id="reopened"`); got != reopened {
			t.Errorf("%s: the page says reopened %v, want %v", why, got, reopened)
		}
		return string(page)
	}

	d1 := rule("Số đúng; năm sinh trong hồ sơ ghi sai")
	want("verified", schemas.StatusDecided, false)
	// Raised again with the record ruled: open before the registry holds
	// the ruling, decided after — the ruling answers both.
	raise(schemas.StatusOpen, first.RecordIDs...)
	want("raised open again with the record ruled", schemas.StatusDecided, false)
	raise(schemas.StatusDecided, first.RecordIDs...)
	want("raised decided with the record ruled", schemas.StatusDecided, false)

	// A record carrying the number joins it: the registry raises it open.
	added := "r_c_reopen_new"
	env.Exec(t, fmt.Sprintf(`INSERT INTO records (record_id, full_name, birth_year, sex, id_number, perm_address, perm_province_code, perm_district_code, perm_new_province_code)
VALUES ('%s', 'Nguyễn Văn An', 1990, 'M', '001090012345', 'Xã 9, Tỉnh 01', '01', '011', '%s')`, added, store.NewProvince("01")),
		fmt.Sprintf(`INSERT INTO links (record_id, person_id, match_probability, version) VALUES ('%s', '%s', 1, 1)`, added, first.PersonIDs[0]))
	now := append(slices.Clone(first.RecordIDs), added)
	raise(schemas.StatusOpen, now...)
	page := want("a record the ruling did not see", schemas.StatusOpen, true)
	_, notice, ok := strings.Cut(page, `id="reopened"`)
	if !ok {
		t.Fatal("the reopened conflict's page has no notice")
	}
	if notice, _, _ = strings.Cut(notice, "</p>"); !strings.Contains(notice, added) || !strings.Contains(notice, "verified") || !strings.Contains(notice, "by rev") {
		t.Errorf("the page's reopened notice names not the new record and the ruling: %s", notice)
	}
	if !strings.Contains(page, `id="decide"`) || strings.Contains(page, `id="correct"`) {
		t.Error("the reopened conflict's page offers no decision, or a correction")
	} else if _, form, _ := strings.Cut(page, `id="decide"`); !strings.Contains(strings.SplitN(form, "</form>", 2)[0], `value="verified"`) {
		t.Errorf("the reopened conflict's decision form offers no verified:\n%s", form)
	}
	_, hist, _ := strings.Cut(page, `id="decisions"`)
	if hist, _, _ = strings.Cut(hist, "</ol>"); !strings.Contains(hist, "Số đúng; năm sinh trong hồ sơ ghi sai") {
		t.Errorf("the ruling is gone from the history: %s", hist)
	}
	_, b := rev.Do(t, "GET", "/api/conflicts/"+id, nil)
	var show struct {
		Conflict struct {
			Status   string `json:"status"`
			Reopened bool   `json:"reopened"`
		} `json:"conflict"`
		New []string `json:"new_records"`
	}
	if err := json.Unmarshal(b, &show); err != nil || show.Conflict.Status != schemas.StatusOpen || !show.Conflict.Reopened || !slices.Equal(show.New, []string{added}) {
		t.Errorf("GET the conflict: %+v %v, want open, reopened, new record %s", show, err, added)
	}

	// The ruling now is on the records it names now, and leaves it decided.
	d2 := rule("Kiểm tra lại cả hồ sơ mới: số đúng")
	if d2.StatusBefore != schemas.StatusOpen || d2.StatusAfter != schemas.StatusDecided || !slices.Contains(d2.RecordIDs, added) || len(d2.RecordIDs) != len(now) {
		t.Errorf("the ruling on the reopened conflict: %s → %s on %v, want open → decided on %v", d2.StatusBefore, d2.StatusAfter, d2.RecordIDs, now)
	}
	if n := len(pub.got); n != 2 || pub.got[0].DecisionID != d1.DecisionID || pub.got[1].DecisionID != d2.DecisionID {
		t.Errorf("published %+v, want both rulings", pub.got)
	}
	want("ruled again", schemas.StatusDecided, false)
	raise(schemas.StatusOpen, now...)
	want("raised again with the records ruled again", schemas.StatusDecided, false)
}
