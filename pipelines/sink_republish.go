package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// republish writes the messages of a republish (republish.go), in order,
// after the batch's other rows:
//
//   - persons: each person's coverage change from the row ClickHouse
//     holds (persons FINAL) to the republished one is inserted into
//     person_deltas, then the rows. A row ClickHouse holds at a later
//     version (a batch linked since) is left as it is. The deltas are
//     keyed by the person, the version and both states, so that a message
//     written again after a crash between the two inserts counts once,
//     and a person whose row does not change counts nothing;
//   - links: a split event for each person ClickHouse links a record to
//     that the record now founds another person apart from (the part
//     split off is named after its earliest record); the rows; then the
//     persons named after a record (its
//     founding record, registry.PersonID) that another person holds now,
//     still living in ClickHouse from before the republish, are retired
//     into that person, with a merge event of the republish's reason;
//   - conflicts (republishConflicts): those that differ from what
//     ClickHouse holds, and the conflicts it holds open naming a person
//     of the message's range that the registry no longer raises,
//     resolved; a conflict decided, or one the desk has a decision on, is
//     left as it is;
//   - the end mark: every person still living in ClickHouse from before
//     the republish (neither republished nor linked since) is retired,
//     merged_into UpgradedPrefix and the model, with a PersonRetired
//     event.
//
// Retired persons go out of coverage by deltas inserted before their rows,
// keyed as above. Everything is read from persons FINAL by person id in
// pieces of lookupChunk, or for the end mark lookupChunk persons at a
// time: memory depends on the message, not on the registry.
//
// A row ClickHouse refuses for its data goes to the dead letters as every
// other refused row (in, Write's; insertDerived), and the rest is
// written.
func (s *ClickHouseSink) republish(ctx context.Context, rs []Republished, in *refusals) error {
	for i, r := range rs {
		var err error
		switch {
		case len(r.Persons) > 0:
			err = s.republishPersons(ctx, r.Persons, i, in)
		case len(r.Links) > 0:
			err = s.republishLinks(ctx, r, i, in)
		case r.OfConflicts:
			err = s.republishConflicts(ctx, r, i, in)
		case r.End:
			err = s.retireUnpublished(ctx, r.Republish, i, in)
		}
		if err != nil {
			return fmt.Errorf("republish (%s): %w", r.Reason, err)
		}
	}
	return nil
}

// insertDerived inserts the rows of d, which the sink derived from the
// republish message at msg of the Batch's Republished: its coverage
// deltas, person events, links, conflicts, then persons. A refused row
// is noted in in carrying itself (RefusedRow.Row), since no slice of the
// Batch holds it, and the message's place (Index: msg).
func (s *ClickHouseSink) insertDerived(ctx context.Context, d *Batch, msg int, in *refusals) error {
	from := len(in.rows)
	err := s.insertDeltas(ctx, d, in)
	if err == nil {
		err = insertRows(ctx, s, "person_events", KindPersonEvents, d.PersonEvents, in)
	}
	if err == nil {
		err = insertRows(ctx, s, "links", KindLinks, d.Links, in)
	}
	if err == nil {
		err = insertRows(ctx, s, "conflicts", KindConflicts, d.Conflicts, in)
	}
	if err == nil {
		err = insertRows(ctx, s, "persons", KindPersons, d.Persons, in)
	}
	for i := from; i < len(in.rows); i++ {
		r := &in.rows[i]
		if r.Row != nil {
			continue
		}
		key, v, encErr := d.encodeRow(r.Kind, r.Index)
		if encErr != nil {
			return errors.Join(err, fmt.Errorf("dead-letter a refused %s row: %w", r.Kind, encErr))
		}
		r.Key, r.Row, r.Index = key, v, msg
	}
	return err
}

func (s *ClickHouseSink) republishPersons(ctx context.Context, ps []schemas.Person, msg int, in *refusals) error {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.PersonID
	}
	held, err := s.personsHeld(ctx, ids, "")
	if err != nil {
		return err
	}
	keep := make([]schemas.Person, 0, len(ps))
	var deltas []schemas.PersonDelta
	for _, p := range ps {
		old, ok := held[p.PersonID]
		if ok && old.Version > p.Version {
			continue
		}
		var was *schemas.Person
		if ok {
			was = &old
		}
		if d, ok := coverageChange(was, p); ok {
			deltas = append(deltas, d)
		}
		keep = append(keep, p)
	}
	return s.insertDerived(ctx, &Batch{PersonDeltas: deltas, Persons: keep}, msg, in)
}

