package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/dancu-vn/dancu/ingest"
	"github.com/dancu-vn/dancu/pipelines"
	"github.com/dancu-vn/dancu/schemas"
	"github.com/dancu-vn/dancu/vn"
)

// replaced is the file (or batch) dancu import --replaces names: the
// records it gave, to be withdrawn once the corrected file is published.
type replaced struct {
	name  string // as given: a path or a batch
	batch string // its import batch
	hash  string // its file's SHA-256 ("" for a batch read from ClickHouse)
	// recs are its records: read from the file again, or from
	// ClickHouse as the match stage wrote them (enriched: their address
	// codes resolved).
	recs     []schemas.Record
	enriched bool
	desc     ingest.Description // a file's, once read to its end
}

// readReplaced reads the records of old: a file read again the way the
// import reads the corrected one (its record ids are its content hash,
// sheet and row, so they come out as they were published; no broker or
// ClickHouse needed), else an import batch ("b…", as the import's summary
// and records.import_batch name it) read from ClickHouse, which holds
// every record the load stage wrote (the old file may be gone; a setup
// with a broker only has no ClickHouse, and must give the file).
func readReplaced(ctx context.Context, g *globals, o *importOptions, mapping *ingest.Mapping, old string) (replaced, error) {
	if fi, err := os.Stat(old); err == nil && !fi.IsDir() {
		// Every sheet: --sheet names the corrected file's, and a list's
		// sheet may be renamed in its correction.
		r, err := readReplacedFile(ctx, o, mapping, old, nil)
		if err == nil && len(r.recs) == 0 {
			err = fmt.Errorf("import: --replaces %s: no record read from it, so there is nothing to withdraw; name the list the corrected file replaces", old)
		}
		return r, err
	}
	if !strings.HasPrefix(old, "b") || strings.ContainsAny(old, `/\.`) {
		return replaced{}, fmt.Errorf("import: --replaces %s: no such file, and not an import batch (b…)", old)
	}
	r := replaced{name: old, batch: old}
	conn, err := openClickHouse(ctx, g)
	if err != nil {
		return r, fmt.Errorf("import: --replaces %s: the records of a batch are read from ClickHouse: %w (or give the old file's path)", old, err)
	}
	defer conn.Close()
	r.enriched = true
	rows, err := conn.Query(ctx, "SELECT "+strings.Join(schemas.Tags(schemas.Record{}), ", ")+" FROM records FINAL WHERE import_batch = ?", old)
	if err != nil {
		return r, fmt.Errorf("import: --replaces %s: read its records from ClickHouse: %w (or give the old file's path)", old, err)
	}
	defer rows.Close()
	for rows.Next() {
		var x schemas.Record
		if err := rows.ScanStruct(&x); err != nil {
			return r, fmt.Errorf("import: --replaces %s: %w", old, err)
		}
		r.recs = append(r.recs, x)
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("import: --replaces %s: %w", old, err)
	}
	if len(r.recs) == 0 {
		return r, fmt.Errorf("import: --replaces %s: ClickHouse holds no record of this batch (is the load stage behind, or the batch misspelt?)", old)
	}
	return r, nil
}

func readReplacedFile(ctx context.Context, o *importOptions, mapping *ingest.Mapping, path string, sheets []string) (replaced, error) {
	sd, _ := sourceDateOf(o.sourceDate, path)
	src, err := ingest.Open(path, ingest.Options{SourceDate: sd, Mapping: mapping, Strict: o.strict, SkipHiddenRows: o.skipHidden, Sheets: sheets, DateOrder: o.dateOrder})
	if err != nil {
		return replaced{}, fmt.Errorf("import: --replaces: %w", err)
	}
	defer src.Close()
	d := src.(ingest.Describer).Describe()
	r := replaced{name: path, batch: d.Batch, hash: d.FileHash}
	for ctx.Err() == nil {
		it, err := src.Next()
		if errors.Is(err, io.EOF) {
			r.desc = src.(ingest.Describer).Describe()
			return r, nil
		}
		if err != nil {
			return r, fmt.Errorf("import: --replaces %s: %w", path, err)
		}
		if it.Record != nil {
			r.recs = append(r.recs, *it.Record)
		}
	}
	return r, fmt.Errorf("import: --replaces %s: %w", path, ctx.Err())
}

