package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/schemas"
)

// conflictDecide handles the decision form of the conflict page: after a
// decision, the page (a redirect); after a refused one, the page with why.
func (s *Server) conflictDecide(w http.ResponseWriter, r *http.Request) { s.conflictRule(w, r, false) }

// conflictCorrect handles the supervisor's correction form (decide.go's
// correction), as conflictDecide.
func (s *Server) conflictCorrect(w http.ResponseWriter, r *http.Request) { s.conflictRule(w, r, true) }

func (s *Server) conflictRule(w http.ResponseWriter, r *http.Request, correct bool) {
	id := r.PathValue("id")
	in := ruleIn{decision: r.PostFormValue("decision"), note: r.PostFormValue("note"), correct: correct}
	if tie := r.PostFormValue("tie"); tie != "" {
		in.decision, in.person = tieChoice(tie)
	}
	if in.decision == schemas.DecisionDifferentPersons {
		in.groups = formGroups(r)
	}
	_, err := s.decide(r, id, in)
	var he *httpError
	if errors.As(err, &he) && he.status != http.StatusNotFound {
		// The page again, with the refusal and its status (not a redirect
		// carrying the message in the URL, where anyone could write one).
		s.showConflict(w, r, he.status, he.msg, "decision refused")
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/conflicts/"+url.PathEscape(id), http.StatusSeeOther)
}

// tieChoice reads the ambiguous_tie form's choice (tie = "record:<id>",
// the candidate's record, "neither", "one" or "needs_verification") as
// the decision it is and the candidate a placement names (tieRuling).
func tieChoice(v string) (decision, person string) {
	if r, ok := strings.CutPrefix(v, "record:"); ok {
		return schemas.DecisionSamePerson, r
	}
	switch v {
	case "neither":
		return schemas.DecisionDifferentPersons, ""
	case "one":
		return schemas.DecisionSamePerson, ""
	}
	return v, ""
}

// formGroups reads the conflict page's grouping (group_<record id> =
// the number of the record's person, as the reviewer chose it; unset
// fields left out): the records by person, in the order of the numbers,
// each group's ids sorted. None chosen: nil (the registry's grouping).
func formGroups(r *http.Request) [][]string {
	by := map[string][]string{}
	for k, v := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "group_"); ok && len(v) > 0 && v[0] != "" {
			by[v[0]] = append(by[v[0]], id)
		}
	}
	labels := make([]string, 0, len(by))
	for l := range by {
		labels = append(labels, l)
	}
	slices.SortFunc(labels, func(a, b string) int {
		na, _ := strconv.Atoi(a)
		nb, _ := strconv.Atoi(b)
		return cmp.Or(cmp.Compare(na, nb), strings.Compare(a, b))
	})
	var groups [][]string
	for _, l := range labels {
		slices.Sort(by[l])
		groups = append(groups, by[l])
	}
	return groups
}
