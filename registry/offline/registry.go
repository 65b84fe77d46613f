package offline

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/settings"
)

// Registry is the state kept between linking runs: every record linked so
// far (the input fields the settings read, so it can be linked again
// without its source file), the person of each record, the next person
// number, the trained settings, and the history of merges and splits.
// Person ids are never reused and never renumbered: a relinked cluster
// keeps the id of the old person it shares most records with.
type Registry struct {
	Settings *settings.Settings
	Records  []Record
	PersonOf map[string]string // record id → person id
	Next     int               // last person number issued
	Events   []Event

	index map[string]int
}

// Record is one record as the engine reads it.
type Record struct {
	ID     string             `json:"id"`
	Source int                `json:"source"`
	Fields map[string]string  `json:"fields"`
	Conf   map[string]float32 `json:"conf,omitempty"`
}

// Event records a merge or a split of persons.
type Event struct {
	Kind    string    `json:"kind"` // merge, split
	Kept    string    `json:"kept"` // the person id that continues
	Others  []string  `json:"others"`
	At      time.Time `json:"at"`
	Records int       `json:"records"`
}

type registryState struct {
	Next     int               `json:"next"`
	PersonOf map[string]string `json:"person_of"`
	Events   []Event           `json:"events"`
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{PersonOf: map[string]string{}, index: map[string]int{}}
}