// plan is the withdrawal of old's records by the corrected file (batch,
// hash), over partitions of dancu.records. A record of the same file
// (old is the corrected file itself, imported under another batch) is
// not withdrawn: the corrected file holds it again.
func (old replaced) plan(batch, hash string, loaded time.Time, partitions []int) []pipelines.PlannedWithdrawal {
	r := pipelines.Replacement{Batch: batch, Replaces: old.batch, User: importUser(), At: time.Now(), LoadedAt: loaded}
	for i := range old.recs {
		if x := &old.recs[i]; x.FileHash != hash {
			r.Old = append(r.Old, pipelines.OldRecord{RecordID: x.RecordID, Key: pipelines.PartitionKey(x)})
		}
	}
	return pipelines.PlanWithdrawals(r, partitions, 0)
}

// sameAs refuses a replacement of a file by itself.
func (old replaced) sameAs(path, batch, hash string) error {
	if old.batch == batch || (old.hash != "" && old.hash == hash) {
		return fmt.Errorf("import: %s --replaces %s: the same file (batch %s): nothing to replace", path, old.name, batch)
	}
	return nil
}

// replacedBy is a later import that withdrew a batch's records.
type replacedBy struct {
	batch, file, user string
	at                time.Time
}

func (r replacedBy) String() string {
	return fmt.Sprintf("batch %s (%s, imported by %s at %s UTC)", r.batch, r.file, r.user, r.at.UTC().Format("2006-01-02 15:04"))
}

// laterImport is the import, other than batch, that withdrew the
// records that cond (on withdrawn_records, with its parameter of) picks,
// the first if several did; ok is false when none did.
func laterImport(ctx context.Context, conn driver.Conn, cond string, of driver.NamedValue, batch string) (r replacedBy, ok bool, err error) {
	rows, err := conn.Query(ctx, `SELECT batch, any(user), min(withdrawn_at) AS at FROM withdrawn_records FINAL
		WHERE `+cond+` AND batch != {batch:String} GROUP BY batch ORDER BY at LIMIT 1`, of, clickhouse.Named("batch", batch))
	if err != nil {
		return r, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return r, false, rows.Err()
	}
	if err := rows.Scan(&r.batch, &r.user, &r.at); err != nil {
		return r, false, err
	}
	err = conn.QueryRow(ctx, "SELECT any(source_file) FROM records WHERE import_batch = {b:String}", clickhouse.Named("b", r.batch)).Scan(&r.file)
	return r, true, err
}

// sampleIDs are some of recs' record ids: a list is imported, and
// withdrawn, whole, and its ids say so whatever batch it was imported
// under (--batch).
func sampleIDs(recs []schemas.Record) []string {
	ids := make([]string, 0, min(len(recs), 200))
	for i := range recs[:min(len(recs), 200)] {
		ids = append(ids, recs[i].RecordID)
	}
	return ids
}

// registerCheck is the ClickHouse an import checks its file against,
// opened at the first file and kept for the others: that the file's
// records were not withdrawn, and, with --replaces, that the old list is
// there to be replaced. Out of reach (a broker-only setup), the import
// goes on: with --replaces, a note says what was not checked.
type registerCheck struct {
	g      *globals
	opened bool
	conn   driver.Conn
	err    error
}

func (c *registerCheck) open(ctx context.Context) (driver.Conn, error) {
	if !c.opened {
		// A plain import needs no ClickHouse: one out of reach (a host
		// that does not answer) delays it by seconds at most.
		octx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c.opened = true
		c.conn, c.err = openClickHouse(octx, c.g)
	}
	return c.conn, c.err
}

func (c *registerCheck) close() {
	if c.conn != nil {
		c.conn.Close()
	}
}

