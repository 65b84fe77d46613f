package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Version is the version of the settings document this code reads.
const Version = 1

// Link types.
const (
	DedupeOnly    = "dedupe_only"     // every pair of records
	LinkOnly      = "link_only"       // only pairs from different sources
	LinkAndDedupe = "link_and_dedupe" // both
)

// Settings describe a linkage as data, in Splink's model: the columns
// derived from each record, the blocking rules that choose candidate pairs,
// the comparisons (ordered levels) that score them, the thresholds and,
// once trained, the model. They are read from and written to YAML or JSON.
type Settings struct {
	Version  int    `json:"version" yaml:"version"`
	Name     string `json:"name" yaml:"name"`
	LinkType string `json:"link_type" yaml:"link_type"` // Default: dedupe_only

	// Missing lists the values that mean "no value" in every column
	// (trimmed, case ignored); a column's own missing list replaces it.
	// Default: DefaultMissing. Give [""] to treat only blanks as missing.
	Missing []string `json:"missing,omitempty" yaml:"missing,omitempty"`

	Columns     []ColumnSpec   `json:"columns" yaml:"columns"`
	Blocking    []BlockingRule `json:"blocking" yaml:"blocking"`
	Comparisons []Comparison   `json:"comparisons" yaml:"comparisons"`
	Guards      []Guard        `json:"guards,omitempty" yaml:"guards,omitempty"`
	Vetoes      []Veto         `json:"vetoes,omitempty" yaml:"vetoes,omitempty"`
	// TwoIDsRequire lists the levels (or null) a pair refused by the
	// distinct-number guard must reach on each named comparison to be
	// raised as a two_ids conflict ("one person with two numbers") rather
	// than taken for two people. Default: none (every refused pair).
	TwoIDsRequire []Veto `json:"two_ids_require,omitempty" yaml:"two_ids_require,omitempty"`
	// NoTFBonusWhen lists conditions (a comparison and levels, as a
	// veto's) any one of which takes a pair's term-frequency bonuses
	// away: a rare value that both records share then weighs as its
	// level's average, not more (an adjustment for a common value, which
	// lowers the weight, stays). A term frequency says how often two
	// records agree on a value by chance over the whole file; the
	// records that agree on a rare name and whose own identifiers
	// contradict one person (two full dates of birth that differ, two
	// numbers that differ) are mostly namesakes of one family or place,
	// where the name is not rare, and a frozen model cannot count the
	// place. The condition reads only the pair, so a pair scores the
	// same whatever else a frame or registry holds. Default: none.
	NoTFBonusWhen []Veto `json:"no_tf_bonus_when,omitempty" yaml:"no_tf_bonus_when,omitempty"`
	// GenericValues lists columns whose values stop being evidence when
	// too many records carry one ("generic values"): an identification
	// number typed as a placeholder or copied down a column. A value of
	// Column carried by more than MaxRecords records is read as missing on
	// every record carrying it, in Column and in the Also columns (values
	// derived from the same field): no blocking key, no comparison level,
	// no guard. Offline linking counts the whole input; the streaming
	// registry counts the records it holds when a record arrives (package
	// registry). Default: none.
	GenericValues []GenericValue  `json:"generic_values,omitempty" yaml:"generic_values,omitempty"`
	Thresholds    Thresholds      `json:"thresholds" yaml:"thresholds"`
	Clustering    Clustering      `json:"clustering,omitempty" yaml:"clustering,omitempty"`
	Training      TrainingOptions `json:"training" yaml:"training"`

	// Model holds the trained parameters; nil until trained.
	Model *Model `json:"model,omitempty" yaml:"model,omitempty"`
}

// GenericValue is one column whose values are generic once more than
// MaxRecords records carry one (Settings.GenericValues).
type GenericValue struct {
	Column     string   `json:"column" yaml:"column"`
	MaxRecords int      `json:"max_records" yaml:"max_records"`
	Also       []string `json:"also,omitempty" yaml:"also,omitempty"`
}

