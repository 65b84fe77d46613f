package matching

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dancu-vn/dancu/schemas"
)

// ErrUntrained means the engine has no trained model and too few records
// to train one.
var ErrUntrained = errors.New("no trained model and fewer than 100 records to train one")

// EngineConfig configures an Engine.
type EngineConfig struct {
	// Settings with a trained model. Default: the embedded Vietnamese
	// settings, trained without labels on the first batch (give a trained
	// model in production so that every matcher scores alike).
	Settings *Settings
	// Registry to link against. Default: empty.
	Registry *Registry
	// Now stamps versions and events. Default: time.Now.
	Now func() time.Time
}

// Engine links micro-batches of canonical records against an in-memory
// registry: it is the pipeline's match stage (Kafka ─> match ─> Kafka).
// Its memory is a cache: Restore rebuilds it from the records and links
// already in ClickHouse. Safe for concurrent use; batches are serialised.
//
// Each batch relinks the whole registry with the fixed model, so the
// persons are exactly those of linking everything at once, and person ids
// stay stable (Registry.Name). That costs time linear in the registry per
// batch: fine for a province's matcher on batches of thousands, not yet
// for a national registry on small batches.
type Engine struct {
	mu      sync.Mutex
	s       *Settings
	reg     *Registry
	ad      *RecordAdapter
	now     func() time.Time
	version uint64
	// members of each person after the last batch, to report changes.
	members map[string]string // person id → signature of its records
	stats   EngineStats
}

// EngineStats count what the engine did.
type EngineStats struct {
	Batches, Records, Duplicates int64 // batches, records received, records already known
	Comparisons                  int64
	Persons                      int
	LastBatch                    time.Duration
}

// NewEngine returns an engine over cfg's registry.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	e := &Engine{s: cfg.Settings, reg: cfg.Registry, ad: NewRecordAdapter(), now: cfg.Now, members: map[string]string{}}
	if e.now == nil {
		e.now = time.Now
	}
	if e.s == nil {
		if e.reg != nil && e.reg.Settings != nil {
			e.s = e.reg.Settings
		} else {
			s, err := DefaultSettings("vietnamese")
			if err != nil {
				return nil, fmt.Errorf("new engine: %w", err)
			}
			e.s = s
		}
	}
	if err := e.s.Validate(); err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	if e.reg == nil {
		e.reg = NewRegistry()
	}
	return e, nil
}

// Restore loads records and their links (as read back from ClickHouse)
// into the registry, so that the next batch links against them and keeps
// their person ids.
func (e *Engine) Restore(records []schemas.Record, links []schemas.Link) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	byRecord := map[string]string{}
	for _, l := range links {
		byRecord[l.RecordID] = l.PersonID
	}
	for i := range records {
		r := &records[i]
		get, conf := e.ad.Fields(r)
		id := RecordKey(r)
		e.reg.Add(Capture(e.s, id, 0, get, conf))
		if p, ok := byRecord[r.RecordID]; ok {
			e.reg.PersonOf[id] = p
			if n, err := strconv.Atoi(strings.TrimPrefix(p, "P")); err == nil && n > e.reg.Next {
				e.reg.Next = n
			}
		}
	}
	return nil
}