func (s *ClickHouseSink) republishLinks(ctx context.Context, r Republished, msg int, in *refusals) error {
	// The persons split off: a record that moved from the person
	// ClickHouse links it to into the person it founds. Their events go
	// in before the links, which a replay would find moved already.
	ids := make([]string, len(r.Links))
	for i, l := range r.Links {
		ids[i] = l.RecordID
	}
	was, err := s.linksHeld(ctx, ids)
	if err != nil {
		return err
	}
	split := map[string][]string{} // old person → the persons split from it
	for _, l := range r.Links {
		if o := was[l.RecordID]; o != "" && o != l.PersonID && registry.PersonID(l.RecordID) == l.PersonID {
			split[o] = append(split[o], l.PersonID)
		}
	}
	now := time.Now().UTC()
	events := make([]schemas.PersonEvent, 0, len(split))
	for o, others := range split {
		slices.Sort(others)
		events = append(events, personEvent(schemas.PersonSplit, o, slices.Compact(others), r.Republish, now))
	}
	if err := s.insertDerived(ctx, &Batch{PersonEvents: events, Links: r.Links}, msg, in); err != nil {
		return err
	}
	// The person each record would found, if another holds it now.
	into := map[string]string{}
	for _, l := range r.Links {
		if pid := registry.PersonID(l.RecordID); pid != l.PersonID {
			into[pid] = l.PersonID
		}
	}
	if len(into) == 0 {
		return nil
	}
	held, err := s.personsHeld(ctx, slices.Collect(maps.Keys(into)), r.staleWhere())
	if err != nil {
		return err
	}
	return s.retire(ctx, r.Republish, slices.Collect(maps.Values(held)), func(pid string) string { return into[pid] }, msg, in)
}

// retireUnpublished retires the persons living in ClickHouse that the
// republish r did not write and no batch since has.
func (s *ClickHouseSink) retireUnpublished(ctx context.Context, r Republish, msg int, in *refusals) error {
	gone := UpgradedPrefix + r.Model
	// Paged by id: a person whose row was refused stays living.
	for last := ""; ; {
		stale, err := s.readPersons(ctx, "SELECT "+heldColumns+" FROM persons FINAL WHERE "+r.staleWhere()+
			" AND person_id > "+quoteList([]string{last})+" ORDER BY person_id LIMIT "+fmt.Sprint(lookupChunk))
		if err != nil || len(stale) == 0 {
			return err
		}
		last = stale[len(stale)-1].PersonID
		if stale, err = s.notLinkedSince(ctx, stale, r.Since); err != nil {
			return err
		}
		if err := s.retire(ctx, r, stale, func(string) string { return gone }, msg, in); err != nil {
			return err
		}
	}
}

// notLinkedSince returns the persons of ps no link written since since
// (the republish's) names: one it names, the registry holds, and its row
// living from before is there because ClickHouse refused the republished
// one, now in the dead letters — retired, it would leave coverage twice
// (its republished delta is in) and come back living on a replay. It
// reads links' person_id through the whole table (no index by person):
// once for every lookupChunk persons the end mark retires, which are few
// (each merged or split person is retired with the links).
func (s *ClickHouseSink) notLinkedSince(ctx context.Context, ps []schemas.Person, since time.Time) ([]schemas.Person, error) {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.PersonID
	}
	linked, err := s.readIDs(ctx, fmt.Sprintf("SELECT DISTINCT person_id FROM links WHERE toUnixTimestamp64Milli(linked_at) >= %d AND person_id IN ", since.UnixMilli()), ids)
	if err != nil || len(linked) == 0 {
		return ps, err
	}
	return slices.DeleteFunc(ps, func(p schemas.Person) bool { return slices.Contains(linked, p.PersonID) }), nil
}

// staleWhere selects the persons living in ClickHouse from before the
// republish r: at its version or an earlier one, written before it began
// (a row of the old model's last batch has its version).
func (r Republish) staleWhere() string {
	return fmt.Sprintf("merged_into = '' AND version <= %d AND toUnixTimestamp64Milli(updated_at) < %d", r.Version, r.Since.UnixMilli())
}

