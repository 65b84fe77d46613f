package web

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
	"github.com/dancu-vn/dancu/web/store"
)

// httpError is an error with the status it answers.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// needsTwo reports whether a same-person decision on c needs a second,
// supervisor's decision: a merge of persons the guards keep apart — two
// persons who both hold valid identification numbers (kind two_ids), or
// the persons a record matches equally ruled one person after all (kind
// ambiguous_tie, no placement: person is "", see tieRuling) — not a
// record placed with one of them.
func needsTwo(c store.ConflictRow, person string) bool {
	return c.Kind == schemas.ConflictTwoIDs || c.Kind == schemas.ConflictAmbiguousTie && person == ""
}

// joinable reports whether c has two records or more: the registry
// applies same_person and different_persons as constraints between
// records, so a conflict of one record (an ID number contradicting its
// own record) takes field verification, and is closed as verified once
// checked (the note saying what the check found) — it had no ruling that
// closed it (user31).
func joinable(c store.ConflictRow) bool { return len(c.RecordIDs) >= 2 }

// verifiable reports whether verified rules conflict c with decisions
// prior: a conflict of one record, or an ID number contradicting its
// records that a verified ruling closed and that the registry raised again
// with more records (store.ConflictRow.Reopened: a record carrying the
// number joined it) — the field check, done again, answers for every
// record carrying the number, as the registry reads a verified ruling
// (registry.verifiedByRuling). No other conflict of two records or more
// takes verified (user34).
func verifiable(c store.ConflictRow, prior []schemas.Decision) bool {
	if !joinable(c) {
		return true
	}
	in := inForce(prior)
	return c.Kind == schemas.ConflictIDContradicts && in != nil && in.Decision == schemas.DecisionVerified
}

// apartRefusal says why the registry would refuse a different_persons
// ruling on conflict c whose records are recs (as store.Records reads
// them, with their persons), or "" when it would apply it. It is the
// registry's rule (registry.apartGroups), so that the desk does not show
// decided a ruling the registry sends to the dead letters: a ruling keeps
// apart the persons the records are in; when they are all one person's
// (the records' persons, or the conflict's when a record's is not read)
// and there are three records or more, only their valid 12-digit numbers
// (the matcher's id_valid) can tell which records are another person, so
// each record needs one and they must not all be the same. It says why,
// not what to do instead (apartRemedy: a decision and a correction can
// do different things). A ruling
// that says which records go together (groups, a valid grouping of the
// conflict's records: schemas.CheckGroups) is applied as it says,
// whatever the persons and numbers.
func apartRefusal(c store.ConflictRow, recs []store.Record, groups [][]string) string {
	if len(c.RecordIDs) < 3 || (len(groups) > 0 && schemas.CheckGroups(c.RecordIDs, groups) == "") {
		return ""
	}
	persons := map[string]bool{}
	for _, r := range recs {
		persons[r.PersonID] = true
	}
	if len(recs) < len(c.RecordIDs) || persons[""] {
		clear(persons)
		for _, p := range c.PersonIDs {
			persons[p] = true
		}
	}
	if len(persons) > 1 {
		return ""
	}
	valid := make(map[string]string, len(recs))
	for _, r := range recs {
		if id := vn.ParseID(r.IDNumber); id.Valid && id.Kind == vn.KindCCCD {
			valid[r.RecordID] = id.Number
		}
	}
	nums := make([]string, len(c.RecordIDs)) // "" for a record not read or without one
	for i, id := range c.RecordIDs {
		nums[i] = valid[id]
	}
	g, why := schemas.GroupsByNumbers(nums)
	if g != nil {
		return ""
	}
	return fmt.Sprintf("these %d records are all one person's, and which of them are another person cannot be told from their identification numbers (%s)", len(c.RecordIDs), why)
}

// apartRemedy is what a reviewer refused different_persons (apartRefusal)
// can do instead: say the groups, or, deciding (not correcting: a
// correction cannot leave the conflict to field verification), ask for
// field verification.
func apartRemedy(correct bool) string {
	if correct {
		return "say which records go together (groups)"
	}
	return "say which records go together (groups), or decide needs_verification and say in the note which records differ"
}

