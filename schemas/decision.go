package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Decision outcomes a reviewer can record on a conflict.
const (
	DecisionSamePerson        = "same_person"        // the records are one person: a must-link
	DecisionDifferentPersons  = "different_persons"  // the records are different people: a cannot-link
	DecisionNeedsVerification = "needs_verification" // no decision yet; matching leaves the case as it is
	// DecisionVerified closes a conflict of one record (an ID number
	// contradicting its own record's fields: there are no two records to
	// join or separate) once it is checked in the field; the note says
	// what the check found. Matching changes nothing.
	DecisionVerified = "verified"
)

// Decision is a police reviewer's ruling on a conflict. The web
// application writes it to ClickHouse and publishes it (JSON, key =
// DecisionID) on the topic dancu.decisions; the registry's cluster role
// applies it on its next batch as a constraint — same_person joins the
// records' persons, different_persons keeps them apart — and the person
// events it causes cite DecisionID.
type Decision struct {
	DecisionID string    `ch:"decision_id" json:"decision_id"` // deterministic or random, unique
	ConflictID string    `ch:"conflict_id" json:"conflict_id"` // the conflict decided ("" when raised by hand)
	PersonIDs  []string  `ch:"person_ids" json:"person_ids"`   // persons as the reviewer saw them
	RecordIDs  []string  `ch:"record_ids" json:"record_ids"`   // records the decision is about (what matching acts on)
	Decision   string    `ch:"decision" json:"decision"`       // one of the Decision* constants
	User       string    `ch:"user" json:"user"`               // reviewer's account name
	Note       string    `ch:"note" json:"note"`               // free text
	DecidedAt  time.Time `ch:"decided_at" json:"decided_at"`

	// Written by the review desk (dancu serve) beside the contract above.
	ConflictKind string `ch:"conflict_kind" json:"conflict_kind"` // the conflict's kind
	Role         string `ch:"role" json:"role"`                   // the reviewer's role
	StatusBefore string `ch:"status_before" json:"status_before"` // the conflict's status before …
	StatusAfter  string `ch:"status_after" json:"status_after"`   // … and after this decision

	// Groups, on a different_persons decision, says which of RecordIDs
	// are which person: every record in exactly one group, two groups or
	// more; the registry keeps each group apart from the others (and
	// never a group's records from each other), whatever persons it holds
	// them in. Empty: the registry groups the records itself (by person,
	// else by valid number; registry.apartGroups).
	Groups [][]string `ch:"groups" json:"groups,omitempty"`
}

// CheckGroups says why groups is not a grouping of recordIDs a
// different_persons ruling can keep apart, or "" when it is: two groups
// or more, none empty, every record of recordIDs in exactly one and no
// other record.
func CheckGroups(recordIDs []string, groups [][]string) string {
	if len(groups) < 2 {
		return fmt.Sprintf("groups: want two groups or more, got %d", len(groups))
	}
	want := make(map[string]bool, len(recordIDs))
	for _, id := range recordIDs {
		want[id] = true
	}
	seen := make(map[string]bool, len(recordIDs))
	for i, g := range groups {
		if len(g) == 0 {
			return fmt.Sprintf("groups: group %d is empty", i+1)
		}
		for _, id := range g {
			switch {
			case !want[id]:
				return fmt.Sprintf("groups: record %q is not one of the decision's records", id)
			case seen[id]:
				return fmt.Sprintf("groups: record %q is in more than one group", id)
			}
			seen[id] = true
		}
	}
	if len(seen) < len(want) {
		var left []string
		for _, id := range recordIDs {
			if !seen[id] && !slices.Contains(left, id) {
				left = append(left, id)
			}
		}
		return fmt.Sprintf("groups: records in no group: %s", strings.Join(left, ", "))
	}
	return ""
}

// GroupsByNumbers is the grouping a different_persons ruling without
// groups takes on three records or more of one person, the same for the
// registry (which applies it) and the review desk (which refuses what the
// registry would): the records grouped by their valid 12-digit numbers
// (numbers[i]; "" where record i has none), when every record has one and
// they are not all the same. Otherwise group is nil and why says why the
// records cannot be told apart.
func GroupsByNumbers(numbers []string) (group []int, why string) {
	none, index := 0, map[string]int{}
	group = make([]int, len(numbers))
	for i, n := range numbers {
		if n == "" {
			none++
			continue
		}
		if _, ok := index[n]; !ok {
			index[n] = len(index)
		}
		group[i] = index[n]
	}
	switch {
	case none > 0:
		return nil, fmt.Sprintf("%d of them have no valid 12-digit number", none)
	case len(index) < 2:
		return nil, "they all have the same number"
	}
	return group, ""
}

// Effective reports whether d applies as a constraint (must-link or
// cannot-link). The first same_person on a merge of two persons who both
// hold valid numbers awaits a supervisor's second decision and is not
// effective; the desk does not publish it. needs_verification and
// verified set no constraint.
func (d Decision) Effective() bool {
	return (d.Decision == DecisionSamePerson || d.Decision == DecisionDifferentPersons) && d.StatusAfter != StatusAwaitingSecond
}

// ValidDecision reports whether d is one of the four decision values.
func ValidDecision(d string) bool {
	switch d {
	case DecisionSamePerson, DecisionDifferentPersons, DecisionNeedsVerification, DecisionVerified:
		return true
	}
	return false
}

// Conflict statuses as the review desk derives them from decisions. The
// matcher writes StatusOpen, and StatusResolvedByRegistry when a later
// batch or decision no longer raises a conflict it raised (the explanation
// then starts with why, citing the person event), and StatusDecided for a
// conflict a ruling on the same kind and records already answers (its
// explanation cites the ruling); a decision is never
// overwritten because the desk reads the status from the append-only
// decisions table first.
const (
	StatusOpen               = "open"
	StatusResolvedByRegistry = "resolved_by_registry"
	StatusAwaitingSecond     = "awaiting_second" // a merge of two valid numbers awaits a supervisor's second decision
	StatusNeedsVerification  = "needs_verification"
	StatusDecided            = "decided"
)

// DecisionID is a deterministic id for a decision on conflictID by user
// at a time: publishing the same decision again gives the same id.
func DecisionID(conflictID, user string, at time.Time) string {
	h := sha256.New()
	for _, s := range []string{conflictID, user, at.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "d" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Person event kinds.
const (
	PersonMerge = "merge" // Others joined PersonID (the older id survives)
	PersonSplit = "split" // Others left PersonID (the part with the founding record keeps the id)
)

// PersonEvent is a merge or a split of persons, so that an analyst can
// follow any person id: a merged id's records now belong to PersonID, a
// split's Others hold records that belonged to PersonID. Reason says
// why: "edges" (new evidence joined or separated them), or
// "decision:<decision id>" for a police decision.
type PersonEvent struct {
	EventID  string    `ch:"event_id"` // deterministic from kind, person and others
	Kind     string    `ch:"kind"`
	PersonID string    `ch:"person_id"` // the id that continues
	Others   []string  `ch:"others"`    // ids merged into it, or split from it
	Records  uint32    `ch:"records"`   // records of PersonID after the event
	Reason   string    `ch:"reason"`
	Version  uint64    `ch:"version"`
	At       time.Time `ch:"at"`
}
