package settings

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// opDoc documents one comparison level op.
type opDoc struct {
	Op, Summary, Example string
}

// transformDoc documents one column transform.
type transformDoc struct {
	Name, Summary, Example string
}

// opDocs lists every comparison level op with an example level.
var opDocs = []opDoc{
	{"exact", "Column equal on both sides (both present); tf adjusts by the value's frequency", `{label: exact, op: exact, column: surname, tf: surname}`},
	{"exact_any", "some column of columns equal on both sides", `{label: same commune, op: exact_any, columns: [perm_commune, cur_commune]}`},
	{"exact_all", "every column of columns present and equal on both sides", `{label: both parents, op: exact_all, columns: [father, mother]}`},
	{"jw", "Jaro–Winkler similarity of column ≥ threshold (0..1)", `{label: "jw ≥ 0.9", op: jw, column: surname, threshold: 0.9}`},
	{"edit", "optimal string alignment distance of column ≤ max", `{label: two edits, op: edit, column: dob_s, max: 2}`},
	{"one_edit", "column within one substitution, insertion, deletion or transposition", `{label: one typo, op: one_edit, column: postcode}`},
	{"one_missing", "column present on exactly one side (a middle name left out)", `{label: missing on one side, op: one_missing, column: middle}`},
	{"disjoint", "no column of columns present on both sides (one record has the new number, the other the old one)", `{label: CMND against number, op: disjoint, columns: [id, cmnd]}`},
	{"cross", "column of one side equals other of the other side (first and last name swapped); both names swapped with one of them mistyped is a full swap; weighs no more than the comparison's first level when that is exact on column", `{label: swapped, op: cross, column: first_name, other: surname}`},
	{"ocr_edit", "column within cost threshold, where a scanner look-alike (N↔M, H↔B, U↔V, I↔T) costs the lower OCR confidence of the two fields (1 for typed text) and any other edit 2: one look-alike on typed text, two at confidence 0.5 for threshold 1", `{label: OCR look-alikes, op: ocr_edit, column: given_key, threshold: 1}`},
	{"words_subset", "the words of one side's column are all among the other's (a middle name added or dropped)", `{label: middle names added, op: words_subset, column: middle_key}`},
	{"first_word_moved", "one side's column is the other's with its first word moved to the end (a given name written first: \"an nguyen van\" for \"nguyen van an\"); a later comparison holding the same level on the same column is null where an earlier one lands on it, so the names' several comparisons count the order once", `{label: given name written first, op: first_word_moved, column: name_key}`},
	{"date_month", "years and months equal, whatever the days: both known and different, unknown (written 00) or one date known to the month only — equal full dates land on an earlier date_exact level", `{label: same month, op: date_month, column: dob}`},
	{"finest_unit", "columns are one address's units, finest first, each `a|b` for its columns in either era: holds when the finest unit both sides name is unit max (0 = first) and they agree there — districts compared when one side lacks the commune", `{label: "same district, commune unknown", op: finest_unit, columns: ["commune|new_commune", district, "province|new_province"], max: 1}`},
	{"date_digit", "full dates one digit apart written YYYYMMDD, whatever format each side was written in (2014-05-12 and 12/05/2814: a misread digit), or a year one apart with the same month and day (1969-08-01 and 1970-08-01: a year off by one across a decade)", `{label: one digit off, op: date_digit, column: dob}`},
	{"date_exact", "full dates equal (a date column)", `{label: exact, op: date_exact, column: dob}`},
	{"date_swapped", "day and month swapped, year equal", `{label: day and month swapped, op: date_swapped, column: dob}`},
	{"date_year_only", "years equal and one date (or both) known to the year only", `{label: year only, op: date_year_only, column: dob}`},
	{"date_year", "years equal", `{label: same year, op: date_year, column: dob}`},
	{"date_days", "full dates within max days", `{label: within a month, op: date_days, column: dob, max: 31}`},
	{"date_years", "years within max", `{label: "±1 year", op: date_years, column: dob, max: 1}`},
	{"date_birthday", "full dates whose month and day are within max days of each other, whatever the years (29 February as 1 March): a year mistyped, or a date moved by whole years; put it after the levels on the whole date", `{label: birthday within a week, op: date_birthday, column: dob, max: 7}`},
}

// transformDocs lists every column transform with an example.
var transformDocs = []transformDoc{
	{"lower", "lower case", `" Müller " → "müller"`},
	{"fold", "strip diacritics (Vietnamese and Latin), lower case", `"Nguyễn" → "nguyen"`},
	{"trim", "collapse inner spaces", `"Le  Van" → "Le Van"`},
	{"digits", "keep digits only", `"0912-345 678" → "0912345678"`},
	{"alnum", "keep letters and digits, lower case", `"O'Brien" → "obrien"`},
	{"first:N", "first N characters", `first:3 on "Katharina" → "Kat"`},
	{"first_word", "first word", `"Anna Maria" → "Anna"`},
	{"last_word", "last word", `"Anna Maria" → "Maria"`},
	{"soundex", "American Soundex code of the letters a–z; other letters are skipped, so put fold first (Ümit: U530 with fold, M300 without); letters fold keeps (ß, ø, æ, ł) are still skipped (Weiß: W000, Weiss: W200)", `"Robert" → "R163"`},
	{"ocr_class", "lower case, scanner look-alikes as one letter (m→n, b→h, v→u, t→i), for blocking keys of scanned names", `"NGVYỄM" → "nguyễn"`},
	{"sorted_words", "words in sorted order: with join, a key that ignores which column held which name", `"Weiß Jürgen" → "Jürgen Weiß"`},
	{"regex:PATTERN", "the first match of PATTERN (Go syntax), or its one capture group; no match is missing. A pattern anchored at both ends (^…$), without a group, made of single characters (letters, classes, .) and at most one .* — the whole value or nothing —, or with one group, no .* and ASCII characters alone (its group's bytes at a fixed place), is checked byte by byte, with no regular expression machine: cheap on every record", `regex:([0-9]{5}) on "Berlin 10115" → "10115"`},
}