// nextStatus applies a decision by u to conflict c with earlier decisions
// prior, returning the status after it and whether the decision takes
// effect as a constraint. It refuses to touch a decided conflict (a
// decision is never overwritten) or one the registry resolved, same or
// different persons on a conflict of one record, verified on one of two
// records or more, and an awaiting_second conflict unless
// u is a supervisor or admin other than the first decider.
// person is a placement's candidate (tieRuling), "" for any other ruling.
func nextStatus(c store.ConflictRow, prior []schemas.Decision, u store.User, decision, person string) (string, bool, error) {
	supervisor := u.Role == store.RoleSupervisor || u.Role == store.RoleAdmin
	switch c.Status {
	case schemas.StatusResolvedByRegistry:
		return "", false, &httpError{http.StatusConflict, "the registry resolved this conflict (it is no longer true); there is nothing to decide"}
	case schemas.StatusDecided:
		return "", false, &httpError{http.StatusConflict, alreadyDecided(prior)}
	}
	if !joinable(c) && decision != schemas.DecisionNeedsVerification && decision != schemas.DecisionVerified {
		return "", false, &httpError{http.StatusBadRequest, "this conflict has one record: there are no two records to join or separate; decide needs_verification (field verification of the number), or verified once it is checked, saying in the note what the check found"}
	}
	if decision == schemas.DecisionVerified && !verifiable(c, prior) {
		return "", false, &httpError{http.StatusBadRequest, "verified closes a conflict of one record once checked in the field; on two records or more rule same_person or different_persons, or needs_verification"}
	}
	switch c.Status {
	case schemas.StatusAwaitingSecond:
		if !supervisor {
			return "", false, &httpError{http.StatusForbidden, "this conflict awaits a supervisor's second decision"}
		}
		var first *schemas.Decision
		for i := range prior {
			if prior[i].StatusAfter == schemas.StatusAwaitingSecond {
				first = &prior[i]
			}
		}
		if first != nil && first.User == u.Username {
			return "", false, &httpError{http.StatusForbidden, "the second decision must come from another person"}
		}
		if decision == schemas.DecisionNeedsVerification {
			return schemas.StatusNeedsVerification, false, nil
		}
		return schemas.StatusDecided, true, nil
	}
	switch decision {
	case schemas.DecisionNeedsVerification:
		return schemas.StatusNeedsVerification, false, nil
	case schemas.DecisionVerified:
		return schemas.StatusDecided, false, nil
	case schemas.DecisionSamePerson:
		if needsTwo(c, person) {
			return schemas.StatusAwaitingSecond, false, nil
		}
	}
	return schemas.StatusDecided, true, nil
}

// alreadyDecided is why a decision on a decided conflict is refused: who
// ruled, what and when (the ruling in force among prior), and what is
// left to do. Before, two officers deciding one conflict at once read
// only "already decided; decisions are never overwritten" and did not
// learn who had ruled nor that a supervisor corrects a wrong ruling
// (user31).
func alreadyDecided(prior []schemas.Decision) string {
	in := inForce(prior)
	by := " by a ruling on another conflict (see why it is decided)"
	if in != nil {
		by = fmt.Sprintf(" (%s by %s at %s UTC)", strings.ReplaceAll(in.Decision, "_", " "), in.User, in.DecidedAt.UTC().Format("2006-01-02 15:04:05"))
	}
	return "this conflict is already decided" + by + "; your decision was not recorded, and decisions are never overwritten: a supervisor corrects a wrong ruling on the conflict's page"
}

// inForce is the ruling in force among a conflict's decisions prior: the
// latest that left it decided (a same_person or different_persons ruling,
// the second decision of a two-number merge, a correction, or verified on
// a conflict of one record), nil when none did.
func inForce(prior []schemas.Decision) *schemas.Decision {
	var in *schemas.Decision
	for i := range prior {
		if prior[i].StatusAfter == schemas.StatusDecided && (in == nil || !prior[i].DecidedAt.Before(in.DecidedAt)) {
			in = &prior[i]
		}
	}
	return in
}

