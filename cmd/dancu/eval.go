package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/matching/eval"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/spf13/cobra"
)

func newEvalCmd(g *globals) *cobra.Command {
	var truthFiles []string
	var pred, mapping, conflictsTruth, conflicts string
	cmd := &cobra.Command{
		Use:   "eval --truth FILE --pred clusters.csv",
		Short: "score predicted clusters against the truth",
		Long: `Eval prints pairwise precision, recall and F1 and B-cubed F1 of the predicted
clusters (record_id, person_id) against the truth. The truth file holds a
record id column (record_id, source_record_id, rec_id, unique_id, Mã bản ghi)
and a cluster column (person_id, cluster, cluster_id, entity_id); with
--mapping, the mapping's id column and truth spec are used instead (FEBRL:
truth: {column: rec_id, pattern: "rec-([0-9]+)-"}, the entity N of
rec-N-org / rec-N-dup-K). Several --truth files are joined. The predicted
record_id must be the truth's ids: link the input with a mapping naming its
id column (a record read without one is FILE:LINE).`,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if err != nil {
					err = fmt.Errorf("eval: %w", err)
				}
			}()
			if conflicts != "" || conflictsTruth != "" {
				if conflicts == "" || conflictsTruth == "" {
					return fmt.Errorf("give both --conflicts and --conflicts-truth")
				}
				planted, err := readConflicts(conflictsTruth)
				if err != nil {
					return err
				}
				found, err := readConflicts(conflicts)
				if err != nil {
					return err
				}
				records := 0
				if pred != "" {
					if t, err := matching.ReadTable(pred); err == nil {
						records = len(t.Rows)
					}
				}
				fmt.Fprint(g.stdout, conflictReport(planted, found, records))
				if len(truthFiles) == 0 {
					return nil
				}
			}
			if len(truthFiles) == 0 || pred == "" {
				return fmt.Errorf("give --truth FILE and --pred FILE")
			}
			var mp *matching.Mapping
			if mapping != "" {
				if mp, err = matching.LoadMapping(mapping); err != nil {
					return err
				}
			}
			truth := map[string]string{}
			bySource := false
			for _, tf := range truthFiles {
				key, err := readTruthKey(tf, mp, truth)
				if err != nil {
					return err
				}
				bySource = bySource || key == "source_record_id" || key == "Mã bản ghi"
			}
			// A truth keyed by the sources' own codes is compared with the
			// predictions' source_record_id column (dancu link writes both
			// the file-scoped identity and the source's code).
			keys := []string{"record_id"}
			if bySource {
				keys = []string{"source_record_id", "record_id"}
			}
			p, err := readPairsColumn(pred, keys, []string{"person_id", "cluster"})
			if err != nil {
				return err
			}
			m := eval.Clusters(truth, p)
			if m.Records == 0 && len(truth) > 0 && len(p) > 0 {
				return noCommonRecords(pred, p, truth)
			}
			fmt.Fprintln(g.stdout, m.String())
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&truthFiles, "truth", nil, "truth file (repeatable)")
	cmd.Flags().StringVar(&pred, "pred", "", "predicted clusters CSV (record_id, person_id)")
	cmd.Flags().StringVar(&conflictsTruth, "conflicts-truth", "", "planted conflicts (conflicts_truth.csv of dancu gen)")
	cmd.Flags().StringVar(&conflicts, "conflicts", "", "conflicts found (--conflicts of dancu link)")
	cmd.Flags().StringVar(&mapping, "mapping", "", "mapping file whose id and truth spec read the truth file")
	return cmd
}

// noCommonRecords is eval's error when no predicted record is in the
// truth: every score would be vacuous (no pairs, F1 1), and the usual cause
// is a link that read its input without the mapping's id, naming records
// FILE:LINE where the truth names them by their id column.
func noCommonRecords(pred string, p, truth map[string]string) error {
	return fmt.Errorf("no record of %s is in the truth (%s there, %s in the truth): link the input with a mapping whose id: names the record id column the truth uses (see \"Reading your CSV\" in dancu settings doc)",
		pred, someKey(p), someKey(truth))
}

// someKey returns the least key of m, quoted: an example of its ids.
func someKey(m map[string]string) string {
	least, first := "", true
	for k := range m {
		if first || k < least {
			least, first = k, false
		}
	}
	return fmt.Sprintf("ids such as %q", least)
}

func readTruth(path string, mp *matching.Mapping, into map[string]string) error {
	_, err := readTruthKey(path, mp, into)
	return err
}

// readTruthKey reads a truth file into into and returns the header of the
// record id column it used ("" with a mapping).
func readTruthKey(path string, mp *matching.Mapping, into map[string]string) (string, error) {
	if mp != nil && mp.Truth != nil {
		t, err := matching.ReadTable(path)
		if err != nil {
			return "", err
		}
		ids, err := t.RecordIDs(mp)
		if err != nil {
			return "", err
		}
		cl, err := t.Truth(mp.Truth)
		if err != nil {
			return "", err
		}
		for i, id := range ids {
			into[id] = cl[i]
		}
		return "", nil
	}
	keys := []string{"record_id", "source_record_id", "Mã bản ghi", "rec_id", "unique_id"}
	m, err := readPairsColumn(path, keys, []string{"person_id", "cluster", "cluster_id", "entity_id"})
	if err != nil {
		if mp == nil || mp.Truth == nil {
			err = fmt.Errorf("%w; a truth held otherwise (each record's person within its id, as FEBRL's rec-N-dup-K) is read with --mapping FILE whose truth: {column: C, pattern: RE} says where (see \"Reading your CSV\" in dancu settings doc)", err)
		}
		return "", err
	}
	for k, v := range m {
		into[k] = v
	}
	t, err := matching.ReadTable(path)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if t.Col(k) >= 0 {
			return k, nil
		}
	}
	return "", nil
}

