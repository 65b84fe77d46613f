package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dancu-vn/dancu/web/store"
)

// queueStatuses are the values of the queue's status filter.
var queueStatuses = []string{"open", "awaiting_second", "needs_verification", "decided", "resolved_by_registry", "all"}

// districtCode is an old-era district code as the queue filters by it.
var districtCode = regexp.MustCompile(`^[0-9]{3}$`)

// maxLimit is the largest page of the queue.
const maxLimit = 5000

// filterOf reads the queue filters from the query string. The default
// status is open; "all" (or empty) lists every status; assigned=me lists
// the conflicts assigned to the caller now (within the caller's scope,
// as every listing). A value the desk does not know is refused (400)
// naming the parameter, rather than answering an empty queue.
func filterOf(r *http.Request) (store.Filter, error) {
	q := r.URL.Query()
	f := store.Filter{Status: q.Get("status"), Kind: q.Get("kind"), District: q.Get("district"), Province: q.Get("province")}
	if !q.Has("status") {
		f.Status = "open"
	}
	var errs []string
	if f.Status != "" && !slices.Contains(queueStatuses, f.Status) {
		errs = append(errs, fmt.Sprintf("status %q: want one of %s", f.Status, strings.Join(queueStatuses, ", ")))
	}
	if f.Status == "all" {
		f.Status = ""
	}
	if f.Kind != "" && !slices.Contains(store.KindOrder, f.Kind) {
		errs = append(errs, fmt.Sprintf("kind %q: want one of %s", f.Kind, strings.Join(store.KindOrder, ", ")))
	}
	if f.District != "" && !districtCode.MatchString(f.District) {
		errs = append(errs, fmt.Sprintf("district %q: want an old-era district code of 3 digits", f.District))
	}
	if f.Province != "" && !store.ValidProvince(f.Province) {
		errs = append(errs, fmt.Sprintf("province %q: want one of today's 34 province codes (01, 04, 08, …, 96)", f.Province))
	}
	switch v := q.Get("assigned"); v {
	case "":
	case "me":
		f.Assignee = mustCaller(r).user.Username
	default:
		errs = append(errs, fmt.Sprintf("assigned %q: want me (the conflicts assigned to you), or leave it out", v))
	}
	var err error
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 0 || f.Limit > maxLimit {
			errs = append(errs, fmt.Sprintf("limit %q: want 1 to %d (0: 200)", v, maxLimit))
		}
	}
	if v := q.Get("offset"); v != "" {
		if f.Offset, err = strconv.Atoi(v); err != nil || f.Offset < 0 {
			errs = append(errs, fmt.Sprintf("offset %q: want 0 or more", v))
		}
	}
	if len(errs) > 0 {
		return f, &httpError{http.StatusBadRequest, strings.Join(errs, "; ")}
	}
	if f.Limit == 0 {
		f.Limit = 200
	}
	return f, nil
}

// listConflicts reads the page of the queue the request asks for, masked.
func (s *Server) listConflicts(r *http.Request) ([]listItem, int, store.Filter, error) {
	f, err := filterOf(r)
	if err != nil {
		return nil, 0, f, err
	}
	rows, total, err := s.store.Conflicts(r.Context(), store.ScopeOf(mustCaller(r).user), f)
	if err != nil {
		return nil, 0, f, err
	}
	items := make([]listItem, len(rows))
	for i, row := range rows {
		items[i] = toListItem(row)
	}
	return items, total, f, nil
}

// conflictList renders the queue: conflicts of my provinces, masked, a
// page at a time with the total and links to the pages beside. A
// supervisor's queue says how many of their provinces' conflicts await a
// supervisor's second decision (awaiting), unless it lists those.
func (s *Server) conflictList(w http.ResponseWriter, r *http.Request) {
	items, total, f, err := s.listConflicts(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	awaiting, err := s.awaiting(r, f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	page := func(offset int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(offset))
		return "/conflicts?" + q.Encode()
	}
	data := map[string]any{"Items": items, "Filter": f, "Kinds": store.KindOrder, "KindLabels": kindLabels,
		"Statuses": queueStatuses, "Total": total, "From": min(f.Offset+1, total), "To": f.Offset + len(items), "Awaiting": awaiting}
	if f.Offset > 0 {
		data["Prev"] = page(max(f.Offset-f.Limit, 0))
	}
	if f.Offset+len(items) < total {
		data["Next"] = page(f.Offset + f.Limit)
	}
	s.html(w, r, http.StatusOK, "conflicts", data)
}

// awaiting counts the conflicts of the caller's provinces awaiting a
// supervisor's second decision, for a supervisor (or admin) whose queue
// lists other statuses; 0 for anyone else. The queue lists the open ones
// by default, and a merge of two numbers awaiting its second decision is
// not open: the supervisor who signed in to second it did not see it
// without choosing its status (user32).
func (s *Server) awaiting(r *http.Request, f store.Filter) (int, error) {
	u := mustCaller(r).user
	if !can(u.Role).Assign || f.Status == "awaiting_second" || f.Status == "" {
		return 0, nil
	}
	_, n, err := s.store.Conflicts(r.Context(), store.ScopeOf(u), store.Filter{Status: "awaiting_second", Limit: 1})
	return n, err
}