// LinkBatch adds recs to the registry and relinks. It returns the persons
// that are new or changed (merged ones with MergedInto set), the links of
// records that are new or moved to another person, and the open conflicts
// that touch those persons. Records already in the registry (a Kafka
// redelivery) are not added twice. Link.RecordID is the canonical record
// id.
func (e *Engine) LinkBatch(ctx context.Context, recs []schemas.Record) (persons []schemas.Person, links []schemas.Link, conflicts []schemas.Conflict, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := e.now()
	canon := map[string]string{} // record key → canonical record id
	for i := range recs {
		r := &recs[i]
		key := RecordKey(r)
		canon[key] = r.RecordID
		if e.reg.Has(key) {
			e.stats.Duplicates++
			continue
		}
		get, conf := e.ad.Fields(r)
		e.reg.Add(Capture(e.s, key, 0, get, conf))
	}
	e.stats.Records += int64(len(recs))
	f, err := e.reg.Frame(e.s)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("link batch: %w", err)
	}
	if e.s.Model == nil && f.Len() < 100 {
		// Too few records to train on: wait for more.
		return nil, nil, nil, fmt.Errorf("link batch: %w", ErrUntrained)
	}
	res, err := Link(ctx, f, e.s)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("link batch: %w", err)
	}
	if e.s.Model == nil {
		e.s = res.Settings
		e.reg.Settings = res.Settings
	}
	old := map[string]string{}
	for k, v := range e.reg.PersonOf {
		old[k] = v
	}
	nEvents := len(e.reg.Events)
	names := e.reg.Name(res, e.now().UTC())
	_, sums, confs := Assign(res, names)
	e.version++
	ver := uint64(e.now().UnixNano())
	if ver < e.version {
		ver = e.version
	}
	at := e.now().UTC()
	changed := map[string]bool{}
	for _, s := range sums {
		pid := names[s.Root]
		ids := make([]string, len(s.Rows))
		for i, r := range s.Rows {
			ids[i] = f.ID(int(r))
		}
		sort.Strings(ids)
		sig := strings.Join(ids, "\x00") + "\x01" + s.IDNumber + s.IDStatus
		if e.members[pid] == sig {
			continue
		}
		e.members[pid] = sig
		changed[pid] = true
		persons = append(persons, personOf(f, s, pid, ver, at))
		for _, r := range s.Rows {
			id := f.ID(int(r))
			if old[id] == pid {
				continue
			}
			rid := canon[id]
			if rid == "" {
				rid = id
			}
			links = append(links, schemas.Link{RecordID: rid, PersonID: pid, MatchProbability: res.Clusters.Prob[r],
				MatchRule: "fellegi-sunter", Version: ver, LinkedAt: at})
		}
	}
	for _, ev := range e.reg.Events[nEvents:] {
		if ev.Kind != "merge" {
			continue
		}
		for _, o := range ev.Others {
			delete(e.members, o)
			persons = append(persons, schemas.Person{PersonID: o, MergedInto: ev.Kept, Version: ver, UpdatedAt: at})
		}
	}
	for _, c := range confs {
		for _, p := range c.PersonIDs {
			if changed[p] {
				c.Version, c.CreatedAt = ver, at
				conflicts = append(conflicts, c)
				break
			}
		}
	}
	e.stats.Batches++
	e.stats.Comparisons += res.Predict.Comparisons
	e.stats.Persons = len(sums)
	e.stats.LastBatch = e.now().Sub(start)
	return persons, links, conflicts, nil
}

// Stats returns a snapshot of the engine's counters.
func (e *Engine) Stats() EngineStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

// Registry returns the engine's registry (for saving it).
func (e *Engine) Registry() *Registry { return e.reg }

func personOf(f *Frame, s PersonSummary, pid string, ver uint64, at time.Time) schemas.Person {
	p := schemas.Person{PersonID: pid, IDNumber: s.IDNumber, IDStatus: s.IDStatus, BirthYear: uint16(s.BirthYear),
		Sex: s.Sex, ProvinceCode: s.Province, RecordCount: uint32(len(s.Rows)), Version: ver, UpdatedAt: at}
	first := int(s.Rows[0])
	name := strings.TrimSpace(strings.Join([]string{f.Value("family", first), f.Value("middle", first), f.Value("given", first)}, " "))
	p.FullName = strings.Join(strings.Fields(name), " ")
	p.BirthDate = f.Value("dob", first)
	p.NewProvinceCode = f.Value("perm_new_province", first)
	p.CommuneCode = f.Value("perm_commune", first)
	p.NewCommuneCode = f.Value("perm_new_commune", first)
	return p
}