// notWithdrawn refuses a file (path, its batch) whose records a later
// import withdrew: a withdrawal is for good (withdrawn_records), so its
// records published again would be counted by the registry (and
// coverage) but not by records_in_force or the links. An error of
// ClickHouse's is no refusal.
func (c *registerCheck) notWithdrawn(ctx context.Context, path, batch, hash string) error {
	conn, err := c.open(ctx)
	if err != nil {
		return nil
	}
	by, ok, err := laterImport(ctx, conn, "replaces IN {of:Array(String)}", clickhouse.Named("of", []string{batch, ingest.DefaultBatch(hash)}), "")
	if err != nil || !ok {
		return nil
	}
	return &withdrawnError{by, fmt.Sprintf("import: %s (batch %s) was replaced by %s: its records stay withdrawn (a withdrawal is for good), so imported again they would not count; to bring this list back, save it again as a new file (its record ids come from its bytes: a blank line added at its end will do) and import that with --replaces %s",
		path, batch, by, by.batch)}
}

// withdrawnError is notWithdrawn's refusal; by replaced the file.
type withdrawnError struct {
	by  replacedBy
	msg string
}

func (e *withdrawnError) Error() string { return e.msg }

// inForce checks in ClickHouse that old's records are there to be
// replaced by the file of batch: imported (the load stage wrote them), and
// not replaced already by another file (a correction of a correction
// names the correction: naming the first list again would leave both
// corrections counted).
func (old *replaced) inForce(ctx context.Context, c *registerCheck, path, batch string) error {
	conn, err := c.open(ctx)
	if err != nil {
		fmt.Fprintf(c.g.stdout, "note: --replaces %s: not checked in ClickHouse that it was imported and not replaced already: %v\n", old.name, err)
		return nil
	}
	ids := clickhouse.Named("of", sampleIDs(old.recs))
	if !old.enriched {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM records WHERE record_id IN {of:Array(String)}", ids).Scan(&n); err != nil {
			return fmt.Errorf("import: --replaces %s: %w", old.name, err)
		}
		if n == 0 {
			return fmt.Errorf("import: --replaces %s: ClickHouse holds none of its records: it was never imported (or the load stage has not written it yet: dancu run's load_lag), so there is nothing to replace; name the list %s corrects as it was imported, or import it without --replaces",
				old.name, path)
		}
	}
	by, ok, err := laterImport(ctx, conn, "record_id IN {of:Array(String)}", ids, batch)
	if err != nil {
		return err
	}
	if !ok {
		return old.doneAlready(ctx, conn, path, batch)
	}
	last, err := lastCorrection(ctx, conn, by, batch)
	if err != nil {
		return err
	}
	inForce := "that list is in force"
	if last != by {
		inForce = "the list in force is " + last.String()
	}
	return fmt.Errorf("import: --replaces %s: its batch %s was replaced already, by %s; %s: a correction of it names that one (--replaces %s, or its file); replacing %s again would leave both corrections counted",
		old.name, old.batch, by, inForce, last.batch, old.batch)
}

// lastCorrection is the list in force now of the chain of corrections
// that by starts: by, or the last correction of it (other than batch).
func lastCorrection(ctx context.Context, conn driver.Conn, by replacedBy, batch string) (replacedBy, error) {
	last := by
	for range 100 {
		next, ok, err := laterImport(ctx, conn, "replaces = {of:String}", clickhouse.Named("of", last.batch), batch)
		if err != nil {
			return by, err
		}
		if !ok {
			break
		}
		last = next
	}
	return last, nil
}

