package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
	"github.com/dancu-vn/dancu/web/store"
)

// An ambiguous_tie conflict is a record (or a few records of one person)
// whose strongest links to two persons or more, which the guards keep
// apart, weigh exactly the same: the matcher joined it to none. Its
// records are the tied person's and one record of each person it matches
// equally (the candidates); its explanation compares each pair
// ("tied ↔ candidate"). The desk offers four rulings on it, each one of
// the decisions the registry applies:
//
//   - the record is candidate P: same_person on the tied records and P's
//     (Decision.RecordIDs: those only), a must-link; the other candidates
//     stay apart from it by the guards that kept them apart from P;
//   - it is none of them, a person of its own: different_persons with
//     two groups (tieGroups), the tied records and the candidates' — the
//     record kept apart from each candidate, the candidates left apart by
//     their guards, not by this ruling (it says nothing of them). Without
//     groups the registry groups the records by the persons it holds them
//     in when it applies the ruling, and a correction of "it is B" to
//     "none of them" left the record with B;
//   - the candidates are one person after all: same_person on all the
//     conflict's records, an override of the guard that kept them apart,
//     which needs a supervisor's second decision (needsTwo);
//   - needs field verification, as on any conflict.
//
// A same_person on all the records was what the desk offered as "Same
// person" before (rv15): it merged the namesakes, a step of one click.

// tieView is an ambiguous_tie conflict as its page offers the rulings:
// the tied record(s), their person and the candidates. Unknown says why
// the tied record cannot be told from the others (then the page offers
// only "a person of its own" and field verification).
type tieView struct {
	PersonID   string         `json:"person_id"`
	Records    []store.Record `json:"-"`
	RecordIDs  []string       `json:"record_ids"`
	Candidates []tieCandidate `json:"candidates"`
	Unknown    string         `json:"unknown,omitempty"`
	// InForce is the choice of the correction form that would rule the
	// ruling in force again (conflictDetail.InForceChoice), "" for none.
	InForce string `json:"-"`
}

// tieCandidate is a person an ambiguous_tie's record matches equally:
// its record in the conflict, named, with its number masked (the person's
// when known, else the record's).
type tieCandidate struct {
	PersonID  string   `json:"person_id"`
	RecordIDs []string `json:"record_ids"`
	Name      string   `json:"name"`
	Born      string   `json:"born"`
	Number    string   `json:"id_number_masked"`
}

// readTie reads conflict c's tied record(s) and candidates from the
// pairs its explanation compares and its records (recs, with the persons
// ClickHouse links them to now). The tied record is the one in every
// pair, when the conflict has one (a conflict of k persons, k-1 of them
// candidates of one record each): read so, the tie holds after a ruling
// has joined the record to a candidate, for the correction. Else (a tied
// person of several records, each linked to another candidate) the tied
// person is the one of the current persons in every pair. persons are
// the persons' stored versions (the latest gives a candidate's number),
// nil when not read.
func readTie(c store.ConflictRow, recs []store.Record, persons []schemas.Person) tieView {
	var t tieView
	byID := map[string]store.Record{}
	for _, r := range recs {
		byID[r.RecordID] = r
	}
	for _, id := range c.RecordIDs {
		if r, ok := byID[id]; !ok || r.PersonID == "" {
			t.Unknown = "record " + id + " is not linked to a person"
			return t
		}
	}
	var pairs [][2]string
	for _, p := range comparedPairs(c.Explanation) {
		if slices.Contains(c.RecordIDs, p[0]) && slices.Contains(c.RecordIDs, p[1]) && p[0] != p[1] {
			pairs = append(pairs, p)
		}
	}
	if len(pairs) < 2 {
		t.Unknown = "the explanation does not compare the tied record with two persons"
		return t
	}
	// tied reports whether record r is the tied person's.
	var tied func(r string) bool
	in := map[string]int{}
	for _, p := range pairs {
		in[p[0]]++
		in[p[1]]++
	}
	var all []string
	for r, n := range in {
		if n == len(pairs) {
			all = append(all, r)
		}
	}
	if len(all) == 1 && len(c.RecordIDs)-(len(c.PersonIDs)-1) == 1 {
		tied = func(r string) bool { return r == all[0] }
	} else {
		touches := map[string]int{}
		for _, p := range pairs {
			if pa, pb := byID[p[0]].PersonID, byID[p[1]].PersonID; pa != pb {
				touches[pa]++
				touches[pb]++
			}
		}
		var ps []string
		for p, n := range touches {
			if n == len(pairs) {
				ps = append(ps, p)
			}
		}
		if len(ps) != 1 {
			t.Unknown = "the records' persons do not tell which of them is tied"
			return t
		}
		tied = func(r string) bool { return byID[r].PersonID == ps[0] }
	}
	latest := map[string]schemas.Person{}
	for _, p := range persons {
		if q, ok := latest[p.PersonID]; !ok || p.Version > q.Version {
			latest[p.PersonID] = p
		}
	}
	for _, id := range c.RecordIDs {
		r := byID[id]
		if tied(id) {
			t.PersonID = r.PersonID
			t.Records = append(t.Records, r)
			t.RecordIDs = append(t.RecordIDs, id)
			continue
		}
		number := latest[r.PersonID].IDNumber
		if number == "" {
			number = r.IDNumber
		}
		t.Candidates = append(t.Candidates, tieCandidate{PersonID: r.PersonID, RecordIDs: []string{id}, Name: r.FullName, Born: bornText(r), Number: vn.MaskID(number)})
	}
	slices.SortFunc(t.Candidates, func(a, b tieCandidate) int { return strings.Compare(a.PersonID, b.PersonID) })
	if len(t.Candidates) < 2 {
		t.Unknown = "the record matches fewer than two persons"
	}
	return t
}