// readPairsColumn reads two columns of a table (the first header found of
// each list) into a map.
func readPairsColumn(path string, keys, vals []string) (map[string]string, error) {
	t, err := matching.ReadTable(path)
	if err != nil {
		return nil, err
	}
	find := func(names []string) int {
		for _, n := range names {
			if c := t.Col(n); c >= 0 {
				return c
			}
		}
		return -1
	}
	kc, vc := find(keys), find(vals)
	if kc < 0 || vc < 0 {
		return nil, fmt.Errorf("%s: need columns %s and %s, header is %s", path,
			strings.Join(keys, "|"), strings.Join(vals, "|"), strings.Join(t.Header, ","))
	}
	out := make(map[string]string, len(t.Rows))
	for i, r := range t.Rows {
		if kc >= len(r) || vc >= len(r) {
			return nil, fmt.Errorf("%s line %d: short row", path, t.Line[i])
		}
		if prev, dup := out[r[kc]]; dup && prev != r[vc] {
			return nil, fmt.Errorf("%s line %d: %s %q names two records (files reusing local codes): key the truth by record_id", path, t.Line[i], t.Header[kc], r[kc])
		}
		out[r[kc]] = r[vc]
	}
	return out, nil
}

// conflictReport is precision and recall of the found conflicts against
// the planted ones, per kind, and the grey-zone items found (never
// planted, so outside precision), per 1,000 records when records > 0 —
// the desk's bar, on a mandatory kind — and beside them the possible
// matches (reviewed on demand, outside the bar).
func conflictReport(planted, found []eval.ConflictRef, records int) string {
	grey, possible := 0, 0
	for _, c := range found {
		switch c.Kind {
		case schemas.ConflictGreyZone:
			grey++
		case schemas.ConflictPossibleMatch:
			possible++
		}
	}
	out := eval.Conflicts(planted, found).String()
	if records > 0 {
		return out + fmt.Sprintf("grey_zone %d (%.2f per 1,000 of %d records)\npossible_match %d (%.2f per 1,000, on demand: not in the bar)\n",
			grey, 1000*float64(grey)/float64(records), records, possible, 1000*float64(possible)/float64(records))
	}
	return out + fmt.Sprintf("grey_zone %d (give --pred for the rate per 1,000 records)\npossible_match %d (on demand: not in the bar)\n", grey, possible)
}

// readConflicts reads a conflicts CSV: kind, id_number (numbers separated
// by ';') and record_ids or source_record_ids.
func readConflicts(path string) ([]eval.ConflictRef, error) {
	t, err := matching.ReadTable(path)
	if err != nil {
		return nil, err
	}
	kc, nc := t.Col("kind"), t.Col("id_number")
	// The sources' own codes when the file has them (planted conflicts
	// name records by them; dancu link writes both).
	rc := t.Col("source_record_ids")
	if rc < 0 {
		rc = t.Col("record_ids")
	}
	if kc < 0 || nc < 0 || rc < 0 {
		return nil, fmt.Errorf("%s: need kind, id_number and record_ids columns", path)
	}
	var out []eval.ConflictRef
	for i, r := range t.Rows {
		if len(r) <= max(kc, nc, rc) {
			return nil, fmt.Errorf("%s line %d: short row", path, t.Line[i])
		}
		out = append(out, eval.ConflictRef{Kind: r[kc], Numbers: strings.Split(r[nc], ";"), Records: strings.Split(r[rc], ";")})
	}
	return out, nil
}

// registryConflicts keeps, batch after batch, the last row the registry
// wrote for each conflict (what ClickHouse's ReplacingMergeTree keeps), so
// that the queue the desk shows can be scored like dancu link's.
type registryConflicts map[string]schemas.Conflict

func (rc registryConflicts) add(cs []schemas.Conflict) {
	for _, c := range cs {
		if old, ok := rc[c.ConflictID]; !ok || c.Version >= old.Version {
			rc[c.ConflictID] = c
		}
	}
}

// open returns the conflicts still open, their records named by label
// (record id → the source's own code, as conflicts_truth.csv names them).
func (rc registryConflicts) open(label map[string]string) []eval.ConflictRef {
	var out []eval.ConflictRef
	for _, c := range rc.rows() {
		ref := eval.ConflictRef{Kind: c.Kind, Numbers: strings.Split(c.IDNumber, ";")}
		for _, r := range c.RecordIDs {
			if l, ok := label[r]; ok {
				r = l
			}
			ref.Records = append(ref.Records, r)
		}
		out = append(out, ref)
	}
	return out
}

// rows are the conflicts still open (not resolved by the registry), by id.
func (rc registryConflicts) rows() []schemas.Conflict {
	var out []schemas.Conflict
	for _, c := range rc {
		if c.Status != schemas.StatusResolvedByRegistry {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ConflictID < out[j].ConflictID })
	return out
}
