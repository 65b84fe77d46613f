package registry

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cockroachdb/pebble"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/schemas"
)

// Withdrawals (issue 9 point 1: a split when evidence is withdrawn): a
// data team replaced a file with a corrected one, and the records of the
// old file the new one does not hold again leave the register
// (schemas.Withdrawal, Withdraw).
//
// Keys (beside those of store.go, conflicts.go and decide.go):
//
//	'y' seq → person id: the record founds this person though the id its
//	          own record id gives (PersonID) is another's: the earliest
//	          record left of a person whose founding record was withdrawn
//	          (it keeps the person's id, as a merge's survivor keeps
//	          its), or a record that came again after its withdrawal while
//	          the person its first arrival founded lives on
const kFounder = 'y'

func init() { spaceNames[kFounder] = "founding records other than by their ids (withdrawals)" }

func founderKey(seq uint64) []byte { return seqKey(kFounder, seq) }

// WithdrawnInto is the MergedInto of a person whose records were all
// withdrawn (followed by the withdrawal's batch): its row is written
// again retired, with no record, so that coverage counts it out and
// persons FINAL shows where it went.
const WithdrawnInto = schemas.WithdrawnPrefix

// withdrawing is what a recluster run by Withdraw needs beside the seeds
// (Registry.withdrawing, nil otherwise).
type withdrawing struct {
	// orphans: persons whose founding record is withdrawn. The first
	// (earliest) of their records left that the recluster meets founds
	// them from now on (heirs); those it never meets have no record left
	// (gone).
	orphans map[string]bool
	heirs   map[uint64]string
	gone    []string
	lost    map[string]bool // persons that lost records: their rows are written again
	into    string          // MergedInto of the gone persons
}

// loadFounders reads the records that found a person other than by
// their ids ('y' keys): a recluster names a cluster holding one after
// that person (recluster).
func (r *Registry) loadFounders(rd pebble.Reader) error {
	it, err := rd.NewIter(&pebble.IterOptions{LowerBound: []byte{kFounder}, UpperBound: []byte{kFounder + 1}})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		r.setFounder(getSeq(it.Key()[1:]), string(it.Value()))
	}
	return errors.Join(it.Error(), it.Close())
}

// founds says whether the record seq, whose id is id, founds person pid.
func (r *Registry) founds(seq uint64, id, pid string) bool {
	return PersonID(id) == pid || len(r.founders) > 0 && r.founders[seq] == pid
}

// setFounder notes in memory that record seq founds person pid ('y').
func (r *Registry) setFounder(seq uint64, pid string) {
	if r.founders == nil {
		r.founders, r.founded = map[uint64]string{}, map[string]bool{}
	}
	r.founders[seq], r.founded[pid] = pid, true
}

// Withdraw takes the records w names out of the registry: every piece of
// evidence they gave — their blocking-index entries (and the set of
// blocks' knowledge of them), their edges both ways, their entries in the
// index of numbers, the must-links, cannot-links and withheld edges of
// police rulings naming them (a ruling stays in force on its other
// records; the withdrawn record leaves its record list), their fields,
// persons and coverage states — and reclusters what is left of their
// match components with the offline rule, so that a person a withdrawn
// record held together splits as offline linking of the records left
// splits it. The ids follow the rules of a split: the part holding a
// person's founding record keeps its id; a person whose founding record
// is withdrawn keeps its id in the part holding its earliest record left,
// which founds it from then on (as a merge's survivor keeps its id though
// its founding record founds no other); a person left with no record is
// retired: its row comes again with no record and MergedInto
// WithdrawnInto + w.Batch. Person events give "withdrawn:" + w.Batch as
// their reason; the conflicts of the persons touched are raised again and
// those no longer raised (naming a withdrawn record) resolved.
//
// Coverage: the withdrawn records' states come out of the aggregates
// (RecordDeltas: −1 in the units they counted in) and the persons changed
// or retired emit their deltas (PersonDeltaSums), as for a move.
//
// Every id named gets a tombstone (tombstones.go): Add refuses it from
// then on (Output.Refused), as ClickHouse keeps it out for good. Ids
// another corrected file's withdrawal named before are returned in
// AlreadyWithdrawn (two corrections of one file, docs/import-log.md).
// Ids the registry does not hold (unknown, or withdrawn before) are
// skipped; a withdrawal that withdraws nothing changes nothing but its
// tombstones and returns an output with no rows, unless it is the last
// call again (an identical re-flush) or a withdrawal that withdrew
// records before (kWithdrawal), which return the same output again. (A record id withdrawn by a dancu before tombstones and then
// added again was a new arrival: a new record, in the person its
// evidence puts it in, a person of its own named after its id, unless
// the person its first arrival founded lives on: then after its id and
// sequence — founderName.)
func (r *Registry) Withdraw(ctx context.Context, w schemas.Withdrawal) (*Output, error) {
	r.waitBlocks()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.adj.reset() // it deletes edges (edgecache.go)
	if r.db == nil {
		return nil, errors.New("registry withdraw: registry closed")
	}
	batch, stats := r.batch, r.stats
	r.loaded = w.LoadedAt
	out, err := r.withdrawRecords(ctx, w)
	r.withdrawing, r.loaded = nil, time.Time{}
	if err != nil {
		r.batch, r.stats = batch, stats
		return nil, fmt.Errorf("registry withdraw %s: %w", w.WithdrawalID, err)
	}
	return out, nil
}