// doneAlready refuses the replacement of old by the file at path (batch)
// when it was made already: ClickHouse holds every record of old
// withdrawn by batch (the same command run before, as a data team's script
// run again does). Run again, the import published the corrected file and
// the withdrawal once more, changing nothing downstream but the
// withdrawal's user and time (withdrawn_records keeps the last), while
// it said, dry run or not, that it withdrew old's records. A replacement
// not applied whole (stopped between the file and its withdrawal, or
// the match stage behind) goes on, and the same command finishes it.
// The dry run and the import make this check alike (inForce), so the dry
// run says what the import would do.
func (old *replaced) doneAlready(ctx context.Context, conn driver.Conn, path, batch string) error {
	sample := sampleIDs(old.recs)
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT uniqExact(record_id) FROM withdrawn_records FINAL WHERE batch = {batch:String} AND record_id IN {of:Array(String)}",
		clickhouse.Named("batch", batch), clickhouse.Named("of", sample)).Scan(&n); err != nil {
		return fmt.Errorf("import: --replaces %s: %w", old.name, err)
	}
	if int(n) < len(sample) {
		return nil // the common case, a first run: one look-up by record id
	}
	rows, err := conn.Query(ctx, "SELECT record_id FROM withdrawn_records FINAL WHERE batch = {batch:String}", clickhouse.Named("batch", batch))
	if err != nil {
		return fmt.Errorf("import: --replaces %s: %w", old.name, err)
	}
	defer rows.Close()
	withdrawn := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("import: --replaces %s: %w", old.name, err)
		}
		withdrawn[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import: --replaces %s: %w", old.name, err)
	}
	ids := map[string]bool{}
	for i := range old.recs {
		if !withdrawn[old.recs[i].RecordID] {
			return nil
		}
		ids[old.recs[i].RecordID] = true
	}
	by, _, err := laterImport(ctx, conn, "batch = {of:String}", clickhouse.Named("of", batch), "")
	if err != nil {
		return fmt.Errorf("import: --replaces %s: %w", old.name, err)
	}
	return &doneAlreadyError{
		msg: fmt.Sprintf("import: %s --replaces %s: done already: the %d records of batch %s were withdrawn by this file, %s; nothing is published again (it would change nothing).",
			path, old.name, len(ids), old.batch, by),
		next: fmt.Sprintf("A later correction of the list names this file: --replaces %s (or its batch %s)", path, batch),
	}
}

// doneAlreadyError is inForce's answer for a replacement made already.
// importFile prints it and succeeds: the import's own advice after an
// interruption is "run the same command again", and a script (or the
// chaos harness) that runs it until it exits 0 must not be refused for
// ever once the first run had in fact finished. next says what a later
// correction names; since is the import that replaced this file in
// turn, if one did (user22: B --replaces A run again after C replaced B).
type doneAlreadyError struct {
	msg, next string
	since     *replacedBy
}

func (e *doneAlreadyError) Error() string { return e.msg + " " + e.next }

// replacedSince says, of a replacement done already (B of A), that its
// file B was replaced since, by (the first import that withdrew B's
// records): that does not undo B replacing A, so it is still done
// already, but what a later correction names is the list in force now.
func (e *doneAlreadyError) replacedSince(ctx context.Context, c *registerCheck, by replacedBy) error {
	conn, err := c.open(ctx)
	if err != nil {
		return err
	}
	last, err := lastCorrection(ctx, conn, by, "")
	if err != nil {
		return err
	}
	e.since = &last
	e.next = fmt.Sprintf("This file has since been replaced, by %s", by)
	if last != by {
		e.next += "; the list in force is " + last.String()
	}
	e.next += fmt.Sprintf(": a later correction names that one (--replaces %s)", last.batch)
	return nil
}

// importUser is who runs the import, as the withdrawal records it.
func importUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// rowDiff counts the corrected file's rows against the old file's by
// their content: unchanged (a row of the same content, anywhere), changed
// (paired with an old row by the source's record id, else the
// identification number, else the name and birth date), new and gone.
type rowDiff struct {
	Unchanged int `json:"unchanged"`
	Changed   int `json:"changed"`
	New       int `json:"new"`
	Gone      int `json:"gone"`
	// Examples describe the first changed, new and gone rows (up to
	// --rows of each), masked.
	Examples []string `json:"examples,omitempty"`
	// NotCompared are the columns the old records' schema version did not
	// read (household_no and remark for a list imported before version
	// 2): empty there because that dancu did not read them, not because
	// the team's list left them blank, so no row counts as changed for
	// them (schemas.AddedIn).
	NotCompared []string `json:"not_compared,omitempty"`
	byName      int      // changed rows paired by their name alone
}

// shared is how many rows the two lists have in common: unchanged, or
// changed and paired by the source's id, the number, or the name and
// birth date (a name alone is no evidence: two lists of a province share
// their common names).
func (d rowDiff) shared() int { return d.Unchanged + d.Changed - d.byName }

