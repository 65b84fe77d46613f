package matching

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dancu-vn/dancu/matching/compare"
	"github.com/dancu-vn/dancu/matching/settings"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// PersonSummary is what the records of one cluster say about the person.
type PersonSummary struct {
	Root      int32 // first row of the cluster
	Rows      []int32
	IDNumber  string
	IDStatus  string // schemas.IDConfirmed, IDInferred, IDConflicting, IDMissing
	BirthYear int
	Sex       string
	Province  string // old-era province of the permanent address
	Problems  []string
	// Contradicting are the rows carrying IDNumber when the person is
	// conflicting only because that number contradicts its records (the
	// records carry one number, no other person's): the records of its
	// id_contradicts conflict, which a field check answers (a police
	// ruling verified: the registry then gives the person
	// schemas.IDVerified). Nil otherwise.
	Contradicting []int32
}

// frame columns the identification-number logic reads (Vietnamese settings).
type idCols struct {
	id, valid, dob, sex int
	// own: the guards' number (id_own: the valid number when its birth
	// year is the record's), -1 when the settings have none
	own       int
	provinces []int
	perm      int
	// permanent address's and native place's provinces, either era
	permOld, permNew, nativeOld, nativeNew int
}

func (f *Frame) idColumns() (idCols, bool) {
	c := idCols{id: -1, valid: -1, dob: -1, sex: -1, perm: -1, own: -1}
	get := func(n string) int {
		if i, ok := f.byName[n]; ok {
			return i
		}
		return -1
	}
	c.id, c.valid, c.dob, c.sex, c.perm = get("id"), get("id_valid"), get("dob"), get("sex"), get("perm_province")
	c.own = get("id_own")
	c.permOld, c.permNew, c.nativeOld, c.nativeNew = get("perm_province"), get("perm_new_province"), get("native_province"), get("native_new_province")
	for _, n := range []string{"perm_province", "perm_new_province", "cur_province", "cur_new_province", "native_province", "native_new_province"} {
		if i := get(n); i >= 0 {
			c.provinces = append(c.provinces, i)
		}
	}
	return c, c.valid >= 0 && c.id >= 0
}

// Summarise gives each cluster its identification number and status and
// returns the conflicts for review: shared_id (one valid number on records
// of different persons), two_ids (a link above the match threshold refused
// because the records carry two different valid numbers), id_contradicts
// (the person's number contradicts the birth year or sex its records agree
// on, or none of the provinces they name), grey_zone (pairs between the
// review and match thresholds left in different persons),
// possible_match (a link resting on a common name and a birthday alone,
// not made: possibleRule; reviewed on demand, not a mandatory item) and
// ambiguous_tie (a person tied between two persons, see ties). personID names
// a cluster by its first row.
func Summarise(res *Result, personID func(root int32) string) ([]PersonSummary, []schemas.Conflict) {
	return summarise(res, personID, true)
}

// Persons returns the summaries Summarise gives, without looking for the
// conflicts (the export of persons already judged: the conflicts' work,
// the waterfalls above all, would be thrown away).
func Persons(res *Result) []PersonSummary {
	sums, _ := summarise(res, nil, false)
	return sums
}

// summariseRun is the fewest persons summarise gives a core of their own.
var summariseRun = 4096

