package chaos

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/dancu-vn/dancu/coverage"
	"github.com/dancu-vn/dancu/coverage/coveragetest"
	"github.com/dancu-vn/dancu/internal/chstore"
)

// Snapshot is what a run left in ClickHouse, read with FINAL.
type Snapshot struct {
	Records   map[string]bool   // record ids, withdrawn or not
	Withdrawn map[string]bool   // ids of withdrawn_records
	Rejects   map[string]bool   // reject ids
	Links     map[string]string // record id → person id, open links only
	Closed    map[string]bool   // record ids whose link is closed (no person)
	// CoverageOff counts the provinces where coverage's records or
	// persons differ from a brute-force count over records_in_force and
	// persons FINAL, plus one when the totals differ.
	CoverageOff int
	// CoverageNote says, when CoverageOff, the totals and the first
	// provinces that differ (records, persons).
	CoverageNote string
	// SlotCopies counts records beyond the first for one source position
	// (file hash, sheet, row): a row loaded twice under two ids.
	SlotCopies int64
}

// Counts summarises a snapshot.
type Counts struct {
	Records, Withdrawn, Rejects, Links, Persons int
}

func (s *Snapshot) counts() Counts {
	persons := map[string]bool{}
	for _, p := range s.linksInForce() {
		persons[p] = true
	}
	return Counts{Records: len(s.Records), Withdrawn: len(s.Withdrawn), Rejects: len(s.Rejects), Links: len(s.Links), Persons: len(persons)}
}