// ColumnSpec is one column of the engine's columnar frame.
type ColumnSpec struct {
	Name string `json:"name" yaml:"name"`
	// Kind is text (interned, Jaro–Winkler capable), date (year, month,
	// day with precision) or code (interned, compared by equality and edit
	// distance on bytes). Default: text.
	Kind string `json:"kind,omitempty" yaml:"kind,omitempty"`
	// From names the input field (a canonical record column, a mapped CSV
	// column, or a derived field such as vn.family); default: Name.
	From string `json:"from,omitempty" yaml:"from,omitempty"`
	// Transforms applied in order: lower, fold (strip diacritics), trim,
	// digits, alnum, first:N, first_word, last_word, soundex, ocr_class,
	// sorted_words, regex:PATTERN (Doc lists them).
	Transforms []string `json:"transforms,omitempty" yaml:"transforms,omitempty"`
	// Confidence names the OCR confidence key (a record column) whose value
	// scales comparisons of this column; "" for none.
	Confidence string `json:"confidence,omitempty" yaml:"confidence,omitempty"`
	// Join builds a text column from several input fields, their values
	// joined by a space in the order given (blanks left out; missing
	// tokens cleared first); From is then unused. With the sorted_words
	// transform it makes a key that does not depend on the fields' order
	// (a first and last name entered in each other's column).
	Join []string `json:"join,omitempty" yaml:"join,omitempty"`
	// DateParts builds a date column from separate year, month and day
	// input fields (numbers, or month names); From is then unused.
	DateParts *DateParts `json:"date_parts,omitempty" yaml:"date_parts,omitempty"`
	// DateFormat says how a date column's text is read: dmy (day first:
	// 31/12/1990, 31.12.90, 31 Dec 1990; the default), mdy (12/31/1990,
	// Dec 31 1990) or ymd (1990/12/31). ISO 1990-12-31, 19901231, 1990-12
	// and 1990 read the same in every format; month names (English, full
	// or three letters) and the Vietnamese words ngày/tháng/năm are read.
	DateFormat string `json:"date_format,omitempty" yaml:"date_format,omitempty"`
	// Pivot reads a two-digit year yy as 20yy when yy < Pivot, else 19yy.
	// Default: 30.
	Pivot int `json:"pivot,omitempty" yaml:"pivot,omitempty"`
	// Missing lists values (compared after trimming, ignoring case) that
	// mean "no value" in this column. Default: the settings' missing.
	Missing []string `json:"missing,omitempty" yaml:"missing,omitempty"`
	// Inputs names the input fields the column is derived from, when they
	// are not just From (its lineage). Training leaves out of a blocking
	// rule's EM session every comparison that shares an input with the
	// rule's keys. Default: From, or for a derived field (vn.family) the
	// record field it is read from (full_name).
	Inputs []string `json:"inputs,omitempty" yaml:"inputs,omitempty"`
	// TFWithin names a code column holding each record's locality (a
	// province): a level whose tf is this column then also counts its
	// value's frequency among the other records of the pair's locality,
	// and the larger of that and the file's frequency adjusts the weight.
	// A name common in one village or province but rare in the file is
	// then no longer taken for rare there. A locality falls back to the
	// file when it is too small to tell a frequency below the level's u
	// (one other record would be more), or when the count is within two
	// standard deviations of what the file's frequency expects. A model
	// with frozen term frequencies (Model.TermFrequencies) does not count
	// localities: its scores must not depend on what else a frame holds.
	// Default: "" (the file's only).
	TFWithin string `json:"tf_within,omitempty" yaml:"tf_within,omitempty"`
}

// Fields returns the input fields column c reads: its Join fields, its
// date parts, or From (default: its name).
func (c ColumnSpec) Fields() []string {
	switch {
	case len(c.Join) > 0:
		return c.Join
	case c.DateParts != nil:
		var out []string
		for _, f := range []string{c.DateParts.Year, c.DateParts.Month, c.DateParts.Day} {
			if f != "" {
				out = append(out, f)
			}
		}
		return out
	case c.From != "":
		return []string{c.From}
	}
	return []string{c.Name}
}

// DateParts name the input fields of a date's parts.
type DateParts struct {
	Year  string `json:"year" yaml:"year"`
	Month string `json:"month,omitempty" yaml:"month,omitempty"`
	Day   string `json:"day,omitempty" yaml:"day,omitempty"`
}

// DefaultMissing are the values read as missing when the settings do not
// list their own: blanks written as a word or a sign.
var DefaultMissing = []string{"NA", "N/A", "n.a.", "null", "none", "-", "--", "?", ".", "không rõ", "không có", "chưa rõ", "không"}

// BlockingRule makes every pair of records that agree on all Keys a
// candidate. Blocks larger than MaxBlock are split: records are sorted by
// SortBy and each is compared with its Window following neighbours
// (sorted neighbourhood within the block).
type BlockingRule struct {
	Name     string   `json:"name" yaml:"name"`
	Keys     []string `json:"keys" yaml:"keys"`                               // column names; a date column may be written col.year
	MaxBlock int      `json:"max_block,omitempty" yaml:"max_block,omitempty"` // Default: 0 = never split
	SortBy   []string `json:"sort_by,omitempty" yaml:"sort_by,omitempty"`     // columns to sort a huge block by
	Window   int      `json:"window,omitempty" yaml:"window,omitempty"`       // Default: 50
}

// Comparison scores one aspect of a pair as the first of its ordered
// levels that holds. The null level (one side has none of NullColumns)
// comes first and carries no weight; "else" comes last.
type Comparison struct {
	Name        string   `json:"name" yaml:"name"`
	NullColumns []string `json:"null_columns" yaml:"null_columns"`
	Levels      []Level  `json:"levels" yaml:"levels"`
	// Confidence scales the weight by the lower OCR confidence of the two
	// records on this column's confidence key.
	Confidence string `json:"confidence,omitempty" yaml:"confidence,omitempty"`
	// ElseMMin is the least m training gives the else level (no level
	// holds): the share of one person's record pairs known, from outside
	// the training records, to disagree — a prior such as fastLink's for
	// movers (the share of persons who moved to another province). EM
	// fits m to the training records, and a population without movers
	// gives an address's else an m near 0, a weight that splits every
	// mover from their earlier records; the other levels' m are scaled
	// down to keep the sum 1. 0: EM's m as it comes.
	ElseMMin float64 `json:"else_m_min,omitempty" yaml:"else_m_min,omitempty"`
}