func summarise(res *Result, personID func(root int32) string, withConflicts bool) ([]PersonSummary, []schemas.Conflict) {
	f := res.Frame
	members := res.Clusters.Members()
	sums := make([]PersonSummary, len(members))
	byRoot := map[int32]int{}
	cols, vnCols := f.idColumns()
	var conflicts []schemas.Conflict
	add := func(kind, number string, rows []int32, score float64, expl string) {
		conflicts = append(conflicts, newConflict(res, personID, kind, number, rows, score, expl))
	}
	// The waterfall of a pair of the conflict's records goes with every
	// kind that has a pair, so that the desk shows why they match.
	var x2 *explainer
	if withConflicts {
		x2, _ = newExplainer(res.Frame, res.Settings)
	}
	// Numbers on the records of several persons: reported as shared_id,
	// not again as contradicting each person.
	shared := map[string]bool{}
	if vnCols {
		first := map[uint32]int32{}
		valid := &f.cols[cols.valid].vals
		for i := range valid.len() {
			v := valid.at(i)
			if v == 0 {
				continue
			}
			root := res.Clusters.Of[i]
			if r, ok := first[v]; !ok {
				first[v] = root
			} else if r != root {
				shared[f.cols[cols.valid].dict.at(v)] = true
			}
		}
		for n, ps := range res.NumberHolders {
			if len(ps) > 0 {
				shared[n] = true
			}
		}
	}
	for ci, rows := range members {
		byRoot[rows[0]] = ci
	}
	// Each person is summarised on its own (the frame only read): the
	// persons are cut into one run a core, each with its own copies, and
	// the conflicts a person raises — rare — are made afterwards, in the
	// persons' order, as one core made them (link4: a pass on one core
	// was a tenth of dancu link's wall time after the read at 500k
	// records).
	one := func(ci int, rows []int32, few copies, later func(func())) {
		s := PersonSummary{Root: rows[0], Rows: rows, IDStatus: schemas.IDMissing}
		if !vnCols {
			sums[ci] = s
			return
		}
		s.BirthYear, s.Sex = modeYear(f, cols.dob, rows), few.copy(modeText(f, cols.sex, rows))
		if cols.perm >= 0 {
			s.Province = few.copy(modeText(f, cols.perm, rows))
		}
		// Votes for the numbers the records carry; a number within one edit
		// of a more frequent one counts for it (a typing error).
		votes := map[string]int{}
		for _, r := range rows {
			if v := f.cols[cols.valid].vals.at(int(r)); v != 0 {
				votes[f.cols[cols.valid].dict.at(v)]++
			}
		}
		nums := make([]string, 0, len(votes))
		for n := range votes {
			nums = append(nums, n)
		}
		sort.Slice(nums, func(a, b int) bool {
			if votes[nums[a]] != votes[nums[b]] {
				return votes[nums[a]] > votes[nums[b]]
			}
			return nums[a] < nums[b]
		})
		var distinct []string
		for _, n := range nums {
			merged := false
			for _, d := range distinct {
				if oneNumber(n, d) {
					votes[d] += votes[n]
					merged = true
					break
				}
			}
			if !merged {
				distinct = append(distinct, n)
			}
		}
		if len(distinct) > 1 {
			preferAgreeingPrefix(distinct, provincesOf(f, cols.provinces, rows))
		}
		if len(distinct) > 0 {
			distinct[0] = strings.Clone(distinct[0]) // kept in the summary
		}
		switch {
		case len(distinct) == 0:
		case len(distinct) > 1:
			s.IDNumber, s.IDStatus = distinct[0], schemas.IDConflicting
			s.Problems = append(s.Problems, fmt.Sprintf("records carry %d different numbers", len(distinct)))
		case votes[distinct[0]] >= 2:
			s.IDNumber, s.IDStatus = distinct[0], schemas.IDConfirmed
		default:
			s.IDNumber, s.IDStatus = distinct[0], schemas.IDInferred
		}
		if s.IDNumber != "" {
			id := vn.ParseID(s.IDNumber)
			// A birth year or sex contradicts the number only when no
			// record of the person supports the number's (one noisy record
			// does not make a contradiction).
			probs := id.Check(supported(f, cols.dob, rows, func(v string) bool { return len(id.Check(atoiYear(v), "", "")) == 0 }, s.BirthYear),
				supportedText(f, cols.sex, rows, func(v string) bool { return len(id.Check(0, v, "")) == 0 }, s.Sex), "")
			// The birth province is checked against the provinces the
			// records name when two or more records name them, or when
			// the one record's permanent address and native place name
			// the same province: a birth is registered where the family
			// lives or in its native place, so a number of a third
			// province contradicts it. One record's other addresses are
			// too weak to accuse a number (an address without its
			// province resolves to a guess, people move: checking every
			// one-record person found 20 more planted contradictions on
			// seed 11 and raised 96 false ones); a wrong number beside
			// the person's right one is caught below as a refused link.
			provs := provincesOf(f, cols.provinces, rows)
			if len(provs) > 0 && !id.Abroad && (len(rows) >= 2 || bornWhereLiving(f, cols, rows[0])) {
				ok := false
				for _, p := range provs {
					if len(id.Check(0, "", p)) == 0 {
						ok = true
						break
					}
				}
				if !ok {
					probs = append(probs, fmt.Sprintf("birth province %s matches none of the provinces the records name (%s)", id.ProvinceCode, strings.Join(provs, ", ")))
				}
			}
			if shared[s.IDNumber] {
				s.IDStatus = schemas.IDConflicting
				s.Problems = append(s.Problems, "number shared with another person")
			} else if len(probs) > 0 {
				s.IDStatus = schemas.IDConflicting
				s.Problems = append(s.Problems, probs...)
				if len(distinct) == 1 {
					s.Contradicting = carriers(f, cols.valid, rows, s.IDNumber, s.IDNumber)
				}
				if withConflicts {
					var carrying []int32
					for _, r := range rows {
						if v := f.cols[cols.valid].vals.at(int(r)); v != 0 && f.cols[cols.valid].dict.at(v) == s.IDNumber {
							carrying = append(carrying, r)
						}
					}
					num := s.IDNumber
					expl := fmt.Sprintf("number %s contradicts the person: %s", vn.MaskID(num), strings.Join(probs, "; "))
					later(func() {
						if len(rows) >= 2 {
							// The number's record beside another record of the
							// person: why they are one person.
							other := rows[0]
							if other == carrying[0] {
								other = rows[1]
							}
							expl += waterfall(x2, Pair{A: min(carrying[0], other), B: max(carrying[0], other)})
						}
						add(schemas.ConflictIDContradicts, num, carrying, 0, expl)
					})
				}
			}
		}
		// A second number on the person's records whose birth year is not
		// the person's: another person's number copied onto a record (a
		// household head's, a parent's), which the guards let the record
		// bring into its person; the number is reviewed as contradicting.
		for _, n := range distinct[min(1, len(distinct)):] {
			if !withConflicts {
				break // they only raise conflicts
			}
			id := vn.ParseID(n)
			probs := id.Check(s.BirthYear, "", "")
			if butPrefix(n, s.IDNumber) {
				// The guards let such a number's records into the
				// person (vietnamese: id_own reads the number without
				// its province code): one of the two was keyed with
				// another province's code, for a reviewer to tell.
				probs = append(probs, "equal to the person's number but for the province code of birth ("+id.ProvinceCode+")")
			}
			if len(probs) == 0 || shared[n] {
				continue
			}
			carrying := carriers(f, cols.valid, rows, n, n)
			expl := fmt.Sprintf("number %s on a record of a person holding %s contradicts the person: %s",
				vn.MaskID(n), vn.MaskID(s.IDNumber), strings.Join(probs, "; "))
			later(func() { add(schemas.ConflictIDContradicts, n, carrying, 0, expl) })
		}
		sums[ci] = s
	}
	nw := min(workers, max(1, len(members)/summariseRun))
	raisedBy := make([][]func(), nw)
	var wg sync.WaitGroup
	chunk := (len(members) + nw - 1) / nw
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The frame's values alias its tables: the summaries keep
			// copies, one of each sex and province for all of a run.
			few := copies{}
			for ci := w * chunk; ci < min((w+1)*chunk, len(members)); ci++ {
				one(ci, members[ci], few, func(do func()) { raisedBy[w] = append(raisedBy[w], do) })
			}
		}()
	}
	wg.Wait()
	for _, rs := range raisedBy {
		for _, do := range rs {
			do()
		}
	}
	if !withConflicts {
		return sums, nil
	}
	if vnCols {
		// shared_id: one valid number in several persons.
		where := map[uint32][]int32{}
		valid := &f.cols[cols.valid].vals
		for i := range valid.len() {
			if v := valid.at(i); v != 0 {
				where[v] = append(where[v], int32(i))
			}
		}
		keys := make([]uint32, 0, len(where))
		for v := range where {
			keys = append(keys, v)
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		for _, v := range keys {
			rows := where[v]
			num := f.cols[cols.valid].dict.at(v)
			persons := map[string]bool{}
			for _, r := range rows {
				persons[personID(res.Clusters.Of[r])] = true
			}
			for _, h := range res.NumberHolders[num] {
				persons[h.PersonID] = true
			}
			if len(persons) < 2 {
				continue
			}
			// The pair explained: the first record and the first of
			// another person (rows are in order).
			other := rows[0]
			for _, r := range rows[1:] {
				if res.Clusters.Of[r] != res.Clusters.Of[rows[0]] {
					other = r
					break
				}
			}
			expl := fmt.Sprintf("number %s is on the records of %d different persons", vn.MaskID(num), len(persons))
			if other != rows[0] {
				expl += waterfall(x2, Pair{A: rows[0], B: other})
			}
			c := newConflict(res, personID, schemas.ConflictSharedID, num, rows, 0, expl)
			if hs := res.NumberHolders[num]; len(hs) > 0 {
				// Persons outside the frame hold it too: the id names
				// them all, so that every matcher raising it agrees.
				c.PersonIDs = sortedKeys(persons)
				c.ConflictID = schemas.ConflictID(schemas.ConflictSharedID, num, c.PersonIDs)
				for _, h := range hs {
					c.RecordIDs = append(c.RecordIDs, h.RecordID)
					c.RecordProvinces = addCodes(c.RecordProvinces, h.Provinces)
					c.RecordNewProvinces = addCodes(c.RecordNewProvinces, h.NewProvinces)
				}
				sort.Strings(c.RecordIDs)
			}
			conflicts = append(conflicts, c)
		}
	}
	// two_ids: links refused by the distinct-number guard between records
	// that otherwise agree on the birth year.
	s0 := res.Settings
	seen := map[[2]int32]bool{}
	for _, b := range res.Clusters.Blocked {
		if col := f.byName[b.Guard.Column]; b.Guard.Kind != "distinct" || !vnCols || col != cols.valid && (col != cols.own || col < 0) {
			continue
		}
		ra, rb := res.Clusters.Of[b.A], res.Clusters.Of[b.B]
		k := [2]int32{min(ra, rb), max(ra, rb)}
		if seen[k] {
			continue
		}
		seen[k] = true
		if !sameBirth(f, s0, b.A, b.B) || !meetsTwoIDs(x2, b.Pair) {
			// Different birth dates or given names: two people (siblings,
			// namesakes) kept apart rightly; nothing to review.
			continue
		}
		// The numbers the two persons hold, not the two records' own (a
		// record without a number, or with a copy of its person's number,
		// may be the one whose link was refused).
		// A ruling's must-link may have put the two in one person (its
		// members are then listed once, not twice: user31).
		both := append([]int32(nil), members[byRoot[ra]]...)
		if rb != ra {
			both = append(both, members[byRoot[rb]]...)
		}
		na, nb, two := twoNumbers(f, cols.valid, both)
		if !two {
			// One number typed twice with different slips (a
			// transposition, a digit or two apart): not two numbers.
			continue
		}
		if shared[na] || shared[nb] {
			// One of them is on another person's records: that is the
			// shared_id conflict raised below, not a second case.
			continue
		}
		// Two numbers that differ in the digits describing the person
		// (birth province, century and sex, birth year) where only one
		// agrees with the records: the other is a wrong number, not a
		// second valid one. The birth year and sex that accuse a number
		// are those of the records carrying it (see ownBirth): the
		// other records' are the other number's evidence, and a record
		// that states neither (a scanned form whose date was not read)
		// cannot contradict it.
		if len(na) == 12 && len(nb) == 12 && na[:6] != nb[:6] {
			pair := []int32{b.A, b.B}
			provs := provincesOf(f, cols.provinces, pair)
			ya, sa := ownBirth(f, cols, both, na)
			yb, sb := ownBirth(f, cols, both, nb)
			pa, pb := numberProblems(na, ya, sa, provs), numberProblems(nb, yb, sb, provs)
			if (len(pa) == 0) != (len(pb) == 0) {
				bad, probs := nb, pb
				if len(pa) > 0 {
					bad, probs = na, pa
				}
				var carrying []int32
				for _, r := range both {
					if f.Value(b.Guard.Column, int(r)) == bad {
						carrying = append(carrying, r)
					}
				}
				add(schemas.ConflictIDContradicts, bad, carrying, b.Probability(),
					fmt.Sprintf("number %s, on records that match another person's (probability %.3f), contradicts them: %s",
						vn.MaskID(bad), b.Probability(), strings.Join(probs, "; "))+waterfall(x2, b.Pair))
			}
			// Otherwise two people alike (namesakes born the same day in
			// different provinces): a second number issued to one person
			// keeps the six digits, so this is no two_ids.
			continue
		}
		if cols.dob >= 0 && !birthDatesMeet(f, cols.dob, members[byRoot[ra]], members[byRoot[rb]]) {
			// The same look from the persons: each states full birth
			// dates and none is the other's (or a slip of it).
			continue
		}
		add(schemas.ConflictTwoIDs, na+";"+nb, carriers(f, cols.valid, both, na, nb), b.Probability(),
			fmt.Sprintf("records match with probability %.3f but carry two valid numbers %s and %s: one person with two numbers, or two people",
				b.Probability(), vn.MaskID(na), vn.MaskID(nb))+waterfall(x2, b.Pair))
	}
	// grey_zone: pairs between the thresholds across persons, one per pair
	// of persons.
	s := res.Settings
	lo, hi := float32(logit2(s.Thresholds.Review)), float32(logit2(s.Thresholds.Match))
	x, xerr := newExplainer(res.Frame, s)
	// One conflict per pair of persons: its strongest grey pair.
	best := map[[2]int32]Pair{}
	joinable := personsJoinable(f, s, members, byRoot, res.PersonGuards)
	for _, p := range res.Pairs {
		ra, rb := res.Clusters.Of[p.A], res.Clusters.Of[p.B]
		if p.Weight < lo || p.Weight >= hi || ra == rb {
			continue
		}
		if vnCols && !couldBeOne(f, s, cols, p.A, p.B) {
			continue
		}
		if !joinable(ra, rb) {
			continue
		}
		k := [2]int32{min(ra, rb), max(ra, rb)}
		if q, ok := best[k]; !ok || p.Weight > q.Weight || (p.Weight == q.Weight && (p.A < q.A || (p.A == q.A && p.B < q.B))) {
			best[k] = p
		}
	}
	for _, k := range sortedPersonPairs(best) {
		p := best[k]
		add(schemas.ConflictGreyZone, "", []int32{p.A, p.B}, p.Probability(),
			fmt.Sprintf("records match with probability %.3f, between the review threshold %.2f and the match threshold %.2f: %s",
				p.Probability(), s.Thresholds.Review, s.Thresholds.Match, shortExplanation(x, xerr, p))+waterfall(x, p))
	}
	// possible_match: links Cluster did not make because they rest on a
	// common name and a birthday alone (possibleRule), between persons
	// that stayed apart and that the guards would let be one: one per
	// pair of persons, its strongest link.
	bestPossible := map[[2]int32]BlockedPair{}
	for _, b := range res.Clusters.Blocked {
		if b.Guard.Kind != GuardPossibleMatch {
			continue
		}
		ra, rb := res.Clusters.Of[b.A], res.Clusters.Of[b.B]
		if ra == rb || vnCols && !couldBeOne(f, s, cols, b.A, b.B) || !joinable(ra, rb) {
			continue
		}
		k := [2]int32{min(ra, rb), max(ra, rb)}
		// Of equal weights, the records' ids' first: a registry's rows are
		// in another order than dancu link's.
		if q, ok := bestPossible[k]; !ok || b.Weight > q.Weight || (b.Weight == q.Weight && comparePairIDs(f, b.Pair, q.Pair) < 0) {
			bestPossible[k] = b
		}
	}
	for _, k := range sortedPersonPairs(bestPossible) {
		b := bestPossible[k]
		add(schemas.ConflictPossibleMatch, "", []int32{b.A, b.B}, b.Probability(),
			fmt.Sprintf("records match with probability %.3f on %s: %s",
				b.Probability(), b.Reason, shortExplanation(x, xerr, b.Pair))+waterfall(x, b.Pair))
	}
	// ambiguous_tie: a person whose strongest links to two persons the
	// guards keep apart weigh exactly the same joins neither (Cluster's
	// tieApart): left alone silently, it is for review (which of them it
	// is, or none).
	for _, t := range ties(f, res.Clusters, joinable) {
		var rows []int32
		for _, p := range t {
			rows = append(rows, p.A, p.B)
		}
		slices.Sort(rows)
		rows = slices.Compact(rows)
		p := t[0]
		expl := fmt.Sprintf("records match %d persons the guards keep apart with exactly the same probability %.3f: nothing the records hold chooses, so they joined none",
			len(t), p.Probability())
		for _, q := range t {
			expl += waterfall(x, q)
		}
		add(schemas.ConflictAmbiguousTie, "", rows, p.Probability(), expl)
	}
	// One conflict per id: the same number and persons reached twice
	// (a person's own check and a refused link) is one case.
	seenID := map[string]bool{}
	out := conflicts[:0]
	for _, c := range conflicts {
		if !seenID[c.ConflictID] {
			seenID[c.ConflictID] = true
			out = append(out, c)
		}
	}
	return sums, out
}