// retire writes the persons stale (rows as ClickHouse holds them) retired
// at r's version, each merged into into(id): their coverage out, a merge
// event into the person (a PersonRetired event when into is not a
// person), then their rows.
func (s *ClickHouseSink) retire(ctx context.Context, r Republish, stale []schemas.Person, into func(string) string, msg int, in *refusals) error {
	if len(stale) == 0 {
		return nil
	}
	slices.SortFunc(stale, func(a, b schemas.Person) int { return strings.Compare(a.PersonID, b.PersonID) })
	now := time.Now().UTC()
	rows := make([]schemas.Person, 0, len(stale))
	events := make([]schemas.PersonEvent, 0, len(stale))
	var deltas []schemas.PersonDelta
	for i := range stale {
		to := into(stale[i].PersonID)
		p := schemas.Person{PersonID: stale[i].PersonID, MergedInto: to, Version: r.Version, UpdatedAt: now}
		if d, ok := coverageChange(&stale[i], p); ok {
			deltas = append(deltas, d)
		}
		rows = append(rows, p)
		if strings.HasPrefix(to, UpgradedPrefix) {
			events = append(events, personEvent(PersonRetired, p.PersonID, nil, r, now))
		} else {
			events = append(events, personEvent(schemas.PersonMerge, to, []string{p.PersonID}, r, now))
		}
	}
	return s.insertDerived(ctx, &Batch{PersonDeltas: deltas, PersonEvents: events, Persons: rows}, msg, in)
}

// personEvent is an event of the republish r, its id derived from its
// kind, persons and version as the registry's are.
func personEvent(kind, pid string, others []string, r Republish, at time.Time) schemas.PersonEvent {
	return schemas.PersonEvent{EventID: registry.EventID(kind, pid, others, r.Version),
		Kind: kind, PersonID: pid, Others: others, Reason: r.Reason, Version: r.Version, At: at}
}

