package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dancu-vn/dancu/matching"
	"github.com/dancu-vn/dancu/vn"
	"github.com/spf13/cobra"
)

func newExplainCmd(g *globals) *cobra.Command {
	var o linkOptions
	var a, b string
	var train, unmasked bool
	cmd := &cobra.Command{
		Use:   "explain --in FILE --a ID --b ID",
		Short: "show why two records match or not (a waterfall of match weights)",
		Long: `Explain prints, for two records of the input, the prior and each comparison's
level, weight (log2 m/u, scaled by OCR confidence) and term-frequency
adjustment, with the running total and the match probability. The settings
must carry a trained model (dancu train), or --train estimates one on the
input first: the default settings carry none; the pipeline's model (what dancu run
scores with, unless given --settings) is matching/vietnamese/trained.yaml in the source.
Values are masked unless --unmasked.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a == "" || b == "" {
				return fmt.Errorf("explain: give --a ID and --b ID")
			}
			s, _, f, err := o.load()
			if err != nil {
				return fmt.Errorf("explain: %w", err)
			}
			ia, ok := f.Index(a)
			if !ok {
				return fmt.Errorf("explain: record %q not in the input", a)
			}
			ib, ok := f.Index(b)
			if !ok {
				return fmt.Errorf("explain: record %q not in the input", b)
			}
			if s.Model == nil {
				if !train {
					return fmt.Errorf("explain: the settings have no trained model: give --settings FILE with one (dancu train's --out; the pipeline's, what dancu run scores with, is matching/vietnamese/trained.yaml in the source), or --train to estimate one on the input")
				}
				m, _, err := matching.Train(cmd.Context(), f, s, nil)
				if err != nil {
					return err
				}
				s.Model = m
			}
			e := matching.ExplainPair(f, s, int32(ia), int32(ib))
			if e.Err != nil {
				return e.Err
			}
			if !unmasked {
				for i := range e.Steps {
					st := &e.Steps[i]
					st.ValueA, st.ValueB = mask(st.Comparison, st.ValueA), mask(st.Comparison, st.ValueB)
				}
			}
			fmt.Fprint(g.stdout, e.String())
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&a, "a", "", "first record id")
	cmd.Flags().StringVar(&b, "b", "", "second record id")
	cmd.Flags().BoolVar(&train, "train", false, "train the model on the input when the settings have none")
	cmd.Flags().BoolVar(&unmasked, "unmasked", false, "show values in full (names, numbers)")
	return cmd
}

// mask hides what identifies a person in a value shown by default
// (explain's steps, --analyse-blocking's largest blocks): numbers of nine
// digits or more as vn.MaskID does ("0010******45"), e-mail addresses to
// the first letter of the user and of the domain ("l***@g***.info"), any
// other value mixing letters and digits (a user name, an address line) to
// each word's first letter, given names (a comparison named first, given,
// middle) to initials, other names (full_name, last, surname, …) as
// vn.MaskName does (the family name and initials). Shown in full: dates
// and short codes (soundex R163, a postcode, a year) — at most 8 characters
// without separators, at least half of them digits — and values of other
// comparisons without digits (a city, a sex).
func mask(comparison, v string) string {
	if v == "" {
		return v
	}
	if strings.Contains(v, "@") {
		return maskEmail(v)
	}
	var digits, letters, others int
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '-' || r == '/' || r == '.' || r == ':':
		default:
			others++
		}
	}
	switch {
	case digits >= 9 && letters == 0 && others == 0:
		return vn.MaskID(v)
	case digits > 0 && digits+letters+others <= 8 && 2*digits >= digits+letters+others:
		return v // dates, codes, short numbers
	case digits > 0:
		return maskWords(v)
	case isGivenNameComparison(comparison):
		return initials(v)
	case isNameComparison(comparison):
		return vn.MaskName(v)
	}
	return v
}

// isGivenNameComparison says whether comparison compares given (first,
// middle) names: shown as initials, so that beside a surname shown in full
// no full name appears.
func isGivenNameComparison(comparison string) bool {
	c := strings.ToLower(comparison)
	for _, w := range []string{"first", "given", "middle", "forename"} {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// initials reduces each word to its first letter: "Anna Maria" → "A. M.".
func initials(v string) string {
	words := strings.Fields(v)
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		words[i] = string(r) + "."
	}
	return strings.Join(words, " ")
}

// nameWords are the words of a comparison's name that say it compares
// people's names (any settings file's: "first", "last", "surname").
var nameWords = []string{"name", "first", "last", "surname", "given", "family", "middle", "forename", "parents", "father", "mother", "spouse"}

// isNameComparison says whether comparison compares a person's names.
func isNameComparison(comparison string) bool {
	c := strings.ToLower(comparison)
	for _, w := range nameWords {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// maskWords keeps the first letter of each word and stars the rest:
// "lucas.p37" → "l********".
func maskWords(v string) string {
	var b strings.Builder
	first := true
	for _, r := range v {
		switch {
		case unicode.IsSpace(r):
			first = true
			b.WriteRune(r)
		case first:
			first = false
			b.WriteRune(r)
		default:
			b.WriteByte('*')
		}
	}
	return b.String()
}

// maskEmail keeps the first letter of the user and of the domain and the
// domain's last part: "lucas.p37@gallagher.info" → "l***@g***.info".
func maskEmail(v string) string {
	user, domain, _ := strings.Cut(v, "@")
	initial := func(s string) string {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 {
			return ""
		}
		return string(r)
	}
	tld := ""
	if i := strings.LastIndexByte(domain, '.'); i >= 0 {
		tld, domain = domain[i:], domain[:i]
	}
	return initial(user) + "***@" + initial(domain) + "***" + tld
}