// personsJoinable returns whether the clustering's guards would let the
// persons rooted at ra and rb be one (GuardSet.Compatible over all their
// records in the frame, as Cluster asks before a join): a grey-zone pair
// whose persons hold two valid numbers, two sexes or birth years too far
// apart between their other records is two people by the matcher's own
// rules, as couldBeOne says of the pair's two records.
// known are encoded summaries of persons not all of whose records the
// frame holds (Result.PersonGuards).
func personsJoinable(f *Frame, s *settings.Settings, members [][]int32, byRoot map[int32]int, known map[int32][]byte) func(ra, rb int32) bool {
	gs, err := newGuardSet(f, s)
	if err != nil || len(s.Guards) == 0 {
		return func(int32, int32) bool { return true }
	}
	sums := map[int32]clusterSummary{}
	summary := func(root int32) clusterSummary {
		if st, ok := sums[root]; ok {
			return st
		}
		var st clusterSummary
		enc, ok := known[root]
		var err error
		if ok {
			st, err = decodeSummary(enc)
		}
		if !ok || err != nil || len(st.Values) != len(s.Guards) || len(st.YearLo) != len(s.Guards) || len(st.YearHi) != len(s.Guards) || len(st.MonthDay) != 0 && len(st.MonthDay) != len(s.Guards) {
			st = gs.summaryOf(f, members[byRoot[root]])
		}
		sums[root] = st
		return st
	}
	return func(ra, rb int32) bool {
		ok, _, _ := gs.Compatible(summary(ra), summary(rb))
		return ok
	}
}

