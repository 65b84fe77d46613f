package chaos

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/internal/chstore"
)

// Snapshot is what a run left in ClickHouse, read with FINAL.
type Snapshot struct {
	Records map[string]bool   // record ids
	Rejects map[string]bool   // reject ids
	Links   map[string]string // record id → person id
	// SlotCopies counts records beyond the first for one source position
	// (file hash, sheet, row): a row loaded twice under two ids.
	SlotCopies int64
}

// Counts summarises a snapshot.
type Counts struct {
	Records, Rejects, Links, Persons int
}

func (s *Snapshot) counts() Counts {
	persons := map[string]bool{}
	for _, p := range s.Links {
		persons[p] = true
	}
	return Counts{Records: len(s.Records), Rejects: len(s.Rejects), Links: len(s.Links), Persons: len(persons)}
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
	s := &Snapshot{Records: map[string]bool{}, Rejects: map[string]bool{}, Links: map[string]string{}}
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
		s.Links[r] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := conn.QueryRow(ctx, "SELECT count() - uniqExact(file_hash, sheet, row) FROM records FINAL").Scan(&s.SlotCopies); err != nil {
		return nil, fmt.Errorf("read snapshot: source positions: %w", err)
	}
	return s, nil
}

// Diff is how a run's ClickHouse differs from the clean run's.
type Diff struct {
	// RowsLost: records and rejects of the clean run missing here.
	RowsLost int
	// RowsDoubled: records and rejects here that the clean run does not
	// have, plus rows loaded twice under two ids (Snapshot.SlotCopies).
	RowsDoubled int
	// Unlinked: records here without a link to a person.
	Unlinked int
	// PersonsDiffering: persons of the clean run (as sets of records)
	// that are not exactly a person here.
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
	d.Unlinked += o.Unlinked
	d.PersonsDiffering += o.PersonsDiffering
	d.PersonIDsDiffering += o.PersonIDsDiffering
	d.CleanPersons += o.CleanPersons
}

func (d Diff) String() string {
	return fmt.Sprintf("rows lost %d, rows doubled %d, records unlinked %d, persons differing %d of %d (records with another person id %d)",
		d.RowsLost, d.RowsDoubled, d.Unlinked, d.PersonsDiffering, d.CleanPersons, d.PersonIDsDiffering)
}

// compare compares a run with the clean run.
func compare(clean, got *Snapshot) Diff {
	var d Diff
	for id := range clean.Records {
		if !got.Records[id] {
			d.RowsLost++
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
		if _, ok := got.Links[id]; !ok {
			d.Unlinked++
		}
	}
	for id := range got.Rejects {
		if !clean.Rejects[id] {
			d.RowsDoubled++
		}
	}
	d.RowsDoubled += int(got.SlotCopies)

	cleanParts, gotParts := partition(clean.Links), partition(got.Links)
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