// linksHeld returns the person links FINAL links each of ids to (none
// for a record not linked, or whose link is closed).
func (s *ClickHouseSink) linksHeld(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if err := s.lookup(ctx, "links", "SELECT record_id, person_id FROM links FINAL WHERE person_id != '' AND record_id IN", ids, func(rows driver.Rows) error {
		var r, p string
		if err := rows.Scan(&r, &p); err != nil {
			return err
		}
		out[r] = p
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// coverageChange is the coverage delta from the row ClickHouse holds (was;
// nil: none) to p, keyed by the person, p's version and both states; ok
// is false when coverage counts nothing different.
func coverageChange(was *schemas.Person, p schemas.Person) (schemas.PersonDelta, bool) {
	now := schemas.CoverageOf(p)
	var old *schemas.PersonCoverage
	if was != nil {
		if c := schemas.CoverageOf(*was); c.Living {
			old = &c
		}
	}
	if old == nil && !now.Living || old != nil && *old == now {
		return schemas.PersonDelta{}, false
	}
	d := now.Delta(old, p)
	d.Batch = "republish:" + hashHex(p.PersonID, fmt.Sprint(p.Version), fmt.Sprintf("%+v", old), fmt.Sprintf("%+v", now))
	return d, true
}

func hashHex(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:12])
}

// heldColumns are the columns of persons a republish reads: what
// coverage counts of a person, and its version.
const heldColumns = "person_id, version, merged_into, id_number, cmnd, birth_year, province_code, commune_code, new_province_code, new_commune_code"

// personsHeld returns the rows persons FINAL holds of ids (and where,
// when set), by id.
func (s *ClickHouseSink) personsHeld(ctx context.Context, ids []string, where string) (map[string]schemas.Person, error) {
	if where != "" {
		where = "(" + where + ") AND "
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string]schemas.Person, len(ids))
	if err := s.lookup(ctx, "persons", "SELECT "+heldColumns+" FROM persons FINAL WHERE "+where+"person_id IN", ids, func(rows driver.Rows) error {
		p, err := scanHeld(rows)
		if err != nil {
			return err
		}
		out[p.PersonID] = p
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// readPersons runs q, which selects heldColumns.
func (s *ClickHouseSink) readPersons(ctx context.Context, q string) ([]schemas.Person, error) {
	rows, err := s.Conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read persons: %w", err)
	}
	defer rows.Close()
	var out []schemas.Person
	for rows.Next() {
		p, err := scanHeld(rows)
		if err != nil {
			return nil, fmt.Errorf("read persons: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read persons: %w", err)
	}
	return out, nil
}

// republishConflicts writes the conflicts of a conflicts message r — all
// the registry holds naming a person of its range — where ClickHouse
// (conflicts FINAL) holds them otherwise, at the republish's version and
// with the time ClickHouse first had them; then it resolves the
// conflicts ClickHouse holds open, at the republish's version or an
// earlier one, naming a person of the range, that the registry no longer
// raises (resolved_by_registry, the explanation beginning with the
// republish's reason). A conflict ClickHouse holds at a later version (a
// batch since), holds decided, or that the desk has a decision on
// (decisions) is left as it is: a ruling is never reopened or changed.
// Written again it writes nothing: the rows then equal ClickHouse's.
func (s *ClickHouseSink) republishConflicts(ctx context.Context, r Republished, msg int, in *refusals) error {
	bound := func(v string) string { return quoteList([]string{v}) }
	open, err := s.readIDs(ctx, fmt.Sprintf("SELECT conflict_id FROM conflicts FINAL WHERE status = '%s' AND version <= %d AND arrayExists(p -> p > %s AND (%s = '' OR p <= %s), person_ids)",
		schemas.StatusOpen, r.Version, bound(r.After), bound(r.Through), bound(r.Through)), nil)
	if err != nil {
		return err
	}
	ids := slices.Clone(open)
	mine := make(map[string]bool, len(r.Conflicts))
	for _, c := range r.Conflicts {
		mine[c.ConflictID] = true
		ids = append(ids, c.ConflictID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	held, err := s.conflictsHeld(ctx, ids)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	decided, err := s.readIDs(ctx, "SELECT DISTINCT conflict_id FROM decisions WHERE conflict_id IN ", ids)
	if err != nil {
		return err
	}
	ruled := map[string]bool{}
	for _, id := range decided {
		ruled[id] = true
	}
	var out []schemas.Conflict
	for _, c := range r.Conflicts {
		h, ok := held[c.ConflictID]
		if ruled[c.ConflictID] || ok && (h.Version > r.Version || h.Status == schemas.StatusDecided) {
			continue
		}
		c.Version = r.Version
		if ok {
			c.CreatedAt = h.CreatedAt
			if sameConflict(h, c) {
				continue
			}
		}
		out = append(out, c)
	}
	for _, id := range open {
		h, ok := held[id]
		if mine[id] || ruled[id] || !ok || h.Status != schemas.StatusOpen || h.Version > r.Version {
			continue
		}
		h.Status, h.Version = schemas.StatusResolvedByRegistry, r.Version
		h.Explanation = RepublishResolved + r.Reason + ".\n\n" + h.Explanation
		out = append(out, h)
	}
	return s.insertDerived(ctx, &Batch{Conflicts: out}, msg, in)
}

// RepublishResolved begins the explanation of a conflict a republish
// resolved, followed by the republish's reason (RepublishReason).
const RepublishResolved = "Resolved by the registry: rebuilt with another model, it no longer raises this conflict — "

// sameConflict reports whether a and b say the same (their versions
// aside).
func sameConflict(a, b schemas.Conflict) bool {
	return a.Kind == b.Kind && a.ProvinceCode == b.ProvinceCode && a.IDNumber == b.IDNumber && slices.Equal(a.PersonIDs, b.PersonIDs) &&
		slices.Equal(a.RecordIDs, b.RecordIDs) && a.Score == b.Score && a.Explanation == b.Explanation && a.Status == b.Status &&
		a.CreatedAt.Equal(b.CreatedAt)
}

// readIDs runs q, which selects one string column, and returns its
// values; with ids, q ends in "IN " and runs for lookupChunk of them at
// a time.
func (s *ClickHouseSink) readIDs(ctx context.Context, q string, ids []string) ([]string, error) {
	run := func(q string) ([]string, error) {
		rows, err := s.Conn.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read ids: %w", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("read ids: %w", err)
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	if !strings.HasSuffix(q, " IN ") {
		return run(q)
	}
	var out []string
	for lo := 0; lo < len(ids); lo += lookupChunk {
		got, err := run(q + "(" + quoteList(ids[lo:min(lo+lookupChunk, len(ids))]) + ")")
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

var conflictColumns = strings.Join(schemas.Tags(schemas.Conflict{}), ", ")

// conflictsHeld returns the rows conflicts FINAL holds of ids, by id.
func (s *ClickHouseSink) conflictsHeld(ctx context.Context, ids []string) (map[string]schemas.Conflict, error) {
	out := make(map[string]schemas.Conflict, len(ids))
	for lo := 0; lo < len(ids); lo += lookupChunk {
		rows, err := s.Conn.Query(ctx, "SELECT "+conflictColumns+" FROM conflicts FINAL WHERE conflict_id IN ("+quoteList(ids[lo:min(lo+lookupChunk, len(ids))])+")")
		if err != nil {
			return nil, fmt.Errorf("read conflicts: %w", err)
		}
		for rows.Next() {
			var c schemas.Conflict
			if err := rows.ScanStruct(&c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read conflicts: %w", err)
			}
			out[c.ConflictID] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read conflicts: %w", err)
		}
	}
	return out, nil
}

// scanHeld reads a row of heldColumns.
func scanHeld(rows driver.Rows) (schemas.Person, error) {
	var p schemas.Person
	err := rows.Scan(&p.PersonID, &p.Version, &p.MergedInto, &p.IDNumber, &p.CMND, &p.BirthYear,
		&p.ProvinceCode, &p.CommuneCode, &p.NewProvinceCode, &p.NewCommuneCode)
	return p, err
}