// bornWhereLiving reports whether row's permanent address and native
// place name the same province (in the same era).
func bornWhereLiving(f *Frame, c idCols, row int32) bool {
	same := func(a, b int) bool {
		if a < 0 || b < 0 {
			return false
		}
		va, vb := f.cols[a].dict.at(f.cols[a].vals.at(int(row))), f.cols[b].dict.at(f.cols[b].vals.at(int(row)))
		return va != "" && va == vb
	}
	return same(c.permOld, c.nativeOld) || same(c.permNew, c.nativeNew)
}

// ownBirth is the birth year and sex that the rows carrying number say,
// each 0 or "" (nothing to check) when no such row states it or one of
// them supports the number (as a person's own check reads them, see
// supported): a refused link's other records describe the other number's
// holder, so accusing this number with them would be circular. (On
// generated seed 11 through the registry, 37 of 37 such accusations
// built from the other side's birth year or sex were false: namesakes
// with a scanned form whose date was not read, siblings of one birth
// year.)
func ownBirth(f *Frame, c idCols, rows []int32, number string) (int, string) {
	var carrying []int32
	for _, r := range rows {
		if v := f.cols[c.valid].vals.at(int(r)); v != 0 && f.cols[c.valid].dict.at(v) == number {
			carrying = append(carrying, r)
		}
	}
	id := vn.ParseID(number)
	year := supported(f, c.dob, carrying, func(v string) bool { return len(id.Check(atoiYear(v), "", "")) == 0 }, modeYear(f, c.dob, carrying))
	sex := supportedText(f, c.sex, carrying, func(v string) bool { return len(id.Check(0, v, "")) == 0 }, modeText(f, c.sex, carrying))
	return year, sex
}