// Level is one level of a comparison. Op is one of:
//
//	exact        Column equal on both sides (both present)
//	exact_any    some column of Columns equal on both sides
//	exact_all    every column of Columns present and equal on both sides
//	jw           Jaro–Winkler of Column ≥ Threshold
//	edit         optimal string alignment distance of Column ≤ Max
//	one_edit     Column within one substitution, insertion, deletion or transposition
//	one_missing  Column present on exactly one side
//	disjoint     no column of Columns present on both sides
//	date_exact   full dates equal
//	date_swapped day and month swapped, year equal
//	date_year_only years equal, one date (or both) known to the year only
//	date_year    years equal
//	date_days    full dates within Max days
//	date_years   years within Max
//	cross        Column of one side equals Other of the other side (both
//	             swapped with one mistyped is a full swap; weighs no more
//	             than an exact first level on Column)
//	ocr_edit     Column within cost Threshold when a scanner look-alike
//	             (N↔M, H↔B, U↔V, I↔T) costs the fields' OCR confidence and
//	             any other edit 2
//	words_subset the words of one side's Column are all among the other's
//	first_word_moved one side's Column is the other's with its first word
//	             moved to the end (a given name written first); a later
//	             comparison with such a level on the same Column is null
//	             when an earlier one lands on its level (counted once)
//	date_month   years and months equal (one day unknown or 00)
//	finest_unit  Columns are one address's units, finest first, each
//	             "col|col" for its columns in either era; holds when the
//	             finest unit both sides name is unit Max and they agree
//	             there (a district compared when one side lacks the commune)
//	date_digit   full dates one digit apart written YYYYMMDD, whatever
//	             format each was written in (a misread or mistyped digit),
//	             or a year one apart with the same month and day (1969
//	             and 1970: a year off by one across a decade)
//	date_birthday full dates whose months and days are within Max days,
//	             whatever the years (a year mistyped or moved)
type Level struct {
	Label     string   `json:"label" yaml:"label"`
	Op        string   `json:"op" yaml:"op"`
	Column    string   `json:"column,omitempty" yaml:"column,omitempty"`
	Columns   []string `json:"columns,omitempty" yaml:"columns,omitempty"`
	Other     string   `json:"other,omitempty" yaml:"other,omitempty"`
	Threshold float64  `json:"threshold,omitempty" yaml:"threshold,omitempty"`
	Max       int      `json:"max,omitempty" yaml:"max,omitempty"`
	// TF names a column whose term frequency adjusts this level's weight
	// (Splink's term-frequency adjustment): agreeing on a rare value says
	// more than agreeing on a common one.
	TF string `json:"tf,omitempty" yaml:"tf,omitempty"`
	// TFWith names earlier levels of the comparison whose pairs agree on
	// this level's TF column too (an exact level on the name with its
	// marks, before this one on the name without them): the adjustment
	// then weighs the value's frequency against the u of every pair that
	// agrees on the column, those levels' and this one's together, not
	// this level's alone, which counts the earlier levels' share against
	// every value a second time. Default: none (this level's u).
	TFWith []string `json:"tf_with,omitempty" yaml:"tf_with,omitempty"`
	// M is the starting m probability for training. Default: from the
	// level's position.
	M float64 `json:"m,omitempty" yaml:"m,omitempty"`
	// MMin is the least m training gives this level, as a comparison's
	// else_m_min does for else: the share of one person's record pairs
	// known, from outside the training records, to land on it (a level
	// training records never reach, such as a mover's records whose
	// number names the other's province). 0: EM's m as it comes.
	MMin float64 `json:"m_min,omitempty" yaml:"m_min,omitempty"`
}

// Guard stops connected components from chaining different people.
//
//	distinct   a person holds at most one value of Column (values within
//	           one edit count as the same when Max is 1, within Max edits
//	           when it is more: two slips of one number); with
//	           UnlessShared, two clusters sharing a value of that column
//	           (a CMND) may join whatever their values of Column; with
//	           SamePrefix n, only values whose first n characters agree
//	           are kept apart (two CMNDs of one issuing province: a
//	           person who moved got a new one from the new province)
//	values     keeps nothing apart: the clusters' values of Column, for
//	           another guard's UnlessShared to read
//	year_span  a person's birth years (date Column) span at most Max years;
//	           with OneDigit, a cluster of one birth year may also join
//	           one whose span holds a year a single digit from it (1978
//	           and 1968–1969: a misread digit); the span stays the other's
//	full_date  a person's full dates of birth (date Column with day and
//	           month; 1 January left out, the day written when only the
//	           year is known) are one birthday written differently: the
//	           same day and month or swapped (years are year_span's to
//	           judge), one digit apart, or 20–51 days apart (a lunar date
//	           for the solar one). A record with only a year, which fits
//	           two namesakes born the same year, then cannot chain them.
//	           With UnlessShared, two clusters sharing a value of that
//	           distinct or values guard's column (an identification
//	           number) may join whatever their dates.
type Guard struct {
	Kind     string `json:"kind" yaml:"kind"`
	Column   string `json:"column" yaml:"column"`
	Max      int    `json:"max,omitempty" yaml:"max,omitempty"`
	OneDigit bool   `json:"one_digit,omitempty" yaml:"one_digit,omitempty"`
	// SamePrefix, for a distinct guard: two values are kept apart only
	// when their first SamePrefix characters agree (0: always).
	SamePrefix int `json:"same_prefix,omitempty" yaml:"same_prefix,omitempty"`
	// UnlessShared names the column of a distinct or values guard, or
	// several: two clusters sharing a value of any of them are not kept
	// apart (full_date and distinct guards only).
	UnlessShared Columns `json:"unless_shared,omitempty" yaml:"unless_shared,omitempty"`
}

// Columns is one column's name or several: written as the name when it is
// one (unless_shared: cmnd), as a list otherwise (unless_shared: [cmnd,
// name_birth]).
type Columns []string

// UnmarshalYAML reads a name or a list of names.
func (c *Columns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = Columns{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*c = l
	return nil
}

// MarshalYAML writes one name as a name, several as a list.
func (c Columns) MarshalYAML() (any, error) {
	if len(c) == 1 {
		return c[0], nil
	}
	return []string(c), nil
}

// UnmarshalJSON reads a name or a list of names.
func (c *Columns) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*c = Columns{one}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*c = l
	return nil
}

