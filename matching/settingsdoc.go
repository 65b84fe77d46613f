package matching

import (
	"fmt"
	"strings"
)

// OpDoc documents one comparison level op.
type OpDoc struct {
	Op, Summary, Example string
}

// TransformDoc documents one column transform.
type TransformDoc struct {
	Name, Summary, Example string
}

// LevelOps lists every comparison level op with an example level.
var LevelOps = []OpDoc{
	{"exact", "Column equal on both sides (both present); tf adjusts by the value's frequency", `{label: exact, op: exact, column: surname, tf: surname}`},
	{"exact_any", "some column of columns equal on both sides", `{label: same commune, op: exact_any, columns: [perm_commune, cur_commune]}`},
	{"exact_all", "every column of columns present and equal on both sides", `{label: both parents, op: exact_all, columns: [father, mother]}`},
	{"jw", "Jaro–Winkler similarity of column ≥ threshold (0..1)", `{label: "jw ≥ 0.9", op: jw, column: surname, threshold: 0.9}`},
	{"edit", "optimal string alignment distance of column ≤ max", `{label: two edits, op: edit, column: dob_s, max: 2}`},
	{"one_edit", "column within one substitution, insertion, deletion or transposition", `{label: one typo, op: one_edit, column: postcode}`},
	{"one_missing", "column present on exactly one side (a middle name left out)", `{label: missing on one side, op: one_missing, column: middle}`},
	{"disjoint", "no column of columns present on both sides (one record has the new number, the other the old one)", `{label: CMND against number, op: disjoint, columns: [id, cmnd]}`},
	{"cross", "column of one side equals other of the other side (first and last name swapped)", `{label: swapped, op: cross, column: first_name, other: surname}`},
	{"ocr_edit", "column within cost threshold, where a scanner look-alike (N↔M, H↔B, U↔V, I↔T) costs the lower OCR confidence of the two fields (1 for typed text) and any other edit 2: one look-alike on typed text, two at confidence 0.5 for threshold 1", `{label: OCR look-alikes, op: ocr_edit, column: given_key, threshold: 1}`},
	{"words_subset", "the words of one side's column are all among the other's (a middle name added or dropped)", `{label: middle names added, op: words_subset, column: middle_key}`},
	{"date_month", "years and months equal (a day unknown or written 00)", `{label: same month, op: date_month, column: dob}`},
	{"finest_unit", "columns are one address's units, finest first, each `a|b` for its columns in either era: holds when the finest unit both sides name is unit max (0 = first) and they agree there — districts compared when one side lacks the commune", `{label: "same district, commune unknown", op: finest_unit, columns: ["commune|new_commune", district, "province|new_province"], max: 1}`},
	{"date_digit", "full dates one digit apart written YYYYMMDD, whatever format each side was written in (2014-05-12 and 12/05/2814: a misread digit)", `{label: one digit off, op: date_digit, column: dob}`},
	{"date_exact", "full dates equal (a date column)", `{label: exact, op: date_exact, column: dob}`},
	{"date_swapped", "day and month swapped, year equal", `{label: day and month swapped, op: date_swapped, column: dob}`},
	{"date_year_only", "years equal and one date (or both) known to the year only", `{label: year only, op: date_year_only, column: dob}`},
	{"date_year", "years equal", `{label: same year, op: date_year, column: dob}`},
	{"date_days", "full dates within max days", `{label: within a month, op: date_days, column: dob, max: 31}`},
	{"date_years", "years within max", `{label: "±1 year", op: date_years, column: dob, max: 1}`},
}

// Transforms lists every column transform with an example.
var Transforms = []TransformDoc{
	{"lower", "lower case", `" Müller " → "müller"`},
	{"fold", "strip diacritics (Vietnamese and Latin), lower case", `"Nguyễn" → "nguyen"`},
	{"trim", "collapse inner spaces", `"Le  Van" → "Le Van"`},
	{"digits", "keep digits only", `"0912-345 678" → "0912345678"`},
	{"alnum", "keep letters and digits, lower case", `"O'Brien" → "obrien"`},
	{"first:N", "first N characters", `first:3 on "Katharina" → "Kat"`},
	{"first_word", "first word", `"Anna Maria" → "Anna"`},
	{"last_word", "last word", `"Anna Maria" → "Maria"`},
	{"soundex", "American Soundex code", `"Robert" → "R163"`},
	{"ocr_class", "lower case, scanner look-alikes as one letter (m→n, b→h, v→u, t→i), for blocking keys of scanned names", `"NGVYỄM" → "nguyễn"`},
	{"regex:PATTERN", "the first match of PATTERN (Go syntax), or its one capture group; no match is missing", `regex:([0-9]{5}) on "Berlin 10115" → "10115"`},
}