// birthDatesMeet reports whether persons a and b (their rows) could have
// one birth date: false only when both state full dates (day, month and
// year) and no date of one is a date of the other or one slip from it (a
// digit, or day and month swapped). One person with two numbers has one
// birth date; the refused link's two records may not show it (one
// states only the year) while the persons' other records do. (On seed 11
// through the registry and dancu link, 150,000 persons, 10 and 11 of the
// false two_ids were persons whose full dates all differ, and none of the
// true ones.)
func birthDatesMeet(f *Frame, ci int, a, b []int32) bool {
	full := func(rows []int32) []uint32 {
		var out []uint32
		for _, r := range rows {
			if v := f.cols[ci].vals.at(int(r)); v != 0 {
				if _, m, d := unpackDate(v); m != 0 && d != 0 {
					out = append(out, v)
				}
			}
		}
		return out
	}
	da, db := full(a), full(b)
	if len(da) == 0 || len(db) == 0 {
		return true
	}
	for _, x := range da {
		for _, y := range db {
			if oneDateSlip(x, y) {
				return true
			}
		}
	}
	return false
}

// oneDateSlip reports whether two full dates are equal, one decimal digit
// apart (as YYYYMMDD) or the same with day and month swapped.
func oneDateSlip(x, y uint32) bool {
	if x == y {
		return true
	}
	yx, mx, dx := unpackDate(x)
	yy, my, dy := unpackDate(y)
	if yx == yy && mx == dy && dx == my {
		return true
	}
	return oneDigitApart(yx*10000+mx*100+dx, yy*10000+my*100+dy)
}