// sharesRows refuses the replacement of old by the file at path when the
// two lists have no row in common (d): old is then another list (another
// commune's, another province's), all of whose records it would
// withdraw.
func (old *replaced) sharesRows(path string, d rowDiff) error {
	if len(old.recs) == 0 || d.shared() > 0 {
		return nil
	}
	return fmt.Errorf("import: %s --replaces %s: the two lists have no row in common (none unchanged, none paired by its source id, number, or name and birth date; %d new, %d gone): %s is not the list this file corrects (another commune's or province's?), and replacing it would withdraw all its %d records; name the list it corrects (dancu import --dry-run --replaces OLD %s compares them)",
		path, old.name, d.New, d.Gone, old.name, len(old.recs), path)
}

// comparable readies cur, the corrected file's records, to be compared
// with old's: read from ClickHouse, old's addresses were resolved by the
// match stage, and cur's are resolved alike.
func (old *replaced) comparable(cur []schemas.Record) {
	if old.enriched {
		for i := range cur {
			pipelines.ResolveAddresses(&cur[i])
		}
	}
}

// checkCorrected reads the corrected file at path before it is
// published and refuses it when the import would fail (a sheet not read:
// a summary "Tổng hợp" beside the list) or when it has no row in common
// with old (sharesRows): a corrected file replaces its list only when it
// is read whole, or the import publishes its rows, fails, and leaves the
// old list in force beside them, counted twice. A file that cannot be
// read at all is left to the import to report.
func (old *replaced) checkCorrected(ctx context.Context, o *importOptions, mapping *ingest.Mapping, path string) error {
	cur, err := readReplacedFile(ctx, o, mapping, path, o.sheets)
	if err != nil {
		return nil
	}
	if err := readWhole(cur.desc, true); err != nil {
		return fmt.Errorf("%w; nothing was published, and %s stays in force until its corrected file is read whole", err, old.name)
	}
	old.comparable(cur.recs)
	return old.sharesRows(path, diffRows(old.recs, cur.recs, 0))
}

// diffRows compares the records of the corrected file with the old
// file's, keeping up to show examples of each kind (changed, new, gone:
// many rows changed do not hide the rows gone).
//
// Only the columns both versions read are compared: old's records read
// from ClickHouse may be of an earlier schema version (readBy).
func diffRows(old, cur []schemas.Record, show int) rowDiff {
	var d rowDiff
	ver := readBy(old)
	d.NotCompared = schemas.ColumnsAfter(ver)
	contentOf := func(r *schemas.Record) string { return content(r, ver) }
	shown := map[string]int{}
	example := func(s string) {
		kind, _, _ := strings.Cut(s, ":")
		if shown[kind]++; shown[kind] <= show {
			d.Examples = append(d.Examples, s)
		}
	}
	byContent := map[string][]int{}
	for i := range old {
		c := contentOf(&old[i])
		byContent[c] = append(byContent[c], i)
	}
	used := make([]bool, len(old))
	var left []int // rows of cur with no old row of the same content
	for i := range cur {
		c := contentOf(&cur[i])
		if js := byContent[c]; len(js) > 0 {
			used[js[0]] = true
			byContent[c] = js[1:]
			d.Unchanged++
			continue
		}
		left = append(left, i)
	}
	keys := []func(*schemas.Record) string{
		func(r *schemas.Record) string { return r.SourceRecordID },
		func(r *schemas.Record) string { return r.IDNumber },
		func(r *schemas.Record) string {
			if r.BirthDate == "" {
				return ""
			}
			return vn.Fold(r.FullName) + "|" + r.BirthDate
		},
		func(r *schemas.Record) string { return vn.Fold(r.FullName) },
	}
	for ki, key := range keys {
		byKey := map[string][]int{}
		for j := range old {
			if k := key(&old[j]); !used[j] && k != "" {
				byKey[k] = append(byKey[k], j)
			}
		}
		rest := left[:0]
		for _, i := range left {
			k := key(&cur[i])
			if js := byKey[k]; k != "" && len(js) > 0 {
				j := js[0]
				byKey[k] = js[1:]
				used[j] = true
				d.Changed++
				if ki == len(keys)-1 {
					d.byName++
				}
				example(fmt.Sprintf("changed: %s (%s), was %s: %s", place(&cur[i]), vn.MaskName(cur[i].FullName), place(&old[j]), strings.Join(changedFields(&old[j], &cur[i], ver), ", ")))
				continue
			}
			rest = append(rest, i)
		}
		left = rest
	}
	for _, i := range left {
		d.New++
		example(fmt.Sprintf("new: %s (%s)", place(&cur[i]), vn.MaskName(cur[i].FullName)))
	}
	for j := range old {
		if !used[j] {
			d.Gone++
			example(fmt.Sprintf("gone: %s (%s)", place(&old[j]), vn.MaskName(old[j].FullName)))
		}
	}
	return d
}