// MarshalJSON writes one name as a name, several as a list.
func (c Columns) MarshalJSON() ([]byte, error) {
	if len(c) == 1 {
		return json.Marshal(c[0])
	}
	return json.Marshal([]string(c))
}

// GuardFit is what training measured of one year_span or full_date
// guard. For year_span: among the
// candidate pairs that the comparisons not reading the guard's column
// call matches, less the strangers among them (whose year gaps are those
// of random pairs), the share Broken of the matches that the guard as
// written (Max) would keep apart, and Fitted, the smallest span at or
// above Max that leaves at most the tolerated share broken (Max itself
// when the written guard already does); Expected is those matches. For
// full_date: Broken is the share of the matches whose full dates are not
// one birthday, and Fitted is -1 when training dropped the guard for it.
type GuardFit struct {
	Kind     string  `json:"kind" yaml:"kind"`
	Column   string  `json:"column" yaml:"column"`
	Max      int     `json:"max" yaml:"max"`
	Fitted   int     `json:"fitted" yaml:"fitted"`
	Broken   float64 `json:"broken" yaml:"broken"`
	Expected float64 `json:"expected" yaml:"expected"`
}

// EffectiveGuards returns the guards clustering applies: those of the
// settings, each year_span guard with the span its model fitted
// (Model.Guards) when training widened it, less each full_date guard
// training dropped (Fitted -1).
func (s *Settings) EffectiveGuards() []Guard {
	if s.Model == nil || len(s.Model.Guards) == 0 {
		return s.Guards
	}
	out := make([]Guard, 0, len(s.Guards))
	for _, g := range s.Guards {
		drop := false
		for _, fit := range s.Model.Guards {
			if fit.Kind != g.Kind || fit.Column != g.Column || fit.Max != g.Max {
				continue
			}
			if g.Kind == "full_date" && fit.Fitted < 0 {
				drop = true
			} else if fit.Fitted > g.Max {
				g.Max = fit.Fitted
			}
		}
		if !drop {
			out = append(out, g)
		}
	}
	return out
}

// Fold says comparison Comparison agrees on its first level whenever
// Into does (a postcode and its city): its weight there is counted once,
// in Into. Lift is how many times more often it agrees, among random
// pairs, when Into agrees than overall.
type Fold struct {
	Comparison string  `json:"comparison" yaml:"comparison"`
	Into       string  `json:"into" yaml:"into"`
	Lift       float64 `json:"lift" yaml:"lift"`
}

// Dependence is a level (Comparison, Level) whose u among non-matching
// pairs is U when comparison Given lands on GivenLevel: Lift times its
// overall u.
type Dependence struct {
	Comparison string  `json:"comparison" yaml:"comparison"`
	Level      string  `json:"level" yaml:"level"`
	Given      string  `json:"given" yaml:"given"`
	GivenLevel string  `json:"given_level" yaml:"given_level"`
	U          float64 `json:"u" yaml:"u"`
	Lift       float64 `json:"lift" yaml:"lift"`
}

// Veto keeps a pair whose comparison lands on one of Levels (labels, or
// "else") below the review threshold, whatever the rest of the evidence:
// twins and siblings share surname, birth date, parents and address but
// not their given name, and those agreements are not independent. A
// vetoed pair is neither linked nor queued for review.
type Veto struct {
	Comparison string   `json:"comparison" yaml:"comparison"`
	Levels     []string `json:"levels" yaml:"levels"`
	// Unless lists conditions (a comparison and the levels it must land
	// on) that together lift the veto: a valid identification number is
	// one person's — twins and siblings each have their own — so a pair
	// sharing one and its birth date is one person whose given name was
	// mistyped. They lift this veto only: another veto on the same
	// comparison, on other levels, keeps its own. Default: none.
	Unless []Veto `json:"unless,omitempty" yaml:"unless,omitempty"`
}

// Linkage rules of Clustering.
const (
	SingleLinkage  = "single"  // connected components of the pairs at or above the match threshold
	AverageLinkage = "average" // clusters join only when their cross pairs average the match threshold
)

// Clustering chooses how pairs at or above the match threshold join
// persons. Average linkage (the default, and the rule every shipped
// settings file uses) asks, before joining two clusters, that the guards
// allow it and that the mean match probability over all their cross pairs
// — each scored by the model, whether blocking made it a candidate or not
// — reach the match threshold: the records of the two clusters must on
// average be more likely the same person than not (average-linkage
// agglomerative clustering cut at the match probability, applied
// strongest pair first). The test looks only at the two clusters, never
// at how many other records there are, so a fixed duplicate rate gives
// the same clusters at any data size. Single linkage (connected
// components under the guards) joins the two clusters of every pair the
// guards allow, so one weak pair can chain two people into one; it is
// kept for comparison only.
type Clustering struct {
	Linkage string `json:"linkage,omitempty" yaml:"linkage,omitempty"` // average or single; Default: average
}

// Thresholds on the model's match probability. They are fixed in the
// settings, never tuned on labels.
type Thresholds struct {
	Match  float64 `json:"match" yaml:"match"`   // a pair at or above links; Default: 0.5
	Review float64 `json:"review" yaml:"review"` // pairs in [Review, Match) across persons are grey-zone conflicts; Default: 0.1
	// Namesakes is the λ (vn.Namesakes: the persons a national register
	// of 10⁸ is expected to hold with a full name, sex and one birth
	// date) at or above which a link resting on a name and a birthday
	// alone is a possible match, not a merge: records of the Vietnamese
	// adapter whose address comparison lands on else, whose numbers
	// (one record without a valid 12-digit number) and parents' names do
	// not agree, and whose names both reach it, are not joined by that
	// link and are raised as a possible_match conflict (matching's
	// possibleRule). Default: 1; a negative value joins them as any
	// link. Settings without those columns and comparisons never meet
	// it.
	Namesakes float64 `json:"namesakes,omitempty" yaml:"namesakes,omitempty"`
}