// twoNumbers returns the most carried number of each of the two largest
// groups of numbers on rows, where numbers one typing slip apart or two
// (see oneNumber) form one group; two is false when they form one group
// (or none).
func twoNumbers(f *Frame, ci int, rows []int32) (a, b string, two bool) {
	votes := map[string]int{}
	for _, r := range rows {
		if v := f.cols[ci].vals.at(int(r)); v != 0 {
			votes[f.cols[ci].dict.at(v)]++
		}
	}
	nums := make([]string, 0, len(votes))
	for n := range votes {
		nums = append(nums, n)
	}
	// Most carried first, so that each group is named by its most
	// carried number.
	sort.Slice(nums, func(i, j int) bool {
		if votes[nums[i]] != votes[nums[j]] {
			return votes[nums[i]] > votes[nums[j]]
		}
		return nums[i] < nums[j]
	})
	group := make([]int, len(nums)) // union-find parents
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			i = group[i]
		}
		return i
	}
	for i := range nums {
		for j := i + 1; j < len(nums); j++ {
			if oneNumber(nums[i], nums[j]) {
				x, y := find(i), find(j)
				group[max(x, y)] = min(x, y)
			}
		}
	}
	total := map[int]int{}
	for i, n := range nums {
		total[find(i)] += votes[n]
	}
	var roots []int
	for g := range total {
		roots = append(roots, g)
	}
	if len(roots) < 2 {
		return "", "", false
	}
	sort.Slice(roots, func(i, j int) bool {
		if total[roots[i]] != total[roots[j]] {
			return total[roots[i]] > total[roots[j]]
		}
		return roots[i] < roots[j]
	})
	return nums[roots[0]], nums[roots[1]], true
}

// oneNumber reports whether two numbers are one number typed twice with
// different slips: 12-digit numbers sharing the six digits that describe
// the person (birth province, century and sex, birth year) whose serials
// are at most two typing edits apart (a substitution or a transposition
// of adjacent digits each: one slip on each copy); other numbers, one
// edit apart. A second number issued to the same person shares the six
// digits but gets an unrelated serial, two edits or fewer from the first
// about once in a thousand.
func oneNumber(a, b string) bool {
	if len(a) == 12 && len(b) == 12 && a[:6] == b[:6] {
		return compare.OSA(a[6:], b[6:], 2) <= 2
	}
	return compare.WithinOneEdit(a, b)
}

// carriers are the rows carrying number a or b.
func carriers(f *Frame, ci int, rows []int32, a, b string) []int32 {
	var out []int32
	for _, r := range rows {
		if v := f.cols[ci].vals.at(int(r)); v != 0 && (f.cols[ci].dict.at(v) == a || f.cols[ci].dict.at(v) == b) {
			out = append(out, r)
		}
	}
	return out
}

// couldBeOne reports whether records a and b pass what the clustering's
// guards ask of one person: birth years within the year_span, one sex,
// and not two valid numbers (numbers one typing slip or two apart are
// one). A grey-zone pair failing it is two people by the matcher's own
// rules, whatever the score: asking a reviewer would be asking whether
// to override them. (On generated seed 11, 224 of 453 grey-zone pairs
// carried two valid numbers; two of the 453 were one person.)
func couldBeOne(f *Frame, s *settings.Settings, c idCols, a, b int32) bool {
	if !sameBirth(f, s, a, b) {
		return false
	}
	if c.sex >= 0 {
		va, vb := f.cols[c.sex].vals.at(int(a)), f.cols[c.sex].vals.at(int(b))
		if va != 0 && vb != 0 && va != vb {
			return false
		}
	}
	va, vb := f.cols[c.valid].vals.at(int(a)), f.cols[c.valid].vals.at(int(b))
	return va == 0 || vb == 0 || va == vb || oneNumber(f.cols[c.valid].dict.at(va), f.cols[c.valid].dict.at(vb))
}