// readBy is the schema version that read recs: the oldest of theirs (a
// list is imported by one dancu; a record of a file read again now is
// of this build's version).
func readBy(recs []schemas.Record) int {
	v := schemas.Version
	for i := range recs {
		if x := int(recs[i].SchemaVersion); x > 0 && x < v {
			v = x
		}
	}
	return v
}

// personFields is a record without what says where it came from (file,
// its format, sheet, row, batch, ids): what a row says about its person.
// The same list saved as .xlsx from its .csv says the same of everyone.
// The columns schema version ver did not read are left empty: compared
// with a record of that version, a value there is no change.
func personFields(r *schemas.Record, ver int) schemas.Record {
	x := *r
	x.RecordID, x.SchemaVersion, x.SourceKind, x.SourceFile, x.FileHash, x.Sheet, x.Row, x.ImportBatch = "", 0, "", "", "", "", 0, ""
	x.SourceDate = time.Time{}
	if len(x.OCRConfidence) == 0 {
		x.OCRConfidence = nil // ClickHouse gives an empty map for none
	}
	if ver < schemas.Version {
		v := reflect.ValueOf(&x).Elem()
		for i := range v.NumField() {
			if col := v.Type().Field(i).Tag.Get("ch"); col != "" && schemas.AddedIn(col) > ver {
				v.Field(i).SetZero()
			}
		}
	}
	return x
}

func content(r *schemas.Record, ver int) string {
	b, _ := json.Marshal(personFields(r, ver))
	return string(b)
}

// derivedFrom names the columns read from another one: shown only when
// that one did not change too (a name's parts, a date's year, an
// address's unit codes).
var derivedFrom = map[string]string{
	"family_name": "full_name", "middle_name": "full_name", "given_name": "full_name", "birth_year": "birth_date",
	"perm_province_code": "perm_address", "perm_district_code": "perm_address", "perm_commune_code": "perm_address",
	"perm_new_province_code": "perm_address", "perm_new_commune_code": "perm_address",
	"cur_province_code": "cur_address", "cur_district_code": "cur_address", "cur_commune_code": "cur_address",
	"cur_new_province_code": "cur_address", "cur_new_commune_code": "cur_address",
}

// maskedField is a value of column col as the dry run may show it: names
// and numbers masked, as in its first rows.
func maskedField(col string, v any) string {
	s := fmt.Sprint(v)
	switch {
	case col == "ocr_confidence":
		return "…"
	case strings.HasSuffix(col, "_name") || col == "household_head":
		s = vn.MaskName(s)
	case col == "remark":
		s = ingest.MaskText(s) // free text: the names in it masked
	case col == "id_number" || col == "cmnd" || strings.HasSuffix(col, "_id") && col != "form_id":
		s = vn.MaskID(s)
	}
	return strconv.Quote(s)
}

// changedFields says which fields differ between a (the old row) and b,
// by the column names the dry run's rows use, with the values, masked:
// `birth_date "1985-07-02" → "1986-07-02"`. A field read from another
// that changed too (a name's parts) is left out.
func changedFields(a, b *schemas.Record, ver int) []string {
	va, vb := reflect.ValueOf(personFields(a, ver)), reflect.ValueOf(personFields(b, ver))
	type change struct {
		col  string
		x, y any
	}
	var cs []change
	changed := map[string]bool{}
	for i := range va.NumField() {
		col := va.Type().Field(i).Tag.Get("ch")
		if x, y := va.Field(i).Interface(), vb.Field(i).Interface(); col != "" && !reflect.DeepEqual(x, y) {
			changed[col] = true
			cs = append(cs, change{col, x, y})
		}
	}
	var out []string
	for _, c := range cs {
		if !changed[derivedFrom[c.col]] {
			out = append(out, c.col+" "+maskedField(c.col, c.x)+" → "+maskedField(c.col, c.y))
		}
	}
	return out
}

