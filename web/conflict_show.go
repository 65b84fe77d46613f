package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/web/store"
)

// conflictShow renders one conflict, unmasked; opening it is audited.
// Outside the caller's provinces it is not found.
func (s *Server) conflictShow(w http.ResponseWriter, r *http.Request) {
	s.showConflict(w, r, http.StatusOK, "", "")
}

// showConflict renders the conflict page with status and, when not empty,
// errMsg as its alert: the server's own words (a refused decision's), never
// text from the request. via is the audit entry's detail.
func (s *Server) showConflict(w http.ResponseWriter, r *http.Request, status int, errMsg, via string) {
	c, d, ok := s.openConflict(w, r, via)
	if !ok {
		return
	}
	cf := d.Conflict
	var assignees []store.User
	if can(c.user.Role).Assign {
		us, err := s.store.Users(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, u := range us {
			if !u.Disabled && can(u.Role).Desk && store.ScopeOf(u).Contains(cf.Provinces) {
				assignees = append(assignees, u)
			}
		}
	}
	notYours := notYours(d, c.user)
	forms := map[string]bool{
		"decide":  notYours == "" && cf.Status != schemas.StatusDecided && cf.Status != schemas.StatusResolvedByRegistry,
		"correct": can(c.user.Role).Assign && cf.Status == schemas.StatusDecided && len(d.Decisions) > 0,
	}
	note := typedNote(r)
	s.html(w, r, status, "conflict", map[string]any{"D": d, "Assignees": assignees, "Error": errMsg, "NotYours": notYours,
		"Note": note, "LostNote": lostNote(note, forms), "Forms": forms})
}

// lostNote is the note typed in a ruling's form (note, typedNote) that
// the page drawn after its refusal has no such form to give it back in
// (forms: the forms the page draws), or "". The page shows it, to be
// copied: when another reviewer ruled first (409) the conflict is
// decided, its decision form gone, and the words typed were lost with it
// (user31); so when a decision awaits another supervisor (403).
func lostNote(note map[string]string, forms map[string]bool) string {
	for form, text := range note {
		if strings.TrimSpace(text) != "" && !forms[form] {
			return text
		}
	}
	return ""
}

// typedNote is the note of a refused ruling's form, by the form it was
// typed in ("decide", "correct"), to give it back in that form (escaped,
// as any text): the page again after a refusal (a grouping that does not
// hold, a ruling the records do not allow) said why but lost the words
// typed. Empty for a page asked for.
func typedNote(r *http.Request) map[string]string {
	if r.Method != http.MethodPost {
		return nil
	}
	form := "decide"
	if strings.HasSuffix(r.URL.Path, "/correction") {
		form = "correct"
	}
	return map[string]string{form: r.PostFormValue("note")}
}

// notYours is why u may make no decision on the conflict of d whatever
// they choose — one awaiting the second decision of a supervisor other
// than the first decider (nextStatus) — or "": the page then offers no
// decision form, which would be refused on any choice.
func notYours(d conflictDetail, u store.User) string {
	if d.Conflict.Status != schemas.StatusAwaitingSecond {
		return ""
	}
	var he *httpError
	if _, _, err := nextStatus(d.Conflict, d.Decisions, u, schemas.DecisionNeedsVerification, ""); errors.As(err, &he) && he.status == http.StatusForbidden {
		return he.msg
	}
	return ""
}

// openConflict loads the conflict named in the path for the caller, as the
// page and the API both show it: outside the caller's provinces it is not
// found; opening it (unmasked) is audited, with via naming the channel.
// When it returns false it has answered the request already.
func (s *Server) openConflict(w http.ResponseWriter, r *http.Request, via string) (caller, conflictDetail, bool) {
	c := mustCaller(r)
	cf, err := s.store.Conflict(r.Context(), store.ScopeOf(c.user), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		s.auditNotFound(r, c.user, r.PathValue("id"))
		s.notFound(w, r)
		return c, conflictDetail{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, conflictDetail{}, false
	}
	d, err := s.loadDetail(r.Context(), cf)
	if err != nil {
		s.serverError(w, r, err)
		return c, conflictDetail{}, false
	}
	// Audited before anything is shown: a look at unmasked records that
	// cannot be audited is not given (500), rather than given untraced.
	if err := s.auditOrErr(r, c.user, cf.Provinces, store.ActionOpenConflict, cf.ConflictID, openedDetail(via, d)); err != nil {
		s.serverError(w, r, fmt.Errorf("audit the opening of %s: %w", cf.ConflictID, err))
		return c, conflictDetail{}, false
	}
	return c, d, true
}

// openedDetail is an opening's audit detail: the channel (via, when not
// empty) and the records and persons shown, by id, as they stood — a
// conflict keeps its id while records join it, so the id alone does not
// say whose data was seen. Ids are separated by spaces, so that the audit
// log can be searched by one (store.AuditFilter.ObjectID). Records the
// explanation compares outside the conflict (cd.Cited) are named too:
// the comparison shows their values.
func openedDetail(via string, cd conflictDetail) string {
	cf := cd.Conflict
	d := "records " + strings.Join(cf.RecordIDs, " ") + " ; persons " + strings.Join(cf.PersonIDs, " ")
	if len(cd.Cited) > 0 {
		d += " ; cited records"
		for _, r := range cd.Cited {
			d += " " + r.RecordID
		}
	}
	if via != "" {
		d = via + " ; " + d
	}
	return d
}

// auditNotFound records a conflict id asked for that is not within the
// caller's provinces (another province's, or none): id guessing leaves a
// trace. The answer stays 404, the same for both. The entry is filed under
// no province, for the national auditors only: under the caller's, it
// would show another province's conflict id to the caller's auditors.
func (s *Server) auditNotFound(r *http.Request, u store.User, id string) {
	if utf8.RuneCountInString(id) > 64 {
		id = string([]rune(id)[:64]) + "…"
	}
	s.auditIn(r, u, nil, store.ActionDenied, id, "no such conflict in the caller's provinces on "+r.Pattern)
}