// numberProblems checks a 12-digit number against a birth year, a sex and
// the provinces records name (any one matching is enough).
func numberProblems(number string, year int, sex string, provs []string) []string {
	id := vn.ParseID(number)
	probs := id.Check(year, sex, "")
	if len(provs) > 0 && id.Valid && !id.Abroad {
		ok := false
		for _, p := range provs {
			ok = ok || len(id.Check(0, "", p)) == 0
		}
		if !ok {
			probs = append(probs, fmt.Sprintf("birth province %s matches none of the provinces the records name (%s)", id.ProvinceCode, strings.Join(provs, ", ")))
		}
	}
	return probs
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func newConflict(res *Result, personID func(int32) string, kind, number string, rows []int32, score float64, expl string) schemas.Conflict {
	f := res.Frame
	ids := make([]string, len(rows))
	pset := map[string]bool{}
	for i, r := range rows {
		ids[i] = f.ID(int(r))
		pset[personID(res.Clusters.Of[r])] = true
	}
	sort.Strings(ids)
	var persons []string
	for p := range pset {
		persons = append(persons, p)
	}
	sort.Strings(persons)
	prov := ""
	if c, ok := f.byName["perm_province"]; ok && len(rows) > 0 {
		prov = f.cols[c].dict.at(f.cols[c].vals.at(int(rows[0])))
	}
	return schemas.Conflict{
		ConflictID: schemas.ConflictID(kind, number, persons), Kind: kind, ProvinceCode: strings.Clone(prov),
		IDNumber: strings.Clone(number), PersonIDs: persons, RecordIDs: ids, Score: score, Explanation: expl, Status: "open",
		RecordProvinces:    f.codesOf(rows, "perm_province", "cur_province"),
		RecordNewProvinces: f.codesOf(rows, "perm_new_province", "cur_new_province"),
	}
}

// addCodes adds the non-empty codes of add not in set to set, sorted.
func addCodes(set, add []string) []string {
	for _, v := range add {
		if v != "" && !slices.Contains(set, v) {
			set = append(set, v)
		}
	}
	slices.Sort(set)
	return set
}

// codesOf is the distinct non-empty values of the columns cols over rows,
// sorted (nil when none): a conflict's provinces, which coverage counts
// it in without reading its records again (cov32). A column the settings
// do not have gives none.
func (f *Frame) codesOf(rows []int32, cols ...string) []string {
	var out []string
	for _, name := range cols {
		ci, ok := f.byName[name]
		if !ok || f.cols[ci].date {
			continue
		}
		c := &f.cols[ci]
		for _, r := range rows {
			if v := c.vals.at(int(r)); v != 0 {
				if s := c.dict.at(v); !slices.Contains(out, s) {
					out = append(out, strings.Clone(s))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// copies hands out one copy of each string it is given.
type copies map[string]string

func (c copies) copy(v string) string {
	if k, ok := c[v]; ok {
		return k
	}
	k := strings.Clone(v)
	c[k] = k
	return k
}

// modeText is the most frequent non-empty value of column ci among rows;
// of values equally frequent, the one that comes first in rows (a
// person's rows are in the frame's order: in the registry's frames, the
// records' order of arrival, so the first is the row personRow takes the
// commune and the new era's units from). The tie does not go by the
// values' ids in the frame's dictionary: those follow the order in which
// the whole frame met them (other persons' rows, the rows kept between
// batches), so one person's records gave one province in one frame and
// another in the next, and coverage counted the person under the first
// while persons held the second (issue 9 (e), DANCU_CHAOS_SEED=142697;
// registry.TestPersonProvinceTieSameInEveryFrame).
func modeText(f *Frame, ci int, rows []int32) string {
	if ci < 0 {
		return ""
	}
	c := &f.cols[ci]
	type vote struct {
		v uint32
		n int
	}
	var buf [4]vote
	votes := buf[:0] // in the order of their first row
	for _, r := range rows {
		v := c.vals.at(int(r))
		if v == 0 {
			continue
		}
		k := 0
		for k < len(votes) && votes[k].v != v {
			k++
		}
		if k == len(votes) {
			votes = append(votes, vote{v: v})
		}
		votes[k].n++
	}
	var best vote
	for _, x := range votes {
		if x.n > best.n {
			best = x
		}
	}
	return c.dict.at(best.v)
}

func modeYear(f *Frame, ci int, rows []int32) int {
	if ci < 0 {
		return 0
	}
	cnt := map[int]int{}
	best, bn := 0, 0
	for _, r := range rows {
		v := f.cols[ci].vals.at(int(r))
		if v == 0 {
			continue
		}
		y, _, _ := unpackDate(v)
		cnt[y]++
		if cnt[y] > bn || (cnt[y] == bn && y < best) {
			best, bn = y, cnt[y]
		}
	}
	return best
}

func provincesOf(f *Frame, cols []int, rows []int32) []string {
	set := map[string]bool{}
	for _, ci := range cols {
		c := &f.cols[ci]
		for _, r := range rows {
			if v := c.vals.at(int(r)); v != 0 {
				set[c.dict.at(v)] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// sameBirth reports whether rows a and b are within the year_span guard's
// tolerance (true when either birth date is unknown or there is no guard).
func sameBirth(f *Frame, s *settings.Settings, a, b int32) bool {
	for _, g := range s.EffectiveGuards() {
		if g.Kind != "year_span" {
			continue
		}
		ci, ok := f.byName[g.Column]
		if !ok {
			continue
		}
		va, vb := f.cols[ci].vals.at(int(a)), f.cols[ci].vals.at(int(b))
		if va == 0 || vb == 0 {
			continue
		}
		ya, _, _ := unpackDate(va)
		yb, _, _ := unpackDate(vb)
		if d := ya - yb; d > g.Max || -d > g.Max {
			return false
		}
	}
	return true
}

func atoiYear(v string) int {
	y := 0
	for i := 0; i < len(v) && i < 4; i++ {
		y = y*10 + int(v[i]-'0')
	}
	return y
}

// supported returns 0 (nothing to check) when some record's date at
// column ci passes ok, else the person's value.
func supported(f *Frame, ci int, rows []int32, ok func(string) bool, person int) int {
	if ci < 0 {
		return 0
	}
	for _, r := range rows {
		if v := f.cols[ci].vals.at(int(r)); v != 0 && ok(formatDate(v)) {
			return 0
		}
	}
	return person
}

// supportedText is supported for text columns.
func supportedText(f *Frame, ci int, rows []int32, ok func(string) bool, person string) string {
	if ci < 0 {
		return ""
	}
	c := &f.cols[ci]
	for _, r := range rows {
		if v := c.vals.at(int(r)); v != 0 && ok(c.dict.at(v)) {
			return ""
		}
	}
	return person
}

// waterfall is the pair's match weight level by level (what `dancu
// explain` prints), after a blank line, for the review desk's conflict
// page; "" without an explainer.
func waterfall(x *explainer, p Pair) string {
	if x == nil {
		return ""
	}
	return "\n\n" + x.explain(p.A, p.B).String()
}

func shortExplanation(x *explainer, err error, p Pair) string {
	if err != nil {
		return err.Error()
	}
	return x.explain(p.A, p.B).Short()
}

// meetsTwoIDs reports whether the pair reaches the levels the settings'
// TwoIDsRequire ask for (null always passes).
func meetsTwoIDs(x *explainer, p Pair) bool {
	if x == nil {
		return true
	}
	for _, req := range x.s.TwoIDsRequire {
		for k, sc := range x.s.Comparisons {
			if sc.Name != req.Comparison {
				continue
			}
			g := x.c.gamma(x.f, k, p.A, p.B)
			if g == 0 {
				continue
			}
			label := "else"
			if int(g) <= len(sc.Levels) {
				label = sc.Levels[g-1].Label
			}
			ok := false
			for _, l := range req.Levels {
				ok = ok || l == label
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

// ties returns, for each cluster tied between clusters the guards keep
// apart (links refused with GuardTie), its strongest refused link to each
// of them, in the order of the other ends' roots, the tied clusters in
// the order of their roots. Of links of one weight to one cluster, the
// one of the smaller records' ids is taken, not rows: the registry's rows
// follow the order of arrival. A cluster counts as tied when two or more
// of its strongest refused links weigh the same and two of their other
// ends could not be one person (joinable); the namesakes themselves,
// each refused by one link (or by several records each linked alike),
// are not.
func ties(f *Frame, cl *Clusters, joinable func(ra, rb int32) bool) [][]Pair {
	strongest := map[int32]map[int32]Pair{} // root → other end's root → link
	for _, b := range cl.Blocked {
		if b.Guard.Kind != GuardTie {
			continue
		}
		ra, rb := cl.Of[b.A], cl.Of[b.B]
		for _, e := range [2][2]int32{{ra, rb}, {rb, ra}} {
			m := strongest[e[0]]
			if m == nil {
				m = map[int32]Pair{}
				strongest[e[0]] = m
			}
			q, ok := m[e[1]]
			if !ok || b.Weight > q.Weight || b.Weight == q.Weight && comparePairIDs(f, b.Pair, q) < 0 {
				m[e[1]] = b.Pair
			}
		}
	}
	roots := make([]int32, 0, len(strongest))
	for r, m := range strongest {
		if len(m) >= 2 {
			roots = append(roots, r)
		}
	}
	slices.Sort(roots)
	var out [][]Pair
	for _, r := range roots {
		m := strongest[r]
		var w float32
		first := true
		for _, p := range m {
			if first || p.Weight > w {
				w, first = p.Weight, false
			}
		}
		var others []int32
		for o, p := range m {
			if p.Weight == w {
				others = append(others, o)
			}
		}
		slices.Sort(others)
		apart := false
		for i := range others {
			for j := i + 1; j < len(others) && !apart; j++ {
				apart = !joinable(others[i], others[j])
			}
		}
		if !apart {
			continue
		}
		t := make([]Pair, len(others))
		for i, o := range others {
			t[i] = m[o]
		}
		out = append(out, t)
	}
	return out
}

// butPrefix reports two 12-digit numbers equal but for their first three
// digits, the province code of birth: one number, keyed once with
// another province's code (acc41).
func butPrefix(a, b string) bool {
	return len(a) == 12 && len(b) == 12 && a[:3] != b[:3] && a[3:] == b[3:]
}

// preferAgreeingPrefix puts first, among a person's distinct numbers, the
// one of two equal but for the province code (butPrefix) whose province
// is one the person's records name, when the first is not: the person's
// number is the one its records bear out, and the other is raised as
// contradicting it.
func preferAgreeingPrefix(distinct []string, provs []string) {
	agrees := func(n string) bool {
		id := vn.ParseID(n)
		for _, p := range provs {
			if len(id.Check(0, "", p)) == 0 {
				return true
			}
		}
		return false
	}
	if len(provs) == 0 || agrees(distinct[0]) {
		return
	}
	for j := 1; j < len(distinct); j++ {
		if butPrefix(distinct[0], distinct[j]) && agrees(distinct[j]) {
			distinct[0], distinct[j] = distinct[j], distinct[0]
			return
		}
	}
}

// sortedPersonPairs is the pairs of persons a map of them holds, in
// order, so conflicts are raised in the same order whatever the map's.
func sortedPersonPairs[V any](m map[[2]int32]V) [][2]int32 {
	keys := make([][2]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	return keys
}