// SettingsDoc returns the settings language reference (Markdown), as
// printed by dancu settings doc and kept in matching/SETTINGS.md.
func SettingsDoc() string {
	var b strings.Builder
	b.WriteString(`# Writing linkage settings

A settings file (YAML, or JSON) tells dancu how to compare records of one
layout. Write it from what each column means; never pick a threshold or a
level by looking at how well it scores against known answers. Check it with
` + "`dancu settings check FILE`" + ` (errors name the setting and its line) and look
at its blocking with ` + "`dancu link --analyse-blocking`" + ` (key values masked;
` + "`--unmasked`" + ` shows them when you may see the data).

` + "```yaml" + `
version: 1
name: people
link_type: dedupe_only          # or link_only (pairs across files), link_and_dedupe
missing: [NA, "-", "không rõ"]  # values meaning "none" in every column (default below)
columns:
  - {name: first, transforms: [lower, trim]}
  - {name: last, transforms: [lower, trim]}
  - {name: last_sx, from: last, transforms: [soundex]}
  - {name: dob, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: postcode, kind: code, transforms: ["regex:([0-9]{5})"]}
blocking:                       # pairs agreeing on all keys become candidates
  - {name: last_year, keys: [last_sx, dob.year]}
  - {name: first_postcode, keys: [first, postcode]}
comparisons:                    # levels: first that holds wins; null and else are implicit
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
      - {label: "jw ≥ 0.9", op: jw, column: first, threshold: 0.9}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: swapped, op: date_swapped, column: dob}
      - {label: "±1 year", op: date_years, column: dob, max: 1}
guards:                         # a person never holds two of these
  - {kind: year_span, column: dob, max: 2}
training:
  deterministic:                # optional: λ from sure rules and their recall
    - {name: name_dob, keys: [first, last, dob]}
  recall: 0.7
thresholds: {match: 0.5, review: 0.1}
` + "```" + `

## Columns

Each column is read from the input field ` + "`from`" + ` (default: its name), cleared
when its value is one of the missing tokens, then transformed in order.

- ` + "`kind`" + `: text (default; Jaro–Winkler capable), code (compared on bytes), date.
- ` + "`missing`" + `: this column's own missing tokens (trimmed, case ignored). Default:
  the settings' ` + "`missing`" + `, else ` + missingList() + `.
- ` + "`date_format`" + ` (dates): dmy (default: 31/12/1990, 31.12.90, 31 Dec 1990), mdy
  (12/31/1990, Dec 31 1990) or ymd (1990/12/31). ISO 1990-12-31, 19901231,
  1990-12 and 1990 read the same in every format; English month names, full or
  three letters, and the Vietnamese words ngày / tháng / năm are read; a day of
  00 leaves the month.
- ` + "`pivot`" + ` (dates): a two-digit year yy is 20yy below the pivot, else 19yy. Default 30.
- ` + "`date_parts: {year: Y, month: M, day: D}`" + `: a date built from separate columns
  (month may be a number or a name; month and day may be left out).
  Dates that are not blank but cannot be read are counted and reported by
  ` + "`dancu link`" + ` (column, count, first record), never silently dropped.
- ` + "`inputs`" + `: the input fields the column derives from, when not just ` + "`from`" + `.
  Training leaves a comparison out of a blocking rule's EM session when any
  of its columns shares an input with the rule's keys (a soundex of the
  surname derives from the surname); declare inputs for columns you derive
  outside the settings.
- ` + "`confidence`" + `: an OCR confidence key whose value scales the comparison.

A blocking key or sort column may be written ` + "`col.year`" + ` for a date's year.

### Transforms

| transform | what it does | example |
|---|---|---|
`)
	for _, t := range Transforms {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", t.Name, t.Summary, strings.ReplaceAll(t.Example, "|", "\\|"))
	}
	b.WriteString(`
## Comparison levels

A comparison is a list of levels; a pair gets the first level that holds.
Before them comes the null level (one side has none of ` + "`null_columns`" + `; no
weight) and after them "else". ` + "`tf: COLUMN`" + ` on a level adjusts its weight by how
common the value is. Training learns m and u of each level; you never give
weights.

Comparisons are counted as independent evidence. Columns that record one
fact — a city and its postcode, the addresses and parents a household
shares — belong in one comparison, as its levels (postcode exact, then
city exact), not in two comparisons that would count the same agreement
twice and make λ and the scores too generous.

| op | holds when | example |
|---|---|---|
`)
	for _, o := range LevelOps {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", o.Op, strings.ReplaceAll(o.Summary, "|", "\\|"), strings.ReplaceAll(o.Example, "|", "\\|"))
	}
	b.WriteString(`
## Guards, vetoes and clustering

- ` + "`guards`" + `: ` + "`{kind: distinct, column: C}`" + ` — a person holds one value of C
  (` + "`max: 1`" + ` lets values one edit apart count as one);
  ` + "`{kind: year_span, column: D, max: N}`" + ` — a person's birth years span at most N.
- ` + "`vetoes`" + `: ` + "`{comparison: given_name, levels: [else]}`" + ` keeps such pairs apart
  whatever else agrees (twins).
- Clustering is the same for every settings file: pairs at or above the match
  probability join persons strongest first, when the guards allow and the
  two clusters' cross pairs average the match probability (average linkage).
  ` + "`dancu link`" + ` prints the largest clusters and flags implausible ones.
- ` + "`thresholds`" + `: match 0.5 and review 0.1 by default; keep them.

## Training

Without labels: u from random pairs; m by EM over each blocking rule's pairs
(one session per rule, or per ` + "`training.rules`" + `; a session whose m lies far from
the others' median is left out of it and named); λ by EM over all candidate
pairs, bounded by the confident pairs (every comparison exact) over their
recall when EM's is over 3× larger, or from ` + "`training.deterministic`" + ` rules' pairs
divided by ` + "`training.recall`" + ` (default 0.7). Two comparisons of one fact (a
postcode and its city: among random pairs where one agrees the other
nearly always does, far more often than overall) are found and folded: the
later one adds nothing when both agree (` + "`model.folded`" + `). ` + "`dancu train`" + ` and
` + "`link`" + ` warn, and fail with ` + "`--strict`" + `, when comparisons are folded, when a session
matches over 0.9 of its pairs and claims more matches than the whole model
(a precise rule such as an identification number does not), when sessions
disagree on a comparison's m, when λ implies more than five matching pairs
per record, or when EM and the deterministic rules differ over 3× on λ.
`)
	return b.String()
}

func missingList() string {
	q := make([]string, len(DefaultMissing))
	for i, m := range DefaultMissing {
		q[i] = "`" + m + "`"
	}
	return strings.Join(q, ", ")
}