// withdrawalToken identifies a withdrawal for an identical re-flush (the
// registry keeps the last call's output, kLast); unlike an Add's token
// (batchToken) it starts with a name.
func withdrawalToken(w schemas.Withdrawal) []byte {
	h := sha256.New()
	h.Write([]byte("dancu withdrawal\x00" + w.WithdrawalID + "\x00" + w.Batch + "\x00"))
	for _, id := range w.RecordIDs {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// withdrawn is a record Withdraw takes out.
type withdrawn struct {
	id     string
	seq    uint64
	person string
	state  []byte // its coverage state (idValue), nil when none
	blob   *recordBlob
}

func (r *Registry) withdrawRecords(ctx context.Context, w schemas.Withdrawal) (*Output, error) {
	token := withdrawalToken(w)
	if out, err := r.lastAgain(token); err != nil || out != nil {
		return out, err
	}
	if out, err := r.withdrawnBefore(token); err != nil || out != nil {
		return out, err
	}
	if r.score == nil && r.blocks == nil {
		return nil, fmt.Errorf("the set of blocks was not built: %w", r.blocksErr)
	}
	ids := slices.Compact(slices.Sorted(slices.Values(w.RecordIDs)))
	var recs []withdrawn
	if err := r.scan(r.db, kID, len(ids), func(i int) []byte { return idKey(ids[i]) }, func(i int, v []byte) error {
		seq, state, err := parseIDValue(v)
		if err != nil {
			return fmt.Errorf("record %s: %w", ids[i], err)
		}
		recs = append(recs, withdrawn{id: ids[i], seq: seq, state: slices.Clone(state)})
		return nil
	}); err != nil {
		return nil, err
	}
	wb := r.db.NewIndexedBatch()
	defer wb.Close()
	// Every id named stays withdrawn (tombstones.go), held or not.
	before, err := r.writeTombstones(wb, w, ids)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		if !wb.Empty() {
			if err := commitSorted(r.db, wb, nil, nil, r.writeOpts()); err != nil {
				return nil, err
			}
			r.tombs = true
		}
		return &Output{AlreadyWithdrawn: before}, nil
	}
	slices.SortFunc(recs, func(a, b withdrawn) int { return cmp.Compare(a.seq, b.seq) })
	seqs := make([]uint64, len(recs))
	for i := range recs {
		seqs[i] = recs[i].seq
	}
	if err := r.readBlobs(wb, seqs, func(i int, b *recordBlob) error {
		recs[i].blob = b
		return nil
	}); err != nil {
		return nil, err
	}
	if err := r.scan(wb, kPerson, len(seqs), func(i int) []byte { return seqKey(kPerson, seqs[i]) }, func(i int, v []byte) error {
		recs[i].person = string(v)
		return nil
	}); err != nil {
		return nil, err
	}
	r.batch++
	out := &Output{}
	if err := r.expandLosing(wb, recs); err != nil {
		return nil, err
	}
	// The records' coverage states out of the aggregates (read before
	// their fields are deleted: a derived state is read from them).
	if err := r.withdrawnRecordDeltas(wb, recs, out); err != nil {
		return nil, err
	}
	// Their blocking entries and numbers: the keys their fields give.
	f := matching.NewFrame(r.s)
	for i := range recs {
		if err := r.addToFrame(f, recs[i].blob); err != nil {
			return nil, err
		}
	}
	// (The blocks' entries are in the set of blocks alone since reg22:
	// taken out once the withdrawal commits.)
	var entries []matching.RowKey
	var entrySeqs []uint64
	for i := range recs {
		if r.score == nil {
			for _, rk := range r.km.Keys(f, i, nil) {
				entries = append(entries, rk)
				entrySeqs = append(entrySeqs, recs[i].seq)
			}
		}
		if num := f.Value("id_valid", i); num != "" {
			wb.Delete(binary.BigEndian.AppendUint64(numberPrefix(num), recs[i].seq), nil)
		}
	}
	// Their edges (both ways) and the links of rulings naming them; the
	// records they were linked to at or above the match threshold are
	// the seeds of the recluster (the rest of their match components).
	gone := make(map[uint64]bool, len(recs))
	for _, x := range recs {
		gone[x.seq] = true
	}
	var seeds []uint64
	for _, x := range recs {
		err := dropPairs(wb, kAdj, x.seq, func(y uint64, v []byte) {
			if len(v) == 4 && math.Float32frombits(binary.BigEndian.Uint32(v)) >= r.minW && !gone[y] {
				seeds = append(seeds, y)
			}
		})
		if err != nil {
			return nil, err
		}
		for _, space := range []byte{kApart, kJoined, kWithheld} {
			if err := dropPairs(wb, space, x.seq, nil); err != nil {
				return nil, err
			}
		}
		if err := dropFromRulings(wb, x.id); err != nil {
			return nil, err
		}
	}
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	// The persons whose founding record goes: their earliest record left
	// founds them (recluster), or they are gone.
	wd := &withdrawing{orphans: map[string]bool{}, heirs: map[uint64]string{}, lost: map[string]bool{}, into: WithdrawnInto + w.Batch}
	for _, x := range recs {
		wd.lost[x.person] = true
		if x.person != "" && r.founds(x.seq, x.id, x.person) {
			wd.orphans[x.person] = true
		}
		if _, ok := r.founders[x.seq]; ok {
			wb.Delete(founderKey(x.seq), nil)
		}
		wb.Delete(idKey(x.id), nil)
		wb.Delete(recordCoverageKey(x.id), nil)
		wb.Delete(seqKey(kRecord, x.seq), nil)
		wb.Delete(seqKey(kPerson, x.seq), nil)
		out.Withdrawn = append(out.Withdrawn, x.id)
	}
	slices.Sort(out.Withdrawn)
	r.withdrawing = wd
	rc, err := r.recluster(ctx, wb, nil, map[uint64]*recordBlob{}, seeds, nil, wd.into)
	if err != nil {
		return nil, err
	}
	for seq, pid := range wd.heirs {
		wb.Set(founderKey(seq), []byte(pid), nil)
	}
	if r.score != nil && r.scoreOut != nil {
		if err := r.scoreOut(ctx, out.Withdrawn); err != nil {
			return nil, err
		}
	}
	rc.RecordDeltas, rc.Withdrawn, rc.AlreadyWithdrawn = out.RecordDeltas, out.Withdrawn, before
	out = rc
	enc, err := marshalLastOutput(out)
	if err != nil {
		return nil, err
	}
	wb.Set([]byte{kLast}, encodeLast(token, enc), nil)
	wb.Set(withdrawalKey(token), encodeLast(nil, enc), nil)
	wb.Set(metaKey("batch"), u64(r.batch), nil)
	r.forgetSavedBlockSet(wb) // the saved set holds the records withdrawn
	opt := r.writeOpts()
	if err := commitSorted(r.db, wb, nil, nil, opt); err != nil {
		return nil, err
	}
	// Committed: what the registry keeps in memory follows.
	r.tombs, r.saved = true, false
	for _, x := range recs {
		if pid, ok := r.founders[x.seq]; ok {
			delete(r.founders, x.seq)
			delete(r.founded, pid) // again below if an heir founds it now
		}
		delete(r.apartOf, x.seq)
		if _, ok := r.cacheRow[x.seq]; ok {
			// The frame holds the record's id: the same id added again
			// would be refused there. A new frame (it is a cache).
			r.cache, r.cacheRow, r.cacheUse = nil, map[uint64]int32{}, nil
		}
	}
	for seq, pid := range wd.heirs {
		r.setFounder(seq, pid)
	}
	if r.blocks != nil {
		var me []byte
		for i, rk := range entries {
			me = appendSeq(append(append(me[:0], rk.Sort...), 0), entrySeqs[i])
			if err := r.blocks.remove(rk.Rule, rk.Hash, entrySeqs[i], me, r.maxBlock[rk.Rule]); err != nil {
				r.rebuildBlocks(err)
				break
			}
		}
	}
	r.stats.Persons += int64(len(out.Persons))
	return out, nil
}

// forgetBlock says that what a Scorer's set of blocks knew of block
// (rule, hash) no longer holds (a member withdrawn).
func (r *Registry) forgetBlock(rule int, hash uint64) {
	switch {
	case r.blocks != nil:
		r.blocks.setMembers(rule, hash, nil, nil, -1)
	case r.blocksSince != nil:
		r.blocksSince.add(rule, hash) // forgotten when the set is built (loadBlocks)
	}
}

// dropPairs deletes the keys of space ('a', 'u', 'j', 'o': seq seq) from
// and to record x, calling fn, when set, with each other record and the
// value.
func dropPairs(wb *pebble.Batch, space byte, x uint64, fn func(y uint64, v []byte)) error {
	prefix := seqKey(space, x)
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return err
	}
	type pair struct {
		y uint64
		v []byte
	}
	var ps []pair
	for ok := it.First(); ok; ok = it.Next() {
		ps = append(ps, pair{getSeq(it.Key()[1+seqLen:]), slices.Clone(it.Value())})
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return err
	}
	for _, p := range ps {
		deletePair(wb, func(a, b uint64) []byte { return pairKey(space, a, b) }, x, p.y)
		if fn != nil {
			fn(p.y, p.v)
		}
	}
	return nil
}