// TrainingOptions control unsupervised estimation.
type TrainingOptions struct {
	// URandomPairs is the number of random pairs sampled to estimate u.
	// Default: 1,000,000 (or all pairs when fewer).
	URandomPairs int `json:"u_random_pairs,omitempty" yaml:"u_random_pairs,omitempty"`
	// Rules are the blocking rule names whose pairs train m by EM, one
	// session each; comparisons using a rule's columns are left out of
	// its session (as Splink does). Default: every blocking rule.
	Rules []string `json:"rules,omitempty" yaml:"rules,omitempty"`
	// MaxIterations of EM per session. Default: 50.
	MaxIterations int `json:"max_iterations,omitempty" yaml:"max_iterations,omitempty"`
	// Prior picks the prior of a candidate pair: "blocked" (the match rate
	// among candidate pairs, estimated by EM) or "global" (among all
	// pairs, as Splink's λ). Default: global: the comparisons score the
	// fields the pair was blocked on again, so the blocked rate would count
	// that evidence twice.
	Prior string `json:"prior,omitempty" yaml:"prior,omitempty"`
	// Seed of the random pair sample. Default: 1.
	Seed int64 `json:"seed,omitempty" yaml:"seed,omitempty"`
	// Deterministic rules estimate λ as Splink does: pairs agreeing on
	// all of a rule's keys are taken as matches, the union of their pairs
	// divided by the rules' Recall (the share of true matching pairs they
	// are believed to find) is the number of matching pairs. When given,
	// this λ is the model's and the EM estimate is only checked against
	// it; else λ comes from EM over the candidate pairs.
	Deterministic []DeterministicRule `json:"deterministic,omitempty" yaml:"deterministic,omitempty"`
	// Recall of the deterministic rules together. Default: 0.7.
	Recall float64 `json:"recall,omitempty" yaml:"recall,omitempty"`
}

// DeterministicRule is a high-precision rule: pairs agreeing on every key
// (column names; col.year for a date's year) are taken as matches.
type DeterministicRule struct {
	Name string   `json:"name" yaml:"name"`
	Keys []string `json:"keys" yaml:"keys"`
}

// Model is the trained part of the settings.
type Model struct {
	// Lambda is the probability that a candidate pair matches (see
	// TrainingOptions.Prior); LambdaGlobal that two random records match.
	Lambda       float64 `json:"lambda" yaml:"lambda"`
	LambdaGlobal float64 `json:"lambda_global" yaml:"lambda_global"`
	// Comparisons hold m and u for each level (else included, null not),
	// in the order of Settings.Comparisons.
	Comparisons []ComparisonModel `json:"comparisons" yaml:"comparisons"`
	// Trained describes how: pair counts, EM iterations, labels used.
	Trained string `json:"trained" yaml:"trained"`
	// Folded are comparisons found to record the same fact as an earlier
	// one (training, from random pairs): when both agree on their first
	// level, the folded one adds no weight.
	Folded []Fold `json:"folded,omitempty" yaml:"folded,omitempty"`
	// Dependent are levels found, among random non-matching pairs, to
	// hold far more often when an earlier comparison agrees than overall
	// (an email's user part made of the first name): when both hold, the
	// level's weight takes U, its u given the earlier comparison's level,
	// instead of its overall u.
	Dependent []Dependence `json:"dependent,omitempty" yaml:"dependent,omitempty"`
	// Guards are the year_span and full_date guards as training measured
	// them on the data (matching.Train): a year_span guard that more than
	// a small share of the pairs the other comparisons call matches would
	// break is widened to the span those matches keep to, a full_date
	// guard is dropped (Settings.EffectiveGuards).
	Guards []GuardFit `json:"guards,omitempty" yaml:"guards,omitempty"`
	// BlockingRecall is training's estimate of the share of matching
	// pairs some blocking rule proposes (0 when not estimated: one rule).
	// Clustering lets a join through with fewer than half its cross pairs
	// sharing a key when one person's records could have so few at that
	// share (matching's average linkage; a chain of people has fewer).
	BlockingRecall float64 `json:"blocking_recall,omitempty" yaml:"blocking_recall,omitempty"`
	// TermFrequencies, when set (matching.FreezeTermFrequencies), are the frozen
	// frequencies of values in the columns comparisons adjust on (column
	// → value → share of records); values not listed have TermFloor.
	// Frames built from settings with them use them instead of their own
	// counts, so that a pair scores the same in any frame.
	// Version names the model's content (ModelVersion), so that every
	// instance can say which model it scores with.
	Version         string                        `json:"version,omitempty" yaml:"version,omitempty"`
	TermFrequencies map[string]map[string]float64 `json:"term_frequencies,omitempty" yaml:"term_frequencies,omitempty"`
	TermFloor       float64                       `json:"term_floor,omitempty" yaml:"term_floor,omitempty"`
}

// ComparisonModel holds m and u of one comparison's levels; the last
// entry is the else level.
type ComparisonModel struct {
	Name string    `json:"name" yaml:"name"`
	M    []float64 `json:"m" yaml:"m"`
	U    []float64 `json:"u" yaml:"u"`
}