// correction checks a supervisor's new ruling (decision) on conflict c
// with decisions prior (the route admits supervisors and admins only),
// and returns the ruling in force it replaces: the latest effective
// decision of the conflict's own. Decisions are never overwritten: the
// correction is one more, decided → decided, and the latest is in force.
// A conflict decided by a ruling on another (the registry raised it
// decided) is corrected there; the correction is same_person or
// different_persons (needs_verification would leave the ruling's
// constraint in the registry) and not the ruling already in force: a
// different_persons with other groups (groups, schemas.Decision.Groups)
// is another ruling, which the registry applies in place of the one it
// corrects (registry.Decide withdraws the cannot-links the new grouping
// does not say). It takes effect at once: it is a supervisor's, the
// second decision a two-number merge needs. A same_person on other records
// (records: an ambiguous_tie's record placed with another person,
// tieRuling) is another ruling too. On a conflict of one record the
// correction is verified, another finding of the field check (its reason
// says which).
func correction(c store.ConflictRow, prior []schemas.Decision, decision string, groups [][]string, records []string) (schemas.Decision, error) {
	if c.Status != schemas.StatusDecided {
		return schemas.Decision{}, &httpError{http.StatusConflict, "only a decided conflict's ruling can be corrected; this one is " + c.Status}
	}
	in := inForce(prior)
	if in == nil {
		return schemas.Decision{}, &httpError{http.StatusConflict, "a ruling on another conflict decided this one (see why it is decided); correct that conflict's ruling"}
	}
	if verifiable(c, prior) {
		if decision != schemas.DecisionVerified {
			what := "this conflict has one record"
			if joinable(c) {
				what = "this conflict's number was verified in the field"
			}
			return schemas.Decision{}, &httpError{http.StatusBadRequest, what + ": a correction rules verified, its reason saying what the field check found"}
		}
		return *in, nil
	}
	if decision != schemas.DecisionSamePerson && decision != schemas.DecisionDifferentPersons {
		return schemas.Decision{}, &httpError{http.StatusBadRequest, "a correction rules same_person or different_persons"}
	}
	if sameRuling(*in, decision, groups, records) {
		also := ""
		if decision == schemas.DecisionDifferentPersons {
			also = ", with these groups; a correction that regroups the records says its groups"
		}
		return schemas.Decision{}, &httpError{http.StatusConflict, fmt.Sprintf("%s is already the ruling in force (%s)%s", decision, in.DecisionID, also)}
	}
	return *in, nil
}

// sameRuling reports whether decision on records, with groups, rules
// what the ruling in force in rules: a correction to it changes nothing
// (correction answers 409, and the correction form does not offer it:
// inForceChoice).
func sameRuling(in schemas.Decision, decision string, groups [][]string, records []string) bool {
	sameRecords := slices.Equal(slices.Sorted(slices.Values(in.RecordIDs)), slices.Sorted(slices.Values(records)))
	return decision == in.Decision && sameRecords && (decision != schemas.DecisionDifferentPersons || groupsText(in.Groups) == groupsText(groups))
}