// dropFromRulings takes record id out of the rulings naming it ('h'
// keys, and the records of each ruling, 'f'): a conflict naming records
// the ruling was about stays decided; the record, if it comes again, is
// evidence the ruling did not see.
func dropFromRulings(wb *pebble.Batch, id string) error {
	prefix := rulingOfPrefix(id)
	it, err := wb.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return err
	}
	var conflicts []string
	for ok := it.First(); ok; ok = it.Next() {
		conflicts = append(conflicts, string(it.Key()[len(prefix):]))
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return err
	}
	for _, c := range conflicts {
		wb.Delete(append(rulingOfPrefix(id), c...), nil)
		rl, ok, err := storedRuling(wb, c)
		if err != nil || !ok {
			return err
		}
		rl.Records = slices.DeleteFunc(rl.Records, func(x string) bool { return x == id })
		enc, err := json.Marshal(rl)
		if err != nil {
			return err
		}
		wb.Set(rulingKey(c), enc, nil)
	}
	return nil
}

// withdrawnRecordDeltas appends to out.RecordDeltas the withdrawn
// records' coverage: −1 in the unit, source kind and source month each
// counted in, summed, under a batch key of their own (kept, as a batch's
// rows are, for a re-flush). A record without a state (a registry
// without coverage, or a record counted before the registry kept states)
// emits nothing.
func (r *Registry) withdrawnRecordDeltas(wb *pebble.Batch, recs []withdrawn, out *Output) error {
	if r.noCov {
		return nil
	}
	kept := map[string][]byte{}
	seq := map[string]uint64{}
	for _, x := range recs {
		st := x.state
		if len(st) == 0 {
			v, ok, err := getClone(wb, recordCoverageKey(x.id)) // before round 7
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			st = v
		}
		kept[x.id], seq[x.id] = st, x.seq
	}
	if len(kept) == 0 {
		return nil
	}
	if err := r.expandRecordStates(wb, kept, seq); err != nil {
		return err
	}
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64([]byte("withdrawn\x00"), r.batch))
	rs := recordSums{month: schemas.MonthOf(r.stamped().UTC()), at: map[string]int{}}
	for _, x := range recs { // in sequence order: rows in the order their units first appear
		st, ok := kept[x.id]
		if !ok {
			continue
		}
		c, _, err := decodeRecordCoverage(st)
		if err != nil {
			return fmt.Errorf("coverage state of record %s: %w", x.id, err)
		}
		h.Write(append([]byte(x.id), 0))
		rs.add(&c, appendRecordCoverage(nil, c), -1)
	}
	rows := rs.rows
	key := hex.EncodeToString(h.Sum(nil)[:12])
	for i := range rows {
		rows[i].Batch, rows[i].Seq = key, uint32(i)
	}
	wb.Set(recordDeltasKey(key), encodeRecordDeltas(rows), nil)
	out.RecordDeltas = rows
	return nil
}