// Weights returns each level's match weight, log2(m/u) with m and u kept
// off 0 and 1, the last being else's. A level whose weight would lie below
// else's — m near 0: the data holds almost no matches on it, often because
// an earlier level takes its pairs — is weighed as else: a pair that agrees
// better than else never counts more against a match than one that
// differs outright. AsElse reports those levels.
func (cm ComparisonModel) Weights() []float64 {
	w := cm.rawWeights()
	for l := 0; l+1 < len(w); l++ {
		w[l] = math.Max(w[l], w[len(w)-1])
	}
	return w
}

// AsElse returns the levels (indices into M) that Weights weighs as else,
// with the weight log2(m/u) they would have had.
func (cm ComparisonModel) AsElse() (levels []int, raw []float64) {
	w := cm.rawWeights()
	for l := 0; l+1 < len(w); l++ {
		if w[l] < w[len(w)-1] {
			levels, raw = append(levels, l), append(raw, w[l])
		}
	}
	return levels, raw
}

func (cm ComparisonModel) rawWeights() []float64 {
	w := make([]float64, len(cm.M))
	for l := range cm.M {
		u := 0.5
		if l < len(cm.U) {
			u = cm.U[l]
		}
		w[l] = math.Log2(clampP(cm.M[l]) / clampP(u))
	}
	return w
}

// FieldError names the settings field that is wrong, and its line in the
// document when it was parsed from one (0 otherwise).
type FieldError struct {
	Field string
	Line  int
	Err   error
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Field, e.Err)
	}
	return e.Field + ": " + e.Err.Error()
}
func (e *FieldError) Unwrap() error { return e.Err }

// withDefaults returns a copy of s with defaults applied.
func (s Settings) withDefaults() Settings {
	if s.Version == 0 {
		s.Version = Version
	}
	if s.LinkType == "" {
		s.LinkType = DedupeOnly
	}
	if s.Thresholds.Match == 0 {
		s.Thresholds.Match = 0.5
	}
	if s.Thresholds.Review == 0 {
		s.Thresholds.Review = 0.1
	}
	if s.Thresholds.Namesakes == 0 {
		s.Thresholds.Namesakes = 1
	}
	if s.Clustering.Linkage == "" {
		s.Clustering.Linkage = AverageLinkage
	}
	if s.Training.URandomPairs == 0 {
		s.Training.URandomPairs = 1_000_000
	}
	if s.Training.MaxIterations == 0 {
		s.Training.MaxIterations = 50
	}
	if s.Training.Prior == "" {
		s.Training.Prior = "global"
	}
	if s.Training.Seed == 0 {
		s.Training.Seed = 1
	}
	if s.Training.Recall == 0 {
		s.Training.Recall = 0.7
	}
	if s.Missing == nil {
		s.Missing = DefaultMissing
	}
	s.Columns = append([]ColumnSpec(nil), s.Columns...)
	for i := range s.Columns {
		if s.Columns[i].Kind == "" {
			s.Columns[i].Kind = "text"
			if s.Columns[i].DateParts != nil {
				s.Columns[i].Kind = "date"
			}
		}
		if s.Columns[i].Kind == "date" {
			if s.Columns[i].DateFormat == "" {
				s.Columns[i].DateFormat = "dmy"
			}
			if s.Columns[i].Pivot == 0 {
				s.Columns[i].Pivot = 30
			}
		}
		if s.Columns[i].From == "" {
			s.Columns[i].From = s.Columns[i].Name
		}
	}
	s.Blocking = append([]BlockingRule(nil), s.Blocking...)
	for i := range s.Blocking {
		if s.Blocking[i].Window == 0 {
			s.Blocking[i].Window = 50
		}
	}
	return s
}

// validateLevels reports, under field, a comparison v names that s does
// not have, or a level that comparison does not have.
func (s Settings) validateLevels(bad func(field, format string, a ...any), field string, v Veto) {
	for _, c := range s.Comparisons {
		if c.Name != v.Comparison {
			continue
		}
		for _, l := range v.Levels {
			ok := l == "else"
			for _, lv := range c.Levels {
				ok = ok || lv.Label == l
			}
			if !ok {
				bad(field+".levels", "comparison %s has no level %q", v.Comparison, l)
			}
		}
		return
	}
	bad(field+".comparison", "unknown %q", v.Comparison)
}