// inForceChoice is the choice of the correction form of conflict c
// (records recs, decisions prior) that would rule again the ruling in
// force — "same_person", "different_persons" (without a grouping), an
// ambiguous_tie's "record:<id>", "neither" or "one", as the form's values
// are read (tieChoice) — or "" when none would (a grouping of three
// records or more: other groups are another ruling; verified on a
// conflict of one record: another finding of the field check). The form
// marks that choice as in force and does not offer it: chosen, it was
// refused, 409 "already the ruling in force" (user32).
func inForceChoice(c store.ConflictRow, recs []store.Record, prior []schemas.Decision, groupChoices bool) string {
	in := inForce(prior)
	if in == nil || !joinable(c) {
		return ""
	}
	type choice struct {
		value, decision string
		groups          [][]string
		records         []string
	}
	var cs []choice
	if c.Kind == schemas.ConflictAmbiguousTie {
		t := readTie(c, recs, nil)
		for _, cd := range t.Candidates {
			cs = append(cs, choice{"record:" + cd.RecordIDs[0], schemas.DecisionSamePerson, nil, append(slices.Clone(t.RecordIDs), cd.RecordIDs...)})
		}
		cs = append(cs, choice{"neither", schemas.DecisionDifferentPersons, tieGroups(c, recs), c.RecordIDs})
		if t.Unknown == "" {
			cs = append(cs, choice{"one", schemas.DecisionSamePerson, nil, c.RecordIDs})
		}
	} else {
		cs = append(cs, choice{schemas.DecisionSamePerson, schemas.DecisionSamePerson, nil, c.RecordIDs})
		if !groupChoices {
			cs = append(cs, choice{schemas.DecisionDifferentPersons, schemas.DecisionDifferentPersons, nil, c.RecordIDs})
		}
	}
	for _, ch := range cs {
		if sameRuling(*in, ch.decision, ch.groups, ch.records) {
			return ch.value
		}
	}
	return ""
}

// groupsText writes a ruling's groups for the audit log and to compare
// two groupings: each group's records sorted, the groups in the order of
// their first records, "" without groups ("; groups {r1, r3} {r2}").
func groupsText(groups [][]string) string {
	if len(groups) == 0 {
		return ""
	}
	gs := make([]string, len(groups))
	for i, g := range groups {
		gs[i] = "{" + strings.Join(slices.Sorted(slices.Values(g)), ", ") + "}"
	}
	slices.Sort(gs)
	return "; groups " + strings.Join(gs, " ")
}

// ruleIn is a ruling as the desk receives it (the conflict page's form,
// the JSON API, `dancu review`).
type ruleIn struct {
	decision, note string
	// correct: a supervisor's correction of the ruling in force
	// (correction), note its reason, required.
	correct bool
	// groups, on a different_persons ruling only, says which of the
	// conflict's records are which person (schemas.Decision.Groups).
	groups [][]string
	// person, on a same_person ruling on an ambiguous_tie only, is the
	// candidate person the tied record is (tieRuling).
	person string
}