// Ops lists the comparison level ops the settings accept, in the order
// Doc documents them. The engine (package matching) implements each; its
// tests check that it does.
func Ops() []string {
	out := make([]string, len(opDocs))
	for i, o := range opDocs {
		out[i] = o.Op
	}
	return out
}

// Transforms lists the column transforms the settings accept, as Doc
// documents them: first:N and regex:PATTERN stand for their family.
func Transforms() []string {
	out := make([]string, len(transformDocs))
	for i, t := range transformDocs {
		out[i] = t.Name
	}
	return out
}

// isOp says whether op is a documented comparison level op.
func isOp(op string) bool {
	for _, o := range opDocs {
		if o.Op == op {
			return true
		}
	}
	return false
}

// checkTransform says what is wrong with a column transform: not one of
// transformDocs, or a first:N or regex:PATTERN whose parameter is bad.
func checkTransform(t string) error {
	if n, ok := strings.CutPrefix(t, "first:"); ok {
		if k, err := strconv.Atoi(n); err != nil || k <= 0 {
			return fmt.Errorf("%q: first:N needs a positive number", t)
		}
		return nil
	}
	if pat, ok := strings.CutPrefix(t, "regex:"); ok {
		re, err := regexp.Compile(pat)
		if err != nil {
			return fmt.Errorf("%q: %v", t, err)
		}
		if re.NumSubexp() > 1 {
			return fmt.Errorf("%q: at most one capture group", t)
		}
		return nil
	}
	for _, d := range transformDocs {
		if d.Name == t && !strings.Contains(d.Name, ":") {
			return nil
		}
	}
	return fmt.Errorf("unknown %q", t)
}

