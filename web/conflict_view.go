package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
	"github.com/dancu-vn/dancu/web/store"
)

// listItem is a queue row with names and numbers masked: they are shown
// only when a reviewer opens the conflict (which is audited).
type listItem struct {
	ConflictID string   `json:"conflict_id"`
	Kind       string   `json:"kind"`
	KindLabel  string   `json:"-"`
	IDNumber   string   `json:"id_number_masked"`
	Provinces  []string `json:"province_codes"`
	Districts  []string `json:"district_codes"`
	Status     string   `json:"status"`
	Score      float64  `json:"score"`
	Records    int      `json:"records"`
	Persons    int      `json:"persons"`
	Assignee   string   `json:"assignee"`
	// Resolution is why the conflict left the open queue without a
	// decision of its own (resolved by the registry, or answered by a
	// ruling on another conflict): the first paragraph of its
	// explanation, as the conflict page gives it.
	Resolution string `json:"resolution,omitempty"`
	// ByWithdrawal: the registry resolved it because records it names
	// were withdrawn (a corrected file replaced theirs).
	ByWithdrawal bool `json:"resolved_by_withdrawal,omitempty"`
	// Reopened: decided, then raised again with a record the ruling was
	// not about (store.ConflictRow.Reopened): open again.
	Reopened bool `json:"reopened,omitempty"`
}

var kindLabels = map[string]string{
	schemas.ConflictSharedID:      "shared ID number",
	schemas.ConflictTwoIDs:        "two ID numbers",
	schemas.ConflictIDContradicts: "ID contradicts demographics",
	schemas.ConflictGreyZone:      "grey zone",
	schemas.ConflictAmbiguousTie:  "matches two persons equally",
	schemas.ConflictPossibleMatch: "possible match (on demand)",
}

func maskNumbers(s string) string {
	parts := strings.Split(s, ";")
	for i, p := range parts {
		if p != "" {
			parts[i] = vn.MaskID(p)
		}
	}
	return strings.Join(parts, ";")
}

func toListItem(c store.ConflictRow) listItem {
	it := listItem{ConflictID: c.ConflictID, Kind: c.Kind, KindLabel: kindLabels[c.Kind], IDNumber: maskNumbers(c.IDNumber),
		Provinces: c.Provinces, Districts: c.Districts, Status: c.Status, Score: c.Score,
		Records: len(c.RecordIDs), Persons: len(c.PersonIDs), Assignee: c.Assignee, Reopened: c.Reopened}
	if why, ok := resolution(c); ok {
		it.Resolution = strings.TrimPrefix(why, "Resolved by the registry: ")
		it.ByWithdrawal = byWithdrawal(c)
	}
	return it
}

// byWithdrawal says whether the registry resolved c because of a
// withdrawal: of one of its records (the load stage's
// pipelines.WithdrawnExplanation) or of records whose persons' merge or
// split resolved it (the registry's "records withdrawn by"). The queue
// and the conflict page both say it from this, so they agree.
func byWithdrawal(c store.ConflictRow) bool {
	why, ok := resolution(c)
	return ok && c.Status == schemas.StatusResolvedByRegistry && strings.Contains(why, "withdrawn")
}

// resolution is the first paragraph of the explanation of a conflict that
// left the queue without a decision of its own (the registry resolved it,
// or a ruling on another conflict answers it), and whether it has one.
// The registry and the load stage write that paragraph in front of the
// conflict's own explanation; a withdrawal's names "withdrawn" in both
// (pipelines.WithdrawnExplanation, registry's "records withdrawn by").
func resolution(c store.ConflictRow) (string, bool) {
	if c.Status != schemas.StatusResolvedByRegistry && (c.Status != schemas.StatusDecided || c.DecisionsN != 0) {
		return "", false
	}
	first, _, _ := strings.Cut(c.Explanation, "\n\n")
	return first, true
}