// Load reads a registry directory; a missing directory is an
// empty registry.
func Load(dir string) (*Registry, error) {
	r := New()
	if b, err := os.ReadFile(filepath.Join(dir, "settings.yaml")); err == nil {
		if r.Settings, err = settings.Parse(b); err != nil {
			return nil, fmt.Errorf("load registry %s: %w", dir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	fh, err := os.Open(filepath.Join(dir, "records.jsonl"))
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	for sc.Scan() {
		line++
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("load registry %s records.jsonl line %d: %w", dir, line, err)
		}
		r.add(rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		return nil, fmt.Errorf("load registry: %w", err)
	}
	var st registryState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("load registry %s state.json: %w", dir, err)
	}
	r.Next, r.Events = st.Next, st.Events
	if st.PersonOf != nil {
		r.PersonOf = st.PersonOf
	}
	return r, nil
}

// Save writes the registry to dir (created when missing), replacing its
// files atomically one by one.
func (r *Registry) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save registry: %w", err)
	}
	write := func(name string, fill func(w *bufio.Writer) error) error {
		tmp := filepath.Join(dir, name+".tmp")
		fh, err := os.Create(tmp)
		if err != nil {
			return fmt.Errorf("save registry: %w", err)
		}
		w := bufio.NewWriterSize(fh, 1<<20)
		if err := fill(w); err != nil {
			fh.Close()
			return fmt.Errorf("save registry %s: %w", name, err)
		}
		if err := w.Flush(); err != nil {
			fh.Close()
			return fmt.Errorf("save registry %s: %w", name, err)
		}
		if err := fh.Close(); err != nil {
			return fmt.Errorf("save registry %s: %w", name, err)
		}
		return os.Rename(tmp, filepath.Join(dir, name))
	}
	if r.Settings != nil {
		if err := r.Settings.Save(filepath.Join(dir, "settings.yaml")); err != nil {
			return err
		}
	}
	if err := write("records.jsonl", func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		for _, rec := range r.Records {
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return write("state.json", func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(registryState{Next: r.Next, PersonOf: r.PersonOf, Events: r.Events})
	})
}

func (r *Registry) add(rec Record) bool {
	if r.index == nil {
		r.index = map[string]int{}
	}
	if _, ok := r.index[rec.ID]; ok {
		return false
	}
	r.index[rec.ID] = len(r.Records)
	r.Records = append(r.Records, rec)
	return true
}

// Has reports whether a record id is in the registry.
func (r *Registry) Has(id string) bool {
	_, ok := r.index[id]
	return ok
}

// Capture returns the stored form of a record given by its getters: the
// input fields the columns of s read, and their OCR confidences.
func Capture(s *settings.Settings, id string, source int, get matching.Getter, conf matching.ConfidenceGetter) Record {
	sd := s.WithDefaults()
	rec := Record{ID: id, Source: source, Fields: map[string]string{}}
	for _, c := range sd.Columns {
		for _, in := range c.Fields() {
			if v := get(in); v != "" {
				rec.Fields[in] = v
			}
		}
		if c.Confidence != "" && conf != nil {
			if x, ok := conf(c.Confidence); ok {
				if rec.Conf == nil {
					rec.Conf = map[string]float32{}
				}
				rec.Conf[c.Confidence] = x
			}
		}
	}
	return rec
}

// Add stores a record unless its id is already there; it reports whether
// it was added.
func (r *Registry) Add(rec Record) bool { return r.add(rec) }

// Frame builds the frame of every stored record for the settings s.
func (r *Registry) Frame(s *settings.Settings) (*matching.Frame, error) {
	f := matching.NewFrame(s)
	for _, rec := range r.Records {
		rec := rec
		var conf matching.ConfidenceGetter
		if rec.Conf != nil {
			conf = func(k string) (float32, bool) { v, ok := rec.Conf[k]; return v, ok }
		}
		if err := f.Add(rec.ID, rec.Source, func(field string) string { return rec.Fields[field] }, conf); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Name gives the clusters of res their person ids: each cluster keeps the
// id of the old person it shares most records with (each old id goes to
// one cluster only; ties go to the smaller id), other clusters get new
// ids. It records merges (a cluster holding records of several old
// persons) and splits (an old person's records in several clusters),
// updates PersonOf and returns the id of each cluster by its first row.
func (r *Registry) Name(res *matching.Result, now time.Time) map[int32]string {
	f := res.Frame
	type cand struct {
		root  int32
		old   string
		count int
	}
	counts := map[int32]map[string]int{}
	size := map[int32]int{}
	for i := 0; i < f.Len(); i++ {
		root := res.Clusters.Of[i]
		size[root]++
		if old, ok := r.PersonOf[f.ID(i)]; ok {
			if counts[root] == nil {
				counts[root] = map[string]int{}
			}
			counts[root][old]++
		}
	}
	var cands []cand
	for root, m := range counts {
		for old, n := range m {
			cands = append(cands, cand{root, old, n})
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].count != cands[b].count {
			return cands[a].count > cands[b].count
		}
		if cands[a].old != cands[b].old {
			return cands[a].old < cands[b].old
		}
		return cands[a].root < cands[b].root
	})
	names := map[int32]string{}
	taken := map[string]bool{}
	for _, c := range cands {
		if names[c.root] != "" || taken[c.old] {
			continue
		}
		names[c.root] = c.old
		taken[c.old] = true
	}
	roots := make([]int32, 0, len(size))
	for root := range size {
		roots = append(roots, root)
	}
	sort.Slice(roots, func(a, b int) bool { return roots[a] < roots[b] })
	for _, root := range roots {
		if names[root] == "" {
			r.Next++
			names[root] = fmt.Sprintf("P%06d", r.Next)
		}
	}
	// Merges: a cluster with several old persons.
	for _, root := range roots {
		m := counts[root]
		if len(m) < 2 {
			continue
		}
		var others []string
		for old := range m {
			if old != names[root] {
				others = append(others, old)
			}
		}
		sort.Strings(others)
		r.Events = append(r.Events, Event{Kind: "merge", Kept: names[root], Others: others, At: now, Records: size[root]})
	}
	// Splits: an old person in several clusters.
	parts := map[string][]int32{}
	for _, root := range roots {
		for old := range counts[root] {
			parts[old] = append(parts[old], root)
		}
	}
	olds := make([]string, 0, len(parts))
	for old := range parts {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	for _, old := range olds {
		if len(parts[old]) < 2 {
			continue
		}
		var others []string
		for _, root := range parts[old] {
			if names[root] != old {
				others = append(others, names[root])
			}
		}
		sort.Strings(others)
		r.Events = append(r.Events, Event{Kind: "split", Kept: old, Others: others, At: now})
	}
	for i := 0; i < f.Len(); i++ {
		r.PersonOf[f.ID(i)] = names[res.Clusters.Of[i]]
	}
	return names
}