// Doc returns the settings language reference (Markdown), as printed by
// dancu settings doc and kept in matching/SETTINGS.md.
func Doc() string {
	var b strings.Builder
	b.WriteString(`# Writing linkage settings

A settings file (YAML, or JSON) tells dancu how to compare records of one
layout. Write it from what each column means; never pick a threshold or a
level by looking at how well it scores against known answers. Check it with
` + "`dancu settings check FILE`" + ` (errors name the setting and its line) and look
at its blocking with ` + "`dancu link --analyse-blocking`" + ` (key values masked;
` + "`--unmasked`" + ` shows them when you may see the data). A CSV or XLSX not in
the Vietnamese register layout also needs a mapping file naming its record
id column: see "Reading your CSV" below. This page is what
` + "`dancu settings doc`" + ` prints (matching/SETTINGS.md).

` + "```yaml" + `
version: 1
name: people
link_type: dedupe_only          # duplicates among all records; link_only: pairs across files only; link_and_dedupe: both
missing: [NA, "-", "không rõ"]  # values meaning "none" in every column (default below)
columns:
  - {name: first, from: first_name, transforms: [fold, trim]}
  - {name: last, from: last_name, transforms: [fold, trim]}
  - {name: first_sx, from: first_name, transforms: [soundex]}
  - {name: last_sx, from: last_name, transforms: [soundex]}
  - {name: names, join: [first_name, last_name], transforms: [fold, sorted_words]}  # either order
  - {name: dob, date_parts: {year: birth_year, month: birth_month, day: birth_day}}
  - {name: city, transforms: [fold, trim]}
  - {name: postcode, kind: code, transforms: ["regex:([0-9]{5})"]}
blocking:                       # pairs agreeing on all keys of one rule become candidates
  - {name: names, keys: [names]}             # both names, even swapped
  - {name: dob, keys: [dob]}                 # names both wrong
  - {name: last_city, keys: [last_sx, city]} # first name and date wrong
  - {name: first_city, keys: [first_sx, city]}
  - {name: first_year, keys: [first_sx, dob.year]}
comparisons:                    # levels: first that holds wins; null and else are implicit
  - name: first
    null_columns: [first]
    levels:
      - {label: exact, op: exact, column: first, tf: first}
      - {label: "jw ≥ 0.9", op: jw, column: first, threshold: 0.9}
      - {label: swapped with last, op: cross, column: first, other: last}
      - {label: "jw ≥ 0.8", op: jw, column: first, threshold: 0.8}
  - name: last
    null_columns: [last]
    levels:
      - {label: exact, op: exact, column: last, tf: last}
      - {label: "jw ≥ 0.9", op: jw, column: last, threshold: 0.9}
      - {label: swapped with first, op: cross, column: last, other: first}
      - {label: "jw ≥ 0.8", op: jw, column: last, threshold: 0.8}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: swapped, op: date_swapped, column: dob}
      - {label: same month, op: date_month, column: dob}
      - {label: one digit off, op: date_digit, column: dob}
      - {label: year only, op: date_year_only, column: dob}
      - {label: "±1 year", op: date_years, column: dob, max: 1}
  - name: place                 # a city and its postcode are one fact: one comparison
    null_columns: [postcode, city]
    levels:
      - {label: postcode exact, op: exact, column: postcode}
      - {label: city exact, op: exact, column: city, tf: city}
      - {label: "city jw ≥ 0.9", op: jw, column: city, threshold: 0.9}
guards:                         # a person never holds two of these
  - {kind: year_span, column: dob, max: 2}
thresholds: {match: 0.5, review: 0.1}
` + "```" + `

Then ` + "`dancu settings check FILE`" + `: it also names the fields whose errors
escape every blocking rule (below).

## Reading your CSV: the mapping file

` + "`dancu link`" + `, ` + "`train`" + ` and ` + "`explain`" + ` read Vietnamese register spreadsheets and
scanned forms as they come. Any other CSV (comma separated, first row the
header) or XLSX (first sheet) is read through a mapping file, a few lines
of YAML given with ` + "`--mapping`" + `; without one such a file is refused ("no
header row found … name its columns in a mapping file"). The settings say
how records are compared; the mapping says how this file is read, so the
record id is set here — a settings file has no ` + "`id`" + `.

` + "```yaml" + `
# people_mapping.yaml
id: person_ref          # the column holding each record's id
settings: people.yaml   # settings, relative to this file; --settings FILE overrides
rename:                 # optional: a field the settings read → this file's column
  last_name: surname
` + "```" + `

- ` + "`id`" + `: default ` + "`Mã bản ghi`" + `, ` + "`record_id`" + ` or ` + "`source_record_id`" + ` when the header
  has one, else FILE:LINE. An empty mapping ` + "`{}`" + ` reads the header with those
  defaults. Name it whenever a truth will score the link: ` + "`dancu eval`" + ` pairs
  the output's record_id with the truth's id column (` + "`rec_id`" + `, ` + "`unique_id`" + `, …),
  and FILE:LINE ids match none of them.
- ` + "`from`" + `, ` + "`join`" + ` and ` + "`date_parts`" + ` in the settings name header columns (case
  ignored), through ` + "`rename`" + `. A field the header lacks is an error naming the
  column, the field and the header, never a column left blank.
- ` + "`settings`" + `: a path, or an embedded name (febrl, fake_1000). With neither
  this nor ` + "`--settings`" + `, the Vietnamese settings are used, and they read the
  register layout only.
- ` + "`link_type`" + `: overrides the settings' when several ` + "`--in`" + ` files are given
  (link_only: two files without duplicates inside each).
- ` + "`" + `rename` + "`" + ` also takes ` + "`" + `{column: C, regex: RE, values: {…}}` + "`" + `: the field is
  the first match of RE in column C (or its one group; no match reads as
  blank), then looked up in values (trimmed, case ignored; a value not
  listed stays as it is). A full name gives a first name, a date in one
  column its year, a sex written 1/2 reads as another file's M/F.
- ` + "`" + `files` + "`" + `: for a link of files of different layouts, each file (by its
  name, without the directory) with its own ` + "`" + `id` + "`" + ` and ` + "`" + `rename` + "`" + ` (added to
  the renames above). Write the settings for the fields once, named as
  you like, and say in each file's entry where they are:

  ` + "`" + `` + "`" + `` + "`" + `yaml
  # hospital.csv: patient_id, full_name, dob (31/12/1990), sex (M/F), postcode, phone
  # electoral.csv: voter_id, first_name, last_name, birth_year, birth_month,
  #                birth_day, sex (1/2), address ("12 Mill Lane, Selby 28125")
  settings: people.yaml      # reads first_name, last_name, birth_year/month/day, sex, postcode
  link_type: link_only
  files:
    hospital.csv:
      id: patient_id
      rename:
        first_name: {column: full_name, regex: "^(\\S+)"}
        last_name: {column: full_name, regex: "(\\S+)$"}
        birth_year: {column: dob, regex: "([0-9]{4})$"}
        birth_month: {column: dob, regex: "^[0-9]{1,2}/([0-9]{1,2})/"}
        birth_day: {column: dob, regex: "^([0-9]{1,2})/"}
    electoral.csv:
      id: voter_id
      rename:
        sex: {column: sex, values: {"1": M, "2": F}}
        postcode: {column: address, regex: "([0-9]{5})$"}
  ` + "`" + `` + "`" + `` + "`" + `

  then ` + "`" + `dancu link --in hospital.csv --in electoral.csv --mapping it.yaml …` + "`" + `.
  A field only one file has (the phone) compares nothing across files:
  leave it out of the comparisons of a link_only.
- ` + "`truth: {column: C, pattern: RE}`" + `: where ` + "`dancu eval --mapping`" + ` and
  ` + "`dancu link --truth`" + ` find each record's true person (RE's one group, when given:
  FEBRL's ` + "`{column: rec_id, pattern: \"rec-([0-9]+)-\"}`" + `); not needed to link.
  Without it a truth file needs a cluster column (` + "`person_id`" + `, ` + "`cluster`" + `,
  ` + "`cluster_id`" + ` or ` + "`entity_id`" + `) beside its id column.

` + "```sh" + `
dancu settings check people.yaml
dancu link --in people.csv --mapping people_mapping.yaml --analyse-blocking
dancu train --in people.csv --mapping people_mapping.yaml --out people_trained.yaml
dancu link --in people.csv --mapping people_mapping.yaml --settings people_trained.yaml --out clusters.csv
dancu eval --truth people.csv --mapping people_mapping.yaml --pred clusters.csv  # when a file holds the truth
` + "```" + `

` + "`dancu train`" + ` writes the settings with the trained model; give that file to
` + "`link`" + ` (otherwise ` + "`link`" + ` trains again on its input). With a truth,
` + "`dancu link --analyse-blocking --truth FILE`" + ` prints the share of true pairs each
rule proposes, and ` + "`dancu eval`" + ` the pairwise and B-cubed precision, recall
and F1 of the clusters at the settings' match threshold: the blind
operating point, not a best threshold chosen with the labels. Labelled
pairs (` + "`record_id_l`" + `, ` + "`record_id_r`" + `, ` + "`match`" + `, as fake_1000_labels.csv) are
not scored by ` + "`eval`" + `: ` + "`dancu train --labels`" + ` adds them to the m estimate.

## Blocking that finds the matches

Blocking decides which pairs are compared at all: a matching pair no rule
proposes is lost, whatever the comparisons say. Typos, blanks and swaps hit
the very fields rules key on, so write several rules and build them so
that **a pair with any one or two identifying fields wrong still agrees on
all keys of some rule**:

1. List the identifying fields: first name, last name, date of birth (or
   each of its year, month and day columns), place (city, postcode),
   and any number.
2. For every two of those fields, some rule must key on neither. With
   first, last, date and place that is: both names (` + "`names`" + ` above), the date
   alone, the last name with the place, the first name with the place. A
   rule on ` + "`dob`" + ` built from parts keys on all three date columns; ` + "`dob.year`" + `
   on the year column only.
3. Key one rule on both names joined in either order (` + "`join`" + ` the two
   fields, ` + "`sorted_words`" + `): records whose first and last names were entered
   in each other's columns agree on nothing else by name. In the
   comparisons, give both name comparisons a ` + "`cross`" + ` level.
   The rules are alternatives (a pair is a candidate when it agrees on all
   keys of any one rule), and a rule leaves out every record lacking one of
   its keys, as a blank never equals a blank; but ` + "`join`" + ` leaves a blank
   part out, so a record with one name blank is keyed on the other name
   alone and meets every record with that name alone — where names are
   often blank, a block of all who share a common surname. There, key the
   both-names rule on the two columns (` + "`keys: [first, last]`" + `; on a
   dedupe with a third of every field blank that made 40% fewer candidate
   pairs at the same F1) and add the joined rule only if names are swapped.
4. Prefer a phonetic or shortened key (` + "`soundex`" + `, ` + "`first:3`" + `) to the raw name when
   the rule has another key; a typo then still meets the block.
5. Keep each rule selective enough: ` + "`dancu link --analyse-blocking`" + ` prints the
   pairs each rule makes and its largest blocks. Up to about 50 pairs per
   record over all rules is cheap; a block of thousands (a common surname
   alone in a big population) needs a second key, or ` + "`max_block`" + `: a block of
   more than ` + "`max_block`" + ` records is not compared all against all; its records
   are sorted by ` + "`sort_by`" + ` (columns; default the input order) and each is
   compared with the ` + "`window`" + ` records after it (default 50), about
   records × window pairs instead of records²/2:
   ` + "`{name: last_year, keys: [last_sx, dob.year], max_block: 500, sort_by: [first], window: 20}`" + `.
   For a population that will grow, give every rule on names or dates a
   ` + "`max_block`" + ` of at most 2·window+1: a block under ` + "`max_block`" + ` is compared
   all against all and fills with namesakes as the population grows (a
   common surname with a birth date: 17 records at a million, 35 at two
   million), while with it a record meets at most 2·window others per rule
   whatever the size. Choose the window from what it must reach — a
   person's own records, which sort together when ` + "`sort_by`" + ` is a field
   they share, and a namesake or two between them — not from the
   population: the Vietnamese settings use window 5 and ` + "`max_block`" + ` 11.
6. When records carry several errors each — re-keyed lists where a
   quarter of every field is mistyped, moved or blank — many pairs of one
   person share only one field exactly, and one field alone (a town, a
   common first name) makes blocks far too large in a big population: a
   one-field rule's pairs per record grow with the number of records (29
   per record at 20,000 records is about 1,450 at a million). The warning
   below offers a rule on a column alone only when it stays under about 50
   pairs per record on the input at hand; for a population that will grow,
   or above that, pair the field with a coarse part of another. Pair each such field
   with a coarse part of another: the place with the date's year and with
   its birthday (` + "`dob.monthday`" + `: a year typo keeps it), each name's
   soundex with the birthday as well as with the year (on fake_1000's
   profile these four rules took the share of matching pairs proposed from
   0.79 to 0.82; what no rule finds, clustering may still join through the
   person's other records). A pair that shares one common field and
   nothing else (a surname, a town, the rest blank) is worth blocking only
   if its comparisons can link it: on a dedupe with a third of every field
   blank, rules on the surname, the first name and the town alone took the
   share of matching pairs proposed from 0.78 to 0.92 and linked none more
   (F1 0.825 and 0.821) — so little evidence scores below any threshold.
   ` + "`dancu train`" + ` says how much of the recall the records allow:
   "evidence: the model scores 0.65 of the matches at or above the match
   threshold, whichever rule proposes them" (from m and how often each
   comparison is blank on either side). Below that share no rule, level
   or training helps — on that dedupe, m, u and λ fitted from the labels
   themselves linked no more (F1 0.825 against 0.823) — only more fields
   or fewer blanks.

` + "`dancu settings check`" + ` and ` + "`dancu train`" + ` name any one or two fields every rule keys
on ("blocking warning"). ` + "`dancu train`" + ` and ` + "`link`" + ` also score every candidate pair and
estimate how many matches no rule proposes: matches found by a single rule
are those the other rules missed, and from the expected matches found by
exactly one and by exactly two rules the number found by none is estimated
(capture–recapture, Chao's f1²/2f2). Rules that find nearly the same
matches — an exact e-mail beside its user part, the surname with the
postcode beside the surname with the city — count as one ("counted with …"
in the rule lines), so a rule that finds nothing new does not raise the
estimate; when all rules count as one, nothing is estimated and they say
so. The estimate still assumes the rules miss matches independently, and
they do not: rules sharing a field miss the same pairs, and a match with
errors in most fields escapes all of them. It is therefore an upper
estimate of the recall (the missed count a lower one): a figure over 0.95
does not show that blocking finds 95% of the matches; the matches each
rule alone finds ("N of them no other rule finds") say more. Below an
estimated blocking recall of 0.95 they warn, naming the rules that find
matches alone, and name the rule to add: the field (or two) that the
matches found by one rule alone most often agree on away from that rule's
keys ("rule to add: … agree exactly on city … its column alone would make
267 pairs per record — key a rule on it with a coarse part of another
field"), or say that none stands out: those matches then differ in most
fields, and step 6 applies.

## Columns

Each column is read from the input field ` + "`from`" + ` (default: its name), cleared
when its value is one of the missing tokens, then transformed in order.

- ` + "`kind`" + `: text (default; Jaro–Winkler capable), code (compared on bytes), date
  (a date in one column: ` + "`{name: dob, kind: date, date_format: ymd}`" + ` reads
  1990-12-31; built from several columns: ` + "`date_parts`" + ` below).
- ` + "`missing`" + `: this column's own missing tokens (trimmed, case ignored). Default:
  the settings' ` + "`missing`" + `, else ` + missingList() + `.
  A token is matched against the value the column reads (from an adapter's
  derived field, before the transforms): a column of parsed or folded names
  should list only ` + "`\"\"`" + `, as the Vietnamese settings' name columns do (the
  given name Na folds to "na", which the token NA would clear; their adapter
  reads a name cell that is a token as typed, NA in capitals, N/A, không rõ,
  as no name).
- ` + "`date_format`" + ` (dates): dmy (default: 31/12/1990, 31.12.90, 31 Dec 1990), mdy
  (12/31/1990, Dec 31 1990) or ymd (1990/12/31). ISO 1990-12-31, 19901231,
  1990-12 and 1990 read the same in every format; English month names, full or
  three letters, and the Vietnamese words ngày / tháng / năm are read; a day of
  00 leaves the month.
- ` + "`pivot`" + ` (dates): a two-digit year yy is 20yy below the pivot, else 19yy. Default 30.
- ` + "`date_parts: {year: Y, month: M, day: D}`" + `: a date built from separate columns
  (month may be a number or a name; month and day may be left out; a
  month over 12 with a day up to 12 is read as the two swapped). A blank
  year leaves the whole date blank: month and day alone are not kept, so
  ` + "`" + `dob.monthday` + "`" + ` keys and date levels do nothing for such a record. Where many records lack the
  year, also compare the month and day as their own column (` + "`" + `join:
  [birth_month, birth_day]` + "`" + `, an ` + "`" + `exact` + "`" + ` level).
  Dates that are not blank but cannot be read are counted and reported by
  ` + "`dancu link`" + ` (column, count, first record), never silently dropped.
- ` + "`join: [A, B]`" + `: a text column built from several input fields, their values
  joined by a space (blanks and missing tokens left out); with the
  ` + "`sorted_words`" + ` transform the order of the fields no longer matters.
- ` + "`inputs`" + `: the input fields the column derives from, when not just ` + "`from`" + `.
  Training leaves a comparison out of a blocking rule's EM session when any
  of its columns shares an input with the rule's keys (a soundex of the
  surname derives from the surname); declare inputs for columns you derive
  outside the settings.
- ` + "`confidence`" + `: the record field whose OCR confidence (0..1) is kept with
  this column. Only scanned forms read by ` + "`dancu import`" + ` (JSON lines) carry
  one; CSV and XLSX do not, so leave it out for them. A comparison's own
  ` + "`confidence: COLUMN`" + ` then scales its weight by the lower confidence of the
  two records, and ` + "`ocr_edit`" + ` prices a scanner look-alike by it.

A blocking key may be written ` + "`col.year`" + ` for a date's year, or ` + "`col.monthday`" + ` for its
month and day without the year (a birthday: records whose year was misread
still share it; a date lacking the day or month has none).

### Transforms

| transform | what it does | example |
|---|---|---|
`)
	for _, t := range transformDocs {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", t.Name, t.Summary, strings.ReplaceAll(t.Example, "|", "\\|"))
	}
	b.WriteString(`
## Comparison levels

A comparison is a list of levels; a pair gets the first level that holds.
Before them comes the null level (one side has none of ` + "`null_columns`" + `; no
weight) and after them "else". ` + "`tf: COLUMN`" + ` on a level adjusts its weight by how
common the value is: give it on the exact level of names and places, where a
few values are shared by many (a surname drawn from 40, a town) and agreeing on
a rare one says far more than on the commonest. Training learns m and u of each
level; you never give weights. One exception: ` + "`else_m_min: P`" + ` on a comparison is
the least m training gives its "else", the share of one person's record pairs
known from outside the training records to disagree there — for an address, the
share of persons who moved to another province (the Vietnamese settings: 0.032,
the 2019 census's inter-provincial migrants of five years). Training records
without movers would give else an m near 0, and a mover's records a weight that
nothing else outweighs; training's output notes the raise. ` + "`m_min: P`" + ` on a level
does the same for that level (the Vietnamese address's "another province, the
number names the other's": 0.016, half of those movers, a level records without
movers never reach); the levels not raised are scaled down so that m sums to 1.
` + "`tf_with: [LABEL, …]`" + ` on a level with ` + "`tf`" + ` names the comparison's earlier levels whose
pairs agree on its tf column too — the exact level on a name with its marks, before
this one on the name folded: the adjustment then weighs a value's frequency against
the u of every pair agreeing on the column, theirs and this level's together, as
Splink weighs a fuzzy level's against its exact level's u. Without it, a level
that only catches what an earlier one left (the pairs that differ in the marks)
takes the earlier level's share off every value a second time (the Vietnamese
family name: Nguyen / Nguyễn 2.9 bits under Nguyễn / Nguyễn).

Comparisons are counted as independent evidence. Columns that record one
fact — a city and its postcode, the addresses and parents a household
shares — belong in one comparison, as its levels (postcode exact, then
city exact), not in two comparisons that would count the same agreement
twice and make λ and the scores too generous.

Give every comparison a level for each way its field goes wrong, so that
a true pair with one slip lands on a level that says so rather than on
"else", which counts against it:

- Names and towns: exact (with tf), then Jaro–Winkler levels (0.9, and
  0.7 or 0.8) for typos; a town is keyed in as carelessly as a name.
- First and last name entered in each other's column: a ` + "`" + `cross` + "`" + ` level in
  both name comparisons (` + "`" + `swapped with last` + "`" + ` and ` + "`" + `swapped with first` + "`" + `);
  a full swap then counts as two facts and a half swap once. Both names
  swapped and one of them mistyped ("Schluz Sabine" for "Sabine
  Schulz") is a full swap; a swap weighs no more than the names agreeing
  in their own columns (a namesake's exact names), however rare training
  finds swaps among strangers.
- Dates of birth: the levels on the whole date (exact, a digit — which
  takes a year off by one with the birthday kept, 1969 for 1970, too —
  days or months apart), then ` + "`" + `date_birthday` + "`" + ` (a year mistyped, or the date moved
  by whole years, keeps the birthday: ` + "`" + `max: 7` + "`" + ` allows a few days' slip),
  then a wide ` + "`" + `date_years` + "`" + ` level: as wide as the ages a slip can make
  (a decade digit mistyped: ` + "`" + `max: 10` + "`" + `), after the narrow ones, so that
  it only catches what they do not.
- An email is two facts. Its user part is made of the person's name, so
  namesakes share it; its domain is not (a workplace, a family name, a
  mail service). Split it into columns (` + "`" + `regex:^([^@]+)@` + "`" + ` or ` + "`" + `alnum,
  first:8` + "`" + ` for the user part, ` + "`" + `regex:@(.+)$` + "`" + ` for the domain) and give the
  email comparison, after exact and one edit, the user part and domain
  both agreeing (` + "`" + `exact_all` + "`" + `), the domain alone (with tf: a mail service
  is shared by many) and the user part alone, in that order. (The user
  part as transformed, letters and digits, first 8, agrees where the
  whole email does not: ` + "`" + `john.smith@x.vn` + "`" + ` and ` + "`" + `johnsmith1@x.vn` + "`" + `; so the
  ` + "`" + `exact_all` + "`" + ` level holds for pairs the first two miss.)

| op | holds when | example |
|---|---|---|
`)
	for _, o := range opDocs {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", o.Op, strings.ReplaceAll(o.Summary, "|", "\\|"), strings.ReplaceAll(o.Example, "|", "\\|"))
	}
	b.WriteString(`
## Guards, vetoes and clustering

- ` + "`guards`" + `: ` + "`{kind: distinct, column: C}`" + ` — a person holds one value of C
  (` + "`max: 1`" + ` lets values one edit apart count as one; ` + "`unless_shared: N`" + `:
  two persons sharing a value of N, a CMND, may join whatever their values of C —
  a sex ticked wrong on a list does not split a person its number joins;
  ` + "`unless_shared: [N, M]`" + `: a value of either; ` + "`same_prefix: 2`" + `: only values whose
  first two characters agree are kept apart — two CMNDs of one issuing province, as a
  citizen who moved province was issued a new one there);
  ` + "`{kind: values, column: N}`" + ` — keeps nothing apart: the persons' values of N,
  for another guard's ` + "`unless_shared`" + ` to read;
  ` + "`{kind: year_span, column: D, max: N}`" + ` — a person's birth years span at most N;
  ` + "`{kind: full_date, column: D, unless_shared: C}`" + ` — a person's full dates
  (day and month known; 1 January is taken for a year only) are one birthday
  written differently: the same day and month or swapped, one digit or one day
  apart, or 19 to 55 days apart (a lunar date for the solar one). A record giving only
  the year then cannot chain two namesakes of that year. ` + "`unless_shared`" + `
  names the column of a distinct or values guard: two persons sharing its value (one
  identification number) may join whatever their dates.
  A guard is for what never happens: training measures each year_span guard
  on the data (an EM over the candidate pairs' year gaps, each pair's prior
  from the comparisons not reading the date) and, when more than 1% of the
  matches would break it, widens it to the smallest span that keeps to that
  and warns (` + "`guard year_span on dob (max 2): …`" + `). It measures a full_date
  guard the same way (the share of its estimated matches, the upper half by
  weight, whose full dates are not one birthday) and, above 1%, drops it and
  warns (` + "`guard full_date on dob: …`" + `): every file with a date of birth may
  carry one, and the data decide. Do not write a guard
  from an example: write one only when a person's records never differ that
  much (a typed register, not re-keyed lists whose dates carry typos).
- ` + "`vetoes`" + `: ` + "`{comparison: given_name, levels: [else]}`" + ` keeps such pairs apart
  whatever else agrees (twins).
- ` + "`generic_values`" + `: ` + "`{column: id, max_records: 20, also: [id_valid, id_own]}`" + ` —
  a value of the column that more than max_records records carry (an
  identification number typed as a placeholder or copied down a column: a
  clerk's own number, 001000000000, a household head's number on every
  member) is read as missing on every record carrying it, in the column and
  in the also columns (values derived from the same field): no blocking key,
  no comparison level, no guard. Without it every record carrying the value
  is a candidate of every other and agrees on it. Offline linking counts the
  whole input; the streaming registry counts the records it holds when a
  record arrives, so there the first max_records keep it. ` + "`dancu link`" + `
  prints how many records carried one, the values masked (0010******45).
  Choose max_records above the most records one entity has.
- ` + "`no_tf_bonus_when`" + `: ` + "`{comparison: date_of_birth, levels: [else]}`" + ` (any one
  of the list) — a pair on such a level gets no term-frequency bonus: a rare
  name both records share weighs its level's average, not more (a common
  name's lower weight stays). Term frequencies are the file's (or the
  model's, frozen); records sharing a rare name whose own dates or numbers
  disagree are mostly namesakes of one family or village, where the name is
  not rare. The rule reads the pair alone, so a pair scores the same
  whatever else the file holds.
- Clustering is the same for every settings file: pairs at or above the match
  probability join persons strongest first, when the guards allow (and, in a
  link_only link, the two persons do not both hold a record of one file: each
  file holds a person once, so a record scoring two of the other file's joins
  the stronger) and the
  two clusters' cross pairs that some blocking rule proposes average the
  match probability (average linkage; each cross pair counts once per rule
  proposing it; a cross pair sharing no key of any rule is left out of the
  mean, as it is left out of scoring, and a join most of whose cross pairs
  share no key is refused as a chain of people unless one person's records
  could share so few by chance at training's estimate of blocking recall;
  a single record is never refused so: a noisy record misses the keys of
  all its person's records at once, and one record is no chain). That mean
  is judged with what each cluster's records agree on (a value two or more
  of them share is the person's far more surely than any one record's): a
  single record may also join when it scores the threshold against its
  cluster's shared values (where none is shared, against each record,
  averaged); two clusters whose shared values of a comparison land on its
  else level (a date of birth that three records give one way and four
  another) count the else weight once more for each record of the smaller
  group beyond the first.
  ` + "`dancu link`" + ` prints the largest clusters and flags implausible ones.
- ` + "`thresholds`" + `: match 0.5 and review 0.1 by default; keep them. ` + "`thresholds.namesakes`" + `
  (default 1) reads only frames of the Vietnamese adapter: a link whose evidence
  is a full name and a birthday alone (the ` + "`address`" + ` comparison at else, no
  number or parent's name agreeing, one record without a valid 12-digit number)
  is not made when the national register is expected to hold at least that many
  persons of each record's name, sex and birth day (vn.Namesakes); the pair is
  raised as a ` + "`possible_match`" + ` conflict, reviewed on demand. A negative value
  makes such links as any other.

## Training

Without labels: u from random pairs; m by EM over each blocking rule's pairs
(one session per rule, or per ` + "`training.rules`" + `; a session whose m lies far from
the others' median is left out of it and named); λ by EM over all candidate
pairs, bounded by the confident pairs (every comparison exact) over their
recall when EM's is over 3× larger — where values are so often blank that
few matches have every one, the pairs exact or blank on every comparison
and exact on enough of them that u expects different people to be at most
a quarter of them (those taken off; training prints how many must be
exact) — (then moved one EM step: the expected
matches among the candidates plus those blocking misses, when that lies
between the two), or from ` + "`training.deterministic`" + ` rules' pairs
divided by ` + "`training.recall`" + ` (default 0.7; see "More options" below). Two comparisons of one fact (a
postcode and its city: among random pairs where one agrees the other
nearly always does, far more often than overall) are found and folded: the
later one adds nothing when both agree or both disagree, and does not vote
in EM (` + "`model.folded`" + `). A level that holds among different people far more
often when an earlier comparison agrees than overall (an email's user part,
made of the first name, for two people who share a first name) is weighed,
when both hold, with its u given that level (` + "`model.dependent`" + `; training
prints each as ` + "`dependent: …`" + `); this is looked for only when the random
pairs are a sample of at most half of all pairs (in a small file they are
every pair, every match among them). Two ` + "`cross`" + ` levels reading the same two
columns (first name "swapped with last", last name "swapped with first")
count a half swap — one record's first name is the other's last name, the
other names differ — once, in the earlier comparison; a full swap in both.
A blank value never counts against a pair: a comparison none of whose
` + "`null_columns`" + ` one side has lands on its null level (weight 0), and a
column derived from a blank or missing field (` + "`soundex`" + `, date parts, ` + "`join`" + `)
is blank too. ` + "`dancu train`" + ` and
` + "`link`" + ` warn, and fail with ` + "`--strict`" + `, when comparisons are folded, when a session
matches over 0.9 of its pairs and claims more matches than the whole model
(a precise rule such as an identification number does not), when sessions
disagree on a comparison's m, when the λ the model takes implies more than
five matching pairs per record, when EM and the deterministic rules differ
over 3× on λ, or when a year_span guard is widened because the data breaks
it. Lines starting "note:" are not faults, and ` + "`--strict`" + ` passes them: EM's λ
when the model took the bound instead ("the model does not use it: it takes
λ (confident-pair bound) …" — nothing to do), or a level weighed as else.

A level whose trained m is near 0 — log2 m/u below the else level's, so
that agreeing that well would count against a pair more than not agreeing
at all — is weighed as else: training prints a note naming it and the
model description shows "(as else: log2 m/u …)". The data then holds
almost no matches on that level: an earlier level takes its pairs (a "same
year" after "±1 year", which already holds for equal years), or matches
here never differ that way (` + "`date_year_only`" + ` when every date is full, as
in the example above on such data). Keep it only for data that will have
such pairs; otherwise drop it.

## More options

` + "```yaml" + `
version: 1
name: register
link_type: link_only            # two files, no duplicates inside each
columns:
  - {name: dob, kind: date, date_format: dmy, pivot: 30}  # one column: 31/12/1990, 31.12.90 (1990), 1990-12-31
  - {name: surname, transforms: [fold, trim]}
  - {name: given, from: given_names, transforms: [fold, first_word]}
  - {name: number, from: national_id, kind: code, transforms: [digits], missing: ["000000000"]}
blocking:
  - {name: number, keys: [number]}
  - {name: dob, keys: [dob]}
  - {name: surname_year, keys: [surname, dob.year], max_block: 500, sort_by: [given], window: 20}
comparisons:
  - name: number
    null_columns: [number]
    levels:
      - {label: exact, op: exact, column: number}
      - {label: one typo, op: one_edit, column: number}
  - name: surname
    null_columns: [surname]
    levels:
      - {label: exact, op: exact, column: surname, tf: surname}
      - {label: "jw ≥ 0.9", op: jw, column: surname, threshold: 0.9}
  - name: given
    null_columns: [given]
    levels:
      - {label: exact, op: exact, column: given, tf: given}
      - {label: "jw ≥ 0.9", op: jw, column: given, threshold: 0.9}
  - name: dob
    null_columns: [dob]
    levels:
      - {label: exact, op: date_exact, column: dob}
      - {label: within a month, op: date_days, column: dob, max: 31}
training:
  rules: [dob, surname_year]    # EM sessions on these rules' pairs (default: one per blocking rule)
  deterministic:                # λ from the pairs agreeing on all keys of one of these…
    - {name: same number, keys: [number]}
  recall: 0.6                   # …which find this share of the true matches (default 0.7)
  u_random_pairs: 1000000       # random pairs for u (default 1,000,000, or all pairs when fewer)
  max_iterations: 50            # EM iterations per session (default 50)
  seed: 1                       # of the random pairs (default 1)
` + "```" + `

- ` + "`training.rules`" + `: the blocking rules whose pairs train m, one EM session
  each (default: every rule). Name rules whose keys leave out different
  fields, so that every comparison is estimated by some session.
- ` + "`training.deterministic`" + ` and ` + "`training.recall`" + `: when given, λ is the
  number of pairs agreeing on all keys of some deterministic rule (taken
  as matches: write only rules that are nearly always right, such as a
  valid identification number) divided by ` + "`recall`" + `, the share of all true
  matches you believe they find; EM's λ is then only checked against it.
  Without them, λ comes from EM, bounded as above.
- ` + "`training.prior`" + `: global (default; λ among all pairs) or blocked.
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