// fieldRow is one field across the records, flagged when they differ.
type fieldRow struct {
	Label   string
	Values  []string
	Differs bool
	// Lang is the language of the values ("vi": names and places, which
	// a screen reader reads as Vietnamese in the English page), "" for
	// numbers, codes, dates and the desk's own words.
	Lang string
}

// viFields are the records' fields whose values are Vietnamese text.
var viFields = map[string]bool{"full name": true, "permanent address": true, "current address": true, "native place": true, "province (old / today)": true,
	"ethnicity": true, "father": true, "mother": true, "spouse": true}

// provinceText names a record's province of era with its code, as the
// coverage page does ("Tỉnh Hà Giang (02)"), from coverage's gazetteer:
// the code alone when the reference lists have no such province, "—"
// when the record has none. The row showed the codes only, "02 / 08",
// until user33 (user32 found it).
func provinceText(era coverage.Era, code string) string {
	if code == "" {
		return "—"
	}
	if n := coverage.UnitName(era, coverage.Province, code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// idCheck is the structure check of one record's identification number.
type idCheck struct {
	RecordID string   `json:"record_id"`
	Number   string   `json:"number"`
	Kind     string   `json:"kind"`
	Problems []string `json:"problems"`
}

// conflictDetail is everything the conflict page and GET /api/conflicts/{id} show.
type conflictDetail struct {
	Conflict  store.ConflictRow  `json:"conflict"`
	KindLabel string             `json:"-"`
	Records   []store.Record     `json:"records"`
	Fields    []fieldRow         `json:"-"`
	IDChecks  []idCheck          `json:"id_checks"`
	Persons   personHistory      `json:"person_history"`
	Events    personEvents       `json:"person_events"`
	Decisions []schemas.Decision `json:"decisions"`
	// Unsent are those of Decisions stored and not yet sent to the
	// register (the brokers did not acknowledge them): as the audit log's
	// marks say (store.UnsentAmong), whichever server took them and
	// whenever it restarted, or as this server's outbox holds them.
	Unsent   []string `json:"unsent_decisions,omitempty"`
	NeedsTwo bool     `json:"needs_two_decisions"`
	// Joinable: the conflict has two records or more, so same_person and
	// different_persons apply; else only needs_verification.
	Joinable bool `json:"joinable"`
	// Verifiable: verified rules it (verifiable): one record, or a
	// verified ID number that gained a record carrying it.
	Verifiable bool `json:"-"`
	// ApartRefused is why different_persons does not apply (apartRefusal),
	// "" when it does (and the conflict is joinable).
	ApartRefused string `json:"different_persons_refused,omitempty"`
	// GroupChoices are the person numbers the page offers for each
	// record (1 … records) when there are three records or more: the
	// reviewer says which records go together (the decision's groups).
	GroupChoices []int `json:"-"`
	// Resolution is why the registry closed the conflict (status
	// resolved_by_registry), or which ruling on another conflict answers
	// it (status decided with no decision of its own): the first
	// paragraph of its explanation.
	Resolution string `json:"resolution,omitempty"`
	// Withdrawals are those of the conflict's records, and those that
	// retired its persons or split them (events of reason
	// "withdrawn:<batch>"): which corrected import replaced which file,
	// by whom, when.
	Withdrawals []store.Withdrawal `json:"withdrawals,omitempty"`
	// ByWithdrawal: the registry resolved the conflict because of a
	// withdrawal (byWithdrawal), as the queue says.
	ByWithdrawal bool `json:"resolved_by_withdrawal,omitempty"`
	// InForce is the ruling in force on a decided conflict (inForce),
	// nil when none of its own is; InForceChoice the correction form's
	// choice that would rule it again (inForceChoice), which the form
	// marks and does not offer.
	InForce       *schemas.Decision `json:"-"`
	InForceChoice string            `json:"-"`
	// Ruled is the ruling a reopened conflict had (store.ConflictRow.Reopened),
	// NewRecords its records that ruling was not about, which no officer
	// has ruled on: a ruling now is on all its records.
	Ruled      *schemas.Decision `json:"-"`
	NewRecords []string          `json:"new_records,omitempty"`
	// Tie is an ambiguous_tie's tied record and the persons it matches
	// equally, for the page's rulings (readTie); nil for other kinds.
	Tie *tieView `json:"tie,omitempty"`
	// Cited are the records the explanation's match-weight comparison
	// names ("A ↔ B") that are not among the conflict's records (user22:
	// a two_ids or id_contradicts conflict holds the records carrying a
	// number, its comparison the pair that linked the persons): the page
	// names them, with their person, and the opening's audit too, since
	// the comparison shows their values.
	Cited []citedRecord `json:"cited_records,omitempty"`
}

// citedRecord is a record the explanation compares that is not in the
// conflict, and its person ("" when it has none, or is not found).
type citedRecord struct {
	RecordID string `json:"record_id"`
	PersonID string `json:"person_id"`
}

// citedOutside are the record ids the explanation's comparisons name
// (matching.Explanation's first line, "A ↔ B") that are not in ids, in
// the order named.
func citedOutside(explanation string, ids []string) []string {
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	var out []string
	for _, p := range comparedPairs(explanation) {
		for _, id := range p {
			if !in[id] {
				in[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// mergedInto says in words what a person's merged_into means.
func mergedInto(s string) string {
	if b, ok := strings.CutPrefix(s, schemas.WithdrawnPrefix); ok {
		return "withdrawn: no record left once the corrected import " + b + " replaced its file"
	}
	if s != "" {
		return "merged into " + s
	}
	return ""
}

// eventReason says in words why a person event happened.
func eventReason(s string) string {
	if b, ok := strings.CutPrefix(s, schemas.WithdrawnPrefix); ok {
		return "records withdrawn: the corrected import " + b + " replaced their file"
	}
	if d, ok := strings.CutPrefix(s, "decision:"); ok {
		return "police decision " + d
	}
	return s
}

// withdrawals reads the withdrawals of d's records and of the batches its
// persons' rows and events name.
func (s *Server) withdrawals(ctx context.Context, d *conflictDetail) error {
	var batches []string
	for _, p := range d.Persons {
		if b, ok := strings.CutPrefix(p.MergedInto, schemas.WithdrawnPrefix); ok {
			batches = append(batches, b)
		}
	}
	for _, e := range d.Events {
		if b, ok := strings.CutPrefix(e.Reason, schemas.WithdrawnPrefix); ok {
			batches = append(batches, b)
		}
	}
	var err error
	if d.Withdrawals, err = s.store.Withdrawals(ctx, d.Conflict.RecordIDs, batches); err != nil {
		return err
	}
	return nil
}

func (s *Server) loadDetail(ctx context.Context, c store.ConflictRow) (conflictDetail, error) {
	d := conflictDetail{Conflict: c, KindLabel: kindLabels[c.Kind], NeedsTwo: needsTwo(c, ""), Joinable: joinable(c), ByWithdrawal: byWithdrawal(c)}
	if _, ok := resolution(c); ok {
		d.Resolution, d.Conflict.Explanation, _ = strings.Cut(c.Explanation, "\n\n")
	}
	var err error
	if d.Records, err = s.store.Records(ctx, c.RecordIDs); err != nil {
		return d, err
	}
	if cited := citedOutside(d.Conflict.Explanation, c.RecordIDs); len(cited) > 0 {
		rs, err := s.store.Records(ctx, cited)
		if err != nil {
			return d, err
		}
		person := map[string]string{}
		for _, r := range rs {
			person[r.RecordID] = r.PersonID
		}
		for _, id := range cited {
			d.Cited = append(d.Cited, citedRecord{RecordID: id, PersonID: person[id]})
		}
	}
	d.ApartRefused = apartRefusal(c, d.Records, nil)
	if d.Joinable && len(c.RecordIDs) >= 3 && c.Kind != schemas.ConflictAmbiguousTie {
		for i := range c.RecordIDs {
			d.GroupChoices = append(d.GroupChoices, i+1)
		}
	}
	if d.Persons, err = s.store.PersonHistory(ctx, c.PersonIDs); err != nil {
		return d, err
	}
	if c.Kind == schemas.ConflictAmbiguousTie {
		t := readTie(c, d.Records, d.Persons)
		d.Tie = &t
	}
	if d.Events, err = s.store.PersonEvents(ctx, c.PersonIDs); err != nil {
		return d, err
	}
	if d.Decisions, err = s.store.Decisions(ctx, c.ConflictID); err != nil {
		return d, err
	}
	d.Verifiable = verifiable(c, d.Decisions)
	if c.Reopened {
		if d.Ruled = inForce(d.Decisions); d.Ruled != nil {
			for _, id := range c.RecordIDs {
				if !slices.Contains(d.Ruled.RecordIDs, id) {
					d.NewRecords = append(d.NewRecords, id)
				}
			}
		}
	}
	if c.Status == schemas.StatusDecided {
		d.InForce = inForce(d.Decisions)
		d.InForceChoice = inForceChoice(c, d.Records, d.Decisions, len(d.GroupChoices) > 0)
		if d.Tie != nil {
			d.Tie.InForce = d.InForceChoice
		}
	}
	if d.Unsent, err = s.unsent(ctx, d.Decisions); err != nil {
		return d, err
	}
	if err := s.withdrawals(ctx, &d); err != nil {
		return d, err
	}
	withdrawnBy := map[string]string{}
	for _, w := range d.Withdrawals {
		for _, id := range w.RecordIDs {
			withdrawnBy[id] = w.Batch
		}
	}
	field := func(label string, get func(store.Record) string) {
		row := fieldRow{Label: label}
		if viFields[label] {
			row.Lang = "vi"
		}
		for i, r := range d.Records {
			v := get(r)
			row.Values = append(row.Values, v)
			if i > 0 && v != row.Values[0] {
				row.Differs = true
			}
		}
		d.Fields = append(d.Fields, row)
	}
	field("person", func(r store.Record) string {
		if b, ok := withdrawnBy[r.RecordID]; ok {
			return "none: withdrawn (corrected import " + b + ")"
		}
		return r.PersonID
	})
	field("full name", func(r store.Record) string { return r.FullName })
	field("date of birth", bornText)
	field("sex", func(r store.Record) string { return r.Sex })
	field("ID number", func(r store.Record) string { return r.IDNumber })
	field("CMND", func(r store.Record) string { return r.CMND })
	field("permanent address", func(r store.Record) string { return r.PermAddress })
	field("current address", func(r store.Record) string { return r.CurAddress })
	field("province (old / today)", func(r store.Record) string {
		return provinceText(coverage.Old, r.PermProvince) + " / " + provinceText(coverage.New, r.PermNewProvince)
	})
	field("native place", func(r store.Record) string { return r.NativePlace })
	field("ethnicity", func(r store.Record) string { return r.Ethnicity })
	field("father", func(r store.Record) string { return r.FatherName })
	field("mother", func(r store.Record) string { return r.MotherName })
	field("spouse", func(r store.Record) string { return r.SpouseName })
	field("source", func(r store.Record) string {
		return fmt.Sprintf("%s %s %s row %d", r.SourceKind, r.SourceFile, r.Sheet, r.Row)
	})
	for _, r := range d.Records {
		if r.IDNumber == "" {
			continue
		}
		id := vn.ParseID(r.IDNumber)
		probs := id.Check(int(r.BirthYear), r.Sex, "")
		if probs == nil {
			probs = []string{}
		}
		d.IDChecks = append(d.IDChecks, idCheck{RecordID: r.RecordID, Number: r.IDNumber, Kind: id.Kind, Problems: probs})
	}
	// The API's lists are [] when empty, never null, as person_history's
	// and person_events' are (user32 found "decisions": null).
	if d.Decisions == nil {
		d.Decisions = []schemas.Decision{}
	}
	if d.IDChecks == nil {
		d.IDChecks = []idCheck{}
	}
	return d, nil
}

// unsentSkew is how much earlier than a decision's decided_at its unsent
// mark is looked for: the mark is written after the decision, by the same
// server's clock, so only a clock set back between the two needs it.
const unsentSkew = time.Hour

// unsent returns the ids of ds stored and not yet sent to the register:
// marked so in the audit log (by any `dancu serve` on this ClickHouse,
// before or after a restart: dec6's notice was this server's memory
// alone, user31) or queued in this server's outbox (whose mark may have
// failed to be written).
func (s *Server) unsent(ctx context.Context, ds []schemas.Decision) ([]string, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	ids := make([]string, len(ds))
	since := ds[0].DecidedAt
	for i, d := range ds {
		ids[i] = d.DecisionID
		if d.DecidedAt.Before(since) {
			since = d.DecidedAt
		}
	}
	out, err := s.store.UnsentAmong(ctx, ids, since.Add(-unsentSkew))
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if s.out.queued(d.DecisionID) && !slices.Contains(out, d.DecisionID) {
			out = append(out, d.DecisionID)
		}
	}
	return out, nil
}

// personHistory is a conflict's persons' stored versions, written to the
// API with the snake_case keys of the rest of its JSON (personJSON).
// schemas.Person has no JSON names of its own — the registry keeps its
// persons' JSON in its store with the field names — and the API wrote
// "PersonID", "MergedInto" beside "conflict_id" until 7 December
// (user31; no test, doc or client of this repository read them).
type personHistory []schemas.Person

// personJSON is schemas.Person with the API's keys (its columns' names):
// the same fields, converted, so that a field added to schemas.Person
// fails to compile here rather than leave the API.
type personJSON struct {
	PersonID        string    `json:"person_id"`
	IDNumber        string    `json:"id_number"`
	IDStatus        string    `json:"id_status"`
	FullName        string    `json:"full_name"`
	BirthDate       string    `json:"birth_date"`
	BirthYear       uint16    `json:"birth_year"`
	Sex             string    `json:"sex"`
	ProvinceCode    string    `json:"province_code"`
	NewProvinceCode string    `json:"new_province_code"`
	CommuneCode     string    `json:"commune_code"`
	NewCommuneCode  string    `json:"new_commune_code"`
	RecordCount     uint32    `json:"record_count"`
	MergedInto      string    `json:"merged_into"`
	Version         uint64    `json:"version"`
	UpdatedAt       time.Time `json:"updated_at"`
	CMND            string    `json:"cmnd"`
}

// MarshalJSON writes the persons with the API's keys (personJSON), [] for
// none.
func (h personHistory) MarshalJSON() ([]byte, error) {
	rows := make([]personJSON, len(h))
	for i, p := range h {
		rows[i] = personJSON(p)
	}
	return json.Marshal(rows)
}

// personEvents are the merges and splits of a conflict's persons, written
// with the API's keys as personHistory is.
type personEvents []schemas.PersonEvent

// eventJSON is schemas.PersonEvent with the API's keys (its columns').
type eventJSON struct {
	EventID  string    `json:"event_id"`
	Kind     string    `json:"kind"`
	PersonID string    `json:"person_id"`
	Others   []string  `json:"others"`
	Records  uint32    `json:"records"`
	Reason   string    `json:"reason"`
	Version  uint64    `json:"version"`
	At       time.Time `json:"at"`
}

// MarshalJSON writes the events with the API's keys (eventJSON), [] for
// none.
func (es personEvents) MarshalJSON() ([]byte, error) {
	rows := make([]eventJSON, len(es))
	for i, e := range es {
		rows[i] = eventJSON(e)
	}
	return json.Marshal(rows)
}