// Validate checks s and returns every problem as a FieldError.
func (s Settings) Validate() error {
	s = s.withDefaults()
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, a...)})
	}
	if s.Version != Version {
		bad("version", "is %d, this build reads %d", s.Version, Version)
	}
	if l := s.Clustering.Linkage; l != SingleLinkage && l != AverageLinkage {
		bad("clustering.linkage", "unknown %q (single or average)", l)
	}
	switch s.LinkType {
	case DedupeOnly, LinkOnly, LinkAndDedupe:
	default:
		bad("link_type", "unknown %q", s.LinkType)
	}
	cols := map[string]string{}
	for i, c := range s.Columns {
		if c.Name == "" {
			bad(fmt.Sprintf("columns[%d].name", i), "is empty")
		}
		if _, dup := cols[c.Name]; dup {
			bad(fmt.Sprintf("columns[%d].name", i), "%q repeated", c.Name)
		}
		switch c.Kind {
		case "text", "date", "code":
		default:
			bad(fmt.Sprintf("columns[%d].kind", i), "unknown %q", c.Kind)
		}
		for _, t := range c.Transforms {
			if err := checkTransform(t); err != nil {
				bad(fmt.Sprintf("columns[%d].transforms", i), "%v", err)
			}
		}
		if c.Kind == "date" {
			switch c.DateFormat {
			case "dmy", "mdy", "ymd":
			default:
				bad(fmt.Sprintf("columns[%d].date_format", i), "unknown %q (dmy, mdy or ymd)", c.DateFormat)
			}
			if c.Pivot < 0 || c.Pivot > 100 {
				bad(fmt.Sprintf("columns[%d].pivot", i), "must be in [0, 100], got %d", c.Pivot)
			}
		} else if c.DateParts != nil || c.DateFormat != "" {
			bad(fmt.Sprintf("columns[%d].kind", i), "date_parts and date_format need kind date, not %s", c.Kind)
		}
		if len(c.Join) > 0 && (c.DateParts != nil || c.Kind == "date") {
			bad(fmt.Sprintf("columns[%d].join", i), "builds a text or code column; a date from parts is date_parts")
		}
		if c.DateParts != nil && c.DateParts.Year == "" {
			bad(fmt.Sprintf("columns[%d].date_parts.year", i), "is empty")
		}
		cols[c.Name] = c.Kind
	}
	col := func(field, name string) {
		base, _, _ := strings.Cut(name, ".")
		if _, ok := cols[base]; !ok {
			bad(field, "unknown column %q", name)
		}
	}
	for i, c := range s.Columns {
		if c.TFWithin == "" {
			continue
		}
		if k, ok := cols[c.TFWithin]; !ok || k != "code" || c.TFWithin == c.Name || c.Kind == "date" {
			bad(fmt.Sprintf("columns[%d].tf_within", i), "needs another column of kind code (a locality) on a text or code column, got %q", c.TFWithin)
		}
	}
	if len(s.Blocking) == 0 {
		bad("blocking", "needs at least one rule")
	}
	for i, r := range s.Blocking {
		if len(r.Keys) == 0 {
			bad(fmt.Sprintf("blocking[%d].keys", i), "is empty")
		}
		for _, k := range r.Keys {
			col(fmt.Sprintf("blocking[%d].keys", i), k)
		}
		for _, k := range r.SortBy {
			col(fmt.Sprintf("blocking[%d].sort_by", i), k)
		}
	}
	if len(s.Comparisons) == 0 {
		bad("comparisons", "needs at least one")
	}
	for i, c := range s.Comparisons {
		f := fmt.Sprintf("comparisons[%d]", i)
		if len(c.NullColumns) == 0 {
			bad(f+".null_columns", "is empty")
		}
		for _, n := range c.NullColumns {
			col(f+".null_columns", n)
		}
		if len(c.Levels) == 0 {
			bad(f+".levels", "needs at least one")
		}
		if c.ElseMMin < 0 || c.ElseMMin >= 0.5 || math.IsNaN(c.ElseMMin) {
			bad(f+".else_m_min", "must be in [0, 0.5), got %v", c.ElseMMin)
		}
		for j, l := range c.Levels {
			lf := fmt.Sprintf("%s.levels[%d]", f, j)
			if l.MMin < 0 || l.MMin >= 0.5 || math.IsNaN(l.MMin) {
				bad(lf+".m_min", "must be in [0, 0.5), got %v", l.MMin)
			}
			if len(l.TFWith) > 0 && l.TF == "" {
				bad(lf+".tf_with", "needs tf on the level")
			}
			for _, w := range l.TFWith {
				if i := slices.IndexFunc(c.Levels[:j], func(e Level) bool { return e.Label == w }); i < 0 {
					bad(lf+".tf_with", "%q is no earlier level of the comparison", w)
				} else if c.Levels[i].TF == "" {
					bad(lf+".tf_with", "earlier level %q has no tf", w)
				}
			}
			if !isOp(l.Op) {
				bad(lf+".op", "unknown %q", l.Op)
				continue
			}
			switch l.Op {
			case "exact_any", "exact_all", "disjoint":
				if len(l.Columns) == 0 {
					bad(lf+".columns", "is empty")
				}
				for _, n := range l.Columns {
					col(lf+".columns", n)
				}
			case "finest_unit":
				if len(l.Columns) == 0 {
					bad(lf+".columns", "is empty")
				}
				for _, unit := range l.Columns {
					for _, n := range strings.Split(unit, "|") {
						col(lf+".columns", strings.TrimSpace(n))
					}
				}
				if l.Max < 0 || l.Max >= len(l.Columns) {
					bad(lf+".max", "finest_unit needs the index of a unit in columns (0 = the first, finest), got %d", l.Max)
				}
			default:
				col(lf+".column", l.Column)
			}
			if strings.HasPrefix(l.Op, "date_") && cols[l.Column] != "date" {
				bad(lf+".column", "%s needs a date column, %q is %s", l.Op, l.Column, cols[l.Column])
			}
			if l.Op == "cross" {
				col(lf+".other", l.Other)
			}
			if l.Op == "jw" && (l.Threshold <= 0 || l.Threshold > 1) {
				bad(lf+".threshold", "must be in (0, 1], got %v", l.Threshold)
			}
			if l.Op == "ocr_edit" && l.Threshold <= 0 {
				bad(lf+".threshold", "ocr_edit needs the largest cost, > 0, got %v", l.Threshold)
			}
			if l.TF != "" {
				col(lf+".tf", l.TF)
			}
		}
	}
	for i, g := range s.Guards {
		switch g.Kind {
		case "distinct", "year_span", "full_date", "values":
		default:
			bad(fmt.Sprintf("guards[%d].kind", i), "unknown %q", g.Kind)
		}
		col(fmt.Sprintf("guards[%d].column", i), g.Column)
		if g.SamePrefix < 0 || g.SamePrefix > 0 && g.Kind != "distinct" {
			bad(fmt.Sprintf("guards[%d].same_prefix", i), "needs a distinct guard and a count of characters > 0, got %d", g.SamePrefix)
		}
		for _, u := range g.UnlessShared {
			found := false
			for _, o := range s.Guards {
				found = found || (o.Kind == "distinct" || o.Kind == "values") && o.Column == u
			}
			if g.Kind != "full_date" && g.Kind != "distinct" || g.Column == u || !found {
				bad(fmt.Sprintf("guards[%d].unless_shared", i), "needs a full_date or distinct guard and the column of another distinct or values guard, got %q", u)
			}
		}
	}
	all := append(append([]Veto(nil), s.Vetoes...), s.TwoIDsRequire...)
	for _, v := range s.Vetoes {
		all = append(all, v.Unless...)
	}
	for i, v := range all {
		s.validateLevels(bad, fmt.Sprintf("vetoes[%d]", i), v)
	}
	for i, g := range s.GenericValues {
		field := fmt.Sprintf("generic_values[%d]", i)
		col(field+".column", g.Column)
		if cols[g.Column] == "date" {
			bad(field+".column", "a date column cannot be generic, got %q", g.Column)
		}
		for _, a := range g.Also {
			col(field+".also", a)
		}
		if g.MaxRecords < 1 {
			bad(field+".max_records", "must be at least 1, got %d", g.MaxRecords)
		}
	}
	for i, v := range s.NoTFBonusWhen {
		field := fmt.Sprintf("no_tf_bonus_when[%d]", i)
		s.validateLevels(bad, field, v)
		// Read nowhere else: a condition on no level never holds, and
		// unless lifts a veto only.
		if len(v.Levels) == 0 {
			bad(field+".levels", "names no level: the condition would never hold")
		}
		if len(v.Unless) > 0 {
			bad(field+".unless", "unless lifts a veto only; a no_tf_bonus_when condition has none")
		}
	}
	if s.Thresholds.Match <= 0 || s.Thresholds.Match >= 1 {
		bad("thresholds.match", "must be in (0, 1), got %v", s.Thresholds.Match)
	}
	if s.Thresholds.Review <= 0 || s.Thresholds.Review > s.Thresholds.Match {
		bad("thresholds.review", "must be in (0, match], got %v", s.Thresholds.Review)
	}
	for i, r := range s.Training.Deterministic {
		if len(r.Keys) == 0 {
			bad(fmt.Sprintf("training.deterministic[%d].keys", i), "is empty")
		}
		for _, k := range r.Keys {
			col(fmt.Sprintf("training.deterministic[%d].keys", i), k)
		}
	}
	if r := s.Training.Recall; r <= 0 || r > 1 {
		bad("training.recall", "must be in (0, 1], got %v", r)
	}
	if s.Training.Prior != "blocked" && s.Training.Prior != "global" {
		bad("training.prior", "must be blocked or global, got %q", s.Training.Prior)
	}
	if m := s.Model; m != nil {
		if len(m.Comparisons) != len(s.Comparisons) {
			bad("model.comparisons", "has %d, settings have %d comparisons", len(m.Comparisons), len(s.Comparisons))
		} else {
			for i, cm := range m.Comparisons {
				n := len(s.Comparisons[i].Levels) + 1
				if len(cm.M) != n || len(cm.U) != n {
					bad(fmt.Sprintf("model.comparisons[%d]", i), "needs %d m and u values (levels + else)", n)
				}
			}
		}
		if m.Lambda <= 0 || m.Lambda >= 1 {
			bad("model.lambda", "must be in (0, 1), got %v", m.Lambda)
		}
	}
	return errors.Join(errs...)
}