// bornText is a record's birth date, else its year, else "".
func bornText(r store.Record) string {
	if r.BirthDate != "" {
		return r.BirthDate
	}
	if r.BirthYear != 0 {
		return fmt.Sprint(r.BirthYear)
	}
	return ""
}

// comparedPairs are the record pairs the explanation's match-weight
// comparisons name (matching.Explanation's first line, "A ↔ B"), in the
// order named.
func comparedPairs(explanation string) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(explanation, "\n") {
		a, b, ok := strings.Cut(line, " ↔ ")
		if !ok || a == "" || b == "" || strings.ContainsAny(a, " \t") || strings.ContainsAny(b, " \t") {
			continue
		}
		out = append(out, [2]string{a, b})
	}
	return out
}

// tieRuling checks a placement of an ambiguous_tie's record with person
// (a same_person ruling, the tied record is that person: a candidate's
// person id, or its record's id, which names it alone when candidates
// have become one person) and returns the records the ruling is about
// (the tied records and the candidate's) and the tied record's ids, for
// the audit log.
func tieRuling(c store.ConflictRow, recs []store.Record, decision, person string) ([]string, string, error) {
	if c.Kind != schemas.ConflictAmbiguousTie {
		return nil, "", &httpError{http.StatusBadRequest, "person: only a ruling on an ambiguous_tie (a record that matches persons equally) places a record with a person"}
	}
	if decision != schemas.DecisionSamePerson {
		return nil, "", &httpError{http.StatusBadRequest, "person: the record is that person: decide same_person with it"}
	}
	t := readTie(c, recs, nil)
	if t.Unknown != "" {
		return nil, "", &httpError{http.StatusBadRequest, "which record is tied cannot be told here (" + t.Unknown + "): decide different_persons (a person of its own) or needs_verification"}
	}
	var found []tieCandidate
	for _, cd := range t.Candidates {
		if slices.Contains(cd.RecordIDs, person) {
			found = []tieCandidate{cd}
			break
		}
		if cd.PersonID == person {
			found = append(found, cd)
		}
	}
	var ps []string
	for _, cd := range t.Candidates {
		ps = append(ps, cd.PersonID+" (record "+strings.Join(cd.RecordIDs, ", ")+")")
	}
	switch len(found) {
	case 0:
		return nil, "", &httpError{http.StatusBadRequest, fmt.Sprintf("person %q: not one of the persons the record matches equally: %s", person, strings.Join(ps, ", "))}
	case 1:
		return append(slices.Clone(t.RecordIDs), found[0].RecordIDs...), strings.Join(t.RecordIDs, ", "), nil
	}
	return nil, "", &httpError{http.StatusBadRequest, fmt.Sprintf("person %q holds the records of several persons the record matched: name the record instead: %s", person, strings.Join(ps, ", "))}
}

// tieGroups are the groups of "none of them" on tie conflict c whose
// records are recs: the tied records, and the candidates' records; nil
// when the tied record cannot be told (the registry then groups by its
// persons).
func tieGroups(c store.ConflictRow, recs []store.Record) [][]string {
	t := readTie(c, recs, nil)
	if t.Unknown != "" {
		return nil
	}
	var others []string
	for _, cd := range t.Candidates {
		others = append(others, cd.RecordIDs...)
	}
	slices.Sort(others)
	return [][]string{t.RecordIDs, others}
}

// tieDetail is what the audit entry of a ruling on an ambiguous_tie adds:
// which record was placed with which person (placed: the tied records'
// ids, person the candidate), or that the ruling merges the persons the
// guards keep apart.
func tieDetail(c store.ConflictRow, decision, placed, person string) string {
	if c.Kind != schemas.ConflictAmbiguousTie {
		return ""
	}
	switch {
	case placed != "":
		return "; record " + placed + " is person " + person
	case decision == schemas.DecisionSamePerson:
		return "; overrides the guard: persons " + strings.Join(c.PersonIDs, ", ") + " ruled one person"
	case decision == schemas.DecisionDifferentPersons:
		return "; the record is a person of its own"
	}
	return ""
}