func readSnapshot(ctx context.Context, addr string) (*Snapshot, error) {
	cfg, err := chstore.ParseAddr("http://" + addr)
	if err != nil {
		return nil, err
	}
	conn, err := chstore.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer conn.Close()
	s := &Snapshot{Records: map[string]bool{}, Withdrawn: map[string]bool{}, Rejects: map[string]bool{}, Links: map[string]string{}, Closed: map[string]bool{}}
	ids := func(q string, into map[string]bool) error {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("read snapshot: %s: %w", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			into[id] = true
		}
		return rows.Err()
	}
	if err := ids("SELECT record_id FROM records FINAL", s.Records); err != nil {
		return nil, err
	}
	if err := ids("SELECT reject_id FROM rejects FINAL", s.Rejects); err != nil {
		return nil, err
	}
	if err := ids("SELECT record_id FROM withdrawn_records FINAL", s.Withdrawn); err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, "SELECT record_id, person_id FROM links FINAL")
	if err != nil {
		return nil, fmt.Errorf("read snapshot: links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r, p string
		if err := rows.Scan(&r, &p); err != nil {
			return nil, err
		}
		if p == "" {
			s.Closed[r] = true
		} else {
			s.Links[r] = p
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := conn.QueryRow(ctx, "SELECT count() - uniqExact(file_hash, sheet, row) FROM records FINAL").Scan(&s.SlotCopies); err != nil {
		return nil, fmt.Errorf("read snapshot: source positions: %w", err)
	}
	if s.CoverageOff, s.CoverageNote, err = coverageOff(ctx, conn); err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return s, nil
}

// coverageOff compares coverage's aggregates by province (old era)
// with a brute-force count over records_in_force and persons FINAL
// (coveragetest, as TestImportReplacesEndToEnd does): the provinces that
// differ, plus one when the totals do.
func coverageOff(ctx context.Context, conn driver.Conn) (int, string, error) {
	rep, err := coverage.Compute(ctx, conn, coverage.Options{Era: coverage.Old, Level: coverage.Province})
	if err != nil {
		return 0, "", fmt.Errorf("coverage: %w", err)
	}
	got := coveragetest.ByProvince(rep)
	want, err := coveragetest.BruteForce(ctx, conn)
	if err != nil {
		return 0, "", err
	}
	var total [2]int64
	for _, v := range want {
		total[0] += v[0]
		total[1] += v[1]
	}
	var off []string
	for p := range want {
		if got[p] != want[p] {
			off = append(off, fmt.Sprintf("%s %v, brute force %v", p, got[p], want[p]))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			off = append(off, fmt.Sprintf("%s %v, brute force none", p, got[p]))
		}
	}
	n := len(off)
	if total != [2]int64{rep.Total.Records, rep.Total.Persons} {
		n++
	}
	if n == 0 {
		return 0, "", nil
	}
	sort.Strings(off)
	note := fmt.Sprintf("coverage's total (records, persons) %v, brute force %v", [2]int64{rep.Total.Records, rep.Total.Persons}, total)
	if len(off) > 0 {
		note += "; by province: " + strings.Join(off[:min(len(off), 4)], "; ")
	}
	return n, note, nil
}

// Diff is how a run's ClickHouse differs from the clean run's.
type Diff struct {
	// RowsLost: records (withdrawn or not) and rejects of the clean run
	// missing here.
	RowsLost int
	// RowsDoubled: records and rejects here that the clean run does not
	// have, plus rows loaded twice under two ids (Snapshot.SlotCopies).
	RowsDoubled int
	// WithdrawnDiffering: records withdrawn here and in force in the
	// clean run, or the other way round (a record in force missing or
	// doubled, in the sense of issue 9's invariant (e)).
	WithdrawnDiffering int
	// Unlinked: records in force here without an open link to a person.
	Unlinked int
	// LinksNotClosed: withdrawn records here whose link is not closed.
	LinksNotClosed int
	// CoverageOff: coverage's aggregates against a brute-force count
	// (Snapshot.CoverageOff).
	CoverageOff int
	// PersonsDiffering: persons of the clean run (as sets of records in
	// force) that are not exactly a person here.
	PersonsDiffering int
	// PersonIDsDiffering: records whose person id differs from the
	// clean run's, whether or not the partition does.
	PersonIDsDiffering int
	// CleanPersons is the number of persons of the clean run.
	CleanPersons int
}

func (d *Diff) add(o Diff) {
	d.RowsLost += o.RowsLost
	d.RowsDoubled += o.RowsDoubled
	d.WithdrawnDiffering += o.WithdrawnDiffering
	d.Unlinked += o.Unlinked
	d.LinksNotClosed += o.LinksNotClosed
	d.CoverageOff += o.CoverageOff
	d.PersonsDiffering += o.PersonsDiffering
	d.PersonIDsDiffering += o.PersonIDsDiffering
	d.CleanPersons += o.CleanPersons
}

// Broken reports whether d breaks a promise the harness fails on: a row
// lost or doubled, a record withdrawn otherwise than in the clean run, a
// record in force without a person, a withdrawn record's link left open,
// coverage off its brute force.
func (d Diff) Broken() bool {
	return d.RowsLost+d.RowsDoubled+d.WithdrawnDiffering+d.Unlinked+d.LinksNotClosed+d.CoverageOff > 0
}

func (d Diff) String() string {
	return fmt.Sprintf("rows lost %d, rows doubled %d, withdrawn differing %d, records in force unlinked %d, withdrawn links open %d, coverage off %d, persons differing %d of %d (records with another person id %d)",
		d.RowsLost, d.RowsDoubled, d.WithdrawnDiffering, d.Unlinked, d.LinksNotClosed, d.CoverageOff, d.PersonsDiffering, d.CleanPersons, d.PersonIDsDiffering)
}

// compare compares a run with the clean run.
func compare(clean, got *Snapshot) Diff {
	var d Diff
	for id := range clean.Records {
		if !got.Records[id] {
			d.RowsLost++
		} else if clean.Withdrawn[id] != got.Withdrawn[id] {
			d.WithdrawnDiffering++
		}
	}
	for id := range clean.Rejects {
		if !got.Rejects[id] {
			d.RowsLost++
		}
	}
	for id := range got.Records {
		if !clean.Records[id] {
			d.RowsDoubled++
		}
		if got.Withdrawn[id] {
			if !got.Closed[id] {
				d.LinksNotClosed++
			}
		} else if _, ok := got.Links[id]; !ok {
			d.Unlinked++
		}
	}
	for id := range got.Rejects {
		if !clean.Rejects[id] {
			d.RowsDoubled++
		}
	}
	d.RowsDoubled += int(got.SlotCopies)
	d.CoverageOff = got.CoverageOff

	// Persons over the records in force: a withdrawn record's open link
	// is counted above, not again as a person differing.
	cleanParts, gotParts := partition(clean.linksInForce()), partition(got.linksInForce())
	d.CleanPersons = len(cleanParts)
	for key := range cleanParts {
		if !gotParts[key] {
			d.PersonsDiffering++
		}
	}
	for r, p := range clean.Links {
		if got.Links[r] != p {
			d.PersonIDsDiffering++
		}
	}
	return d
}

// linksInForce returns the open links of the records not withdrawn.
func (s *Snapshot) linksInForce() map[string]string {
	m := make(map[string]string, len(s.Links))
	for r, p := range s.Links {
		if !s.Withdrawn[r] {
			m[r] = p
		}
	}
	return m
}

// partition returns the persons of links as sets of record ids (each a
// sorted, joined key), forgetting the person ids.
func partition(links map[string]string) map[string]bool {
	members := map[string][]string{}
	for r, p := range links {
		members[p] = append(members[p], r)
	}
	out := make(map[string]bool, len(members))
	for _, rs := range members {
		sort.Strings(rs)
		out[strings.Join(rs, ",")] = true
	}
	return out
}