// kWithdrawal keeps the output of each withdrawal that withdrew
// records, by its token (withdrawalToken), as kLast keeps the last
// call's (its coverage rows by batch key): a withdrawal that comes again
// after other calls returns it again (withdrawnBefore). Its output may
// never have reached ClickHouse — the registry commits before the load
// stage writes, and a registry catching up from its changelog
// (pipelines.catchUp) applies a withdrawal and drops its output, the
// message coming again from its input — and, its records gone, applying
// it again would emit nothing: their −1 in coverage_records and their
// persons' rows were lost (chaos run 3 of stop 33: coverage 42 records
// over its brute force, one withdrawal's records). The load stage
// inserts each coverage row once (record_delta_keys,
// person_delta_sum_keys) and keeps the latest version of a person, link
// or conflict, so an output written twice counts once.
const kWithdrawal = 'W'

func init() { spaceNames[kWithdrawal] = "withdrawals' outputs by token" }

func withdrawalKey(token []byte) []byte { return append([]byte{kWithdrawal}, token...) }

// withdrawnBefore returns the output of the withdrawal of token if it
// was applied before (kWithdrawal), nil if not.
func (r *Registry) withdrawnBefore(token []byte) (*Output, error) {
	v, ok, err := getClone(r.db, withdrawalKey(token))
	if err != nil || !ok {
		return nil, err
	}
	out, err := r.decodeLastOutput(v)
	if err != nil {
		return nil, fmt.Errorf("output kept for withdrawal: %w", err)
	}
	return &out, nil
}