// Parse reads settings from YAML or JSON (JSON is YAML), checks them
// (Validate) and returns them with their defaults applied.
func Parse(b []byte) (*Settings, error) {
	var s Settings
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("parse settings: %w", err)
	}
	if err := s.Validate(); err != nil {
		var doc yaml.Node
		if yaml.Unmarshal(b, &doc) == nil {
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					var fe *FieldError
					if errors.As(e, &fe) {
						fe.Line = lineOf(&doc, fe.Field)
					}
				}
			}
		}
		return nil, fmt.Errorf("invalid settings: %w", err)
	}
	d := s.withDefaults()
	return &d, nil
}

// Load reads a settings file (Parse).
func Load(path string) (*Settings, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// WithDefaults returns a copy of s with its defaults applied (thresholds,
// windows, linkage), as the engine sees it.
func (s *Settings) WithDefaults() *Settings {
	sd := s.withDefaults()
	return &sd
}

// Save writes s to path, as JSON when the name ends in .json, else YAML.
func (s *Settings) Save(path string) error {
	var b []byte
	var err error
	if strings.EqualFold(filepath.Ext(path), ".json") {
		b, err = json.MarshalIndent(s, "", "  ")
	} else {
		b, err = yaml.Marshal(s)
	}
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	return nil
}

// lineOf returns the line of a field path such as
// comparisons[2].levels[0].op in a parsed YAML document: the deepest part
// of the path that exists (0 when none does).
func lineOf(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if n.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				next = n.Content[i+1]
				line = n.Content[i].Line
			}
		}
		if next == nil {
			return line
		}
		n = next
		for rest != "" {
			var idx int
			if _, err := fmt.Sscanf(rest, "%d]", &idx); err != nil || n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
			_, rest, _ = strings.Cut(rest, "[")
		}
	}
	return line
}