// place names a record's row as the import's messages do (rowPlace; a
// record does not say its file's format, and is read as a row).
func place(r *schemas.Record) string { return rowPlace("", r.Sheet, int(r.Row)) }

// replaceReport is what --report says of a replacement.
type replaceReport struct {
	Replaces  string   `json:"replaces"`
	Batch     string   `json:"batch"`
	Withdrawn int      `json:"withdrawn"` // record ids withdrawn (or, dry, to be)
	Messages  int      `json:"messages"`
	Rows      *rowDiff `json:"rows,omitempty"` // --dry-run
	// DoneAlready: the same replacement was made by an earlier run;
	// nothing was published (or, dry, would be).
	DoneAlready bool `json:"done_already,omitempty"`
	// ReplacedSince: done already, and the file replaced since; the
	// batch of the list in force now, which a later correction names.
	ReplacedSince string `json:"replaced_since,omitempty"`
}

// replace withdraws the records of old now that the corrected file path
// (d) is published, or, dry (cur: its records), says what would be
// withdrawn and how the rows compare.
func replace(ctx context.Context, g *globals, o *importOptions, path string, d ingest.Description, loaded time.Time, old *replaced, cur *[]schemas.Record) (*replaceReport, error) {
	rep := &replaceReport{Replaces: old.name, Batch: old.batch}
	partitions := []int{0} // dry: the partitions change the messages, not what they withdraw
	if !o.dryRun {
		ps, err := pipelines.RecordsPartitions(ctx, splitList(g.kafka))
		if err != nil {
			return rep, fmt.Errorf("import %s --replaces %s: %w", path, old.name, err)
		}
		partitions = ps
	}
	ws := old.plan(d.Batch, d.FileHash, loaded, partitions)
	rep.Withdrawn, rep.Messages = pipelines.Withdrawn(ws), len(ws)
	if o.dryRun {
		old.comparable(*cur)
		diff := diffRows(old.recs, *cur, o.showRows)
		rep.Rows = &diff
		against := old.name + " (batch " + old.batch + ")"
		if old.enriched {
			// A batch: its file, as imported, is what the team knows.
			against = old.recs[0].SourceFile + " (batch " + old.batch + ", read from ClickHouse)"
		}
		fmt.Fprintf(g.stdout, "against %s: %d rows unchanged, %d changed, %d new, %d gone\n",
			against, diff.Unchanged, diff.Changed, diff.New, diff.Gone)
		if len(diff.NotCompared) > 0 {
			fmt.Fprintf(g.stdout, "  not compared: %s — batch %s was imported by a dancu of schema version %d, which did not read them (its records have them empty); the corrected file's records will have them\n",
				strings.Join(diff.NotCompared, ", "), old.batch, readBy(old.recs))
		}
		for _, e := range diff.Examples {
			fmt.Fprintf(g.stdout, "  %s\n", e)
		}
		if err := old.sharesRows(path, diff); err != nil {
			return rep, err
		}
		fmt.Fprintf(g.stdout, "would withdraw %d records of batch %s (all of them: record ids are the file's; the corrected file's rows are its records now)\n",
			rep.Withdrawn, old.batch)
		return rep, nil
	}
	if err := pipelines.PublishWithdrawals(ctx, splitList(g.kafka), nil, ws); err != nil {
		return rep, fmt.Errorf("import %s --replaces %s: %w (the file is published; run the same command again to withdraw the old records)", path, old.name, err)
	}
	// Published, not applied: the match stage may be down or behind.
	fmt.Fprintf(g.stdout, "replaces %s: %d records of batch %s withdrawn once the match stage reaches them (%d messages, after the corrected rows; dancu run's match_lag says how far behind it is)\n",
		old.name, rep.Withdrawn, old.batch, rep.Messages)
	return rep, nil
}