// founderName is the id of a person founded by record seq (id): the one
// its id gives (PersonID), unless that person lives on founded by another
// record (the record came again after its withdrawal): then one of its id
// and sequence, and the record founds it ('y', in wb).
func (r *Registry) founderName(wb *pebble.Batch, seq uint64, id string) string {
	pid := PersonID(id)
	if !r.founded[pid] {
		return pid
	}
	pid = PersonID(fmt.Sprintf("%s\x00%d", id, seq))
	wb.Set(founderKey(seq), []byte(pid), nil)
	r.setFounder(seq, pid)
	return pid
}

// WithdrawFunc tells the score role of a withdrawal (Config.Withdraw):
// the Scorers holding the records' blocks take them out (Scorer.Withdraw).
// It must change nothing when called again with the same ids.
type WithdrawFunc func(ctx context.Context, ids []string) error

// LocalWithdraw returns a WithdrawFunc over the Scorers of Local: each
// takes out the records it holds.
func LocalWithdraw(scorers []*Scorer) WithdrawFunc {
	return func(ctx context.Context, ids []string) error {
		for _, sc := range scorers {
			if err := sc.Withdraw(ctx, ids); err != nil {
				return err
			}
		}
		return nil
	}
}

// Withdraw takes records out of the Scorer's blocking index: their
// entries in the blocks it holds, their arrival numbers and their
// fields. A record it does not hold is skipped. The same id scored again
// afterwards is a new item (a record withdrawn and added again), scored
// with the fields it comes with against the members its blocks hold then.
func (sc *Scorer) Withdraw(ctx context.Context, ids []string) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.db == nil {
		return errors.New("scorer: closed")
	}
	r := sc.reg
	r.mu.Lock() // the set of blocks
	defer r.mu.Unlock()
	wb := sc.db.NewIndexedBatch()
	defer wb.Close()
	f := matching.NewFrame(r.s)
	var blocks []blockID
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		rk := append([]byte{kRecord}, id...)
		v, ok, err := getClone(wb, rk)
		if err != nil {
			return fmt.Errorf("scorer withdraw: %w", err)
		}
		if !ok {
			continue
		}
		b, err := decodeBlob(v, len(r.fields), len(r.confs))
		if err != nil {
			return fmt.Errorf("scorer withdraw: record %s: %w", id, err)
		}
		if err := r.addToFrame(f, b); err != nil {
			return fmt.Errorf("scorer withdraw: record %s: %w", id, err)
		}
		for _, k := range r.km.Keys(f, f.Len()-1, nil) {
			arrival, held, err := getUint64(wb, itemKey(id, k))
			if err != nil {
				return fmt.Errorf("scorer withdraw: %w", err)
			}
			if !held {
				continue // another partition's key
			}
			wb.Delete(itemKey(id, k), nil)
			wb.Delete(blockKey(k, arrival), nil)
			blocks = append(blocks, blockID{k.Rule, k.Hash})
		}
		wb.Delete(rk, nil)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := commitSorted(sc.db, wb, nil, nil, pebble.NoSync); err != nil {
		return fmt.Errorf("scorer withdraw: %w", err)
	}
	for _, b := range blocks {
		r.forgetBlock(b.rule, b.hash)
	}
	return nil
}