// decide records a decision by the caller on conflict id: checked against
// the caller's scope (not found outside it), audited (refused when the
// audit log cannot be written), stored append-only with the status before
// and after, and published to the match stage.
// With in.correct, it is a supervisor's correction of the ruling in force
// (correction), in.note its reason, required. in.groups, on a different_persons
// ruling only, says which of the conflict's records are which person
// (schemas.Decision.Groups; 400 unless each record is in exactly one of
// two groups or more). A different_persons ruling the registry would
// refuse (apartRefusal) is refused here, 400. On an ambiguous_tie,
// in.person places the tied record with that person (tieRuling).
func (s *Server) decide(r *http.Request, id string, in ruleIn) (schemas.Decision, error) {
	c := mustCaller(r)
	decision, note, correct, groups := in.decision, in.note, in.correct, in.groups
	// The status is read and the decision appended under the conflict's
	// lock: two reviewers deciding at once would otherwise both find it
	// open and both be stored and published. Another `dancu serve` on
	// the same ClickHouse does not see this lock: the decision is stored
	// as the turn after the decisions counted with the status it was
	// decided from (AddDecisionAfter), and the second of two for one turn
	// is refused.
	defer s.lockConflict(id)()
	// The caller's scope first: a conflict outside it is not found (and
	// audited as denied) whatever the request says, so a bad value sent
	// on another province's id tells nothing and leaves its trace.
	cf, err := s.conflictInScope(r, c.user, id)
	if err != nil {
		return schemas.Decision{}, err
	}
	if !schemas.ValidDecision(decision) {
		want := "same_person, different_persons, needs_verification or verified (a conflict of one record, checked)"
		if correct {
			want = "same_person or different_persons, or verified on a conflict of one record (a correction cannot take needs_verification)"
		}
		return schemas.Decision{}, &httpError{http.StatusBadRequest, fmt.Sprintf("decision %q: want %s", decision, want)}
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 2000 {
		return schemas.Decision{}, &httpError{http.StatusBadRequest, "note: at most 2000 characters"}
	}
	if correct && note == "" {
		return schemas.Decision{}, &httpError{http.StatusBadRequest, "reason: required; say why the ruling in force is wrong"}
	}
	if len(groups) > 0 {
		if decision != schemas.DecisionDifferentPersons {
			return schemas.Decision{}, &httpError{http.StatusBadRequest, "groups: only a different_persons ruling says which records go together"}
		}
		if msg := schemas.CheckGroups(cf.RecordIDs, groups); msg != "" {
			return schemas.Decision{}, &httpError{http.StatusBadRequest, msg + " (want each of the conflict's records in exactly one group)"}
		}
	}
	// The records the ruling is about: the conflict's, or the tied
	// record's and its person's (a placement); "none of them" on a tie
	// keeps apart the persons as the reviewer saw them (tieGroups).
	records, placed := cf.RecordIDs, ""
	if in.person != "" || cf.Kind == schemas.ConflictAmbiguousTie && decision == schemas.DecisionDifferentPersons && len(groups) == 0 {
		recs, err := s.store.Records(r.Context(), cf.RecordIDs)
		if err != nil {
			return schemas.Decision{}, err
		}
		if in.person == "" {
			groups = tieGroups(cf, recs)
		} else if records, placed, err = tieRuling(cf, recs, decision, in.person); err != nil {
			return schemas.Decision{}, err
		}
	}
	prior, err := s.store.Decisions(r.Context(), cf.ConflictID)
	if err != nil {
		return schemas.Decision{}, err
	}
	var after, action, detail string
	if correct {
		was, err := correction(cf, prior, decision, groups, records)
		if err != nil {
			return schemas.Decision{}, err
		}
		after, action, detail = schemas.StatusDecided, store.ActionCorrect, fmt.Sprintf("%s → %s, replacing %s%s", was.Decision, decision, was.DecisionID, groupsText(groups))
	} else {
		if after, _, err = nextStatus(cf, prior, c.user, decision, in.person); err != nil {
			return schemas.Decision{}, err
		}
		action, detail = store.ActionDecide, fmt.Sprintf("%s: %s → %s%s", decision, cf.Status, after, groupsText(groups))
	}
	if decision == schemas.DecisionVerified && note == "" {
		return schemas.Decision{}, &httpError{http.StatusBadRequest, "note: required with verified; say what the field check found (the number is the person's and the record's fields are wrong, or the number is wrong)"}
	}
	detail += tieDetail(cf, decision, placed, in.person)
	// Checked after the status (a decided conflict answers 409 first),
	// for a decision and a correction alike: the registry refuses both.
	if decision == schemas.DecisionDifferentPersons {
		recs, err := s.store.Records(r.Context(), cf.RecordIDs)
		if err != nil {
			return schemas.Decision{}, err
		}
		if msg := apartRefusal(cf, recs, groups); msg != "" {
			return schemas.Decision{}, &httpError{http.StatusBadRequest, msg + ": " + apartRemedy(correct)}
		}
	}
	now := s.store.Now()
	d := schemas.Decision{
		DecisionID: schemas.DecisionID(cf.ConflictID, c.user.Username, now), ConflictID: cf.ConflictID,
		ConflictKind: cf.Kind, PersonIDs: cf.PersonIDs, RecordIDs: records, Decision: decision,
		User: c.user.Username, Role: c.user.Role, Note: note, StatusBefore: cf.Status, StatusAfter: after,
		DecidedAt: now, Groups: groups,
	}
	// Audited first: a police ruling is stored only once the audit log
	// holds it, so no ruling in force lacks its entry (ClickHouse has no
	// transaction over the two tables). The entry names the decision id;
	// should the decision then not be stored, a second entry says so
	// (best effort), and the decisions table is the word on what stands.
	detail += " (decision " + d.DecisionID + ")"
	if err := s.auditOrErr(r, c.user, cf.Provinces, action, cf.ConflictID, detail); err != nil {
		return schemas.Decision{}, fmt.Errorf("audit decision %s before storing it: %w", d.DecisionID, err)
	}
	// The turn is the conflict's count of decisions as read with its
	// status (one query): prior, read after it, may have more.
	if err := s.store.AddDecisionAfter(r.Context(), d, int(cf.DecisionsN)); err != nil {
		s.auditIn(r, c.user, cf.Provinces, action, cf.ConflictID, "not stored: decision "+d.DecisionID+": "+err.Error())
		if errors.Is(err, store.ErrTurnTaken) {
			return schemas.Decision{}, &httpError{http.StatusConflict, err.Error() + " (on another server of the desk): reload the conflict to see it"}
		}
		return schemas.Decision{}, err
	}
	// Every decision but the first of two (awaiting_second: no effect
	// yet) is published; the match stage applies the rulings, keeps a
	// verified one in force (the person's number then reads verified),
	// and passes over needs_verification.
	if s.cfg.Publisher != nil && d.StatusAfter != schemas.StatusAwaitingSecond {
		// The decision is stored: one the brokers do not acknowledge is
		// marked unsent in the store and sent again by RunOutbox (at
		// start and, backing off, while the brokers are down); the page
		// says so (outbox.go; user31; README).
		s.publish(context.WithoutCancel(r.Context()), d, cf.Provinces)
	}
	return d, nil
}

// lockConflict locks conflict id's stripe of s.conflictLocks (a decision
// holds it for the time of two reads, an insert and its check) and returns
// its unlock.
func (s *Server) lockConflict(id string) func() {
	h := fnv.New32a()
	h.Write([]byte(id))
	m := &s.conflictLocks[h.Sum32()%uint32(len(s.conflictLocks))]
	m.Lock()
	return m.Unlock
}

// assign gives conflict id (within the caller's scope) to a desk user
// whose provinces include one of the conflict's, audited first.
func (s *Server) assign(r *http.Request, id, assignee string) error {
	c := mustCaller(r)
	cf, err := s.conflictInScope(r, c.user, id)
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), assignee)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Disabled || !can(u.Role).Desk || !store.ScopeOf(u).Contains(cf.Provinces))) {
		return &httpError{http.StatusBadRequest, fmt.Sprintf("assignee %q: no enabled reviewer or supervisor of this conflict's provinces", assignee)}
	}
	if err != nil {
		return err
	}
	// Audited first, as a decision is: refused when the audit log cannot
	// be written.
	if err := s.auditOrErr(r, c.user, cf.Provinces, store.ActionAssign, cf.ConflictID, "to "+u.Username); err != nil {
		return fmt.Errorf("audit the assignment before storing it: %w", err)
	}
	if err := s.store.Assign(r.Context(), cf.ConflictID, u.Username, c.user.Username); err != nil {
		s.auditIn(r, c.user, cf.Provinces, store.ActionAssign, cf.ConflictID, "not stored: to "+u.Username+": "+err.Error())
		return err
	}
	return nil
}

// failErr answers err: its own status for an httpError, 500 otherwise.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		s.fail(w, r, he.status, he.msg)
		return
	}
	s.serverError(w, r, err)
}

// conflictInScope reads conflict id within u's provinces: not found
// outside them (404, audited as denied, as the conflict page does).
func (s *Server) conflictInScope(r *http.Request, u store.User, id string) (store.ConflictRow, error) {
	cf, err := s.store.Conflict(r.Context(), store.ScopeOf(u), id)
	if errors.Is(err, store.ErrNotFound) {
		s.auditNotFound(r, u, id)
		return store.ConflictRow{}, &httpError{http.StatusNotFound, "not found"}
	}
	return cf, err
}
